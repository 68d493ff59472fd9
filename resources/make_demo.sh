#!/usr/bin/env bash
# Rebuild the bundled demo data in resources/demo/ (committed; run this only to regenerate it).
#   timecourse: a simulated 10-gene Hill-kinetics network, 10 time courses x 21 points, its true
#               network, and GENIE3 / TIGRESS results in the formats those tools write (R GENIE3
#               getLinkList with a header; TIGRESS headerless), as a user would bring them.
#   cells:      single cells differentiating from a known 30-gene network (600 cells, raw counts with spliced
#               and unspliced layers, no time key), an obs 'stage' to root the diffusion pseudotime, its true network and a TF list.
set -euo pipefail
cd "$(dirname "$0")/demo"
grngc simulate grn -p 10 --n-series 10 -T 21 --seed 1 -o timecourse.h5ad --truth timecourse_truth.tsv
grngc baseline genie3 timecourse.h5ad -o /tmp/genie3.tsv --n-trees 500 --seed 0
grngc baseline tigress timecourse.h5ad -o /tmp/tigress.tsv --resamples 500 --seed 0
{ printf 'regulatoryGene\ttargetGene\tweight\n'; tail -n +2 /tmp/genie3.tsv; } > timecourse_genie3.tsv
tail -n +2 /tmp/tigress.tsv > timecourse_tigress.tsv
grngc simulate cells -p 30 --cells 600 --seed 1 --velocity -o cells.h5ad --truth cells_truth.tsv
tail -n +2 cells_truth.tsv | cut -f1 | sort -u > cells_tfs.txt
rm -f /tmp/genie3.tsv /tmp/tigress.tsv
ls -la
