"""grngc: gene regulatory networks from time-ordered expression by gradient-regularized neural
Granger causality (GRNGC, Liu et al. 2025, arXiv 2507.11178).

Edge direction everywhere: ``regulator -> target`` means the past of the regulator improves the
prediction of the target; score matrices are indexed ``scores[regulator, target]``.
"""
from ._version import __version__

from .timecourse import InputError, TimeCourse

from . import get, pl, pp, tl  # scanpy-style namespaces: grngc.pp.preprocess, grngc.tl.infer(adata), grngc.get.edges, grngc.pl.*

_LAZY = {"GRNGCResult": "api", "infer": "api", "infer_anndata": "api", "infer_timecourse": "api",
         "GRNGCConfig": "config"}


def __getattr__(name):
    # torch is imported on first use, so that light commands (threshold, annotate, plots) start fast
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'grngc' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)


__all__ = ["GRNGCConfig", "GRNGCResult", "InputError", "TimeCourse", "get", "infer", "infer_anndata",
           "infer_timecourse", "pl", "pp", "tl", "__version__"]
