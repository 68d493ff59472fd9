#!/usr/bin/env bash
# The demo: simulate a gene-network time course, infer its network with GRNGC, score it.
# (Switches to the Snakemake pipeline once the pipeline exists.)
set -euo pipefail
out=${DEMO_OUT:-demo_output}
mkdir -p "$out"
grngc simulate grn -p 10 --n-series 10 -T 21 --seed 1 -o "$out/grn.h5ad" --truth "$out/grn_truth.tsv"
grngc infer "$out/grn.h5ad" -o "$out/grngc" --seed 0
grngc evaluate "$out/grngc/edges.tsv" --reference "$out/grn_truth.tsv" --genes-from "$out/grn.h5ad" -o "$out/metrics.json"
echo "top edges (regulator -> target):"
head -n 11 "$out/grngc/edges.tsv"
