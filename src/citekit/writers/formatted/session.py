"""Running citeproc-py over records: bibliography entries and citations, with citekit's fixes.

Fixes applied here (each belongs upstream in citeproc-py 0.11.1):

* every entry and every citation is rendered on its own inside ``try``: a style that crashes
  on one item gives a diagnostic for that item and the rest still formats;
* ``UserWarning``s of citeproc-py become diagnostics instead of escaping to the caller;
* year-suffix disambiguation (``2020a``/``2020b``) for styles that ask for it;
* cite grouping and collapsing (``[1]–[4]``, ``(Doe, 2000, 2001)``; :mod:`.collapse`);
* a space (or a separate label cell in HTML) after numeric labels / ``second-field-align``;
* punctuation-in-quote (``“Title,”``) for locales that ask for it.
"""

from __future__ import annotations

import functools
import re
import string
import warnings
from collections.abc import Callable, Sequence
from typing import Any

from citeproc import Citation, CitationItem, CitationStylesBibliography, Locator
from citeproc.source import BibliographySource
from citeproc.string import String

from citekit.errors import Diagnostics
from citekit.model import Record
from citekit.writers.formatted import collapse, disambiguate, overrides, plans
from citekit.writers.formatted.convert import rich_string, to_reference
from citekit.writers.formatted.engine import CompiledStyle
from citekit.writers.formatted.markup import FORMATTER, strip_markers
from citekit.writers.formatted.speed import citation_item

__all__ = ["Session"]

_LOCATOR_LABELS = {
    "book", "chapter", "column", "figure", "folio", "issue", "line", "note", "opus",
    "page", "paragraph", "part", "section", "sub-verbo", "verse", "volume",
}  # fmt: skip


_MARKS = "[\ue000-\ue0ff]*"
# CSL punctuation collapsing (citeproc-py does none; upstream): "employers?." -> "employers?",
# "I.." -> "I." (an ellipsis "..." is left alone), "?:" -> "?", ",," -> "," (as citeproc-js)
_DOUBLE_STOP = re.compile(
    r"(?<=[^\s.])(?:([.])(" + _MARKS + r")\.(?!\.)|([?!])(" + _MARKS + r")[.:](?![.:]))"
)
_DOUBLE_COMMA = re.compile(r"(,)(" + _MARKS + r"),")


def _ambiguity_key(reference: Any, with_year: bool = True) -> tuple[str, str]:
    year = ""
    issued = reference.get("issued") if with_year else None
    if issued is not None:
        begin = issued.get("begin", issued)
        year = str(begin.get("year", "")) if hasattr(begin, "get") else ""
    for variable in ("author", "editor", "translator", "composer", "director"):
        names = reference.get(variable)
        if names:
            first = names[0]
            return year, str(first.get("family") or first.get("literal") or "").lower()
    return year, str(reference.get("title", ""))[:20].lower()


def _suffix_letters(index: int) -> str:
    letters = string.ascii_lowercase
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = letters[rem] + out
    return out


class Session:
    """One citeproc-py bibliography over ``records`` in one compiled style."""

    def __init__(self, style: CompiledStyle, records: Sequence[Record], diagnostics: Diagnostics):
        self.style = style
        self.diagnostics = diagnostics
        self.ids: list[str] = []
        self.key_of: dict[str, str] = {}
        self.id_of: dict[str, str] = {}
        source = BibliographySource()
        for index, record in enumerate(records):
            record_id = str(record.get("id", f"item-{index + 1}"))
            if record_id in self.key_of:
                diagnostics.warning(
                    "format.duplicate-id",
                    "duplicate id; the later record is ignored",
                    key=record_id,
                )
                continue
            key = f"k{index}"  # internal key: citeproc-py lower-cases ids (upstream bug)
            try:
                with warnings.catch_warnings(record=True) as caught:
                    warnings.simplefilter("always")
                    source.add(to_reference(record, key, diagnostics=diagnostics))
            except Exception as exc:  # citeproc-py rejects the record's shape
                diagnostics.error(
                    "format.bad-record", f"record cannot be formatted: {exc}", key=record_id
                )
                continue
            self._warnings(caught, record_id)
            self.ids.append(record_id)
            self.key_of[record_id] = key
            self.id_of[key] = record_id
        self.bib = CitationStylesBibliography(style, source, FORMATTER)
        self.suffixes: dict[str, str] = {}
        self.overrides: dict[str, overrides.Override] = {}
        self.flagged: set[str] = set()  # keys with disambiguate="true" conditions true

    def _warnings(self, caught: list[warnings.WarningMessage], key: str | None) -> None:
        for warning in caught:
            self.diagnostics.warning("format.citeproc-warning", str(warning.message), key=key)

    def _guard(self, what: str, key: str | None, func: Callable[[], Any]) -> Any:
        """Run ``func`` capturing warnings; an exception becomes an error diagnostic."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                return func()
            except Exception as exc:
                message = (
                    f"{what} failed in style {self.style.path.stem}: {type(exc).__name__}: {exc}"
                )
                self.diagnostics.error("format.style-crashed", message, key=key)
                return None
            finally:
                self._warnings(caught, key)

    # --- registration, sorting, disambiguation --------------------------------------

    def register(self, keys: Sequence[str]) -> None:
        """Register cited ids in document order, sort the bibliography, disambiguate."""
        items = [citation_item(self.key_of[k]) for k in keys if k in self.key_of]
        self.bib.register(Citation(items))
        if self.style.has_bibliography():
            # on a crash the registration (citation) order stays
            self._guard("sorting the bibliography", None, self.bib.sort)
        options = self._options()
        if not (options.enabled or options.condition or self.style.year_suffix):
            return
        candidates = self._candidates(options.year)
        texts: dict[str, str | None] = {}
        if options.enabled:
            self.overrides, texts = disambiguate.disambiguate_names(
                options,
                self.bib.keys,
                candidates,
                self._cite_alone,
                self.bib.source.__getitem__,
            )
        if options.condition:
            self._flag_ambiguous(candidates, texts)
        if self.style.year_suffix:
            with overrides.active(self.overrides, self.flagged):
                self._add_year_suffixes(candidates, texts)

    def _options(self) -> disambiguate.Options:
        cached: disambiguate.Options | None = getattr(self.style, "_ck_disambiguation", None)
        if cached is None:
            cached = disambiguate.options(self.style.root)
            self.style._ck_disambiguation = cached
        return cached

    def _flag_ambiguous(self, candidates: list[str], texts: dict[str, str | None]) -> None:
        """CSL step 4: ``disambiguate="true"`` is true for cites still ambiguous."""
        groups: dict[str, list[str]] = {}
        with overrides.active(self.overrides):
            for key in candidates:
                text = texts[key] if key in texts else self._cite_alone(key)
                if text:
                    groups.setdefault(text, []).append(key)
        for keys in groups.values():
            if len(keys) > 1:
                self.flagged.update(keys)
        for key in self.flagged:
            texts.pop(key, None)  # rendered again with the condition true

    def state(self) -> tuple[list[str], dict[str, str], list[str]]:
        """The sorted ids, year suffixes and flagged ids, for :meth:`adopt` in another process.

        (Flagged: ids whose ``disambiguate="true"`` conditions are true.)
        """
        order = [self.id_of[key] for key in self.bib.keys]
        suffixes = {self.id_of[key]: suffix for key, suffix in self.suffixes.items()}
        return order, suffixes, sorted(self.id_of[key] for key in self.flagged)

    def adopt(
        self, order: Sequence[str], suffixes: dict[str, str], flagged: Sequence[str] = ()
    ) -> None:
        """Take over a bibliography order and disambiguation computed by another session."""
        self.flagged = {self.key_of[i] for i in flagged}
        items = [citation_item(self.key_of[i]) for i in order]
        self.bib.register(Citation(items))
        self.bib.items = items
        self.bib.keys = [item.key for item in items]
        for record_id, suffix in suffixes.items():
            key = self.key_of[record_id]
            self.suffixes[key] = suffix
            self.bib.source[key]["year_suffix"] = String(suffix)

    def _cite_alone(self, key: str) -> str | None:
        item = citation_item(key)
        citation = Citation([item])
        citation.bibliography = self.bib
        rendered = self._guard(
            "rendering a citation",
            self.id_of.get(key),
            lambda: self.style.render_citation(citation, [], lambda _item: None),
        )
        return None if rendered is None else strip_markers(str(rendered))

    def _candidates(self, with_year: bool = True) -> list[str]:
        """Keys (bibliography order) that may render the same cite as another key."""
        # only items sharing year (if the cite shows it) and first name (or title) can render
        # the same citation; rendering just those keeps this linear in practice
        buckets: dict[tuple[str, str], list[str]] = {}
        keys = {k: _ambiguity_key(self.bib.source[k], with_year) for k in self.bib.keys}
        for key in self.bib.keys:
            buckets.setdefault(keys[key], []).append(key)
        return [k for k in self.bib.keys if len(buckets[keys[k]]) > 1]

    def _add_year_suffixes(self, candidates: list[str], known: dict[str, str | None]) -> None:
        """Suffixes for cites still ambiguous (``known``: cite texts already rendered)."""
        groups: dict[str, list[str]] = {}
        for key in candidates:
            text = known[key] if key in known else self._cite_alone(key)
            if text and any(ch.isdigit() for ch in text):
                groups.setdefault(text, []).append(key)
        for keys in groups.values():
            if len(keys) < 2:
                continue
            for index, key in enumerate(keys):  # bibliography order
                suffix = _suffix_letters(index)
                self.suffixes[key] = suffix
                self.bib.source[key]["year_suffix"] = String(suffix)

    # --- output ---------------------------------------------------------------------

    def entries(self, start: int = 0, stop: int | None = None) -> list[tuple[str, str]]:
        """``(id, marked text)`` of the bibliography entries ``[start:stop]``, in order."""
        out: list[tuple[str, str]] = []
        if not self.style.has_bibliography():
            return out
        layout = self.style.root.bibliography.layout
        if self._labelled():
            layout.__dict__[plans.CAPTURE] = True  # the label is kept while rendering
        try:
            return self._entries(start, stop)
        finally:
            layout.__dict__.pop(plans.CAPTURE, None)
            layout.__dict__.pop(plans.FIRST, None)

    def _entries(self, start: int, stop: int | None) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        with overrides.active({}, self.flagged):  # names are expanded in citations only
            for item in self.bib.items[start:stop]:
                record_id = self.id_of[item.key]
                rendered = self._guard(
                    "rendering the entry",
                    record_id,
                    functools.partial(self.bib.style.render_bibliography, [item]),
                )
                if not rendered:
                    continue
                text = self.fix(str(rendered[0]))
                out.append((record_id, self._label_space(item, text)))
        return out

    def citation(self, cites: Sequence[Any]) -> str | None:
        """Marked text of one citation (cites are CiteItem-like objects with ``id`` etc.)."""
        items: list[CitationItem] = []
        for cite in cites:
            key = self.key_of.get(cite.id)
            if key is None:
                self.diagnostics.warning(
                    "format.unknown-key", "cited id not in the library", key=cite.id
                )
                continue
            options: dict[str, Any] = {}
            if cite.locator:
                label = cite.label if cite.label in _LOCATOR_LABELS else "page"
                options["locator"] = Locator(label, str(cite.locator))
            if cite.prefix:
                options["prefix"] = str(rich_string(cite.prefix))
            if cite.suffix:
                options["suffix"] = str(rich_string(cite.suffix))
            items.append(citation_item(key, **options))
        if not items:
            return None
        citation = Citation(items)
        citation.bibliography = self.bib
        ids = ",".join(c.id for c in cites)
        before = len(self.bib._cites)  # citeproc-py appends each cite it renders, in order
        with overrides.active(self.overrides, self.flagged):
            rendered = self._guard(
                "rendering the citation", ids, lambda: self.bib.cite(citation, lambda item: None)
            )
        if rendered is None:
            return None
        text = str(rendered)
        if self.style.collapse.active:
            text = self._collapse(self.bib._cites[before:], text)
        return self.fix(text)

    def fix(self, text: str) -> str:
        """Post-processing shared by entries and citations."""
        text = _DOUBLE_COMMA.sub(r"\1\2", text)
        if self.style.punctuation_in_quote:
            for quote in self.style.quotes:
                if quote and quote in text:  # (no quote: the pattern cannot match)
                    text = re.sub(
                        re.escape(quote) + r"([.,])", r"\1" + quote.replace("\\", r"\\"), text
                    )
        return _DOUBLE_STOP.sub(lambda m: "".join(g for g in m.groups() if g), text)

    def _labelled(self) -> bool:
        """Whether entries may start with a label (numeric or ``second-field-align``)."""
        return bool(self.style.second_field_align or self.style.numeric)

    def _label_space(self, item: CitationItem, text: str) -> str:
        """Separate a leading label (``[1]``, ``1.``) from the entry body by a space."""
        if not self._labelled():
            return text
        layout = self.style.root.bibliography.layout
        children = layout.getchildren()
        if not children:
            return text
        captured = layout.__dict__.pop(plans.FIRST, None)
        if captured is not None and captured[0] is item:  # rendered with the entry
            label = captured[1]
        else:
            layout.repressed = {}
            label = self._guard(
                "rendering the label",
                self.id_of[item.key],
                functools.partial(children[0].render, item),
            )
        if not label:
            return text
        label = str(label)
        if not text.startswith(label) or len(text) == len(label):
            return text
        rest = text[len(label) :]
        if self.style.second_field_align:
            return label.rstrip() + LABEL_SEPARATOR + rest.lstrip()
        if rest[0].isalnum() or rest[0] in "“‘\"'(":
            return label + " " + rest
        return text

    def _collapse(self, rendered: list[CitationItem], text: str) -> str:
        """Group and collapse the cites of a citation (see :mod:`.collapse`)."""
        options = self.style.collapse
        numbers = options.collapse == "citation-number"
        if any("prefix" in i or "suffix" in i or (numbers and "locator" in i) for i in rendered):
            return text
        if numbers and [i.number for i in rendered] != sorted(i.number for i in rendered):
            return text
        with overrides.active(self.overrides, self.flagged):
            cites = self._guard(
                "rendering a citation",
                None,
                lambda: collapse.render_cites(
                    self.style.root.citation.layout, rendered, lambda i: self.suffixes.get(i.key)
                ),
            )
        if not cites:
            return text
        joined = options.layout_delimiter.join(cite.full for cite in cites)
        if joined not in text:
            return text
        if numbers:
            pieces = [(i.number, c.full) for i, c in zip(rendered, cites, strict=True)]
            grouped = collapse.collapse_numbers(pieces, options.layout_delimiter)
        else:
            grouped = collapse.collapse_years(cites, options)
        return text.replace(joined, grouped, 1)


LABEL_SEPARATOR = "\ue0f0"
"""Marks the end of a numeric label; the output layer turns it into a space or a cell split."""
