"""The cost rule of the registration (:data:`protocol.rules.COST`): every single method's seconds on one
DREAM4-100-shaped network, GENIE3's among them, in one run on this machine; which candidates are
admissible.

    python benchmarks/protocol/cost.py            # measure and print
    python benchmarks/protocol/cost.py --write    # the registration's run: results/R2_cost.tsv (+ .json)

Run it on an otherwise idle machine (stop other workers first: ``kill -STOP``). Seconds are from the
expression matrix in memory to the ``p x p`` scores, each method with :data:`rules.COST_THREADS`
threads; reading a file and writing the network add the same fraction of a second to every method.

Cost growth (the measured points are in docs/accuracy.md): with ``p`` genes, ``n`` samples, ``h``
hidden units, ``L`` input slots, ``E`` epochs and ``s`` seeds, the ridge VAR is one ``n x p`` SVD and
``p`` leave-one-out paths, ``O(n p^2 + p^3)``; a shared model (``mlp``, ``mlp-masked``, ``linear``,
``kan-additive``) costs ``s E n h L p`` per epoch for the forward pass, the masked MLP ``s E n h p``
more for its ``p`` hidden copies, and the gradient penalty on ``w`` windows x ``r`` rows
``s E w r h L p`` (``r`` = 64 sampled rows above 256 genes); the per-target MLP ``s E n h L p^2``;
GENIE3 ``p`` forests of 300 trees on ``p - 1`` features, ``O(300 p sqrt(p) n log n)``.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # benchmarks/: datasets and this package

from protocol import candidates, rules  # noqa: E402
from protocol.results import RESULTS  # noqa: E402


def cost_data():
    """The DREAM4-100-shaped time course of :data:`rules.COST` (its truth is never read here)."""
    from grngc import simulate

    return simulate.grn(**rules.COST)[0]


def measure(methods, log=print) -> pd.Series:
    """Seconds per method on :func:`cost_data`, one after another in this process (a warm-up first)."""
    import torch

    from protocol.compute import run_method

    torch.set_num_threads(rules.COST_THREADS)
    tc = cost_data()
    run_method("ridge", tc, rules.COST_THREADS)  # imports and first-call set-up are nobody's cost
    out = {}
    for name in methods:
        t0 = time.perf_counter()
        run_method(name, tc, rules.COST_THREADS)
        out[name] = time.perf_counter() - t0
        log(f"  {name:28s} {out[name]:7.1f} s")
    return pd.Series(out, name="seconds").rename_axis("method")


def candidate_seconds(name: str, seconds: pd.Series) -> float:
    """A candidate's cost: the sum of its members' seconds."""
    return float(sum(seconds[m] for m in candidates.members_of(name)))


def budget(seconds: pd.Series) -> float:
    return rules.COST_BUDGET * float(seconds[rules.COST_REFERENCE])


def admissible(names, seconds: pd.Series) -> list[str]:
    """The candidates of ``names`` (in order) whose cost is within the budget."""
    b = budget(seconds)
    return [n for n in names if candidate_seconds(n, seconds) <= b]


def admissible_members(seconds: pd.Series) -> list[str]:
    """Members that are admissible alone: only these can be in an admissible candidate."""
    return admissible(rules.MEMBERS, seconds)


def save(seconds: pd.Series, meta: dict) -> None:
    RESULTS.mkdir(exist_ok=True)
    seconds.to_frame().to_csv(RESULTS / f"{rules.REGISTRATION}_cost.tsv", sep="\t", float_format="%.2f")
    (RESULTS / f"{rules.REGISTRATION}_cost.json").write_text(json.dumps(meta, indent=1) + "\n")


def load() -> pd.Series:
    """The committed cost table of this registration (FileNotFoundError before its cost run)."""
    return pd.read_csv(RESULTS / f"{rules.REGISTRATION}_cost.tsv", sep="\t", index_col=0)["seconds"]


def load_meta() -> dict:
    return json.loads((RESULTS / f"{rules.REGISTRATION}_cost.json").read_text())


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        names = [l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({cpu}), {rules.COST_THREADS} threads, no GPU"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="save the registration's cost table (results/)")
    args = ap.parse_args(argv)
    from protocol.report import commit, rules_commit

    if args.write and not rules_commit():
        print("the rules have uncommitted changes: commit them before the cost run", file=sys.stderr)
        return 1
    os.environ["CUDA_VISIBLE_DEVICES"] = ""  # the rule is measured without a GPU
    methods = candidates.single_methods()
    print(f"cost rule of {rules.REGISTRATION}: {rules.COST} on {machine()}", flush=True)
    seconds = measure(methods, log=lambda s: print(s, flush=True))
    b = budget(seconds)
    ok = admissible_members(seconds)
    print(f"budget: {rules.COST_BUDGET} x {rules.COST_REFERENCE} {seconds[rules.COST_REFERENCE]:.1f} s = {b:.1f} s")
    print(f"members admissible alone: {', '.join(ok)}")
    print(f"admissible candidates: {len(admissible(candidates.pool(), seconds))} of {len(candidates.pool())}")
    if args.write:
        save(seconds, {"registration": rules.REGISTRATION, "run_commit": commit(), "rules_commit": rules_commit(),
                       "machine": machine(), "data": rules.COST, "budget_seconds": round(b, 2)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
