"""Group and macro suppression by the variables of the ``cs:choose`` branches actually taken.

citeproc-py 0.11.1 decides statically whether a group or macro "called a variable"; these
replacements (installed by :mod:`.engine` on its element classes) decide by what was rendered.
Belongs upstream.
"""

from __future__ import annotations

from typing import Any

from citeproc import model as cp_model

from citekit.writers.formatted import plans, seams, speed

__all__ = ["choose_render", "group_process", "macro_render"]

_TAKEN: dict[Any, Any] = {}
"""``cs:choose`` element -> the branch it rendered last (rendering runs under ``LOCK``)."""


def choose_render(self: Any, item: Any, context: Any = None, delimiter: str = "", **kw: Any) -> Any:
    """citeproc-py's ``cs:choose``, remembering which branch was taken (for ``_calls``)."""
    branches = plans.choose_children(self) if speed.ENABLED else self.iterchildren()
    for child in branches:
        try:
            text = child.render(item, context=context, delimiter=delimiter, **kw)
        except cp_model.ConditionFailed:
            continue
        _TAKEN[self] = child
        return text
    _TAKEN[self] = None
    return None


def _calls(element: Any) -> bool:
    """Whether ``element``, as just rendered, called a variable (directly or via macros).

    citeproc-py asks this statically: a ``cs:choose`` "calls" a variable when any branch
    does, even one not taken, so ``<group><choose><if …><text value="publication"/></if>
    <else-if …><text variable="genre"/></else-if></choose><text variable="number"/></group>``
    prints the lone term ``Publication`` when ``number`` is empty (APA theses; upstream
    bug). Here only the branch actually taken counts, also inside called macros.

    The answer for an element with no ``cs:choose`` below it (through macros too) does not
    depend on the rendering, so it is kept on the element.
    """
    if speed.ENABLED:
        state = element.__dict__
        known: bool | None = state.get("_ck_calls")
        if known is not None:
            return known
        plan: tuple[int, Any] | None = state.get("_ck_plan")
        if plan is not None:  # a dynamic element seen before: no isinstance chain
            kind, target = plan
            if kind == _CHOOSE:
                branch = _TAKEN.get(element, _UNSEEN)
                if branch is _UNSEEN:
                    return bool(element.calls_variable())
                return branch is not None and _calls(branch)
            if kind == _CONTAINER:
                for child in target:  # noqa: SIM110 (a loop is faster than any() here)
                    if _calls(child):
                        return True
                return False
            return _calls(target)
    if isinstance(element, cp_model.Choose):
        _remember(element, (_CHOOSE, None))
        if element not in _TAKEN:
            return bool(element.calls_variable())
        branch = _TAKEN[element]
        return branch is not None and _calls(branch)
    if isinstance(element, (cp_model.If, cp_model.Else, cp_model.Macro)):
        children = tuple(element.iterchildren())
        _remember(element, (_CONTAINER, children))
        result = any(_calls(child) for child in children)
    elif isinstance(element, cp_model.Text) and "macro" in element.attrib:
        macro = element.get_macro(element.get("macro"))
        _remember(element, (_MACRO, macro))
        result = _calls(macro)
    else:
        result = bool(element.calls_variable())
    if speed.ENABLED and not _dynamic(element):
        element.__dict__["_ck_calls"] = result
    return result


_CHOOSE, _CONTAINER, _MACRO = 1, 2, 3
_UNSEEN = object()


def _remember(element: Any, plan: tuple[int, Any]) -> None:
    """Keep how ``_calls`` walks a dynamic element (its children do not change)."""
    if speed.ENABLED and _dynamic(element):
        element.__dict__["_ck_plan"] = plan


def _dynamic(element: Any) -> bool:
    """Whether ``_calls(element)`` depends on the branches taken (a ``cs:choose`` below)."""
    known: bool | None = element.__dict__.get("_ck_dynamic")
    if known is None:
        if isinstance(element, cp_model.Choose):
            known = True
        elif isinstance(element, (cp_model.If, cp_model.Else, cp_model.Macro)):
            known = any(_dynamic(child) for child in element.iterchildren())
        elif isinstance(element, cp_model.Text) and "macro" in element.attrib:
            known = _dynamic(element.get_macro(element.get("macro")))
        else:
            known = False
        element.__dict__["_ck_dynamic"] = known
    return known


def _render_suppressible(self: Any, item: Any, render: Any) -> list[Any] | None:
    """Render the children of a group or macro; None when it must be suppressed.

    CSL: suppressed if at least one child calls a variable and all called ones are empty.
    """
    output = []
    variable_called = variable_rendered = False
    for child in self.iterchildren():
        try:
            text = render(child)
        except cp_model.VariableError:
            variable_called = variable_called or _calls(child)
            continue
        calls = _calls(child)
        variable_called = variable_called or calls
        if text is not None:
            output.append(text)
            variable_rendered = variable_rendered or calls
    if not output or (variable_called and not variable_rendered):
        return None
    return output


def _plan(self: Any) -> tuple[tuple[Any, bool, bool | None], ...] | None:
    """Children of a prepared group or macro: (child, is ``cs:choose``, static ``_calls``).

    The static answer (None for a child with a ``cs:choose`` below it) is what ``_calls``
    would return after rendering the child; None (no plan) when working it out fails, so
    the failure happens where citeproc-py's own walk meets it.
    """
    state = self.__dict__
    plan: Any = state.get("_ck_suppress")
    if plan is None:
        if not speed.ENABLED or "_ck_root" not in state:
            return None
        try:
            plan = tuple(
                (child, isinstance(child, cp_model.Choose), _static_calls(child))
                for child in self.iterchildren()
            )
        except Exception:
            plan = False
        state["_ck_suppress"] = plan
    return plan or None


def _static_calls(child: Any) -> bool | None:
    return None if _dynamic(child) else _calls(child)


def _render_planned(
    plan: tuple[tuple[Any, bool, bool | None], ...], item: Any, kw: dict[str, Any], delimiter: Any
) -> list[Any] | None:
    """:func:`_render_suppressible` over a plan (``delimiter`` None: a macro's children)."""
    output = []
    called = rendered = False
    for child, choose, calls in plan:
        try:
            if choose and delimiter is not None:
                text = child.render(item, delimiter=delimiter, **kw)
            else:
                text = child.render(item, **kw)
        except cp_model.VariableError:
            if not called:
                called = _calls(child) if calls is None else calls
            continue
        if calls is None:
            calls = _calls(child)
        called = called or calls
        if text is not None:
            output.append(text)
            rendered = rendered or calls
    if not output or (called and not rendered):
        return None
    return output


def macro_render(self: Any, item: Any, context: Any = None, sort_options: Any = None) -> Any:
    """Render a macro, suppressed like an implicit group when none of its variables render.

    citeproc-py prints a macro's terms even when every variable in it is empty
    (``Trans.`` with no translator; CSL and citeproc-js suppress it; upstream bug).
    """
    plan = _plan(self)
    if plan is not None:
        kw = {"context": context, "sort_options": sort_options}
        output = _render_planned(plan, item, kw, None)
        return None if output is None else seams.join(output, "")
    else:
        output = _render_suppressible(
            self,
            item,
            lambda child: child.render(item, context=context, sort_options=sort_options),
        )
    return None if output is None else cp_model.join(output, "")


def group_process(self: Any, item: Any, context: Any = None, **kw: Any) -> Any:
    """citeproc-py's ``cs:group``, suppressed by the variables the taken branches call."""
    plan = _plan(self)
    if plan is not None:
        delimiter = self.__dict__.get("_ck_delimiter")
        if delimiter is None:
            delimiter = self.__dict__["_ck_delimiter"] = self.get("delimiter", "")
        output = _render_planned(plan, item, {"context": context, **kw}, delimiter)
        if output is None:
            raise cp_model.VariableError
        return self.join(output)
    delimiter = self.get("delimiter", "")

    def render(child: Any) -> Any:
        if isinstance(child, cp_model.Choose):
            return child.render(item, context=context, delimiter=delimiter, **kw)
        return child.render(item, context=context, **kw)

    output = _render_suppressible(self, item, render)
    if output is None:
        raise cp_model.VariableError
    return self.join(output)
