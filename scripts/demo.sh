#!/usr/bin/env bash
# The demo: the whole Snakemake pipeline on the bundled data (resources/demo/, config/), then the
# report. Two datasets: a simulated 10-gene time course with the user's GENIE3/TIGRESS files, and
# single cells: counts with spliced/unspliced layers and no time (normalized, ordered by diffusion pseudotime,
# the network oriented by RNA velocity).
set -euo pipefail
cores=${CORES:-2}
snakemake --cores "$cores" "$@"
snakemake --report results/report.html
echo
echo "Summary (results/summary.md); report: results/report.html"
cat results/summary.md
