from __future__ import annotations

import pytest

from citekit import api
from citekit.errors import StrictModeError
from citekit.registry import detect_format, get_format

PANDOC = """---
references:
- id: doe2020
  type: book
  author:
  - family: Doe
    given: Jane
  title: A title
  issued: 2020-05-01
- id: old
  type: article-journal
  title: Old form
  issued:
  - year: 1999
    month: 3
- id: 2021
  type: report
  title: Numeric id
  issued:
    date-parts:
    - [2021, 2]
...

# The rest of a markdown document is not YAML.
"""


def test_pandoc_block():
    library = api.read_string(PANDOC, format="csl-yaml", source="refs.md")
    assert library.ids == ["doe2020", "old", "2021"]
    first, old, numeric = library.records
    assert first["issued"] == {"date-parts": [[2020, 5, 1]]}
    assert first["author"] == [{"family": "Doe", "given": "Jane"}]
    assert old["issued"] == {"date-parts": [[1999, 3]]}
    assert numeric["issued"] == {"date-parts": [[2021, 2]]}
    assert [(str(loc)) for loc in library.locations] == [
        "refs.md:3:3",
        "refs.md:10:3",
        "refs.md:16:3",
    ]
    assert library.errors == []


def test_bare_list_and_detection():
    text = "- id: a\n  type: book\n  title: T\n"
    assert detect_format("-", text).name == "csl-yaml"
    assert detect_format("x.yml").name == "csl-yaml"
    assert get_format("yaml").name == "csl-yaml"
    assert api.read_string(text, format="yaml").ids == ["a"]


def test_syntax_error_costs_only_its_item():
    text = (
        "references:\n"
        "- id: good1\n  type: book\n  title: One\n"
        "- id: bad\n  type: book\n  title: [unclosed\n"
        "- id: good2\n  type: book\n  title: Two\n"
    )
    library = api.read_string(text, format="csl-yaml", source="r.yaml")
    assert library.ids == ["good1", "good2"]
    errors = library.errors
    assert len(errors) == 1
    assert errors[0].code == "csl-yaml.syntax"
    assert errors[0].source == "r.yaml"
    assert errors[0].line is not None
    assert 5 <= errors[0].line <= 8
    assert library.location("good2") is not None
    assert library.location("good2").line == 8  # type: ignore[union-attr]
    with pytest.raises(StrictModeError):
        api.read_string(text, format="csl-yaml", strict=True)


def test_no_python_objects():
    text = "- id: a\n  type: book\n  title: !!python/object/apply:os.system ['true']\n"
    library = api.read_string(text, format="csl-yaml")
    assert library.ids == []
    assert library.errors[0].code == "csl-yaml.syntax"


def test_bad_shape_and_empty():
    library = api.read_string("title: not a list\n", format="csl-yaml")
    assert [d.code for d in library.errors] == ["csl-yaml.bad-shape"]
    library = api.read_string("", format="csl-yaml")
    assert [d.code for d in library.diagnostics] == ["csl-yaml.empty"]


def test_writer_round_trip_is_stable():
    library = api.read_string(PANDOC, format="csl-yaml")
    text = api.write_string(library, format="csl-yaml")
    assert text.startswith("---\nreferences:\n- id: doe2020\n  type: book\n")
    assert text.endswith("...\n")
    again = api.read_string(text, format="csl-yaml")
    assert again.records == library.records
    assert api.write_string(again, format="csl-yaml") == text
    assert "'2021'" in text  # string ids stay strings
    bare = api.write_string(library, format="csl-yaml", bare=True)
    assert bare.startswith("- id: doe2020\n")


def test_unicode_kept():
    library = api.read_string('[{"id": "x", "type": "book", "title": "Ünïcødé ✓"}]', format="json")
    assert "title: Ünïcødé ✓" in api.write_string(library, format="csl-yaml")
