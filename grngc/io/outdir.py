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


def write_run(outdir: str | Path, result, *, all_pairs: bool = False, all_pairs_below: int = 1000,
              top_edges: int = 100_000, per_target: int = 10) -> None:
    """Write an infer result into ``outdir``: ``edges.tsv`` (every ordered pair up to ``all_pairs_below``
    genes or with ``all_pairs``; above, the ``top_edges`` best overall with the ``per_target`` best
    regulators of each target), ``scores.npy`` (every pair) and ``run.json`` last, whose presence marks a
    complete run. The run record says which edges ``edges.tsv`` holds."""
    import numpy as np

    from .atomic import atomic_path, write_json
    from .network import write_edges

    out = Path(outdir)
    n = len(result.genes)
    truncate = n > all_pairs_below and not all_pairs
    edges = result.edges(top_edges, per_target) if truncate else result.edges()
    result.record["edges_tsv"] = {
        "all_pairs": not truncate, "rows": len(edges), "pairs": n * (n - 1),
        **({"top": top_edges, "per_target": per_target,
            "note": "the top edges overall and per target; scores.npy holds every pair; evaluation counts the "
                    "missing pairs as score 0"} if truncate else {})}
    if truncate:
        log.info("%d genes: edges.tsv holds the top %d edges and the top %d regulators of each target (%d rows of "
                 "%d pairs; --all-pairs for every pair); scores.npy holds all", n, top_edges, per_target, len(edges),
                 n * (n - 1))
    out.mkdir(parents=True, exist_ok=True)
    write_edges(out / "edges.tsv", edges)
    with atomic_path(out / "scores.npy") as tmp:
        with open(tmp, "wb") as fh:
            np.save(fh, result.scores)
    write_json(out / "run.json", result.record)  # last: its presence marks a complete run
