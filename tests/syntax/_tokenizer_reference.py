"""Differential comparison of citekit's .bib tokenizer with the bibtexparser path it replaced.

Used by ``test_tokenizer_conformance.py`` and ``benchmarks/tokenizer_conformance.py``.
Two levels:

* blocks: bibtexparser 2.1's ``Splitter`` against :func:`citekit.syntax.bibtex_tokenizer.tokenize`
  (kind, raw text, type, key, field names and raw values, string/preamble/comment text),
  strictly equal; the tokenizer's offsets are checked against the text;
* reader: :func:`citekit.syntax.bibtex.iter_entries` with ``_splitter="bibtexparser"`` (the
  former reader, kept verbatim) against the default — entries, extras and diagnostics equal.
  The one deliberate difference: the former reader found a field's line by searching its
  name after the previous ``=``, which lands inside the previous value when that value
  contains ``name =`` (e.g. ``institution = {xdata=loc}`` before ``xdata = ...``), or gave
  the entry's location when the search failed (a name followed by a ``%`` comment); the
  tokenizer knows the field's offset. Such field locations are accepted only when the new
  one points at ``name =`` (or ``name %``) in the text and the old one came earlier, and
  are counted.

  The former reader also located each block by searching its raw text forward from the end
  of the previous one (or of a recovered region). That search can land elsewhere: when a
  failed block's text runs into the next block (``@string{@book{``: bibtexparser ends the
  failed block after the ``@book`` that starts the next one) it misses the next block and
  falls back to its line start; when a recovered region swallowed a block whose text also
  occurs later (``"Journal"}`` after a damaged head), it finds the later copy. The block's
  location, ``%``-on-the-line test, skipping and recovery then went wrong. The comparison
  records where the former reader located every block; a reader-level difference is
  accepted only when the former reader put some block away from its true offset (counted
  in ``Outcome.mislocated``; the blocks themselves must still be equal).
"""

from __future__ import annotations

import dataclasses
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from bibtexparser import model as bpm
from bibtexparser.splitter import Splitter

from citekit.errors import Diagnostics
from citekit.model import BibExtras
from citekit.syntax import _bibtex_reference
from citekit.syntax import bibtex_tokenizer as tok
from citekit.syntax.bibtex import Expression, RawEntry, evaluate, iter_entries

logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)

_KIND = {
    bpm.Entry: tok.ENTRY,
    bpm.String: tok.STRING,
    bpm.Preamble: tok.PREAMBLE,
    bpm.ExplicitComment: tok.COMMENT,
    bpm.ImplicitComment: tok.IMPLICIT,
    bpm.ParsingFailedBlock: tok.FAILED,
}


@dataclass
class Outcome:
    """What one comparison found."""

    blocks: int = 0
    entries: int = 0
    fields: int = 0
    diagnostics: int = 0
    mislocated: int = 0
    """Inputs whose reader results differ because the former reader mislocated a block."""
    relocated: list[str] = field(default_factory=list)
    """Field locations the former reader put inside an earlier value (accepted, see above)."""


def reference_blocks(text: str) -> list[tuple[Any, ...]]:
    """bibtexparser's blocks of ``text`` as comparable tuples."""
    out: list[tuple[Any, ...]] = []
    for block in Splitter(text).split().blocks:
        while isinstance(block, (bpm.DuplicateFieldKeyBlock, bpm.DuplicateBlockKeyBlock)):
            block = block.ignore_error_block
        kind = _KIND[type(block)]
        item: tuple[Any, ...] = (kind, block.raw)
        if isinstance(block, bpm.Entry):
            fields = tuple((f.key, f.value) for f in block.fields)
            item += (block.entry_type, block.key, fields)
        elif isinstance(block, bpm.String):
            item += (block.key, block.value)
        elif isinstance(block, bpm.Preamble):
            item += (block.value,)
        elif isinstance(block, (bpm.ExplicitComment, bpm.ImplicitComment)):
            item += (block.comment,)
        out.append(item)
    return out


def tokenizer_blocks(text: str) -> list[tuple[Any, ...]]:
    """The tokenizer's blocks of ``text`` as comparable tuples; checks its offsets."""
    out: list[tuple[Any, ...]] = []
    for block in tok.tokenize(text):
        item: tuple[Any, ...] = (block.kind, text[block.start : block.end])
        if block.kind == tok.ENTRY:
            for f in block.fields:
                assert text.startswith(f.name, f.name_pos), (f, text[f.name_pos : f.name_pos + 40])
                assert text.startswith(f.expr, f.expr_pos), (f, text[f.expr_pos : f.expr_pos + 40])
                if f.inner is not None:  # taken without evaluation: must be what it gives
                    assert evaluate(f.expr, {}) == Expression(f.inner), f
            fields = tuple((f.name, f.expr) for f in block.fields)
            item += (block.type, block.key, fields)
        elif block.kind == tok.STRING:
            item += (block.key, block.value)
        elif block.kind != tok.FAILED:
            item += (block.value,)
        out.append(item)
    return out


def read(
    text: str, splitter: str, located: list[int] | None = None
) -> tuple[list[RawEntry], list[Any], BibExtras]:
    """Entries, diagnostics and extras of ``text`` through one splitter.

    With the reference splitter, ``located`` receives the offset the former reader gave
    each block.
    """
    diagnostics = Diagnostics()
    extras = BibExtras()
    original = _bibtex_reference._Locator
    if located is not None:

        class Recording(original):  # type: ignore[misc, valid-type]
            def find(self, raw: str, line0: int | None) -> int:
                offset: int = super().find(raw, line0)
                located.append(offset)
                return offset

        _bibtex_reference._Locator = Recording  # type: ignore[misc]
    try:
        entries = list(
            iter_entries(
                text, source="t.bib", diagnostics=diagnostics, extras=extras, _splitter=splitter
            )
        )
    finally:
        _bibtex_reference._Locator = original  # type: ignore[misc]
    return entries, list(diagnostics), extras


def _offset(starts: list[int], line: int, column: int) -> int:
    return starts[line - 1] + column - 1


def _names_field(text: str, starts: list[int], line: int, column: int, name: str) -> bool:
    """Whether ``name =`` (or ``name %comment``) is written at ``line``:``column`` of ``text``."""
    if line - 1 >= len(starts):
        return False
    pattern = re.compile(re.escape(name) + r"\s*[=%]", re.IGNORECASE)
    return pattern.match(text, _offset(starts, line, column)) is not None


def compare(text: str, outcome: Outcome | None = None) -> Outcome:
    """Assert both paths agree on ``text`` (see the module docstring); returns the counts."""
    outcome = outcome if outcome is not None else Outcome()
    expected = reference_blocks(text)
    actual = tokenizer_blocks(text)
    assert actual == expected
    outcome.blocks += len(actual)
    located: list[int] = []
    old = read(text, "bibtexparser", located)
    new = read(text, "citekit")
    try:
        _compare_reads(text, old, new, outcome)
    except AssertionError:
        if located == [block.start for block in tok.tokenize(text)]:
            raise
        outcome.mislocated += 1
    return outcome


Read = tuple[list[RawEntry], list[Any], BibExtras]


def _compare_reads(text: str, old_read: Read, new_read: Read, outcome: Outcome) -> None:
    old_entries, old_diags, old_extras = old_read
    new_entries, new_diags, new_extras = new_read
    assert dataclasses.astuple(new_extras) == dataclasses.astuple(old_extras)
    assert len(new_entries) == len(old_entries)
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    for old, new in zip(old_entries, new_entries, strict=True):
        old_t = dataclasses.replace(old, spans=None, _lines={}, _columns={})
        new_t = dataclasses.replace(new, spans=None, _lines={}, _columns={})
        assert new_t == old_t
        assert list(new.field_lines) == list(old.field_lines)
        for name in new.field_lines:
            before = (old.field_lines[name], old.field_columns[name])
            after = (new.field_lines[name], new.field_columns[name])
            if before != after:
                assert _names_field(text, starts, *after, name), (new.key, name, before, after)
                assert before < after, (new.key, name, before, after)
                outcome.relocated.append(f"{new.key}.{name}: {before} -> {after}")
        outcome.fields += len(new.fields)
    outcome.entries += len(new_entries)
    assert len(new_diags) == len(old_diags)
    for old_d, new_d in zip(old_diags, new_diags, strict=True):
        if old_d != new_d:
            moved = dataclasses.replace(old_d, line=new_d.line, column=new_d.column)
            assert moved == new_d, (old_d, new_d)
            assert new_d.field is not None
            assert new_d.line is not None
            assert new_d.column is not None
            assert _names_field(text, starts, new_d.line, new_d.column, new_d.field), new_d
    outcome.diagnostics += len(new_diags)
