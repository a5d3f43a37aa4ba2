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

from dataclasses import replace
from typing import Any

from citekit.mapping.bib_entry import BibEntry, BibField, EntryBuilder
from citekit.mapping.bib_inherited import drop_inherited, split_subtitle
from citekit.mapping.bib_profiles import BibProfile
from citekit.mapping.bib_values import (
    ARXIV_ID,
)
from citekit.mapping.csl_to_bib_carry import (
    carry_type,
    carry_variables,
    note_lost,
    type_read_back,
)
from citekit.mapping.csl_to_bib_fields import (
    apply_macros,
    free_target,
    restore_custom,
    write_eprint,
    write_roles,
    write_undefined_macros,
)
from citekit.mapping.csl_to_bib_rules import (
    BOOKS,
    HOWPUBLISHED,
    planned_loop,
    rule_plan,
    write_date,
    write_rule,
)
from citekit.mapping.csl_to_bib_tables import (
    BIBLATEX_TYPE_NAMES,
    BIBTEX_TYPE_NAMES,
    BOOKTITLE_TYPES,
    CSL_TO_BIBLATEX_TYPES,
    CSL_TO_BIBTEX_TYPES,
    applicable_rules,
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

_ARXIV_URL = ("https://arxiv.org/abs/", "http://arxiv.org/abs/")
_ARXIV_DOI = "10.48550/arxiv."


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
    return _entry_type(record, profile, _bib_custom(record))


def _entry_type(
    record: dict[str, Any], profile: BibProfile, bib: dict[str, Any]
) -> tuple[str, str | None, bool]:
    """:func:`entry_type` with the record's ``custom["bibtex"]`` already looked up."""
    table = CSL_TO_BIBLATEX_TYPES if profile.dialect == "biblatex" else CSL_TO_BIBTEX_TYPES
    csl_type = str(record.get("type", "document"))
    rule = table.get(csl_type, table["document"])
    original = str(bib.get("type") or "").lower()
    if original:
        if original == rule.primary or original in rule.accepts:
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
    if bib:
        return None  # read from a .bib: its own eprint fields (if any) come back from custom
    url, doi = record.get("URL"), record.get("DOI")
    if (
        "number" not in record
        and (type(url) is not str or not url.startswith(_ARXIV_URL))
        and (type(doi) is not str or not doi.lower().startswith(_ARXIV_DOI))
    ):
        return None  # the usual record: none of the tests of _arxiv_search can match
    return _arxiv_search(record)


def _arxiv_search(record: dict[str, Any]) -> str | None:
    """The arXiv id in ``number`` (of an article), ``URL`` or ``DOI``, if any."""
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


def record_to_entry(
    record: dict[str, Any],
    profile: BibProfile,
    *,
    key: str,
    enc: LatexEncoder,
    report: EntryReport | None = None,
    keep_macros: bool = False,
    written_keys: frozenset[str] = frozenset(),
) -> BibEntry:
    """Map one CSL record to a ``.bib`` entry for ``profile``.

    Args:
        record: A normalised CSL-JSON record.
        profile: The output profile.
        key: The citation key to write.
        enc: The LaTeX encoder (the writer passes :mod:`citekit.syntax.unicode_to_latex`).
        report: Filled with what was mapped, restored, guessed and lost.
        keep_macros: Write ``custom["bibtex"]["macros"]`` expressions instead of values.
        written_keys: Keys of the entries written with this one: fields the record inherited
            from a ``crossref`` parent among them are left out (the parent gives them back).

    Returns:
        The entry with encoded field values.
    """
    if report is None and ("custom" not in record or not _bib_custom(record)):
        return _csl_entry(record, profile, key, enc)
    bib = _bib_custom(record)
    bib_type, type_note, _exact = _entry_type(record, profile, bib)
    entry = BibEntry(bib_type, key)
    if not bib:
        enc = enc.literal()  # CSL text: its braces and "--" are characters, not LaTeX
    b = EntryBuilder(entry, report, enc)
    csl_type = str(record.get("type", "document"))
    rules = applicable_rules(profile.dialect, tuple(record), csl_type)
    used: set[str] = set()
    fields = (
        {str(k).lower(): str(v) for k, v in bib_fields.items()}
        if (bib_fields := bib.get("fields"))
        else {}
    )
    b.custom_names = frozenset(fields)
    if record.get("citation-key") == key:
        used.add("citation-key")
    if "langid" in fields or "language" in fields:
        used.add("language")  # the original field comes back from custom
    for variable in bib.get("guessed") or ():
        if variable in record and variable != "type":
            used.add(variable)
            b.note("guessed", variable, None, "derived by the reader; left for it to derive again")
    arxiv = _arxiv_id(record, bib)
    original_case = bib.get("original-case")
    number = str(record.get("number", "")).strip()
    if (
        number
        and record.get("type") == "article"  # only there does the reader derive it again
        and number.startswith("arXiv:")  # as the reader derives it; "2001.01234" stays
        and number[6:] in (arxiv, _bare_eprint(fields.get("eprint")))
    ):
        used.add("number")
        b.note("mapped", "number", "eprint", "arXiv identifier")
    if bib or report is not None:
        for rule in rules:  # only the rules for this record's variables and type (see _rules)
            if rule.csl in used:
                continue
            if rule.csl == "issued" and "year" in fields and isinstance(record[rule.csl], dict):
                # The .bib had both year and a date; year (and month) are restored from custom,
                # the date (which the reader preferred) is written as ``date``.
                used.add(rule.csl)
                write_date(b, replace(rule, bib="date"), record, replace(profile, date_form="edtf"))
                continue
            target = free_target(rule.bib, fields) if rule.bib in fields else rule.bib
            if target is None:
                # The original field of that name comes back from custom; it holds this value.
                used.add(rule.csl)
                b.note("custom", rule.csl, rule.bib, "the original field is restored from custom")
                continue
            if target == "booktitle" and bib_type not in BOOKTITLE_TYPES and bib_type not in BOOKS:
                target = "maintitle"  # e.g. the series of a @movie, the reporter of a case
            if (
                rule.csl == "publisher"
                and profile.dialect == "bibtex"
                and bib_type in HOWPUBLISHED
                and "howpublished" not in fields
            ):
                target = "howpublished"  # what the classic styles print for these types
            if target != rule.bib:
                rule = replace(rule, bib=target)
            if b.has(rule.bib) or rule.bib in profile.drop_fields:
                continue
            value = record[rule.csl]
            original = original_case.get(rule.csl) if original_case else None
            if (
                isinstance(original, str)
                and isinstance(value, str)
                and original != value
                and original.casefold() == value.casefold()
            ):
                value = original  # the reader sentence-cased it; write the title as it was
                b.note("custom", rule.csl, rule.bib, "original case restored")
            if not write_rule(b, rule, value, record, profile, bib, bib_type, enc):
                continue
            used.add(rule.csl)
    else:  # CSL text without .bib origin: the same loop, its per-rule choices planned
        planned_loop(b, record, rule_plan(rules, profile, bib_type), used, profile, bib_type, enc)
    if arxiv is not None:
        write_eprint(b, arxiv, bib, profile)
    if profile.dialect == "biblatex":
        split_subtitle(b, record, fields, enc)
    subtype = _SUBTYPES.get(csl_type)
    if subtype and bib_type == "article" and "entrysubtype" not in fields:
        b.add("entrysubtype", subtype)
        b.note("mapped", "type", "entrysubtype")
    write_roles(b, record, used, profile, fields)
    if bib:  # each of these only writes what custom["bibtex"] holds
        restore_custom(b, bib, profile, arxiv_written=arxiv is not None)
        drop_inherited(b, bib, written_keys, record)
        if keep_macros:
            apply_macros(entry, bib)
        write_undefined_macros(b, bib, fields)
    carried_type = carry_type(b, record, bib, fields, profile, arxiv is not None)
    if type_note and not carried_type and type_read_back(b) != csl_type:
        b.note("lost", "type", bib_type, type_note)
    if profile.carry_csl:
        carry_variables(b, record, used, fields, profile)
    if report is not None:
        note_lost(b, record, used, profile)
    return entry


def _csl_entry(
    record: dict[str, Any], profile: BibProfile, key: str, enc: LatexEncoder
) -> BibEntry:
    """:func:`record_to_entry` for a record without ``custom["bibtex"]`` and no report.

    The same steps with ``bib`` and ``fields`` empty (so those that only restore what they
    hold are left out), without the notes (and the type check that only makes one), and
    with the per-shape choices (entry type, rules and their plan) looked up once per shape.
    """
    bib_type, csl_type, plan = _shape(record, profile)
    entry = BibEntry(bib_type, key)
    enc = enc.literal()  # CSL text: its braces and "--" are characters, not LaTeX
    b = EntryBuilder(entry, None, enc)
    used: set[str] = set()
    if record.get("citation-key") == key:
        used.add("citation-key")
    arxiv = _arxiv_id(record, {})
    if "number" in record:
        number = str(record.get("number", "")).strip()
        if (
            number
            and record.get("type") == "article"
            and number.startswith("arXiv:")
            and number[6:] in (arxiv, _bare_eprint(None))
        ):
            used.add("number")
    planned_loop(b, record, plan, used, profile, bib_type, enc)
    if arxiv is not None:
        write_eprint(b, arxiv, {}, profile)
    # (split_subtitle needs the booktitle/booksubtitle fields of custom["bibtex"].)
    subtype = _SUBTYPES.get(csl_type)
    if subtype and bib_type == "article":
        b.add("entrysubtype", subtype)
    write_roles(b, record, used, profile, {})
    carry_type(b, record, {}, {}, profile, arxiv is not None)
    if profile.carry_csl:
        carry_variables(b, record, used, {}, profile)
    return entry


_Shape = tuple[str, str, tuple[Any, ...]]
_SHAPES: dict[tuple[Any, ...], tuple[BibProfile, _Shape]] = {}


def _shape(record: dict[str, Any], profile: BibProfile) -> _Shape:
    """Entry type, CSL type and rule plan of a record without ``custom["bibtex"]``.

    They depend only on the profile, the record's variables and its ``type`` and ``genre``
    (as text), so they are cached by those.
    """
    # The type and genre as _entry_type reads them (raw values could be equal keys yet
    # different strings: True == 1).
    csl_type = str(record.get("type", "document"))
    key = (id(profile), tuple(record), csl_type, str(record.get("genre", "")))
    cached = _SHAPES.get(key)
    if cached is not None and cached[0] is profile:
        return cached[1]
    bib_type = _entry_type(record, profile, {})[0]  # its note goes to a report only
    rules = applicable_rules(profile.dialect, tuple(record), csl_type)
    shape = (bib_type, csl_type, rule_plan(rules, profile, bib_type))
    if len(_SHAPES) >= 4096:
        _SHAPES.clear()
    _SHAPES[key] = (profile, shape)
    return shape


def _bare_eprint(value: str | None) -> str | None:
    text = (value or "").strip()
    return text[6:] if text.lower().startswith("arxiv:") else text


_SUBTYPES = {"article-newspaper": "newspaper", "article-magazine": "magazine"}
