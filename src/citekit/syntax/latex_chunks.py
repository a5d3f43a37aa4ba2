r"""Decode a long field value in pieces, where LaTeX provably cannot reach across the cut.

:func:`citekit.syntax.latex_to_unicode.latex_to_unicode` declines its fast paths for a whole
value as soon as one construct in it needs pylatexenc (an escaped ``\$`` next to math,
``{\texttimes}``, ``\ensuremath``), which then walks all of it (~2-3 µs a character, ~3 ms
for an abstract), and the walk leaves cyclic garbage (pylatexenc's caught exceptions hold
their frames) for the collector. :func:`decode_in_chunks` cuts such a value at single
spaces where the decoder's state is provably the start state and nothing before the cut
can act after it, decodes each piece with ``latex_to_unicode`` (so the plain pieces take the
fast paths and only the hard piece is walked) and joins them as ``latex_to_unicode`` joins
nodes: one space, white space collapsed. The text is the one decoding the whole value gives.

A space at offset ``i`` is a cut when, scanning the value's tokens (control sequences,
braces, ``$``, brackets) from the start:

* braces are balanced before it (depth 0), no ``$`` math is open, every ``[`` is closed
  (an optional argument may be open), and it lies in a plain run (no such token) which
  holds at least :data:`_SAFE_RUN` non-space characters before it: at least
  ``_SAFE_RUN / 3`` tokens (a special such as ``---`` is three characters), more than the
  most arguments a pylatexenc macro reads (its longest argspec, ``*{[[{{``, has six), so a
  control sequence before the run cannot take an argument after the cut, nor eat the space;
* no style declaration (``\em``, ``\bf``: it wraps everything after it) came before it;
* the characters on both sides are neither white space nor ``~`` (each piece's decoding is
  stripped; a no-break space at its end would be lost).

Values holding ``%`` (comments), ``$$``, ``\(``/``\[`` math, ``\verb``, environments or URL
commands (rewritten before parsing), a lone trailing backslash, or whose braces or math do
not balance are not cut at all (:func:`cut_points` returns ``None``) and are decoded whole.
The test-suite compares this with decoding the whole value on the corpora and on values built
to tempt every rule above.
"""

from __future__ import annotations

import re

from citekit.syntax import latex_to_unicode as full
from citekit.syntax.latex_to_unicode import Mode, latex_to_unicode

__all__ = ["cut_points", "decode_in_chunks"]

CHUNK = 120
"""Characters from one cut (or the start) from which the next cut is looked for."""
_SAFE_RUN = 30
"""Non-space characters of a plain run before a cut in it."""
_TOKEN = re.compile(r"\\(?:[A-Za-z@]+|[\s\S])?|\$\$|[{}$\[\]]")
_NO_CUTS = re.compile(r"%|\\(?:verb|begin|end|url|path|nolinkurl|href)(?![A-Za-z@])|\\[()\[\]]")
_DECLARATIONS = frozenset(
    {
        "em", "it", "itshape", "sl", "slshape", "bf", "bfseries", "sc", "scshape", "rm",
        "rmfamily", "tt", "ttfamily", "sf", "sffamily", "normalfont", "upshape", "mdseries",
        "small", "footnotesize", "large", "relax",
    }
)  # fmt: skip
"""``_STYLE_DECLARATIONS`` of :mod:`citekit.syntax.latex_to_unicode` (tested equal)."""
_SPACE = re.compile(r"[ \t\r\n]+")


def _cut_in(value: str, run_start: int, run_end: int, wanted: int) -> int | None:
    """A cut in the plain run ``value[run_start:run_end]`` at or after ``wanted``, if any."""
    pos = value.find(" ", max(wanted, run_start + _SAFE_RUN), run_end - 1)
    while pos > 0:
        before, after = value[pos - 1], value[pos + 1]
        if (
            not before.isspace()
            and not after.isspace()
            and before != "~"
            and after != "~"
            and len(value[run_start:pos]) - sum(map(value[run_start:pos].count, " \t\r\n"))
            >= _SAFE_RUN
        ):
            return pos
        pos = value.find(" ", pos + 1, run_end - 1)
    return None


_ARGSPECS: dict[str, str] = {}


def _argspec(name: str) -> str:
    r"""The arguments pylatexenc reads after ``\name`` (``"{{"`` for ``\frac``; ``""``: none)."""
    spec = _ARGSPECS.get(name)
    if spec is None:
        full._load_pylatexenc()
        macro = full._WALKER_DB.get_macro_spec(name)
        spec = str(getattr(getattr(macro, "args_parser", None), "argspec", "") or "")
        if len(_ARGSPECS) < 4096:
            _ARGSPECS[name] = spec
    return spec


def _arguments_closed(value: str, pos: int, spec: str) -> bool:
    r"""Whether the arguments ``spec`` from ``pos`` on are read without touching ``$`` or ``}``.

    pylatexenc reads a missing argument from whatever comes next: from a ``$`` it reads a
    math group past the math's end (``{$\not$}a`` swallows the rest of the value). Spaces
    before an argument are skipped; an optional argument that is given is not followed
    (``False``); a braced argument must close.
    """
    length = len(value)
    for kind in spec:
        while pos < length and value[pos] in " \t\r\n":
            pos += 1
        if pos >= length:
            return False
        char = value[pos]
        if kind != "{":
            if char in "[*":
                return False
            continue
        if char in "$}":
            return False
        if char == "{":
            pos = _group_end(value, pos)
            if pos < 0:
                return False
        elif char == "\\":
            pos = _TOKEN.match(value, pos).end()  # type: ignore[union-attr]
        else:
            pos += 1
    return True


def _group_end(value: str, pos: int) -> int:
    """Offset after the group opening at ``pos`` (escaped braces skipped), ``-1``: unclosed."""
    depth = 0
    for token in _TOKEN.finditer(value, pos):
        text = token.group()
        if text == "{":
            depth += 1
        elif text == "}":
            depth -= 1
            if depth == 0:
                return token.end()
        elif text[0] == "$":
            return -1  # math in an argument: not followed
    return -1


def _masked(value: str) -> str:
    r"""``value`` with each ``\url{…}`` the decoder sets aside first as a group of ``x``.

    The decoder replaces such a command by a placeholder before parsing (its argument may
    hold ``$``, ``#``, ``\``), so for the scan it is one closed token without spaces.
    """
    if "\\" not in value or (_URL_START not in value and "\\path" not in value):
        return value
    return _URL.sub(lambda m: "{" + "x" * (len(m.group()) - 2) + "}", value)


_URL_START = "\\url"
_URL = re.compile(r"\\(?:url|path|nolinkurl)\s*\{([^{}]*)\}")
"""``_URL`` of :mod:`citekit.syntax.latex_to_unicode` (tested equal)."""


def cut_points(value: str, chunk: int = CHUNK) -> list[int] | None:
    """Offsets of the spaces to cut ``value`` at (see the module), ``None``: not to be cut."""
    scan = _masked(value)
    if _NO_CUTS.search(scan):
        return None
    cuts: list[int] = []
    depth = 0
    math = ""  # the open math's delimiter ("$" or "$$"), "" when none is open
    math_depth = 0  # the brace depth it opened at
    brackets = 0  # "[" outside math not closed yet (an optional argument may be open)
    frozen = False  # a declaration was seen: no cut after it
    last = 0
    run_start = 0
    for token in _TOKEN.finditer(scan):
        start = token.start()
        if not frozen and depth == 0 and not math and brackets == 0:
            last = _cut_run(scan, run_start, start, last, chunk, cuts)
        text = token.group()
        run_start = token.end()
        if text[0] == "\\":
            if len(text) == 1:
                return None  # a lone backslash at the very end
            if text[1:] in _DECLARATIONS:
                frozen = True
            else:
                spec = _argspec(text[1:])
                if spec and not _arguments_closed(scan, token.end(), spec):
                    frozen = True
        elif text == "{":
            depth += 1
        elif text == "}":
            depth -= 1
            if depth < 0 or (math and depth < math_depth):
                return None
        elif text[0] == "$":
            if not math:
                math, math_depth = text, depth
            elif math == text and math_depth == depth:
                math = ""
            else:
                return None
        elif math:
            pass  # brackets in math end with it
        elif text == "[":
            brackets += 1
        elif brackets:  # "]"
            brackets -= 1
    if depth or math:
        return None
    if not frozen and brackets == 0:
        _cut_run(scan, run_start, len(scan) - chunk, last, chunk, cuts)
    return cuts


def _cut_run(
    value: str, run_start: int, run_end: int, last: int, chunk: int, cuts: list[int]
) -> int:
    """Append the cuts of the plain run ``value[run_start:run_end]``; the last cut made."""
    while run_end - run_start > _SAFE_RUN and run_end - last > chunk:
        cut = _cut_in(value, run_start, run_end, last + chunk + 1)
        if cut is None:
            break
        cuts.append(cut)
        last = cut
    return last


def decode_in_chunks(value: str, mode: Mode, chunk: int = CHUNK) -> str:
    """``latex_to_unicode(value, mode=mode).text``, decoded piece by piece where it may be."""
    cuts = cut_points(value, chunk) if len(value) > 2 * chunk else None
    if not cuts:
        return latex_to_unicode(value, mode=mode).text
    pieces: list[str] = []
    start = 0
    for cut in cuts:
        pieces.append(latex_to_unicode(value[start:cut], mode=mode).text)
        start = cut + 1
    pieces.append(latex_to_unicode(value[start:], mode=mode).text)
    joined = " ".join(pieces)
    if "\n" in joined or "  " in joined or "\t" in joined or "\r" in joined:
        joined = _SPACE.sub(" ", joined)
    return joined.strip()
