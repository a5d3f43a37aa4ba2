"""Writers: :class:`~citekit.model.Library` → text, one module per output format.

Every writer module provides ``write_text(library, *, diagnostics, **options) -> str``.
Atomic file writes and format lookup live in :mod:`citekit.api`.
"""
