"""``python -m grngc``: the same command line as ``grngc``."""
import sys

from .cli import main

sys.exit(main())
