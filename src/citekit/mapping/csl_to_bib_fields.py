"""Field writers of the CSL → ``.bib`` mapping: eprints, custom fields, macros, months, roles."""

from __future__ import annotations

import re
from typing import Any

from citekit.mapping.bib_entry import BibEntry, EntryBuilder
from citekit.mapping.bib_profiles import BibProfile
from citekit.mapping.bib_values import (
    format_names,
)
from citekit.mapping.csl_to_bib_tables import (
    FIELD_ALIASES,
)

__all__ = [
    "DATE_GROUP",
    "apply_macros",
    "free_target",
    "month_expression",
    "restore_custom",
    "write_eprint",
    "write_month_date",
    "write_roles",
    "write_undefined_macros",
]


def write_eprint(b: EntryBuilder, arxiv: str, bib: dict[str, Any], profile: BibProfile) -> None:
    """Write an arXiv id as ``eprint`` with this dialect's type and class fields."""
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


def restore_custom(
    b: EntryBuilder, bib: dict[str, Any], profile: BibProfile, *, arxiv_written: bool
) -> None:
    """Write back the unmapped fields kept in ``custom["bibtex"]["fields"]``."""
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


def apply_macros(entry: BibEntry, bib: dict[str, Any]) -> None:
    """Put the ``@string`` expressions the reader kept back in place of their values."""
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


def free_target(name: str, custom_fields: dict[str, str]) -> str | None:
    """``name``, or a free alias when a custom field of that name will be restored."""
    if name not in custom_fields:
        return name
    for alias in sorted(FIELD_ALIASES.get(name, ())):
        if alias not in custom_fields:
            return alias
    return None


def write_undefined_macros(
    b: EntryBuilder, bib: dict[str, Any], custom_fields: dict[str, str]
) -> None:
    """Write macro references whose field has no value.

    Such a macro is defined elsewhere: in another ``.bib`` file, or in the ``.bst`` style
    (plain's ``toplas``).
    """
    for name, raw in (bib.get("macros") or {}).items():
        lowered = str(name).lower()
        if b.has(lowered) or lowered in custom_fields:
            continue
        if lowered in DATE_GROUP and any(b.has(name) for name in DATE_GROUP):
            continue  # the date was written (as ``date``): the expression is in it
        if any(b.has(alias) for alias in FIELD_ALIASES.get(lowered, ())):
            continue
        b.add(str(name), str(raw), raw=True)
        b.note("custom", f"custom.bibtex.macros.{name}", str(name), "macro reference kept")


_MONTH_ATOM = r'(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|"[^"]*"|\{[^{}]*\}|\d+)'


_MONTH_EXPRESSION = re.compile(rf"^\s*{_MONTH_ATOM}(?:\s*#\s*{_MONTH_ATOM})*\s*$", re.IGNORECASE)


DATE_GROUP = frozenset({"year", "month", "day", "date"})


def month_expression(bib: dict[str, Any], profile: BibProfile) -> str | None:
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


def write_month_date(b: EntryBuilder, record: dict[str, Any], bib: dict[str, Any]) -> None:
    """Write ``year`` and the original ``month`` expression (see :func:`month_expression`)."""
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


def write_roles(
    b: EntryBuilder,
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
