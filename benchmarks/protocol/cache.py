"""Scores cached per method, settings, code version and dataset.

A method's key is its name, a hash of the settings its scores depend on, and the **code version**: a
hash of the source of the ``grngc`` package and of ``benchmarks/datasets.py`` (the data as loaded),
less the modules listed in :data:`NOT_SCORING` (the command line, reports, plots, metrics, the presets:
code that reads or shows scores but computes none of a cached method's; a preset's settings are in
the settings hash). Any change to the rest computes everything again; a stale score is never reused. Files:
``OUT/cache/<name>-<settings>-<code>/<dataset>.npy`` with the seconds it took in ``.sec`` beside it.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import candidates

ROOT = Path(__file__).resolve().parents[2]


# Modules (paths under grngc/) that no cached score passes through: entry points, the run record, reports,
# plots, metrics and comparison (applied to cached scores afresh), and the presets (a cached model's
# settings are resolved in full into its settings hash; ``model_config``).
NOT_SCORING = ("cli/", "__main__.py", "presets.py", "core/record.py", "compare.py", "metrics.py", "plots.py",
               "pl.py", "network_view.py", "tables.py", "sheet.py", "get.py", "sweep.py", "static/")


@lru_cache(maxsize=1)
def code_version() -> str:
    """sha256 (10 hex digits) over the paths and contents of ``grngc/**/*.py`` (less :data:`NOT_SCORING`)
    and ``benchmarks/datasets.py``."""
    h = hashlib.sha256()
    scoring = [f for f in sorted((ROOT / "grngc").rglob("*.py"))
               if not str(f.relative_to(ROOT / "grngc")).startswith(NOT_SCORING)]
    files = scoring + [ROOT / "benchmarks" / "datasets.py"]
    for f in files:
        h.update(str(f.relative_to(ROOT)).encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:10]


def model_config(name: str):
    """The ``GRNGCConfig`` of a GRNGC model of :data:`candidates.MODELS`, or of the ``paper`` preset."""
    from grngc.core.presets import resolve_config

    cfg = resolve_config(preset="paper") if name == "paper" else resolve_config(**candidates.MODELS[name])
    return dataclasses.replace(cfg, progress=False, device="cpu")


def settings_hash(name: str) -> str:
    if name in candidates.MODELS or name == "paper":
        cfg = dataclasses.asdict(model_config(name))
        spec = json.dumps({k: v for k, v in cfg.items() if k not in ("progress", "device")}, sort_keys=True,
                          default=str)
    else:
        spec = candidates.BASELINES[name]
    return hashlib.sha256(spec.encode()).hexdigest()[:10]


def method_key(name: str) -> str:
    return f"{name}-{settings_hash(name)}-{code_version()}"


def score_file(out: Path, name: str, dataset: str) -> Path:
    return out / "cache" / method_key(name) / f"{dataset}.npy"


def save_scores(f: Path, S: np.ndarray, seconds: float) -> None:
    f.parent.mkdir(parents=True, exist_ok=True)
    tmp = f.with_name(f"{f.stem}.{os.getpid()}.tmp.npy")  # workers may write side by side
    np.save(tmp, S)
    tmp.replace(f)
    f.with_suffix(".sec").write_text(f"{seconds:.2f}\n")


def load_scores(f: Path) -> tuple[np.ndarray, float]:
    return np.load(f), float(f.with_suffix(".sec").read_text())


def load_dataset(out: Path, name: str, load):
    """``(tc, truth)``, cached under the code version (the cell families need preprocessing)."""
    from grngc.timecourse import TimeCourse

    f = out / "cache" / f"data-{code_version()}" / f"{name}.npz"
    if f.exists():
        z = np.load(f, allow_pickle=False)
        return TimeCourse(z["X"], list(z["genes"]), z["time"], z["series"], name), z["truth"]
    tc, truth = load()
    f.parent.mkdir(parents=True, exist_ok=True)
    tmp = f.with_name(f"{name}.{os.getpid()}.tmp.npz")
    np.savez(tmp, X=tc.X, genes=np.array(tc.genes), time=tc.time, series=tc.series, truth=truth)
    tmp.replace(f)
    return tc, truth
