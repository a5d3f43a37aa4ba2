"""What a ``.bib`` has no field for, written to the carrier (``entrysubtype``, ``csl-*``)."""

from __future__ import annotations

from typing import Any

from citekit.mapping.bib_entry import EntryBuilder
from citekit.mapping.bib_profiles import BibProfile
from citekit.mapping.bib_tables import BIB_TYPES, ENTRYSUBTYPES
from citekit.mapping.csl_carrier import (
    CUSTOM_FIELD,
    TYPE_FIELD,
    UNCARRIED_NAMESPACES,
    carrier_field,
    carrier_names,
    carrier_value,
    custom_json,
)

__all__ = [
    "SKIPPED_VARIABLES",
    "carry_names",
    "carry_type",
    "carry_variables",
    "derived_genre",
    "note_lost",
    "type_read_back",
]

SKIPPED_VARIABLES = frozenset({"id", "type", "custom"})


def carry_names(
    b: EntryBuilder,
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
    if not notes:  # then only a dropping particle in BibTeX output needs the carrier
        if profile.dialect != "bibtex":
            return
        for item in names:
            if isinstance(item, dict) and item.get("dropping-particle"):
                break
        else:
            return
    name = carrier_field(variable)
    if name is None or b.has(name):
        return
    b.add(name, carrier_names(names, b.enc, et_al=et_al))
    b.note("carried", variable, name, "exact name parts (the native spelling approximates them)")


def derived_genre(bib_type: str) -> str | None:
    """The genre the reader derives from ``bib_type`` alone (``PhD thesis``), if any."""
    rule = BIB_TYPES.get(bib_type)
    return rule.genre if rule else None


def type_read_back(b: EntryBuilder) -> str:
    """The CSL type the reader gives the entry as written so far (type + ``entrysubtype``)."""
    rule = BIB_TYPES.get(b.entry.type)
    csl = rule.csl if rule else "document"
    subtype = b.entry.get("entrysubtype") if b.has("entrysubtype") else None
    if subtype is not None:
        csl = ENTRYSUBTYPES.get((b.entry.type, subtype.value.strip().lower()), csl)
    return csl


def carry_type(
    b: EntryBuilder,
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
    genre_derived = derived_genre(b.entry.type) and "genre" not in record
    if not profile.carry_csl or (type_read_back(b) == csl_type and not genre_derived):
        return False
    if "type" in (bib.get("guessed") or ()) or (arxiv_written and csl_type == "article"):
        return False
    target = TYPE_FIELD if "entrysubtype" in fields or b.has("entrysubtype") else "entrysubtype"
    if b.has(target):
        return False
    b.add(target, csl_type)
    b.note("carried", "type", target, f"no {profile.dialect} entry type for {csl_type!r}")
    return True


def carry_variables(
    b: EntryBuilder,
    record: dict[str, Any],
    used: set[str],
    fields: dict[str, str],
    profile: BibProfile,
) -> None:
    """Variables no rule wrote → ``csl-<variable>``; other ``custom`` namespaces → JSON."""
    if "custom" not in record and record.keys() - used <= SKIPPED_VARIABLES:
        return  # every variable written (the common case): nothing to carry
    _carry_rest(b, record, used, fields, profile)


def _carry_rest(
    b: EntryBuilder,
    record: dict[str, Any],
    used: set[str],
    fields: dict[str, str],
    profile: BibProfile,
) -> None:
    """:func:`carry_variables` without its shortcut."""
    et_al_vars = (record.get("custom") or {}).get("et-al") or []
    for variable, value in record.items():
        if variable in used or variable in SKIPPED_VARIABLES:
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


def note_lost(b: EntryBuilder, record: dict[str, Any], used: set[str], profile: BibProfile) -> None:
    """Report the variables (and ``custom`` namespaces) the entry does not hold."""
    for variable in record:
        if variable not in used and variable not in SKIPPED_VARIABLES and variable != "categories":
            b.note("lost", variable, None, f"no {profile.dialect} field for this variable")
    if record.get("categories") and "categories" not in used:
        b.note("lost", "categories", None, "CSL categories have no .bib field")
    if not b.has(CUSTOM_FIELD):
        for namespace in record.get("custom") or {}:
            if namespace not in UNCARRIED_NAMESPACES:
                b.note("lost", f"custom.{namespace}", None, "not representable in .bib")
