"""Round trips (bib → CSL-JSON → bib, CSL-JSON → bib → CSL-JSON) and their semantic diff.

The diff compares CSL records by meaning, not by bytes: names part by part, dates as EDTF,
page ranges with any dash, text with Unicode NFC, collapsed white space and canonical markup,
and the unmapped ``.bib`` fields kept in ``custom["bibtex"]["fields"]``. An empty diff means
nothing was lost. Example::

    result = roundtrip_text(open("refs.bib").read(), format="bibtex")
    result.lossless          # True
    print(result.format_text())
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

from citekit.errors import Diagnostics
from citekit.model import DATE_VARIABLES, NAME_VARIABLES, Library, Record, to_edtf
from citekit.registry import get_format, load_reader, load_writer

__all__ = ["FieldDiff", "RoundtripResult", "roundtrip_library", "roundtrip_text", "semantic_diff"]

DiffKind = Literal["lost", "added", "changed"]
_SPACE = re.compile(r"\s+")
_DASH = re.compile(r"\s*(?:--|[-\u2010-\u2015\u2212])\s*")
_EMPTY_TAGS = re.compile(r"<(i|b|sup|sub)></\1>|<span class=\"nocase\"></span>")
_ADJACENT = re.compile(r"</(i|b|sup|sub)><\1>")
_IGNORED = frozenset({"id", "custom"})
_PROTECTED_WORD = re.compile(r'<span class="nocase">([^\W_]+)</span>')


def _unprotect(match: re.Match[str]) -> str:
    # A word with an inner capital ("LaTeX", "DNA") keeps its case in every CSL processor
    # anyway; the BibTeX writer braces such words for the classic styles, which is no change.
    word = match.group(1)
    return word if any(c.isupper() for c in word[1:]) else match.group()


@dataclass(frozen=True, slots=True)
class FieldDiff:
    """One difference between a record before and after the round trip."""

    key: str
    variable: str
    kind: DiffKind
    before: Any = None
    after: Any = None

    def __str__(self) -> str:
        if self.kind == "lost":
            return f"{self.key}: {self.variable} lost (was {self.before!r})"
        if self.kind == "added":
            return f"{self.key}: {self.variable} added ({self.after!r})"
        return f"{self.key}: {self.variable} changed {self.before!r} → {self.after!r}"

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "key": self.key,
            "variable": self.variable,
            "kind": self.kind,
            "before": self.before,
            "after": self.after,
        }


@dataclass(slots=True)
class RoundtripResult:
    """The outcome of one round trip: the texts produced and the semantic differences."""

    source_format: str
    via: str
    records: int
    diffs: list[FieldDiff] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    """Ids of records that did not come back at all."""
    intermediate: str = ""
    """The text in the ``via`` format."""
    final: str = ""
    """The text back in the source format."""
    diagnostics: list[Any] = field(default_factory=list)

    @property
    def lossless(self) -> bool:
        """``True`` when every record came back with the same meaning."""
        return not self.diffs and not self.missing

    def counts(self) -> dict[str, int]:
        """Differences per ``kind:variable`` (e.g. ``lost:archive``)."""
        return dict(Counter(f"{d.kind}:{d.variable}" for d in self.diffs))

    def format_text(self) -> str:
        """The diff for humans: one line per difference, then a summary line."""
        lines = [f"{key}: record lost" for key in self.missing]
        lines += [str(diff) for diff in self.diffs]
        changed = len({d.key for d in self.diffs})
        lines.append(
            f"{self.source_format} → {self.via} → {self.source_format}: {self.records} records, "
            f"{changed + len(self.missing)} with differences, {len(self.diffs)} field differences"
        )
        return "\n".join(lines) + "\n"

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "source_format": self.source_format,
            "via": self.via,
            "records": self.records,
            "lossless": self.lossless,
            "missing": self.missing,
            "diffs": [d.to_json() for d in self.diffs],
        }


def _text(value: Any) -> str:
    text = unicodedata.normalize("NFC", str(value)).replace("\u00a0", " ")
    text = _SPACE.sub(" ", text).strip()
    text = _PROTECTED_WORD.sub(_unprotect, text)
    previous = None
    while previous != text:
        previous = text
        text = _ADJACENT.sub("", _EMPTY_TAGS.sub("", text))
    return text


def _name(name: Any) -> Any:
    if not isinstance(name, dict):
        return _text(name)
    return tuple(
        sorted((k, _text(v)) for k, v in name.items() if v not in (None, "") and isinstance(v, str))
    )


def _normal(variable: str, value: Any) -> Any:
    if variable in NAME_VARIABLES and isinstance(value, list):
        return tuple(_name(n) for n in value)
    if variable in DATE_VARIABLES and isinstance(value, dict):
        edtf = to_edtf(value)
        return edtf if edtf is not None else _text(value.get("literal") or value.get("raw") or "")
    if variable == "page":
        return _DASH.sub("-", _text(value))
    return _text(value)


def _bib_fields(record: Record) -> dict[str, Any]:
    custom = record.get("custom")
    bib = custom.get("bibtex") if isinstance(custom, dict) else None
    fields = bib.get("fields") if isinstance(bib, dict) else None
    return {str(k).lower(): v for k, v in fields.items()} if isinstance(fields, dict) else {}


def _comparable(record: Record, with_custom: bool) -> dict[str, Any]:
    out = {k: _normal(k, v) for k, v in record.items() if k not in _IGNORED}
    if out.get("citation-key") == record.get("id"):
        del out["citation-key"]  # written as the entry key
    if with_custom:
        for name, value in _bib_fields(record).items():
            out[f"custom.bibtex.{name}"] = _text(value)
    else:
        # A CSL-JSON source: its own custom namespaces (markdown, extra-variables, et-al…)
        # must come back too; custom.bibtex is what the .bib reader adds on the way.
        custom = record.get("custom")
        for namespace, value in custom.items() if isinstance(custom, dict) else ():
            if namespace != "bibtex":
                out[f"custom.{namespace}"] = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return out


def semantic_diff(
    before: list[Record], after: list[Record], *, compare_custom: bool = True
) -> tuple[list[FieldDiff], list[str]]:
    """Compare two record lists by meaning; records are matched by id.

    Args:
        before: The records as first read.
        after: The records after the round trip.
        compare_custom: Compare ``custom["bibtex"]["fields"]`` (for ``.bib`` sources); when
            ``False`` (CSL-JSON sources) the other ``custom`` namespaces are compared instead.

    Returns:
        The field differences and the ids of records missing from ``after``.
    """
    # Records sharing an id (a file with a repeated key, kept by the reader with a diagnostic)
    # are matched in order, first with first: matching each with the last one read would
    # report the other entry's fields as changed although nothing was lost.
    by_id: dict[str, list[Record]] = {}
    for r in after:
        by_id.setdefault(str(r.get("id")), []).append(r)
    diffs: list[FieldDiff] = []
    missing: list[str] = []
    for record in before:
        key = str(record.get("id"))
        queue = by_id.get(key)
        other = queue.pop(0) if queue else None
        if other is None:
            missing.append(key)
            continue
        a = _comparable(record, compare_custom)
        b = _comparable(other, compare_custom)
        for variable in a:
            if variable not in b:
                diffs.append(FieldDiff(key, variable, "lost", a[variable]))
            elif a[variable] != b[variable]:
                diffs.append(FieldDiff(key, variable, "changed", a[variable], b[variable]))
        for variable in b:
            if variable not in a:
                diffs.append(FieldDiff(key, variable, "added", None, b[variable]))
    return diffs, missing


def _read(text: str, fmt: str, sink: Diagnostics, source: str) -> Library:
    library: Library = load_reader(get_format(fmt))(text, source=source, diagnostics=sink)
    return library


def _write(library: Library, fmt: str, sink: Diagnostics, **options: Any) -> str:
    text: str = load_writer(get_format(fmt))(library, diagnostics=sink, **options)
    return text


def roundtrip_library(
    library: Library, *, source_format: str, via: str | None = None, **write_options: Any
) -> RoundtripResult:
    """Send ``library`` (read from ``source_format``) through ``via`` and back, and diff.

    Args:
        library: Records as read from the source.
        source_format: ``bibtex``, ``biblatex`` or ``csl-json``.
        via: The intermediate format: ``csl-json`` for ``.bib`` sources, ``bibtex`` for
            CSL-JSON sources by default.
        **write_options: Options for the ``.bib`` writer (``profile``, ``keep_macros`` …).

    Returns:
        The semantic diff (empty when nothing is lost) and the texts produced.
    """
    source = get_format(source_format).name
    sink = Diagnostics()
    bib_source = source in ("bibtex", "biblatex")
    if via is None:
        via = "csl-json" if bib_source else "bibtex"
    via = get_format(via).name
    if bib_source:
        first = _write(library, via, sink, **(write_options if via != "csl-json" else {}))
        middle = _read(first, via, sink, "<roundtrip>")
        final = _write(middle, source, sink, **write_options)
        back = _read(final, source, sink, "<roundtrip>")
    else:
        first = _write(library, via, sink, **write_options)
        middle = _read(first, via, sink, "<roundtrip>")
        final = _write(middle, source, sink)
        back = _read(final, source, sink, "<roundtrip>")
    diffs, missing = semantic_diff(library.records, back.records, compare_custom=bib_source)
    return RoundtripResult(
        source, via, len(library.records), diffs, missing, first, final, list(sink.items)
    )


def roundtrip_text(
    text: str,
    *,
    format: str,
    via: str | None = None,
    source: str = "<string>",
    **write_options: Any,
) -> RoundtripResult:
    """Read ``text`` in ``format``, round-trip it (see :func:`roundtrip_library`) and diff."""
    sink = Diagnostics()
    library = _read(text, get_format(format).name, sink, source)
    result = roundtrip_library(library, source_format=format, via=via, **write_options)
    result.diagnostics = list(sink.items) + result.diagnostics
    return result
