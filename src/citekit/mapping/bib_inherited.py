"""What a crossref child leaves out of its ``.bib`` entry because its parent gives it back.

The reader copies a parent's fields into the child (``custom["bibtex"]["inherited"]`` lists
them) and sometimes moves them to another CSL variable: an inherited ``maintitle`` becomes the
title of a ``@book`` volume, ``maintitle`` + ``booktitle`` become container-title +
volume-title, a ``@set`` inherits its first member's journal. The writer must leave all of
them out of the child when the parent is written too, and keep what the child gave itself
(its own ``month`` when the ``year`` is the parent's), so that reading the output gives the
same records again.
"""

from __future__ import annotations

from typing import Any, Protocol

from citekit.mapping.csl_to_bib_tables import FIELD_ALIASES
from citekit.mapping.encoding import LatexEncoder

__all__ = ["Builder", "drop_inherited", "split_subtitle"]

_DATE_GROUP = frozenset({"year", "month", "day", "date"})
_BOOKS = frozenset(
    {"book", "mvbook", "collection", "mvcollection", "proceedings", "mvproceedings",
     "reference", "mvreference", "commentary"}
)  # fmt: skip


class Builder(Protocol):
    """The part of the mapping's entry builder these functions use."""

    enc: LatexEncoder

    @property
    def entry(self) -> Any:
        """The entry being built (:class:`~citekit.mapping.csl_to_bib.BibEntry`)."""
        ...

    def has(self, name: str) -> bool:
        """Whether field ``name`` was written."""
        ...

    def add(self, name: str, value: str, raw: bool = False) -> None:
        """Write field ``name``."""
        ...

    def note(self, kind: Any, source: str, target: str | None = None, detail: str = "") -> None:
        """Report what happened to ``source``."""
        ...


_JOURNALS = frozenset({"journal", "journaltitle"})
_TITLE_SLOTS = frozenset({"journal", "journaltitle", "booktitle", "maintitle", "issuetitle"})


def split_subtitle(
    b: Builder, record: dict[str, Any], fields: dict[str, str], enc: LatexEncoder
) -> None:
    """``title`` + ``subtitle`` again when the entry repeats them as booktitle/booksubtitle.

    biblatex-examples' collections give both; the reader joins title and subtitle, and a
    child's crossref would then inherit the joined title *and* the parent's booksubtitle.
    """
    main, sub = fields.get("booktitle"), fields.get("booksubtitle")
    title = b.entry.get("title")
    if not main or not sub or title is None or b.has("subtitle"):
        return
    if record.get("title") != f"{main.strip()}: {sub.strip()}":
        return
    title.value = enc.text(main.strip(), field="title")
    b.add("subtitle", enc.text(sub.strip(), field="subtitle"))


def _own_date_parts(record: dict[str, Any], inherited: set[str]) -> set[str]:
    """Date fields a child gave itself although the year came from its parent.

    biber-tdata crossrefs.bib cr1: ``month = jan`` with the parent's ``year``; the month is
    written, the year is not.
    """
    issued = record.get("issued")
    parts = issued.get("date-parts") if isinstance(issued, dict) else None
    if "date" in inherited or not parts or len(parts) != 1:
        return set()
    own = {"month"} if len(parts[0]) > 1 and "month" not in inherited else set()
    if len(parts[0]) > 2 and "day" not in inherited:
        own.add("day")
    return own


def drop_inherited(
    b: Builder, bib: dict[str, Any], written_keys: frozenset[str], record: dict[str, Any]
) -> None:
    """Leave out of ``b.entry`` what the parents among ``written_keys`` give back.

    Args:
        b: The entry builder.
        bib: ``custom["bibtex"]`` of the record (``inherited``: field → parent key).
        written_keys: Keys (and old ids) of the entries written with this one.
        record: The CSL record.
    """
    inherited = bib.get("inherited")
    if not isinstance(inherited, dict) or not inherited:
        return
    drop: set[str] = set()
    names = {str(n).lower() for n, parent in inherited.items() if str(parent) in written_keys}
    own_date = _own_date_parts(record, names)
    for lowered in names:
        drop.add(lowered)
        drop.update(FIELD_ALIASES.get(lowered, ()))
        if lowered in _DATE_GROUP:
            drop.update(_DATE_GROUP - own_date if own_date else _DATE_GROUP)
        if lowered == "publisher":
            drop.add("howpublished")  # written for misc/booklet in its place
        if lowered in ("number", "issue"):
            # Both are CSL ``issue`` for an article, written back as ``number`` (typst
            # cross.bib: a @periodical's number, written there as issue).
            drop.update(("number", "issue"))
    if "maintitle" in names and b.entry.type in _BOOKS:
        # The reader made the inherited maintitle the title of the volume (and the volume's
        # own title its volume-title, written as issuetitle): write the volume's title only.
        issue = b.entry.get("issuetitle")
        if issue is None or issue.value != record.get("volume-title"):
            issue = None
        b.entry.fields[:] = [f for f in b.entry.fields if f.name.lower() != "title"]
        if issue is not None:
            issue.name = "title"
    elif {"maintitle", "booktitle"} <= names:
        # Inherited maintitle + booktitle are container-title + volume-title; the writer puts
        # the latter in issuetitle, which the parent gives back as booktitle (ccr3).
        issue = b.entry.get("issuetitle")
        if issue is not None and issue.value == record.get("volume-title"):
            drop.add("issuetitle")
    if names & _JOURNALS:
        # A @set (or other type without a journal field) gets the inherited journal written
        # as another title field (Elias1955: maintitle); the parent gives it back.
        title = record.get("container-title")
        for item in b.entry.fields:
            lowered = item.name.lower()
            if (
                lowered in _TITLE_SLOTS
                and isinstance(title, str)
                and item.value in (title, b.enc.text(title, field=lowered))
            ):
                drop.add(lowered)
    if own_date and b.entry.get("year") is None:
        drop.discard("date")  # BibLaTeX: the child's own full date shadows the parent's
    if not drop:
        return
    kept = [f for f in b.entry.fields if f.name.lower() not in drop]
    for item in b.entry.fields:
        if item.name.lower() in drop:
            b.note("mapped", item.name, "crossref", "inherited from the parent entry")
    b.entry.fields[:] = kept
