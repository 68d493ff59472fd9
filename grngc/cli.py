"""Command line: grngc infer | evaluate | simulate | sweep | baseline | compare | convert."""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

import numpy as np

from . import __version__
from .io.atomic import atomic_path
from .timecourse import InputError

log = logging.getLogger("grngc")


def _add_input_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("input", help="expression: .h5ad, DREAM time-series .tsv, BEELINE folder, or CSV/TSV table")
    p.add_argument("--format", choices=["h5ad", "dream", "beeline", "table"], help="input format (default: detect)")
    p.add_argument("--time-key", default="time", help="obs/table column with time or pseudotime (default: time)")
    p.add_argument("--series-key", default="series",
                   help="obs/table column that separates series (default: series; absent means one series)")
    p.add_argument("--layer", help="AnnData layer to use instead of X")


def _add_model_args(p: argparse.ArgumentParser) -> None:
    from .train import GRNGCConfig

    d = GRNGCConfig()
    p.add_argument("--model", default=d.model, choices=["kan", "kan-linear", "mlp", "lstm", "tcn"], help=f"default: {d.model}")
    p.add_argument("--lag", type=int, default=d.lag, help=f"past steps per window (default: {d.lag})")
    p.add_argument("--lam", type=float, default=d.lam, help=f"gradient penalty weight lambda (default: {d.lam})")
    p.add_argument("--hidden", type=int, default=d.hidden, help=f"hidden width (default: {d.hidden})")
    p.add_argument("--epochs", type=int, default=d.epochs, help=f"maximum epochs (default: {d.epochs})")
    p.add_argument("--n-seeds", default=d.n_seeds, type=_auto_or_int,
                   help="models averaged over seeds seed, seed+1, ...: a number or 'auto' (5 for small data, "
                        "p x samples <= 50,000, else 1; the default)")
    p.add_argument("--penalty-rows", default=d.penalty_rows, type=_rows_arg,
                   help="output genes sampled per step for the penalty (unbiased): a number, 'all', or "
                        "'auto' (64 above 256 genes; the default)")
    p.add_argument("--device", default=d.device, help="auto (CUDA when present), cpu, cuda, cuda:1 ...")
    p.add_argument("--seed", type=int, default=d.seed, help=f"random seed (default: {d.seed})")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")


def _config_from_args(args):
    from .train import GRNGCConfig

    return GRNGCConfig(model=args.model, lag=args.lag, lam=args.lam, hidden=args.hidden, epochs=args.epochs,
                       n_seeds=args.n_seeds, penalty_rows=args.penalty_rows, device=args.device,
                       seed=args.seed, progress=not args.no_progress and sys.stderr.isatty())


def _auto_or_int(value):
    if value == "auto":
        return value
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number or 'auto', not {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a positive number or 'auto', not {value!r}")
    return n


def _rows_arg(value):
    return None if value == "all" else _auto_or_int(value)


def _read(args):
    from .io import read_expression

    return read_expression(args.input, args.format, time_key=args.time_key, series_key=args.series_key,
                           layer=args.layer)


def cmd_infer(args) -> int:
    from .api import infer_timecourse
    from .io import write_edges, write_json

    tc = _read(args)
    cfg = _config_from_args(args)
    log.info("%s: %d samples x %d genes in %d series; model %s, lag %d, lambda %g, device %s",
             tc.source, tc.n_samples, tc.n_genes, len(tc.series_slices()), cfg.model, cfg.lag, cfg.lam,
             cfg.resolved_device())
    res = infer_timecourse(tc, cfg)
    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)
    write_edges(out / "edges.tsv", res.edges())
    with atomic_path(out / "scores.npy") as tmp:
        with open(tmp, "wb") as fh:
            np.save(fh, res.scores)
    write_json(out / "run.json", res.record)  # last: its presence marks a complete run
    r = res.record["runs"][0]
    log.info("done in %.1f s (best epoch %d of %d); wrote %s/edges.tsv, scores.npy, run.json",
             res.record["seconds_total"], r["best_epoch"], r["epochs_run"], out)
    return 0


def cmd_evaluate(args) -> int:
    from .io import read_edges, read_expression, read_reference, write_json
    from .metrics import evaluate_edges

    edges = read_edges(args.edges)
    ref = read_reference(args.reference)
    if args.genes_from:
        genes = read_expression(args.genes_from, args.format, time_key=args.time_key,
                                series_key=args.series_key).genes
    else:
        run_json = Path(args.edges).with_name("run.json")
        if run_json.exists():
            genes = json.loads(run_json.read_text())["genes"]
        else:
            genes = sorted(set(edges["regulator"]) | set(edges["target"]))
            log.warning("no --genes-from and no run.json beside %s: candidates are the %d genes named in "
                        "the edge list", args.edges, len(genes))
    result = evaluate_edges(edges, ref, genes)
    result.update(edges=str(args.edges), reference=str(args.reference))
    if result["auroc"] is None:
        log.warning("%s: %s", args.reference, result["note"])
    text = json.dumps(result, indent=2)
    print(text)
    if args.output:
        write_json(args.output, result)
    return 0


def cmd_simulate(args) -> int:
    from . import simulate
    from .io.network import write_edges

    if args.kind == "lorenz96":
        tc, truth = simulate.lorenz96(args.p, args.T, F=args.F, n_series=args.n_series, seed=args.seed)
    elif args.kind == "var":
        tc, truth = simulate.var(args.p, args.T, lag=args.var_lag, seed=args.seed)
    else:
        tc, truth = simulate.grn(args.p, n_series=args.n_series, T=args.T, seed=args.seed)
    adata = simulate.to_anndata(tc, truth)
    out = Path(args.output)
    with atomic_path(out) as tmp:
        adata.write_h5ad(tmp)
    ref = simulate.truth_to_edges(truth, tc.genes)
    ref_path = Path(args.truth) if args.truth else out.with_name(out.stem + "_truth.tsv")
    ref["score"] = 1
    write_edges(ref_path, ref)
    log.info("wrote %s (%d samples x %d genes, %d series) and its true network %s (%d edges)",
             out, tc.n_samples, tc.n_genes, len(tc.series_slices()), ref_path, len(ref))
    return 0


def cmd_sweep(args) -> int:
    from .sweep import sweep

    tc = _read(args)
    cfg = _config_from_args(args)
    table = sweep(tc, cfg, lams=args.lams, lags=args.lags, seeds=args.seeds)
    print(table.to_string(index=False))
    if args.output:
        with atomic_path(args.output) as tmp:
            table.to_csv(tmp, sep="\t", index=False)
    return 0


def cmd_compare(args) -> int:
    from .compare import compare_methods, plot_curves
    from .io import read_edges, read_expression, read_reference, write_edges, write_text
    from .io.network import gene_name_report, scores_to_edges
    from .tables import markdown_table

    genes = read_expression(args.genes_from, args.format, time_key=args.time_key, series_key=args.series_key).genes
    edges = {}
    for spec in args.methods:
        name, sep, path = spec.partition("=")
        if not sep or not name or not path:
            raise InputError(f"method {spec!r}: write NAME=EDGES, e.g. grngc=results/edges.tsv")
        edges[name] = read_edges(path)
        rep = gene_name_report(edges[name], genes, path)
        if rep["case_only_mismatches"]:
            log.warning("%s: gene names differ from the data only by case (not merged): %s", path,
                        rep["case_only_mismatches"])
        if rep["genes_not_in_data"]:
            log.warning("%s: %d of %d genes are not in %s, e.g. %s; their edges are ignored", path,
                        rep["genes_not_in_data"], rep["genes_named"], args.genes_from, rep["examples_not_in_data"])
    reference = read_reference(args.reference) if args.reference else None
    res = compare_methods(edges, reference, genes, top_k=args.top_k, consensus=args.consensus)
    out = Path(args.output)
    md = ["## Methods", markdown_table(res["metrics"]), "", f"## Between methods (top {res['top_k']})",
          markdown_table(res["pairwise"]) if len(res["pairwise"]) else "(one method)", ""]
    write_text(out.with_suffix(".md"), "\n".join(md) + "\n")
    with atomic_path(out.with_suffix(".tsv")) as tmp:
        res["metrics"].to_csv(tmp, sep="\t", index=False)
    with atomic_path(out.with_name(out.stem + "_pairwise.tsv")) as tmp:
        res["pairwise"].to_csv(tmp, sep="\t", index=False)
    with atomic_path(out.with_name(out.stem + "_unique_topk.tsv")) as tmp:
        res["unique"].to_csv(tmp, sep="\t", index=False)
    if "consensus" in res["matrices"]:
        write_edges(out.with_name(out.stem + "_consensus_edges.tsv"), scores_to_edges(res["matrices"]["consensus"], genes))
    if args.plot:
        plot_curves(res, genes, args.plot)
    print("\n".join(md))
    return 0


def cmd_baseline(args) -> int:
    from .baselines import genie3, genie3_lagged, tigress
    from .io import write_edges
    from .io.network import scores_to_edges

    tc = _read(args)
    regulators = None
    if args.regulators:
        names = [l.strip() for l in Path(args.regulators).read_text().splitlines() if l.strip()]
        regulators = [tc.genes.index(g) for g in names if g in tc.genes]
        if not regulators:
            raise InputError(f"{args.regulators}: none of its {len(names)} regulators is a gene of {args.input}")
    if args.method == "genie3":
        S = genie3(tc.X, regulators, args.tree_method, args.n_trees, args.seed, args.n_jobs)
    elif args.method == "genie3-lagged":
        S = genie3_lagged(tc, regulators, "derivative", args.tree_method, args.n_trees, args.seed, args.n_jobs)
    else:
        S = tigress(tc.X, regulators, R=args.resamples, seed=args.seed, n_jobs=args.n_jobs)
    write_edges(args.output, scores_to_edges(S, tc.genes))
    log.info("%s on %s: wrote %s", args.method, tc.source, args.output)
    return 0


def cmd_convert(args) -> int:
    from .io import read_edges
    from .io.network import write_beeline_ranked, write_edges, write_graphml, write_sif

    edges = read_edges(args.edges).sort_values("score", ascending=False, kind="mergesort")
    if args.top:
        edges = edges.head(args.top)
    writer = {"tsv": write_edges, "beeline": write_beeline_ranked, "graphml": write_graphml, "sif": write_sif}
    writer[args.to](args.output, edges)
    log.info("wrote %d edges to %s (%s)", len(edges), args.output, args.to)
    return 0


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="grngc", description=__doc__)
    ap.add_argument("--version", action="version", version=f"grngc {__version__}")
    ap.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("infer", help="infer a network: writes OUTDIR/edges.tsv, scores.npy, run.json")
    _add_input_args(p)
    p.add_argument("-o", "--outdir", required=True, help="output folder")
    _add_model_args(p)
    p.set_defaults(func=cmd_infer)

    p = sub.add_parser("evaluate", help="AUROC, AUPRC, early precision ratio of an edge list against a reference")
    p.add_argument("edges", help="edge list (regulator, target, score)")
    p.add_argument("--reference", required=True, help="true network (DREAM gold standard, BEELINE refNetwork, ...)")
    p.add_argument("--genes-from", help="expression input whose genes define the candidate pairs")
    p.add_argument("--format", choices=["h5ad", "dream", "beeline", "table"])
    p.add_argument("--time-key", default="time")
    p.add_argument("--series-key", default="series")
    p.add_argument("-o", "--output", help="also write the JSON here")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("simulate", help="simulate a time course with a known network, as .h5ad")
    p.add_argument("kind", choices=["lorenz96", "var", "grn"])
    p.add_argument("-o", "--output", required=True, help="output .h5ad")
    p.add_argument("--truth", help="true network TSV (default: OUTPUT stem + _truth.tsv)")
    p.add_argument("-p", type=int, default=10, help="number of variables/genes (default: 10)")
    p.add_argument("-T", type=int, default=None, help="time points per series (default: 1000; grn: 21)")
    p.add_argument("--n-series", type=int, default=None, help="series (default: 1; grn: 10)")
    p.add_argument("--F", type=float, default=10.0, help="Lorenz-96 forcing (default: 10)")
    p.add_argument("--var-lag", type=int, default=3, help="VAR order (default: 3)")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_simulate)

    p = sub.add_parser("compare", help="compare edge lists of several methods (metrics, overlap, consensus, curves)")
    p.add_argument("methods", nargs="+", metavar="NAME=EDGES", help="a name and an edge list per method")
    p.add_argument("--reference", help="true network")
    p.add_argument("--genes-from", required=True, help="expression input whose genes define the candidate pairs")
    p.add_argument("--format", choices=["h5ad", "dream", "beeline", "table"])
    p.add_argument("--time-key", default="time")
    p.add_argument("--series-key", default="series")
    p.add_argument("--top-k", type=int, help="k for overlaps (default: number of true edges, else number of genes)")
    p.add_argument("--consensus", action="store_true", help="add a mean-rank (Borda) consensus of the methods")
    p.add_argument("--plot", help="folder for roc.png and pr.png")
    p.add_argument("-o", "--output", required=True, help="table path prefix: writes .tsv, .md, _pairwise.tsv, ...")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("baseline", help="run GENIE3, time-lagged GENIE3 or TIGRESS; writes an edge list")
    p.add_argument("method", choices=["genie3", "genie3-lagged", "tigress"])
    _add_input_args(p)
    p.add_argument("-o", "--output", required=True, help="edge list (regulator, target, score)")
    p.add_argument("--regulators", help="file with one candidate regulator (TF) per line")
    p.add_argument("--tree-method", choices=["rf", "et"], default="rf", help="GENIE3: random forest or extra trees")
    p.add_argument("--n-trees", type=int, default=1000, help="GENIE3 trees per target (default: 1000)")
    p.add_argument("--resamples", type=int, default=1000, help="TIGRESS resampling rounds R (default: 1000)")
    p.add_argument("--n-jobs", type=int, default=1, help="parallel jobs over targets")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_baseline)

    p = sub.add_parser("convert", help="convert an edge list: tsv, BEELINE rankedEdges, GraphML, SIF")
    p.add_argument("edges")
    p.add_argument("--to", required=True, choices=["tsv", "beeline", "graphml", "sif"])
    p.add_argument("--top", type=int, help="keep only the top N edges")
    p.add_argument("-o", "--output", required=True)
    p.set_defaults(func=cmd_convert)

    p = sub.add_parser("sweep", help="held-out forecasting loss and seed stability over lambda x lag (no truth needed)")
    _add_input_args(p)
    _add_model_args(p)
    p.add_argument("--lams", type=float, nargs="+", default=[0.3, 1.0, 3.0, 10.0])
    p.add_argument("--lags", type=int, nargs="+", default=[1, 2, 3])
    p.add_argument("--seeds", type=int, default=2, help="seeds per setting, for stability (default: 2)")
    p.add_argument("-o", "--output", help="write the table as TSV")
    p.set_defaults(func=cmd_sweep)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s grngc %(levelname)s: %(message)s", datefmt="%H:%M:%S")
    if getattr(args, "kind", None) is not None:  # simulate: defaults depend on the kind
        args.T = args.T or (21 if args.kind == "grn" else 1000)
        args.n_series = args.n_series or (10 if args.kind == "grn" else 1)
    try:
        return args.func(args)
    except InputError as err:
        log.error("%s", err)
        return 2


if __name__ == "__main__":
    sys.exit(main())
