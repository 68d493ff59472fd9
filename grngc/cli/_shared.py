"""What the commands share: input, model and evaluation options, and reading them back."""
from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from ..io.network import genes_for_edges
from ..timecourse import InputError


def add_input_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("input", help="expression: .h5ad, DREAM time-series .tsv, BEELINE folder, or CSV/TSV table")
    p.add_argument("--format", choices=["h5ad", "dream", "beeline", "table"], help="input format (default: detect)")
    p.add_argument("--time-key", help="obs/table column with time or pseudotime (default: the column 'time'); "
                                      "a named column must exist")
    p.add_argument("--series-key", help="obs/table column that separates series (default: the column 'series' "
                                        "when present, else one series); a named column must exist")
    p.add_argument("--layer", help="AnnData layer to use instead of X")


def add_evaluation_args(p: argparse.ArgumentParser) -> None:
    """What evaluate and compare share: how to read --genes-from, and which pairs are candidates."""
    p.add_argument("--format", choices=["h5ad", "dream", "beeline", "table"])
    p.add_argument("--time-key", help="as for infer")
    p.add_argument("--series-key", help="as for infer")
    add_candidate_args(p)


def add_candidate_args(p: argparse.ArgumentParser) -> None:
    """Which pairs a reference judges (every evaluating command: evaluate, compare, annotate)."""
    p.add_argument("--kind", default="gold", choices=["gold", "partial"],
                   help="reference kind: gold (complete) or partial (a TF-target list: only edges from its TFs count)")
    p.add_argument("--regulators", metavar="FILE",
                   help="score only pairs from these regulators (one gene per line), for every method alike")


def add_model_args(p: argparse.ArgumentParser) -> None:
    from ..config import MODEL_NAMES, GRNGCConfig
    from ..core.presets import PRESETS

    d = GRNGCConfig()
    # Settings default to None: only what the user gives overrides the preset (see presets.resolve_config).
    p.add_argument("--preset", default="default", choices=sorted(PRESETS),
                   help="named settings: default (chosen by the pre-registered protocol, docs/accuracy.md; no GENIE3, TIGRESS "
                        "or correlation inside), consensus (the best ranking whatever its source: the ridge, a "
                        "per-target MLP and GENIE3's forests; not for comparing with GENIE3), paper (the published "
                        "recipe as the authors' code runs it: their KAN, lag 1, level target, lambda 0.008 on every "
                        "gradient entry, 200 epochs, series joined end to end) or paper-series (the same with "
                        "windows kept inside each series); the options below override it")
    p.add_argument("--kind", choices=["auto", "cells", "bulk"],
                   help="what the data are, for the default preset: cells (single cells ordered by pseudotime: the "
                        "single-cell mode, grngc.cells) or bulk (time courses: the ensemble below); auto (default) "
                        "decides from the data: <= 3 series, one of >= 200 samples, tied or irregular times = cells")
    p.add_argument("--velocity", action=argparse.BooleanOptionalAction, default=None,
                   help="single cells: orient the network by RNA velocity where the .h5ad has spliced and unspliced "
                        "layers (default); --no-velocity reads X only")
    p.add_argument("--model", choices=MODEL_NAMES,
                   help="forecasting model (ridge: the closed-form lag-1 ridge VAR; genie3: GENIE3's random forests on "
                        "the same time point). The default preset averages the ranks of two models' per-target "
                        "shares (ridge on the level at lag 1; mlp-masked, one MLP for all genes on the same time "
                        "point, each target's own value hidden, 2 seeds); giving --model, "
                        "--lag, --same-time, --target, --hidden or --lam runs exactly one model with those settings "
                        "(unset ones: mlp, lag 2, delta)")
    p.add_argument("--lag", type=int, help=f"past steps per window (0 with --same-time: the same time point only; "
                                           f"default: {d.lag})")
    p.add_argument("--same-time", action=argparse.BooleanOptionalAction, default=None,
                   help="also feed the other genes' values at the target's own step, each target's own masked "
                        f"(regulation faster than sampling; models linear, mlp-per-target, mlp-masked, kan-additive; default: {d.same_time})")
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


def config_from_args(args):
    from ..core.presets import resolve_config

    given = {k: getattr(args, k, None) for k in ("model", "lag", "same_time", "target", "lam", "hidden", "kan_grid_size",
                                                "input_dropout", "epochs", "n_seeds", "penalty_rows", "batch_size",
                                                "kind", "velocity")}
    every_row = given.pop("penalty_rows") == "all"  # None means "not given" to resolve_config
    if getattr(args, "regulators", None):
        given["regulators"] = tuple(regulator_names(args))
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
    from ..config import check_input_dropout

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


def read_input(args, sparse: bool = False):
    from ..io import read_expression

    return read_expression(args.input, args.format, time_key=args.time_key, series_key=args.series_key,
                           layer=args.layer, velocity=getattr(args, "velocity", None) is not False, sparse=sparse)


def genes_and_expression(args, edges_path, fallback=None):
    """The candidate genes and, with --genes-from, that data's expression (for the correlation sign);
    without it the genes of the run.json beside ``edges_path`` (else ``fallback``'s, io.network.genes_for_edges)."""
    if not args.genes_from:
        return genes_for_edges(edges_path, fallback=fallback), None
    from ..io import read_expression

    tc = read_expression(args.genes_from, getattr(args, "format", None), time_key=getattr(args, "time_key", None),
                         series_key=getattr(args, "series_key", None))
    return tc.genes, tc.X


def regulator_names(args):
    """The genes of a command's --regulators file (None: every gene is a candidate regulator)."""
    if not getattr(args, "regulators", None):
        return None
    from ..io.expression import read_gene_file

    return read_gene_file(args.regulators)


def named_paths(specs: list[str], what: str, example: str | None = None) -> dict[str, str]:
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

