"""Handling networks: grngc aggregate (seeds), threshold, convert and plot."""
from __future__ import annotations

import json
import logging
from pathlib import Path

from ..io.atomic import write_tsv
from ..io.network import genes_for_edges
from ._shared import named_paths

log = logging.getLogger("grngc")


def add_aggregate(sub) -> None:
    p = sub.add_parser("aggregate", help="combine runs (seeds) by mean rank; top-k Jaccard stability between them")
    p.add_argument("runs", nargs="+", metavar="NAME=EDGES", help="edge lists of the runs")
    p.add_argument("-o", "--output", required=True, help="aggregated edge list")
    p.add_argument("--genes-from", help="expression input whose genes define the candidates (default: run.json)")
    p.add_argument("--top-k", type=int, help="k for the Jaccard index (default: number of genes)")
    p.add_argument("--stability", help="pairwise Jaccard table (TSV)")
    p.add_argument("--plot", help="stability heatmap (PNG)")
    p.add_argument("--title")
    p.set_defaults(func=cmd_aggregate)


def cmd_aggregate(args) -> int:
    from ..core.combine import aggregate_runs, edge_attributes
    from ..evaluate.stability import plot_stability
    from ..io import read_edges, write_edges
    from ..io.network import attach_edge_attributes, scores_to_edges

    paths = named_paths(args.runs, "run")
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


def add_threshold(sub) -> None:
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


def cmd_threshold(args) -> int:
    from ..io import read_edges, write_edges
    from ..io.export import write_graphml
    from ..evaluate.threshold import threshold

    edges = read_edges(args.edges)
    knee_from = [read_edges(p) for p in args.knee_from] if args.knee_from else None
    net = threshold(edges, args.method, args.value, knee_from)
    write_edges(args.output, net)
    if args.graphml:
        write_graphml(args.graphml, net)
    log.info("%s: kept %d of %d edges (%s%s); wrote %s", args.edges, len(net), len(edges), args.method,
             "" if args.value is None else f" {args.value:g}", args.output)
    return 0


def add_convert(sub) -> None:
    p = sub.add_parser("convert", help="convert an edge list: tsv, BEELINE rankedEdges, GraphML, SIF")
    p.add_argument("edges")
    p.add_argument("--to", required=True, choices=["tsv", "beeline", "graphml", "sif"])
    p.add_argument("--top", type=int, help="keep only the top N edges")
    p.add_argument("-o", "--output", required=True)
    p.set_defaults(func=cmd_convert)


def cmd_convert(args) -> int:
    from ..io import read_edges
    from ..io.export import write_beeline_ranked, write_graphml, write_sif
    from ..io.network import write_edges

    edges = read_edges(args.edges).sort_values("score", ascending=False, kind="mergesort")
    if args.top:
        edges = edges.head(args.top)
    writer = {"tsv": write_edges, "beeline": write_beeline_ranked, "graphml": write_graphml, "sif": write_sif}
    writer[args.to](args.output, edges)
    log.info("wrote %d edges to %s (%s)", len(edges), args.output, args.to)
    return 0


def add_plot(sub) -> None:
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


def cmd_plot(args) -> int:
    from ..report import plots
    from ..io import read_edges, read_reference
    from ..evaluate.metrics import candidate_matrix

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
        from ..report.network_page import interactive_network, read_network_table

        reference = read_reference(args.reference) if args.reference else None
        path = interactive_network(read_network_table(args.inputs[0]), args.output, reference,
                                   title=args.title or Path(args.inputs[0]).name, max_edges=args.max_edges)
        log.info("wrote %s (open it in a browser; it needs no network access)", path)
    else:
        records = {name: json.loads(Path(p).read_text()) for name, p in named_paths(args.inputs, "run").items()}
        plots.loss_curves(records, args.output, title=args.title or "")
    return 0
