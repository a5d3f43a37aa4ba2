"""The ``citekit`` command line: ``main(argv) -> exit status`` (console script ``citekit``).

Exit codes: 0 ok; 1 problems in the data (error diagnostics with ``--strict``, missing cited
keys, lint errors, unreadable or unwritable data); 2 usage errors (bad options, unknown
format or style, an input file that does not exist). Diagnostics go to stderr as
``file:line:col: severity: message [key] (code)``; tracebacks only with ``--debug``.

Heavy libraries (bibtexparser, pybtex, citeproc, pylatexenc, lxml) are imported only inside
the command that needs them, so ``citekit --help`` starts fast.
"""

from citekit.cli._app import EXIT_DATA, EXIT_OK, EXIT_USAGE, build_parser, main

__all__ = ["EXIT_DATA", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]
