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

import re
from dataclasses import dataclass, field, replace
from typing import Any

from citekit.mapping.bib_inherited import drop_inherited, split_subtitle
from citekit.mapping.bib_profiles import BibProfile
from citekit.mapping.bib_tables import BIB_TYPES, ENTRYSUBTYPES, THESIS_GENRES
from citekit.mapping.bib_values import (
    ARXIV_ID,
    date_fields,
    edition_value,
    format_names,
)
from citekit.mapping.csl_carrier import (
    CUSTOM_FIELD,
    TYPE_FIELD,
    UNCARRIED_NAMESPACES,
    carrier_field,
    carrier_names,
    carrier_value,
    custom_json,
)
from citekit.mapping.csl_to_bib_tables import (
    BIBLATEX_FIELDS,
    BIBLATEX_TYPE_NAMES,
    BIBTEX_FIELDS,
    BIBTEX_TYPE_NAMES,
    BOOKTITLE_TYPES,
    CSL_TO_BIBLATEX_TYPES,
    CSL_TO_BIBTEX_TYPES,
    FIELD_ALIASES,
    GENRE_KEYS,
    FieldRule,
)
from citekit.mapping.encoding import LatexEncoder
from citekit.mapping.report import EntryReport
from citekit.model import to_edtf

__all__ = [
    "CSL_TO_BIBLATEX_TYPES",
    "CSL_TO_BIBTEX_TYPES",
    "BibEntry",
    "BibField",
    "entry_type",
    "record_to_entry",
]

_SKIP = frozenset({"id", "type", "custom"})
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
    csl_type = str(record.get("type", "document"))
    rule = table.get(csl_type, table["document"])
    original = str(_bib_custom(record).get("type") or "").lower()
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


def _value(
    rule: FieldRule,
    value: Any,
    enc: LatexEncoder,
    protect: bool | str = False,
    dialect: str = "bibtex",
) -> str:
    text = value if isinstance(value, str) else str(value)
    if rule.kind == "list":
        items = [text]
        if dialect == "biblatex" and (rule.bib in _LIST_FIELDS or rule.bib in _LATEX_LISTS):
            # The biblatex reader joins a literal list with "; "; the bibtex reader keeps
            # publisher/address as one text, so "; " stays (Wu:2016uk, bbt-export-hci).
            parts = text.split("; ")
            if all(part and part == part.strip() for part in parts):
                items = parts  # else one item: "Cambridge ; New York" is one place
        return " and ".join(
            _BARE_AND.sub("{and}", enc.text(item, field=rule.bib)) for item in items
        )
    if rule.kind == "verbatim":
        return enc.verbatim(text)
    if rule.kind == "pages":
        return enc.pages(text)
    if rule.kind == "text":
        return enc.text(
            text, protect_case=protect if rule.csl == "title" else False, field=rule.bib
        )
    return enc.text(text, markup=False, field=rule.bib)


class _Builder:
    """Accumulates the fields of one entry and the notes about them."""

    def __init__(self, entry: BibEntry, report: EntryReport | None, enc: LatexEncoder) -> None:
        self.entry, self.report, self.enc = entry, report, enc
        self.names: set[str] = set()
        self.custom_names: frozenset[str] = frozenset()

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
    _carry_names(b, rule.csl, value, profile, notes, et_al)
    if not profile.carry_csl:
        for note in notes:
            b.note("guessed", rule.csl, rule.bib, note)


def _carry_names(
    b: _Builder,
    variable: str,
    names: list[Any],
    profile: BibProfile,
    notes: list[str],
    et_al: bool,
) -> None:
    """Also write the exact names to ``csl-<variable>`` when the native spelling loses a part.

    BibTeX's name format has no dropping particle (``van`` of "Ludwig van Beethoven" is read
    as non-dropping), and a capitalised particle or a lone given name are approximated.
    """
    if not profile.carry_csl:
        return
    dropping = profile.dialect == "bibtex" and any(
        isinstance(n, dict) and n.get("dropping-particle") for n in names
    )
    name = carrier_field(variable)
    if not (notes or dropping) or name is None or b.has(name):
        return
    b.add(name, carrier_names(names, b.enc, et_al=et_al))
    b.note("carried", variable, name, "exact name parts (the native spelling approximates them)")


def _date(b: _Builder, rule: FieldRule, record: dict[str, Any], profile: BibProfile) -> bool:
    value = record[rule.csl]
    if not isinstance(value, dict):
        return False
    if profile.carry_csl and rule.bib not in ("date", "year") and to_edtf(value) is None:
        return False  # urldate/origdate/eventdate hold EDTF only: the carrier keeps the text
    triples, note = date_fields(value, rule.bib, profile, b.enc)
    if not triples:
        b.note("lost", rule.csl, None, note or "empty date")
        return True
    for name, text, raw in triples:
        if name in ("month", "day") and name in b.custom_names:
            continue  # the original month text ("Spring") comes back from custom
        if not b.has(name):
            b.add(name, text, raw)
    b.note("mapped", rule.csl, ",".join(t[0] for t in triples))
    if note:
        b.note("guessed", rule.csl, rule.bib, note)
    return True


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
    bib_type, type_note, _exact = entry_type(record, profile)
    entry = BibEntry(bib_type, key)
    if not _bib_custom(record):
        enc = enc.literal()  # CSL text: its braces and "--" are characters, not LaTeX
    b = _Builder(entry, report, enc)
    bib = _bib_custom(record)
    csl_type = str(record.get("type", "document"))
    rules = _rules(profile.dialect, tuple(record))
    used: set[str] = set()
    fields = {str(k).lower(): str(v) for k, v in (bib.get("fields") or {}).items()}
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
    for rule in rules:
        if rule.csl in used or rule.csl not in record:
            continue
        if rule.csl_types is not None and csl_type not in rule.csl_types:
            continue
        if rule.unless and rule.unless in record:
            continue
        if rule.csl == "issued" and "year" in fields and isinstance(record[rule.csl], dict):
            # The .bib had both year and a date; year (and month) are restored from custom,
            # the date (which the reader preferred) is written as ``date``.
            used.add(rule.csl)
            _date(b, replace(rule, bib="date"), record, replace(profile, date_form="edtf"))
            continue
        target = _target(rule.bib, fields)
        if target is None:
            # The original field of that name comes back from custom; it holds this value.
            used.add(rule.csl)
            b.note("custom", rule.csl, rule.bib, "the original field is restored from custom")
            continue
        if target == "booktitle" and bib_type not in BOOKTITLE_TYPES and bib_type not in _BOOKS:
            target = "maintitle"  # e.g. the series of a @movie, the reporter of a case
        if (
            rule.csl == "publisher"
            and profile.dialect == "bibtex"
            and bib_type in _HOWPUBLISHED
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
        if rule.kind == "names":
            _names(b, rule, record, profile)
        elif rule.kind == "date" and rule.csl == "issued" and _month_expression(bib, profile):
            _month_date(b, record, bib)
        elif rule.kind == "date":
            # A range or uncertain date: ``year``/``month`` give its start (what classic styles
            # print) and ``date`` the whole; the reader drops a year/month that repeats it.
            if not _date(b, rule, record, profile):
                continue
        elif rule.kind == "edition":
            text, word = edition_value(value, profile, enc)
            b.add(rule.bib, text)
            b.note(
                "guessed" if word else "mapped", rule.csl, rule.bib, "ordinal word" if word else ""
            )
        elif rule.csl == "genre" and not bib and _derived_genre(bib_type) == str(value):
            b.note("mapped", "genre", "@" + bib_type, "implied by the entry type")
        elif rule.csl == "genre" and profile.dialect == "biblatex" and bib_type == "thesis":
            # The bibstring key only when it reads back as this very text ("Bachelor's
            # Thesis" is written as typed: ``bathesis`` reads as "Bachelor's thesis").
            genre_key = GENRE_KEYS.get(str(value).lower())
            if genre_key is not None and THESIS_GENRES.get(genre_key) != value:
                genre_key = None
            b.add(rule.bib, genre_key or _value(rule, value, enc))
            b.note("mapped", rule.csl, rule.bib)
        else:
            # Titles read from a .bib keep the protection they had (the reader turned braces
            # into nocase spans), except TeX logos it decoded from {\TeX}; others get every
            # word with an inner capital braced.
            protect = (bool(bib) and "logos") or True if profile.protect_case else False
            b.add(rule.bib, _value(rule, value, enc, protect, profile.dialect))
            b.note("mapped", rule.csl, rule.bib)
        used.add(rule.csl)
    if arxiv is not None:
        _eprint(b, arxiv, bib, profile)
    if profile.dialect == "biblatex":
        split_subtitle(b, record, fields, enc)
    subtype = _SUBTYPES.get(csl_type)
    if subtype and bib_type == "article" and "entrysubtype" not in fields:
        b.add("entrysubtype", subtype)
        b.note("mapped", "type", "entrysubtype")
    _roles(b, record, used, profile, fields)
    _restore_custom(b, bib, profile, arxiv_written=arxiv is not None)
    drop_inherited(b, bib, written_keys, record)
    if keep_macros:
        _apply_macros(entry, bib)
    _undefined_macros(b, bib, fields)
    carried_type = _carry_type(b, record, bib, fields, profile, arxiv is not None)
    if type_note and not carried_type and _reads_back(b) != csl_type:
        b.note("lost", "type", bib_type, type_note)
    if profile.carry_csl:
        _carry_variables(b, record, used, fields, profile)
    for variable in record:
        if variable not in used and variable not in _SKIP and variable != "categories":
            b.note("lost", variable, None, f"no {profile.dialect} field for this variable")
    if record.get("categories") and "categories" not in used:
        b.note("lost", "categories", None, "CSL categories have no .bib field")
    if not b.has(CUSTOM_FIELD):
        for namespace in record.get("custom") or {}:
            if namespace not in UNCARRIED_NAMESPACES:
                b.note("lost", f"custom.{namespace}", None, "not representable in .bib")
    return entry


def _bare_eprint(value: str | None) -> str | None:
    text = (value or "").strip()
    return text[6:] if text.lower().startswith("arxiv:") else text


def _derived_genre(bib_type: str) -> str | None:
    """The genre the reader derives from ``bib_type`` alone (``PhD thesis``), if any."""
    rule = BIB_TYPES.get(bib_type)
    return rule.genre if rule else None


def _reads_back(b: _Builder) -> str:
    """The CSL type the reader gives the entry as written so far (type + ``entrysubtype``)."""
    rule = BIB_TYPES.get(b.entry.type)
    csl = rule.csl if rule else "document"
    subtype = b.entry.get("entrysubtype")
    if subtype is not None:
        csl = ENTRYSUBTYPES.get((b.entry.type, subtype.value.strip().lower()), csl)
    return csl


def _carry_type(
    b: _Builder,
    record: dict[str, Any],
    bib: dict[str, Any],
    fields: dict[str, str],
    profile: BibProfile,
    arxiv_written: bool,
) -> bool:
    """Write the exact CSL type when the entry type is only the nearest one.

    ``entrysubtype`` (biblatex's finer-grained type; ignored by the classic styles) holds
    it unless the user's own ``entrysubtype`` is restored, then ``csl-type``. Types the reader
    derives again (an arXiv ``@misc`` is an ``article``) are left alone. A thesis without a
    genre gets it too: the reader then derives no genre from ``@phdthesis``.
    """
    csl_type = str(record.get("type", "document"))
    derived_genre = _derived_genre(b.entry.type) and "genre" not in record
    if not profile.carry_csl or (_reads_back(b) == csl_type and not derived_genre):
        return False
    if "type" in (bib.get("guessed") or ()) or (arxiv_written and csl_type == "article"):
        return False
    target = TYPE_FIELD if "entrysubtype" in fields or b.has("entrysubtype") else "entrysubtype"
    if b.has(target):
        return False
    b.add(target, csl_type)
    b.note("carried", "type", target, f"no {profile.dialect} entry type for {csl_type!r}")
    return True


def _carry_variables(
    b: _Builder,
    record: dict[str, Any],
    used: set[str],
    fields: dict[str, str],
    profile: BibProfile,
) -> None:
    """Variables no rule wrote → ``csl-<variable>``; other ``custom`` namespaces → JSON."""
    et_al_vars = (record.get("custom") or {}).get("et-al") or []
    for variable, value in record.items():
        if variable in used or variable in _SKIP:
            continue
        name = carrier_field(variable)
        if name is None or b.has(name) or name in fields:
            continue
        text = carrier_value(variable, value, b.enc, et_al=variable in et_al_vars)
        if text is None:
            continue
        b.add(name, text)
        used.add(variable)
        b.note("carried", variable, name, f"no {profile.dialect} field for this variable")
    custom = record.get("custom")
    if isinstance(custom, dict) and not b.has(CUSTOM_FIELD) and CUSTOM_FIELD not in fields:
        text = custom_json(custom)
        if text is not None:
            b.add(CUSTOM_FIELD, text)
            for namespace in custom:
                if namespace not in UNCARRIED_NAMESPACES:
                    b.note("carried", f"custom.{namespace}", CUSTOM_FIELD, "as JSON")


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
        if b.has(lowered):
            same = any(f.value == str(value) for f in b.entry.fields if f.name.lower() == lowered)
            if same:
                b.note("custom", f"custom.bibtex.{name}", str(name), "same as the mapped value")
            else:
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


_HOWPUBLISHED = frozenset({"misc", "booklet"})


def _index(rules: tuple[FieldRule, ...]) -> dict[str, list[tuple[int, FieldRule]]]:
    out: dict[str, list[tuple[int, FieldRule]]] = {}
    for position, rule in enumerate(rules):
        out.setdefault(rule.csl, []).append((position, rule))
    return out


_RULE_INDEX = {"bibtex": _index(BIBTEX_FIELDS), "biblatex": _index(BIBLATEX_FIELDS)}
"""Rules by CSL variable, with their table position (only a record's variables are tried)."""
_RULES_CACHE: dict[tuple[str, tuple[str, ...]], list[FieldRule]] = {}


def _rules(dialect: str, variables: tuple[str, ...]) -> list[FieldRule]:
    """The rules for a record with ``variables``, in table order (cached: records share them)."""
    key = (dialect, variables)
    rules = _RULES_CACHE.get(key)
    if rules is None:
        index = _RULE_INDEX[dialect]
        rules = [rule for _, rule in sorted(p for v in variables if v in index for p in index[v])]
        if len(_RULES_CACHE) >= 4096:
            _RULES_CACHE.clear()
        _RULES_CACHE[key] = rules
    return rules


_BOOKS = frozenset(
    {"book", "mvbook", "collection", "mvcollection", "proceedings", "mvproceedings",
     "reference", "mvreference", "commentary"}
)  # fmt: skip
_LIST_FIELDS = frozenset({"publisher", "location", "venue"})
_LATEX_LISTS = frozenset({"institution", "school", "organization"})
_MONTH_ATOM = r'(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|"[^"]*"|\{[^{}]*\}|\d+)'
_MONTH_EXPRESSION = re.compile(rf"^\s*{_MONTH_ATOM}(?:\s*#\s*{_MONTH_ATOM})*\s*$", re.IGNORECASE)
_SUBTYPES = {"article-newspaper": "newspaper", "article-magazine": "magazine"}
_DATE_GROUP = frozenset({"year", "month", "day", "date"})
_BARE_AND = re.compile(r"(?<=\s)and(?=\s)")


def _target(name: str, custom_fields: dict[str, str]) -> str | None:
    """``name``, or a free alias when a custom field of that name will be restored."""
    if name not in custom_fields:
        return name
    for alias in sorted(FIELD_ALIASES.get(name, ())):
        if alias not in custom_fields:
            return alias
    return None


def _undefined_macros(b: _Builder, bib: dict[str, Any], custom_fields: dict[str, str]) -> None:
    """Write macro references whose field has no value.

    Such a macro is defined elsewhere: in another ``.bib`` file, or in the ``.bst`` style
    (plain's ``toplas``).
    """
    for name, raw in (bib.get("macros") or {}).items():
        lowered = str(name).lower()
        if b.has(lowered) or lowered in custom_fields:
            continue
        if lowered in _DATE_GROUP and any(b.has(name) for name in _DATE_GROUP):
            continue  # the date was written (as ``date``): the expression is in it
        if any(b.has(alias) for alias in FIELD_ALIASES.get(lowered, ())):
            continue
        b.add(str(name), str(raw), raw=True)
        b.note("custom", f"custom.bibtex.macros.{name}", str(name), "macro reference kept")


def _month_expression(bib: dict[str, Any], profile: BibProfile) -> str | None:
    """The original ``month`` expression when it only uses the predefined month macros.

    ``month = sep # "~18,"`` or ``jul # "/" # aug`` is what the classic styles print; the
    reader turned it into a day or a range, and writing it back as written keeps both.
    """
    if profile.date_form != "year-month" or "month" in (bib.get("fields") or {}):
        return None  # a month the reader kept aside (a date field gave the date) is restored
    raw = (bib.get("macros") or {}).get("month")
    if not isinstance(raw, str) or "#" not in raw or not _MONTH_EXPRESSION.match(raw):
        return None
    return raw


def _month_date(b: _Builder, record: dict[str, Any], bib: dict[str, Any]) -> None:
    value = record["issued"]
    parts = value.get("date-parts") if isinstance(value, dict) else None
    if not parts or not parts[0]:
        return
    b.add("year", str(parts[0][0]))
    b.add("month", str(bib["macros"]["month"]), raw=True)
    b.note("mapped", "issued", "year,month", "month expression kept as written")


_ROLES = {
    "compiler": "compiler",
    "director": "director",
    "organizer": "organizer",
    "chair": "chair",
    "contributor": "collaborator",
    "producer": "producer",
    "curator": "curator",
}
"""CSL name variables → BibLaTeX ``editortype`` values (the reader's ``EDITOR_ROLES`` reversed)."""
_ROLE_SLOTS = (("editor", "editortype"), ("editora", "editoratype"), ("editorb", "editorbtype"),
               ("editorc", "editorctype"))  # fmt: skip


def _roles(
    b: _Builder,
    record: dict[str, Any],
    used: set[str],
    profile: BibProfile,
    fields: dict[str, str],
) -> None:
    """Other contributors as BibLaTeX ``editor``/``editora``… with an ``editortype``."""
    if record.keys().isdisjoint(_ROLES):
        return
    # The classic styles print ``editor`` as editors, so BibTeX output skips that slot.
    slots = [s for s in _ROLE_SLOTS if not b.has(s[0])]
    if profile.dialect == "bibtex" and "editortype" not in fields:
        slots = [s for s in slots if s[0] != "editor"]
    for variable, role in _ROLES.items():
        names = record.get(variable)
        if variable in used or not isinstance(names, list) or not names:
            continue
        if not slots:
            return
        # The slot the source used (its ``editoratype`` kept in custom) before the first free.
        slot = next((s for s in slots if fields.get(s[1], "").lower() == role), slots[0])
        slots.remove(slot)
        name_field, type_field = slot
        text, notes = format_names(names, profile, b.enc)
        b.add(name_field, text)
        b.add(type_field, role)
        used.add(variable)
        b.note("mapped", variable, f"{name_field}+{type_field}")
        for note in notes:
            b.note("guessed", variable, name_field, note)
