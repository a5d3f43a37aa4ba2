"""CSL-JSON record → BibTeX/BibLaTeX entry (type, key, encoded fields), driven by the tables.

The engine runs :mod:`citekit.mapping.csl_to_bib_tables` for one profile: it picks the entry
type (restoring the original one from ``custom["bibtex"]["type"]`` when it maps to the same
CSL type), applies the first matching field rule of each variable, writes dates and names per
profile, restores arXiv eprint fields and the unmapped fields kept in
``custom["bibtex"]["fields"]``, and notes everything in an :class:`EntryReport`. Example::

    entry = record_to_entry(record, PROFILES["bibtex"], key="smith2020")
    entry.type, [(f.name, f.value) for f in entry.fields]
    # ('article', [('author', 'Smith, John'), ('title', 'On {DNA}'), ('year', '2020')])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from citekit.mapping.bib_profiles import BibProfile
from citekit.mapping.bib_values import ARXIV_ID, date_fields, edition_value, format_names
from citekit.mapping.csl_to_bib_tables import (
    BIBLATEX_FIELDS,
    BIBLATEX_TYPE_NAMES,
    BIBTEX_FIELDS,
    BIBTEX_TYPE_NAMES,
    CSL_TO_BIBLATEX_TYPES,
    CSL_TO_BIBTEX_TYPES,
    DEFAULT_GENRES,
    FIELD_ALIASES,
    GENRE_KEYS,
    FieldRule,
)
from citekit.mapping.encoding import LatexEncoder
from citekit.mapping.report import EntryReport

__all__ = [
    "CSL_TO_BIBLATEX_TYPES",
    "CSL_TO_BIBTEX_TYPES",
    "BibEntry",
    "BibField",
    "entry_type",
    "record_to_entry",
]

_SKIP = frozenset({"id", "type", "custom", "citation-key"})
_ARXIV_URL = ("https://arxiv.org/abs/", "http://arxiv.org/abs/")
_ARXIV_DOI = "10.48550/arxiv."


@dataclass(slots=True)
class BibField:
    """One field of an entry: its name and its value, already encoded.

    ``raw`` values (``@string`` references, ``jan``, ``a # " b"``) are written without braces.
    """

    name: str
    value: str
    raw: bool = False


@dataclass(slots=True)
class BibEntry:
    """One ``@type{key, ...}`` block, ready to serialise."""

    type: str
    key: str
    fields: list[BibField] = field(default_factory=list)

    def get(self, name: str) -> BibField | None:
        """The field called ``name`` (case-insensitive), if written."""
        lowered = name.lower()
        for item in self.fields:
            if item.name.lower() == lowered:
                return item
        return None


def _bib_custom(record: dict[str, Any]) -> dict[str, Any]:
    custom = record.get("custom")
    bib = custom.get("bibtex") if isinstance(custom, dict) else None
    return bib if isinstance(bib, dict) else {}


def entry_type(record: dict[str, Any], profile: BibProfile) -> tuple[str, str | None, bool]:
    """The entry type to write, a note when it is a guess, and whether it is exact.

    The original type is restored when the tables accept it for the record's CSL type (an
    ``@inbook`` read as ``chapter`` is written ``@inbook`` again), or when it is a type no
    table knows (a user's own type such as ``@thesisproposal``).
    """
    table = CSL_TO_BIBLATEX_TYPES if profile.dialect == "biblatex" else CSL_TO_BIBTEX_TYPES
    names = BIBLATEX_TYPE_NAMES if profile.dialect == "biblatex" else BIBTEX_TYPE_NAMES
    csl_type = str(record.get("type", "document"))
    rule = table.get(csl_type, table["document"])
    original = str(_bib_custom(record).get("type") or "").lower()
    if original:
        if original in names and (original == rule.primary or original in rule.accepts):
            return original, None, True
        if original not in BIBLATEX_TYPE_NAMES and original not in BIBTEX_TYPE_NAMES:
            return original, None, True
    genre = str(record.get("genre", "")).lower()
    if csl_type == "thesis" and (profile.dialect == "bibtex" or not genre):
        return ("mastersthesis" if "master" in genre else "phdthesis"), None, True
    if csl_type == "report" and profile.dialect == "biblatex" and not genre:
        return "techreport", None, True  # @report needs a type; @techreport implies one
    if not rule.exact:
        return rule.primary, f"CSL type {csl_type!r} has no {profile.dialect} equivalent", False
    return rule.primary, None, True


def _arxiv_id(record: dict[str, Any], bib: dict[str, Any]) -> str | None:
    fields = bib.get("fields") or {}
    for name in ("eprint",):
        if isinstance(fields.get(name), str) and fields[name].strip():
            return None  # written back verbatim from custom
    number = str(record.get("number", "")).strip()
    if number.lower().startswith("arxiv:"):
        number = number[6:]
    if record.get("type") == "article" and ARXIV_ID.match(number):
        return number
    url = str(record.get("URL", ""))
    for prefix in _ARXIV_URL:
        if url.startswith(prefix) and ARXIV_ID.match(url[len(prefix) :]):
            return url[len(prefix) :]
    doi = str(record.get("DOI", ""))
    if doi.lower().startswith(_ARXIV_DOI) and ARXIV_ID.match(doi[len(_ARXIV_DOI) :]):
        return doi[len(_ARXIV_DOI) :]
    return None


def _value(rule: FieldRule, value: Any, enc: LatexEncoder) -> str:
    text = value if isinstance(value, str) else str(value)
    if rule.kind == "verbatim":
        return enc.verbatim(text)
    if rule.kind == "pages":
        return enc.pages(text)
    return enc.text(text, markup=rule.kind == "text")


class _Builder:
    """Accumulates the fields of one entry and the notes about them."""

    def __init__(self, entry: BibEntry, report: EntryReport | None, enc: LatexEncoder) -> None:
        self.entry, self.report, self.enc = entry, report, enc
        self.names: set[str] = set()

    def has(self, name: str) -> bool:
        return name.lower() in self.names

    def add(self, name: str, value: str, raw: bool = False) -> None:
        self.entry.fields.append(BibField(name, value, raw))
        self.names.add(name.lower())

    def note(self, kind: Any, source: str, target: str | None = None, detail: str = "") -> None:
        if self.report is not None:
            self.report.add(kind, source, target, detail)


def _names(b: _Builder, rule: FieldRule, record: dict[str, Any], profile: BibProfile) -> None:
    value = record[rule.csl]
    if not isinstance(value, list):
        return
    et_al_vars = (record.get("custom") or {}).get("et-al") or []
    et_al = isinstance(et_al_vars, list) and rule.csl in et_al_vars
    text, notes = format_names(value, profile, b.enc, et_al=et_al)
    b.add(rule.bib, text)
    b.note("mapped", rule.csl, rule.bib)
    for note in notes:
        b.note("guessed", rule.csl, rule.bib, note)


def _date(b: _Builder, rule: FieldRule, record: dict[str, Any], profile: BibProfile) -> None:
    value = record[rule.csl]
    if not isinstance(value, dict):
        return
    triples, note = date_fields(value, rule.bib, profile, b.enc)
    if not triples:
        b.note("lost", rule.csl, None, note or "empty date")
        return
    for name, text, raw in triples:
        if not b.has(name):
            b.add(name, text, raw)
    b.note("mapped", rule.csl, ",".join(t[0] for t in triples))
    if note:
        b.note("guessed", rule.csl, rule.bib, note)


def record_to_entry(
    record: dict[str, Any],
    profile: BibProfile,
    *,
    key: str,
    enc: LatexEncoder,
    report: EntryReport | None = None,
    keep_macros: bool = False,
) -> BibEntry:
    """Map one CSL record to a ``.bib`` entry for ``profile``.

    Args:
        record: A normalised CSL-JSON record.
        profile: The output profile.
        key: The citation key to write.
        enc: The LaTeX encoder (the writer passes :mod:`citekit.syntax.unicode_to_latex`).
        report: Filled with what was mapped, restored, guessed and lost.
        keep_macros: Write ``custom["bibtex"]["macros"]`` expressions instead of values.

    Returns:
        The entry with encoded field values.
    """
    bib_type, type_note, _exact = entry_type(record, profile)
    entry = BibEntry(bib_type, key)
    b = _Builder(entry, report, enc)
    if type_note:
        b.note("lost", "type", bib_type, type_note)
    bib = _bib_custom(record)
    csl_type = str(record.get("type", "document"))
    rules = BIBLATEX_FIELDS if profile.dialect == "biblatex" else BIBTEX_FIELDS
    used: set[str] = set()
    for variable in bib.get("guessed") or ():
        if variable in record and variable != "type":
            used.add(variable)
            b.note("guessed", variable, None, "derived by the reader; left for it to derive again")
    arxiv = _arxiv_id(record, bib)
    fields = {str(k).lower(): str(v) for k, v in (bib.get("fields") or {}).items()}
    number = str(record.get("number", "")).strip()
    if number and number.removeprefix("arXiv:") in (arxiv, fields.get("eprint")):
        used.add("number")
        b.note("mapped", "number", "eprint", "arXiv identifier")
    for rule in rules:
        if rule.csl in used or rule.csl not in record:
            continue
        if rule.csl_types is not None and csl_type not in rule.csl_types:
            continue
        if rule.unless and rule.unless in record:
            continue
        if b.has(rule.bib) or rule.bib in profile.drop_fields:
            continue
        value = record[rule.csl]
        if rule.kind == "names":
            _names(b, rule, record, profile)
        elif rule.kind == "date":
            _date(b, rule, record, profile)
        elif rule.kind == "edition":
            text, word = edition_value(value, profile, enc)
            b.add(rule.bib, text)
            b.note(
                "guessed" if word else "mapped", rule.csl, rule.bib, "ordinal word" if word else ""
            )
        elif rule.csl == "genre" and str(value).lower() in DEFAULT_GENRES.get(bib_type, ()):
            b.note("mapped", "genre", "@" + bib_type, "implied by the entry type")
        elif rule.csl == "genre" and profile.dialect == "biblatex" and bib_type == "thesis":
            b.add(rule.bib, GENRE_KEYS.get(str(value).lower()) or _value(rule, value, enc))
            b.note("mapped", rule.csl, rule.bib)
        else:
            b.add(rule.bib, _value(rule, value, enc))
            b.note("mapped", rule.csl, rule.bib)
        used.add(rule.csl)
    if arxiv is not None:
        _eprint(b, arxiv, bib, profile)
    _restore_custom(b, bib, profile, arxiv_written=arxiv is not None)
    if keep_macros:
        _apply_macros(entry, bib)
    for variable in record:
        if variable not in used and variable not in _SKIP and variable != "categories":
            b.note("lost", variable, None, f"no {profile.dialect} field for this variable")
    if record.get("categories"):
        b.note("lost", "categories", None, "CSL categories have no .bib field")
    for namespace in record.get("custom") or {}:
        if namespace not in ("bibtex", "et-al"):
            b.note("lost", f"custom.{namespace}", None, "not representable in .bib")
    return entry


def _eprint(b: _Builder, arxiv: str, bib: dict[str, Any], profile: BibProfile) -> None:
    fields = {str(k).lower(): v for k, v in (bib.get("fields") or {}).items()}
    b.add("eprint", arxiv)
    if profile.dialect == "biblatex":
        b.add("eprinttype", "arxiv")
        cls = fields.get("eprintclass") or fields.get("primaryclass")
        if cls and not b.has("eprintclass"):
            b.add("eprintclass", str(cls))
    else:
        b.add("archivePrefix", "arXiv")
        cls = fields.get("primaryclass") or fields.get("eprintclass")
        if cls and not b.has("primaryClass"):
            b.add("primaryClass", str(cls))
    b.note("mapped", "number/URL", "eprint", "arXiv identifier")


def _restore_custom(
    b: _Builder, bib: dict[str, Any], profile: BibProfile, *, arxiv_written: bool
) -> None:
    if not profile.keep_custom_fields:
        return
    eprint_names = {"primaryclass", "eprintclass", "archiveprefix", "eprinttype"}
    for name, value in (bib.get("fields") or {}).items():
        lowered = str(name).lower()
        if lowered in eprint_names and arxiv_written:
            b.note("custom", f"custom.bibtex.{name}", "eprint", "arXiv fields of this dialect")
            continue
        if b.has(lowered) or any(b.has(alias) for alias in FIELD_ALIASES.get(lowered, ())):
            b.note("lost", f"custom.bibtex.{name}", None, "a mapped field took its place")
            continue
        b.add(str(name), b.enc.balance(str(value)))
        b.note("custom", f"custom.bibtex.{name}", str(name))


def _apply_macros(entry: BibEntry, bib: dict[str, Any]) -> None:
    macros = {str(k).lower(): str(v) for k, v in (bib.get("macros") or {}).items()}
    if not macros:
        return
    for item in entry.fields:
        lowered = item.name.lower()
        names = (lowered, *FIELD_ALIASES.get(lowered, ()))
        for name in names:
            if name in macros:
                item.value, item.raw = macros[name], True
                break
