"""Single cells: grngc's single-cell mode beside GRNBoost2, GENIE3, the correlation, RegDiffusion, the
linear Granger ridge and the bulk default, on the same files with the same scorer; and the family-out
choice of the mode's settings under the pre-registered rules of ``benchmarks/single_cell_rules.py``.

Families (``../shared/data`` and the project's simulator):
* ``mesc`` (real): BEELINE's mESC (TFs + 500 most varying genes, Slingshot pseudotime), scored as BEELINE
  scores real data: candidates = the reference's regulators x every gene, self-loops excluded; AUROC
  and EPR on its STRING, non-specific ChIP-seq, LOF/GOF and mESC ChIP-seq networks.
* ``sim_differentiation`` (our simulator): :func:`grngc.simulate.differentiation_cells`, 100 genes x
  1,000 cells with spliced/unspliced layers (registration 5), preprocessed as the pipeline does (normalize,
  log1p, diffusion pseudotime; the layers normalized as X); all pairs.
* ``beeline_synthetic`` (external): BEELINE's dyn-LI/CY/BF, 2,000 cells, their pseudotime; all pairs.
* ``sim_many_genes`` (our simulator): as ``sim_differentiation`` with 500 genes, the size of real sets.
* ``sim_few_genes`` (our simulator, registration 6): 30 genes x 1,000 cells without the layers, where
  pseudotime orients the network.
* ``sim_dropout`` (our simulator, registration 8): as ``sim_differentiation`` with a capture of 0.03 (about
  half the counts zero: the dropouts of droplet data).

Run: ``python benchmarks/single_cell.py`` (anchors cached in benchmarks/out/single_cell/; ``--fresh``
recomputes). Prints the tables and the commit they ran on.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import single_cell_rules as rules  # noqa: E402
from datasets import SHARED, beeline  # noqa: E402

from grngc.io import read_reference  # noqa: E402
from grngc.evaluate.metrics import candidate_matrix, candidate_set, evaluate_candidates  # noqa: E402
from grngc.timecourse import TimeCourse  # noqa: E402

OUT = Path(__file__).resolve().parent / "out" / "single_cell"
MESC = SHARED / "beeline_experimental" / "mESC"
MESC_NETWORKS = ("string", "nonspecific", "lofgof", "specific")
ANCHORS = ("spearman", "grnboost2", "genie3", "regdiffusion", "ridge", "tigress", "paper", "grngc_bulk")


# ---------------------------------------------------------------- datasets: (tc, [(label, truth, mask)])
def mesc():
    ex = pd.read_csv(MESC / "ExpressionData-TFs500.csv.gz", index_col=0)
    pt = pd.read_csv(MESC / "PseudoTime.csv", index_col=0)
    genes = [str(g) for g in ex.index]
    tc = TimeCourse(ex.T.loc[pt.index].to_numpy(float), genes, pt.iloc[:, 0].to_numpy(float),
                    np.zeros(len(pt), int), "beeline_experimental/mESC")
    sets = []
    for net in MESC_NETWORKS:  # BEELINE's real-data scoring = the "partial" candidate set: its regulators x all genes
        ref = read_reference(MESC / f"network-{net}-TFs500.csv")
        truth = candidate_matrix(ref, tc.genes, column="__present__").astype(bool)
        sets.append((net, truth, candidate_set(ref, tc.genes, "partial")[0]))
    return tc, sets


def simulated_cells(seed: int, p: int = 100, n_cells: int = 1000, **simulator_kw):
    """Our simulator's cells preprocessed as the pipeline does: ``(raw AnnData, preprocessed AnnData, tc,
    truth)``, the truth in ``tc``'s gene order."""
    from grngc.io.expression import timecourse_from_anndata
    from grngc.io.preprocess import PreprocessConfig, preprocess
    from grngc.simulate import differentiation_cells

    adata, sign = differentiation_cells(p=p, n_cells=n_cells, seed=seed, **simulator_kw)
    out, _, _ = preprocess(adata, PreprocessConfig(root="stage=early", seed=seed), source=f"sim(seed={seed})")
    tc = timecourse_from_anndata(out, "time", None, None, source=f"differentiation_cells(p={p}, seed={seed})")
    order = [list(adata.var_names).index(g) for g in tc.genes]
    return adata, out, tc, (sign != 0)[np.ix_(order, order)]


def sim_differentiation(seed: int, p: int = 100, n_cells: int = 1000, velocity: bool = True, **simulator_kw):
    """Our simulator's family data; ``velocity=False`` (registration 6's 30-gene family): no layers;
    ``capture=0.03`` (registration 8's family): dropouts."""
    _, _, tc, truth = simulated_cells(seed, p, n_cells, **{**rules.SIMULATOR_SETTINGS, "velocity": velocity,
                                                           **simulator_kw})
    return tc, [("all pairs", truth, ~np.eye(tc.n_genes, dtype=bool))]


def beeline_synthetic(name: str, rep: int):
    tc, truth = beeline(name, rep)
    return tc, [("all pairs", truth.astype(bool), ~np.eye(tc.n_genes, dtype=bool))]


FAMILY_DATASETS = {
    "mesc": [("mESC", mesc)],
    "sim_differentiation": [(f"sim{rules.SIMULATOR_VERSION}_diff_{s}", lambda s=s: sim_differentiation(s))
                            for s in (201, 202, 203)],
    "beeline_synthetic": [(f"{n}_{r}", lambda n=n, r=r: beeline_synthetic(n, r))
                          for n in ("dyn-LI", "dyn-CY", "dyn-BF") for r in range(3)],
    "sim_many_genes": [(f"sim{rules.SIMULATOR_VERSION}_diff500_{s}", lambda s=s: sim_differentiation(s, p=500))
                       for s in (211, 212, 213)],
    "sim_few_genes": [(f"sim{rules.SIMULATOR_VERSION}_diff30_nolayers_{s}",
                       lambda s=s: sim_differentiation(s, p=30, velocity=False)) for s in (231, 232, 233)],
    "sim_dropout": [(f"sim{rules.SIMULATOR_VERSION}_diff_dropout_{s}",
                     lambda s=s: sim_differentiation(s, **rules.DROPOUT_SETTINGS)) for s in (241, 242, 243)],
}
EXTERNAL = {"mesc": "real", "sim_differentiation": "our simulator", "beeline_synthetic": "external simulation",
            "sim_many_genes": "our simulator, 500 genes", "sim_few_genes": "our simulator, 30 genes, no layers",
            "sim_dropout": "our simulator, dropouts"}


# ---------------------------------------------------------------- methods: tc -> (p, p) scores
def candidate_scores(tc, name: str):
    """Candidate ``name``'s scores on ``tc``, run as the package runs its settings (:func:`cell_mode_settings`):
    the members' networks (grngc.cells.cell_mode_scores; ``{member}&{member}``: the rank mean of two members'
    runs, registration 7), then the direction of grngc.cells.network_direction (velocity where the data have
    the layers, else time up to ``direction_max_genes`` genes)."""
    from grngc.cells import cell_mode_scores, network_direction, orient_by_time
    from grngc.core.combine import consensus_scores

    settings = cell_mode_settings(name)
    specs = name.split("+")[0].split("&")
    if len(specs) > 1 or "neural" in settings["members"]:  # a member (or two) by name, reused across candidates
        nets = [member_scores(tc, spec) for spec in specs]
    else:
        nets = [S for S, _ in cell_mode_scores(tc, settings=settings).values()]
    S = nets[0] if len(nets) == 1 else consensus_scores(nets)
    D, weight, _ = network_direction(tc, settings)
    return orient_by_time(S, D, weight) if weight else S


def spread_powers(part: str) -> tuple[float, float, float, float]:
    """``spread_r{a}_t{b}[_q{q}][_f{g}]`` -> ``(a, b, q, g)``: the regulator's and the target's powers of the
    spread weight, the quantile that floors the target's spread (registration 10; 0: none) and the power of the
    fade where the co-expression is strong (registration 11; 0: none)."""
    a, _, rest = part.removeprefix("spread_r").partition("_t")
    rest, _, g = rest.partition("_f")
    b, _, q = rest.partition("_q")
    return float(a), float(b), float(q or 0.0), float(g or 0.0)


# with --reuse-candidates-from, these are recomputed on each family's first dataset and must equal the reused
# scores bit for bit (the closed form as deployed, the neural member, their rank mean)
REUSE_CHECKED = ("coexpression_c0.03+both_w0.9_upto50+velocity_w0.9", "neural_l0.01+both_w0.9_upto50+velocity_w0.9",
                 "coexpression_c0.03&neural_l0.01+both_w0.9_upto50+velocity_w0.9")


# with --reuse-results-from, these are rerun on each family's first dataset and their AUROC must equal the
# reused ones (registration 8's pick, a 500-gene fold's pick of registration 8, the neural member, an anchor;
# registration 10's pick, which registration 10's own run took from R9_results.tsv unchecked: the default's
# rerun at c44f2c5, R10_default_report.md, reproduced its figures; registration 11's pick, computed by its own run)
REUSE_RESULTS_CHECKED = ("coexpression_c0.03+detection_b0.5+both_w0.9_upto50+velocity_w0.9",
                         "coexpression_c0.03+granger_w0.9_upto200", "neural_l0.01+both_w0.9_upto50+velocity_w0.9",
                         "spearman", "coexpression_c0.03+detection_b0.5+spread_r1.0_t0.5+both_w0.9_upto50+velocity_w0.9",
                         "coexpression_c0.03+detection_b0.5+spread_r1.0_t1.0_q0.25_f16+both_w0.9_upto50+velocity_w0.9")


def reused_results(path: str) -> dict:
    """An earlier run's results.tsv as ``{(dataset, method): rows}``; the default's rows are never reused (it is
    what this run may change)."""
    df = pd.read_csv(path, sep="\t")
    df = df[df.method != "grngc (default)"]
    return {key: part.to_dict("records") for key, part in df.groupby(["dataset", "method"], sort=False)}


def figure_difference(new: list[dict], old: list[dict], figure: str) -> float:
    """The largest difference of ``figure`` (auroc, epr) between two runs' rows of one method on one dataset
    (inf when their networks differ)."""
    key = {r["network"]: r for r in old}
    if len(new) != len(old) or any(r["network"] not in key for r in new):
        return np.inf
    return max(abs(r[figure] - key[r["network"]][figure]) for r in new)


# A reused criterion (AUROC) must be the rerun's within this: below the third decimal the tables show and the
# candidates' differences, above floating-point order: the closed form's rerun differs by 1e-10 on mESC (one
# near-tied pair swapped since 22b72db's in-place |B|), the neural member's by up to 1e-5 (its training's float
# arithmetic on this machine's CPU; EPR, a count of top hits, by up to 2e-3, printed, not checked)
REUSE_TOLERANCE = 1e-4


def cell_mode_settings(name: str) -> dict:
    """The entries of :data:`grngc.cells.CELL_MODE` that candidate ``name`` runs with (the deployed pick must
    be the package's default: tests/test_single_cell_replay.py)."""
    parts = name.split("+")
    out = {"velocity_weight": 0.0, "direction_weight": 0.0, "detection_power": 0.0, "spread_regulator_power": 0.0,
           "spread_target_power": 0.0, "spread_target_floor": 0.0, "spread_fade": 0.0}
    if parts[-1].startswith("velocity_w"):
        out["velocity_weight"] = float(parts.pop().split("_w")[1])
    last = parts[-1].split("_w")[0]
    if last in ("orient", "granger", "both"):
        weight, _, upto = parts.pop().split("_w")[1].partition("_upto")
        out.update(direction_weight=float(weight), direction_estimator={"orient": "lead_lag"}.get(last, last))
        out["direction_max_genes"] = int(upto) if upto else np.inf  # no _upto: time at any size
    if parts[-1].startswith("spread_r"):
        out["spread_regulator_power"], out["spread_target_power"], out["spread_target_floor"], out["spread_fade"] = \
            spread_powers(parts.pop())
    if parts[-1].startswith("detection_b"):
        out["detection_power"] = float(parts.pop().split("_b")[1])
    specs = parts[0].split("&") + parts[1:]
    out["members"] = tuple(spec.split("_c")[0].split("_l")[0] for spec in specs)
    for spec in specs:
        if spec.startswith("coexpression") or spec.startswith("dag_granger_c"):
            out["lambda_factor"] = float(spec.split("_c")[1])
        elif spec.startswith("neural"):
            l1, _, knn = spec.split("_l")[1].partition("_knn")
            out["neural"] = {"l1": float(l1), **({"knn": int(knn)} if knn else {})}
    return out


_MEMBER_CACHE: dict = {}


def member_scores(tc, spec: str):
    """One single-cell member's scores by name (registration 7): ``coexpression_c{c}``, or ``neural_l{l1}``
    with an optional ``_knn{k}`` (grngc.models.adjacency, its other settings at their defaults, seed 0).
    Kept for the dataset at hand: the rank means reuse the members' runs."""
    from grngc.cells import cell_mode_scores

    key = (tc.source, tc.n_samples, tc.n_genes, spec)
    if key not in _MEMBER_CACHE:
        settings = cell_mode_settings(spec)  # the member and its settings; no direction (scores only)
        if _MEMBER_CACHE and next(iter(_MEMBER_CACHE))[:3] != key[:3]:
            _MEMBER_CACHE.clear()  # another dataset: hold one dataset's members only
        _MEMBER_CACHE[key] = next(iter(cell_mode_scores(tc, settings=settings).values()))[0]
    return _MEMBER_CACHE[key]


# the anchors of grngc.methods' registry, with the settings the benchmarks run them at
REGISTRY_ANCHORS = {"spearman": ("correlation", {}), "grnboost2": ("grnboost2", {}), "genie3": ("genie3", {"n_trees": 100}),
                    "ridge": ("ridge", {}), "tigress": ("tigress", {"resamples": 200})}  # tigress: as benchmarks/protocol


def anchor_scores(tc, name: str):
    if name in REGISTRY_ANCHORS:
        from grngc.methods import run_baseline

        method, params = REGISTRY_ANCHORS[name]
        S = run_baseline(method, tc, seed=0, n_jobs=2, **params)
    elif name == "regdiffusion":
        import regdiffusion as rd
        import torch

        torch.set_num_threads(2)
        trainer = rd.RegDiffusionTrainer(tc.X, n_steps=1000, device="cpu", seed=0)
        with open(os.devnull, "w") as quiet, contextlib.redirect_stderr(quiet):  # its progress bar, not the report's
            trainer.train()
        S = np.abs(np.asarray(trainer.get_adj(), float))  # adj[i, j]: i -> j (rows are regulators)
    elif name == "paper":  # the authors' recipe, as --preset paper runs it
        from grngc.core.api import infer_timecourse, make_config

        S = infer_timecourse(tc, make_config(preset="paper", kind="bulk", progress=False)).scores
    elif name == "grngc_bulk":
        from grngc.core.api import infer_timecourse, make_config

        S = infer_timecourse(tc, make_config(kind="bulk", progress=False)).scores
    else:
        raise ValueError(name)
    S = np.array(S, float)
    np.fill_diagonal(S, 0.0)
    return S


def grngc_default(tc, cell_mode: dict | None = None):
    """The default's scores on ``tc``; ``cell_mode`` overrides entries of ``grngc.cells.CELL_MODE``."""
    from unittest import mock

    from grngc.core.api import infer_timecourse, make_config
    from grngc.cells import CELL_MODE

    with mock.patch.dict(CELL_MODE, cell_mode or {}):
        return infer_timecourse(tc, make_config(progress=False)).scores


def direction_check(tc, sets) -> dict:
    """Is the default's direction from time? Its AUROC, that of its scores made symmetric (S + S^T, no
    direction at all), and its AUROC with pseudotime reversed (all pairs of a simulation: the truth has
    directions); with spliced/unspliced layers, also with the two layers swapped (velocity reversed)."""
    S = grngc_default(tc)
    reversed_tc = TimeCourse(tc.X, tc.genes, -np.asarray(tc.time, float), tc.series, tc.source + " (reversed)",
                             tc.velocity)
    nets = {"default": S, "symmetric (S + S^T)": S + S.T, "pseudotime reversed": grngc_default(reversed_tc)}
    if tc.velocity is not None:
        swapped = TimeCourse(tc.X, tc.genes, tc.time, tc.series, tc.source + " (layers swapped)", tc.velocity[::-1])
        nets["spliced/unspliced swapped"] = grngc_default(swapped)
    return {k: float(np.mean([m["auroc"] for m in evaluate(M, sets).values()])) for k, M in nets.items()}


def cached(path: Path, fresh: bool, compute):
    if path.exists() and not fresh:
        d = np.load(path)
        return d["S"], float(d["seconds"])
    t0 = time.perf_counter()
    S = compute()
    sec = time.perf_counter() - t0
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, S=S, seconds=sec)
    return S, sec


def evaluate(S, sets):
    out = {}
    for label, truth, mask in sets:
        m = evaluate_candidates(truth[mask], S[mask])
        out[label] = {"auroc": m["auroc"], "epr": m["epr"]}
    return out


def commit() -> str:
    root = Path(__file__).resolve().parents[1]
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "grngc", "benchmarks"],
                               capture_output=True, text=True).stdout.strip()
        return head + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def code_tree() -> str | None:
    """The git tree of ``grngc/`` and this benchmark at HEAD, or None when either has uncommitted changes: the
    candidates' scores are cached under it (a second pass, e.g. once slow anchors are cached, reuses them)."""
    root = Path(__file__).resolve().parents[1]
    try:
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "grngc", "benchmarks/single_cell.py",
                                "benchmarks/single_cell_rules.py"], capture_output=True, text=True, check=True).stdout
        trees = [subprocess.run(["git", "-C", str(root), "rev-parse", f"HEAD:{d}"], capture_output=True, text=True,
                                check=True).stdout.strip()[:10] for d in ("grngc", "benchmarks")]
    except (OSError, subprocess.CalledProcessError):
        return None
    return None if dirty.strip() else "-".join(trees)


def family_out(table: dict, epr: dict | None = None) -> dict:
    """The pre-registered selection: per held family, the best candidate on the others' mean criterion among
    those whose early precision holds against ``rules.INCUMBENT`` on the same families, on average
    (registration 10) and on each by ``rules.EPR_FAMILY_TOLERANCE`` (registration 11;
    ``epr``: the families' mean EPR per candidate, as ``table``; None: no such check, registrations 1-9)."""
    fams = list(rules.FAMILIES)

    def mean_over(cand, families):
        return float(np.mean([table[f][cand] for f in families]))

    def precision_holds(cand, families):
        if epr is None or cand == rules.INCUMBENT:
            return True
        if not all(epr[f][rules.INCUMBENT] > 0 for f in families):
            raise ValueError(f"{rules.INCUMBENT}: EPR 0 on a family; the early-precision ratio is undefined")
        ratios = [epr[f][cand] / epr[f][rules.INCUMBENT] for f in families]
        on_average = np.mean(ratios) >= 1.0 - rules.EPR_TOLERANCE  # registration 10
        on_each = min(ratios) >= 1.0 - rules.EPR_FAMILY_TOLERANCE  # registration 11: the worst family too
        return bool(on_average and on_each)

    def pick(families):
        best, best_v = None, -np.inf
        for cand in rules.CANDIDATES:  # in order: an exact tie keeps the earlier (simpler) candidate
            if not precision_holds(cand, families):
                continue
            v = mean_over(cand, families)
            if v > best_v + rules.TIE:
                best, best_v = cand, v
        return best

    folds = {held: pick([f for f in fams if f != held]) for held in fams}
    return {"deployed": pick(fams), "folds": folds,
            "held_out": {held: table[held][folds[held]] for held in fams}}


def family_table(df: pd.DataFrame, figure: str) -> dict:
    """``{family: {candidate: figure}}``: a candidate's mean over each dataset's networks, then over the family's
    datasets (as the criterion is averaged)."""
    rows = df[df.method.isin(rules.CANDIDATES)]
    per_dataset = rows.groupby(["family", "dataset", "method"])[figure].mean()
    per_family = per_dataset.groupby(["family", "method"]).mean()
    return {f: {c: float(v) for c, v in per_family[f].items()} for f in per_family.index.get_level_values(0).unique()}


def speed(genes: int = 1000, cells: int = 1000) -> None:
    """Wall time and peak memory of the default on ``genes`` x ``cells`` (random values, random pseudotime:
    the single-cell mode's cost does not depend on the values), without and with spliced/unspliced layers
    (RNA velocity's direction)."""
    import resource

    from grngc.core.api import infer_timecourse, make_config

    rng = np.random.default_rng(0)
    spliced, unspliced = (np.log1p(rng.poisson(lam, (cells, genes)).astype(float)) for lam in (2.0, 0.5))
    names = [f"g{k}" for k in range(genes)]
    for layers in (None, (spliced, unspliced)):
        tc = TimeCourse(spliced + unspliced, names, rng.uniform(0, 1, cells), np.zeros(cells, int), "random", layers)
        t0 = time.perf_counter()
        res = infer_timecourse(tc, make_config(progress=False))
        sec = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 ** 2
        print(f"speed: {genes} genes x {cells} cells{' with velocity layers' if layers else ''}, mode "
              f"{res.record['mode']['mode']}: {sec:.1f} s, peak memory {peak:.2f} GB (commit {commit()})")


def print_tables(df: pd.DataFrame, shown: list[str], directions: list[dict], run_commit: str) -> None:
    """The mESC, per-family and direction tables of ``df`` (rows of results.tsv) for the methods ``shown``."""
    print(f"\n# Single cells (commit {run_commit}; rules: benchmarks/single_cell_rules.py)\n")
    mesc_rows = df[(df.family == "mesc") & df.method.isin(shown)]
    if len(mesc_rows):
        print("## mESC (real), BEELINE's scoring: AUROC / EPR per reference network\n")
        t = mesc_rows.assign(v=mesc_rows.auroc.map("{:.3f}".format) + " / " + mesc_rows.epr.map("{:.2f}".format))
        wide = t.pivot(index="method", columns="network", values="v").reindex(shown)[list(MESC_NETWORKS)]
        wide["mean AUROC"] = mesc_rows.groupby("method").auroc.mean().reindex(shown).map("{:.3f}".format)
        wide["mean EPR"] = mesc_rows.groupby("method").epr.mean().reindex(shown).map("{:.2f}".format)
        wide["seconds"] = mesc_rows.groupby("method").seconds.first().reindex(shown).map("{:.0f}".format)
        print(wide.to_markdown(), "\n")
    print("## Mean AUROC per family (all methods)\n")
    fam = df[df.method.isin(shown)].groupby(["method", "family"]).auroc.mean().unstack().reindex(shown)
    fam.columns = [f"{c} ({EXTERNAL[c]})" for c in fam.columns]
    print(fam.to_markdown(floatfmt=".3f"), "\n")
    print("## Seconds per dataset, mean per family (2 CPU threads unless the run said otherwise)\n")
    sec = df[df.method.isin(shown)].groupby(["method", "family", "dataset"]).seconds.first().groupby(
        ["method", "family"]).mean().unstack().reindex(shown)
    print(sec.to_markdown(floatfmt=".1f"), "\n")
    if directions:
        print("## Direction: the default's AUROC (all pairs), its scores made symmetric, with pseudotime reversed "
              "and (data with velocity layers) with spliced and unspliced swapped\n")
        d = pd.DataFrame(directions)
        print(d.groupby("family").mean(numeric_only=True).to_markdown(floatfmt=".3f"), "\n")
        print(d.to_markdown(index=False, floatfmt=".3f"), "\n")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fresh", action="store_true", help="recompute the cached anchors")
    ap.add_argument("--anchors", default=",".join(ANCHORS), help="comma-separated anchors to run")
    ap.add_argument("--families", default=",".join(rules.FAMILIES))
    ap.add_argument("--cached-only", action="store_true",
                    help="anchors: use cached results only; an anchor not yet run on a dataset is left out there")
    ap.add_argument("--anchors-only", action="store_true",
                    help="only run (and cache) the anchors: no candidates, default, direction check or selection")
    ap.add_argument("--speed", action="store_true", help="only time the default on 1,000 genes x 1,000 cells")
    ap.add_argument("--tables", metavar="TSV[,TSV]",
                    help="print the tables from saved results.tsv files (e.g. a candidates run and an anchors run; "
                         "a method in several keeps its first), computing nothing")
    ap.add_argument("--methods", help="with --tables: the methods to show, comma-separated")
    ap.add_argument("--reuse-results-from", metavar="TSV",
                    help="take a method's figures on a dataset from an earlier run's results.tsv where it holds them "
                         "(candidates and anchors; never the default); a sample (REUSE_RESULTS_CHECKED) is rerun on each "
                         "family's first dataset and must give the same AUROC (within REUSE_TOLERANCE)")
    ap.add_argument("--reuse-candidates-from", metavar="TREE",
                    help="a candidate not yet cached under this code tree takes its scores cached under TREE (an "
                         "earlier code tree whose candidates' code is unchanged in effect; printed per dataset)")
    args = ap.parse_args(argv)
    if args.tables:
        parts = [pd.read_csv(f, sep="\t") for f in args.tables.split(",")]
        seen, keep = set(), []
        for part in parts:
            keep.append(part[~part.method.isin(seen)])
            seen |= set(part.method)
        df = pd.concat(keep, ignore_index=True)
        shown = args.methods.split(",") if args.methods else list(dict.fromkeys(df.method))
        runs = " + ".join(f"{Path(f).name}" for f in args.tables.split(","))
        print_tables(df, shown, [], f"tables of {runs}")
        return 0
    if args.speed:
        speed()
        return 0
    if not SHARED.exists():
        print(f"no benchmark data at {SHARED}")
        return 1
    os.environ.setdefault("OMP_NUM_THREADS", "2")
    anchors = [a for a in args.anchors.split(",") if a]
    rows, crit, directions = [], {f: {} for f in rules.FAMILIES}, []
    tree = code_tree()
    earlier_results = reused_results(args.reuse_results_from) if args.reuse_results_from else {}
    print(f"candidates' scores {'cached under code tree ' + tree if tree else 'not cached (uncommitted changes)'}")
    for family in args.families.split(","):
        per_cand = {c: [] for c in rules.CANDIDATES}
        for name, load in FAMILY_DATASETS[family]:
            tc, sets = load()
            print(f"{family}/{name}: {tc.n_samples} cells x {tc.n_genes} genes", flush=True)
            methods = []
            if not args.anchors_only:
                methods += [(c, lambda c=c: candidate_scores(tc, c), False) for c in rules.CANDIDATES]
                methods += [("grngc (default)", lambda: grngc_default(tc), False)]
            methods += [(a, lambda a=a: anchor_scores(tc, a), True) for a in anchors]
            reused = taken = 0
            for method, compute, cache in methods:
                earlier_rows = earlier_results.get((name, method))
                if earlier_rows and sorted(r["network"] for r in earlier_rows) != sorted(label for label, *_ in sets):
                    raise SystemExit(f"{args.reuse_results_from}: {method} on {name} has the networks "
                                     f"{sorted(r['network'] for r in earlier_rows)}, not this dataset's")
                checked = method in REUSE_RESULTS_CHECKED and name == FAMILY_DATASETS[family][0][0]
                if earlier_results and checked and not earlier_rows:
                    print(f"  {method}: not in {args.reuse_results_from}, computed (nothing to check)")
                if earlier_rows and not checked:  # an earlier run's figures (--reuse-results-from)
                    rows += [{**r, "family": family} for r in earlier_rows]
                    if method in per_cand:
                        per_cand[method].append(np.mean([r[rules.CRITERION] for r in earlier_rows]))
                    taken += 1
                    continue
                if cache and args.cached_only and not (OUT / f"{name}__{method}.npz").exists():
                    print(f"  {method}: not run on {name} (--cached-only)")
                    continue
                if cache:
                    S, sec = cached(OUT / f"{name}__{method}.npz", args.fresh, compute)
                elif tree and method in per_cand:
                    path = OUT / "candidates" / tree / f"{name}__{method}.npz"
                    earlier = OUT / "candidates" / str(args.reuse_candidates_from) / f"{name}__{method}.npz"
                    if args.reuse_candidates_from and not path.exists() and earlier.exists():
                        path, reused = earlier, reused + 1
                    S, sec = cached(path, False, compute)
                    if path == earlier and method in REUSE_CHECKED and name == FAMILY_DATASETS[family][0][0]:
                        same = np.array_equal(S, compute())  # the reused scores are those of today's code
                        print(f"  {method}: reused scores {'bit-identical to' if same else 'DIFFER from'} today's")
                        if not same:
                            raise SystemExit(f"{method} on {name}: the code changed in effect; rerun without "
                                             "--reuse-candidates-from")
                else:
                    t0 = time.perf_counter()
                    S = compute()
                    sec = time.perf_counter() - t0
                res = evaluate(S, sets)
                new_rows = [{"family": family, "dataset": name, "network": label, "method": method,
                             "auroc": m["auroc"], "epr": m["epr"], "seconds": sec} for label, m in res.items()]
                if earlier_rows:  # a checked sample of --reuse-results-from
                    diff = figure_difference(new_rows, earlier_rows, rules.CRITERION)
                    same = diff <= REUSE_TOLERANCE
                    print(f"  {method}: rerun, {rules.CRITERION} {'equal to' if same else 'DIFFERS from'} the reused "
                          f"run's within {REUSE_TOLERANCE:g} (largest difference {diff:.1e}; EPR "
                          f"{figure_difference(new_rows, earlier_rows, 'epr'):.1e})")
                    if not same:
                        raise SystemExit(f"{method} on {name}: the code changed in effect; rerun without "
                                         "--reuse-results-from")
                rows += new_rows
                if method in per_cand:
                    per_cand[method].append(np.mean([m[rules.CRITERION] for m in res.values()]))
            if reused:
                print(f"  {reused} candidate(s) scored under code tree {args.reuse_candidates_from} (reused)")
            if taken:
                print(f"  {taken} method(s)' figures and seconds taken from {args.reuse_results_from}")
            if family != "mesc" and not args.anchors_only:  # simulations: the truth has directions
                directions.append({"family": family, "dataset": name, **direction_check(tc, sets)})
        for c, v in per_cand.items():
            if v:
                crit[family][c] = float(np.mean(v))
    df = pd.DataFrame(rows)
    OUT.mkdir(parents=True, exist_ok=True)
    df.to_csv(OUT / "results.tsv", sep="\t", index=False)
    if directions:
        pd.DataFrame(directions).to_csv(OUT / "directions.tsv", sep="\t", index=False)
    shown = ([] if args.anchors_only else ["grngc (default)"]) + anchors
    print_tables(df, shown, directions, commit())
    if not args.anchors_only and all(crit[f] for f in rules.FAMILIES):
        epr = family_table(df, rules.EARLY_PRECISION)
        sel = family_out(crit, epr)
        print("## Family-out choice of the single-cell mode (pre-registered rules)\n")
        print(f"deployed (all families): {sel['deployed']}")
        for held, c in sel["folds"].items():
            print(f"- held {held} ({EXTERNAL[held]}): picked {c} on the others, held-out mean AUROC "
                  f"{sel['held_out'][held]:.3f}")
        print("\ncandidates' mean AUROC per family (development figures):\n")
        print(pd.DataFrame(crit).reindex(list(rules.CANDIDATES)).to_markdown(floatfmt=".3f"))
        print("\ncandidates' mean EPR per family and its mean ratio to the incumbent's (registration 10's check):\n")
        table = pd.DataFrame(epr).reindex(list(rules.CANDIDATES))
        table["mean ratio to incumbent"] = (table / table.loc[rules.INCUMBENT]).mean(axis=1)
        print(table.to_markdown(floatfmt=".3f"))
        (OUT / "selection.json").write_text(json.dumps({"commit": commit(), **sel, "criterion": crit,
                                                        "early_precision": epr}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
