r"""Output profiles for the BibTeX/BibLaTeX writers, as data.

A profile says which dialect's tables to use, which fields the target keeps, how dates and
names are written and whether the output is ASCII with LaTeX escapes or UTF-8. Example:
``PROFILES["bibtex"]`` writes ``year = {2020}, month = may`` and ``J{\\"u}rgen``;
``PROFILES["biblatex"]`` writes ``date = {2020-05}`` and the extended name format where the
classic one cannot say it.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PROFILES", "BibProfile", "get_profile"]


@dataclass(frozen=True, slots=True)
class BibProfile:
    r"""How one target flavour of ``.bib`` is written.

    Attributes:
        name: Profile name (``--profile``).
        dialect: ``"bibtex"`` or ``"biblatex"``: which type and field tables apply.
        date_form: ``"year-month"`` (``year``/``month``/``day`` fields) or ``"edtf"``
            (BibLaTeX ``date = {2020-05-03}``).
        month_macros: Write months as the predefined macros ``jan``…``dec`` (BibTeX) rather
            than numbers.
        extended_names: Use BibLaTeX's ``family=…, given=…`` form for names the classic
            ``von Last, Jr., First`` form cannot express (capitalised particles).
        ascii: Spell non-ASCII characters as LaTeX (``{\\"u}``) rather than UTF-8.
        edition_words: Write editions 1–10 as English ordinal words (``Second``), which the
            classic ``.bst`` styles expect before `` edition``.
        keep_custom_fields: Restore unmapped fields from ``custom["bibtex"]["fields"]``.
        protect_case: Brace title words with inner capitals (``{LaTeX}``, ``{DNA}``), which
            classic ``.bst`` styles would otherwise lower-case.
        drop_fields: Fields this target never writes.
        carry_csl: Keep what has no native field (the exact CSL type, CSL variables,
            other ``custom`` namespaces) in ``entrysubtype`` and ``csl-*`` carrier fields
            (:mod:`citekit.mapping.csl_carrier`), so reading the file back loses nothing.
    """

    name: str
    dialect: str
    date_form: str
    month_macros: bool
    extended_names: bool
    ascii: bool = True
    edition_words: bool = False
    keep_custom_fields: bool = True
    protect_case: bool = False
    drop_fields: frozenset[str] = frozenset()
    carry_csl: bool = True


PROFILES: dict[str, BibProfile] = {
    "bibtex": BibProfile(
        name="bibtex",
        dialect="bibtex",
        date_form="year-month",
        month_macros=True,
        extended_names=False,
        ascii=True,
        edition_words=True,
        protect_case=True,
    ),
    "bibtex-utf8": BibProfile(
        name="bibtex-utf8",
        dialect="bibtex",
        date_form="year-month",
        month_macros=True,
        extended_names=False,
        ascii=False,
        edition_words=True,
        protect_case=True,
    ),
    "biblatex": BibProfile(
        name="biblatex",
        dialect="biblatex",
        date_form="edtf",
        month_macros=False,
        extended_names=True,
        ascii=False,
    ),
    "biblatex-ascii": BibProfile(
        name="biblatex-ascii",
        dialect="biblatex",
        date_form="edtf",
        month_macros=False,
        extended_names=True,
        ascii=True,
    ),
}
"""Shipped profiles: ``bibtex`` (classic ``.bst``-safe ASCII, keeps doi/url/eprint),
``bibtex-utf8``, ``biblatex`` (UTF-8 for biber) and ``biblatex-ascii``."""


def get_profile(name: str, dialect: str) -> BibProfile:
    """The profile called ``name`` (``ValueError`` listing the known ones if there is none).

    Args:
        name: A key of :data:`PROFILES`.
        dialect: The writer's dialect; a profile of the other dialect is refused.
    """
    try:
        profile = PROFILES[name]
    except KeyError:
        known = ", ".join(sorted(PROFILES))
        raise ValueError(f"unknown profile {name!r} (known: {known})") from None
    if profile.dialect != dialect:
        raise ValueError(f"profile {name!r} writes {profile.dialect}, not {dialect}")
    return profile
