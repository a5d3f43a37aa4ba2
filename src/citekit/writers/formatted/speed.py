"""Caches around citeproc-py's per-call lookups: same output, several times faster.

citeproc-py 0.11.1 recomputes static facts of the style on every node it renders: an XPath
query for each name option, for the enclosing layout, for "is this a locale date", for the
locale date format; ``getroottree().getroot()`` hundreds of thousands of times; five formatter
look-ups per formatted piece; three property hops (``item.citation.bibliography.source[key]``)
for every variable it reads; ``keys.index`` (linear) for every citation number. The style and
its locales do not change while rendering, so each answer is computed once per element and
kept on the element (lxml keeps a Python proxy and its ``__dict__`` only while something
references it, so :func:`prepare` keeps every element of the style and its locales alive).

Each cache reproduces citeproc-py's answer exactly; ``benchmarks/format_identity.py`` checks
byte-identical output on 1k/2k real entries in five styles, and
``tests/writers/test_formatted_speed.py`` compares with the uncached code. All of this
belongs upstream.

The one place citeproc-py changes a style tree while rendering (``cs:names`` without a
``cs:name`` child gets one inserted) is respected: missing children are never cached.
"""

from __future__ import annotations

import functools
from typing import Any

from citeproc import CitationItem
from citeproc import model as cp_model
from citeproc.source import VariableError
from citeproc.string import String

from citekit.writers.formatted import plans, seams
from citekit.writers.formatted.overrides import condition

__all__ = [
    "ENABLED",
    "Cached",
    "FastItem",
    "cached_methods",
    "citation_item",
    "if_render",
    "prepare",
]

ENABLED = True
"""Whether styles loaded from now on use these caches (tests compare with ``False``)."""

_XPATH = "_ck_xpath"
_ROOT = "_ck_root"


class Cached:
    """Mixin for citeproc-py element classes: per-element caches of static look-ups.

    Only elements walked by :func:`prepare` (the loaded style and its locales) carry the
    caches; an element created while rendering falls back to citeproc-py's own code.
    """

    def get_root(self) -> Any:
        """The root of the element's tree (cached)."""
        root = self.__dict__.get(_ROOT)
        if root is None:
            return self.getroottree().getroot()
        return root

    def xpath_search(self, expression: str) -> Any:
        """``xpath`` with the CSL namespaces, once per element and expression."""
        cache: dict[str, Any] | None = self.__dict__.get(_XPATH)
        if cache is None:
            return self.xpath(expression, namespaces=self.nsmap)
        try:
            return cache[expression]
        except KeyError:
            found = self.xpath(expression, namespaces=self.nsmap)
            if isinstance(found, list):
                found = tuple(found)  # callers index, unpack and test it; never mutate it
            cache[expression] = found
            return found

    def __getattr__(self, name: str) -> Any:
        # citeproc-py's "somewhat objectified" child access: ``style.citation``,
        # ``names.label``, ``layout``... A found child is kept as an instance attribute (so
        # the next access does not even get here); a missing one is looked up again, since
        # ``cs:names`` may get a ``cs:name`` inserted while rendering.
        child = self.find("cs:" + name, self.nsmap)
        if child is not None and _ROOT in self.__dict__:
            self.__dict__[name] = child
        return child


def _root_memo(element: Any, key: tuple[str, str], compute: Any) -> Any:
    root = element.get_root()
    cache: dict[tuple[str, str], Any] | None = root.__dict__.get("_ck_memo")
    if cache is None:
        cache = root.__dict__["_ck_memo"] = {}
    if key not in cache:
        cache[key] = compute()
    return cache[key]


def _get_date(self: Any, form: str) -> Any:
    """``get_date`` (the locale date format, an XPath per locale) once per style and form."""
    return _root_memo(
        self, ("date", form), lambda: cp_model.CitationStylesElement.get_date(self, form)
    )


def _get_locale_option(self: Any, name: str) -> Any:
    """``get_locale_option`` (a ``find`` per locale) once per style and option."""
    return _root_memo(
        self,
        ("locale-option", name),
        lambda: cp_model.CitationStylesElement.get_locale_option(self, name),
    )


def _get_formatter(self: Any) -> Any:
    """``get_formatter`` with one root look-up (citeproc-py makes two).

    The formatter itself is read on every call: each bibliography sets it on the style.
    """
    root = self.get_root()
    if isinstance(root, cp_model.Locale):
        return root.style.formatter
    return root.formatter


def _term_form(self: Any, form: str) -> Any:
    """``Term.single`` / ``Term.multiple`` once per term, form and formatter.

    citeproc-py finds the ``cs:single``/``cs:multiple`` child and preformats its text (or
    the term's own text) on every use; the result is an immutable ``String``.
    """
    formatter = self.get_formatter()
    cache: dict[str, tuple[Any, Any]] | None = self.__dict__.get("_ck_term")
    if cache is None:
        if _ROOT not in self.__dict__:
            return getattr(cp_model.Term, form).fget(self)
        cache = self.__dict__["_ck_term"] = {}
    known = cache.get(form)
    if known is None or known[0] is not formatter:
        known = cache[form] = (formatter, getattr(cp_model.Term, form).fget(self))
    return known[1]


def _is_locale_date(self: Any) -> bool:
    """``Date.is_locale_date`` (an ancestor ``cs:locale``), through the XPath cache."""
    return bool(self.xpath_search("./ancestor::cs:locale[1]"))


def _reference_type(reference: Any) -> Any:
    try:
        return dict.__getitem__(reference, "type")
    except KeyError:
        raise VariableError from None


def _if_type(self: Any, item: Any) -> list[bool]:
    """``If._type`` with the type list split once and the item's type read once."""
    types: tuple[str, ...] | None = self.__dict__.get("_ck_types")
    if types is None:
        types = tuple(t.lower() for t in self.get("type").split())
        if _ROOT in self.__dict__:
            self.__dict__["_ck_types"] = types
    if not types:
        return []
    item_type = _reference_type(item.reference)
    return [t == item_type for t in types]


_IF_TESTS = (
    ("type", "_type"),
    ("variable", "_variable"),
    ("is-numeric", "_is_numeric"),
    ("is-uncertain-date", "_is_uncertain_date"),
    ("locator", "_locator"),
)


def if_render(self: Any, item: Any, context: Any = None, delimiter: str = "", **kw: Any) -> Any:
    """``If.render`` with the conditions present on the element listed once.

    citeproc-py tests ``'type' in self.attrib`` etc. (six attribute proxies) on every call.
    All conditions are still evaluated, in citeproc-py's order, and combined as it does;
    ``disambiguate="true"`` is evaluated too (:func:`.overrides.condition`).
    """
    plan: tuple[tuple[Any, ...], bool, bool, Any] | None = self.__dict__.get("_ck_if")
    if plan is None:
        attrib = self.attrib
        cls = type(self)
        tests = tuple(getattr(cls, method) for name, method in _IF_TESTS if name in attrib)
        ambiguous = (attrib.get("disambiguate") or "").strip().lower() == "true"
        plan = (tests, ambiguous, "position" in attrib, self.get("match"))
        if _ROOT in self.__dict__:
            self.__dict__["_ck_if"] = plan
    tests, ambiguous, position, match = plan
    results: list[Any] = []
    for test in tests:
        results += test(self, item)
    if ambiguous:  # CSL disambiguate="true" (citeproc-py ignores it: always rendered)
        results.append(condition(item))
    if position:
        results += self._position(item, context)
    if match == "any":
        result = any(results)
    elif match == "none":
        result = not any(results)
    else:
        result = all(results)
    if not result:
        raise cp_model.ConditionFailed
    return self.render_children(item, context=context, delimiter=delimiter, **kw)


_TEXT_SOURCES = ("variable", "macro", "term", "value")
_MISSING = object()


def _text_process(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
    """``Text.process`` with the kind of text (variable, macro, term, value) found once."""
    source: str | None = self.__dict__.get("_ck_source")
    if source is None:
        attrib = self.attrib
        source = next((name for name in _TEXT_SOURCES if name in attrib), "")
        if _ROOT in self.__dict__:
            self.__dict__["_ck_source"] = source
    if not source:  # citeproc-py fails in its own way (no text source)
        return _ORIGINAL_TEXT_PROCESS(self, item, context, **kwargs)
    if context is None:
        context = self
    language = dict.get(item.reference, "language", _MISSING)
    if language is _MISSING:  # citeproc-py: VariableError, then the style's language
        language = self.__dict__.get("_ck_language")
        if language is None:
            language = self.get_root().get("default-locale", "en")[:2]
            if _ROOT in self.__dict__:
                self.__dict__["_ck_language"] = language
    else:
        language = language[:2]
    if source == "variable":
        text = self._variable(item, context)
    elif source == "macro":
        macro = self.__dict__.get("_ck_macro")
        if macro is None:
            macro = self.get_macro(self.get("macro"))
            if _ROOT in self.__dict__:
                self.__dict__["_ck_macro"] = macro
        text = macro.render(item, context)
    elif source == "term":
        text = self._term(item)
    else:
        text = String(self.preformat(self.get("value")))
    return text, language


_ORIGINAL_TEXT_PROCESS = cp_model.Text.process
_SPECIAL_VARIABLES = ("citation-number", "locator")


def _text_variable(self: Any, item: Any, context: Any) -> Any:
    """``Text._variable`` with the element's attributes read once.

    Same steps as citeproc-py: suppressed when substituted (``repressed``), the ``-short``
    form when ``form="short"`` and the item has it, page ranges formatted, the citation
    number, the locator, otherwise the reference's value (``VariableError`` if absent).
    """
    plan: tuple[str, str, bool] | None = self.__dict__.get("_ck_variable")
    if plan is None:
        plan = (self.get("variable"), self.tag, self.get("form") == "short")
        if _ROOT in self.__dict__:
            self.__dict__["_ck_variable"] = plan
    variable, tag, short = plan
    repressed = context.get_layout().repressed
    if tag in repressed and variable in repressed[tag]:
        return None
    reference = item.reference
    if short:
        short_variable = variable + "-short"
        if short_variable.replace("-", "_") in reference:
            variable = short_variable
    if variable.startswith("page") or variable in _SPECIAL_VARIABLES:
        return _variable_tail(self, item, variable)
    return reference[variable.replace("-", "_")]


def _variable_tail(self: Any, item: Any, variable: str) -> Any:
    # citeproc-py's code for these three cases, unchanged
    if variable.startswith("page"):
        return self._process(item.reference.page, variable)
    if variable == "citation-number":
        return item.number
    en_dash = self.unicode_character("EN DASH")
    return str(item.locator.identifier).replace("-", en_dash)


def _name_option(original: Any) -> Any:
    """Memoise ``Name.get_option`` per (option, context) unless ``sort_options`` sets it."""

    @functools.wraps(original)
    def get_option(self: Any, name: str, context: Any = None, sort_options: Any = None) -> Any:
        if sort_options is not None and name in sort_options:
            return original(self, name, context, sort_options)
        cache: dict[tuple[str, Any], Any] | None = self.__dict__.get("_ck_options")
        if cache is None:
            cache = self.__dict__["_ck_options"] = {}
        key = (name, context)
        if key not in cache:
            cache[key] = original(self, name, context, sort_options)
        return cache[key]

    return get_option


def cached_methods(cls: type, namespace: dict[str, Any]) -> dict[str, Any]:
    """Method overrides for a subclass of citeproc-py element class ``cls``.

    ``namespace`` holds citekit's behavioural fixes for ``cls`` (they win where both exist;
    ``Name.get_option`` is wrapped around whichever version is in use).
    """
    extra: dict[str, Any] = {}
    if not issubclass(cls, cp_model.Locale):  # a locale's own get_date/get_option differ
        extra["get_date"] = _get_date
        extra["get_locale_option"] = _get_locale_option
        extra["get_formatter"] = _get_formatter
    if issubclass(cls, cp_model.Term):
        extra["single"] = property(functools.partial(_term_form, form="single"))
        extra["multiple"] = property(functools.partial(_term_form, form="multiple"))
    if issubclass(cls, cp_model.Formatted):
        extra["format"] = plans.format_
    if issubclass(cls, cp_model.Date):
        extra["is_locale_date"] = _is_locale_date
    if issubclass(cls, cp_model.Delimited):
        extra["join"] = seams.delimited_join
    if issubclass(cls, cp_model.Affixed):
        extra["wrap"] = plans.wrap
    if cls in (cp_model.If, cp_model.Else_If, cp_model.Else):
        extra["render_children"] = plans.parent_render_children
    if cls is cp_model.Layout:
        extra["render_children"] = plans.layout_render_children
    if issubclass(cls, cp_model.If):
        extra["_type"] = _if_type
        extra["render"] = if_render
    if issubclass(cls, cp_model.Text):
        extra["process"] = _text_process
        extra["_variable"] = _text_variable
        extra["_ck_markup"] = namespace.get("markup", cp_model.Text.markup)
        if "markup" not in namespace:
            extra["markup"] = plans.text_markup
    if issubclass(cls, cp_model.Name):
        extra["get_option"] = _name_option(namespace.get("get_option", cp_model.Name.get_option))
    return {**namespace, **extra}


def prepare(*roots: Any) -> list[Any]:
    """Give every element under ``roots`` its caches; returns them all (keep it alive)."""
    elements: list[Any] = []
    for root in roots:
        for element in root.iter():
            if not isinstance(element, Cached):
                continue
            element.__dict__[_ROOT] = root
            element.__dict__[_XPATH] = {}
            elements.append(element)
    return elements


class FastItem(CitationItem):  # type: ignore[misc]
    """A ``CitationItem`` whose reference is looked up once and whose number is O(1).

    citeproc-py resolves ``item.reference`` as ``item.citation.bibliography.source[key]``
    (three ``__getattr__`` hops through ``dict`` subclasses) on every variable it reads, and
    ``item.number`` as ``bibliography.keys.index(key)`` (quadratic over a bibliography).
    The item's citation and source do not change once it is registered.
    """

    @functools.cached_property
    def reference(self) -> Any:
        """The item's ``Reference`` in its bibliography's source."""
        return self.citation.bibliography.source[self.key]

    @property
    def number(self) -> int:
        """1-based position of the item in its bibliography's keys."""
        bibliography = self.citation.bibliography
        keys = bibliography.keys
        cached: tuple[list[str], int, dict[str, int]] | None = bibliography.__dict__.get(
            "_ck_numbers"
        )
        if cached is None or cached[0] is not keys or cached[1] != len(keys):
            index: dict[str, int] = {}
            for position, key in enumerate(keys):
                index.setdefault(key, position + 1)
            cached = (keys, len(keys), index)
            bibliography.__dict__["_ck_numbers"] = cached
        try:
            return cached[2][self.key]
        except KeyError:
            raise ValueError(f"{self.key!r} is not in list") from None


def citation_item(key: str, **options: Any) -> Any:
    """A :class:`FastItem` (a plain ``CitationItem`` when :data:`ENABLED` is off)."""
    if ENABLED:
        return FastItem(key, **options)
    return CitationItem(key, **options)
