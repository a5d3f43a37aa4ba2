"""The ``citekit`` command line: ``main(argv) -> exit status``.

Exit codes: 0 ok; 1 problems in the data (error diagnostics with ``--strict``, or an
unusable input); 2 usage errors. Diagnostics go to stderr as
``file:line:col: severity: message [key] (code)``; tracebacks only with ``--debug``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from citekit import api
from citekit.errors import CitekitError, Diagnostic, Severity, StrictModeError
from citekit.registry import reader_names, writer_names

__all__ = ["main"]

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


def _print_diagnostics(diagnostics: Sequence[Diagnostic], *, quiet: bool) -> None:
    for diagnostic in diagnostics:
        if quiet and diagnostic.severity is not Severity.ERROR:
            continue
        if diagnostic.severity is Severity.INFO:
            continue
        print(diagnostic, file=sys.stderr)


def _cmd_convert(args: argparse.Namespace) -> int:
    library, _ = api.convert(
        args.inputs,
        args.output or "-",
        from_format=args.from_format,
        to_format=args.to_format,
        strict=args.strict,
    )
    _print_diagnostics(library.diagnostics, quiet=args.quiet)
    if args.strict and library.errors:
        return EXIT_DATA
    return EXIT_OK


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--strict", action="store_true", help="exit 1 on any error diagnostic")
    parser.add_argument("-q", "--quiet", action="store_true", help="only print errors")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="citekit",
        description="Correct citations from BibTeX, BibLaTeX, CSL-JSON and markdown lists.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    convert = commands.add_parser(
        "convert",
        help="convert between bibliography formats",
        description="Read one or more inputs and write them in another format.",
        epilog="example: citekit convert refs.bib --to csl-json -o refs.json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    convert.add_argument("inputs", nargs="+", metavar="INPUT", help="input files, - for stdin")
    convert.add_argument(
        "-f", "--from", dest="from_format", choices=reader_names(), help="input format"
    )
    convert.add_argument(
        "-t", "--to", dest="to_format", choices=writer_names(), help="output format"
    )
    convert.add_argument("-o", "--output", help="output file (default: stdout)")
    _add_common(convert)
    convert.set_defaults(handler=_cmd_convert)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return handler(args)
    except StrictModeError as exc:
        print(exc.diagnostic, file=sys.stderr)
        return EXIT_DATA
    except (CitekitError, OSError) as exc:
        if getattr(args, "debug", False):
            raise
        print(f"citekit: error: {exc}", file=sys.stderr)
        return EXIT_DATA


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
