"""Loading CSL styles into citeproc-py safely, with citekit's element fixes and caches.

The style is parsed by citekit, not by citeproc-py: the parser resolves no entities, loads no
DTD, never touches the network and refuses any DOCTYPE (``citeproc.frontend`` uses an lxml
parser that still resolves internal entities; upstream). Locales come only from citeproc-py's
own package data. Element classes are citeproc-py's, subclassed with two fixes:

* a per-style cache of ``get_macro`` (citeproc-py runs an XPath query on every macro call;
  the cache gives the same output 1.6-2.6x faster; belongs upstream);
* ``initialize="false"`` on ``cs:name`` (ignored by citeproc-py 0.11.1; upstream bug): given
  names are then printed in full instead of being reduced to initials.
* ``text-case``, group and macro suppression fixes (see ``_safe_case`` and :mod:`.suppress`).

Compiled styles are cached by (path, mtime, size, locale).
"""

from __future__ import annotations

import functools
import threading
import warnings
from pathlib import Path
from typing import Any

from citeproc import LANGUAGE_NAMES, LOCALES_PATH, PRIMARY_DIALECTS, SCHEMA_PATH
from citeproc import model as cp_model
from citeproc.frontend import CitationStylesStyle
from citeproc.string import String
from lxml import etree

from citekit.errors import Diagnostic, Severity, StyleError
from citekit.safe_xml import check_style_bytes
from citekit.writers.formatted import speed
from citekit.writers.formatted.collapse import Options as CollapseOptions
from citekit.writers.formatted.collapse import names_render
from citekit.writers.formatted.markup import FORMATTER
from citekit.writers.formatted.overrides import name_process
from citekit.writers.formatted.speed import Cached, cached_methods, prepare
from citekit.writers.formatted.suppress import choose_render, group_process, macro_render

__all__ = ["LOCK", "CompiledStyle", "load_style"]

CSL_NS = "http://purl.org/net/xbiblio/csl"
LOCK = threading.RLock()
"""citeproc-py keeps render state on the style tree; one render at a time per process."""
_MAX_STYLE_BYTES = 8 * 1024 * 1024


class _MacroCache:
    """Mixin: memoise ``get_macro`` and ``get_term`` per style root (no XPath per call).

    Styles and locales do not change after loading, so the answers are the same elements.
    """

    def get_macro(self, name: str) -> Any:
        root = self.get_root()  # type: ignore[attr-defined]
        cache: dict[str, Any] | None = root.__dict__.get("_citekit_macros")
        if cache is None:
            cache = root.__dict__["_citekit_macros"] = {}
        macro = cache.get(name)
        if macro is None:
            macro = super().get_macro(name)  # type: ignore[misc]
            cache[name] = macro
        return macro

    def get_term(
        self, name: str, form: Any = None, fallback_locale: bool = True, zero_padded: bool = False
    ) -> Any:
        root = self.get_root()  # type: ignore[attr-defined]
        if not isinstance(root, cp_model.Style):
            return super().get_term(name, form, fallback_locale, zero_padded)  # type: ignore[misc]
        cache: dict[tuple[Any, ...], Any] | None = root.__dict__.get("_citekit_terms")
        if cache is None:
            cache = root.__dict__["_citekit_terms"] = {}
        key = (name, form, fallback_locale, zero_padded)
        if key not in cache:
            cache[key] = super().get_term(name, form, fallback_locale, zero_padded)  # type: ignore[misc]
        return cache[key]


def _initialize_false(element: Any, context: Any) -> bool:
    value = element.get("initialize")
    if value is None:
        anchor = context if context is not None else element
        parents = anchor.xpath_search(
            "./ancestor::*[self::cs:citation or self::cs:bibliography][1]"
        )
        if parents:
            value = parents[0].get("initialize")
        if value is None:
            value = element.get_root().get("initialize")
    return value is not None and value.strip().lower() == "false"


def _name_get_option(self: Any, name: str, context: Any = None, sort_options: Any = None) -> Any:
    if name == "initialize-with" and _initialize_false(self, context):
        return None
    return cp_model.Name.get_option(self, name, context, sort_options)


_MARKER_CHARS = "".join(chr(c) for c in range(0xE000, 0xE100))
_BASE = type("CitationStylesElement", (Cached, _MacroCache, cp_model.CitationStylesElement), {})
_LOCALE_BASE = type("CitationStylesElement", (Cached, cp_model.CitationStylesElement), {})
_PLAIN_BASE = type("CitationStylesElement", (_MacroCache, cp_model.CitationStylesElement), {})
_BASES = (_BASE, _LOCALE_BASE, _PLAIN_BASE)
_MOVED: tuple[str, ...] = ("prefix", "suffix", "display", "font-style", "font-variant")
_MOVED += ("font-weight", "text-decoration", "vertical-align")


def _add_implicit_year_suffix(data: bytes) -> bytes:
    """Give styles that disambiguate by year-suffix but never print ``year-suffix`` one.

    CSL says the suffix then follows the first rendered year of ``issued``; citeproc-py
    does not do this (upstream). Each ``cs:date variable="issued"`` becomes a group of the
    date and ``<text variable="year-suffix"/>``, the date's affixes and formatting moving
    to the group, so ``(2020).`` becomes ``(2020a).``.
    """
    tree = etree.fromstring(data, _safe_parser())
    citation = tree.find(f"{{{CSL_NS}}}citation")
    if citation is None or citation.get("disambiguate-add-year-suffix") != "true":
        return data
    if tree.xpath("//cs:text[@variable='year-suffix']", namespaces={"cs": CSL_NS}):
        return data
    for date in tree.xpath("//cs:date[@variable='issued']", namespaces={"cs": CSL_NS}):
        group = etree.Element(f"{{{CSL_NS}}}group")
        for name in _MOVED:
            if name in date.attrib:
                group.set(name, date.attrib.pop(name))
        date.addprevious(group)
        group.append(date)
        etree.SubElement(group, f"{{{CSL_NS}}}text", variable="year-suffix")
    return bytes(etree.tostring(tree, encoding="utf-8", xml_declaration=True))


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        remove_comments=True,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    )


def _safe_case(self: Any, text: Any, language: Any = None) -> Any:
    """Apply ``text-case`` also to an already formatted plain ``str``.

    citeproc-py raises ``AttributeError: 'str' object has no attribute 'capitalize_first'``
    there, the most common reason its styles crash (upstream bug).
    """
    if self.get("text-case") == "capitalize-first" and not _first_word_lowercase(text):
        return text
    if type(text) is not str:
        return cp_model.TextCased.case(self, text, language)
    body = text.lstrip(_MARKER_CHARS)  # leading formatting markers must not hide the first letter
    prefix = text[: len(text) - len(body)]
    return prefix + str(cp_model.TextCased.case(self, String(body), language))


def _plain(text: Any) -> str:
    if isinstance(text, list):  # citeproc-py's MixedString: a list of strings
        return "".join(_plain(part) for part in text)
    return str(text)


def _first_word_lowercase(text: Any) -> bool:
    """Whether ``capitalize-first`` may touch ``text``: its first word has no upper case.

    CSL capitalises the first character of the first word only "if the word is lowercase";
    citeproc-py capitalises any word, turning ``arXiv:2304.02643`` into ``ArXiv:…`` and
    ``iPhone`` into ``IPhone`` (upstream bug; citeproc-js leaves such words alone).
    """
    words = _plain(text).strip(_MARKER_CHARS).split(maxsplit=1)
    return not words or words[0] == words[0].lower()


def _render_single_date(self: Any, date: Any, show_parts: Any = None, context: Any = None) -> Any:
    """Join a localized date's parts with the locale date's own ``delimiter``.

    citeproc-py joins them with the calling ``cs:date``'s delimiter, usually none, giving
    ``2016Jun1`` for an in-style locale date with ``delimiter=" "`` (upstream bug).
    """
    if (
        context is not None
        and context is not self
        and context.get("delimiter") is None
        and self.get("delimiter") is not None
        and self.is_locale_date()
    ):
        parts = self.parts(date, show_parts, context)
        return self.join(parts) if parts else None
    return cp_model.Date.render_single_date(self, date, show_parts, context)


@functools.cache
def _lookup_classes(cached: bool = True) -> dict[str, type]:
    """Tag name -> element class: citeproc-py's classes with citekit's mixins.

    ``cached=False`` leaves out the caches of :mod:`.speed` (for differential tests).
    """
    classes: dict[str, type] = {}
    for cls in cp_model.CitationStylesElement.__subclasses__():
        if cls in _BASES:
            continue
        tag = cls.__name__.replace("_", "-").lower()
        namespace: dict[str, Any] = {"__module__": __name__}
        if cls is cp_model.Name:
            namespace["get_option"] = _name_get_option
            namespace["process"] = name_process  # disambiguation overrides (citations)
        if cls is cp_model.Macro:
            namespace["render"] = macro_render
        if cls is cp_model.Names:
            namespace["render"] = names_render  # cite collapsing watches the names
        if cls is cp_model.Group:
            namespace["process"] = group_process
        if cls is cp_model.Choose:
            namespace["render"] = choose_render
        if issubclass(cls, cp_model.If):
            namespace["render"] = speed.if_render  # evaluates disambiguate="true" (upstream)
        if cls is cp_model.Date:
            namespace["render_single_date"] = _render_single_date
        if issubclass(cls, cp_model.TextCased):
            namespace["case"] = _safe_case
        if issubclass(cls, cp_model.Locale):
            namespace["get_term"] = cls.get_term  # a locale's own lookup, other signature
        if not cached:
            classes[tag] = type(cls.__name__, (_MacroCache, cls), namespace)
            continue
        if cls is cp_model.Style:
            namespace["set_locale_list"] = _set_locale_list
        namespace = cached_methods(cls, namespace)
        classes[tag] = type(cls.__name__, (Cached, _MacroCache, cls), namespace)
    return classes


@functools.cache
def _locale_classes() -> dict[str, type]:
    """Tag name -> class for citeproc-py's own locale files: its classes plus caches only.

    (citekit's behavioural fixes are not applied to these files, as before; only caches.)
    """
    classes: dict[str, type] = {}
    for cls in cp_model.CitationStylesElement.__subclasses__():
        if cls in _BASES:
            continue
        tag = cls.__name__.replace("_", "-").lower()
        namespace = cached_methods(cls, {"__module__": __name__})
        classes[tag] = type(cls.__name__, (Cached, cls), namespace)
    return classes


def _locale_parser() -> etree.XMLParser:
    lookup = etree.ElementNamespaceClassLookup()
    namespace = lookup.get_namespace(CSL_NS)
    namespace[None] = _LOCALE_BASE
    namespace.update(_locale_classes())
    # the options of citeproc-py's own CitationStylesXML parser
    parser = etree.XMLParser(remove_comments=True, encoding="UTF-8", no_network=True)
    parser.set_element_class_lookup(lookup)
    return parser


def _set_locale_list(self: Any, output_locale: str, validate: bool = True) -> None:
    """citeproc-py's ``Style.set_locale_list``, its locale files parsed with cached classes."""
    del validate  # citekit never validates citeproc-py's own locale files
    self.locales = []
    added: set[str] = set()

    def add_instyle_locale(locale: str | None) -> None:
        expression = (
            f'./cs:locale[@xml:lang="{locale}"]' if locale else "./cs:locale[not(@xml:lang)]"
        )
        results = self.xpath_search(expression)
        if results:
            (element,) = results
            self.locales.append(element)

    def add_system_locale(locale: str) -> None:
        if locale not in added:
            path = Path(LOCALES_PATH) / f"locales-{locale}.xml"
            try:
                tree = etree.parse(str(path), _locale_parser())
            except OSError as exc:
                raise ValueError(f"'{locale}' is not a known locale") from exc
            self.locales.append(tree.getroot())
            added.add(locale)

    add_instyle_locale(output_locale)
    language = output_locale.split("-")[0]
    add_instyle_locale(language)
    add_instyle_locale(None)
    if output_locale in LANGUAGE_NAMES:
        add_system_locale(output_locale)
    if language in PRIMARY_DIALECTS:
        add_system_locale(PRIMARY_DIALECTS[language])
    add_system_locale("en-US")
    for locale in self.locales:
        locale.style = self


@functools.cache
def _schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(SCHEMA_PATH))


def _parser() -> etree.XMLParser:
    lookup = etree.ElementNamespaceClassLookup()
    namespace = lookup.get_namespace(CSL_NS)
    namespace[None] = _BASE if speed.ENABLED else _PLAIN_BASE
    namespace.update(_lookup_classes(speed.ENABLED))
    parser = _safe_parser()
    parser.set_element_class_lookup(lookup)
    return parser


class CompiledStyle(CitationStylesStyle):  # type: ignore[misc]
    """A parsed, validated citeproc-py style plus what citekit needs to know about it."""

    def __init__(self, path: Path, locale: str | None) -> None:
        # deliberately not calling CitationStylesStyle.__init__: it would parse unsafely
        self.path = path
        self.warnings: list[Diagnostic] = []
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise StyleError(f"{path}: cannot read style: {exc}") from exc
        if len(data) > _MAX_STYLE_BYTES:
            raise StyleError(f"{path}: style file larger than {_MAX_STYLE_BYTES} bytes")
        # Parsed check, not a byte search: a UTF-16 style hides "<!DOCTYPE" from ``in data``;
        # also refuses entity references, XInclude and processing instructions.
        check_style_bytes(data, source=str(path))
        try:
            data = _add_implicit_year_suffix(data)
            root = etree.fromstring(data, _parser())
        except etree.XMLSyntaxError as exc:
            raise StyleError(f"{path}: style is not well-formed XML: {exc}") from exc
        if not isinstance(root, cp_model.Style):
            raise StyleError(f"{path}: not a CSL style (root element {root.tag!r})")
        self.xml = root.getroottree()
        self.root = root
        root.formatter = FORMATTER
        schema = _schema()
        if not schema.validate(self.xml):
            errors = "; ".join(str(e.message) for e in list(schema.error_log)[:3])
            self._warn(
                "format.style-invalid", f"style does not pass CSL schema validation: {errors}"
            )
        if root.find(f"{{{CSL_NS}}}citation") is None:
            raise StyleError(f"{path}: dependent style (no cs:citation); resolve its parent first")
        requested = locale or root.get("default-locale") or "en-US"
        self.locale = requested
        language = requested.split("-")[0]
        if requested not in LANGUAGE_NAMES and language not in PRIMARY_DIALECTS:
            self._warn("format.unknown-locale", f"unknown locale {requested!r}; using en-US")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            root.set_locale_list(requested, validate=False)
        for warning in caught:
            self._warn("format.style-warning", str(warning.message))
        files = [loc for loc in root.locales if loc.getroottree().getroot() is not root]
        self._elements = prepare(root, *files)  # keeps the cached element proxies alive
        options = root.citation.get("disambiguate-add-year-suffix", "false")
        self.year_suffix = options.strip().lower() == "true"
        self.explicit_year_suffix = bool(
            root.xpath("//cs:text[@variable='year-suffix']", namespaces={"cs": CSL_NS})
        )
        self.collapse = CollapseOptions.of(root.citation)
        bib = root.bibliography
        self.second_field_align = bib is not None and bib.get("second-field-align") is not None
        self.numeric = root.xpath(
            "boolean(//cs:text[@variable='citation-number'])", namespaces={"cs": CSL_NS}
        )
        # citeproc-py stops at the first locale with any style-options (upstream bug); CSL
        # takes the first locale that sets this option
        piq = "false"
        for loc in root.locales:
            options = loc.find(f"{{{CSL_NS}}}style-options")
            if options is not None and options.get("punctuation-in-quote") is not None:
                piq = options.get("punctuation-in-quote")
                break
        self.punctuation_in_quote = str(piq).strip().lower() == "true"
        self.quotes = tuple(self._term(name) for name in ("close-quote", "close-inner-quote"))

    def _term(self, name: str) -> str:
        try:
            return str(self.root.get_single_term(name))
        except Exception:  # no such term in any locale
            return ""

    def _warn(self, code: str, message: str) -> None:
        self.warnings.append(Diagnostic(Severity.WARNING, code, message, source=str(self.path)))


@functools.lru_cache(maxsize=32)
def _cached(path: str, mtime_ns: int, size: int, locale: str | None) -> CompiledStyle:
    return CompiledStyle(Path(path), locale)


def load_style(path: Path, locale: str | None = None) -> CompiledStyle:
    """Load (or reuse) the compiled style at ``path`` for ``locale``.

    Raises:
        StyleError: The style cannot be read, is hostile or malformed, or is dependent.
    """
    try:
        stat = path.stat()
    except OSError as exc:
        raise StyleError(f"{path}: cannot read style: {exc}") from exc
    with LOCK:
        return _cached(str(path.resolve()), stat.st_mtime_ns, stat.st_size, locale)
