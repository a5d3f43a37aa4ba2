"""``python -m citekit`` runs the command line."""

import sys

from citekit.cli import main

sys.exit(main())
