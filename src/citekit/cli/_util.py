"""Shared CLI plumbing: reading inputs with progress, printing diagnostics, writing output."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from citekit.errors import Diagnostic, Severity

if TYPE_CHECKING:
    from citekit.model import Library

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A mistake in the command line (exit status 2)."""


class Progress:
    """A one-line progress bar on stderr, shown only when stderr is a terminal."""

    def __init__(
        self, total: int, label: str, *, quiet: bool = False, stream: TextIO | None = None
    ):
        self.stream = stream or sys.stderr
        self.total = total
        self.label = label
        self.done = 0
        self.enabled = total > 1 and not quiet and _isatty(self.stream)
        self._last = 0.0

    def step(self, note: str = "") -> None:
        """Count one unit of work and redraw (at most ~20 times a second)."""
        self.done += 1
        now = time.monotonic()
        if not self.enabled or (now - self._last < 0.05 and self.done < self.total):
            return
        self._last = now
        width = 24
        filled = width * self.done // max(self.total, 1)
        bar = "#" * filled + "-" * (width - filled)
        text = f"\r{self.label} [{bar}] {self.done}/{self.total} {note[:40]}"
        self.stream.write(text.ljust(100)[:100])
        self.stream.flush()

    def close(self) -> None:
        """Erase the bar."""
        if self.enabled:
            self.stream.write("\r" + " " * 100 + "\r")
            self.stream.flush()


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def print_diagnostics(diagnostics: Iterable[Diagnostic], *, quiet: bool) -> None:
    """Errors and warnings to stderr (only errors with ``--quiet``; infos never)."""
    for diagnostic in diagnostics:
        if diagnostic.severity is Severity.INFO:
            continue
        if quiet and diagnostic.severity is not Severity.ERROR:
            continue
        print(diagnostic, file=sys.stderr)


def check_inputs(paths: Sequence[str]) -> None:
    """Raise :class:`UsageError` for an input path that does not exist (``-`` is stdin)."""
    if list(paths).count("-") > 1:
        raise UsageError("standard input (-) can be read only once")
    for path in paths:
        if path != "-" and not os.path.exists(path):
            raise UsageError(f"{path}: no such file")
        if path != "-" and os.path.isdir(path):
            raise UsageError(f"{path}: is a directory")


def read_inputs(
    paths: Sequence[str],
    *,
    from_format: str | None,
    strict: bool,
    quiet: bool,
    options: dict[str, Any] | None = None,
    strings: Sequence[str] = (),
) -> Library:
    """Read and merge ``paths`` (as :func:`citekit.api.read_many`) with a progress bar.

    The ``.bib`` files are one BibTeX database: ``@string`` macros and crossref parents are
    shared across them, in order.
    """
    from citekit._multiread import read_paths

    check_inputs(paths)
    progress = Progress(len(paths), "reading", quiet=quiet)
    try:
        return read_paths(
            paths,
            format=from_format,
            strict=strict,
            strings=strings,
            progress=progress.step,
            **(options or {}),
        )
    finally:
        progress.close()


def read_command_inputs(args: argparse.Namespace, *, strict: bool, quiet: bool) -> Library:
    """:func:`read_inputs` of a command's ``INPUT`` arguments with its ``-f`` and ``--strings``."""
    return read_inputs(
        args.inputs,
        from_format=args.from_format,
        strict=strict,
        quiet=quiet,
        strings=args.strings or (),
    )


def emit(text: str, output: str | None) -> None:
    """Write ``text`` to ``output`` atomically, or to stdout for ``None``/``-``."""
    from citekit._io import write_output

    write_output(output, (text,))


def add_common(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """``--strict``, ``--quiet``, ``--debug`` (defaults suppressed on subcommands)."""
    default: Any = argparse.SUPPRESS if suppress else False
    parser.add_argument(
        "--strict", action="store_true", default=default, help="treat error diagnostics as fatal"
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", default=default, help="print only errors"
    )
    parser.add_argument(
        "--debug", action="store_true", default=default, help="show tracebacks on failure"
    )


def flag(args: argparse.Namespace, name: str) -> bool:
    """A common flag's value, wherever on the command line it was given."""
    return bool(getattr(args, name, False))
