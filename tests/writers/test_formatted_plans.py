"""The per-element render plans (``plans.py``) give citeproc-py's own answers on tricky input."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from citeproc import model as cp_model
from citeproc.string import MixedString, NoCase, String

from citekit import format_bibliography
from citekit.writers.formatted import engine, plans, speed

CS = {"cs": "http://purl.org/net/xbiblio/csl"}

_FONTS = [
    "",
    'font-style="italic"',
    'font-style="oblique" font-weight="bold"',
    'font-style="normal" font-variant="small-caps" text-decoration="underline"',
    'font-weight="light" vertical-align="sup"',
    'vertical-align="sub" font-variant="normal" text-decoration="none"',
    'vertical-align="baseline" font-weight="normal"',
    'font-style="weird"',  # citeproc-py fails on unknown values: so must the plan
    'vertical-align="middle"',
]
_AFFIXES = ["", 'prefix=". "', 'suffix="."', 'prefix=" (" suffix="),"', 'prefix="" suffix=""']
_STYLING = [
    "",
    'strip-periods="true"',
    'text-case="uppercase"',
    'text-case="capitalize-first" quotes="true"',
    'text-case="title" strip-periods="true" font-style="italic" suffix="."',
    'quotes="true" prefix=" " suffix=", "',
    'strip-periods="false" quotes="false" text-case="lowercase"',
]
_STRINGS: list[Any] = [
    "",
    "plain",
    " lead and trail. ",
    ".,x.",
    String("a.b. c"),
    NoCase("iPhone X."),
    MixedString([String("one. "), NoCase("Two")]),
    MixedString([]),
    7,
    0,
    2.5,
]


def _style_text(elements: list[str]) -> str:
    body = "".join(elements)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>T</title><id>t</id><updated>2020-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><layout>{body}</layout></bibliography>
</style>
"""


@pytest.fixture
def loaded(tmp_path: Path) -> Iterator[Any]:
    texts = [f'<text variable="title" {a} {b}/>' for a in _FONTS for b in _AFFIXES]
    texts += [f'<text variable="title" {s}/>' for s in _STYLING]
    path = tmp_path / "plans.csl"
    path.write_text(_style_text(texts), encoding="utf-8")
    engine._cached.cache_clear()
    style = engine.load_style(path)
    try:
        yield style
    finally:
        engine._cached.cache_clear()


def _outcome(func: Any, *args: Any) -> tuple[str, Any]:
    try:
        result = func(*args)
    except Exception as exc:  # citeproc-py's own failure must be reproduced
        return ("raised", type(exc).__name__)
    return (type(result).__name__, list(result) if isinstance(result, list) else result)


def _texts(style: Any) -> list[Any]:
    found = style.root.xpath("//cs:bibliography//cs:text", namespaces=CS)
    assert found
    assert all("_ck_root" in t.__dict__ for t in found)
    return list(found)


def test_format_plan_matches_citeproc(loaded: Any) -> None:
    for element in _texts(loaded):
        for value in _STRINGS:
            for _ in range(2):  # the first call builds the plan, the second uses it
                assert _outcome(plans.format_, element, value) == _outcome(
                    cp_model.Formatted.format, element, value
                ), (element.attrib, value)


def test_wrap_plan_matches_citeproc(loaded: Any) -> None:
    for element in _texts(loaded):
        for value in [*_STRINGS[:8], None]:
            for _ in range(2):
                assert _outcome(plans.wrap, element, value) == _outcome(
                    cp_model.Affixed.wrap, element, value
                ), (element.attrib, value)


def test_text_markup_plan_matches_citeproc(loaded: Any) -> None:
    for element in _texts(loaded):
        for value in [*_STRINGS, None]:
            for language in ("en", "de"):
                for _ in range(2):
                    assert _outcome(plans.text_markup, element, value, language) == _outcome(
                        cp_model.Text.markup, element, value, language
                    ), (element.attrib, value, language)


def test_unprepared_element_is_not_planned(loaded: Any) -> None:
    element = _texts(loaded)[1]
    copy = type(element)(**dict(element.attrib))  # created outside the loaded style
    assert plans.format_(copy, "x") == cp_model.Formatted.format(copy, "x")
    assert plans.wrap(copy, "x") == cp_model.Affixed.wrap(copy, "x")
    assert "_ck_font" not in copy.__dict__
    assert "_ck_affixes" not in copy.__dict__


_TREE = """
<group delimiter="; " prefix="[" suffix="]">
  <choose>
    <if type="book" match="none"><text variable="genre"/><text value="lit"/></if>
    <else-if variable="publisher"><text value="pub"/><text variable="publisher"/></else-if>
    <else><text macro="m"/></else>
  </choose>
  <group delimiter=" "><text term="edition"/><text variable="edition"/></group>
  <choose><if variable="number"><text variable="number" prefix="no. "/></if></choose>
  <text macro="empty"/>
</group>
<group delimiter=", " prefix=" "><text value="x"/><choose><if type="book">
  <group><text variable="volume"/></group></if></choose></group>
"""
_MACROS = (
    '<macro name="m"><choose><if variable="note"><text variable="note"/></if>'
    '<else><text value="no note"/></else></choose><text variable="edition" prefix=" ed. "/>'
    '</macro><macro name="empty"><text term="translator"/><text variable="translator"/></macro>'
)
_RECORDS = [
    {"id": "a", "type": "book", "title": "A", "publisher": "P", "edition": "2"},
    {"id": "b", "type": "article", "title": "B", "genre": "Thesis", "number": "4"},
    {"id": "c", "type": "book", "title": "C", "note": "n.", "volume": "3"},
    {"id": "d", "type": "book", "title": "D"},
    {"id": "e", "type": "report", "title": "E", "genre": "", "edition": "5", "number": "9"},
]


def test_planned_groups_and_choose_match_uncached(tmp_path: Path) -> None:
    """Group/macro suppression, choose delimiters and children plans vs citeproc-py's walk."""
    path = tmp_path / "tree.csl"
    path.write_text(
        _style_text([_TREE]).replace("<citation>", _MACROS + "<citation>"), encoding="utf-8"
    )
    results = []
    for enabled in (True, False):
        engine._cached.cache_clear()
        speed.ENABLED = enabled
        try:
            for _ in range(2):  # plans built, then used
                bib = format_bibliography(_RECORDS, style=path, output="html")
                results.append((str(bib), [str(d) for d in bib.diagnostics]))
        finally:
            speed.ENABLED = True
            engine._cached.cache_clear()
    assert results[0] == results[1] == results[2] == results[3]
    assert "[lit; edition 5; no. 9] x" in results[0][0]  # suppression and delimiters at work
