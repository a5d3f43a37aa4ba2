"""CSL YAML writer: a pandoc ``references:`` metadata block, in CSL-JSON's stable key order.

Output (UTF-8, block style, deterministic)::

    ---
    "references":
    - id: doe2020
      type: book
      title: A title
    ...

The block can be pasted into a markdown file's front matter or passed to
``pandoc --citeproc --bibliography refs.yaml``.
"""

from __future__ import annotations

from typing import Any

import yaml

from citekit.errors import Diagnostics
from citekit.model import Library
from citekit.writers.csljson import ordered_record

__all__ = ["write_text"]


def write_text(library: Library, *, diagnostics: Diagnostics, **options: Any) -> str:
    """Serialise ``library`` as CSL YAML.

    Args:
        library: The records to write.
        diagnostics: Unused by this writer; accepted for the common writer signature.
        **options: ``bare=True`` writes a plain YAML list without the ``references:``
            block and fences.
    """
    records = [ordered_record(record) for record in library.records]
    dump_options: dict[str, Any] = {
        "allow_unicode": True,
        "sort_keys": False,
        "default_flow_style": False,
        "width": 4096,
    }
    if options.get("bare"):
        return yaml.safe_dump(records, **dump_options) if records else "[]\n"
    body = yaml.safe_dump({"references": records}, **dump_options)
    return f"---\n{body}...\n"
