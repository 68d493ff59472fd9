"""Output folders of ``grngc infer``: never mix the results of two inputs in one folder."""
from __future__ import annotations

import json
import logging
from pathlib import Path

from ..timecourse import InputError

log = logging.getLogger("grngc")

# What infer writes into its folder (checkpoints included): what --force removes, nothing else.
RESULT_FILES = ("edges.tsv", "scores.npy", "run.json")
CHECKPOINT_GLOB = "checkpoint*.pt"


def claim_outdir(outdir: str | Path, input_sha256: str, source: str, force: bool = False) -> None:
    """Make sure ``outdir`` may receive the results of the input with ``input_sha256``.

    A folder whose ``run.json`` records another input stops the run with the fix named (another
    folder, or ``force``, which removes the earlier results and checkpoints and nothing else). A
    folder with results of the same input is overwritten (a rerun), with a note in the log.
    """
    out = Path(outdir)
    record = out / "run.json"
    if not record.exists():
        return
    try:
        previous = json.loads(record.read_text())["input"]
    except (OSError, ValueError, KeyError, TypeError):
        previous = {"source": "an unreadable run.json", "sha256": None}
    if previous.get("sha256") == input_sha256:
        log.info("%s already holds results of this input; they are replaced", out)
        return
    if not force:
        raise InputError(f"{out}: holds the results of another input ({previous.get('source')}); choose another "
                         f"output folder, or pass --force (force=True) to replace them with those of {source}")
    removed = [f for f in RESULT_FILES if (out / f).exists()] + [p.name for p in out.glob(CHECKPOINT_GLOB)]
    for name in removed:
        (out / name).unlink()
    log.warning("%s: removed the results of another input (%s): %s", out, previous.get("source"), ", ".join(removed))
