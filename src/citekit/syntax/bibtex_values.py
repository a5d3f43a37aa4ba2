"""BibTeX value expressions: ``"..."``, ``{...}``, numbers and macros joined by ``#``.

``evaluate('jan # " 1"', macros)`` gives ``Expression("January 1", used_macros=True)``. Macro
names are case-insensitive, ``jan``–``dec`` are predefined, undefined macros evaluate to the
empty string and are listed, and text that starts a new ``name =`` after a complete value is
returned in ``rest`` (a missing comma).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = [
    "FIELD_START",
    "MONTH_MACROS",
    "PREDEFINED_MACROS",
    "Expression",
    "evaluate",
    "group_end",
]

PREDEFINED_MACROS: dict[str, str] = {
    "jan": "January",
    "feb": "February",
    "mar": "March",
    "apr": "April",
    "may": "May",
    "jun": "June",
    "jul": "July",
    "aug": "August",
    "sep": "September",
    "oct": "October",
    "nov": "November",
    "dec": "December",
}
"""BibTeX's predefined month macros (plain.bst), lower-case name → value."""

MONTH_MACROS = frozenset(PREDEFINED_MACROS)


@dataclass(slots=True)
class Expression:
    """Result of evaluating one ``@string``/field expression."""

    value: str
    used_macros: bool = False
    undefined: list[str] = field(default_factory=list)
    rest: str | None = None
    """Text after the expression that looks like ``name = ...`` (a missing comma), if any."""
    error: str | None = None


_NAME = re.compile(r"[^\s\"#%'(),={}]+")
FIELD_START = re.compile(r"([^\s\"#%'(),={}]+)\s*=")


_BRACES = re.compile(r"[{}]")
_QUOTE_OR_BRACES = re.compile(r'[{}"]')


def _braced_end(text: str, start: int) -> int:
    """Index just after the ``}`` closing the ``{`` at ``start`` (``-1`` if unbalanced)."""
    depth = 0
    for match in _BRACES.finditer(text, start):
        if match.group() == "{":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return match.end()
    return -1


def _quoted_end(text: str, start: int) -> int:
    """Index just after the ``"`` closing the one at ``start`` (braces protect quotes)."""
    depth = 0
    for match in _QUOTE_OR_BRACES.finditer(text, start + 1):
        char = match.group()
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth <= 0:
            return match.end()
    return -1


def group_end(text: str, start: int) -> int:
    """Index just after the brace group or quoted string at ``start`` (``-1`` if open).

    The same rules :func:`evaluate` reads values with.
    """
    return _quoted_end(text, start) if text[start] == '"' else _braced_end(text, start)


def evaluate(expr: str, macros: Mapping[str, str]) -> Expression:
    """Evaluate a BibTeX value expression.

    Tokens are ``"..."``, ``{...}``, numbers and macro names (case-insensitive) joined by
    ``#``. Undefined macros evaluate to the empty string and are listed in ``undefined``.

    Args:
        expr: The raw expression, e.g. ``'jan # " 1"'``.
        macros: Lower-case macro name → value (already evaluated).

    Returns:
        The evaluated :class:`Expression`.
    """
    text = expr.strip()
    if not text:
        return Expression("")
    first = text[0]
    # Fast path: one braced or quoted token.
    if first == "{" and text[-1] == "}" and _braced_end(text, 0) == len(text):
        return Expression(text[1:-1])
    if first == '"' and text[-1] == '"' and _quoted_end(text, 0) == len(text):
        return Expression(text[1:-1])
    parts: list[str] = []
    result = Expression("")
    pos = 0
    length = len(text)
    expect_token = True
    while pos < length:
        char = text[pos]
        if char.isspace():
            pos += 1
            continue
        if char == "%":  # a comment between tokens (biber and btparse allow them)
            newline = text.find("\n", pos)
            pos = length if newline < 0 else newline + 1
            continue
        if not expect_token:
            if char == "#":
                result.used_macros = True
                expect_token = True
                pos += 1
                continue
            if FIELD_START.match(text, pos):
                result.rest = text[pos:]
            else:
                result.error = f"unexpected text {text[pos : pos + 20]!r} in value"
                parts.append(text[pos:])
            break
        if char == "{":
            end = _braced_end(text, pos)
            if end < 0:
                result.error = "unbalanced braces in value"
                parts.append(text[pos + 1 :])
                break
            parts.append(text[pos + 1 : end - 1])
            pos = end
        elif char == '"':
            end = _quoted_end(text, pos)
            if end < 0:
                result.error = "unterminated quoted value"
                parts.append(text[pos + 1 :])
                break
            parts.append(text[pos + 1 : end - 1])
            pos = end
        else:
            match = _NAME.match(text, pos)
            if match is None:
                result.error = f"unexpected {char!r} in value"
                break
            name = match.group()
            pos = match.end()
            if name.isdigit():
                parts.append(name)
            else:
                result.used_macros = True
                folded = name.lower()
                if folded in macros:
                    parts.append(macros[folded])
                elif folded in PREDEFINED_MACROS:
                    parts.append(PREDEFINED_MACROS[folded])
                else:
                    result.undefined.append(name)
        expect_token = False
    if expect_token and not result.error and pos >= length and parts + result.undefined:
        result.error = "the value ends with '#' (nothing to join)"
    result.value = "".join(parts)
    return result
