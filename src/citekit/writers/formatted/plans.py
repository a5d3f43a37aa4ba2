"""Per-element render plans: what citeproc-py re-reads from the style on every call, read once.

citeproc-py 0.11.1 walks a parent's children through lxml (``iterchildren`` plus an
``isinstance`` test each time), reads five font attributes and calls ``get_formatter`` five
times for every formatted piece, reads ``prefix``/``suffix`` for every affixed piece and
``strip-periods``/``text-case``/``quotes`` plus the locale's punctuation option for every
``cs:text``. None of that changes while rendering (the one tree change citeproc-py makes, a
``cs:name`` inserted into a ``cs:names``, is below ``cs:names``, whose children are never
planned here), so each element keeps a plan on itself: its children (and which are
``cs:choose``), the formatter methods its font attributes call, its affixes, its text
styling steps. Only elements prepared by :func:`.speed.prepare` keep plans; any other
element (or an attribute value citeproc-py would fail on) runs citeproc-py's own code.

Each function gives exactly citeproc-py's result; ``tests/writers/test_formatted_plans.py``
compares them with citeproc-py's methods on tricky elements.
"""

from __future__ import annotations

import warnings
from typing import Any

from citeproc import model as cp_model
from citeproc.source import VariableError
from citeproc.string import MixedString, NoCase, String, normalize_seam

from citekit.writers.formatted.seams import join

__all__ = [
    "CAPTURE",
    "FIRST",
    "choose_children",
    "format_",
    "layout_render_children",
    "parent_render_children",
    "text_markup",
    "wrap",
]

_ROOT = "_ck_root"
_PLAIN_TYPES = (str, String, NoCase, MixedString)

# (attribute, its neutral value, {value: formatter method}) in citeproc-py's order
_FONT_STEPS: tuple[tuple[str, str, dict[str, str]], ...] = (
    ("font-style", "normal", {"italic": "Italic", "oblique": "Oblique"}),
    ("font-variant", "normal", {"small-caps": "SmallCaps"}),
    ("font-weight", "normal", {"bold": "Bold", "light": "Light"}),
    ("text-decoration", "none", {"underline": "Underline"}),
    ("vertical-align", "baseline", {"sup": "Superscript", "sub": "Subscript"}),
)


def _keep(element: Any, name: str, value: Any) -> Any:
    """Store ``value`` on a prepared element (style or locale tree); return it."""
    state = element.__dict__
    if _ROOT in state:
        state[name] = value
    return value


def children(element: Any) -> tuple[tuple[Any, bool], ...]:
    """The element's children, each with whether it is a ``cs:choose``."""
    found: tuple[tuple[Any, bool], ...] | None = element.__dict__.get("_ck_children")
    if found is None:
        found = tuple((c, isinstance(c, cp_model.Choose)) for c in element.iterchildren())
        _keep(element, "_ck_children", found)
    return found


def choose_children(element: Any) -> tuple[Any, ...]:
    """The branches of a ``cs:choose`` (``cs:if``, ``cs:else-if``, ``cs:else``)."""
    found: tuple[Any, ...] | None = element.__dict__.get("_ck_branches")
    if found is None:
        found = _keep(element, "_ck_branches", tuple(element.iterchildren()))
    return found


def parent_render_children(self: Any, item: Any, delimiter: str = "", **kwargs: Any) -> Any:
    """``Parent.render_children`` over the planned children (``cs:if``, ``cs:else``, layout)."""
    return _render_children(self, item, delimiter, kwargs, None)


def _render_children(
    self: Any, item: Any, delimiter: str, kwargs: dict[str, Any], capture: dict[str, Any] | None
) -> Any:
    """The children's output, joined with ``delimiter``.

    With ``capture`` (a layout's state), the first child's output is kept there too
    (:func:`layout_render_children`).
    """
    output = []
    for index, (child, choose) in enumerate(children(self)):
        try:
            if capture is not None and index == 0:
                text = _render_first(capture, child, choose, item, delimiter, kwargs)
            elif choose:
                text = child.render(item, delimiter=delimiter, **kwargs)
            else:
                text = child.render(item, **kwargs)
            if text is not None:
                output.append(text)
        except VariableError:
            pass
    if output:
        return join(output, delimiter)
    return None


CAPTURE = "_ck_capture"
"""Set (True) on a layout's ``__dict__`` to keep its first child's output for each item."""
FIRST = "_ck_first"
"""Where a capturing layout keeps ``(item, output of its first child)``; absent when that
render raised or warned (the caller then renders the child again, as before)."""


def layout_render_children(self: Any, item: Any, delimiter: str = "", **kwargs: Any) -> Any:
    """:func:`parent_render_children` of a ``cs:layout``, keeping its first child's output.

    The numeric label of a bibliography entry is the output of the layout's first child:
    :class:`.session.Session` reads it here instead of rendering that child a second time.
    The first child is rendered under its own warnings catcher; its warnings are re-issued
    for the caller's catcher, and the output is only kept when there were none.
    """
    state = self.__dict__
    if not state.get(CAPTURE):
        return _render_children(self, item, delimiter, kwargs, None)
    state.pop(FIRST, None)
    return _render_children(self, item, delimiter, kwargs, state)


def _render_first(
    state: dict[str, Any], child: Any, choose: bool, item: Any, delimiter: str, kwargs: Any
) -> Any:
    caught: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as caught_here:
            warnings.simplefilter("always")
            caught = caught_here
            if choose:
                text = child.render(item, delimiter=delimiter, **kwargs)
            else:
                text = child.render(item, **kwargs)
        if not caught:
            state[FIRST] = (item, text)
        return text
    finally:
        for warning in caught:
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )


def _font_plan(element: Any) -> tuple[str, ...] | None:
    """Formatter methods the font attributes call, in order.

    None for a value citeproc-py does not know (it then fails in its own way).
    """
    plan: list[str] = []
    for attribute, neutral, methods in _FONT_STEPS:
        value = element.get(attribute, neutral)
        if value == neutral:
            continue
        if value not in methods:
            return None
        plan.append(methods[value])
    return tuple(plan)


_UNKNOWN = ("?",)


def format_(self: Any, string: Any) -> Any:
    """``Formatted.format``: the element's font attributes applied by its formatter."""
    plan: tuple[str, ...] | None = self.__dict__.get("_ck_font")
    if plan is None:
        font = _font_plan(self)
        plan = _keep(self, "_ck_font", _UNKNOWN if font is None else font)
    if plan is _UNKNOWN:
        return cp_model.Formatted.format(self, string)
    if isinstance(string, (int, float)):
        string = str(string)
    if plan:
        formatter = self.get_formatter()
        for method in plan:
            string = getattr(formatter, method)(string)
    return string


def wrap(self: Any, string: Any) -> Any:
    """``Affixed.wrap`` with the element's prefix and suffix read once."""
    if string is None:
        return None
    affixes: tuple[str, str] | None = self.__dict__.get("_ck_affixes")
    if affixes is None:
        affixes = _keep(self, "_ck_affixes", (self.get("prefix", ""), self.get("suffix", "")))
    prefix, suffix = affixes
    if not prefix and not suffix and type(string) in _PLAIN_TYPES:
        return string  # '' + s and s + '' are s for str, String and MixedString
    string = normalize_seam(prefix, string)
    text = prefix + string
    return text + normalize_seam(text, suffix)


def _text_plan(element: Any) -> tuple[bool, bool, bool] | None:
    """(strip periods, text case, quotes) of a ``cs:text``.

    None when citeproc-py's own ``quote`` would fail (no locale gives punctuation-in-quote).
    """
    if not isinstance(element.get_locale_option("punctuation-in-quote"), str):
        return None
    return (
        element.get("strip-periods", "false").lower() == "true",
        element.get("text-case") is not None,
        element.get("quotes", "false").lower() == "true",
    )


_NO_PLAN = (False,)


def text_markup(self: Any, text: Any, language: Any) -> Any:
    """``Text.markup`` (strip periods, case, format, quote, wrap), only the steps asked for.

    The steps the element's attributes do not ask for return the text unchanged in
    citeproc-py (``case`` with no ``text-case`` also for a plain ``str``).
    """
    plan: Any = self.__dict__.get("_ck_text")
    if plan is None:
        plan = _keep(self, "_ck_text", _text_plan(self) or _NO_PLAN)
    if plan is _NO_PLAN:
        return self._ck_markup(text, language)
    if not text:
        return None
    strip, case, quoted = plan
    if strip:
        text = self.strip_periods(text)
    if case:
        text = self.case(text, language)
    text = self.format(text)
    if quoted:
        text = self.quote(text)
    return self.wrap(text)
