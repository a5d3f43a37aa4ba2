"""The ``aux`` command: export exactly what a LaTeX paper cites."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from citekit import api
from citekit.cli._util import (
    EXIT_DATA,
    EXIT_OK,
    UsageError,
    check_inputs,
    emit,
    flag,
    print_diagnostics,
)
from citekit.errors import Diagnostics
from citekit.registry import detect_format


def _default_format(aux: Path, output: str | None) -> str:
    """The output format: from ``-o``'s suffix, but ``.bib`` follows the paper's flavour."""
    if aux.suffix.lower() == ".bcf":
        paper = "biblatex"
    else:
        text = aux.read_text(encoding="utf-8", errors="replace")
        paper = "biblatex" if "\\abx@aux@" in text else "bibtex"
    if output and output != "-":
        try:
            named = detect_format(output).name
        except ValueError:
            return paper
        return paper if named == "bibtex" else named
    return paper


def cmd_aux(args: argparse.Namespace) -> int:
    """Select the cited records (and their crossref/xdata parents) and write them."""
    quiet, strict = flag(args, "quiet"), flag(args, "strict")
    aux = Path(args.aux)
    check_inputs([args.aux, *(args.bib or []), *(args.strings or [])])
    if aux.suffix.lower() not in (".aux", ".bcf"):
        raise UsageError(f"{aux}: expected a .aux or .bcf file")
    # Replacing a library by the subset one paper cites is never what a user wants.
    if args.output and Path(args.output).resolve() in {Path(b).resolve() for b in args.bib or []}:
        raise UsageError(f"-o {args.output} would overwrite one of the --bib libraries")
    if not args.bib and args.output not in (None, "-"):
        from citekit.errors import Diagnostics as _Sink
        from citekit.syntax.aux import read_aux

        named = read_aux(aux, diagnostics=_Sink()).bibdata
        if Path(args.output).resolve() in {path.resolve() for path in named}:
            raise UsageError(
                f"the paper's bibliography is {args.output} itself; give the libraries with --bib"
            )
    to_format = args.to_format or _default_format(aux, args.output)
    library, missing = api.cited_library(
        aux, args.bib or [], format=args.from_format, strict=strict, strings=args.strings or ()
    )
    diagnostics = Diagnostics(strict=False, items=library.diagnostics)
    text = api.write_string(library, format=to_format, diagnostics=diagnostics)
    emit(text, args.output)
    print_diagnostics(diagnostics.items, quiet=quiet)
    if not quiet:
        where = args.output if args.output not in (None, "-") else "stdout"
        print(
            f"citekit: {len(library.records)} cited records written to {where}"
            + (f"; {len(missing)} keys missing" if missing else ""),
            file=sys.stderr,
        )
    if missing and not args.allow_missing:
        return EXIT_DATA
    return EXIT_DATA if strict and diagnostics.has_errors else EXIT_OK
