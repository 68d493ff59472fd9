"""Run the grngc command line from this checkout, whatever the job's PYTHONPATH (Snakemake clears it
in conda jobs): the repository root goes first on sys.path."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from grngc.cli import main  # noqa: E402

sys.exit(main())
