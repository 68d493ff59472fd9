"""grngc: gene regulatory networks from time-ordered expression by gradient-regularized neural
Granger causality (GRNGC, Liu et al. 2025, arXiv 2507.11178).

Edge direction everywhere: ``regulator -> target`` means the past of the regulator improves the
prediction of the target; score matrices are indexed ``scores[regulator, target]``.
"""
__version__ = "0.1.0"

from .api import GRNGCResult, infer, infer_anndata, infer_timecourse
from .timecourse import InputError, TimeCourse
from .train import GRNGCConfig

__all__ = ["GRNGCConfig", "GRNGCResult", "InputError", "TimeCourse", "infer", "infer_anndata",
           "infer_timecourse", "__version__"]
