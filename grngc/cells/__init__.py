r"""Single cells ordered by pseudotime: Granger over a DAG of cells, and same-time co-expression.

A cell's predecessor in pseudotime is another cell, so the lag-1 "past" of a chain of cells is one
noisy cell. Following Velorama (Singh et al. 2024) and GrID-Net, the past of a cell is instead its
neighbourhood of earlier cells:

* **The DAG of cells** (:func:`cell_dag`): a kNN graph of cells (on principal components of the
  z-scored genes), each edge oriented from the cell earlier in pseudotime to the later one. ``A`` is
  its row-normalized adjacency: ``A[c, a] = 1 / |anc(c)|`` for the ``anc(c)`` neighbours of cell ``c``
  earlier than ``c``. The lag-``l`` input of a cell is ``A^l X`` (:func:`dag_lags`), the average
  over its ``l``-step ancestors.
* **DAG Granger** (:func:`dag_granger_scores`): a ridge regression of every gene on the lagged inputs
  of all genes, ``W = (D^T D / n + lambda I)^{-1} D^T Z / n`` with ``D = [A Z, A^2 Z, ...]``
  (``Z`` the z-scored genes, cells without ancestors left out); the score of ``i -> j`` is
  ``sum_l |W_{(l, i), j}|``. Time orients this member: reversing pseudotime reverses it.
* **Co-expression** (:func:`coexpression_scores`): the ridge coefficient of regulator ``i`` when
  gene ``j`` is regressed on the other regulators in the same cell. With ``C`` the genes' correlation
  matrix and ``P = (C_RR + lambda I)^{-1}`` over the regulators ``R``,
  ``b_ij = -P_ij / P_jj`` for a regulator target and ``b_.j = P C_Rj`` for any other, in closed form
  at any size (GRNBoost2's signal, without its trees). A large ``lambda`` (relative to the unit
  diagonal of ``C``) keeps the coefficients near the correlations but partials out the leading
  components that every gene shares.
* **Direction from time** (:func:`lead_lag`, :func:`orient_by_time`): co-expression is symmetric in
  what it can tell; which of two co-expressed genes drives the other is read from pseudotime. The
  cells are cut into ``bins`` pseudotime bins of equal size and each gene's bin means ``m_g(b)`` are
  z-scored; with ``r_tau(i, j)`` the correlation of ``m_i(b)`` with ``m_j(b + tau)`` (``i`` earlier),

  .. math::
      D_{ij} = \frac{1}{T} \sum_{\tau=1}^{T} \left(|r_\tau(i, j)| - |r_\tau(j, i)|\right),

  positive when ``i``'s changes come before ``j``'s (a regulator's level moves first, its target
  follows with the target's response time). ``D`` is antisymmetric and reversing pseudotime flips
  it. The default reads time as the mean of this ``D`` and the Granger lead (:func:`granger_lead`,
  :func:`time_direction`; ``direction_estimator="both"``, registration 6). The network is
  ``U_{ij} (1 + w \tanh(10 D_{ij}))`` with ``U`` the pair's co-expression score
  (made symmetric where both genes are regulators) and ``w`` the weight of time (0: none). Time
  orients only data with at most ``direction_max_genes`` genes (:func:`direction_weight`); above, an
  edge's direction is only the asymmetry of the ridge coefficients (``b_ij`` against ``b_ji``).
* **Direction from RNA velocity** (:func:`velocity_lead`): where the data carry ``spliced`` and
  ``unspliced`` layers, ``D`` is instead read within cells, with no pseudotime: a target's unspliced RNA
  (its current production) follows its regulator's spliced level given the target's own spliced level.
  It orients data of any size, with weight ``velocity_weight`` (:func:`network_direction`).

``lambda``, the neighbours and the lags are set in :data:`CELL_MODE`, chosen leave-one-family-out by
``benchmarks/single_cell.py`` (rules in ``benchmarks/single_cell_rules.py``).
"""
from __future__ import annotations

# One method per module; this namespace is what callers import (grngc.cells.cell_mode_scores, ...).
from .coexpression import coexpression_from_correlation, coexpression_scores, detection_weighted
from .dag import cell_dag, dag_granger_scores, dag_lags, knn_smoothed, nearest_cells
from .direction import (DIRECTION_ESTIMATORS, direction_weight, granger_lead, lead_lag, network_direction,
                        orient_by_time, partial_lead, time_direction, velocity_lead)
from .mode import cell_mode_scores, choose_kind, data_shape
from .settings import CELL_GAP_CV, CELL_MAX_SERIES, CELL_MEMBERS, CELL_MIN_SAMPLES, CELL_MODE

__all__ = ["CELL_GAP_CV", "CELL_MAX_SERIES", "CELL_MEMBERS", "CELL_MIN_SAMPLES", "CELL_MODE", "DIRECTION_ESTIMATORS",
           "cell_dag", "cell_mode_scores", "choose_kind", "coexpression_from_correlation", "coexpression_scores",
           "dag_granger_scores", "dag_lags", "data_shape", "detection_weighted", "direction_weight", "granger_lead", "knn_smoothed",
           "lead_lag", "nearest_cells", "network_direction", "orient_by_time", "partial_lead", "time_direction",
           "velocity_lead"]
