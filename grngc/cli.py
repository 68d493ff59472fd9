"""Command line: grngc infer | evaluate | simulate | sweep | baseline | compare | convert | preprocess |
aggregate | threshold | annotate | plot | summarize."""
from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import sys
from pathlib import Path

import numpy as np

from . import __version__
from .io.atomic import atomic_path, write_tsv
from .io.network import genes_for_edges
from .tables import html_tables
from .timecourse import InputError

log = logging.getLogger("grngc")


def _add_input_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("input", help="expression: .h5ad, DREAM time-series .tsv, BEELINE folder, or CSV/TSV table")
    p.add_argument("--format", choices=["h5ad", "dream", "beeline", "table"], help="input format (default: detect)")
    p.add_argument("--time-key", help="obs/table column with time or pseudotime (default: the column 'time'); "
                                      "a named column must exist")
    p.add_argument("--series-key", help="obs/table column that separates series (default: the column 'series' "
                                        "when present, else one series); a named column must exist")
    p.add_argument("--layer", help="AnnData layer to use instead of X")


def _add_evaluation_args(p: argparse.ArgumentParser) -> None:
    """What evaluate and compare share: how to read --genes-from, and which pairs are candidates."""
    p.add_argument("--format", choices=["h5ad", "dream", "beeline", "table"])
    p.add_argument("--time-key", help="as for infer")
    p.add_argument("--series-key", help="as for infer")
    _add_candidate_args(p)


def _add_candidate_args(p: argparse.ArgumentParser) -> None:
    """Which pairs a reference judges (every evaluating command: evaluate, compare, annotate)."""
    p.add_argument("--kind", default="gold", choices=["gold", "partial"],
                   help="reference kind: gold (complete) or partial (a TF-target list: only edges from its TFs count)")
    p.add_argument("--regulators", metavar="FILE",
                   help="score only pairs from these regulators (one gene per line), for every method alike")


def _add_model_args(p: argparse.ArgumentParser) -> None:
    from .config import MODEL_NAMES, GRNGCConfig
    from .presets import PRESETS

    d = GRNGCConfig()
    # Settings default to None: only what the user gives overrides the preset (see presets.resolve_config).
    p.add_argument("--preset", default="default", choices=sorted(PRESETS),
                   help="named settings: default (chosen by the pre-registered protocol, docs/accuracy.md), paper (the published "
                        "recipe as the authors' code runs it: their KAN, lag 1, level target, lambda 0.008 on every "
                        "gradient entry, 200 epochs, series joined end to end) or paper-series (the same with "
                        "windows kept inside each series); the options below override it")
    p.add_argument("--kind", choices=["auto", "cells", "bulk"],
                   help="what the data are, for the default preset: cells (single cells ordered by pseudotime: the "
                        "single-cell mode, grngc.cells) or bulk (time courses: the ensemble below); auto (default) "
                        "decides from the data: <= 3 series, one of >= 200 samples, tied or irregular times = cells")
    p.add_argument("--model", choices=MODEL_NAMES,
                   help="forecasting model (ridge: the closed-form lag-1 ridge VAR; genie3: GENIE3's random forests on "
                        "the same time point). The default preset averages the ranks of three models' per-target "
                        "shares (ridge on the level at lag 1, mlp-per-target on the change at lag 1 with same-time "
                        "inputs, genie3; the last two up to 256 genes); giving --model, "
                        "--lag, --same-time, --target, --hidden or --lam runs exactly one model with those settings "
                        "(unset ones: mlp, lag 2, delta)")
    p.add_argument("--lag", type=int, help=f"past steps per window (0 with --same-time: the same time point only; "
                                           f"default: {d.lag})")
    p.add_argument("--same-time", action=argparse.BooleanOptionalAction, default=None,
                   help="also feed the other genes' values at the target's own step, each target's own masked "
                        f"(regulation faster than sampling; models linear, mlp-per-target, kan-additive; default: {d.same_time})")
    p.add_argument("--target", choices=["delta", "level"],
                   help=f"predict the change x(t) - x(t-1) or the level x(t) (default: {d.target})")
    p.add_argument("--lam", type=float, help=f"gradient penalty weight lambda (default: {d.lam})")
    p.add_argument("--hidden", type=int, help=f"hidden width (default: {d.hidden})")
    p.add_argument("--kan-grid-size", type=_positive_int,
                   help="KAN models: spline intervals per input (fewer = smoother; default: the model's own, "
                        "1 for kan-additive)")
    p.add_argument("--input-dropout", type=_dropout_rate, metavar="Q",
                   help="regulator dropout: while training, hide each regulator of each window with probability "
                        "Q (0 <= Q < 1), so that a forecast cannot lean on one of several correlated regulators "
                        f"(default: {d.input_dropout}, off; docs/accuracy-history.md)")
    p.add_argument("--epochs", type=int, help=f"maximum epochs (default: {d.epochs})")
    p.add_argument("--n-seeds", type=_auto_or_int,
                   help="models averaged over seeds seed, seed+1, ...: a number or 'auto' (5 for small data, "
                        "p x samples <= 50,000, else 1; the default)")
    p.add_argument("--penalty-rows", type=_rows_arg,
                   help="output genes sampled per step for the penalty (unbiased): a number, 'all', or "
                        "'auto' (64 above 256 genes; the default)")
    p.add_argument("--batch-size", type=int, help=f"windows per step (default: {d.batch_size})")
    p.add_argument("--on-oom", default=d.on_oom, choices=["stop", "reduce"],
                   help="on device out-of-memory: stop with advice (default), or retry with the sampled "
                        "penalty and then smaller batches")
    p.add_argument("--device", default=d.device, help="auto (CUDA when present), cpu, cuda, cuda:1 ...")
    p.add_argument("--seed", type=int, default=d.seed, help=f"random seed (default: {d.seed})")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--regulators", metavar="FILE",
                   help="candidate regulators (TFs), one gene per line: every gene stays an input, but only "
                        "regulator -> target pairs are penalized and scored (names not in the data are counted)")


def _config_from_args(args):
    from .presets import resolve_config

    given = {k: getattr(args, k, None) for k in ("model", "lag", "same_time", "target", "lam", "hidden", "kan_grid_size",
                                                "input_dropout", "epochs", "n_seeds", "penalty_rows", "batch_size",
                                                "kind")}
    every_row = given.pop("penalty_rows") == "all"  # None means "not given" to resolve_config
    if getattr(args, "regulators", None):
        given["regulators"] = tuple(_regulator_names(args))
    cfg = resolve_config(args.preset, **given, penalty_rows=None if every_row else args.penalty_rows,
                         device=args.device, on_oom=args.on_oom, seed=args.seed,
                         progress=not args.no_progress and sys.stderr.isatty())
    return dataclasses.replace(cfg, penalty_rows=None) if every_row else cfg


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


def _positive_int(value):
    n = _auto_or_int(value)
    if n == "auto":
        raise argparse.ArgumentTypeError("expected a positive number, not 'auto'")
    return n


def _dropout_rate(value):
    from .config import check_input_dropout

    try:
        q = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a probability, not {value!r}") from None
    try:
        return check_input_dropout(q)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _rows_arg(value):
    return "all" if value == "all" else _auto_or_int(value)


def _read(args):
    from .io import read_expression

    return read_expression(args.input, args.format, time_key=args.time_key, series_key=args.series_key,
                           layer=args.layer)


def cmd_infer(args) -> int:
    from .api import GENIE3_MEMBER_TREES, infer_timecourse
    from .train import report_device, stop_on_signals
    from .io import write_edges, write_json

    tc = _read(args)
    cfg = _config_from_args(args)
    device = report_device(cfg)
    what = (f"the {args.preset} preset (its mode, single-cell or time-course, is decided from the data next)"
            if cfg.members else f"model genie3 (random forests on the same time point, {GENIE3_MEMBER_TREES} trees)"
            if cfg.model == "genie3" else f"model {cfg.model}, lag {cfg.lag}, lambda {cfg.lam:g}")
    log.info("%s: %d samples x %d genes in %d series; %s, device %s",
             tc.source, tc.n_samples, tc.n_genes, len(tc.series_slices()), what, device)
    out = Path(args.outdir)
    from .io.outdir import claim_outdir

    claim_outdir(out, tc.content_hash(), tc.source, force=args.force)
    checkpoint = None
    if args.checkpoint_every > 0 or args.resume:
        from .train import Checkpointer

        checkpoint = Checkpointer(out / "checkpoint.pt", every=max(args.checkpoint_every, 1))
    with stop_on_signals(checkpoint):
        res = infer_timecourse(tc, cfg, checkpoint, resume=args.resume, threads=args.threads)
    out.mkdir(parents=True, exist_ok=True)
    truncate = tc.n_genes > args.all_pairs_below and not args.all_pairs
    edges = res.edges(args.top_edges, args.per_target) if truncate else res.edges()
    res.record["edges_tsv"] = {
        "all_pairs": not truncate, "rows": len(edges), "pairs": tc.n_genes * (tc.n_genes - 1),
        **({"top": args.top_edges, "per_target": args.per_target,
            "note": "the top edges overall and per target; scores.npy holds every pair; evaluation counts the "
                    "missing pairs as score 0"} if truncate else {})}
    if truncate:
        log.info("%d genes: edges.tsv holds the top %d edges and the top %d regulators of each target (%d rows of "
                 "%d pairs; --all-pairs for every pair); scores.npy holds all", tc.n_genes, args.top_edges,
                 args.per_target, len(edges), tc.n_genes * (tc.n_genes - 1))
    write_edges(out / "edges.tsv", edges)
    with atomic_path(out / "scores.npy") as tmp:
        with open(tmp, "wb") as fh:
            np.save(fh, res.scores)
    write_json(out / "run.json", res.record)  # last: its presence marks a complete run
    if checkpoint is not None:
        checkpoint.remove()
    trained = res.record["runs"]
    log.info("done in %.1f s%s; wrote %s/edges.tsv, scores.npy, run.json", res.record["seconds_total"],
             f" (best epoch {trained[0]['best_epoch']} of {trained[0]['epochs_run']})" if trained else "", out)
    return 0


def cmd_evaluate(args) -> int:
    from .io import read_edges, read_reference, write_json
    from .metrics import evaluate_edges

    if bool(args.reference) == bool(args.reference_file):
        raise InputError("evaluate: give the reference network once, as EDGES REFERENCE or --reference REFERENCE")
    args.reference = args.reference or args.reference_file
    edges = read_edges(args.edges)
    ref = read_reference(args.reference)
    genes, X = _genes_and_expression(args, args.edges, fallback=edges)
    result = evaluate_edges(edges, ref, genes, args.kind, _regulator_names(args), expression=X)
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


def cmd_sweep(args) -> int:
    from .sweep import sweep

    tc = _read(args)
    cfg = _config_from_args(args)
    from .train import report_device

    report_device(cfg)
    table = sweep(tc, cfg, lams=args.lams, lags=args.lags, seeds=args.seeds)
    print(table.to_string(index=False))
    if args.output:
        write_tsv(args.output, table)
    return 0


def cmd_sweep_merge(args) -> int:
    import pandas as pd

    from .sweep import recommend

    table = recommend(pd.concat([pd.read_csv(t, sep="\t") for t in args.tables], ignore_index=True))
    write_tsv(args.output, table)
    pick = table[table["recommended"]].iloc[0]
    print(table.to_string(index=False))
    log.info("recommended: lam %g, lag %d (held-out MSE %.4f, stability %.2f); wrote %s", pick["lam"], pick["lag"],
             pick["val_mse"], pick["stability"], args.output)
    return 0


def cmd_compare(args) -> int:
    from .compare import compare_methods, plot_curves
    from .io import read_edges, read_expression, read_reference, write_edges, write_text
    from .io.network import scores_to_edges
    from .tables import markdown_table

    data = read_expression(args.genes_from, args.format, time_key=args.time_key, series_key=args.series_key)
    genes = data.genes
    edges = {name: read_edges(path)
             for name, path in _named_paths(args.methods, "method", example="grngc=results/edges.tsv").items()}
    reference = read_reference(args.reference) if args.reference else None
    res = compare_methods(edges, reference, genes, top_k=args.top_k, consensus=args.consensus, kind=args.kind,
                          regulators=_regulator_names(args), expression=data.X)
    out = Path(args.output)
    md = ["## Methods", markdown_table(res["metrics"]), ""] + ([f"Candidate pairs: {res['note']}.", ""] if res["note"] else []) + [ f"## Between methods (top {res['top_k']})",
          markdown_table(res["pairwise"]) if len(res["pairwise"]) else "(one method)", ""]
    write_text(out.with_suffix(".md"), "\n".join(md) + "\n")
    write_text(out.with_suffix(".html"), html_tables([("Methods", res["metrics"]),
                                                       (f"Between methods (top {res['top_k']})", res["pairwise"]),
                                                       ("Edges in one method's top k only", res["unique"])]))
    write_tsv(out.with_suffix(".tsv"), res["metrics"])
    write_tsv(out.with_name(out.stem + "_pairwise.tsv"), res["pairwise"])
    write_tsv(out.with_name(out.stem + "_unique_topk.tsv"), res["unique"])
    if "consensus" in res["matrices"]:
        write_edges(out.with_name(out.stem + "_consensus_edges.tsv"), scores_to_edges(res["matrices"]["consensus"], genes))
    if args.plot:
        plot_curves(res, genes, args.plot)
    print("\n".join(md))
    return 0


def cmd_baseline(args) -> int:
    from .io import write_edges
    from .io.network import scores_to_edges
    from .methods import baseline_params, run_baseline

    tc = _read(args)
    regulators = None
    if args.regulators:
        names = _regulator_names(args)
        regulators = [tc.genes.index(g) for g in names if g in tc.genes]
        if not regulators:
            raise InputError(f"{args.regulators}: none of its {len(names)} regulators is a gene of {args.input}")
    params = {name: getattr(args, name) for name in baseline_params()}
    S = run_baseline(args.method, tc, regulators, seed=args.seed, n_jobs=args.n_jobs, **params)
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


def _genes_and_expression(args, edges_path, fallback=None):
    """The candidate genes and, with --genes-from, that data's expression (for the correlation sign);
    without it the genes of the run.json beside ``edges_path`` (else ``fallback``'s, io.network.genes_for_edges)."""
    if not args.genes_from:
        return genes_for_edges(edges_path, fallback=fallback), None
    from .io import read_expression

    tc = read_expression(args.genes_from, getattr(args, "format", None), time_key=getattr(args, "time_key", None),
                         series_key=getattr(args, "series_key", None))
    return tc.genes, tc.X


def _regulator_names(args):
    """The genes of a command's --regulators file (None: every gene is a candidate regulator)."""
    if not getattr(args, "regulators", None):
        return None
    from .io.expression import read_gene_file

    return read_gene_file(args.regulators)


def _named_paths(specs: list[str], what: str, example: str | None = None) -> dict[str, str]:
    """``NAME=PATH`` arguments as ``{name: path}``. Without ``example`` a bare PATH is named after its
    folder; with it the name is required and the error shows the example."""
    out = {}
    for spec in specs:
        name, sep, path = spec.partition("=")
        if not sep and example is None:
            name, path = Path(spec).parent.name or Path(spec).stem, spec
        if not name or not path or (not sep and example is not None):
            raise InputError(f"{what} {spec!r}: write NAME=PATH" + (f", e.g. {example}" if example else ""))
        out[name] = path
    return out


def cmd_preprocess(args) -> int:
    from .io.atomic import write_json
    from .io.expression import load_anndata, read_gene_file
    from .plots import plot_qc
    from .preprocess import PreprocessConfig, preprocess

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


def cmd_aggregate(args) -> int:
    from .ensemble import aggregate_runs, edge_attributes, plot_stability
    from .io import read_edges, write_edges
    from .io.network import attach_edge_attributes, scores_to_edges

    paths = _named_paths(args.runs, "run")
    first = next(iter(paths.values()))
    genes = genes_for_edges(first, args.genes_from)
    runs = {n: read_edges(p) for n, p in paths.items()}
    scores, stability = aggregate_runs(runs, genes, args.top_k)
    write_edges(args.output, attach_edge_attributes(scores_to_edges(scores, genes), edge_attributes(runs, genes), genes))
    if args.stability:
        write_tsv(args.stability, stability)
    if args.plot:
        plot_stability(stability, list(paths), args.plot, title=args.title or "")
    mean = stability["jaccard"].mean() if len(stability) else float("nan")
    log.info("aggregated %d runs by mean rank (top-k Jaccard between runs: mean %.2f); wrote %s", len(paths),
             mean, args.output)
    return 0


def cmd_threshold(args) -> int:
    from .io import read_edges, write_edges
    from .io.network import write_graphml
    from .network import threshold

    edges = read_edges(args.edges)
    knee_from = [read_edges(p) for p in args.knee_from] if args.knee_from else None
    net = threshold(edges, args.method, args.value, knee_from)
    write_edges(args.output, net)
    if args.graphml:
        write_graphml(args.graphml, net)
    log.info("%s: kept %d of %d edges (%s%s); wrote %s", args.edges, len(net), len(edges), args.method,
             "" if args.value is None else f" {args.value:g}", args.output)
    return 0


def cmd_annotate(args) -> int:
    from .io import read_edges, read_reference, write_json
    from .network import annotate, evaluate_network
    from .io.expression import read_gene_file

    network = read_edges(args.network)
    reference = read_reference(args.reference) if args.reference else None
    tfs = set(read_gene_file(args.tfs)) if args.tfs else None
    table = annotate(network, reference, tfs)
    write_tsv(args.output, table)
    if args.metrics:
        if reference is None:
            metrics = {"reference": None, "note": "no reference network given: nothing to evaluate against"}
        else:
            edges = read_edges(args.edges) if args.edges else network
            genes, X = _genes_and_expression(args, args.edges or args.network)
            metrics = evaluate_network(edges, network, reference, genes, args.kind, _regulator_names(args),
                                       expression=X)
            metrics["reference"] = str(args.reference)
            if metrics.get("auroc") is None:
                log.warning("%s: %s", args.reference, metrics["note"])
        write_json(args.metrics, metrics)
    log.info("annotated %d edges; wrote %s", len(table), args.output)
    return 0


def cmd_plot(args) -> int:
    from . import plots
    from .io import read_edges, read_reference
    from .metrics import candidate_matrix

    if args.kind == "heatmap":
        genes = genes_for_edges(args.inputs[0], args.genes_from)
        scores = candidate_matrix(read_edges(args.inputs[0]), genes)
        truth = (candidate_matrix(read_reference(args.reference), genes, column="__present__")
                 if args.reference else None)
        plots.score_heatmap(scores, genes, args.output, truth, title=args.title or "")
    elif args.kind == "network":
        import pandas as pd

        net = pd.read_csv(args.inputs[0], sep="\t")
        plots.network_drawing(net, args.output, title=args.title or "")
    elif args.kind == "interactive":
        from .network_view import interactive_network, read_network_table

        reference = read_reference(args.reference) if args.reference else None
        path = interactive_network(read_network_table(args.inputs[0]), args.output, reference,
                                   title=args.title or Path(args.inputs[0]).name, max_edges=args.max_edges)
        log.info("wrote %s (open it in a browser; it needs no network access)", path)
    else:
        records = {name: json.loads(Path(p).read_text()) for name, p in _named_paths(args.inputs, "run").items()}
        plots.loss_curves(records, args.output, title=args.title or "")
    return 0


def cmd_summarize(args) -> int:
    import pandas as pd

    from .io import write_text
    from .plots import message_figure, summary_bars
    from .tables import markdown_table

    frames = []
    for name, path in _named_paths(args.tables, "table").items():
        t = pd.read_csv(path, sep="\t")
        t.insert(0, "dataset", name)
        frames.append(t)
    table = pd.concat(frames, ignore_index=True)
    out = Path(args.output)
    write_tsv(out.with_suffix(".tsv"), table)
    write_text(out.with_suffix(".md"), markdown_table(table) + "\n")
    write_text(out.with_suffix(".html"), html_tables([("All datasets", table)]))
    if "auroc" in table and table["auroc"].notna().any():
        summary_bars(table, out.with_suffix(".png"), "auroc")
    else:
        message_figure(out.with_suffix(".png"), "no dataset has a reference network: nothing to score")
    print(markdown_table(table))
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

    p = sub.add_parser("evaluate", help="AUROC, AUPRC, early precision ratio of an edge list against a reference")
    p.add_argument("edges", help="edge list (regulator, target, score)")
    p.add_argument("reference_file", nargs="?", metavar="REFERENCE",
                   help="true network (DREAM gold standard, BEELINE refNetwork, ...); or --reference")
    p.add_argument("--reference", help="the same, as an option")
    p.add_argument("--genes-from", help="expression input whose genes define the candidate pairs")
    _add_evaluation_args(p)
    p.add_argument("-o", "--output", help="also write the JSON here")
    p.set_defaults(func=cmd_evaluate)

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

    p = sub.add_parser("compare", help="compare edge lists of several methods (metrics, overlap, consensus, curves)")
    p.add_argument("methods", nargs="+", metavar="NAME=EDGES", help="a name and an edge list per method")
    p.add_argument("--reference", help="true network")
    p.add_argument("--genes-from", required=True, help="expression input whose genes define the candidate pairs")
    _add_evaluation_args(p)
    p.add_argument("--top-k", type=int, help="k for overlaps (default: number of true edges, else number of genes)")
    p.add_argument("--consensus", action="store_true", help="add a mean-rank (Borda) consensus of the methods")
    p.add_argument("--plot", help="folder for roc.png and pr.png")
    p.add_argument("-o", "--output", required=True, help="table path prefix: writes .tsv, .md, _pairwise.tsv, ...")
    p.set_defaults(func=cmd_compare)

    from .methods import REGISTRY, baseline_params, names

    p = sub.add_parser("baseline", help="run a method beside GRNGC on the same data ("
                                        + "; ".join(f"{n}: {REGISTRY[n].summary}" for n in names("baseline"))
                                        + "); writes an edge list")
    p.add_argument("method", choices=names("baseline"))
    _add_input_args(p)
    p.add_argument("-o", "--output", required=True, help="edge list (regulator, target, score)")
    p.add_argument("--regulators", help="file with one candidate regulator (TF) per line")
    for param in baseline_params().values():
        p.add_argument(param.flag, type=type(param.default), default=param.default, choices=param.choices,
                       help=param.help)
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

    p = sub.add_parser("sweep-merge", help="join sweep tables of separate jobs and mark the recommended setting")
    p.add_argument("tables", nargs="+", help="sweep TSVs (e.g. one per lambda)")
    p.add_argument("-o", "--output", required=True)
    p.set_defaults(func=cmd_sweep_merge)

    p = sub.add_parser("preprocess", help="normalize, select genes, order by time or pseudotime (scanpy); writes .h5ad")
    _add_input_args(p)
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

    p = sub.add_parser("aggregate", help="combine runs (seeds) by mean rank; top-k Jaccard stability between them")
    p.add_argument("runs", nargs="+", metavar="NAME=EDGES", help="edge lists of the runs")
    p.add_argument("-o", "--output", required=True, help="aggregated edge list")
    p.add_argument("--genes-from", help="expression input whose genes define the candidates (default: run.json)")
    p.add_argument("--top-k", type=int, help="k for the Jaccard index (default: number of genes)")
    p.add_argument("--stability", help="pairwise Jaccard table (TSV)")
    p.add_argument("--plot", help="stability heatmap (PNG)")
    p.add_argument("--title")
    p.set_defaults(func=cmd_aggregate)

    p = sub.add_parser("threshold", help="keep the edges above a cut: top_k, quantile, score or knee")
    p.add_argument("edges")
    p.add_argument("-o", "--output", required=True, help="network edge list (TSV)")
    p.add_argument("--method", default="knee", choices=["top_k", "quantile", "score", "knee"])
    p.add_argument("--value", type=float, help="k, quantile or score (knee: an optional cap on edges)")
    p.add_argument("--graphml", help="also write GraphML (Cytoscape)")
    p.add_argument("--knee-from", nargs="+", metavar="EDGES",
                   help="knee: take the number of edges from these runs' own scores (median), e.g. the seeds "
                        "of a rank-aggregated ensemble")
    p.set_defaults(func=cmd_threshold)

    p = sub.add_parser("annotate", help="mark network edges against a reference; metrics at the threshold")
    p.add_argument("network", help="thresholded network (TSV)")
    p.add_argument("--edges", help="all scored edges, for the ranking metrics (default: the network)")
    p.add_argument("--reference", help="reference network: gold standard or TF-target list")
    _add_candidate_args(p)
    p.add_argument("--tfs", help="TF list (one per line) for regulator_is_tf (default: the reference's regulators)")
    p.add_argument("--genes-from", help="expression input whose genes define the candidates (default: run.json)")
    p.add_argument("-o", "--output", required=True, help="annotated edges (TSV)")
    p.add_argument("--metrics", help="metrics (JSON)")
    p.set_defaults(func=cmd_annotate)

    p = sub.add_parser("plot", help="figures: score heatmap, network drawing, loss curves, interactive network")
    p.add_argument("kind", choices=["heatmap", "network", "loss", "interactive"])
    p.add_argument("inputs", nargs="+", help="heatmap: edges; network: annotated network; loss: NAME=run.json ...; "
                                             "interactive: a network or edge list (annotated: styled by reference)")
    p.add_argument("--genes-from")
    p.add_argument("--reference")
    p.add_argument("--title")
    p.add_argument("--max-edges", type=int, default=1000, help="interactive: draw the best N edges (default 1000)")
    p.add_argument("-o", "--output", required=True, help="PNG (interactive: one self-contained HTML page)")
    p.set_defaults(func=cmd_plot)

    p = sub.add_parser("summarize", help="one table and figure across datasets from their compare tables")
    p.add_argument("tables", nargs="+", metavar="DATASET=COMPARE_TSV")
    p.add_argument("-o", "--output", required=True, help="path prefix: writes .tsv, .md, .html, .png")
    p.set_defaults(func=cmd_summarize)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s grngc %(levelname)s: %(message)s", datefmt="%H:%M:%S")
    if args.func is cmd_simulate:  # defaults depend on the kind
        args.T = args.T or (21 if args.kind == "grn" else 1000)
        args.n_series = args.n_series or (10 if args.kind == "grn" else 1)
    from .errors import OutOfMemory, TrainingInterrupted

    try:
        return args.func(args)
    except InputError as err:
        log.error("%s", err)
        return 2
    except OutOfMemory as err:
        log.error("%s", err)
        return 3
    except TrainingInterrupted as err:
        log.error("%s; run the same command with --resume to continue", err)
        return 143


if __name__ == "__main__":
    sys.exit(main())
