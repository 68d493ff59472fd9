"""Baseline GRN methods, run on the same data for comparison: GENIE3 (and its time-lagged
variant) and TIGRESS. Both return ``S[regulator, target]`` like GRNGC."""
from .genie3 import genie3, genie3_lagged
from .tigress import tigress

__all__ = ["genie3", "genie3_lagged", "tigress"]
