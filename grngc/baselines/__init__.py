"""Baseline GRN methods, run on the same data for comparison: GENIE3 (and its time-lagged
variant), GRNBoost2, TIGRESS and the linear Granger ridge. All return ``S[regulator, target]`` like GRNGC."""
from .genie3 import genie3, genie3_lagged
from .grnboost2 import grnboost2
from .ridge import granger_ridge
from .tigress import tigress

__all__ = ["genie3", "genie3_lagged", "granger_ridge", "grnboost2", "tigress"]
