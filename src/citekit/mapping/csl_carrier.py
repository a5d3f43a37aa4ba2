r"""The ``csl-*`` carrier: CSL values a ``.bib`` has no field for, kept in namespaced fields.

A CSL record written to BibTeX/BibLaTeX keeps everything the target has no native field for
in fields named ``csl-<variable>``, which BibTeX styles and biber ignore (they drop fields
their data model does not know, without a warning), and which citekit's reader maps back to
the exact CSL value. Example (a CSL ``post-weblog`` with a ``source`` and a ``script-writer``)::

    @online{doe2017,
      entrysubtype = {post-weblog},
      csl-source = {Crossref},
      csl-script-writer = {Curtis, Michael and family=Dijken, given=J., prefix=van,
                           useprefix=false},
      csl-submitted = {2016-05-10},
      csl-custom = {{"markdown": {"tags": ["nlp"]}}},
    }

* The exact CSL type goes to biblatex's own ``entrysubtype`` (a finer-grained type, as Better
  BibTeX writes ``@video`` + ``entrysubtype = {tvbroadcast}``) when the entry type written is
  only the nearest one; ``csl-type`` when ``entrysubtype`` already holds a user's value.
* Text variables are LaTeX-encoded like any text field; names use the classic form, or
  BibLaTeX's extended form (``prefix=…, useprefix=false``) when a particle must be told apart;
  dates are EDTF, or the literal text when the date has no EDTF form; ``categories`` is an
  ``and`` list.
* Other ``custom`` namespaces (``markdown``, ``extra-variables`` …) are one JSON object in
  ``csl-custom``, ASCII only and with braces in strings escaped (``\u007b``), so the value is
  balanced and needs no LaTeX.
"""

from __future__ import annotations

import json
import re
from typing import Any

from citekit.mapping._bib_state import MapState
from citekit.mapping.bib_name_shapes import plain_ascii_name
from citekit.mapping.converters import edtf_date
from citekit.mapping.encoding import LatexEncoder
from citekit.mapping.names import split_and
from citekit.model import DATE_VARIABLES, NAME_VARIABLES, VARIABLES, to_edtf

__all__ = [
    "CUSTOM_FIELD",
    "PREFIX",
    "TYPE_FIELD",
    "UNCARRIED_NAMESPACES",
    "carrier_field",
    "carrier_names",
    "carrier_value",
    "carrier_variable",
    "custom_json",
    "read_carriers",
]

PREFIX = "csl-"
"""Every carrier field starts with this (no BibTeX or BibLaTeX field does)."""
TYPE_FIELD = "csl-type"
"""The exact CSL type when ``entrysubtype`` is taken by a value of the user's."""
CUSTOM_FIELD = "csl-custom"
"""``custom`` namespaces other than :data:`UNCARRIED_NAMESPACES`, as one JSON object."""
UNCARRIED_NAMESPACES = frozenset({"bibtex", "et-al"})
"""``custom`` namespaces a ``.bib`` holds natively (its own fields; ``and others``)."""

_FIELD_SAFE = re.compile(r"[A-Za-z0-9_.+/:-]+")
_BY_LOWER = {name.lower(): name for name in (*VARIABLES, "categories", "type", "custom")}
_BARE_AND = re.compile(r"(?<![^\s])and(?![^\s])")


def carrier_field(variable: str) -> str | None:
    """The carrier field for ``variable`` (``None`` when its name cannot be a field name)."""
    try:
        return _CARRIER_FIELDS[variable]
    except KeyError:
        pass
    field = None
    if _FIELD_SAFE.fullmatch(variable) and variable.lower() in _BY_LOWER:
        field = PREFIX + variable.lower()
    if len(_CARRIER_FIELDS) < 4096:  # variable names: a few dozen in practice
        _CARRIER_FIELDS[variable] = field
    return field


_CARRIER_FIELDS: dict[str, str | None] = {}


def carrier_variable(field: str) -> str | None:
    """The CSL variable (or ``type``/``categories``/``custom``) a carrier field holds.

    ``None`` for other fields, and for ``csl-*`` names that are no CSL variable (a
    ``csl-id`` must not rename the record): those stay in ``custom`` like any unknown field.
    """
    if not field.startswith(PREFIX):
        return None
    return _BY_LOWER.get(field[len(PREFIX) :].lower())


def _extended(name: dict[str, Any], enc: LatexEncoder) -> str:
    parts = []
    for key, label in (("family", "family"), ("given", "given"), ("suffix", "suffix")):
        if name.get(key):
            parts.append(f"{label}={{{enc.text(str(name[key]), markup=False)}}}")
    for key, useprefix in (("non-dropping-particle", "true"), ("dropping-particle", "false")):
        if name.get(key):
            parts.append(f"prefix={{{enc.text(str(name[key]), markup=False)}}}")
            parts.append(f"useprefix={useprefix}")
            break
    return ", ".join(parts)


_CLASSIC_UNSAFE = re.compile(r"[,{}\\]")


def _classic_safe(text: str) -> bool:
    return bool(text) and _CLASSIC_UNSAFE.search(text) is None and not _BARE_AND.search(text)


def carrier_names(names: list[dict[str, Any]], enc: LatexEncoder, *, et_al: bool = False) -> str:
    """A CSL name list in a form the reader parses back part for part.

    ``Family, Given`` where that is unambiguous, ``{Literal}`` for literal names, and
    BibLaTeX's extended form wherever a particle (dropping or not), a lone given name or a
    capitalised word would be split differently by BibTeX's rules.
    """
    out: list[str] = []
    plain = getattr(enc, "keeps_plain_ascii", False)
    for name in names:
        if plain and len(name) == 2 and str(name.get("family"))[:1].isupper():
            written = plain_ascii_name(name)
            if written is not None:
                out.append(written)  # what the "simple" branch below writes for it
                continue
        literal = name.get("literal")
        if literal:
            out.append("{" + enc.text(str(literal), markup=False) + "}")
            continue
        family = str(name.get("family") or "")
        given = str(name.get("given") or "")
        simple = (
            _classic_safe(family)
            and " " not in family.strip()
            and (not given or _classic_safe(given))
            and not any(name.get(k) for k in ("non-dropping-particle", "dropping-particle"))
            and not name.get("suffix")
            and family[:1].isupper()
        )
        if simple:
            text = enc.text(family, markup=False)
            if given:
                text += ", " + enc.text(given, markup=False)
            out.append(text)
        else:
            out.append(_extended(name, enc) or "{}")
    if et_al:
        out.append("others")
    return " and ".join(out)


def carrier_value(
    variable: str, value: Any, enc: LatexEncoder, *, et_al: bool = False
) -> str | None:
    """The encoded carrier value of one CSL variable, or ``None`` when it cannot be carried."""
    if variable in NAME_VARIABLES:
        if isinstance(value, list) and all(isinstance(n, dict) for n in value) and value:
            return carrier_names(value, enc, et_al=et_al)
        return None
    if variable in DATE_VARIABLES:
        if not isinstance(value, dict):
            return None
        edtf = to_edtf(value)
        if edtf is not None:
            return edtf
        literal = value.get("literal") or value.get("raw")
        return enc.text(str(literal)) if literal else None
    if variable == "categories":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return None
        return " and ".join(_BARE_AND.sub("{and}", enc.text(v, markup=False)) for v in value)
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    return enc.text(str(value))  # markup too: the reader decodes every carrier as rich text


def custom_json(custom: dict[str, Any]) -> str | None:
    """The ``custom`` namespaces a ``.bib`` cannot hold natively, as balanced ASCII JSON."""
    carried = {k: v for k, v in custom.items() if k not in UNCARRIED_NAMESPACES}
    if not carried:
        return None
    try:
        text = json.dumps(carried, ensure_ascii=True, sort_keys=True, separators=(", ", ": "))
    except (TypeError, ValueError):
        return None
    return _escape_string_braces(text)


def _escape_string_braces(text: str) -> str:
    r"""Braces inside JSON strings → ``\u007b``/``\u007d`` (structural braces stay)."""
    if '"' not in text or ("{" not in text and "}" not in text):
        return text
    out: list[str] = []
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            elif char in "{}":
                out.append("\\u007b" if char == "{" else "\\u007d")
                continue
        elif char == '"':
            in_string = True
        out.append(char)
    return "".join(out)


def read_carriers(state: MapState) -> None:
    """Reader side: every ``csl-*`` field of the entry → its CSL variable (the exact value).

    A carrier wins over a native field of the same variable: the writer only writes one
    next to a native field when the native spelling loses something (a dropping particle in
    a BibTeX name list). A value that does not parse is kept in ``custom`` with a warning.
    """
    for name, raw in state.fields.items():
        if not name.startswith(PREFIX):
            continue
        variable = carrier_variable(name)
        if variable is None or variable == "type":
            continue
        value = _read_one(state, name, variable, raw)
        if value is None:
            state.ctx.report("bibtex.bad-carrier", f"{name}: cannot read {raw.strip()!r}", name)
            state.keep(name)
        elif variable == "custom":
            custom = state.record.setdefault("custom", {})
            for namespace, content in value.items():
                custom.setdefault(namespace, content)
        else:
            state.record[variable] = value


def _read_one(state: MapState, name: str, variable: str, raw: str) -> Any:
    ctx = state.ctx
    if variable == "custom":
        try:
            value = json.loads(raw)
        except (ValueError, RecursionError):  # hostile input: "[[[[…" nests past the stack
            return None
        return value if isinstance(value, dict) else None
    if variable in NAME_VARIABLES:
        result = ctx.names.parse_list(raw)
        if result.et_al:
            et_al = state.record.setdefault("custom", {}).setdefault("et-al", [])
            if variable not in et_al:
                et_al.append(variable)
        return result.names or None
    if variable in DATE_VARIABLES:
        date = edtf_date(raw)
        if date is not None:
            return date
        text = ctx.decode(name, raw, "rich")
        return {"literal": text} if text else None
    if variable == "categories":
        parts = split_and(raw) if " and " in raw else [raw]
        return [ctx.decode(name, part.strip(), "text") for part in parts if part.strip()] or None
    text = ctx.decode(name, raw, "rich")
    return text if text else None
