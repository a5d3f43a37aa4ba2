r"""BibTeX name lists → CSL names (BibTeX-exact splitting via pybtex ``Person``).

The list is split on ``and`` first (braces protect: ``{Barnes and Noble}``), a final
``others`` becomes the et-al marker, each name is split into First/von/Last/Jr by pybtex
(47/47 against real BibTeX, traps.md) inside ``pybtex.errors.capture()``, and only then are
the parts LaTeX-decoded. Example::

    parse_names(r"van der Berg, Jr., Jan and {World Health Organization} and others")
    == NameList([{"family": "Berg", "given": "Jan", "non-dropping-particle": "van der",
                  "suffix": "Jr."}, {"literal": "World Health Organization"}], et_al=True)

Particles (documented choice): in the ``bibtex`` dialect the von part is a
``non-dropping-particle`` (BibTeX prints and sorts it with the last name, as pandoc's and
citation-js's BibTeX readers do). In the ``biblatex`` dialect it is a
``dropping-particle`` unless ``useprefix=true`` (biblatex's default is ``useprefix=false``:
the prefix is left out of citations and sorting), matching pandoc's biblatex reader.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from citekit.model import Name

__all__ = [
    "NameList",
    "NameParser",
    "is_extended_name",
    "parse_names",
    "plain_name",
    "simple_split",
    "split_and",
    "split_name",
    "unicode_name",
]

Decoder = Callable[[str], str]
"""LaTeX → Unicode for one name part (injected: ``mapping`` does not import ``syntax``)."""

_EXTENDED = re.compile(
    r"^\s*(family|given|prefix|suffix|useprefix|sortingnamekeytemplate|"
    r"family-i|given-i|prefix-i|suffix-i|id|hash)\s*=",
    re.IGNORECASE,
)
# A capitalised ASCII word, possibly hyphenated, with accented letters written as brace groups
# after its first letter (``M{\"u}ller``): BibTeX reads its case from the first letter.
_SIMPLE_WORD = re.compile(
    r"""^[A-Z](?:[A-Za-z.']|\{\\[`'"^~=.][A-Za-z]\})*"""
    r"""(?:-[A-Z](?:[A-Za-z.']|\{\\[`'"^~=.][A-Za-z]\})*)*$"""
)
# The plainest names, read by one regex: capitalised ASCII words (no braces) separated by
# single spaces, optionally ``Last Words, First Words``. :func:`plain_name` gives exactly
# what :func:`simple_split` gives for them (the test-suite checks it), without the per-word work.
_PLAIN_WORD = r"[A-Z][A-Za-z.']*(?:-[A-Z][A-Za-z.']*)*"
_PLAIN_NAME = re.compile(
    rf"({_PLAIN_WORD}(?: {_PLAIN_WORD})*)(?:, ({_PLAIN_WORD}(?: {_PLAIN_WORD})*))?"
)
# The same shape with any Unicode letters (``Böcker, Sebastian``, ``Şar, Vedat``), for
# :func:`unicode_name`: words of letters, digits and ``. ' ’ -`` separated by single spaces.
_UNICODE_WORD = r"(?:[^\W_]|[.'’-])+"
_UNICODE_PART = rf"{_UNICODE_WORD}(?: {_UNICODE_WORD})*"
_UNICODE_NAME = re.compile(rf"{_UNICODE_PART}(?:, {_UNICODE_PART})?")
_AND = re.compile(" [Aa][Nn][Dd] ")
_BRACES = re.compile("[{}]")
_WHITESPACE = re.compile(r"[ \t\r\n]+")
_BRACED = re.compile(r"^\{.*\}$", re.DOTALL)


def _identity(text: str) -> str:
    return text


@dataclass(slots=True)
class NameList:
    """The names of one field, whether the list ended in ``and others``, and problems."""

    names: list[Name] = field(default_factory=list)
    et_al: bool = False
    problems: list[str] = field(default_factory=list)


def is_extended_name(name: str) -> bool:
    """Whether ``name`` uses BibLaTeX's extended format (``family=Doe, given=Jane``)."""
    return _EXTENDED.match(name) is not None


def _fully_braced(name: str) -> bool:
    """``{World Health Organization}``: one brace group spanning the whole name."""
    if not _BRACED.match(name):
        return False
    depth = 0
    for index, char in enumerate(name):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0 and index != len(name) - 1:
                return False
    return depth == 0


def _split_commas(text: str) -> list[str]:
    """Split on commas outside braces."""
    parts: list[str] = []
    depth = 0
    start = 0
    for index, char in enumerate(text):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


def _unbrace(value: str) -> str:
    value = value.strip()
    if _fully_braced(value):
        return value[1:-1].strip()
    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
        return value[1:-1].strip()
    return value


class NameParser:
    """Splits BibTeX name lists into CSL names, caching each distinct name string.

    Args:
        decode: LaTeX → Unicode for one part (``str`` identity for plain Unicode input).
        dialect: ``bibtex`` or ``biblatex`` (decides the particle kind, see the module doc).
        useprefix: biblatex's ``useprefix`` option for the entry.
    """

    def __init__(
        self,
        decode: Decoder = _identity,
        *,
        dialect: str = "bibtex",
        useprefix: bool = False,
    ) -> None:
        self.decode = decode
        self.particle = (
            "non-dropping-particle" if dialect != "biblatex" or useprefix else "dropping-particle"
        )
        self._cache: dict[str, tuple[Name, tuple[str, ...]]] = {}

    def parse_list(self, value: str) -> NameList:
        """Split a whole field value (``A and B and others``) into a :class:`NameList`."""
        result = NameList()
        if "\n" in value or "\t" in value or "\r" in value or "  " in value:
            value = _WHITESPACE.sub(" ", value)
        value = value.strip()
        if "and" in value.lower():
            raw_names = [n for n in map(str.strip, split_and(value)) if n]
        else:
            raw_names = [value] if value else []
        if raw_names and raw_names[-1].lower() in ("others", "et al.", "et al"):
            result.et_al = True
            raw_names.pop()
        names = result.names
        plain = _PLAIN_NAME.fullmatch
        for raw in raw_names:
            if plain(raw) is not None:  # the common case, without the per-name calls
                names.append(_plain(raw))
                continue
            if not raw.isascii():
                unicode = unicode_name(raw)
                if unicode is not None:
                    names.append(unicode)
                    continue
            name, problems = self.parse_one(raw)
            if name:
                names.append(name)
            result.problems.extend(problems)
        return result

    def parse_one(self, raw: str) -> tuple[Name, tuple[str, ...]]:
        """One name in BibTeX syntax → a CSL name dict and problems (cached)."""
        plain = plain_name(raw) if raw.isascii() else unicode_name(raw)
        if plain is not None:
            return plain, ()
        cached = self._cache.get(raw)
        if cached is not None:
            return dict(cached[0]), cached[1]
        if _fully_braced(raw):
            name: Name = {"literal": self.decode(raw[1:-1].strip())}
            problems: tuple[str, ...] = ()
        elif is_extended_name(raw):
            name, problems = self._extended(raw)
        else:
            name, problems = self._classic(raw)
        if len(self._cache) >= 4096:
            self._cache.clear()  # bounded, so streaming reads stay flat in memory
        self._cache[raw] = (name, problems)
        return dict(name), problems

    def _classic(self, raw: str) -> tuple[Name, tuple[str, ...]]:
        simple = simple_split(raw)
        if simple is not None:
            if "{" in raw:
                simple = {part: self.decode(text) for part, text in simple.items()}
            return simple, ()
        import pybtex.errors
        from pybtex.database import Person

        with pybtex.errors.capture() as errors:
            person = Person(raw)
        problems = tuple(str(e) for e in errors)
        given = " ".join(person.first_names + person.middle_names)
        von = " ".join(person.prelast_names)
        family = " ".join(person.last_names)
        suffix = " ".join(person.lineage_names)
        name: Name = {}
        if family:
            name["family"] = self.decode(family)
        if given:
            name["given"] = self.decode(given)
        if von:
            name[self.particle] = self.decode(von)
        if suffix:
            name["suffix"] = self.decode(suffix)
        if not name:
            name = {"literal": self.decode(raw)}
        elif "family" not in name:
            problems += (f"name {raw!r} has no last name",)
        return name, problems

    def _extended(self, raw: str) -> tuple[Name, tuple[str, ...]]:
        parts: dict[str, str] = {}
        problems: list[str] = []
        for item in _split_commas(raw):
            if not item.strip():
                continue
            key, sep, value = item.partition("=")
            if not sep:
                problems.append(f"extended name part {item.strip()!r} has no '='")
                continue
            parts[key.strip().lower()] = _unbrace(value)
        particle = self.particle
        useprefix = parts.get("useprefix", "").lower()
        if useprefix in ("true", "1", "yes"):
            particle = "non-dropping-particle"
        elif useprefix in ("false", "0", "no"):
            particle = "dropping-particle"
        name: Name = {}
        for source, target in (
            ("family", "family"),
            ("given", "given"),
            ("prefix", particle),
            ("suffix", "suffix"),
        ):
            if parts.get(source):
                name[target] = self.decode(parts[source])
        known = {"family", "given", "prefix", "suffix", "useprefix"}
        for extra in sorted(set(parts) - known):
            problems.append(f"extended name part {extra!r} was ignored")
        if not name:
            name = {"literal": self.decode(raw)}
        return name, tuple(problems)


def split_and(value: str) -> list[str]:
    """Split a name list on `` and `` outside braces, exactly as pybtex's ``split_name_list``.

    Values with unbalanced braces go to pybtex itself (imported only then).
    """
    if "{" not in value:
        return [part.strip() for part in _AND.split(value)] if value else []
    result: list[str] = []
    pieces: list[str] = []
    depth = 0
    pos = 0
    for match in _BRACES.finditer(value):
        if match.group() == "{":
            if depth == 0:
                heads = _AND.split(value[pos : match.start()])
                for word in heads[:-1]:
                    result.append("".join([*pieces, word]))
                    pieces = []
                pieces.append(heads[-1])
                pos = match.start()
            depth += 1
        else:
            depth -= 1
            if depth < 0:
                break
            if depth == 0:
                pieces.append(value[pos : match.end()])
                pos = match.end()
    if depth != 0:
        from pybtex.bibtex.utils import split_name_list

        return list(split_name_list(value))
    heads = _AND.split(value[pos:])
    for word in heads[:-1]:
        result.append("".join([*pieces, word]))
        pieces = []
    pieces.append(heads[-1])
    result.append("".join(pieces))
    return [part.strip() for part in result]


def plain_name(raw: str) -> Name | None:
    """:func:`simple_split` for names of plain capitalised ASCII words (else ``None``).

    ``Jane Q. Doe`` and ``Doe, Jane Q.`` (single spaces, no braces, at most one comma) are
    read by one regular expression; the result is a new dict, equal to :func:`simple_split`'s.
    """
    if _PLAIN_NAME.fullmatch(raw) is None:
        return None
    return _plain(raw)


def unicode_name(raw: str) -> Name | None:
    """BibTeX's split of a name of capitalised Unicode words (``Böcker, Sebastian``), or ``None``.

    For the non-ASCII names :func:`plain_name` leaves to pybtex: words of letters, digits and
    ``. ' ’ -`` (no braces, no commands, so nothing to decode), single spaces, at most one
    ``", "``, every word starting with a letter for which ``str.isupper()`` holds — pybtex's
    own test, so no word is a von part and the split is the one :func:`_plain` makes
    (``tests/mapping/test_names_plain.py`` checks it against pybtex).
    """
    if _UNICODE_NAME.fullmatch(raw) is None:
        return None
    for word in raw.split(" "):
        if not word[0].isupper():
            return None
    return _plain(raw)


def _plain(raw: str) -> Name:
    """The parts of a name :data:`_PLAIN_NAME` matches."""
    last, comma, first = raw.partition(", ")
    if comma:
        return {"family": last, "given": first}
    given, _, family = raw.rpartition(" ")
    if not given:
        return {"family": family}
    return {"family": family, "given": given}


def simple_split(raw: str) -> Name | None:
    r"""BibTeX's split for the plain majority of names, or ``None`` when pybtex is needed.

    Handles ``First Middle Last`` and ``Last Part, First`` when every word is capitalised
    ASCII (so there is no von part, no Jr), accented letters braced inside a word
    (``M{\"u}ller``) allowed; the parts are returned as written (not LaTeX-decoded). The
    names test checks it against pybtex on the corpora.
    """
    if raw.count(",") > 1:
        return None
    last, comma, first = raw.partition(",")
    last_words = last.split()
    first_words = first.split()
    if not last_words or (comma and not first_words):
        return None
    for word in (*last_words, *first_words):
        if _SIMPLE_WORD.match(word) is None:
            return None
    if comma:
        return {"family": " ".join(last_words), "given": " ".join(first_words)}
    if len(last_words) == 1:
        return {"family": last_words[0]}
    return {"family": last_words[-1], "given": " ".join(last_words[:-1])}


_fast_split = simple_split  # the name issue-7's tests use


_PLAIN = NameParser()


def parse_names(value: str, decode: Decoder = _identity, *, dialect: str = "bibtex") -> NameList:
    """Split a BibTeX name-list value into CSL names (see :class:`NameParser`).

    Args:
        value: e.g. ``"Knuth, Donald E. and others"`` (LaTeX allowed when ``decode`` is given).
        decode: LaTeX → Unicode for each part, applied after splitting.
        dialect: ``bibtex`` or ``biblatex``.
    """
    if decode is _identity and dialect == "bibtex":
        return _PLAIN.parse_list(value)
    return NameParser(decode, dialect=dialect).parse_list(value)


def split_name(name: str) -> Name:
    """Split one plain Unicode name (``"Jane van Doe"``, ``"Doe, Jane"``) into CSL parts.

    BibTeX's rules apply: ``First von Last``, ``von Last, First``, ``von Last, Jr, First``;
    lower-case words are particles; a single word is a family name. Meant for markdown
    reading lists and other plain-text sources (no LaTeX decoding).

    Returns:
        A CSL name, e.g. ``{"family": "Doe", "given": "Jane", "non-dropping-particle": "van"}``.
    """
    parsed, _ = _PLAIN.parse_one(name.strip())
    return parsed
