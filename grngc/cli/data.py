"""Data in: grngc simulate, preprocess, and the methods run beside GRNGC (baseline)."""
from __future__ import annotations

import logging
from pathlib import Path

from ..io.atomic import atomic_path
from ..timecourse import InputError
from ._shared import add_input_args, read_input, regulator_names

log = logging.getLogger("grngc")


def add_simulate(sub) -> None:
    p = sub.add_parser("simulate", help="simulate a time course with a known network, as .h5ad")
    p.add_argument("kind", choices=["lorenz96", "var", "grn", "cells", "grn-cells"],
                   help="cells: single cells differentiating from a known GRN (SERGIO-like: Hill kinetics, "
                        "intrinsic noise, capture), raw counts without time (for pseudotime); grn-cells: the older "
                        "snapshot of grn time courses, where every method is near chance")
    p.add_argument("-o", "--output", required=True, help="output .h5ad")
    p.add_argument("--truth", help="true network TSV (default: OUTPUT stem + _truth.tsv)")
    p.add_argument("-p", type=int, default=10, help="number of variables/genes (default: 10)")
    p.add_argument("-T", type=int, default=None, help="time points per series (default: 1000; grn: 21)")
    p.add_argument("--n-series", type=int, default=None, help="series (default: 1; grn: 10)")
    p.add_argument("--F", type=float, default=10.0, help="Lorenz-96 forcing (default: 10)")
    p.add_argument("--var-lag", type=int, default=3, help="VAR order (default: 3)")
    p.add_argument("--cells", type=int, default=400, help="cells, grn-cells: number of cells (default: 400)")
    p.add_argument("--velocity", action="store_true", help="cells: also layers spliced and unspliced")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_simulate)


def cmd_simulate(args) -> int:
    from .. import simulate
    from ..io.network import write_edges

    args.T = args.T or (21 if args.kind == "grn" else 1000)  # defaults that depend on the kind
    args.n_series = args.n_series or (10 if args.kind == "grn" else 1)
    if args.kind == "cells":
        adata, _ = simulate.differentiation_cells(args.p, n_cells=args.cells, seed=args.seed, velocity=args.velocity)
        truth = adata.varp["true_network_sign"]
        what = (f"{adata.n_obs} cells x {adata.n_vars} genes differentiating, raw counts, no time; obs stage"
                + ("; layers spliced, unspliced" if args.velocity else ""))
    elif args.kind == "grn-cells":
        adata, _ = simulate.grn_cells(args.p, n_cells=args.cells, seed=args.seed)
        truth = adata.varp["true_network_sign"]
        what = f"{adata.n_obs} cells x {adata.n_vars} genes, raw counts, no time; obs stage"
    else:
        if args.kind == "lorenz96":
            tc, truth = simulate.lorenz96(args.p, args.T, F=args.F, n_series=args.n_series, seed=args.seed)
        elif args.kind == "var":
            tc, truth = simulate.var(args.p, args.T, lag=args.var_lag, seed=args.seed)
        else:
            tc, truth = simulate.grn(args.p, n_series=args.n_series, T=args.T, seed=args.seed, signed=True)
        adata = simulate.to_anndata(tc, truth)
        what = f"{tc.n_samples} samples x {tc.n_genes} genes, {len(tc.series_slices())} series"
    out = Path(args.output)
    with atomic_path(out) as tmp:
        adata.write_h5ad(tmp)
    ref = simulate.truth_to_edges(truth, list(adata.var_names))
    ref_path = Path(args.truth) if args.truth else out.with_name(out.stem + "_truth.tsv")
    ref["score"] = 1
    write_edges(ref_path, ref)
    log.info("wrote %s (%s) and its true network %s (%d edges)", out, what, ref_path, len(ref))
    return 0


def add_preprocess(sub) -> None:
    p = sub.add_parser("preprocess", help="normalize, select genes, order by time or pseudotime (scanpy); writes .h5ad")
    add_input_args(p)
    p.add_argument("-o", "--output", required=True, help="prepared .h5ad (obs time and series)")
    p.add_argument("--qc", help="QC figure (PNG)")
    p.add_argument("--record", help="also write what was done as JSON")
    p.add_argument("--normalize", default="auto", choices=["auto", "always", "never"],
                   help="normalize_total + log1p: auto (only for counts; default), always, never")
    p.add_argument("--target-sum", type=float, default=1e4, help="normalize_total target (default: 1e4)")
    p.add_argument("--genes", default="all", choices=["all", "hvg", "list", "tfs_targets"], help="gene selection")
    p.add_argument("--max-genes", type=int, default=500, help="cap on genes kept, most variable first (default: 500)")
    p.add_argument("--gene-list", help="genes to keep (one per line), for --genes list")
    p.add_argument("--tfs", help="TFs (one per line), for --genes tfs_targets; marked in var['is_tf']")
    p.add_argument("--pseudotime", default="auto", choices=["auto", "dpt", "obs"],
                   help="auto: the time key when present, else diffusion pseudotime; dpt: always; obs: the time key")
    p.add_argument("--root", help="pseudotime root: KEY=VALUE (a group of cells in obs) or cell:NAME")
    p.add_argument("--bins", type=int, default=0, help="average samples into N bins per series along time (0: off)")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_preprocess)


def cmd_preprocess(args) -> int:
    from ..io.atomic import write_json
    from ..io.expression import load_anndata, read_gene_file
    from ..report.plots import plot_qc
    from ..io.preprocess import PreprocessConfig, preprocess

    cfg = PreprocessConfig(normalize=args.normalize, target_sum=args.target_sum, genes=args.genes,
                           max_genes=args.max_genes, pseudotime=args.pseudotime, root=args.root,
                           n_bins=args.bins, seed=args.seed, time_key=args.time_key, series_key=args.series_key,
                           layer=args.layer,
                           gene_list=read_gene_file(args.gene_list) if args.gene_list else None,
                           tfs=read_gene_file(args.tfs) if args.tfs else None)
    cfg.check()
    adata = load_anndata(args.input, args.format, args.time_key, args.series_key, args.layer)
    out, record, qc = preprocess(adata, cfg, source=str(args.input))
    if args.qc:
        plot_qc(out, qc, args.qc, title=f"{Path(args.input).name}: {out.n_obs} samples x {out.n_vars} genes")
    if args.record:
        write_json(args.record, record)
    with atomic_path(args.output) as tmp:
        out.write_h5ad(tmp)
    log.info("%s: %d x %d in, %d samples x %d genes out (%s; time: %s); wrote %s", args.input,
             record["samples_in"], record["genes_in"], out.n_obs, out.n_vars, record["normalization"],
             record["time"], args.output)
    return 0


def add_baseline(sub) -> None:
    from ..methods import REGISTRY, baseline_params, names

    p = sub.add_parser("baseline", help="run a method beside GRNGC on the same data ("
                                        + "; ".join(f"{n}: {REGISTRY[n].summary}" for n in names("baseline"))
                                        + "); writes an edge list")
    p.add_argument("method", choices=names("baseline"))
    add_input_args(p)
    p.add_argument("-o", "--output", required=True, help="edge list (regulator, target, score)")
    p.add_argument("--regulators", help="file with one candidate regulator (TF) per line")
    for param in baseline_params().values():
        p.add_argument(param.flag, type=type(param.default), default=param.default, choices=param.choices,
                       help=param.help)
    p.add_argument("--n-jobs", type=int, default=1, help="parallel jobs over targets")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_baseline)


def cmd_baseline(args) -> int:
    from ..io import write_edges
    from ..io.network import scores_to_edges
    from ..methods import baseline_params, run_baseline

    tc = read_input(args)
    regulators = None
    if args.regulators:
        names = regulator_names(args)
        regulators = [tc.genes.index(g) for g in names if g in tc.genes]
        if not regulators:
            raise InputError(f"{args.regulators}: none of its {len(names)} regulators is a gene of {args.input}")
    params = {name: getattr(args, name) for name in baseline_params()}
    S = run_baseline(args.method, tc, regulators, seed=args.seed, n_jobs=args.n_jobs, **params)
    write_edges(args.output, scores_to_edges(S, tc.genes))
    log.info("%s on %s: wrote %s", args.method, tc.source, args.output)
    return 0
