"""Real BibTeX and biber as judges: run them on an original .bib and on citekit's rewrite.

Used by ``test_bbl_judge.py`` (small fixture, always on when the tools exist) and by
``benchmarks/bbl_agreement.py`` (the corpora). BibTeX runs straight from a hand-written
``.aux`` (``\\citation{*}``); biber needs a ``.bcf``, so LaTeX runs once per check.

Entries are compared after normalising what renders identically: LaTeX accents are decoded
(``{\\"u}`` = ``\\"{u}`` = ``ü``), ``\\newblock`` and line breaks (BibTeX wraps at 79
columns, so a different spelling moves the breaks) are dropped, braces are removed and white
space is collapsed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from citekit.syntax.latex_to_unicode import latex_to_unicode

__all__ = ["BblComparison", "biber_bbl", "bibtex_bbl", "compare_bbl", "have_tools", "split_bbl"]

_ITEM = re.compile(r"\\bibitem(?:\[(?:[^\[\]]|\[[^\]]*\])*\])?\{([^}]*)\}")
_BIBER_ENTRY = re.compile(r"\\entry\{([^}]*)\}")
_SPACE = re.compile(r"\s+")
_BBL_WARN = re.compile(r"\\warn\{\\item (.*)\}$", re.MULTILINE)


def have_tools(*names: str) -> bool:
    """``True`` when every program in ``names`` is on the PATH."""
    return all(shutil.which(name) for name in names)


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=600, check=False,
        encoding="utf-8", errors="replace",
    )  # fmt: skip


def bibtex_bbl(bib_text: str, style: str, workdir: Path, name: str = "refs") -> tuple[str, str]:
    """Run ``bibtex`` with ``style`` on ``bib_text`` citing everything; ``(.bbl, .blg)``."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / f"{name}.bib").write_text(bib_text, "utf-8")
    (workdir / f"{name}.aux").write_text(
        f"\\relax\n\\citation{{*}}\n\\bibstyle{{{style}}}\n\\bibdata{{{name}}}\n", "utf-8"
    )
    _run(["bibtex", "-terse", name], workdir)
    bbl = workdir / f"{name}.bbl"
    blg = workdir / f"{name}.blg"
    return (
        bbl.read_text("utf-8", errors="replace") if bbl.exists() else "",
        blg.read_text("utf-8", errors="replace") if blg.exists() else "",
    )


def biber_bbl(bib_text: str, workdir: Path, name: str = "refs") -> tuple[str, list[str]]:
    """Run LaTeX + biber (biblatex, ``\\nocite{*}``); ``(.bbl, biber warning lines)``."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / f"{name}.bib").write_text(bib_text, "utf-8")
    (workdir / "doc.tex").write_text(
        "\\documentclass{article}\n\\usepackage[backend=biber]{biblatex}\n"
        f"\\addbibresource{{{name}.bib}}\n\\begin{{document}}\n\\nocite{{*}}\n"
        "\\printbibliography\n\\end{document}\n",
        "utf-8",
    )
    _run(["pdflatex", "-interaction=nonstopmode", "-draftmode", "doc.tex"], workdir)
    result = _run(["biber", "--quiet", "doc"], workdir)
    bbl = workdir / "doc.bbl"
    blg = workdir / "doc.blg"
    log = blg.read_text("utf-8", errors="replace") if blg.exists() else result.stdout
    warnings = [line.split("- ", 1)[-1] for line in log.splitlines() if "WARN" in line]
    text = bbl.read_text("utf-8", errors="replace") if bbl.exists() else ""
    # biber also writes each data warning into the .bbl (``\warn{\item …}``, which biblatex
    # shows as a LaTeX warning); with --quiet the .blg can be empty, so collect those too.
    for item in _BBL_WARN.findall(text):
        if item not in warnings:
            warnings.append(item)
    return text, warnings


def _normal(text: str) -> str:
    text = text.replace("\\newblock", " ").replace("%\n", "")
    text = _SPACE.sub(" ", text)
    decoded = latex_to_unicode(text, mode="text").text
    decoded = decoded.replace("{", "").replace("}", "").replace("\u00a0", " ")
    return _SPACE.sub(" ", decoded).strip()


def split_bbl(bbl: str, *, biber: bool = False) -> dict[str, str]:
    """Entry key → normalised entry text."""
    pattern = _BIBER_ENTRY if biber else _ITEM
    out: dict[str, str] = {}
    matches = list(pattern.finditer(bbl))
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(bbl)
        body = bbl[match.end() : end]
        if biber:
            body = body.split("\\endentry", 1)[0]
            # Hashes and the source-order/labels biber computes from the whole list.
            # ``date`` gives ``\field{dateera}{ce}`` where ``year`` gives none: same output.
            body = re.sub(r"\\strng\{[^}]*\}\{[^}]*\}|\\field\{(?:extra\w*|labelalpha)\}\{[^}]*\}"
                          r"|\\field\{\w*dateera\}\{ce\}", "", body)  # fmt: skip
            lines = sorted(line.strip() for line in body.splitlines() if line.strip())
            body = "\n".join(lines)
        else:
            body = body.split("\\end{thebibliography}", 1)[0]
        out[match.group(1)] = _normal(body)
    return out


@dataclass
class BblComparison:
    """Entry-by-entry agreement of two ``.bbl`` files."""

    same: list[str] = field(default_factory=list)
    different: dict[str, tuple[str, str]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Entries of the original."""
        return len(self.same) + len(self.different) + len(self.missing)

    @property
    def agreement(self) -> float:
        """Share of original entries rendered identically (1.0 for an empty file)."""
        return len(self.same) / self.total if self.total else 1.0


def compare_bbl(original: str, rewrite: str, *, biber: bool = False) -> BblComparison:
    """Compare two ``.bbl`` outputs entry by entry (by citation key)."""
    first = split_bbl(original, biber=biber)
    second = split_bbl(rewrite, biber=biber)
    result = BblComparison()
    for key, text in first.items():
        if key not in second:
            result.missing.append(key)
        elif second[key] == text:
            result.same.append(key)
        else:
            result.different[key] = (text, second[key])
    result.extra = [key for key in second if key not in first]
    return result
