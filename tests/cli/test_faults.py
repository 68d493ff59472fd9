"""Faults: a job killed by SIGTERM (SLURM preemption) writes a checkpoint and resumes to the same
result as an uninterrupted run; device out-of-memory gives advice or retries smaller."""
import subprocess
import sys

import numpy as np
import pytest
import torch

from grngc import simulate
from grngc.cli import main
from grngc.config import GRNGCConfig
from grngc.errors import OutOfMemory
from grngc.core.runtime import Checkpointer
from grngc.granger.train import fit

# Sends itself a real SIGTERM at the end of epoch 7 of the second model, through grngc's own handler.
KILL_SCRIPT = """
import os, signal, sys, torch
torch.set_num_threads(1)
import grngc.granger.train as train
calls = {{"n": 0}}
original = train._train_epoch
def epoch_then_sigterm(*args, **kwargs):
    out = original(*args, **kwargs)
    calls["n"] += 1
    if calls["n"] == {kill_at}:
        os.kill(os.getpid(), signal.SIGTERM)
    return out
train._train_epoch = epoch_then_sigterm
from grngc.cli import main
sys.exit(main({argv!r}))
"""


@pytest.fixture
def sim_h5ad(tmp_path):
    tc, _ = simulate.lorenz96(p=6, T=300, seed=3)
    path = tmp_path / "sim.h5ad"
    simulate.to_anndata(tc).write_h5ad(path)
    return path


def test_sigterm_writes_checkpoint_and_resume_matches_uninterrupted(tmp_path, sim_h5ad):
    common = ["--n-seeds", "2", "--epochs", "80", "--hidden", "16", "--seed", "5", "--no-progress",
              "--checkpoint-every", "5"]
    killed = tmp_path / "killed"
    argv = ["infer", str(sim_h5ad), "-o", str(killed), *common]
    run = subprocess.run([sys.executable, "-c", KILL_SCRIPT.format(kill_at=80 + 7, argv=argv)],
                         capture_output=True, text=True)
    # the first model runs its 80 epochs unless it stops early; the kill lands inside the second model
    assert run.returncode == 143, run.stderr[-2000:]
    assert "received SIGTERM" in run.stderr and "--resume" in run.stderr
    assert (killed / "checkpoint.pt").exists() and not (killed / "edges.tsv").exists()  # nothing that looks done
    state = torch.load(killed / "checkpoint.pt", weights_only=False)
    assert len(state["done"]) + (state["current"] is not None) >= 1

    torch.set_num_threads(1)
    assert main(["infer", str(sim_h5ad), "-o", str(killed), *common, "--resume"]) == 0
    assert not (killed / "checkpoint.pt").exists()  # removed once the run is complete
    clean = tmp_path / "clean"
    assert main(["infer", str(sim_h5ad), "-o", str(clean), *common]) == 0
    np.testing.assert_array_equal(np.load(killed / "scores.npy"), np.load(clean / "scores.npy"))


def test_checkpoint_of_other_settings_is_ignored(tmp_path, chain_timecourse, fast_settings, caplog):
    ck = Checkpointer(tmp_path / "checkpoint.pt", every=5, key="settings-A")
    ck.save({"done": [], "current": None})
    other = Checkpointer(tmp_path / "checkpoint.pt", every=5, key="settings-B")
    assert other.load() is None and "ignoring it" in caplog.text


def test_out_of_memory_stops_with_advice(monkeypatch, chain_timecourse, fast_settings):
    import grngc.granger.train as train

    def oom(*args, **kwargs):
        raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 20.00 GiB")

    monkeypatch.setattr(train, "fit_one", oom)
    with pytest.raises(OutOfMemory, match=r"360 samples x 3 genes.*--penalty-rows 64.*--batch-size.*--on-oom reduce"):
        fit(chain_timecourse, GRNGCConfig(**fast_settings))


def test_out_of_memory_reduce_retries_smaller(monkeypatch, chain_timecourse, fast_settings):
    import grngc.granger.train as train

    seen = []
    original = train.fit_one

    def oom_twice(tc, cfg, *args, **kwargs):
        seen.append(cfg.batch_size)
        if len(seen) <= 2:
            raise torch.OutOfMemoryError("CUDA out of memory")
        return original(tc, cfg, *args, **kwargs)

    monkeypatch.setattr(train, "fit_one", oom_twice)
    scores, runs = fit(chain_timecourse, GRNGCConfig(**fast_settings, on_oom="reduce", batch_size=64))
    assert seen == [64, 32, 16] and np.isfinite(scores).all()


# A SIGTERM during the single-cell mode's closed forms (minutes on an atlas, no model to checkpoint).
STOP_IN_CELLS_SCRIPT = """
import os, signal, sys, time
import grngc.core.moments as moments
original = moments.correlation_rows
def correlations_then_sigterm(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(30)  # a long stage: the run must not wait for it to end
    return original(*args, **kwargs)
moments.correlation_rows = correlations_then_sigterm
from grngc.cli import main
sys.exit(main({argv!r}))
"""


def test_sigterm_outside_training_stops_at_once_and_writes_nothing(tmp_path):
    import time

    import anndata as ad
    import pandas as pd

    rng = np.random.default_rng(2)
    cells = ad.AnnData(rng.normal(size=(300, 12)), obs=pd.DataFrame({"time": rng.random(300)},
                                                                   index=[f"c{k}" for k in range(300)]))
    h5ad = tmp_path / "cells.h5ad"
    cells.write_h5ad(h5ad)
    out = tmp_path / "out"
    argv = ["infer", str(h5ad), "-o", str(out), "--kind", "cells", "--no-progress"]
    t0 = time.perf_counter()
    run = subprocess.run([sys.executable, "-c", STOP_IN_CELLS_SCRIPT.format(argv=argv)], capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 143, run.stderr[-2000:]
    assert time.perf_counter() - t0 < 25  # it did not sleep the stage out
    assert "received SIGTERM while no model was training" in run.stderr and "--resume" not in run.stderr
    assert not (out / "edges.tsv").exists() and not (out / "scores.npy").exists()
