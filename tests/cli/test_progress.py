from __future__ import annotations

import io

from citekit.cli._util import Progress


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_on_a_terminal():
    piped = io.StringIO()
    bar = Progress(3, "reading", stream=piped)
    for _ in range(3):
        bar.step("x")
    bar.close()
    assert piped.getvalue() == ""

    tty = Tty()
    bar = Progress(3, "reading", stream=tty)
    for _ in range(3):
        bar.step("file.bib")
    bar.close()
    text = tty.getvalue()
    assert "reading [" in text
    assert "3/3 file.bib" in text
    assert text.endswith("\r")


def test_quiet_or_single_item_disables_the_bar():
    assert not Progress(5, "x", quiet=True, stream=Tty()).enabled
    assert not Progress(1, "x", stream=Tty()).enabled
