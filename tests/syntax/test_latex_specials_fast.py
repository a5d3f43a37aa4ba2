"""The walker's quick specials test answers exactly as pylatexenc's full test."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from citekit.syntax import latex_to_unicode as module

TEXT = st.text(alphabet="ab -~!?`'&\\{}$%é\n", max_size=30)


def _databases() -> tuple[object, object]:
    module._load_pylatexenc()
    from pylatexenc import latexwalker

    return module._WALKER_DB, latexwalker.get_default_latex_context_db()


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_quick_specials_test_equals_full_test(text: str) -> None:
    quick, full = _databases()
    for pos in range(len(text) + 2):
        got = quick.test_for_specials(text, pos)  # type: ignore[attr-defined]
        want = full.test_for_specials(text, pos)  # type: ignore[attr-defined]
        assert (got and got.specials_chars) == (want and want.specials_chars)


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_walker_output_unchanged(text: str) -> None:
    quick, full = _databases()
    for mode in ("title", "rich", "text"):
        fast = module.walk_latex(text, mode=mode)  # type: ignore[arg-type]
        module._WALKER_DB = full
        try:
            slow = module.walk_latex(text, mode=mode)  # type: ignore[arg-type]
        finally:
            module._WALKER_DB = quick
        assert fast == slow
