"""Command line: grngc infer | evaluate | simulate | sweep | baseline | compare | convert | preprocess |
aggregate | threshold | annotate | plot | summarize."""
from __future__ import annotations

import argparse
import logging
import sys

from .. import __version__
from ..timecourse import InputError
from . import data, evaluate, infer, network

log = logging.getLogger("grngc")

# (module, command) in the order ``grngc --help`` lists them; each module's add_<command> builds its parser
COMMANDS = ((infer, "infer"), (evaluate, "evaluate"), (data, "simulate"), (evaluate, "compare"), (data, "baseline"),
            (network, "convert"), (infer, "sweep"), (infer, "sweep_merge"), (data, "preprocess"),
            (network, "aggregate"), (network, "threshold"), (evaluate, "annotate"), (network, "plot"),
            (evaluate, "summarize"))


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="grngc", description=__doc__)
    ap.add_argument("--version", action="version", version=f"grngc {__version__}")
    ap.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = ap.add_subparsers(dest="command", required=True)
    for module, command in COMMANDS:
        getattr(module, f"add_{command}")(sub)
    return ap


def main(argv: list[str] | None = None) -> int:
    """Parse, run the command, and turn the errors users can fix into exit codes: 2 bad input, 3 out of
    memory, 143 interrupted (resumable)."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s grngc %(levelname)s: %(message)s", datefmt="%H:%M:%S")
    from ..errors import OutOfMemory, StoppedOutsideTraining, TrainingInterrupted

    try:
        return args.func(args)
    except InputError as err:
        log.error("%s", err)
        return 2
    except OutOfMemory as err:
        log.error("%s", err)
        return 3
    except TrainingInterrupted as err:
        log.error("%s; run the same command with --resume to continue", err)
        return 143
    except StoppedOutsideTraining as err:
        log.error("%s; run the same command again", err)
        return 143


if __name__ == "__main__":
    sys.exit(main())
