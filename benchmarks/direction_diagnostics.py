"""Does pseudotime tell which of two co-expressed genes regulates the other? For each single-cell
dataset of ``benchmarks/single_cell.py``: the share of one-way reference edges ``i -> j`` (``j -> i`` not
in the reference) that two direction estimators orient correctly (0.5 is a coin), and how reproducible
the lead-lag is between two halves of the cells (a truth-free property of the data).

* lead-lag ``D`` (``grngc.cells.lead_lag``, 20 bins, shifts 1-4), what the single-cell mode uses;
* Granger lead ``G`` (``grngc.cells.granger_lead``, 40 bins, shifts 1-2: i's earlier bin mean on j's
  later one given j's earlier one);
* DAG Granger asymmetry ``S - S^T`` (``grngc.cells.dag_granger_scores`` on the kNN DAG of cells).

Run: ``python benchmarks/direction_diagnostics.py`` (about 2 minutes on 2 cores). Prints the table and
its commit.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import single_cell as sc  # noqa: E402

from grngc.cells import cell_dag, dag_granger_scores, granger_lead, lead_lag  # noqa: E402
from grngc.core.scaling import standardize  # noqa: E402


def split_half(tc) -> float:
    """Correlation over gene pairs of the lead-lag computed on alternate cells in pseudotime order."""
    order = np.argsort(tc.time, kind="stable")
    halves = [lead_lag(tc.X[o], tc.time[o], None, 20, 4) for o in (order[0::2], order[1::2])]
    iu = np.triu_indices(tc.n_genes, 1)
    return float(np.corrcoef(halves[0][iu], halves[1][iu])[0, 1])


def main() -> int:
    if not sc.SHARED.exists():
        print(f"no benchmark data at {sc.SHARED}")
        return 1
    rows = []
    for family, datasets in sc.FAMILY_DATASETS.items():
        for name, load in datasets:
            tc, sets = load()
            D = lead_lag(tc.X, tc.time, tc.series, 20, 4)
            G = granger_lead(tc.X, tc.time, tc.series, 40, 2)
            S, _ = dag_granger_scores(standardize(tc.X)[0], cell_dag(tc.X, tc.time, tc.series), 1,
                                      0.03 * tc.n_genes)
            reliability = split_half(tc)
            for label, truth, mask in sets:
                one_way = truth & ~truth.T & mask
                rows.append({"family": family, "dataset": name, "network": label, "one-way edges": int(one_way.sum()),
                             "lead-lag right": float(np.mean(D[one_way] > 0)),
                             "Granger lead right": float(np.mean(G[one_way] > 0)),
                             "DAG Granger right": float(np.mean((S - S.T)[one_way] > 0)),
                             "lead-lag split-half r": reliability})
            print(name, flush=True)
    df = pd.DataFrame(rows)
    print(f"\n# Direction from pseudotime (commit {sc.commit()})\n")
    print(df.groupby(["family", "network"]).mean(numeric_only=True).to_markdown(floatfmt=".2f"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
