"""The engine behind every entry point: checks, the choice of mode, and one model, an ensemble of
members or the single-cell mode on a validated time course (:func:`infer_checked`)."""
from __future__ import annotations

import dataclasses
import logging
import time as _time
import warnings

import numpy as np

from ..evaluate.compare import only_regulators
from ..config import GRNGCConfig
from ..evaluate.metrics import regulator_rows
from ..timecourse import InputError, TimeCourse
from ..granger.train import fit, model_seed
from .combine import combine_signs, rank_mean, relative_scale, run_signs
from .moments import peak_memory_gb
from .members import active_members, edge_lags, genie3_member, member_config, skipped_members
from .record import SCORE_CELLS, SCORE_CELLS_ONE, SCORE_ENSEMBLE, SCORE_MODEL, run_record
from .result import GRNGCResult

log = logging.getLogger("grngc")


# A gene whose standard deviation is below this fraction of the median gene's is treated as constant:
# z-scoring it would blow float noise (std 1e-9) up to the scale of real signal.
NEAR_CONSTANT = 1e-8


def constant_genes(tc: TimeCourse) -> list[str]:
    """Genes whose standard deviation is 0 or at most ``NEAR_CONSTANT`` times the median gene's."""
    from .moments import column_moments

    sd = column_moments(tc.X)[1]  # dense, or a sparse atlas in blocks of cells
    scale = np.median(sd[sd > 0]) if (sd > 0).any() else 0.0
    return [g for g, s in zip(tc.genes, sd) if not s > NEAR_CONSTANT * scale]


def drop_constant_genes(tc: TimeCourse) -> tuple[TimeCourse, list[str]]:
    """Genes with no variation carry no Granger signal (and break standardization): drop, with a warning.
    "No variation" is relative: a standard deviation of at most ``NEAR_CONSTANT`` times the median
    gene's (or exactly 0). The dropped genes are listed in the run record (``dropped_genes``). Returns the
    varying genes in name order (:meth:`TimeCourse.canonical`: the input's gene order must not change the
    result), taken in one step: at most one copy of the data, none when no gene drops and the names are in order."""
    const = constant_genes(tc)
    if not const:
        return tc.canonical(), []
    if len(const) > tc.n_genes - 2:
        raise InputError(f"{tc.source}: {len(const)} of {tc.n_genes} genes are constant; fewer than 2 genes vary")
    msg = (f"{tc.source}: dropping {len(const)} constant gene(s): {const[:10]}{' ...' if len(const) > 10 else ''} "
           f"(standard deviation 0, or below {NEAR_CONSTANT:g} x the median gene's)")
    warnings.warn(msg, stacklevel=3)
    log.warning(msg)
    return tc.canonical(without=const), const


def infer_checked(tc: TimeCourse, cfg: GRNGCConfig, checkpoint=None, resume: bool = False) -> GRNGCResult:
    from ..io.expression import data_kind, validate

    validate(tc)
    regulators = check_regulators(tc, cfg.regulators)
    kind = data_kind(tc.X)
    if kind == "counts":
        msg = (f"{tc.source}: the expression looks like raw counts (non-negative integers); GRNGC expects "
               "normalized, log-transformed values. Normalize first (grngc preprocess, or scanpy's "
               "normalize_total and log1p)")
        warnings.warn(msg, stacklevel=2)
        log.warning(msg)
    mode, why = data_mode(tc, cfg)
    log.info("%s: %s mode (%s)", tc.source, mode, why)
    if mode != "cells" and tc.is_sparse:  # only the single-cell mode reads a sparse X in blocks
        log.info("%s: sparse X made dense for the %s mode (%.2f GB)", tc.source, mode, tc.n_samples * tc.n_genes * 8 / 2**30)
        tc = tc.densified()
    if mode == "cells":
        res = infer_cells(tc, cfg)
    elif cfg.members:
        res = infer_members(tc, cfg, checkpoint, resume)
    else:
        res = infer_one(tc, cfg, checkpoint, resume)
    res.record["mode"] = {"mode": mode, "why": why}
    res.record.setdefault("direction_from", bulk_direction(res.record))
    log.info("edge direction: %s", direction_meaning(res.record["direction_from"]))
    res.record["input"]["data_kind"] = kind
    if regulators is not None:
        res.record["regulators"] = regulators
    return res


# What decided each edge's direction (run.json direction_from; the direction column of edges.tsv)
DIRECTION_MEANING = {
    "time": "from time: the regulator's past improves the forecast of the target",
    "velocity": "from RNA velocity: of two co-expressed genes, the one whose change leads regulates the other",
    "pseudotime": "from pseudotime: of two co-expressed genes, the one that moves first regulates the other",
    "undirected": "none: the pair is co-expressed (or same-time dependent); i -> j and j -> i carry the same "
                  "evidence and the order of the two is not inferred",
    "spread": "not inferred: the pair is co-expressed, and its two directions are ranked apart only by the genes' "
              "spreads (a regulator that varies more, a target that varies less, rank higher): a ranking prior, not "
              "evidence of direction (in mESC's references the regulator is the more variable gene of 7-52% of "
              "one-way edges)",
}


SPREAD_ALSO = "the genes' spreads also weigh the pair's two directions (a ranking prior, not evidence of direction)"


def direction_meaning(direction_from: str) -> str:
    """What a ``direction_from`` value says; ``velocity+spread``: velocity oriented the pair, and the genes'
    spreads also weigh its two directions."""
    first, _, also = direction_from.partition("+")
    return DIRECTION_MEANING[first] + (f"; {SPREAD_ALSO}" if also == "spread" else "")


def bulk_direction(record: dict) -> str:
    """``"time"`` when a model (or an ensemble member) reads the past (lag >= 1), else ``"undirected"``:
    same-time models and forests see only which genes co-vary in one sample."""
    configs = [m["config"] for m in record.get("members", [])] or [record["config"]]
    past = any((c.get("lag") or 0) >= 1 and c.get("model") != "genie3" for c in configs)
    return "time" if past else "undirected"


def data_mode(tc: TimeCourse, cfg: GRNGCConfig) -> tuple[str, str]:
    """``("cells" | "bulk" | "model", why)``: the single-cell mode (:mod:`grngc.cells`) where the default
    ensemble would run on single cells (:func:`grngc.cells.choose_kind` on the data, or ``cfg.kind``);
    the bulk default for time courses; "model" when the settings name one model, which runs as asked."""
    from ..cells import choose_kind
    from .presets import DEFAULT_MEMBERS

    kind, why = choose_kind(tc, cfg.kind)
    default_ensemble = [m.get("model") for m in cfg.members] == [m["model"] for m in DEFAULT_MEMBERS]
    if not default_ensemble:
        what = "the settings name another preset's members" if cfg.members else "the settings name the model"
        return "model", what + (f" ({why})" if kind == "cells" else "")
    return kind, why


def infer_cells(tc: TimeCourse, cfg: GRNGCConfig) -> GRNGCResult:
    """The single-cell mode (:mod:`grngc.cells`): its members' networks by rank mean, or its one member."""
    from ..cells import (CELL_MODE, cell_mode_scores, network_direction, orient_by_time, spread_description,
                         spreads_weigh)

    t0 = _time.perf_counter()
    used, dropped = drop_constant_genes(tc)  # in name order
    present = set(used.genes)
    regs = None if cfg.regulators is None else [g for g in map(str, cfg.regulators) if g in present]
    device = str(cfg.resolved_device())  # the closed forms run in torch there (a GPU when present)
    members = cell_mode_scores(used, regs, device=device, seed=cfg.seed)
    where = {g: k for k, g in enumerate(tc.genes)}
    idx = [where[g] for g in used.genes]
    same_order = idx == list(range(tc.n_genes))

    def full(M):
        if same_order:  # no gene dropped or moved: no second genes x genes copy (atlas size)
            np.fill_diagonal(M, 0.0)
            return M
        out = np.zeros((tc.n_genes, tc.n_genes), M.dtype)  # int8 signs stay int8
        out[np.ix_(idx, idx)] = M
        np.fill_diagonal(out, 0.0)
        return out

    def regulators_rows_full(D_rows, used_regulators, tc_regulators):
        """The used regulators' rows of a direction (velocity with a regulator list) as the rows of ``tc``'s
        regulators, ``(|R|, p)`` in ``tc``'s gene order; a dropped (constant) regulator's row is 0."""
        used_regs, tc_regs = np.flatnonzero(used_regulators), np.flatnonzero(tc_regulators)
        if same_order and np.array_equal(used_regs, tc_regs):
            return D_rows
        out = np.zeros((len(tc_regs), tc.n_genes))
        position = {g: k for k, g in enumerate(tc_regs)}
        out[np.ix_([position[idx[g]] for g in used_regs], idx)] = D_rows
        return out

    constant = np.isin(tc.genes, dropped)
    nets = [full(S) for S, _ in members.values()]
    scores = nets[0] if len(nets) == 1 else rank_mean(nets, constant)
    del nets
    regulators = regulator_rows(tc.genes, cfg.regulators)  # bool mask over tc's genes (all True: none given)
    if cfg.regulators is not None:  # in place (this run's own array): no second genes x genes copy at atlas size
        scores[~regulators] = 0.0
    signed = members.get("coexpression", next(iter(members.values())))[1]
    signs = full(signed)
    np.sign(signs, out=signs)  # in place: at atlas size no further genes x genes copy before the direction's
    signs = signs.astype(np.int8, copy=False)  # -1, 0, +1 (co-expression's already): an eighth of a float64
    member_names = list(members)
    del signed, members
    t_direction = _time.perf_counter()
    used_regulators = regulator_rows(used.genes, regs)  # bool mask over the fit's genes
    D, weight, direction = network_direction(used, None if cfg.velocity else {"velocity_weight": 0.0},
                                             regulators=used_regulators, device=device)
    if not cfg.velocity:
        direction += "; velocity off: spliced/unspliced layers not read"
    log.info("single-cell mode: %s (%.1f s; peak memory so far %.2f GB)", direction,
             _time.perf_counter() - t_direction, peak_memory_gb())
    if weight > 0:  # which of two co-expressed genes drives the other: velocity or pseudotime (grngc.cells)
        D = full(D) if D.shape[0] == used.n_genes else regulators_rows_full(D, used_regulators, regulators)
        scores = orient_by_time(scores, D, weight, regulators, in_place=True)
        del D
        log.info("single-cell mode: oriented (peak memory so far %.2f GB)", peak_memory_gb())
    inferred = ("undirected" if weight == 0 else "velocity" if direction.startswith("direction from RNA velocity")
                else "pseudotime")
    # the spreads' weight makes i -> j and j -> i differ (grngc.cells.spread_weighted): an edge says so
    spread = spreads_weigh({"members": tuple(member_names)})  # cell_mode_scores' own condition
    if spread:
        direction += f"; co-expressed pairs weighted by the genes' spreads, {spread_description()}"
    direction_from = ("spread" if inferred == "undirected" else inferred + "+spread") if spread else inferred
    how = " + ".join(dict.fromkeys("neural member trained" if m == "neural" else "closed form" for m in member_names))
    record = run_record(tc, cfg, dropped, t0, device=f"{device} ({how})", runs=[],
                        edge_direction="scores[i, j] and each row regulator -> target",
                        score=SCORE_CELLS if len(member_names) > 1 else SCORE_CELLS_ONE,
                        cell_mode={**CELL_MODE, "members": member_names, "direction": direction},
                        direction_from=direction_from)
    signs[scores == 0] = 0  # no sign where there is no edge (non-regulator rows, constant genes)
    return GRNGCResult(scores, tc.genes, record, None, signs, None)  # one fit: no windows to agree


def stitched(tc: TimeCourse) -> TimeCourse:
    """The series joined end to end into one (series in natural order: 2 before 10), as the authors'
    code does (``--preset paper``): the windows at each junction then cross from one series into the
    next, which a sound method avoids (``--preset paper-series`` keeps them apart)."""
    import re

    def natural(label: str):
        return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", label)]

    slices = sorted(tc.series_slices(), key=lambda item: natural(item[0]))
    rows = np.concatenate([np.arange(sl.start, sl.stop) for _, sl in slices])
    return TimeCourse(tc.X[rows], tc.genes, np.arange(len(rows), dtype=float), np.zeros(len(rows), int),
                      tc.source + " (series stitched)")


def check_regulators(tc: TimeCourse, regulators) -> dict | None:
    """Count the candidate regulators found in the data; stop when none is (the same check and message
    on every entry point). Names not in the data are counted and listed, never silently dropped."""
    if regulators is None:
        return None
    names = list(dict.fromkeys(map(str, regulators)))
    known = set(tc.genes)
    found = [g for g in names if g in known]
    missing = [g for g in names if g not in known]
    if not found:
        raise InputError(f"{tc.source}: none of the {len(names)} regulators (e.g. {names[:3]}) is a gene of the data "
                         f"(genes e.g. {tc.genes[:3]}); check the gene naming (symbols vs ids, case) of the list")
    if missing:
        log.warning("%s: %d of %d regulators are not genes of the data and are ignored, e.g. %s", tc.source,
                    len(missing), len(names), missing[:5])
    return {"given": len(names), "in_data": len(found), "not_in_data": len(missing), "examples_not_in_data": missing[:10],
            "note": "only regulator -> target pairs are penalized and scored; every gene is an input", "names": found}


def infer_one(tc: TimeCourse, cfg: GRNGCConfig, checkpoint=None, resume: bool = False) -> GRNGCResult:
    """One model (``cfg.members`` empty) on a validated :class:`TimeCourse`."""
    import hashlib
    import json

    t0 = _time.perf_counter()
    used, dropped = drop_constant_genes(tc)  # in name order: the input's gene order must not change the result
    if cfg.stitch_series:
        used = stitched(used)
    if checkpoint is not None:
        settings = {k: v for k, v in dataclasses.asdict(cfg).items() if k != "progress"}
        checkpoint.key = hashlib.sha256((json.dumps(settings, sort_keys=True, default=str)
                                         + used.content_hash()).encode()).hexdigest()
    if cfg.model == "ridge":  # closed form, nothing to train (grngc.methods.ridge)
        from ..methods.ridge import granger_ridge

        if cfg.lag != 1 or cfg.same_time:
            raise ValueError(f"model 'ridge' is the lag-1 ridge VAR: set lag=1 and same_time=False (got lag "
                             f"{cfg.lag}, same_time {cfg.same_time})")
        coef = granger_ridge(used, target=cfg.target, signed=True)
        S = np.abs(coef)
        mean_scores, runs = S / relative_scale(S), []  # as fit() scales
        used_signs = (np.sign(coef), (coef != 0).astype(float))
    elif cfg.model == "genie3":  # random forests on the same time point, nothing to train by gradient
        mean_scores, runs, used_signs = genie3_member(used, cfg), [], None
    else:
        mean_scores, runs = fit(used, cfg, checkpoint, resume)
        used_signs = run_signs(runs)
    scores = np.zeros((tc.n_genes, tc.n_genes))
    idx = [tc.genes.index(g) for g in used.genes]
    scores[np.ix_(idx, idx)] = mean_scores
    np.fill_diagonal(scores, 0.0)  # self-loops are not scored
    scores = only_regulators(scores, tc.genes, cfg.regulators)  # only listed genes regulate
    lags, profile = edge_lags(runs, cfg, scores, tc.genes, idx)
    signs = agreement = None
    if used_signs is not None:
        signs, agreement = np.zeros((tc.n_genes, tc.n_genes)), np.zeros((tc.n_genes, tc.n_genes))
        signs[np.ix_(idx, idx)], agreement[np.ix_(idx, idx)] = used_signs
    record = run_record(
        tc, cfg, dropped, t0, device=str(cfg.resolved_device()),
        runs=[{"seed": model_seed(cfg.seed, k), "best_epoch": r.best_epoch, "epochs_run": len(r.history["val_mse"]),
               "seconds": round(r.seconds, 3), "history": r.history} for k, r in enumerate(runs)],
        edge_direction="scores[i, j] and each row regulator -> target: the past of the regulator "
                       "improves the prediction of the target",
        score=SCORE_MODEL)
    if profile is not None:
        record["lag_profile_top_edges"] = profile
    return GRNGCResult(scores, tc.genes, record, lags, signs, agreement)


def infer_members(tc: TimeCourse, cfg: GRNGCConfig, checkpoint=None, resume: bool = False) -> GRNGCResult:
    """A rank-averaged ensemble: each member is trained and scored on its own (:func:`member_configs`),
    then :func:`rank_mean`. Each member checkpoints to its own file beside ``checkpoint.path``."""
    t0 = _time.perf_counter()
    active = active_members(cfg, tc.n_genes)
    subs = [member_config(cfg, m) for m in active]
    base_path = checkpoint.path if checkpoint is not None else None

    def member_path(k):
        return base_path.with_name(f"{base_path.stem}.member{k}{base_path.suffix}")

    results = []
    for k, sub in enumerate(subs):
        log.info("ensemble member %d/%d: %s", k + 1, len(subs), active[k])
        if checkpoint is not None:
            checkpoint.path = member_path(k)
        results.append(infer_one(tc, sub, checkpoint, resume))
    if checkpoint is not None:
        for k in range(len(subs)):
            member_path(k).unlink(missing_ok=True)
        checkpoint.path = base_path
    constant = np.isin(tc.genes, results[0].record["dropped_genes"])
    scores = rank_mean([r.scores for r in results], constant, cfg.combine)
    scores = only_regulators(scores, tc.genes, cfg.regulators)  # only listed genes regulate
    record = {**results[0].record, "config": dataclasses.asdict(cfg),
              "runs": [run for r in results for run in r.record["runs"]],
              "members": [{"settings": m, "config": r.record["config"], "dropped_genes": r.record["dropped_genes"]}
                          for m, r in zip(active, results)],
              "members_skipped": [{"settings": m, "why": f"{tc.n_genes} genes > max_genes {m['max_genes']}"}
                                  for m in skipped_members(cfg, tc.n_genes)],
              "seconds_total": round(_time.perf_counter() - t0, 3), "score": SCORE_ENSEMBLE}
    signs, agreement = combine_signs(results)
    return GRNGCResult(scores, tc.genes, record, None, signs, agreement)
