r"""One BibTeX/BibLaTeX entry (type, key, fields) → one CSL-JSON record, losing nothing.

Driven by :mod:`citekit.mapping.bib_tables`; fields that combine (titles, dates, number,
publisher, eprint) are handled here. Every field no rule maps is kept as written in
``custom["bibtex"]["fields"]``. Example::

    entry_to_csl("misc", "v17", {"title": "Attention", "eprint": "1706.03762",
                 "archiveprefix": "arXiv"}, {}, context)
    == {"id": "v17", "type": "article", "title": "Attention", "number": "arXiv:1706.03762",
        "URL": "https://arxiv.org/abs/1706.03762", "DOI": "10.48550/arXiv.1706.03762",
        "custom": {"bibtex": {"type": "misc", "key": "v17", "fields": {...},
                   "guessed": ["type", "DOI"]}}, ...}

``custom["bibtex"]["guessed"]`` lists CSL variables citekit inferred rather than read (the
type of an arXiv ``@misc``, an arXiv DOI, a genre from the entry type);
``custom["bibtex"]["inherited"]`` maps fields copied from a ``crossref``/``xdata`` parent to
that parent's key (writers may leave them out).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from citekit.mapping import converters
from citekit.mapping.bib_tables import (
    BIB_TYPES,
    EDITOR_ROLES,
    ENTRYSUBTYPES,
    FIELD_RULES,
    LANGIDS,
    NUMBER_TARGET,
    SPECIAL_FIELDS,
    THESIS_GENRES,
    TITLE_GROUPS,
    FieldRule,
)
from citekit.mapping.names import NameParser
from citekit.model import Record

__all__ = ["MapContext", "entry_to_csl"]

Decode = Callable[[str, str, str], str]
"""``decode(field, value, mode)`` → Unicode; mode is ``title``/``rich``/``text``/``verbatim``."""
Report = Callable[[str, str, str | None], None]
"""``report(code, message, field)``: a warning about the current entry."""

_RULES_BY_FIELD: dict[str, tuple[FieldRule, ...]] = {}
for _rule in FIELD_RULES:
    _RULES_BY_FIELD[_rule.field] = (*_RULES_BY_FIELD.get(_rule.field, ()), _rule)

_MODES = {"title": "title", "rich": "rich", "text": "text", "keywords": "text"}


@dataclass(slots=True)
class MapContext:
    """What the mapping needs besides the entry: dialect, decoders and a problem sink."""

    decode: Decode
    report: Report
    dialect: str = "bibtex"
    names: NameParser = field(default_factory=NameParser)
    biblatex_names: NameParser | None = None


@dataclass(slots=True)
class _State:
    """The record under construction plus bookkeeping for one entry."""

    entry_type: str
    fields: Mapping[str, str]
    record: Record
    custom: dict[str, Any]
    unmapped: dict[str, str]
    guessed: list[str]
    ctx: MapContext

    def keep(self, name: str) -> None:
        if name in self.fields:
            self.unmapped[name] = self.fields[name]

    def set(self, variable: str, value: Any, source: str) -> bool:
        """Set ``variable`` unless already set (then ``source`` is kept in custom)."""
        if value in (None, "", []):
            self.keep(source)
            return False
        if variable in self.record:
            self.keep(source)
            return False
        self.record[variable] = value
        return True

    def text(self, name: str, mode: str) -> str:
        return self.ctx.decode(name, self.fields[name], mode)


def _title(state: _State, group: str) -> str | None:
    main, sub, addon = (state.fields.get(n, "").strip() for n in TITLE_GROUPS[group])
    if not main:
        return None
    names = TITLE_GROUPS[group]
    text = state.text(names[0], "title")
    if sub:
        sub_text = state.text(names[1], "title")
        text = f"{text}: {sub_text}" if text[-1:] not in "?!:." else f"{text} {sub_text}"
    if addon:
        addon_text = state.text(names[2], "title")
        text = f"{text}. {addon_text}" if text[-1:] not in "?!:." else f"{text} {addon_text}"
    return text


def _names(state: _State, name: str, variable: str) -> None:
    parser = state.ctx.names
    if name.endswith("type") or name not in state.fields:
        return
    value = state.fields[name]
    result = parser.parse_list(value)
    for problem in result.problems:
        state.ctx.report("bibtex.bad-name", f"{name}: {problem}", name)
    if not result.names and not result.et_al:
        state.keep(name)
        return
    if variable in state.record:
        state.keep(name)
        return
    state.record[variable] = result.names
    if result.et_al:
        state.record.setdefault("custom", {}).setdefault("et-al", []).append(variable)


def _apply_rules(state: _State) -> None:
    ctx = state.ctx
    for name in state.fields:
        if name in SPECIAL_FIELDS:
            continue
        rules = _RULES_BY_FIELD.get(name)
        rule = None
        if rules:
            rule = next((r for r in rules if r.types is None or state.entry_type in r.types), None)
        if rule is None:
            state.keep(name)
            continue
        raw = state.fields[name]
        if not raw.strip():
            state.keep(name)
            continue
        kind = rule.convert
        value: Any
        if kind == "names":
            _names(state, name, rule.csl)
            continue
        if kind == "verbatim":
            value = raw.strip()
            if rule.csl == "DOI":
                value = _clean_doi(value)
        elif kind == "pages":
            value = converters.pages(raw)
        elif kind == "number":
            value = converters.number(ctx.decode(name, raw, "text"))
        elif kind == "edition":
            value = converters.edition(ctx.decode(name, raw, "text"))
        elif kind == "date":
            value = converters.edtf_date(raw)
            if value is None:
                ctx.report("bibtex.bad-date", f"{name} {raw.strip()!r} is not a date", name)
                state.keep(name)
                continue
        elif kind == "list":
            value = _join_list(ctx.decode(name, raw, "text"))
        elif kind == "keywords":
            value = converters.keywords(ctx.decode(name, raw, "text"))
        else:
            value = ctx.decode(name, raw, _MODES[kind])
        state.set(rule.csl, value, name)


def _join_list(value: str) -> str:
    """A BibLaTeX literal list (``Berlin and Paris``) → ``Berlin; Paris``."""
    if " and " not in value:
        return value
    return "; ".join(part.strip() for part in value.split(" and ") if part.strip())


def _clean_doi(value: str) -> str:
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/",
                   "http://dx.doi.org/", "doi:", "DOI:"):  # fmt: skip
        if value.startswith(prefix):
            return value[len(prefix) :].strip()
    return value


def _type(state: _State) -> None:
    entry_type = state.entry_type
    rule = BIB_TYPES.get(entry_type)
    if rule is None:
        state.ctx.report(
            "bibtex.unknown-type", f"unknown entry type @{entry_type}; read as 'document'", None
        )
        state.record["type"] = "document"
    else:
        state.record["type"] = rule.csl
        if rule.genre:
            state.record["genre"] = rule.genre
            state.guessed.append("genre")
    subtype = state.fields.get("entrysubtype", "").strip().lower()
    if subtype and (entry_type, subtype) in ENTRYSUBTYPES:
        state.record["type"] = ENTRYSUBTYPES[(entry_type, subtype)]
    else:
        state.keep("entrysubtype")
    if "type" in state.fields:
        raw = state.fields["type"].strip()
        genre = THESIS_GENRES.get(raw.lower()) or state.text("type", "text")
        if genre:
            state.record["genre"] = genre
            if "genre" in state.guessed:
                state.guessed.remove("genre")
        if raw.lower() in THESIS_GENRES:
            state.keep("type")  # the biblatex key, for an exact round trip


def _titles(state: _State) -> None:
    record = state.record
    entry_type = state.entry_type
    title = _title(state, "title")
    main = _title(state, "maintitle")
    book = _title(state, "booktitle")
    journal = _title(state, "journaltitle") or _title(state, "journal")
    if journal and "journaltitle" in state.fields and "journal" in state.fields:
        state.keep("journal")
    if title:
        record["title"] = title
    if main and book:
        record["container-title"] = main
        record["volume-title"] = book
    elif main and entry_type in BIB_TYPES and BIB_TYPES[entry_type].csl == "book":
        # Volume of a multi-volume work: the work's title is the title (pandoc, CSL 1.0.2).
        if title:
            record["volume-title"] = title
        record["title"] = main
    elif main:
        record["container-title"] = main
    elif book:
        record["container-title"] = book
    if journal:
        if "container-title" in record:
            record.setdefault("collection-title", journal)
        else:
            record["container-title"] = journal


def _number(state: _State) -> None:
    if "number" not in state.fields or not state.fields["number"].strip():
        state.keep("number")
        return
    target = NUMBER_TARGET.get(state.entry_type, "number")
    if target == "collection-number" and "series" not in state.fields:
        target = "number"
    value = converters.number(state.text("number", "text"))
    state.set(target, value, "number")


def _publisher(state: _State) -> None:
    order = ("publisher", "institution", "school", "organization")
    for name in order:
        if name not in state.fields or not state.fields[name].strip():
            state.keep(name)
            continue
        value = state.text(name, "text")
        if state.ctx.dialect == "biblatex" or name == "publisher":
            value = _join_list(value)
        if "publisher" in state.record:
            state.keep(name)
        else:
            state.record["publisher"] = value


def _date(state: _State) -> None:
    fields = state.fields
    ctx = state.ctx
    if fields.get("date", "").strip():
        date = converters.edtf_date(fields["date"])
        if date is None:
            ctx.report("bibtex.bad-date", f"date {fields['date'].strip()!r} is not a date", "date")
            state.keep("date")
        else:
            state.record["issued"] = date
            for name in ("year", "month", "day"):
                state.keep(name)
            return
    year, month, day = (fields.get(n, "") for n in ("year", "month", "day"))
    if not year.strip():
        for name in ("year", "month", "day"):
            state.keep(name)
        return
    date, problems = converters.bib_date(ctx.decode("year", year, "text"), month, day)
    for problem in problems:
        bad = "year" if problem.startswith("year") else "month" if "month" in problem else "day"
        ctx.report("bibtex.bad-date", problem, bad)
        if bad != "year":
            state.keep(bad)
    if date is not None:
        state.record["issued"] = date


def _eprint(state: _State) -> None:
    fields = state.fields
    eprint = fields.get("eprint", "").strip()
    kind = (fields.get("eprinttype") or fields.get("archiveprefix") or "").strip().lower()
    match = converters.ARXIV_ID.match(eprint) if eprint else None
    is_arxiv = kind == "arxiv" or (not kind and match is not None)
    if not eprint or not is_arxiv or match is None:
        for name in ("eprint", "eprinttype", "archiveprefix", "eprintclass", "primaryclass"):
            state.keep(name)
        if eprint and kind == "pubmed":
            state.set("PMID", eprint, "eprint")
        return
    arxiv_id = match.group(1) + (match.group(2) or "")
    record = state.record
    preprint = state.entry_type in ("misc", "unpublished", "online", "article") and not (
        state.entry_type == "article" and ("journal" in fields or "journaltitle" in fields)
    )
    if preprint and record.get("type") != "article":
        record["type"] = "article"
        state.guessed.append("type")
    if record["type"] == "article":
        record.setdefault("number", f"arXiv:{arxiv_id}")
        if "publisher" not in record:
            record["publisher"] = "arXiv"
            state.guessed.append("publisher")
    if "URL" not in record and "url" not in fields:
        record["URL"] = f"https://arxiv.org/abs/{arxiv_id}"
        state.guessed.append("URL")
    if "DOI" not in record and "doi" not in fields:
        record["DOI"] = f"10.48550/arXiv.{match.group(1)}"
        state.guessed.append("DOI")
    # The eprint fields themselves stay in custom so writers restore them exactly.
    for name in ("eprint", "eprinttype", "archiveprefix", "eprintclass", "primaryclass"):
        state.keep(name)


def _language(state: _State) -> None:
    for name in ("langid", "language"):
        raw = state.fields.get(name, "").strip()
        if not raw:
            state.keep(name)
            continue
        tag = LANGIDS.get(raw) or LANGIDS.get(raw.lower())
        if "language" in state.record:
            state.keep(name)
        elif tag:
            state.record["language"] = tag
            state.keep(name)  # the babel name, for an exact round trip
        else:
            state.record["language"] = state.text(name, "text")


def _editors(state: _State) -> None:
    fields = state.fields
    for name in ("editor", "editora", "editorb", "editorc"):
        if name not in fields:
            continue
        role = fields.get(f"{name}type", "editor" if name == "editor" else "").strip().lower()
        variable = EDITOR_ROLES.get(role)
        if variable is None or variable in state.record:
            state.keep(name)
            state.keep(f"{name}type")
            continue
        _names(state, name, variable)
        if role != "editor" or name != "editor":
            state.keep(f"{name}type")


def entry_to_csl(
    entry_type: str,
    key: str,
    fields: Mapping[str, str],
    macros: Mapping[str, str],
    ctx: MapContext,
) -> Record:
    """Map one entry to a CSL-JSON record (not yet normalised).

    Args:
        entry_type: Lower-case entry type (``"article"``).
        key: The citation key (becomes ``id``).
        fields: Lower-case field → value with LaTeX (macros evaluated, inheritance applied).
        macros: Field → raw ``@string``/``#`` expression, for fields that used one.
        ctx: Decoders, dialect and the problem sink.

    Returns:
        The record, with ``custom["bibtex"]`` holding type, key, unmapped fields, macros.
    """
    record: Record = {"id": key}
    bib: dict[str, Any] = {"type": entry_type, "key": key, "fields": {}}
    state = _State(entry_type, fields, record, bib, bib["fields"], [], ctx)
    _type(state)
    _titles(state)
    _editors(state)
    _number(state)
    _apply_rules(state)
    _publisher(state)
    _date(state)
    _eprint(state)
    _language(state)
    if macros:
        bib["macros"] = dict(macros)
    if state.guessed:
        bib["guessed"] = state.guessed
    custom = record.setdefault("custom", {})
    custom["bibtex"] = bib
    return record
