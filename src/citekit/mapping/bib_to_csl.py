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

from collections.abc import Mapping
from typing import Any

from citekit.mapping import converters
from citekit.mapping._bib_state import MapContext, MapState
from citekit.mapping.bib_special import map_date, map_eprint, map_language, map_origyear
from citekit.mapping.bib_tables import (
    BIB_TYPES,
    BIBSTRINGS,
    BOOKTITLE_TYPES,
    COUNTRIES,
    EDITOR_ROLES,
    ENTRYSUBTYPES,
    FIELD_RULES,
    NUMBER_TARGET,
    SPECIAL_FIELDS,
    THESIS_GENRES,
    TITLE_GROUPS,
    FieldRule,
)
from citekit.mapping.csl_carrier import PREFIX, TYPE_FIELD, carrier_variable, read_carriers
from citekit.mapping.csl_to_bib_tables import CSL_TO_BIBLATEX_TYPES, CSL_TO_BIBTEX_TYPES
from citekit.mapping.names import split_and
from citekit.model import ITEM_TYPES, Record

__all__ = ["MapContext", "entry_to_csl"]


_RULES_BY_FIELD: dict[str, tuple[FieldRule, ...]] = {}
for _rule in FIELD_RULES:
    _RULES_BY_FIELD[_rule.field] = (*_RULES_BY_FIELD.get(_rule.field, ()), _rule)

_MODES = {"title": "title", "rich": "rich", "text": "text", "keywords": "text"}
_TEXT_KINDS = frozenset({"title", "rich", "text"})
"""Rule kinds that are a decoded value (or a biblatex bibstring key), in the decode mode of
the same name."""
_BIBSTRING_MAX = max(map(len, BIBSTRINGS))
"""No longer value is a bibstring key (``str.lower`` never shortens a string)."""


def _title(state: MapState, group: str) -> str | None:
    names = TITLE_GROUPS[group]
    fields = state.fields
    main = fields.get(names[0])
    if not main or not main.strip():
        return None  # most groups are absent: decided before looking at the other parts
    sub = fields.get(names[1], "").strip() if names[1] else ""
    addon = fields.get(names[2], "").strip() if names[2] else ""
    text = state.text(names[0], "title")
    if sub:
        sub_text = state.text(names[1], "title")
        text = f"{text}: {sub_text}" if text[-1:] not in "?!:." else f"{text} {sub_text}"
    if addon:
        addon_text = state.text(names[2], "title")
        text = f"{text}. {addon_text}" if text[-1:] not in "?!:." else f"{text} {addon_text}"
    return text


def _names(state: MapState, name: str, variable: str) -> None:
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


_RULE_CACHE: dict[tuple[str, str], FieldRule | None] = {}


def _rule_for(name: str, entry_type: str) -> FieldRule | None:
    """The first rule for field ``name`` that applies to ``entry_type`` (memoised)."""
    key = (name, entry_type)
    if key in _RULE_CACHE:
        return _RULE_CACHE[key]
    rules = _RULES_BY_FIELD.get(name)
    rule = None
    if rules:
        rule = next((r for r in rules if r.types is None or entry_type in r.types), None)
    if len(_RULE_CACHE) >= 4096:
        _RULE_CACHE.clear()  # bounded: field names and types come from the input
    _RULE_CACHE[key] = rule
    return rule


_SKIP = FieldRule("", "", "skip")
"""Plan entry of fields other code maps (special fields and ``csl-*`` carriers)."""
_UNPLANNED = FieldRule("", "", "unplanned")
_PLANS: dict[str, dict[str, FieldRule | None]] = {}


def _plan(entry_type: str, name: str) -> FieldRule | None:
    """What :func:`_apply_rules` does with field ``name`` of ``entry_type`` (memoised).

    :data:`_SKIP` for special and carrier fields, else :func:`_rule_for`'s rule.
    """
    plan = _PLANS.get(entry_type)
    if plan is None:
        if len(_PLANS) >= 256:
            _PLANS.clear()  # bounded: entry types come from the input
        plan = _PLANS[entry_type] = {}
    if len(plan) >= 1024:
        plan.clear()  # bounded: field names come from the input
    if name in SPECIAL_FIELDS or carrier_variable(name) is not None:
        rule: FieldRule | None = _SKIP
    else:
        rule = _rule_for(name, entry_type)
    plan[name] = rule
    return rule


def _apply_rules(state: MapState) -> bool:
    """Map every field a rule covers; whether the entry has ``csl-*`` carrier fields."""
    ctx = state.ctx
    decode = ctx.decode
    fields = state.fields
    record = state.record
    unmapped = state.unmapped
    entry_type = state.entry_type
    plan = _PLANS.get(entry_type) or {}
    carriers = False
    for name, raw in fields.items():
        rule = plan.get(name, _UNPLANNED)
        if rule is _UNPLANNED:
            rule = _plan(entry_type, name)
        if rule is _SKIP:
            if name.startswith(PREFIX):
                carriers = True
            continue
        if rule is None:
            unmapped[name] = raw
            continue
        key = raw.strip()
        if not key:
            unmapped[name] = raw
            continue
        kind = rule.convert
        value: Any
        if kind in _TEXT_KINDS:  # the common case first; same result as the chain below
            if len(key) <= _BIBSTRING_MAX and key.lower() in BIBSTRINGS:
                value = BIBSTRINGS[key.lower()]
            else:
                value = decode(name, raw, kind)
            # state.set(rule.csl, value, name), inlined
            if value in (None, "", []) or rule.csl in record:
                unmapped[name] = raw
            else:
                record[rule.csl] = value
            continue
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
        elif kind == "jurisdiction":
            value = _jurisdiction(raw)
        elif kind == "list" and ctx.dialect == "biblatex":
            value = "; ".join(ctx.decode(name, part, "text") for part in _literal_list(raw))
        elif kind == "keywords":
            value = converters.keywords(ctx.decode(name, raw, "text"))
        elif raw.strip().lower() in BIBSTRINGS:
            value = BIBSTRINGS[raw.strip().lower()]
        else:
            value = ctx.decode(name, raw, _MODES.get(kind, "text"))
        state.set(rule.csl, value, name)
    return carriers


def _literal_list(value: str) -> list[str]:
    """Split a BibLaTeX literal list on ``and`` outside braces (``{Smithers and Co}`` stays)."""
    if " and " not in value:
        return [value]
    return [part for part in (p.strip() for p in split_and(value)) if part]


def _jurisdiction(value: str) -> str:
    """``countryfr and countryuk`` (biblatex keys) → ``France; United Kingdom``."""
    return "; ".join(COUNTRIES.get(part.lower(), part) for part in _literal_list(value))


def _clean_doi(value: str) -> str:
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/",
                   "http://dx.doi.org/", "doi:", "DOI:"):  # fmt: skip
        if value.startswith(prefix):
            return value[len(prefix) :].strip()
    return value


def _type(state: MapState) -> None:
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
    elif subtype in ITEM_TYPES and entry_type in _NEAREST.get(subtype, ()):
        state.record["type"] = subtype  # the exact CSL type of a nearest entry type
        if "genre" in state.guessed:  # exact: nothing is derived from the entry type
            state.guessed.remove("genre")
            del state.record["genre"]
    elif "entrysubtype" in state.fields:
        state.keep("entrysubtype")
    carried = state.fields.get(TYPE_FIELD, "").strip()
    if carried in ITEM_TYPES:
        state.record["type"] = carried
    elif carried:
        state.ctx.report("bibtex.bad-carrier", f"{TYPE_FIELD}: unknown CSL type", TYPE_FIELD)
        state.keep(TYPE_FIELD)
    if "type" in state.fields:
        raw = state.fields["type"].strip()
        genre = THESIS_GENRES.get(raw.lower()) or state.text("type", "text")
        if genre:
            state.record["genre"] = genre
            if "genre" in state.guessed:
                state.guessed.remove("genre")
        if raw.lower() in THESIS_GENRES:
            state.keep("type")  # the biblatex key, for an exact round trip


_NEAREST: dict[str, frozenset[str]] = {
    csl: frozenset({bibtex.primary, *bibtex.accepts, latex.primary, *latex.accepts})
    for csl, bibtex in CSL_TO_BIBTEX_TYPES.items()
    for latex in (CSL_TO_BIBLATEX_TYPES[csl],)
}
"""CSL type → the entry types the writers use for it: ``entrysubtype`` names the CSL type
only on these (``@inreference`` + ``entrysubtype = {entry}``); elsewhere it is the user's."""


def _titles(state: MapState) -> None:
    record = state.record
    entry_type = state.entry_type
    fields = state.fields
    title = _title(state, "title") if "title" in fields else None
    main = _title(state, "maintitle") if "maintitle" in fields else None
    book = _title(state, "booktitle") if "booktitle" in fields else None
    if book and entry_type in BIB_TYPES and entry_type not in BOOKTITLE_TYPES:
        # biblatex ignores booktitle on a self-contained work (often left by crossref setups).
        book = None
        for name in TITLE_GROUPS["booktitle"]:
            state.keep(name)
    journal = (_title(state, "journaltitle") if "journaltitle" in fields else None) or (
        _title(state, "journal") if "journal" in fields else None
    )
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
    issue = _title(state, "issuetitle") if "issuetitle" in fields else None
    if issue:
        if "volume-title" in record:
            for name in TITLE_GROUPS["issuetitle"]:
                state.keep(name)
        else:
            record["volume-title"] = issue
    event = _title(state, "eventtitle") if "eventtitle" in fields else None
    if event:
        record["event-title"] = event
    if journal:
        if "container-title" in record:
            record.setdefault("collection-title", journal)
        else:
            record["container-title"] = journal


def _number(state: MapState) -> None:
    if "number" not in state.fields or not state.fields["number"].strip():
        state.keep("number")
        return
    target = NUMBER_TARGET.get(state.entry_type, "number")
    if target == "collection-number" and "series" not in state.fields:
        target = "number"
    value = converters.number(state.text("number", "text"))
    state.set(target, value, "number")


def _publisher(state: MapState) -> None:
    order = ("publisher", "institution", "school", "organization")
    for name in order:
        if name not in state.fields:
            continue
        if not state.fields[name].strip():
            state.keep(name)
            continue
        raw = state.fields[name]
        if state.ctx.dialect == "biblatex":
            value = "; ".join(state.ctx.decode(name, p, "text") for p in _literal_list(raw))
        else:
            value = state.text(name, "text")
        if "publisher" in state.record:
            state.keep(name)
        else:
            state.record["publisher"] = value


def _editors(state: MapState) -> None:
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
    state = MapState(entry_type, fields, record, bib, bib["fields"], [], ctx)
    _type(state)
    _titles(state)
    _editors(state)
    _number(state)
    _publisher(state)
    carriers = _apply_rules(state)
    map_date(state)
    map_eprint(state)
    map_origyear(state)
    map_language(state)
    if carriers:
        read_carriers(state)
    if macros:
        bib["macros"] = dict(macros)
    if state.guessed:
        bib["guessed"] = state.guessed
    custom = record.setdefault("custom", {})
    custom["bibtex"] = bib
    return record
