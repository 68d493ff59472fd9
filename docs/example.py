"""grngc in a notebook, end to end on a tiny simulated AnnData (runs in the test suite):
simulate -> preprocess with scanpy -> infer -> edges -> evaluate -> plot.

    python docs/example.py [OUTPUT.png]
"""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import grngc  # noqa: E402
from grngc.simulate import grn, to_anndata, truth_to_edges  # noqa: E402

# 1. a Hill-kinetics network of 10 genes: 10 time courses of 21 points (obs "time" and "series")
tc, truth = grn(p=10, n_series=10, T=21, seed=7)
raw = to_anndata(tc)
reference = truth_to_edges(truth, tc.genes)  # regulator -> target

# 2. scanpy preprocessing (normalization only where the data are counts; here they are not), ordered by
#    obs["time"] within obs["series"]; for single cells without time it computes a diffusion pseudotime
#    (in place, as scanpy's pp functions: it returns None; copy=True returns a new AnnData)
adata = raw.copy()
grngc.pp.preprocess(adata)
print(f"{adata.n_obs} samples x {adata.n_vars} genes ordered by time")

# 3. infer with the default preset; scores in adata.varp["grngc"], the run record in adata.uns["grngc"]
grngc.tl.infer(adata, seed=0, progress=False)

# 4. the network as a table, and against the truth
edges = grngc.get.edges(adata, top=10)
print(edges.head())
metrics = grngc.tl.evaluate(adata, reference)
print(f"AUROC {metrics['auroc']:.3f}, AUPRC {metrics['auprc']:.3f} (random {metrics['random_auprc']:.3f})")

# 5. plots into your own axes
fig, ax = plt.subplots(1, 3, figsize=(15, 4.5))
grngc.pl.heatmap(adata, truth=reference, ax=ax[0])
grngc.pl.network(grngc.tl.threshold(adata, "top_k", 15), ax=ax[1])
grngc.pl.roc(adata, reference, ax=ax[2])
fig.tight_layout()
fig.savefig(sys.argv[1] if len(sys.argv) > 1 else "grngc_example.png", dpi=80)
