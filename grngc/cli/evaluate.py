"""Judging networks: grngc evaluate, compare, annotate and summarize."""
from __future__ import annotations

import json
import logging

from ..io.atomic import write_tsv
from ..timecourse import InputError
from ._shared import add_candidate_args, add_evaluation_args, genes_and_expression, named_paths, regulator_names

log = logging.getLogger("grngc")


def add_evaluate(sub) -> None:
    p = sub.add_parser("evaluate", help="AUROC, AUPRC, early precision ratio of an edge list against a reference")
    p.add_argument("edges", help="edge list (regulator, target, score); a grngc edges.tsv that holds the top edges "
                                 "only is scored on every pair from the scores.npy of its run beside it")
    p.add_argument("reference_file", nargs="?", metavar="REFERENCE",
                   help="true network (DREAM gold standard, BEELINE refNetwork, ...); or --reference")
    p.add_argument("--reference", help="the same, as an option")
    p.add_argument("--genes-from", help="expression input whose genes define the candidate pairs")
    add_evaluation_args(p)
    p.add_argument("-o", "--output", help="also write the JSON here")
    p.set_defaults(func=cmd_evaluate)


def cmd_evaluate(args) -> int:
    from ..io import read_reference, read_scored_edges, write_json
    from ..evaluate.metrics import evaluate_edges

    if bool(args.reference) == bool(args.reference_file):
        raise InputError("evaluate: give the reference network once, as EDGES REFERENCE or --reference REFERENCE")
    args.reference = args.reference or args.reference_file
    edges = read_scored_edges(args.edges)
    ref = read_reference(args.reference)
    genes, X = genes_and_expression(args, args.edges, fallback=edges)
    result = evaluate_edges(edges, ref, genes, args.kind, regulator_names(args), expression=X)
    result.update(edges=str(args.edges), reference=str(args.reference))
    if result["auroc"] is None:
        log.warning("%s: %s", args.reference, result["note"])
    text = json.dumps(result, indent=2)
    print(text)
    if args.output:
        write_json(args.output, result)
    return 0


def add_compare(sub) -> None:
    p = sub.add_parser("compare", help="compare edge lists of several methods (metrics, overlap, consensus, curves)")
    p.add_argument("methods", nargs="+", metavar="NAME=EDGES", help="a name and an edge list per method")
    p.add_argument("--reference", help="true network")
    p.add_argument("--genes-from", required=True, help="expression input whose genes define the candidate pairs")
    add_evaluation_args(p)
    p.add_argument("--top-k", type=int, help="k for overlaps (default: number of true edges, else number of genes)")
    p.add_argument("--consensus", action="store_true", help="add a mean-rank (Borda) consensus of the methods")
    p.add_argument("--plot", help="folder for roc.png and pr.png")
    p.add_argument("-o", "--output", required=True, help="table path prefix: writes .tsv, .md, _pairwise.tsv, ...")
    p.set_defaults(func=cmd_compare)


def cmd_compare(args) -> int:
    from ..evaluate.compare import compare_methods, write_comparison
    from ..io import read_expression, read_reference, read_scored_edges

    data = read_expression(args.genes_from, args.format, time_key=args.time_key, series_key=args.series_key)
    edges = {name: read_scored_edges(path)
             for name, path in named_paths(args.methods, "method", example="grngc=results/edges.tsv").items()}
    reference = read_reference(args.reference) if args.reference else None
    res = compare_methods(edges, reference, data.genes, top_k=args.top_k, consensus=args.consensus, kind=args.kind,
                          regulators=regulator_names(args), expression=data.X)
    print(write_comparison(res, data.genes, args.output, args.plot))
    return 0


def add_annotate(sub) -> None:
    p = sub.add_parser("annotate", help="mark network edges against a reference; metrics at the threshold")
    p.add_argument("network", help="thresholded network (TSV)")
    p.add_argument("--edges", help="all scored edges, for the ranking metrics (default: the network)")
    p.add_argument("--reference", help="reference network: gold standard or TF-target list")
    add_candidate_args(p)
    p.add_argument("--tfs", help="TF list (one per line) for regulator_is_tf (default: the reference's regulators)")
    p.add_argument("--genes-from", help="expression input whose genes define the candidates (default: run.json)")
    p.add_argument("-o", "--output", required=True, help="annotated edges (TSV)")
    p.add_argument("--metrics", help="metrics (JSON)")
    p.set_defaults(func=cmd_annotate)


def cmd_annotate(args) -> int:
    from ..io import read_edges, read_reference, write_json
    from ..io.expression import read_gene_file
    from ..evaluate.threshold import annotate, evaluate_network

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
            genes, X = genes_and_expression(args, args.edges or args.network)
            metrics = evaluate_network(edges, network, reference, genes, args.kind, regulator_names(args),
                                       expression=X)
            metrics["reference"] = str(args.reference)
            if metrics.get("auroc") is None:
                log.warning("%s: %s", args.reference, metrics["note"])
        write_json(args.metrics, metrics)
    log.info("annotated %d edges; wrote %s", len(table), args.output)
    return 0


def add_summarize(sub) -> None:
    p = sub.add_parser("summarize", help="one table and figure across datasets from their compare tables")
    p.add_argument("tables", nargs="+", metavar="DATASET=COMPARE_TSV")
    p.add_argument("-o", "--output", required=True, help="path prefix: writes .tsv, .md, .html, .png")
    p.set_defaults(func=cmd_summarize)


def cmd_summarize(args) -> int:
    from ..evaluate.compare import summarize

    print(summarize(named_paths(args.tables, "table"), args.output))
    return 0
