"""Errors and diagnostics: the two channels through which citekit reports problems.

Unusable input or misuse raises an exception; everything else is a :class:`Diagnostic`
collected next to the data, so one bad entry never costs the rest of a file.

Exception hierarchy::

    CitekitError
    ├── StrictModeError        (a diagnostic of error severity while strict=True)
    ├── UnknownFormatError     (also ValueError)
    ├── StyleNotFoundError     (also LookupError)
    ├── StyleError             (also ValueError: a style or locale citekit refuses to load)
    └── CitekitWriteError      (also OSError: the destination could not be written)
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

__all__ = [
    "CitekitError",
    "CitekitWriteError",
    "Diagnostic",
    "Diagnostics",
    "Severity",
    "StrictModeError",
    "StyleError",
    "StyleNotFoundError",
    "UnknownFormatError",
]


class Severity(enum.StrEnum):
    """How bad a diagnostic is."""

    ERROR = "error"
    """Something in the input was broken; the affected entry or field was skipped or repaired."""
    WARNING = "warning"
    """The input was read, but probably not as its author meant."""
    INFO = "info"
    """A note about a guess or a normalisation."""


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One located problem report.

    Example: ``refs.bib:17:3: error: missing comma [smith2020] (bibtex.missing-comma)``.

    Attributes:
        severity: How bad it is.
        code: ``<layer-or-format>.<kebab-reason>``, stable so users and tests can filter.
        message: A sentence for humans.
        source: File name, ``-`` for stdin, or ``<string>``.
        line: 1-based line, if known.
        column: 1-based column, if known.
        key: The entry key (record id) concerned, if any.
        field: The field or CSL variable concerned, if any.
    """

    severity: Severity
    code: str
    message: str
    source: str | None = None
    line: int | None = None
    column: int | None = None
    key: str | None = None
    field: str | None = None

    @property
    def location(self) -> str:
        """``file:line:col`` with the parts that are known."""
        parts = [self.source or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity.value}: {self.message}"
        if self.key is not None:
            text += f" [{self.key}]"
        return f"{text} ({self.code})"

    def to_json(self) -> dict[str, object]:
        """A JSON-ready mapping (``None`` parts left out)."""
        out: dict[str, object] = {"severity": self.severity.value, "code": self.code}
        out["message"] = self.message
        for name in ("source", "line", "column", "key", "field"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        return out


class CitekitError(Exception):
    """Base class of every exception citekit raises on purpose."""


class StrictModeError(CitekitError):
    """Raised in strict mode at the first diagnostic of error severity."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(str(diagnostic))
        self.diagnostic = diagnostic


class UnknownFormatError(CitekitError, ValueError):
    """A format name, alias or file suffix that no reader or writer handles."""

    def __init__(self, name: str, *, known: Iterable[str] = ()) -> None:
        known = sorted(known)
        hint = f" (known: {', '.join(known)})" if known else ""
        super().__init__(f"unknown format {name!r}{hint}")
        self.name = name
        self.known = known


class StyleNotFoundError(CitekitError, LookupError):
    """No CSL style of that name or path; the message lists close matches."""

    def __init__(
        self, name: str, *, searched: Iterable[str] = (), suggestions: Iterable[str] = ()
    ) -> None:
        self.name = name
        self.searched = list(searched)
        self.suggestions = list(suggestions)
        message = f"no CSL style named {name!r}"
        if self.suggestions:
            message += f"; did you mean: {', '.join(self.suggestions)}?"
        super().__init__(message)


class StyleError(CitekitError, ValueError):
    """A CSL style or locale that cannot be used (malformed, hostile, or crashing)."""


class CitekitWriteError(CitekitError, OSError):
    """The output could not be written; the destination was left untouched."""


@dataclass(slots=True)
class Diagnostics:
    """An ordered collector of diagnostics with an optional strict switch.

    Readers and writers report into one of these. With ``strict=True`` the first
    diagnostic of error severity raises :class:`StrictModeError`; otherwise everything
    is collected and processing goes on.
    """

    strict: bool = False
    items: list[Diagnostic] = field(default_factory=list)

    def report(self, diagnostic: Diagnostic) -> None:
        """Record ``diagnostic``; raise it in strict mode when it is an error."""
        self.items.append(diagnostic)
        if self.strict and diagnostic.severity is Severity.ERROR:
            raise StrictModeError(diagnostic)

    def error(self, code: str, message: str, **where: str | int | None) -> None:
        """Shortcut for an error-severity diagnostic (``where`` = source/line/column/key/field)."""
        self.report(Diagnostic(Severity.ERROR, code, message, **where))  # type: ignore[arg-type]

    def warning(self, code: str, message: str, **where: str | int | None) -> None:
        """Shortcut for a warning-severity diagnostic."""
        self.report(Diagnostic(Severity.WARNING, code, message, **where))  # type: ignore[arg-type]

    def info(self, code: str, message: str, **where: str | int | None) -> None:
        """Shortcut for an info-severity diagnostic."""
        self.report(Diagnostic(Severity.INFO, code, message, **where))  # type: ignore[arg-type]

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        """Report several diagnostics in order."""
        for diagnostic in diagnostics:
            self.report(diagnostic)

    @property
    def has_errors(self) -> bool:
        """Whether any collected diagnostic has error severity."""
        return any(d.severity is Severity.ERROR for d in self.items)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)
