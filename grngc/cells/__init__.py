r"""Single cells ordered by pseudotime: same-time co-expression, oriented by RNA velocity or pseudotime.

A cell's predecessor in pseudotime is another cell, so the lag-1 "past" of a chain of cells is one noisy
cell; the mode reads what single cells can tell instead, one method per module (the maths in each):

* :mod:`.coexpression`: the ridge coefficient of regulator ``i`` for target ``j`` in the same cell, in
  closed form at any size, and its weight by the genes' detection rates;
* :mod:`.direction`: which of two co-expressed genes drives the other, from RNA velocity's layers or
  from pseudotime bin means;
* :mod:`.dag`: the DAG of cells (Velorama, GrID-Net) and Granger over it; kNN smoothing;
* :mod:`.mode`: the rule that sends an input here and the members' networks;
* :mod:`.settings`: :data:`CELL_MODE`, chosen leave-one-family-out by ``benchmarks/single_cell.py``
  (rules in ``benchmarks/single_cell_rules.py``).
"""
from __future__ import annotations

# One method per module; this namespace is what callers import (grngc.cells.cell_mode_scores, ...).
from .coexpression import (coexpression_from_correlation, coexpression_scores, detection_weighted,
                           spread_weighted)
from .dag import cell_dag, dag_granger_scores, dag_lags, knn_smoothed, nearest_cells
from .direction import (DIRECTION_ESTIMATORS, direction_weight, granger_lead, lead_lag, network_direction,
                        orient_by_time, partial_lead, time_direction, velocity_lead)
from .mode import cell_mode_scores, choose_kind, data_shape, spread_description, spreads_weigh
from .settings import CELL_GAP_CV, CELL_MAX_SERIES, CELL_MEMBERS, CELL_MIN_SAMPLES, CELL_MODE

__all__ = ["CELL_GAP_CV", "CELL_MAX_SERIES", "CELL_MEMBERS", "CELL_MIN_SAMPLES", "CELL_MODE", "DIRECTION_ESTIMATORS",
           "cell_dag", "cell_mode_scores", "choose_kind", "coexpression_from_correlation", "coexpression_scores",
           "dag_granger_scores", "dag_lags", "data_shape", "detection_weighted", "direction_weight", "granger_lead", "knn_smoothed",
           "lead_lag", "nearest_cells", "network_direction", "orient_by_time", "partial_lead", "spread_description", "spread_weighted", "spreads_weigh",
           "time_direction", "velocity_lead"]
