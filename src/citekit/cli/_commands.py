"""The ``convert``, ``roundtrip``, ``check``, ``formats`` and ``styles`` commands."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from citekit import api
from citekit.cli._util import (
    EXIT_DATA,
    EXIT_OK,
    UsageError,
    check_inputs,
    emit,
    flag,
    print_diagnostics,
    read_command_inputs,
)
from citekit.errors import Diagnostics, Severity
from citekit.model import Library, Record
from citekit.registry import FORMATS, detect_format


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [item for item in value if isinstance(item, str)]
    return []


def _record_sections(record: Record) -> list[str]:
    """Section headings a markdown record was found under (and its keywords)."""
    found: list[str] = []
    custom = record.get("custom")
    markdown = custom.get("markdown") if isinstance(custom, dict) else None
    if isinstance(markdown, dict):
        for name in ("section", "sections", "heading", "headings", "path"):
            found.extend(_texts(markdown.get(name)))
    return found


def _record_keywords(record: Record) -> list[str]:
    keywords = record.get("keyword")
    found = [part.strip() for part in keywords.split(",")] if isinstance(keywords, str) else []
    custom = record.get("custom")
    markdown = custom.get("markdown") if isinstance(custom, dict) else None
    if isinstance(markdown, dict):
        for name in ("tags", "keywords"):
            found.extend(_texts(markdown.get(name)))
    return found


def filter_library(library: Library, sections: list[str], keywords: list[str]) -> Library:
    """Records under any of ``sections`` and carrying any of ``keywords`` (case-insensitive).

    A section matches when it is a substring of one of the record's section headings (or,
    for readers that turn headings into keywords, of one of its keywords); a keyword must
    match one keyword exactly. Empty lists do not filter.
    """
    if not sections and not keywords:
        return library
    wanted_sections = [s.casefold() for s in sections]
    wanted_keywords = {k.casefold() for k in keywords}
    keep: list[str] = []
    for record in library.records:
        words = [w.casefold() for w in _record_keywords(record)]
        heads = [h.casefold() for h in _record_sections(record)] + words
        if wanted_sections and not any(s in h for s in wanted_sections for h in heads):
            continue
        if wanted_keywords and not wanted_keywords.intersection(words):
            continue
        keep.append(str(record.get("id")))
    selected = library.select(keep)
    return selected


def _writer_options(args: argparse.Namespace) -> dict[str, Any]:
    options: dict[str, Any] = {}
    if getattr(args, "keys", None):
        options["key_pattern"] = args.keys
    if getattr(args, "keep_macros", False):
        options["keep_macros"] = True
    return options


def _target_format(args: argparse.Namespace) -> str:
    if args.to_format:
        return str(args.to_format)
    if args.output and args.output != "-":
        return detect_format(args.output).name
    raise UsageError("name the output format with -t/--to (or an -o file with a known suffix)")


def cmd_convert(args: argparse.Namespace) -> int:
    """Read every input, merge, filter, and write one output."""
    quiet, strict = flag(args, "quiet"), flag(args, "strict")
    to_format = _target_format(args)
    options = _writer_options(args)
    bib_target = to_format in ("bibtex", "biblatex")
    if (options.get("key_pattern") or options.get("keep_macros")) and not bib_target:
        raise UsageError("--keys and --keep-macros apply to bibtex/biblatex output only")
    parallel = {"jobs": args.jobs} if args.jobs is not None and bib_target else {}
    report = None
    if args.report and bib_target:
        from citekit.mapping.report import ConversionReport

        report = ConversionReport(to_format)
        options["report"] = report
    if not (args.report or args.section or args.keyword or options):
        return _convert_streaming(args, to_format, strict=strict, quiet=quiet, options=parallel)
    library = read_command_inputs(args, strict=strict, quiet=quiet)
    library = filter_library(library, args.section or [], args.keyword or [])
    diagnostics = Diagnostics(strict=strict, items=library.diagnostics)
    text = api.write_string(
        library, format=to_format, diagnostics=diagnostics, **options, **parallel
    )
    emit(text, args.output)
    print_diagnostics(diagnostics.items, quiet=quiet)
    if args.report:
        if report is not None:
            sys.stderr.write(report.format_text())
        else:
            print(
                f"citekit: {to_format} holds every CSL variable; "
                f"{len(library.records)} records written without loss",
                file=sys.stderr,
            )
    if not library.records and not quiet:
        print("citekit: warning: no records were written", file=sys.stderr)
    return EXIT_DATA if strict and diagnostics.has_errors else EXIT_OK


def _convert_streaming(
    args: argparse.Namespace,
    to_format: str,
    *,
    strict: bool,
    quiet: bool,
    options: dict[str, Any] | None = None,
) -> int:
    """``convert`` without whole-library options: records stream from reader to writer.

    Memory stays flat as the input grows (issue 7); the output bytes are those of the
    library path (``tests/test_streaming.py``).
    """
    check_inputs([*args.inputs, *(args.strings or [])])
    result = api.convert_stream(
        args.inputs,
        args.output or "-",
        from_format=args.from_format,
        to_format=to_format,
        strict=strict,
        strings=args.strings or (),
        jobs=args.jobs,
        write_options=options or None,
    )
    print_diagnostics(result.diagnostics, quiet=quiet)
    if not result.count and not quiet:
        print("citekit: warning: no records were written", file=sys.stderr)
    has_errors = any(d.severity is Severity.ERROR for d in result.diagnostics)
    return EXIT_DATA if strict and has_errors else EXIT_OK


def cmd_roundtrip(args: argparse.Namespace) -> int:
    """Convert a file to the other model and back; print the semantic difference."""
    check_inputs([args.file])
    result = api.roundtrip(args.file, format=args.from_format, via=args.via)
    print_diagnostics(result.diagnostics, quiet=flag(args, "quiet"))
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        sys.stdout.write(result.format_text())
    return EXIT_OK if result.lossless else EXIT_DATA


def cmd_check(args: argparse.Namespace) -> int:
    """Lint the inputs; exit 1 on errors (or on warnings with --strict)."""
    quiet = flag(args, "quiet")
    library = read_command_inputs(args, strict=False, quiet=quiet)
    found = api.check(library)
    # Read errors (a skipped entry, a broken file) count too: they are printed by read_inputs.
    seen = set(found)
    errors = sum(d.severity is Severity.ERROR for d in found) + sum(
        d.severity is Severity.ERROR and d not in seen for d in library.diagnostics
    )
    warnings = sum(d.severity is Severity.WARNING for d in found)
    if args.json:
        document = {
            "inputs": list(args.inputs),
            "records": len(library.records),
            "errors": errors,
            "warnings": warnings,
            "diagnostics": [d.to_json() for d in found],
        }
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        for diagnostic in found:
            if diagnostic.severity is Severity.INFO and not args.verbose:
                continue
            if quiet and diagnostic.severity is not Severity.ERROR:
                continue
            print(diagnostic)
        if not quiet:
            print(
                f"{len(library.records)} records, {errors} errors, {warnings} warnings",
                file=sys.stderr,
            )
    failed = errors > 0 or (flag(args, "strict") and warnings > 0)
    return EXIT_DATA if failed else EXIT_OK


def cmd_formats(args: argparse.Namespace) -> int:
    """List the formats, their aliases and suffixes."""
    rows = []
    for fmt in FORMATS:
        modes = ("read" if fmt.reader else "") + ("/write" if fmt.writer else "")
        rows.append((fmt.name, modes.strip("/"), ", ".join(fmt.suffixes), ", ".join(fmt.aliases)))
    if args.json:
        keys = ("name", "modes", "suffixes", "aliases")
        print(json.dumps([dict(zip(keys, row, strict=True)) for row in rows], indent=2))
        return EXIT_OK
    header = ("FORMAT", "MODES", "SUFFIXES", "ALIASES")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3])
    return EXIT_OK


def cmd_styles(args: argparse.Namespace) -> int:
    """List or search the CSL styles citekit can find."""
    from citekit import styles

    found = styles.available(args.query)
    for info in found:
        notes = [info.origin, "dependent"] if info.dependent else [info.origin]
        print(f"{info.name}\t{', '.join(notes)}")
    if not found:
        print(f"citekit: no style matches {args.query!r}", file=sys.stderr)
        return EXIT_DATA
    return EXIT_OK
