"""The argument parser, the subcommand table and the top-level error handling."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import traceback
from collections.abc import Callable, Sequence

from citekit.cli._util import EXIT_DATA, EXIT_OK, EXIT_USAGE, UsageError, add_common
from citekit.errors import (
    CitekitError,
    StrictModeError,
    StyleNotFoundError,
    UnknownFormatError,
)
from citekit.registry import get_format, reader_names, writer_names

__all__ = ["EXIT_DATA", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]

Handler = Callable[[argparse.Namespace], int]
FROM = "input format (default: from each file's suffix)"

MAIN_EPILOG = """\
everyday commands:
  citekit convert reading-list.md -t bibtex -o refs.bib     markdown list → .bib
  citekit format refs.bib --style apa -t markdown            .bib → APA in Markdown
  citekit aux paper.aux --bib refs.bib notes.md -o cited.bib export what the paper cites
  citekit check refs.bib                                     lint a library

exit status: 0 ok, 1 problems in the data (with --strict, missing keys, lint errors),
2 usage errors. Run 'citekit COMMAND --help' for a command's options and examples.
"""

EPILOGS = {
    "convert": """\
examples:
  citekit convert refs.bib -t csl-json -o refs.json
  citekit convert reading-list.md -t bibtex -o refs.bib
  citekit convert notes.md --section "Segmentation" --keyword "!!!" -t bibtex
  citekit convert a.bib b.json c.md -t biblatex -o all.bib   (duplicate ids reported)
  citekit convert refs.bib -t bibtex --keys '{auth}{year}{shorttitle}' -o refs.bib
  citekit convert refs.bib -t bibtex --keep-macros -o refs.bib   (rewrite in place)
  cat refs.bib | citekit convert - -f bibtex -t csl-yaml > refs.yaml
""",
    "roundtrip": """\
examples:
  citekit roundtrip refs.bib        bib → CSL-JSON → bib; prints what changed (nothing = lossless)
  citekit roundtrip refs.json       CSL-JSON → bib → CSL-JSON
exit status 1 when the round trip loses something.
""",
    "format": """\
examples:
  citekit format refs.bib --style apa -t markdown
  citekit format refs.bib --csl my-style.csl -t html -o refs.html
  citekit format refs.bib --style ieee --ids vaswani2017attention,lecun2015deep
  citekit format refs.bib --style apa --cite vaswani2017attention,lecun2015deep \\
      --cite "{see }knuth1984texbook@p. 12"

--cite syntax (one option = one citation, in document order):
  a,b             two items (';' also separates items)
  c@p. 12         locator with label (p./pp., chap., sec., fig., vol., para., line, note…)
  c@12            a bare locator is a page
  c@pp. 3, 5; d   once a locator starts only ';' ends the item
  {see }c{, n. 2} prefix and suffix in braces, before and after the key
""",
    "aux": r"""examples:
  pdflatex paper && citekit aux paper.aux --bib refs.bib notes.md -o cited.bib && bibtex paper
  citekit aux paper.aux -o cited.bib            (reads the files named by \bibdata)
  biber users: citekit aux paper.bcf --bib refs.bib notes.md -t biblatex -o cited.bib

Reads \citation, \bibdata, nested \@input (\include'd chapters), \nocite{*},
biblatex's \abx@aux@cite and the .bcf control file. Records named by crossref/xdata
are pulled in. Missing keys are listed with where they were cited and give exit
status 1 (the file is still written) unless --allow-missing.
""",
    "check": """\
examples:
  citekit check refs.bib
  citekit check refs.bib notes.md --json > lint.json
  citekit check --strict refs.bib     (exit 1 on warnings too, for CI)

Output: file:line:col: severity: message [key] (code). Checks: parse diagnostics,
required fields per entry type (BibTeX/BibLaTeX tables), keys differing only in case,
duplicate DOIs/arXiv ids/titles, probable corporate authors split into given/family,
'Last, Jr.' written as a given name, all-capital titles, unprotected acronyms (-v).
""",
    "styles": """\
examples:
  citekit styles               list bundled styles
  citekit styles chicago       search every known style by name or title
""",
    "formats": """\
examples:
  citekit formats
  citekit formats --json
""",
}


def _format_type(names: list[str]) -> Callable[[str], str]:
    """An argparse type: a format name or alias → the canonical name, among ``names``."""

    def convert(value: str) -> str:
        try:
            name = get_format(value).name
        except UnknownFormatError:
            name = value
        if name not in names:
            raise argparse.ArgumentTypeError(f"{value!r} is not one of {', '.join(names)}")
        return name

    return convert


def _jobs(value: str) -> int:
    """An argparse type for ``-j/--jobs``: a number of processes, ``0`` meaning automatic."""
    try:
        jobs = int(value)
    except ValueError:
        jobs = -1
    if jobs < 0:
        raise argparse.ArgumentTypeError(f"a number >= 0 expected, not {value!r}")
    return jobs


def _sub(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    help_text: str,
    description: str,
) -> argparse.ArgumentParser:
    parser = commands.add_parser(
        name,
        help=help_text,
        description=description,
        epilog=EPILOGS[name],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_common(parser, suppress=True)
    return parser


def _add_strings(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--strings",
        action="append",
        metavar="BIB",
        help="define the @string macros of this .bib file first (its entries are not read;"
        " repeatable). Several .bib inputs already share their macros, as in BibTeX",
    )


def _lazy(module: str, function: str) -> Handler:
    def run(args: argparse.Namespace) -> int:
        import importlib

        handler: Handler = getattr(importlib.import_module(module), function)
        return handler(args)

    return run


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="citekit",
        description="Correct citations from BibTeX, BibLaTeX, CSL-JSON/YAML and markdown lists.",
        epilog=MAIN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    from citekit import __version__

    parser.add_argument("--version", action="version", version=f"citekit {__version__}")
    add_common(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    readers, writers = reader_names(), writer_names()
    rfmt, wfmt = _format_type(readers), _format_type(writers)

    convert = _sub(commands, "convert", "convert between formats", "Read inputs, write one output.")
    convert.add_argument("inputs", nargs="+", metavar="INPUT", help="input files, - for stdin")
    convert.add_argument("-f", "--from", dest="from_format", type=rfmt, metavar="FORMAT", help=FROM)
    _add_strings(convert)
    convert.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        metavar="N",
        help="processes for large inputs (default: automatic, only on idle CPUs; 1: none):"
        " .bib inputs of 2 MB or more are parsed and bibtex/biblatex output of 2,000 records"
        " or more is written in N processes. The output is the same",
    )
    convert.add_argument(
        "-t", "--to", dest="to_format", type=wfmt, metavar="FORMAT",
        help=f"output format: {', '.join(writers)} (default: from -o's suffix)",
    )  # fmt: skip
    convert.add_argument("-o", "--output", help="output file (default: stdout); may be an input")
    convert.add_argument("--keys", metavar="PATTERN", help="generate keys, e.g. {auth}{year}")
    convert.add_argument("--section", action="append", help="markdown: only this section (repeat)")
    convert.add_argument("--keyword", action="append", help="only records with this keyword")
    convert.add_argument("--report", action="store_true", help="print a loss report on stderr")
    convert.add_argument(
        "--keep-macros", action="store_true", help="bib → bib: keep @string macros and @preamble"
    )
    convert.set_defaults(handler=_lazy("citekit.cli._commands", "cmd_convert"))

    roundtrip = _sub(
        commands, "roundtrip", "check that a file survives a round trip", "Semantic diff."
    )
    roundtrip.add_argument("file", metavar="FILE")
    roundtrip.add_argument(
        "-f", "--from", dest="from_format", type=rfmt, metavar="FORMAT", help=FROM
    )
    roundtrip.add_argument("--via", type=wfmt, metavar="FORMAT", help="the intermediate format")
    roundtrip.add_argument("--json", action="store_true", help="the diff as JSON on stdout")
    roundtrip.set_defaults(handler=_lazy("citekit.cli._commands", "cmd_roundtrip"))

    fmt = _sub(commands, "format", "format references in a CSL style", "Format references.")
    fmt.add_argument("inputs", nargs="+", metavar="INPUT")
    fmt.add_argument("-f", "--from", dest="from_format", type=rfmt, metavar="FORMAT", help=FROM)
    _add_strings(fmt)
    fmt.add_argument("--style", metavar="NAME|PATH", help="CSL style name or file (default apa)")
    fmt.add_argument("--csl", metavar="PATH", help="CSL style file")
    fmt.add_argument(
        "-t", "--to", dest="to_format", default="text",
        choices=("text", "html", "markdown", "rst", "latex"), help="output markup (default text)",
    )  # fmt: skip
    fmt.add_argument("--locale", metavar="LANG", help="e.g. de-DE (default: the style's)")
    fmt.add_argument("--cite", action="append", metavar="KEYS", help="render a citation (repeat)")
    fmt.add_argument("--ids", action="append", metavar="KEYS", help="bibliography of these only")
    fmt.add_argument(
        "-j", "--jobs", type=_jobs, metavar="N",
        help="processes for bibliographies of 200 entries or more (default: automatic, only"
        " on idle CPUs; 1: none). The output is the same",
    )  # fmt: skip
    fmt.add_argument("-o", "--output", help="output file (default: stdout)")
    fmt.set_defaults(handler=_lazy("citekit.cli._format", "cmd_format"))

    aux = _sub(commands, "aux", "export what a LaTeX paper cites", "Export cited records.")
    aux.add_argument("aux", metavar="PAPER.aux", help="the paper's .aux (or biber .bcf)")
    aux.add_argument(
        "--bib", nargs="+", action="extend", metavar="LIB",
        help="libraries: .bib, CSL-JSON/YAML, markdown (default: \\bibdata files)",
    )  # fmt: skip
    aux.add_argument("-f", "--from", dest="from_format", type=rfmt, metavar="FORMAT", help=FROM)
    _add_strings(aux)
    aux.add_argument(
        "-t", "--to", dest="to_format", type=wfmt, metavar="FORMAT",
        help="bibtex (default), biblatex (default for biblatex papers), csl-json, csl-yaml",
    )  # fmt: skip
    aux.add_argument("-o", "--output", help="output file (default: stdout)")
    aux.add_argument(
        "--allow-missing", action="store_true", help="exit 0 even when cited keys are missing"
    )
    aux.set_defaults(handler=_lazy("citekit.cli._aux", "cmd_aux"))

    check = _sub(commands, "check", "lint bibliography files", "Lint bibliography files.")
    check.add_argument("inputs", nargs="+", metavar="INPUT")
    check.add_argument("-f", "--from", dest="from_format", type=rfmt, metavar="FORMAT", help=FROM)
    _add_strings(check)
    check.add_argument("--json", action="store_true", help="JSON on stdout")
    check.add_argument("-v", "--verbose", action="store_true", help="show info findings too")
    check.set_defaults(handler=_lazy("citekit.cli._commands", "cmd_check"))

    styles = _sub(commands, "styles", "list or search CSL styles", "List or search CSL styles.")
    styles.add_argument("query", nargs="?", help="part of a style's name or title")
    styles.set_defaults(handler=_lazy("citekit.cli._commands", "cmd_styles"))

    formats = _sub(commands, "formats", "list formats", "List the formats citekit reads/writes.")
    formats.add_argument("--json", action="store_true")
    formats.set_defaults(handler=_lazy("citekit.cli._commands", "cmd_formats"))
    return parser


def _error(message: str) -> None:
    print(f"citekit: error: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit status (never raises, except with ``--debug``)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error argparse printed
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    debug = bool(getattr(args, "debug", False))
    try:
        return handler(args)
    except StrictModeError as exc:
        print(exc.diagnostic, file=sys.stderr)
        return EXIT_DATA
    except UsageError as exc:
        _error(str(exc))
        return EXIT_USAGE
    except (UnknownFormatError, StyleNotFoundError) as exc:
        _error(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except BrokenPipeError:
        # The reader of our stdout went away (``citekit ... | head``): stop quietly, and keep
        # Python from complaining again when it flushes stdout at exit.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return EXIT_DATA
    except ModuleNotFoundError as exc:
        if debug:
            traceback.print_exc()
        if not (exc.name or "").startswith("citekit."):
            _error(f"a library citekit needs is not installed: {exc.name}")
        else:
            _error(f"this build of citekit lacks {exc.name} (that format or feature is missing)")
        return EXIT_DATA
    except (CitekitError, OSError) as exc:
        if debug:
            traceback.print_exc()
        _error(str(exc))
        return EXIT_DATA
    except Exception as exc:
        if debug:
            traceback.print_exc()
        else:
            print(
                f"citekit: internal error: {type(exc).__name__}: {exc} "
                "(please report it; --debug shows the traceback)",
                file=sys.stderr,
            )
        return EXIT_DATA
