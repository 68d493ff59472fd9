"""The development and benchmark datasets under ../shared/data, loaded with their true networks.

Benchmarks only: the test suite never needs this data.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from grngc.io import read_expression, read_reference
from grngc.metrics import candidate_matrix

SHARED = Path(os.environ.get("GRNGC_SHARED", Path(__file__).resolve().parents[1].parent / "shared")) / "data"


def _truth(ref_path, genes):
    return candidate_matrix(read_reference(ref_path), genes, column="__present__")


def dream3_100(i: int):
    tc = read_expression(SHARED / f"dream3_size100/dream3_100_{i}.tsv")
    return tc, _truth(SHARED / f"dream3_size100/dream3_100_{i}_true.txt", tc.genes)


def dream4_10(i: int):
    d = SHARED / f"dream4_size10/insilico_size10_{i}"
    tc = read_expression(d / f"insilico_size10_{i}_timeseries.tsv")
    return tc, _truth(SHARED / f"dream4_size10/DREAM4_GoldStandard_InSilico_Size10_{i}.tsv", tc.genes)


def beeline(name: str, rep: int):
    d = SHARED / f"beeline/{name}/{name}_2000_{rep}"
    tc = read_expression(d)
    return tc, _truth(d / "refNetwork.csv", tc.genes)


FAMILIES = {
    "dream3_100": [(f"dream3_100_{i}", lambda i=i: dream3_100(i)) for i in range(5)],
    "dream4_10": [(f"dream4_10_{i}", lambda i=i: dream4_10(i)) for i in range(1, 6)],
    "beeline": [(f"{n}_{r}", lambda n=n, r=r: beeline(n, r)) for n in ("dyn-LI", "dyn-CY", "dyn-BF") for r in range(3)],
}


def available() -> bool:
    return SHARED.exists()


def _simulated(kind: str, **kw):
    from grngc import simulate

    return getattr(simulate, kind)(**kw)


FAMILIES["simulated"] = [
    ("lorenz96_p10_F10", lambda: _simulated("lorenz96", p=10, T=1000, F=10.0)),
    ("lorenz96_p10_F40", lambda: _simulated("lorenz96", p=10, T=1000, F=40.0)),
    ("var3_p10", lambda: _simulated("var", p=10, T=1000, lag=3)),
]
FAMILIES["lorenz96_p100"] = [("lorenz96_p100_F10", lambda: _simulated("lorenz96", p=100, T=1000, F=10.0))]
