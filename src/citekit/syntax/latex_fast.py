r"""Fast path of LaTeX → Unicode for the common simple values, identical to the full decoder.

Most field values that need any decoding only hold case-protecting braces, dashes, ties and
accents such as ``{\"u}``, ``\'e`` or ``\c{c}``. pylatexenc takes about 2 ms for such a value
(14 µs per character); this module handles them with two regular expressions and a brace
scan instead, and returns ``None`` for anything else (any other command, math, comments,
unbalanced braces, a group that starts with a command), which the caller then sends through
pylatexenc. The test-suite checks that both paths agree on every value of the corpora.
Example: ``fast_decode(r"Schr{\"o}dinger's {DNA} -- X", True, decode_token)`` is
``'Schrödinger\'s <span class="nocase">DNA</span> – X'``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from citekit.syntax._latex_fast import balanced

__all__ = ["fast_decode"]

# A command token whose decoding does not depend on context: accents on one letter (with
# or without braces), a whole braced group holding one accented letter or a letter-like
# command (``{\ss}``), and escaped specials.
_TOKEN = re.compile(
    r"""\{\\(?:[`'"^~=.]\s*(?:[A-Za-z]|\{[A-Za-z]\})|[vcuHkr](?:\s+[A-Za-z]|\s*\{[A-Za-z]\})
             |(?:ss|o|O|l|L|aa|AA|ae|AE|oe|OE)\s*)\}
      |\\[`'"^~=.](?:[A-Za-z]|\{[A-Za-z]\})
      |\\[vcuHkr]\{[A-Za-z]\}
      |\\[&$_#]""",
    re.VERBOSE,
)
_HARD = re.compile(r"[\\$%]")
# Inline math is kept verbatim by the full decoder; it is set aside behind a placeholder
# (with an "x" when it holds a letter, so the nocase test sees the same letters).
_MATH = re.compile(r"(?<![\\$])\$((?:[^$\\%]|\\[^%])+)\$(?!\$)")
_PLACEHOLDER = re.compile("\ue010(\\d+)x?\ue011")
# pylatexenc reads past the closing "$" when a command that may take an argument has none
# (``{$\\not$}``): such math goes to the full decoder.
_MATH_RISK = re.compile(r"\\[A-Za-z]+\s*[}$]")
_URL_IN_MATH = re.compile(r"\\(?:url|path|nolinkurl)")
_BRACE = re.compile(r"[{}]")
_SPECIAL = re.compile(r"---|--|~|``|''|!`|\?`")
_SPECIALS = {"---": "—", "--": "–", "~": "\u00a0", "``": "“", "''": "”", "!`": "¡", "?`": "¿"}


def _specials(run: str) -> str:
    if "-" in run or "~" in run or "`" in run or "''" in run:
        return _SPECIAL.sub(lambda m: _SPECIALS[m.group()], run)
    return run


def fast_decode(value: str, nocase: bool, decode_token: Callable[[str], str | None]) -> str | None:
    """Decode ``value`` if it only uses simple constructs and inline math, else ``None``.

    See :func:`_decode` for the arguments.
    """
    if "$" not in value:
        return _decode(value, nocase, decode_token)
    maths: list[str] = []

    def hide(match: re.Match[str]) -> str:
        math = match.group()
        if _MATH_RISK.search(math) or _URL_IN_MATH.search(math) or not balanced(math):
            # Left in place, so the "$" check below falls back: pylatexenc may read past the
            # math, across it (a brace group hides the "$"), or the walker first takes a URL out.
            return math
        maths.append(match.group())
        letter = "x" if any(c.isalpha() for c in match.group()) else ""
        return f"\ue010{len(maths) - 1}{letter}\ue011"

    if "\ue010" in value or "\ue011" in value:
        return None
    hidden = _MATH.sub(hide, value)
    if "$" in hidden:
        return None
    text = _decode(hidden, nocase, decode_token)
    if text is None:
        return None
    return _PLACEHOLDER.sub(lambda m: maths[int(m.group(1))], text)


def _decode(value: str, nocase: bool, decode_token: Callable[[str], str | None]) -> str | None:
    r"""Decode ``value`` if it only uses simple constructs, else ``None``.

    Args:
        value: The raw field value.
        nocase: Whether top-level ``{...}`` groups become nocase spans (title mode).
        decode_token: Decodes one command token (e.g. ``\"u``) with the full decoder;
            ``None`` when that reports a problem.

    Returns:
        The decoded text before whitespace collapsing, or ``None`` (use the full decoder).
    """
    if "\\" in value:
        pieces: list[str] = []
        pos = 0
        for match in _TOKEN.finditer(value):
            start = match.start()
            if start and value[start - 1] == "{" and value[start] == "\\":
                return None  # a group starting with a command keeps its case as is
            decoded = decode_token(match.group())
            if decoded is None:
                return None
            pieces.append(value[pos:start])
            pieces.append(decoded)
            pos = match.end()
        pieces.append(value[pos:])
        rest = "".join(pieces[0::2])
        if _HARD.search(rest):
            return None
        # Decoded tokens may be "$", "&", "_" or "#": keep them out of the checks above by
        # substituting only now.
        if "\\$" in value:
            return None  # an escaped dollar next to math: leave it to the full decoder
        value = "".join(pieces)
    elif "$" in value or "%" in value:
        return None
    out: list[str] = []
    group: list[str] = []
    depth = 0
    pos = 0
    for match in _BRACE.finditer(value):
        run = value[pos : match.start()]
        pos = match.end()
        if run:
            (group if depth else out).append(_specials(run))
        if match.group() == "{":
            depth += 1
            continue
        if depth == 0:
            return None
        depth -= 1
        if depth == 0:
            inner = "".join(group)
            group = []
            if nocase and any(c.isalpha() for c in inner):
                out.append(f'<span class="nocase">{inner}</span>')
            else:
                out.append(inner)
    if depth:
        return None
    if pos < len(value):
        out.append(_specials(value[pos:]))
    return "".join(out)
