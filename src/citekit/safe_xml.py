"""Hardened loading of CSL styles and locales: no DTDs, entities, XInclude, or network access.

citeproc-py parses styles with ``lxml.etree.XMLParser(no_network=True)``; with lxml ≥ 5 external
entities are not resolved, but internal entities still expand, DTDs are accepted and the error
for a hostile file is a bare ``XMLSyntaxError``. CSL never needs a DTD, so this module refuses
any document that has one (which rules out XXE, entity-expansion bombs and external DTDs),
refuses XInclude and non-CSL roots, caps the size, and reports everything as
:class:`~citekit.errors.StyleError` naming the file, line and reason. Callers pass the checked
bytes on to citeproc (``CitationStylesStyle(io.BytesIO(data))``), so nothing is ever read from
disk or the network beyond the one file named.

Example::

    data = read_style_file("apa.csl")          # bytes, safe to hand to citeproc
    parent = independent_parent_id(data)       # "apa" for a dependent style, else None
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from lxml import etree

from citekit.errors import StyleError

__all__ = [
    "CSL_NAMESPACE",
    "MAX_STYLE_BYTES",
    "check_style_bytes",
    "independent_parent_id",
    "parse_style_bytes",
    "read_style_file",
]

CSL_NAMESPACE = "http://purl.org/net/xbiblio/csl"
XINCLUDE_NAMESPACES = ("http://www.w3.org/2001/XInclude", "http://www.w3.org/2003/XInclude")
MAX_STYLE_BYTES = 4 * 1024 * 1024
"""Largest style or locale accepted (the biggest official CSL style is under 300 kB)."""

_ROOTS = (f"{{{CSL_NAMESPACE}}}style", f"{{{CSL_NAMESPACE}}}locale")
_STYLE_URL = re.compile(
    r"^https?://(?:www\.)?zotero\.org/styles/(?P<id>[A-Za-z0-9][A-Za-z0-9._-]*)/?$"
)
_LOCAL_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def _parser() -> etree.XMLParser:
    """A parser that resolves nothing: no entities, no DTD loading, no network, no huge trees."""
    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
        collect_ids=False,
    )


def parse_style_bytes(data: bytes, *, source: str = "<style>") -> etree._Element:
    """Parse and check a CSL style or locale; return its root element.

    Raises:
        StyleError: The document is too large, malformed, has a DTD or entity declarations,
            uses XInclude or entity references, or its root is not a CSL ``style``/``locale``.
    """
    if len(data) > MAX_STYLE_BYTES:
        raise StyleError(
            f"{source}: refused: {len(data)} bytes is larger than the {MAX_STYLE_BYTES} byte limit"
        )
    try:
        tree = etree.ElementTree(etree.fromstring(data, _parser()))
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        where = f"{source}:{line}:{column}" if line else source
        raise StyleError(f"{where}: not well-formed XML: {exc.msg}") from None
    except (ValueError, TypeError) as exc:  # e.g. str with an encoding declaration
        raise StyleError(f"{source}: cannot parse: {exc}") from None
    docinfo = tree.docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise StyleError(
            f"{source}: refused: a DOCTYPE/DTD is not allowed in a CSL file "
            "(it could declare external or expanding entities)"
        )
    root = tree.getroot()
    if root.tag not in _ROOTS:
        raise StyleError(f"{source}: refused: root element {root.tag!r} is not a CSL style/locale")
    for node in root.iter():
        if isinstance(node, etree._Entity):
            raise StyleError(
                f"{source}:{node.sourceline}: refused: entity reference {node.text!r} "
                "(CSL files use no entities besides the XML built-ins)"
            )
        if isinstance(node, etree._ProcessingInstruction):
            raise StyleError(f"{source}:{node.sourceline}: refused: processing instruction")
        tag = node.tag
        if isinstance(tag, str) and tag.startswith("{"):
            namespace = tag[1:].partition("}")[0]
            if namespace in XINCLUDE_NAMESPACES:
                raise StyleError(f"{source}:{node.sourceline}: refused: XInclude is not allowed")
    return root


def check_style_bytes(data: bytes, *, source: str = "<style>") -> bytes:
    """Check a style or locale and return the same bytes, ready for citeproc.

    Raises:
        StyleError: See :func:`parse_style_bytes`.
    """
    parse_style_bytes(data, source=source)
    return data


def read_style_file(path: str | os.PathLike[str]) -> bytes:
    """Read one local style or locale file and check it (see :func:`parse_style_bytes`).

    Only the named local file is read; URLs are refused.

    Raises:
        StyleError: The path is a URL, cannot be read, or the content is refused.
    """
    name = os.fspath(path)
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", name):
        raise StyleError(f"{name}: refused: styles are never fetched from URLs; download it first")
    try:
        with Path(name).open("rb") as handle:
            data = handle.read(MAX_STYLE_BYTES + 1)
    except OSError as exc:
        raise StyleError(f"{name}: cannot read: {exc.strerror or exc}") from None
    return check_style_bytes(data, source=name)


def independent_parent_id(data: bytes, *, source: str = "<style>") -> str | None:
    """For a dependent style, the id of its parent (to look up locally), else ``None``.

    ``<link rel="independent-parent" href="http://www.zotero.org/styles/apa"/>`` gives
    ``"apa"``. The URL is never fetched.

    Raises:
        StyleError: The style is refused, or the parent link is not a zotero.org style URL or
            plain style id (e.g. ``file:///etc/passwd``).
    """
    root = parse_style_bytes(data, source=source)
    for link in root.iter(f"{{{CSL_NAMESPACE}}}link"):
        if link.get("rel") != "independent-parent":
            continue
        href = (link.get("href") or "").strip()
        match = _STYLE_URL.match(href)
        if match is not None:
            return match["id"]
        if _LOCAL_ID.match(href):
            return href
        raise StyleError(
            f"{source}:{link.sourceline}: refused: independent-parent {href!r} is not a "
            "zotero.org style URL; parents are only looked up locally by id"
        )
    return None
