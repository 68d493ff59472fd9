"""Inference: grngc infer, sweep (lambda x lag without ground truth) and sweep-merge."""
from __future__ import annotations

import logging
import time
from pathlib import Path

from ..io.atomic import write_tsv
from ._shared import add_input_args, add_model_args, config_from_args, read_input

log = logging.getLogger("grngc")


def add_infer(sub) -> None:
    p = sub.add_parser("infer", help="infer a network: writes OUTDIR/edges.tsv, scores.npy, run.json")
    add_input_args(p)
    p.add_argument("-o", "--outdir", required=True, help="output folder")
    add_model_args(p)
    p.add_argument("--checkpoint-every", type=int, default=25, metavar="N",
                   help="save the training state to OUTDIR/checkpoint.pt every N epochs and on SIGTERM/SIGINT "
                        "(0: never; default: 25); removed when the run completes")
    p.add_argument("--resume", action="store_true",
                   help="continue from OUTDIR/checkpoint.pt when it matches these settings and input (else start over)")
    p.add_argument("--all-pairs", action="store_true",
                   help="write every ordered pair to edges.tsv at any size (default: above --all-pairs-below genes, "
                        "the top edges only; scores.npy always holds every pair)")
    p.add_argument("--all-pairs-below", type=int, default=1000, metavar="P",
                   help="up to this many genes edges.tsv lists every pair (default: 1000)")
    p.add_argument("--top-edges", type=int, default=100_000, metavar="N",
                   help="above that size: the N best edges overall (default: 100,000) ...")
    p.add_argument("--per-target", type=int, default=10, metavar="K",
                   help="... together with the K best regulators of every target (default: 10)")
    p.add_argument("--force", action="store_true",
                   help="OUTDIR holds another input's results: remove them (edges.tsv, scores.npy, run.json, "
                        "checkpoints) instead of stopping")
    p.add_argument("--threads", default="auto", metavar="N|auto",
                   help="torch CPU threads (default auto = 1: on a busy 2-core machine 2 threads ran 2-4x slower, on "
                        "an idle one at most 1.6x faster; benchmarks/threads.py). More only on a dedicated machine")
    p.set_defaults(func=cmd_infer)


def cmd_infer(args) -> int:
    from ..core.api import infer_timecourse
    from ..core.members import GENIE3_MEMBER_TREES
    from ..io.outdir import claim_outdir, write_run
    from ..core.moments import peak_memory_gb
    from ..core.runtime import Checkpointer, report_device, stop_on_signals

    import grngc

    # which grngc ran: a pipeline job's log must show the installed package, not a source tree by accident
    log.info("grngc %s (%s)", grngc.__version__, Path(grngc.__file__).parent)
    t_read = time.perf_counter()
    tc = read_input(args, sparse=True)  # an atlas stays sparse (the single-cell mode reads it in blocks)
    log.info("read %s in %.1f s (%s X; peak memory so far %.2f GB)", tc.source, time.perf_counter() - t_read,
             "sparse" if tc.is_sparse else "dense", peak_memory_gb())
    cfg = config_from_args(args)
    what = (f"the {args.preset} preset (its mode, single-cell or time-course, is decided from the data next)"
            if cfg.members else f"model genie3 (random forests on the same time point, {GENIE3_MEMBER_TREES} trees)"
            if cfg.model == "genie3" else f"model {cfg.model}, lag {cfg.lag}, lambda {cfg.lam:g}")
    log.info("%s: %d samples x %d genes in %d series; %s, device %s",
             tc.source, tc.n_samples, tc.n_genes, len(tc.series_slices()), what, report_device(cfg))
    out = Path(args.outdir)
    claim_outdir(out, tc.content_hash(), tc.source, force=args.force)
    checkpoint = (Checkpointer(out / "checkpoint.pt", every=max(args.checkpoint_every, 1))
                  if args.checkpoint_every > 0 or args.resume else None)
    with stop_on_signals(checkpoint):
        res = infer_timecourse(tc, cfg, checkpoint, resume=args.resume, threads=args.threads)
    t_write = time.perf_counter()
    write_run(out, res, all_pairs=args.all_pairs, all_pairs_below=args.all_pairs_below, top_edges=args.top_edges,
              per_target=args.per_target)
    log.info("wrote the network in %.1f s (peak memory so far %.2f GB)", time.perf_counter() - t_write, peak_memory_gb())
    if checkpoint is not None:
        checkpoint.remove()
    trained = res.record["runs"]
    log.info("done in %.1f s%s; wrote %s/edges.tsv, scores.npy, run.json", res.record["seconds_total"],
             f" (best epoch {trained[0]['best_epoch']} of {trained[0]['epochs_run']})" if trained else "", out)
    return 0


def add_sweep(sub) -> None:
    p = sub.add_parser("sweep", help="held-out forecasting loss and seed stability over lambda x lag (no truth needed)")
    add_input_args(p)
    add_model_args(p)
    p.add_argument("--lams", type=float, nargs="+", default=[0.3, 1.0, 3.0, 10.0])
    p.add_argument("--lags", type=int, nargs="+", default=[1, 2, 3])
    p.add_argument("--seeds", type=int, default=2, help="seeds per setting, for stability (default: 2)")
    p.add_argument("-o", "--output", help="write the table as TSV")
    p.set_defaults(func=cmd_sweep)


def cmd_sweep(args) -> int:
    from ..granger.sweep import sweep

    tc = read_input(args)
    cfg = config_from_args(args)
    from ..core.runtime import report_device

    report_device(cfg)
    table = sweep(tc, cfg, lams=args.lams, lags=args.lags, seeds=args.seeds)
    print(table.to_string(index=False))
    if args.output:
        write_tsv(args.output, table)
    return 0


def add_sweep_merge(sub) -> None:
    p = sub.add_parser("sweep-merge", help="join sweep tables of separate jobs and mark the recommended setting")
    p.add_argument("tables", nargs="+", help="sweep TSVs (e.g. one per lambda)")
    p.add_argument("-o", "--output", required=True)
    p.set_defaults(func=cmd_sweep_merge)


def cmd_sweep_merge(args) -> int:
    import pandas as pd

    from ..granger.sweep import recommend

    table = recommend(pd.concat([pd.read_csv(t, sep="\t") for t in args.tables], ignore_index=True))
    write_tsv(args.output, table)
    pick = table[table["recommended"]].iloc[0]
    print(table.to_string(index=False))
    log.info("recommended: lam %g, lag %d (held-out MSE %.4f, stability %.2f); wrote %s", pick["lam"], pick["lag"],
             pick["val_mse"], pick["stability"], args.output)
    return 0
