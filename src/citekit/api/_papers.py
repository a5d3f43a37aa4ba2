"""The public API for LaTeX papers: the records a paper cites, and the ``check`` lints."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

from citekit.api._common import PathLike
from citekit.cited import MissingCitation, select_cited
from citekit.errors import Diagnostic, Diagnostics
from citekit.model import Library

__all__ = ["check", "cited_library"]


def cited_library(
    aux_path: PathLike,
    libraries: Iterable[PathLike] = (),
    *,
    format: str | None = None,
    strict: bool = False,
    strings: Iterable[PathLike] = (),
    **options: Any,
) -> tuple[Library, list[MissingCitation]]:
    r"""The records a LaTeX paper cites, read from its ``.aux`` (or biber ``.bcf``) file.

    Understands BibTeX ``.aux`` files (``\citation``, ``\bibdata``, nested ``\@input``),
    biblatex ``.aux`` files (``\abx@aux@cite``) with their ``.bcf`` and ``\nocite{*}``.
    Records named by a cited record's ``crossref``/``xdata``/``xref`` are pulled in too.
    Keys are matched exactly, then case-insensitively (as BibTeX does) with a warning.

    Args:
        aux_path: ``paper.aux`` or ``paper.bcf``.
        libraries: Bibliography files (any readable format: .bib, CSL-JSON, CSL YAML,
            markdown lists). When empty, the files the paper names (``\bibdata``,
            ``\addbibresource``) are read.
        format: Input format of the libraries (default: from each suffix).
        strict: Raise at the first error diagnostic.
        strings: ``.bib`` files whose ``@string`` macros are defined first (see
            :func:`read_many`; the paper's own ``.bib`` files already share theirs).
        **options: Reader options.

    Returns:
        The cited records in library order, with every diagnostic (an ``aux.missing-key``
        error for each key not found), and the missing keys with where they were cited.
    """
    from citekit.api import read_many
    from citekit.syntax.aux import read_aux

    diagnostics = Diagnostics(strict=False)
    aux = read_aux(aux_path, diagnostics=diagnostics)
    paths: list[PathLike] = list(libraries)
    if not paths:
        for path in aux.bibdata:
            if path.is_file():
                paths.append(path)
            else:
                diagnostics.error(
                    "aux.missing-bibdata",
                    f"the paper names {path.name}, which does not exist",
                    source=aux.files[0],
                )
    if not paths and not aux.bibdata:
        diagnostics.error(
            "aux.no-bibdata",
            "the paper names no bibliography file; give the libraries with --bib",
            source=os.fspath(aux_path),
        )
    full = (
        read_many(paths, format=format, strict=strict, strings=strings, **options)
        if paths
        else Library()
    )
    return select_cited(full, aux, diagnostics, source=os.fspath(aux_path))


def check(library: Library) -> list[Diagnostic]:
    """Lint ``library`` (see :func:`citekit.checks.check_library`).

    Returns:
        The library's own diagnostics followed by the lint findings.
    """
    from citekit.checks import check_library

    return [*library.diagnostics, *check_library(library)]
