"""Errors that stop a run with their own exit codes (kept free of torch, so that the CLI starts fast).

:class:`grngc.timecourse.InputError` (bad input, exit 2) lives beside the data it checks.
"""


class TrainingInterrupted(RuntimeError):
    """Training stopped on request (SIGTERM, e.g. SLURM preemption) after writing a checkpoint (exit 143)."""


class StoppedOutsideTraining(RuntimeError):
    """SIGTERM or SIGINT arrived while no model was training (the single-cell mode's closed forms, a baseline,
    reading or writing): nothing to checkpoint, so the run stops at once, writing nothing (exit 143)."""


class OutOfMemory(RuntimeError):
    """The device ran out of memory; the message says how big the problem was and what to change (exit 3)."""
