"""Where and how a run executes: device, CPU threads, progress, checkpoints, signals, memory reports.
Nothing here changes what a model computes."""
from __future__ import annotations

import contextlib
import logging
import signal
from dataclasses import dataclass
from pathlib import Path

import torch

from ..errors import StoppedOutsideTraining
from ..timecourse import InputError

log = logging.getLogger("grngc")


@dataclass
class Checkpointer:
    """Writes the whole training state every ``every`` epochs (and when a stop is requested), so that
    a resumed run ends with exactly the scores of an uninterrupted one (same seed, same device).

    State: the finished models of the ensemble and, for the model in training, its parameters, the
    optimizer, the best epoch so far, the loss history and both random generators. ``key`` ties a
    checkpoint to its settings and input; a checkpoint with another key is ignored on resume.
    """

    path: Path
    every: int = 25
    key: str = ""
    stop_requested: bool = False  # set from a signal handler; honoured at the end of the epoch
    training: bool = False  # a run's models are training (granger.train.fit): a signal waits for an epoch's or a model's end

    def load(self) -> dict | None:
        if not self.path.exists():
            return None
        state = torch.load(self.path, map_location="cpu", weights_only=False)
        if state.get("key") != self.key:
            log.warning("%s was written for other settings or another input; ignoring it and starting over",
                        self.path)
            return None
        return state

    def save(self, state: dict) -> None:
        from ..io.atomic import atomic_path

        with atomic_path(self.path) as tmp:
            torch.save({**state, "key": self.key}, tmp)

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


_RUN_BAR = None  # the one progress bar of the inference in progress (run_progress)


@contextlib.contextmanager
def run_progress(enabled: bool):
    """One progress bar for a whole inference (every seed and member adds its epochs to it), shown only
    on a terminal: tqdm's ``disable=None``. A log file or a notebook's captured stderr gets none."""
    global _RUN_BAR
    if not enabled or _RUN_BAR is not None:
        yield
        return
    from tqdm.auto import tqdm

    _RUN_BAR = tqdm(total=0, desc="grngc", unit="epoch", leave=False, disable=None)
    try:
        yield
    finally:
        _RUN_BAR.close()
        _RUN_BAR = None


class _ModelProgress:
    """One model's share of the run's bar: its epochs are added to the total when it starts; epochs
    that early stopping skips are counted as done when it closes."""

    def __init__(self, bar, total: int):
        self.bar, self.left = bar, total
        bar.total += total
        bar.refresh()

    def update(self, n: int = 1):
        self.bar.update(n)
        self.left -= n

    def set_postfix(self, **kw):
        self.bar.set_postfix(**kw)

    def close(self):
        if self.left > 0:
            self.bar.update(self.left)
            self.left = 0


def model_progress(total: int, enabled: bool):
    if not enabled:
        return None
    if _RUN_BAR is not None:
        return _ModelProgress(_RUN_BAR, total)
    from tqdm.auto import tqdm

    return tqdm(total=total, desc="grngc", unit="epoch", leave=False, disable=None)


def memory_report(cfg) -> str:
    dev = cfg.resolved_device()
    if dev.type != "cuda":
        return f"device {dev}"
    total = torch.cuda.get_device_properties(dev).total_memory / 2**30
    return (f"{torch.cuda.get_device_name(dev)}, {total:.1f} GiB, {torch.cuda.max_memory_allocated(dev) / 2**30:.1f} "
            "GiB allocated at the peak")


def report_device(cfg):
    """Log the device this job got; warn when the scheduler allocated a GPU that torch cannot use."""
    import os

    device = cfg.resolved_device()
    allocated = os.environ.get("CUDA_VISIBLE_DEVICES", "")
    if device.type == "cuda":
        log.info("device: %s (%s)", device, torch.cuda.get_device_name(device))
    elif allocated not in ("", "-1", "NoDevFiles"):
        log.warning("a GPU was allocated to this job (CUDA_VISIBLE_DEVICES=%s) but torch %s finds no CUDA device "
                    "(a CPU build of torch, or a driver mismatch); running on CPU", allocated, torch.__version__)
    else:
        log.info("device: cpu (no CUDA device visible)")
    return device


@contextlib.contextmanager
def stop_on_signals(checkpoint):
    """SIGTERM (SLURM preemption, a killed job) and SIGINT: while a model trains, finish the epoch, write a
    checkpoint, stop; at any other time (nothing to checkpoint: the closed forms of the single-cell mode can
    run for many minutes on an atlas) stop at once with :class:`grngc.errors.StoppedOutsideTraining`."""
    if checkpoint is None:
        yield
        return

    def request_stop(signum, frame):
        name = signal.Signals(signum).name
        if not checkpoint.training:
            raise StoppedOutsideTraining(f"received {name} while no model was training (nothing to checkpoint): "
                                         "stopped, nothing written")
        log.warning("received %s: writing a checkpoint at the end of this epoch, then stopping", name)
        checkpoint.stop_requested = True

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def cpu_threads(threads: int | str | None) -> int:
    """The torch CPU threads a run uses: ``threads`` when given, else ("auto", None) 1.

    Measured (``benchmarks/threads.py``, 2 cores, the default preset, 2,100 to 1,000,000 genes x
    samples): with the other core busy, 2 threads were 2-4x SLOWER than 1 at every size (spinning
    threads wait on each other); on an idle machine they were at most 1.6x faster (1,000,000). One
    thread is never far from the best and never far off it; give more on a dedicated machine.
    """
    if threads in (None, "auto"):
        return 1
    n = int(threads)
    if n < 1:
        raise InputError(f"threads={threads!r}: use a positive number of CPU threads, or 'auto'")
    return n


@contextlib.contextmanager
def torch_threads(threads: int | str | None):
    """Run the block with :func:`cpu_threads` torch threads, then restore the caller's setting."""
    before = torch.get_num_threads()
    torch.set_num_threads(cpu_threads(threads))
    try:
        yield
    finally:
        torch.set_num_threads(before)
