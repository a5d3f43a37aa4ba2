"""Citation keys from a pattern (``{auth}{year}{shorttitle}``), ASCII, deterministically unique.

Tokens (JabRef/Better BibTeX-like): ``auth`` (first author's family name), ``authors``
(up to two families, then ``EtAl``), ``authorsN`` (first N families), ``year``, ``title``
(every significant word, capitalised), ``shorttitle`` (first three), ``veryshorttitle``
(first one), ``firstpage``, ``journal`` (initials of the container). A token may end with
``:lower`` or ``:upper``. Text outside braces is copied. Example: pattern
``{auth:lower}{year}{veryshorttitle:lower}`` gives ``vaswani2017attention``.

Clashing keys get ``a``, ``b``, ``c``… in an order fixed by the records' content (not their
position), so the same library always yields the same keys, whatever its order.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["DEFAULT_PATTERN", "assign_keys", "key_from_pattern", "transliterate"]

DEFAULT_PATTERN = "{auth}{year}{shorttitle}"
_TOKEN = re.compile(r"\{([A-Za-z]+\d*)(?::(lower|upper))?\}")
_SPECIAL = {
    "ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d",
    "Đ": "D", "þ": "th", "Þ": "Th", "œ": "oe", "Œ": "OE", "ı": "i", "ð": "d", "Ð": "D",
}  # fmt: skip
_STOP = frozenset(
    {
        "a", "an", "the", "of", "on", "in", "at", "to", "for", "and", "or", "with", "by",
        "from", "as", "is", "are", "via", "into", "over", "under", "der", "die", "das", "und",
        "von", "zu", "le", "la", "les", "de", "des", "du", "et", "un", "une",
    }
)  # fmt: skip
_TAGS = re.compile(r"<[^>]+>")
_KEY_SAFE = re.compile(r"[^A-Za-z0-9_\-:.+/]")


def transliterate(text: str) -> str:
    """ASCII letters and digits only: ``Erdős Łukasz`` → ``ErdosLukasz``."""
    text = "".join(_SPECIAL.get(char, char) for char in text)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and c.isalnum())


def _families(record: dict[str, Any]) -> list[str]:
    for variable in ("author", "editor", "container-author", "director", "composer"):
        names = record.get(variable)
        if isinstance(names, list) and names:
            out = []
            for name in names:
                if not isinstance(name, dict):
                    continue
                family = name.get("family") or name.get("literal") or name.get("given") or ""
                out.append(transliterate(str(family)))
            return [f for f in out if f]
    return []


def _title_words(record: dict[str, Any]) -> list[str]:
    title = _TAGS.sub("", str(record.get("title") or ""))
    words = [transliterate(w) for w in re.split(r"[\s\-–—/:]+", title)]
    significant = [w for w in words if w and w.lower() not in _STOP]
    return [w[:1].upper() + w[1:] for w in significant]


def _token(name: str, record: dict[str, Any]) -> str:
    families = _families(record)
    if name == "auth":
        return families[0] if families else ""
    if name == "authors":
        if len(families) > 2:
            return families[0] + "EtAl"
        return "".join(families)
    if name.startswith("authors") and name[7:].isdigit():
        return "".join(families[: int(name[7:])])
    if name == "year":
        issued = record.get("issued")
        parts = issued.get("date-parts") if isinstance(issued, dict) else None
        if parts and parts[0]:
            return str(parts[0][0])
        return ""
    words = _title_words(record)
    if name == "title":
        return "".join(words)
    if name == "shorttitle":
        return "".join(words[:3])
    if name == "veryshorttitle":
        return "".join(words[:1])
    if name == "firstpage":
        return re.split(r"[^0-9A-Za-z]", str(record.get("page") or ""))[0]
    if name == "journal":
        container = transliterate_words(str(record.get("container-title") or ""))
        return "".join(w[0] for w in container if w)
    raise ValueError(f"unknown key pattern token {{{name}}}")


def transliterate_words(text: str) -> list[str]:
    """Significant words of ``text``, transliterated (used for initials)."""
    words = [transliterate(w) for w in re.split(r"\s+", _TAGS.sub("", text))]
    return [w for w in words if w and w.lower() not in _STOP]


def key_from_pattern(record: dict[str, Any], pattern: str = DEFAULT_PATTERN) -> str:
    """The base key of ``record`` (before disambiguation); ``anon`` when every token is empty.

    Raises:
        ValueError: The pattern uses an unknown token.
    """

    def replace(match: re.Match[str]) -> str:
        value = _token(match[1], record)
        if match[2] == "lower":
            return value.lower()
        if match[2] == "upper":
            return value.upper()
        return value

    key = _KEY_SAFE.sub("", _TOKEN.sub(replace, pattern))
    return key or "anon"


def _content(record: dict[str, Any]) -> str:
    return json.dumps(
        {k: v for k, v in record.items() if k not in ("id", "custom")},
        sort_keys=True,
        ensure_ascii=True,
        default=str,
    )


def assign_keys(
    records: Sequence[dict[str, Any]],
    pattern: str | None = None,
    *,
    regenerate: bool = False,
    reserved: Iterable[str] = (),
) -> list[str]:
    """Keys for ``records``: kept ids, and pattern keys where asked or missing.

    Args:
        records: The records, in output order.
        pattern: Key pattern; :data:`DEFAULT_PATTERN` when ``None``.
        regenerate: Generate every key (``True``) or only those of records without an id.
        reserved: Keys already used elsewhere (e.g. written earlier by the streaming writer),
            which generated keys must avoid too.

    Returns:
        One key per record. Generated keys never clash with each other nor with kept ids:
        clashing ones get ``a``, ``b``… ordered by the records' content.
    """
    pattern = pattern or DEFAULT_PATTERN
    keys: list[str | None] = []
    for record in records:
        record_id = str(record.get("id") or "").strip()
        keys.append(None if regenerate or not record_id else record_id)
    taken = {k.casefold() for k in keys if k is not None}
    taken.update(k.casefold() for k in reserved)
    groups: dict[str, list[int]] = {}
    for index, record in enumerate(records):
        if keys[index] is None:
            groups.setdefault(key_from_pattern(record, pattern), []).append(index)
    for base in sorted(groups):
        members = groups[base]
        if len(members) == 1 and base.casefold() not in taken:
            keys[members[0]] = base
            taken.add(base.casefold())
            continue
        members.sort(key=lambda i: (_content(records[i]), i))
        suffix = 0
        for index in members:
            while True:
                candidate = base + _suffix(suffix)
                suffix += 1
                if candidate.casefold() not in taken:
                    break
            keys[index] = candidate
            taken.add(candidate.casefold())
    return [k or "anon" for k in keys]


def _suffix(number: int) -> str:
    """Letters for the n-th clash: 0 → ``a``, 25 → ``z``, 26 → ``aa``."""
    letters = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(97 + rest) + letters
    return letters
