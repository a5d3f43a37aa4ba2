r"""What a LaTeX run says a paper cites: BibTeX ``.aux``, biblatex ``.aux`` and biber ``.bcf``.

Understood, each citation with its file and 1-based line::

    \citation{a,b}            % \cite / \nocite with BibTeX; \nocite{*} is \citation{*}
    \bibdata{refs,more}       % the .bib files named by \bibliography
    \bibstyle{plain}
    \@input{chapter1.aux}     % \include'd files, relative to the including .aux file
    \abx@aux@cite{0}{key}     % biblatex (older versions: \abx@aux@cite{key})
    \abx@aux@nociteall        % biblatex's \nocite{*}

and the biber control file ``paper.bcf`` (``<bcf:citekey order="1">key</bcf:citekey>``, ``*``
for ``\nocite{*}``, ``<bcf:datasource>`` for ``\addbibresource``). The XML is parsed with
entities, DTDs and network access refused.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from citekit.errors import Diagnostics

__all__ = ["AuxCitation", "AuxData", "parse_aux_text", "parse_bcf_bytes", "read_aux"]

BCF_NAMESPACE = "https://sourceforge.net/projects/biblatex"

_COMMAND = re.compile(
    r"\\(?P<name>citation|bibdata|bibstyle|@input|abx@aux@cite|abx@aux@nociteall)"
    r"(?:\{(?P<one>[^{}]*)\}(?:\{(?P<two>[^{}]*)\})?)?"
)
_MAX_DEPTH = 32


@dataclass(frozen=True, slots=True)
class AuxCitation:
    """One cited key and where the LaTeX run recorded it (``*`` means "cite everything")."""

    key: str
    source: str
    line: int | None = None


@dataclass(slots=True)
class AuxData:
    """Everything a paper's ``.aux``/``.bcf`` files say about its bibliography."""

    citations: list[AuxCitation] = field(default_factory=list)
    """Citations in document order, duplicates included (each place is reported)."""
    bibdata: list[Path] = field(default_factory=list)
    r"""Bibliography files named by ``\bibdata`` or ``<bcf:datasource>``, resolved."""
    bibstyle: str | None = None
    files: list[str] = field(default_factory=list)
    """Every ``.aux``/``.bcf`` file read, in order."""

    @property
    def cite_all(self) -> bool:
        r"""Whether the paper has ``\nocite{*}``."""
        return any(citation.key == "*" for citation in self.citations)

    @property
    def keys(self) -> list[str]:
        """Cited keys in first-citation order, without duplicates and without ``*``."""
        seen: dict[str, None] = {}
        for citation in self.citations:
            if citation.key != "*":
                seen.setdefault(citation.key, None)
        return list(seen)


def _bib_path(base: Path, name: str) -> Path:
    name = name.strip()
    path = Path(name)
    if not path.suffix:
        path = path.with_name(path.name + ".bib")
    return path if path.is_absolute() else base / path


def parse_aux_text(
    text: str,
    *,
    source: str,
    diagnostics: Diagnostics,
    base: Path | None = None,
    data: AuxData | None = None,
    _depth: int = 0,
    _seen: set[Path] | None = None,
) -> AuxData:
    r"""Parse the text of one ``.aux`` file, following ``\@input`` into nested files.

    Args:
        text: The ``.aux`` contents.
        source: The file name used in citations and diagnostics.
        diagnostics: Collector for unreadable nested files and input cycles.
        base: Folder that relative ``\@input``/``\bibdata`` names start from (default: the
            folder of ``source``).
        data: Results to add to (used for nested files).

    Returns:
        The citations, bibliography files and style found.
    """
    out = data if data is not None else AuxData()
    out.files.append(source)
    folder = base if base is not None else Path(source).parent
    seen = _seen if _seen is not None else {Path(source).resolve()}
    for match in _COMMAND.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        name, one, two = match["name"], match["one"], match["two"]
        if name == "abx@aux@nociteall":
            out.citations.append(AuxCitation("*", source, line))
        elif one is None:
            continue
        elif name == "citation":
            for key in one.split(","):
                if key.strip():
                    out.citations.append(AuxCitation(key.strip(), source, line))
        elif name == "abx@aux@cite":
            key = two if two is not None else one
            if key.strip():
                out.citations.append(AuxCitation(key.strip(), source, line))
        elif name == "bibdata":
            out.bibdata.extend(_bib_path(folder, item) for item in one.split(",") if item.strip())
        elif name == "bibstyle":
            out.bibstyle = one.strip()
        else:  # \@input
            # LaTeX writes \@input names relative to the main file's folder (includes don't
            # nest), so every nested name starts from the top-level .aux file's folder.
            nested = folder / one.strip()
            if not nested.is_file() and (Path(source).parent / one.strip()).is_file():
                nested = Path(source).parent / one.strip()
            _read_nested(nested, folder, out, source, line, diagnostics, _depth, seen)
    return out


def _read_nested(
    path: Path,
    base: Path,
    out: AuxData,
    source: str,
    line: int,
    diagnostics: Diagnostics,
    depth: int,
    seen: set[Path],
) -> None:
    resolved = path.resolve()
    if resolved in seen or depth >= _MAX_DEPTH:
        diagnostics.warning(
            "aux.input-cycle", f"{path} is included again; skipped", source=source, line=line
        )
        return
    seen.add(resolved)
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        diagnostics.warning(
            "aux.missing-input",
            f"cannot read included {path}: {exc.strerror or exc}; run LaTeX again?",
            source=source,
            line=line,
        )
        return
    parse_aux_text(
        text,
        source=str(path),
        diagnostics=diagnostics,
        base=base,
        data=out,
        _depth=depth + 1,
        _seen=seen,
    )


def parse_bcf_bytes(
    data: bytes, *, source: str, diagnostics: Diagnostics, out: AuxData | None = None
) -> AuxData:
    """Parse a biber control file (``.bcf``) safely: no entities, no DTD, no network.

    Args:
        data: The file's bytes.
        source: File name for citations and diagnostics.
        diagnostics: Collector for XML errors (the file is then skipped).
        out: Results to add to.
    """
    from lxml import etree  # heavy; imported only when a .bcf is read

    result = out if out is not None else AuxData()
    result.files.append(source)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        diagnostics.error(
            "aux.bcf-doctype", "DOCTYPE/ENTITY declarations are refused", source=source, line=1
        )
        return result
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        diagnostics.error(
            "aux.bcf-syntax",
            f"invalid .bcf XML: {exc.msg}",
            source=source,
            line=line,
            column=column,
        )
        return result
    ns = {"bcf": BCF_NAMESPACE}
    base = Path(source).parent
    for element in root.iterfind(".//bcf:datasource", ns):
        if element.text and element.get("type", "file") == "file":
            result.bibdata.append(_bib_path(base, element.text))
    for element in root.iterfind(".//bcf:section/bcf:citekey", ns):
        key = (element.text or "").strip()
        if key:
            result.citations.append(AuxCitation(key, source, element.sourceline))
    return result


def read_aux(path: str | os.PathLike[str], *, diagnostics: Diagnostics) -> AuxData:
    """Read a ``.aux`` or ``.bcf`` file (a biblatex ``.aux`` also reads its ``.bcf``).

    A biblatex ``.aux`` names no bibliography files; when the ``.bcf`` beside it exists its
    ``<bcf:datasource>`` entries are used (its citations repeat the ``.aux`` ones and are not
    added twice).

    Raises:
        OSError: ``path`` cannot be read.
    """
    path = Path(path)
    if path.suffix.lower() == ".bcf":
        return parse_bcf_bytes(path.read_bytes(), source=str(path), diagnostics=diagnostics)
    text = path.read_text(encoding="utf-8", errors="replace")
    data = parse_aux_text(text, source=str(path), diagnostics=diagnostics)
    bcf = path.with_suffix(".bcf")
    if "\\abx@aux@" in text and not data.bibdata and bcf.is_file():
        extra = parse_bcf_bytes(bcf.read_bytes(), source=str(bcf), diagnostics=diagnostics)
        data.bibdata.extend(extra.bibdata)
        data.files.append(str(bcf))
    return data
