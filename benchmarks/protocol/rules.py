"""Pre-registered rules of the bulk accuracy protocol, registration ``R1`` (written 2026-12-01 before any
of its results existed; the report names this file's commit and refuses a results table older than it).

* **Families**: the 15 of ``datasets.PROTOCOL_FAMILIES``, each one regime of time-ordered data with a
  truth. A family's figure is the mean over its datasets; every ordered pair of distinct genes is a
  candidate, self-loops excluded. :data:`EXTERNAL` are data we did not make (DREAM, BEELINE, SOS,
  CausalTime); the ``sim_*`` families come from our own simulator. The report prints both apart.
* **Pool** (:data:`MEMBERS`, fixed before the run): the single models below and every 2- and 3-member
  rank mean over them, as they are and after per-target shares (``/shares``). Two baselines are
  members too (GENIE3's and TIGRESS's scores): a rank mean with a forest is a candidate like any other.
  No candidate leaves the pool after the run: there is no pruning, inside or outside the folds.
* **Criterion**: mean AUROC over families, each family weighted equally (:data:`CRITERION`).
* **Selection, leave one family out**: for each held family, the candidate with the best criterion on
  the OTHER 14 families is its pick, scored on the held family. No tolerance; a tie (within
  :data:`TIE`) goes to the earlier candidate of :func:`protocol.candidates.pool` (singles first, then
  rank means in the order of :data:`MEMBERS`). The default preset is the pick on all 15 families, and
  ``tests/test_protocol_replay.py`` replays the committed results table to check that it is.
* **Reported beside it, on the same files and scorer**: GENIE3 (300 trees), TIGRESS (R 200), the linear
  Granger ridge, the authors' recipe (``--preset paper``), the correlation, and the default before R1.

Changes to this file after the run are a new registration (``R2``), with a new results table.
"""
from __future__ import annotations

REGISTRATION = "R1"

FAMILIES = ("dream3_100", "dream3_10", "dream4_10", "beeline_LI", "beeline_CY", "beeline_BF", "sos_ecoli",
            "causaltime_medical", "causaltime_traffic", "sim_long_interval", "sim_short_interval",
            "sim_few_long", "sim_many_short", "sim_large", "sim_cells")
EXTERNAL = FAMILIES[:9]
SIMULATED = FAMILIES[9:]

# The members of the pool, simpler and cheaper first (that is the tie-break order).
MEMBERS = ("ridge", "linear_lag1", "linear_now", "per_target_now", "per_target_same_time_delta", "mlp",
           "kan_lag1_level", "kan_additive_level", "kan_additive_now", "genie3", "tigress")
MAX_MEMBERS = 3
SHARES = True  # each rank mean also after per-target shares

CRITERION = "auroc"
TIE = 1e-9

# The baselines printed beside the pick (never candidates unless in MEMBERS).
ANCHORS = ("genie3", "tigress", "ridge", "paper", "spearman")
# The default before R1 (a candidate of the pool), printed beside the pick.
DEFAULT_BEFORE = "ridge+linear_lag1+per_target_now"
