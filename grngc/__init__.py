"""grngc: gene regulatory networks from time-ordered expression by gradient-regularized neural
Granger causality (GRNGC, Liu et al. 2025, arXiv 2507.11178).

Edge direction everywhere: ``regulator -> target`` means the past of the regulator improves the
prediction of the target; score matrices are indexed ``scores[regulator, target]``.
"""
import sys as _sys

from ._version import __version__

from .timecourse import InputError, TimeCourse

from . import get, pl, pp, tl  # scanpy-style namespaces: grngc.pp.preprocess, grngc.tl.infer(adata), grngc.get.edges, grngc.pl.*

# Modules that moved (issue 40's layout, docs/layout.md): the old name still imports, with a DeprecationWarning
# that says where the module went. Remove in 0.3.
_MOVED = {"grngc.plots": "grngc.report.plots", "grngc.network_view": "grngc.report.network_page",
          "grngc.tables": "grngc.report.tables", "grngc.compare": "grngc.evaluate.compare",
          "grngc.network": "grngc.evaluate.threshold", "grngc.ensemble": "grngc.evaluate.stability",
          "grngc.simulate_cells": "grngc.simulate.cells", "grngc.train": "grngc.granger.train",
          "grngc.sweep": "grngc.granger.sweep", "grngc.api": "grngc.core.api",
          "grngc.presets": "grngc.core.presets", "grngc.metrics": "grngc.evaluate.metrics",
          "grngc.preprocess": "grngc.io.preprocess", "grngc.sheet": "grngc.pipeline.sheet",
          "grngc.resources": "grngc.pipeline.resources"}


class _MovedModules:
    """``sys.meta_path`` finder and loader: ``import grngc.<old>`` gives the module at its new place."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if name not in _MOVED:
            return None
        import importlib.util

        return importlib.util.spec_from_loader(name, _MovedModules)

    @staticmethod
    def create_module(spec):
        import importlib
        import warnings

        warnings.warn(f"{spec.name} has moved to {_MOVED[spec.name]}; import it from there ({spec.name} will be "
                      "removed in grngc 0.3)", DeprecationWarning, stacklevel=2)
        return importlib.import_module(_MOVED[spec.name])

    @staticmethod
    def exec_module(module):
        pass


if not any(f is _MovedModules for f in _sys.meta_path):
    _sys.meta_path.append(_MovedModules)

_LAZY = {"GRNGCResult": "core.api", "infer": "core.api", "infer_anndata": "core.api", "infer_timecourse": "core.api",
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
