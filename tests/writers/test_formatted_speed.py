"""The formatter's speed work changes no output: caches vs citeproc-py's own look-ups, jobs=."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from citeproc import Citation, CitationItem, CitationStylesBibliography
from citeproc.source import BibliographySource

import citekit
from citekit import CiteItem, format_bibliography, format_citations
from citekit.writers.formatted import engine, run, speed
from citekit.writers.formatted.convert import to_reference
from citekit.writers.formatted.markup import FORMATTER

STYLES = (
    "apa",
    "ieee",
    "chicago-author-date",
    "chicago-notes-bibliography",
    "nlm-citation-sequence",
    "harvard-cite-them-right",
    "modern-language-association",
    "nature",
    "american-chemical-society",
    "springer-basic-brackets",
    "elsevier-harvard",
    "association-for-computing-machinery",
)


def _person(family: str, given: str, **extra: str) -> dict[str, str]:
    return {"family": family, "given": given, **extra}


VARIED: list[dict[str, Any]] = [
    {
        "id": "art",
        "type": "article-journal",
        "title": "Attention is all you need: the 'transformer'",
        "author": [_person("Vaswani", "Ashish"), _person("Shazeer", "Noam")],
        "issued": {"date-parts": [[2017, 6, 12]]},
        "container-title": "NeurIPS",
        "volume": "30",
        "issue": "2",
        "page": "5998-6008",
        "DOI": "10.5555/3295222.3295349",
    },
    {
        "id": "many",
        "type": "article-journal",
        "title": "A paper with many authors",
        "author": [_person(f"Author{i}", f"Given{i} M.") for i in range(25)],
        "issued": {"date-parts": [[2019]]},
        "container-title": "Journal of Things",
        "page": "101-109",
    },
    {
        "id": "book-ed",
        "type": "book",
        "title": "Edited volume",
        "editor": [_person("Beethoven", "Ludwig", **{"non-dropping-particle": "van"})],
        "translator": [_person("Smith", "Jane")],
        "issued": {"date-parts": [[2020]]},
        "publisher": "Pub & Co",
        "publisher-place": "Berlin",
        "edition": "3",
        "language": "de",
    },
    {
        "id": "chap",
        "type": "chapter",
        "title": "A chapter",
        "author": [_person("Smith", "John Paul")],
        "editor": [_person("Doe", "J.")],
        "container-title": "The book",
        "issued": {"date-parts": [[2020]]},
        "page": "1-20",
        "publisher": "Press",
    },
    {
        "id": "chap2",
        "type": "chapter",
        "title": "Another chapter",
        "author": [_person("Smith", "John Paul")],
        "container-title": "The book",
        "issued": {"date-parts": [[2020]]},
    },
    {
        "id": "thesis",
        "type": "thesis",
        "genre": "PhD thesis",
        "title": "On theses",
        "author": [{"literal": "World Health Organization"}],
        "issued": {"date-parts": [[2001, 3], [2002, 4]]},
        "publisher": "University",
    },
    {
        "id": "web",
        "type": "webpage",
        "title": "A web page",
        "URL": "https://example.org/page",
        "accessed": {"date-parts": [[2024, 1, 5]]},
        "issued": {"season": 2, "date-parts": [[2023]]},
    },
    {
        "id": "nodate",
        "type": "report",
        "title": "no date, no author",
        "number": "TR-7",
        "publisher": "Institute",
    },
    {
        "id": "raw",
        "type": "paper-conference",
        "title": "Raw dates and <i>rich</i> text",
        "author": [_person("Ng", "A.", suffix="Jr.")],
        "issued": {"raw": "2018-05/2018-06"},
        "event-title": "Conference",
        "volume": "ii",
    },
    {
        "id": "patent",
        "type": "patent",
        "title": "A machine",
        "author": [_person("Lovelace", "Ada")],
        "issued": {"literal": "circa 1843"},
        "number": "12345",
    },
]


@pytest.fixture
def uncached() -> Iterator[None]:
    """Format with citeproc-py's own look-ups (no :mod:`speed` caches) inside the test."""
    engine._cached.cache_clear()
    speed.ENABLED = False
    try:
        yield
    finally:
        speed.ENABLED = True
        engine._cached.cache_clear()


def _both(func: Any) -> tuple[Any, Any]:
    engine._cached.cache_clear()
    fast = func()
    engine._cached.cache_clear()
    speed.ENABLED = False
    try:
        slow = func()
    finally:
        speed.ENABLED = True
        engine._cached.cache_clear()
    return fast, slow


def _outcome(result: Any) -> tuple[Any, ...]:
    return (str(result), [str(d) for d in result.diagnostics])


@pytest.mark.parametrize("style", STYLES)
def test_cached_bibliography_identical(style: str) -> None:
    for output in ("text", "html"):
        fast, slow = _both(
            lambda output=output: format_bibliography(VARIED, style=style, output=output)
        )
        assert _outcome(fast) == _outcome(slow)
        assert len(fast.entries) >= len(VARIED) - 1  # citeproc-py crashes on one in a few


@pytest.mark.parametrize("style", ["apa", "ieee", "chicago-notes-bibliography", "nature"])
def test_cached_citations_identical(style: str) -> None:
    cites: list[list[str | CiteItem]] = [
        ["art"],
        ["chap", "chap2"],
        [CiteItem("many", locator="3-4", prefix="see ")],
        ["art", "web", "thesis", "nodate"],
        ["art"],
    ]
    fast, slow = _both(lambda: format_citations(VARIED, cites, style=style))
    assert fast.citations == slow.citations
    assert str(fast) == str(slow)


@pytest.mark.parametrize("locale", ["de-DE", "fr-FR", "en-GB"])
def test_cached_locales_identical(locale: str) -> None:
    fast, slow = _both(
        lambda: format_bibliography(VARIED, style="chicago-author-date", locale=locale)
    )
    assert _outcome(fast) == _outcome(slow)


@pytest.mark.corpus
def test_cached_identical_on_corpus(corpora_dir: Path) -> None:
    records: list[dict[str, Any]] = []
    for path in sorted((corpora_dir / "csl-json").rglob("*.json")):
        try:
            lib = citekit.read(path, format="csl-json")
        except citekit.CitekitError:
            continue
        records.extend(  # a few from every file: variety, not volume (1k/2k: format_identity)
            dict(r, id=f"{len(records) + i}-{r.get('id')}") for i, r in enumerate(lib.records[:8])
        )
    assert len(records) > 100
    for style in ("apa", "modern-language-association", "nlm-citation-sequence"):
        fast, slow = _both(lambda style=style: format_bibliography(records, style=style))
        assert _outcome(fast) == _outcome(slow), style


def test_fast_item_matches_citation_item() -> None:
    source = BibliographySource()
    for index, record in enumerate(VARIED):
        source.add(to_reference(record, f"k{index}"))
    style = engine.load_style(citekit.styles.resolve("ieee").path)
    numbers = []
    for item_class in (speed.FastItem, CitationItem):
        bib = CitationStylesBibliography(style, source, FORMATTER)
        items = [item_class(f"k{i}") for i in reversed(range(len(VARIED)))]
        bib.register(Citation(items))
        numbers.append([(item.number, item.reference.key) for item in items])
        bib.register(Citation([item_class("k0"), item_class("k99")]))  # no new keys
        numbers.append([item.number for item in items])
        bib.sort()  # a new keys list: numbers follow it
        numbers.append([item.number for item in items])
    assert numbers[:3] == numbers[3:]
    with pytest.raises(ValueError, match="not in list"):
        _orphan_number(source, style)


def _orphan_number(source: BibliographySource, style: Any) -> int:
    bib = CitationStylesBibliography(style, source, FORMATTER)
    item = speed.FastItem("k1")
    Citation([item]).bibliography = bib
    return int(item.number)


def _parallel_records() -> list[dict[str, Any]]:
    records = [dict(VARIED[3], id=f"r{i}", title=f"Title {i}") for i in range(12)]
    return records + VARIED


def test_forked_jobs_identical(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run, "PARALLEL_MIN", 2)
    records = _parallel_records()
    for style in ("apa", "ieee"):
        serial = format_bibliography(records, style=style)
        assert run._can_fork()
        for jobs in (2, 3):
            parallel = format_bibliography(records, style=style, jobs=jobs)
            assert _outcome(parallel) == _outcome(serial)
            assert parallel.entries == serial.entries


def test_spawned_jobs_identical(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run, "PARALLEL_MIN", 2)
    monkeypatch.setattr(run, "_can_fork", lambda: False)
    records = _parallel_records()
    serial = format_bibliography(records, style="apa")
    parallel = format_bibliography(records, style="apa", jobs=2)
    assert parallel.entries == serial.entries


def test_dead_child_is_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    def die(*args: object) -> None:
        os._exit(3)

    monkeypatch.setattr(run, "PARALLEL_MIN", 2)
    monkeypatch.setattr(run, "_forked_child", die)
    records = _parallel_records()
    serial = format_bibliography(records, style="apa")
    parallel = format_bibliography(records, style="apa", jobs=2)
    assert parallel.entries == serial.entries


def test_uncached_fixture_really_disables_caches(uncached: None) -> None:
    style = engine.load_style(citekit.styles.resolve("apa").path)
    assert not isinstance(style.root, speed.Cached)
    assert not style._elements
