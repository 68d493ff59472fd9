"""The development and benchmark datasets under ../shared/data, loaded with their true networks,
and the simulated families of the bulk protocol (benchmarks/protocol).

Benchmarks only: the test suite never needs this data. Every loader returns ``(tc, truth)`` with
``truth[i, j] = 1`` for the edge ``genes[i] -> genes[j]`` (regulator -> target).
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from grngc.io import read_expression, read_reference
from grngc.evaluate.metrics import candidate_matrix
from grngc.timecourse import TimeCourse

SHARED = Path(os.environ.get("GRNGC_SHARED", Path(__file__).resolve().parents[1].parent / "shared")) / "data"


def _truth(ref_path, genes):
    return candidate_matrix(read_reference(ref_path), genes, column="__present__")


def dream3_100(i: int):
    tc = read_expression(SHARED / f"dream3_size100/dream3_100_{i}.tsv")
    return tc, _truth(SHARED / f"dream3_size100/dream3_100_{i}_true.txt", tc.genes)


def dream3_10(i: int):
    tc = read_expression(SHARED / f"dream3_size10/dream3_10_{i}.tsv")
    return tc, _truth(SHARED / f"dream3_size10/dream3_10_{i}_true.txt", tc.genes)


def dream4_10(i: int):
    d = SHARED / f"dream4_size10/insilico_size10_{i}"
    tc = read_expression(d / f"insilico_size10_{i}_timeseries.tsv")
    return tc, _truth(SHARED / f"dream4_size10/DREAM4_GoldStandard_InSilico_Size10_{i}.tsv", tc.genes)


def beeline(name: str, rep: int):
    d = SHARED / f"beeline/{name}/{name}_2000_{rep}"
    tc = read_expression(d)
    return tc, _truth(d / "refNetwork.csv", tc.genes)


def sos_ecoli():
    d = SHARED / "sos_ecoli"
    tc = read_expression(d / "sos_timeseries_long.csv", time_key="time_min", series_key="experiment")
    return tc, _truth(d / "sos_goldstandard_nair2015.tsv", tc.genes)


def causaltime(kind: str, n_series: int = 160):
    """CausalTime Medical/Traffic: the 20 variables with a ground truth, the first ``n_series`` of the
    480 series (40 steps each; the same files for every method). ``graph.npy`` is indexed
    ``[effect, cause]``, so the edge ``i -> j`` is ``graph[j, i]``."""
    d = SHARED / f"causaltime/{kind}"
    data = np.load(d / "gen_data.npy")[:n_series, :, :20].astype(float)
    graph = np.load(d / "graph.npy")
    s, T, p = data.shape
    tc = TimeCourse(data.reshape(s * T, p), [f"v{k}" for k in range(p)], np.tile(np.arange(T, dtype=float), s),
                    np.repeat(np.arange(s), T), f"causaltime/{kind}")
    truth = (graph.T > 0).astype(int)
    np.fill_diagonal(truth, 0)
    return tc, truth


def _simulated(kind: str, **kw):
    from grngc import simulate

    return getattr(simulate, kind)(**kw)


def simulated_cells(p: int, n_cells: int, seed: int):
    """Snapshot cells of :func:`grngc.simulate.grn_cells` (raw counts), preprocessed as the pipeline
    does: normalize + log1p, diffusion pseudotime from the ``stage=early`` cells; the true time unused."""
    from grngc.io.expression import timecourse_from_anndata
    from grngc.io.preprocess import PreprocessConfig, preprocess
    from grngc.simulate import grn_cells

    adata, truth = grn_cells(p=p, n_cells=n_cells, n_trajectories=n_cells // 20, seed=seed)
    out, _, _ = preprocess(adata, PreprocessConfig(root="stage=early", seed=seed), source=f"grn_cells(seed={seed})")
    tc = timecourse_from_anndata(out, "time", "series", None, source=f"grn_cells(p={p}, seed={seed})")
    order = [list(adata.var_names).index(g) for g in tc.genes]
    return tc, truth[np.ix_(order, order)]


def _grn(**kw):
    return lambda: _simulated("grn", **kw)


FAMILIES = {
    "dream3_100": [(f"dream3_100_{i}", lambda i=i: dream3_100(i)) for i in range(5)],
    "dream3_10": [(f"dream3_10_{i}", lambda i=i: dream3_10(i)) for i in range(5)],
    "dream4_10": [(f"dream4_10_{i}", lambda i=i: dream4_10(i)) for i in range(1, 6)],
    "beeline": [(f"{n}_{r}", lambda n=n, r=r: beeline(n, r)) for n in ("dyn-LI", "dyn-CY", "dyn-BF") for r in range(3)],
}
for _name in ("dyn-LI", "dyn-CY", "dyn-BF"):
    FAMILIES[f"beeline_{_name[4:]}"] = [(f"{_name}_{r}", lambda n=_name, r=r: beeline(n, r)) for r in range(3)]
FAMILIES["sos_ecoli"] = [("sos_ecoli", sos_ecoli)]
FAMILIES["causaltime_medical"] = [("causaltime_medical", lambda: causaltime("medical"))]
FAMILIES["causaltime_traffic"] = [("causaltime_traffic", lambda: causaltime("traffic"))]

# Simulated gene networks (Hill kinetics, response times 1-2 time units) in distinct regimes. Seeds
# 101+ were never used for any other purpose.
FAMILIES["sim_long_interval"] = [  # sampled slower than the genes respond: regulation within one step
    (f"sim_long_interval_{s}", _grn(p=20, n_series=10, T=21, dt=3.0, seed=101 + s)) for s in range(3)]
FAMILIES["sim_short_interval"] = [  # sampled faster than the genes respond: regulation across steps
    (f"sim_short_interval_{s}", _grn(p=20, n_series=4, T=60, dt=0.2, seed=111 + s)) for s in range(3)]
FAMILIES["sim_few_long"] = [  # two long series
    (f"sim_few_long_{s}", _grn(p=30, n_series=2, T=150, dt=0.5, seed=121 + s)) for s in range(3)]
FAMILIES["sim_many_short"] = [  # many short series (perturbation screens)
    (f"sim_many_short_{s}", _grn(p=50, n_series=60, T=6, dt=1.0, seed=131 + s)) for s in range(3)]
FAMILIES["sim_large"] = [  # 200 genes, 10 series x 21 points (the DREAM4 size-100 shape, larger)
    (f"sim_large_{s}", _grn(p=200, n_series=10, T=21, dt=1.0, seed=141 + s)) for s in range(2)]
# Snapshot single cells ordered by diffusion pseudotime. 40 genes: with 12, library-size
# normalization over so few genes made every method (GENIE3, the ridge, GRNGC; true time or
# pseudotime alike) rank below chance. Seeds whose cells are all reachable from the root.
FAMILIES["sim_cells"] = [
    (f"sim_cells40_{s}", lambda s=s: simulated_cells(p=40, n_cells=1500, seed=s)) for s in (152, 154, 155)]

FAMILIES["simulated"] = [
    ("lorenz96_p10_F10", lambda: _simulated("lorenz96", p=10, T=1000, F=10.0)),
    ("lorenz96_p10_F40", lambda: _simulated("lorenz96", p=10, T=1000, F=40.0)),
    ("var3_p10", lambda: _simulated("var", p=10, T=1000, lag=3)),
]
FAMILIES["lorenz96_p100"] = [("lorenz96_p100_F10", lambda: _simulated("lorenz96", p=100, T=1000, F=10.0))]

# The bulk protocol's families (benchmarks/protocol/rules.py lists the same): every regime once (BEELINE split by model, the combined
# "beeline" and the Lorenz/VAR sets are not separate regimes of gene data).
PROTOCOL_FAMILIES = ["dream3_100", "dream3_10", "dream4_10", "beeline_LI", "beeline_CY", "beeline_BF", "sos_ecoli",
                     "causaltime_medical", "causaltime_traffic", "sim_long_interval", "sim_short_interval",
                     "sim_few_long", "sim_many_short", "sim_large", "sim_cells"]


def available() -> bool:
    return SHARED.exists()
