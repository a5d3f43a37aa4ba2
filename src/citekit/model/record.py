"""The CSL-JSON record: citekit's one internal model.

A record is a plain ``dict`` whose keys are exactly the CSL-JSON keys (``"container-title"``,
``"DOI"``, ``"issued"``), never snake_cased, so it can be handed to citeproc-js, pandoc or
Zotero unchanged. Example::

    {
        "id": "vaswani2017",
        "type": "paper-conference",
        "title": "Attention is all you need",
        "author": [{"family": "Vaswani", "given": "Ashish"}],
        "issued": {"date-parts": [[2017]]},
        "container-title": "Advances in Neural Information Processing Systems",
        "custom": {"bibtex": {"type": "inproceedings", "key": "vaswani2017", "fields": {}}},
    }

Names are dicts with ``family``, ``given``, ``non-dropping-particle``, ``dropping-particle``,
``suffix`` or ``literal``; dates are dicts with ``date-parts`` (one part list, or two for a
range), ``season``, ``circa``, ``literal`` or ``raw``. Rich-text variables use the citeproc-js
markup subset ``<i>``, ``<b>``, ``<sup>``, ``<sub>`` and ``<span class="nocase">``.

``custom`` carries everything the mapping tables do not know, namespaced by origin:

* ``custom["bibtex"]``: ``{"type": <original entry type>, "key": <original key>,
  "fields": {<field>: <value as written>}, "macros": {<field>: <raw expression>}}``
  for records read from ``.bib`` files. ``fields`` holds unmapped fields (LaTeX kept);
  ``macros`` holds the raw ``@string``/``#`` expression of fields that used one.
* ``custom["markdown"]``: links, tags and notes of reading-list items.
* ``custom["et-al"]``: list of name variables whose list was truncated (``and others``,
  ``et al.``).
"""

from __future__ import annotations

from typing import Any, TypeAlias

__all__ = ["DateValue", "Name", "Record"]

Record: TypeAlias = dict[str, Any]
"""One CSL-JSON item (see the module docstring for the shape)."""

Name: TypeAlias = dict[str, Any]
"""One CSL name: ``{"family": ..., "given": ...}`` or ``{"literal": ...}``."""

DateValue: TypeAlias = dict[str, Any]
"""One CSL date: ``{"date-parts": [[2020, 5, 1]]}`` or a range of two part lists."""
