r"""A fast decoder for the LaTeX most field values use (accents, symbols, braces, emphasis).

:func:`decode_simple` handles ``{\"o}``, ``\'e``, ``\ss``, ``\&``, ``{DNA}``, ``\emph{x}``,
``{\em x}``, ``--``, ``~`` and the like with the same results as the pylatexenc walker in
:mod:`citekit.syntax.latex_to_unicode`, and returns ``None`` for anything else (math, URLs,
unknown commands, ``%``), which then takes the full path. A differential test keeps the two
in step. It exists because pylatexenc costs about 1 ms per value.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["decode_simple"]

_ACCENTS: dict[str, str] = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "c": "\u0327", "v": "\u030c", "H": "\u030b", "u": "\u0306", "k": "\u0328",
    "r": "\u030a", "d": "\u0323", "b": "\u0331",
}  # fmt: skip
_SYMBOLS: dict[str, str] = {
    "ss": "ß", "o": "ø", "O": "Ø", "l": "ł", "L": "Ł", "aa": "å", "AA": "Å", "ae": "æ",
    "AE": "Æ", "oe": "œ", "OE": "Œ", "i": "ı", "j": "ȷ", "dh": "ð", "DH": "Ð", "th": "þ",
    "TH": "Þ", "ng": "ŋ", "NG": "Ŋ", "dj": "đ", "DJ": "Đ", "SS": "SS",
}  # fmt: skip
_ESCAPES: dict[str, str] = {"&": "&", "%": "%", "_": "_", "$": "$", "#": "#", "{": "{", "}": "}"}
_STYLE: dict[str, str] = {
    "emph": "i", "textit": "i", "textsl": "i", "mkbibemph": "i", "mkbibitalic": "i",
    "textbf": "b", "mkbibbold": "b", "textsuperscript": "sup", "mkbibsuperscript": "sup",
    "textsubscript": "sub", "mkbibsubscript": "sub",
}  # fmt: skip
_DECLARATIONS: dict[str, str] = {
    "em": "i", "it": "i", "itshape": "i", "sl": "i", "slshape": "i", "bf": "b", "bfseries": "b",
}  # fmt: skip
_CONTENT = frozenset({"textrm", "textsf", "texttt", "textnormal", "textup", "textmd", "textsc",
                      "mbox", "text", "hbox", "nocase", "NoCaseChange"})  # fmt: skip
_TOKEN = re.compile(r"---|--|``|''|[{}~\\]")
_LETTER_MACRO = re.compile(r"[A-Za-z]+")
_SPACE = re.compile(r"[ \t\r\n]+")


class _Group:
    __slots__ = ("command", "parts", "tag")

    def __init__(self, tag: str | None, command: bool) -> None:
        self.tag = tag
        self.command = command
        self.parts: list[str] = []


def _accent_target(value: str, pos: int) -> tuple[str, int] | None:
    r"""The base letter after an accent command at ``pos``: ``e``, ``{e}``, ``\i``, ``{\i}``."""
    braced = value.startswith("{", pos)
    start = pos + 1 if braced else pos
    if value.startswith(("\\i", "\\j"), start) and not value[start + 2 : start + 3].isalpha():
        base, end = ("ı" if value[start + 1] == "i" else "ȷ"), start + 2
        if value.startswith("{}", end):
            end += 2
    elif start < len(value) and value[start].isalpha():
        base, end = value[start], start + 1
    else:
        return None
    if braced:
        if not value.startswith("}", end):
            return None
        end += 1
    if base in "ıȷ":
        base = "i" if base == "ı" else "j"
    return base, end


def decode_simple(value: str, *, markup: bool, nocase: bool) -> str | None:
    """Decode ``value`` if it only uses the simple subset, else ``None`` (see module doc)."""
    if "$" in value or "%" in value or "\\\\" in value:
        return None
    stack = [_Group(None, False)]
    pos = 0
    length = len(value)
    pending_tag: str | None = None
    while pos < length:
        match = _TOKEN.search(value, pos)
        if match is None:
            stack[-1].parts.append(value[pos:])
            break
        if match.start() > pos:
            stack[-1].parts.append(value[pos : match.start()])
        token = match.group()
        pos = match.end()
        top = stack[-1]
        if token == "{":
            group = _Group(pending_tag, pending_tag is not None)
            pending_tag = None
            if value.startswith("\\", pos):
                group.command = True
                declared = _LETTER_MACRO.match(value, pos + 1)
                if declared is not None and declared.group() in _DECLARATIONS:
                    group.tag = _DECLARATIONS[declared.group()]
                    pos = declared.end()
                    while pos < length and value[pos] in " \t\r\n":
                        pos += 1
            stack.append(group)
            continue
        if pending_tag is not None:
            return None  # a style command without a braced argument
        if token == "}":
            if len(stack) == 1:
                return None
            group = stack.pop()
            inner = "".join(group.parts)
            if group.tag and group.tag != "-":
                text = f"<{group.tag}>{inner}</{group.tag}>" if markup and inner else inner
            elif (
                nocase and len(stack) == 1 and not group.command and any(c.isalpha() for c in inner)
            ):
                text = f'<span class="nocase">{inner}</span>'
            else:
                text = inner
            stack[-1].parts.append(text)
            continue
        if token != "\\":
            top.parts.append({"---": "—", "--": "–", "``": "“", "''": "”", "~": "\u00a0"}[token])
            continue
        if pos >= length:
            return None
        char = value[pos]
        if char in _ESCAPES:
            top.parts.append(_ESCAPES[char])
            pos += 1
            continue
        name_match = _LETTER_MACRO.match(value, pos)
        name = name_match.group() if name_match else char
        if char in _ACCENTS and (not char.isalpha() or name == char):
            target = _accent_target(value, pos + 1)
            if target is None:
                return None
            base, pos = target
            top.parts.append(unicodedata.normalize("NFC", base + _ACCENTS[char]))
            continue
        if name_match is None:
            return None
        pos = name_match.end()
        if name in _SYMBOLS:
            while pos < length and value[pos] in " \t\r\n":
                pos += 1
            top.parts.append(_SYMBOLS[name])
        elif name in _STYLE or name in _CONTENT:
            if not value.startswith("{", pos):
                return None
            pending_tag = _STYLE.get(name, "-")
        else:
            return None
    if len(stack) != 1 or pending_tag is not None:
        return None
    return _SPACE.sub(" ", "".join(stack[0].parts)).strip()
