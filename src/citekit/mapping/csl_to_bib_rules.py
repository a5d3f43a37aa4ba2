"""The per-rule field writers of the CSL → ``.bib`` mapping, and their per-shape plans.

:func:`write_rule` writes one CSL variable by its :class:`FieldRule` (text, names, dates,
editions, genres). For a record without ``custom["bibtex"]`` the choices
:func:`citekit.mapping.csl_to_bib.record_to_entry` makes per rule (target field, skipped
fields, which writer) depend only on the record's shape — its variables, CSL type and entry
type — so :func:`rule_plan` makes them once per shape and :func:`planned_loop` runs them.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from citekit.mapping.bib_entry import BibField, EntryBuilder
from citekit.mapping.bib_profiles import BibProfile
from citekit.mapping.bib_tables import THESIS_GENRES
from citekit.mapping.bib_values import date_fields, edition_value, format_names
from citekit.mapping.csl_to_bib_carry import carry_names, derived_genre
from citekit.mapping.csl_to_bib_fields import month_expression, write_month_date
from citekit.mapping.csl_to_bib_tables import BOOKTITLE_TYPES, GENRE_KEYS, FieldRule
from citekit.mapping.encoding import LatexEncoder
from citekit.model import to_edtf

__all__ = [
    "BOOKS",
    "HOWPUBLISHED",
    "planned_loop",
    "rule_plan",
    "value_text",
    "write_date",
    "write_rule",
]

HOWPUBLISHED = frozenset({"misc", "booklet"})
_SPECIAL_KINDS = frozenset({"names", "date", "edition"})
"""Rule kinds with their own writer in :func:`record_to_entry` (the others go to value_text)."""


BOOKS = frozenset(
    {"book", "mvbook", "collection", "mvcollection", "proceedings", "mvproceedings",
     "reference", "mvreference", "commentary"}
)  # fmt: skip
_LIST_FIELDS = frozenset({"publisher", "location", "venue"})
_LATEX_LISTS = frozenset({"institution", "school", "organization"})


def value_text(
    rule: FieldRule,
    value: Any,
    enc: LatexEncoder,
    protect: bool | str = False,
    dialect: str = "bibtex",
) -> str:
    """The encoded text of a ``text``/``list``/``verbatim``/``pages``/``literal`` rule's value."""
    text = value if isinstance(value, str) else str(value)
    if rule.kind == "list":
        items = [text]
        if dialect == "biblatex" and (rule.bib in _LIST_FIELDS or rule.bib in _LATEX_LISTS):
            # The biblatex reader joins a literal list with "; "; the bibtex reader keeps
            # publisher/address as one text, so "; " stays (Wu:2016uk, bbt-export-hci).
            parts = text.split("; ")
            if all(part and part == part.strip() for part in parts):
                items = parts  # else one item: "Cambridge ; New York" is one place
        if len(items) == 1:
            return _bare_and(enc.text(text, field=rule.bib))
        return " and ".join(_bare_and(enc.text(item, field=rule.bib)) for item in items)
    if rule.kind == "verbatim":
        return enc.verbatim(text)
    if rule.kind == "pages":
        return enc.pages(text)
    if rule.kind == "text":
        return enc.text(
            text, protect_case=protect if rule.csl == "title" else False, field=rule.bib
        )
    return enc.text(text, markup=False, field=rule.bib)


def write_names(
    b: EntryBuilder, rule: FieldRule, record: dict[str, Any], profile: BibProfile
) -> None:
    value = record[rule.csl]
    if not isinstance(value, list):
        return
    et_al_vars = (record.get("custom") or {}).get("et-al") or []
    et_al = isinstance(et_al_vars, list) and rule.csl in et_al_vars
    text, notes = format_names(value, profile, b.enc, et_al=et_al)
    b.add(rule.bib, text)
    b.note("mapped", rule.csl, rule.bib)
    carry_names(b, rule.csl, value, profile, notes, et_al)
    if not profile.carry_csl:
        for note in notes:
            b.note("guessed", rule.csl, rule.bib, note)


def write_date(
    b: EntryBuilder, rule: FieldRule, record: dict[str, Any], profile: BibProfile
) -> bool:
    """Write a date variable's field(s); ``False``: not a date, or left to the carrier."""
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
    if b.report is not None:
        b.note("mapped", rule.csl, ",".join(t[0] for t in triples))
    if note:
        b.note("guessed", rule.csl, rule.bib, note)
    return True


def write_rule(
    b: EntryBuilder,
    rule: FieldRule,
    value: Any,
    record: dict[str, Any],
    profile: BibProfile,
    bib: dict[str, Any],
    bib_type: str,
    enc: LatexEncoder,
) -> bool:
    """Write ``value`` by ``rule`` (its target field already chosen); ``False``: nothing to write.

    The one writer of a rule's field, for :func:`record_to_entry`'s loop and its planned loop.
    """
    kind = rule.kind
    if kind not in _SPECIAL_KINDS and rule.csl != "genre":
        # The common case (the last branch below), tested first.
        protect = (bool(bib) and "logos") or True if profile.protect_case else False
        b.add(rule.bib, value_text(rule, value, enc, protect, profile.dialect))
        b.note("mapped", rule.csl, rule.bib)
    elif kind == "names":
        write_names(b, rule, record, profile)
    elif kind == "date" and rule.csl == "issued" and bib and month_expression(bib, profile):
        write_month_date(b, record, bib)
    elif kind == "date":
        # A range or uncertain date: ``year``/``month`` give its start (what classic styles
        # print) and ``date`` the whole; the reader drops a year/month that repeats it.
        return write_date(b, rule, record, profile)
    elif kind == "edition":
        text, word = edition_value(value, profile, enc)
        b.add(rule.bib, text)
        b.note("guessed" if word else "mapped", rule.csl, rule.bib, "ordinal word" if word else "")
    elif rule.csl == "genre" and not bib and derived_genre(bib_type) == str(value):
        b.note("mapped", "genre", "@" + bib_type, "implied by the entry type")
    elif rule.csl == "genre" and profile.dialect == "biblatex" and bib_type == "thesis":
        # The bibstring key only when it reads back as this very text ("Bachelor's
        # Thesis" is written as typed: ``bathesis`` reads as "Bachelor's thesis").
        genre_key = GENRE_KEYS.get(str(value).lower())
        if genre_key is not None and THESIS_GENRES.get(genre_key) != value:
            genre_key = None
        b.add(rule.bib, genre_key or value_text(rule, value, enc))
        b.note("mapped", rule.csl, rule.bib)
    else:
        # Titles read from a .bib keep the protection they had (the reader turned braces
        # into nocase spans), except TeX logos it decoded from {\TeX}; others get every
        # word with an inner capital braced.
        protect = (bool(bib) and "logos") or True if profile.protect_case else False
        b.add(rule.bib, value_text(rule, value, enc, protect, profile.dialect))
        b.note("mapped", rule.csl, rule.bib)
    return True


_PLANS: dict[tuple[int, int, str], tuple[list[FieldRule], BibProfile, tuple[_Step, ...]]] = {}
_Step = tuple[str, str, FieldRule, int]
"""``(variable, lower-case target field, rule with that target, writer)``: the writer is
_TEXT (:func:`value_text`), _NAMES, _DATE or _OTHER (:func:`write_rule`)."""
_TEXT, _NAMES, _DATE, _OTHER = range(4)


def rule_plan(rules: list[FieldRule], profile: BibProfile, bib_type: str) -> tuple[_Step, ...]:
    """The per-rule choices of :func:`record_to_entry`'s loop, made once per record shape.

    Only for a record without ``custom["bibtex"]`` (no original fields, case or guesses). A
    target in ``profile.drop_fields`` is left out (the loop skips it without using the
    variable); ``booktitle``/``howpublished`` are chosen by the entry type alone.
    """
    key = (id(rules), id(profile), bib_type)
    cached = _PLANS.get(key)
    if cached is not None and cached[0] is rules and cached[1] is profile:
        return cached[2]
    steps: list[_Step] = []
    for rule in rules:
        target = rule.bib
        if target == "booktitle" and bib_type not in BOOKTITLE_TYPES and bib_type not in BOOKS:
            target = "maintitle"
        if rule.csl == "publisher" and profile.dialect == "bibtex" and bib_type in HOWPUBLISHED:
            target = "howpublished"
        if target in profile.drop_fields:
            continue
        if target != rule.bib:
            rule = replace(rule, bib=target)
        # The branch write_rule takes for it (without custom["bibtex"]).
        if rule.kind not in _SPECIAL_KINDS and rule.csl != "genre":
            writer = _TEXT
        elif rule.kind == "names":
            writer = _NAMES
        elif rule.kind == "date":
            writer = _DATE
        else:
            writer = _OTHER
        steps.append((rule.csl, target.lower(), rule, writer))
    if len(_PLANS) >= 4096:
        _PLANS.clear()
    _PLANS[key] = (rules, profile, plan := tuple(steps))
    return plan


def planned_loop(
    b: EntryBuilder,
    record: dict[str, Any],
    plan: tuple[_Step, ...],
    used: set[str],
    profile: BibProfile,
    bib_type: str,
    enc: LatexEncoder,
) -> None:
    """:func:`record_to_entry`'s rule loop for a record without ``custom["bibtex"]``, no report."""
    names = b.names  # the lower-case names written (EntryBuilder.has)
    append = b.entry.fields.append
    protect = bool(profile.protect_case)
    dialect = profile.dialect
    for variable, lowered, rule, writer in plan:
        if variable in used or lowered in names:
            continue
        if writer == _TEXT:  # b.add, with the lower-case name known
            value = record[variable]
            if type(value) is not str or not (value.isdigit() and value.isascii()):
                value = value_text(rule, value, enc, protect, dialect)
            # (else ASCII digits: a volume, issue, year, which every kind writes as they are)
            append(BibField(rule.bib, value))
            names.add(lowered)
        elif writer == _NAMES:
            write_names(b, rule, record, profile)
        elif writer == _DATE:
            if not write_date(b, rule, record, profile):
                continue
        elif not write_rule(b, rule, record[variable], record, profile, {}, bib_type, enc):
            continue
        used.add(variable)


_LIST_FIELDS = frozenset({"publisher", "location", "venue"})
_LATEX_LISTS = frozenset({"institution", "school", "organization"})
_BARE_AND = re.compile(r"(?<=\s)and(?=\s)")


def _bare_and(text: str) -> str:
    """``text`` with each word ``and`` braced (BibTeX would split the list there)."""
    return _BARE_AND.sub("{and}", text) if "and" in text else text
