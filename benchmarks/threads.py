"""How many CPU threads `grngc infer` should use: the default preset end to end at 1 and 2 torch threads
over data sizes (genes x samples), on an idle machine and with the other core busy.

Usage: python benchmarks/threads.py [--busy]
Prints a Markdown table (and writes benchmarks/out/threads.md); the default of grngc.core.api.auto_threads
comes from it.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import subprocess
import sys
import time
from pathlib import Path


SIZES = [(10, 210), (50, 360), (100, 966), (300, 210), (500, 2000)]


def spin(stop):  # a busy neighbour: one core at 100%
    x = 0.0
    while not stop.is_set():
        x = (x + 1.0) % 7.0


def run(p: int, n: int, threads: int) -> float:
    import torch

    from grngc.core.api import infer_timecourse
    from grngc.core.presets import resolve_config
    from grngc.simulate import grn

    torch.set_num_threads(threads)
    n_series = max(1, n // 21)
    tc, _ = grn(p, T=n // n_series, n_series=n_series, seed=1)
    t0 = time.perf_counter()
    infer_timecourse(tc, resolve_config(progress=False, device="cpu", epochs=300))
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--busy", action="store_true", help="keep one other core busy while timing")
    args = ap.parse_args()
    stop = mp.Event()
    neighbour = mp.Process(target=spin, args=(stop,), daemon=True) if args.busy else None
    if neighbour:
        neighbour.start()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    lines = [f"# Threads (commit {commit}, {'one other core busy' if args.busy else 'idle machine'}, "
             "default preset, at most 300 epochs, best of two)", "",
             "| genes | samples | genes x samples | 1 thread (s) | 2 threads (s) |", "| --- | --- | --- | --- | --- |"]
    try:
        for p, n in SIZES:
            # alternating order, best of two: the first call of a process pays for warm-up
            a2, a1, b1, b2 = run(p, n, 2), run(p, n, 1), run(p, n, 1), run(p, n, 2)
            t1, t2 = min(a1, b1), min(a2, b2)
            lines.append(f"| {p} | {n} | {p * n:,} | {t1:.1f} | {t2:.1f} |")
            print(lines[-1], flush=True)
    finally:
        stop.set()
    out = Path("benchmarks/out")
    out.mkdir(parents=True, exist_ok=True)
    (out / f"threads{'_busy' if args.busy else ''}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
