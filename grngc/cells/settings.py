"""The single-cell mode's settings and the rule that sends an input to it (no truth needed to apply it)."""

# The single-cell mode's settings (benchmarks/single_cell.py chooses them family-out, docs/single-cells.md).
# lambda_factor c: both ridges use lambda = c x genes (the trace of C), so c is free of the data's size.
# direction_max_genes: time orients the network only on data with at most this many genes (registration 3 chose
# 200; registration 4, on the simulator with one master per 20 genes, 50: orienting lowered AUROC at 100 genes).
# direction_estimator: how time is read: "both", the mean of the lead-lag and the Granger lead (registration 6, with a
# 30-gene family of our simulator without layers; registrations 2-5 used the lead-lag alone).
# velocity_weight: the weight of RNA velocity's direction where the data have spliced/unspliced layers, at any size
# (0: velocity unused, time as above). Registration 5 picked 0.9 in every fold (of 0, 0.3, 0.9); it was measured only
# on our simulator's layers (no real data with layers and a reference is available to us).
CELL_MODE = {"members": ("coexpression",), "lambda_factor": 0.03, "neighbors": 15, "n_pcs": 30, "lag": 1,
             "direction_weight": 0.9, "direction_max_genes": 50, "direction_estimator": "both", "bins": 20,
             "max_shift": 4, "granger_bins": 40, "granger_max_shift": 2, "velocity_weight": 0.9, "neural": {},
             "detection_power": 0.5, "spread_regulator_power": 1.0, "spread_target_power": 1.0, "spread_target_floor": 0.25,
             "spread_fade": 16.0}
# detection_power beta: the co-expression score of i -> j times (d_i d_j)^beta, d the genes' detection rates
# (grngc.cells.coexpression.detection_weighted; 0: off). Registration 8 picked 0.5 (5 of 6 folds).
# spread_regulator_power a, spread_target_power b: the co-expression score of i -> j times sd_i^a / sd_j^b, sd the
# genes' standard deviations (grngc.cells.coexpression.spread_weighted; 0, 0: off); spread_target_floor q: the target's
# sd floored at its q quantile (0: none). Registration 9 picked a = b = 1 by AUROC, which lowered mESC's EPR from 2.86
# to 1.79; registration 10, where a pick must not lower EPR on average over the families, a = 1, b = 0.5, no floor
# (with all six families and 2 of 6 folds; the others floor at q 0.25); development figures (found on mESC).
# spread_fade g: the spreads' weight w_ij fades where the co-expression is strong, w_ij^(1 - q_ij^g), q_ij the
# pair's quantile among the scored pairs (grngc.cells.spread_weighted's ``fade``; 0: no fade). Registration 11, where a
# pick must also not lower any one family's EPR by more than a tenth, picked a = 1, b = 1, q 0.25, g 16 (with all six
# families and 3 of 6 folds; held out mESC, the others pick registration 10's a = 1, b = 0.5): mESC's mean EPR 2.37 ->
# 2.74 and AUROC 0.596 -> 0.599 (development figures).
# "neural": grngc.models.adjacency (one denoising model for all genes, the gradient as the score, L1 on its
# pair weights); the "neural" entry overrides grngc.models.adjacency.ADJACENCY (registration 7).
CELL_MEMBERS = ("coexpression", "dag_granger", "neural")

# The rule that sends an input to the single-cell mode (kind="auto"; measurable, no truth needed):
# few series, at least one of them long, and pseudotime-like times (tied, or irregularly spaced).
CELL_MAX_SERIES = 3
CELL_MIN_SAMPLES = 200
CELL_GAP_CV = 0.5  # coefficient of variation of the time gaps above which times are "irregular"
