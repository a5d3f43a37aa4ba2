"""Readers: text → :class:`~citekit.model.Library`, one module per input format.

Every reader module provides ``read_text(text, *, source, diagnostics, **options) -> Library``
and may provide ``sniff(text) -> bool`` for format detection. Decoding bytes, file names and
strictness are handled once, in :mod:`citekit.api`.
"""
