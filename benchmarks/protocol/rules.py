"""Pre-registered rules of the bulk accuracy protocol, registration ``R2`` (written 2026-12-06 before any
of its results existed; the report names this file's commit and refuses a results table older than it).
R1's rules are this file at the commit its results name (``results/R1.json``); its table stays committed
and replays to the ``consensus`` preset (``tests/test_protocol_replay.py``).

What R2 changes from R1: no member is a method users compare grngc against, and a cost rule.

* **Families**: the 15 of ``datasets.PROTOCOL_FAMILIES``, each one regime of time-ordered data with a
  truth. A family's figure is the mean over its datasets; every ordered pair of distinct genes is a
  candidate, self-loops excluded. :data:`EXTERNAL` are data we did not make (DREAM, BEELINE, SOS,
  CausalTime); the ``sim_*`` families come from our own simulator. The report prints both apart.
* **Pool** (:data:`MEMBERS`, fixed before the run): the single GRNGC models below, the ridge VAR, and
  every 2- and 3-member rank mean over them, as they are and after per-target shares (``/shares``).
  None of :data:`COMPARED` (GENIE3, GRNBoost2, TIGRESS, the correlation) is a member: users run grngc
  to compare its network with theirs, and a default that contains one of them would agree with it by
  construction. New in R2: ``masked_*``, one shared MLP for all genes on the past and the present with
  each target's own present value hidden (model ``mlp-masked``), with and without regulator dropout.
* **Cost rule** (:data:`COST`): a candidate is admissible only if its cost on a DREAM4-100-shaped network
  (100 genes, 10 series of 21 time points, from ``grngc.simulate.grn``; the DREAM4 size-100 networks
  themselves are held out) is at most :data:`COST_BUDGET` x GENIE3's (300 trees), both measured in the
  same run of ``python benchmarks/protocol/cost.py`` on the same machine, :data:`COST_THREADS` threads,
  no GPU. A rank mean's cost is the sum of its members' (an ensemble runs them one after another;
  the rank mean itself takes milliseconds). The measurement reads no truth; it is committed
  (``results/R2_cost.tsv``) before the accuracy table is made. A member whose own cost is over budget
  makes every candidate containing it inadmissible, so its accuracy is computed only where it is an anchor.
* **Criterion**: mean AUROC over families, each family weighted equally (:data:`CRITERION`).
* **Selection, leave one family out**: among the admissible candidates, for each held family, the one
  with the best criterion on the OTHER 14 families is its pick, scored on the held family. No
  tolerance; a tie (within :data:`TIE`) goes to the earlier candidate of
  :func:`protocol.candidates.pool` (singles first, then rank means in the order of :data:`MEMBERS`).
  No admissible candidate leaves the pool after the run: no pruning, inside or outside the folds.
  The default preset is the pick on all 15 families; ``tests/test_protocol_replay.py`` replays the
  committed results and cost tables to check that it is. If the pick has no neural member, the
  default stays linear and the docs say so.
* **Reported beside it, on the same files and scorer, with seconds per DREAM4-100-shaped network from
  the same cost run**: GENIE3 (300 trees), TIGRESS (R 200), the linear Granger ridge, the authors'
  recipe (``--preset paper``), the correlation, and R1's pick (the ``consensus`` preset, GENIE3 inside).

Changes to this file after the run are a new registration (``R3``), with a new results table.
"""
from __future__ import annotations

REGISTRATION = "R2"

FAMILIES = ("dream3_100", "dream3_10", "dream4_10", "beeline_LI", "beeline_CY", "beeline_BF", "sos_ecoli",
            "causaltime_medical", "causaltime_traffic", "sim_long_interval", "sim_short_interval",
            "sim_few_long", "sim_many_short", "sim_large", "sim_cells")
EXTERNAL = FAMILIES[:9]
SIMULATED = FAMILIES[9:]

# The methods users compare grngc's network with: never members of the pool.
COMPARED = ("genie3", "grnboost2", "tigress", "spearman")

# The members of the pool, simpler and cheaper first (that is the tie-break order).
MEMBERS = ("ridge", "linear_lag1", "linear_now", "kan_additive_level", "kan_additive_now", "masked_now",
           "masked_same_time_level", "masked_same_time_delta", "masked_now_dropout", "per_target_now",
           "per_target_same_time_delta", "mlp", "kan_lag1_level")
MAX_MEMBERS = 3
SHARES = True  # each rank mean also after per-target shares

# The cost rule: data shaped as a DREAM4 size-100 time course (grngc.simulate.grn), the budget as a
# fraction of GENIE3's seconds in the same run, the threads every method gets.
COST = dict(p=100, n_series=10, T=21, seed=2002)
COST_BUDGET = 0.5
COST_THREADS = 2
COST_REFERENCE = "genie3"

CRITERION = "auroc"
TIE = 1e-9

# R1's pick: the consensus preset (GENIE3 inside), printed beside the pick.
CONSENSUS = "ridge+per_target_same_time_delta+genie3/shares"
# The baselines printed beside the pick (never candidates).
ANCHORS = ("genie3", "tigress", "ridge", "paper", "spearman", CONSENSUS)

assert not set(COMPARED) & set(MEMBERS), "a compared method is never a member"
