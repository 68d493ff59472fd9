r"""Every way grngc combines networks, in one place: the models of one run (seeds), the members of an
ensemble, the pipeline's jobs (one per seed) and the methods of a comparison (consensus).

* **Seeds** (:func:`seed_mean`): each model's scores divided by their off-diagonal mean
  (:func:`relative_scale`), then averaged, so that no seed dominates by scale alone.
* **Members, jobs, methods** (:func:`consensus_scores`, :func:`rank_mean`, :func:`aggregate_runs`):
  the mean rank (Borda), :math:`C_{ij} = 1 - \bar r_{ij} / n` over the :math:`n` off-diagonal pairs;
  with ``combine="shares"`` each network first becomes per-target shares (:func:`per_target_shares`).
  Ranks make networks on different scales count equally.
* **Signs** (:func:`run_signs`, :func:`vote_signs`, :func:`combine_signs`) and **lags**
  (:func:`edge_attributes`) travel with them: signs vote, weighted by how clearly each run's windows
  agree; an edge's lag is the one most runs gave it.
"""
from __future__ import annotations

import itertools

import numpy as np
import pandas as pd


def relative_scale(scores: np.ndarray) -> float:
    """A model's mean score over the off-diagonal pairs: every model's scores (and its per-slot and signed
    gradients) are divided by it, so that no seed or member dominates by scale alone."""
    return max(float(scores[~np.eye(len(scores), dtype=bool)].mean()), 1e-12)


def seed_mean(scores: list[np.ndarray]) -> np.ndarray:
    """The models of one run (seeds) as one network: each divided by :func:`relative_scale`, then averaged."""
    return np.mean([S / relative_scale(S) for S in scores], axis=0)


def descending_ranks(v: np.ndarray) -> np.ndarray:
    """``scipy.stats.rankdata(-v)`` (rank 1 = the largest value, tied values share their average rank),
    with fewer temporary arrays: one sort, one permutation and the tie groups."""
    order = np.argsort(v, kind="stable")[::-1]
    sorted_v = v[order]
    starts_group = np.empty(len(v), dtype=bool)
    starts_group[:1] = True
    np.not_equal(sorted_v[1:], sorted_v[:-1], out=starts_group[1:])
    del sorted_v
    starts = np.flatnonzero(starts_group)
    del starts_group
    sizes = np.diff(starts, append=len(v))
    # a group at sorted positions start .. start + size - 1 has ranks start + 1 .. start + size
    ranks = np.empty(len(v))
    ranks[order] = np.repeat(starts + (sizes + 1) / 2.0, sizes)
    return ranks


def consensus_scores(matrices: list[np.ndarray]) -> np.ndarray:
    """Mean-rank (Borda) consensus of several ``(p, p)`` score matrices:
    ``C_ij = 1 - mean_k rank_k(i, j) / n`` over the ``n`` off-diagonal pairs (rank 1 = the best pair).
    Ranks are summed one matrix at a time, so that memory holds one matrix's ranks, not all of them
    (10,000 genes: 10^8 pairs, 0.8 GB per rank array)."""
    p = matrices[0].shape[0]
    off = ~np.eye(p, dtype=bool)
    n = int(off.sum())
    mean_rank = np.zeros(n)
    for M in matrices:
        mean_rank += descending_ranks(np.asarray(M)[off])
    mean_rank /= len(matrices) * n
    out = np.zeros((p, p))
    out[off] = 1.0 - mean_rank
    return out


def per_target_shares(M: np.ndarray) -> np.ndarray:
    """Each target's scores as shares of that target's total, ``|M_ij| / sum_k |M_kj|`` (diagonal
    excluded; a target whose scores are all 0 stays 0).

    Models score targets on different scales (a target with a large forecasting gradient outranks
    every edge of a quiet one); shares put every target on the same footing before networks are
    ranked together, as GENIE3's per-target importances (which sum to 1) are.
    """
    A = np.abs(np.asarray(M, dtype=float)).copy()
    np.fill_diagonal(A, 0.0)
    total = A.sum(axis=0, keepdims=True)
    return np.divide(A, total, out=np.zeros_like(A), where=total > 0)


def rank_mean(scores: list[np.ndarray], constant: np.ndarray, combine: str = "rank") -> np.ndarray:
    """The members' networks averaged by rank (Borda, :func:`consensus_scores`, in
    [0, 1)); with ``combine="shares"`` each network is first made per-target shares
    (:func:`per_target_shares`: ``|S_ij| / sum_k |S_kj|``). Genes flagged ``constant``
    score 0, as in one model."""
    if combine == "shares":
        scores = [per_target_shares(S) for S in scores]
    out = consensus_scores(scores)
    out[constant, :] = out[:, constant] = 0.0
    return out


def run_signs(runs) -> tuple[np.ndarray, np.ndarray] | None:
    """The sign of each edge (+1 activation, -1 repression): the sign of the mean signed gradient over the
    runs (each scaled by :func:`relative_scale`), and the fraction of windows that agree with it."""
    if not runs or any(r.signed is None for r in runs):
        return None
    signed = np.mean([r.signed / relative_scale(r.scores) for r in runs], axis=0)
    positive = np.mean([r.positive for r in runs], axis=0)
    sign = np.sign(signed)
    return sign, np.where(sign > 0, positive, 1.0 - positive)


def combine_signs(results: list) -> tuple[np.ndarray, np.ndarray] | tuple[None, None]:
    """Ensemble signs: the members that have signs vote (:func:`vote_signs`); a forest's
    importances have none."""
    signed = [r for r in results if r.signs is not None]
    if not signed:
        return None, None
    return vote_signs([r.signs for r in signed], [r.sign_agreement for r in signed])


def vote_signs(signs: list[np.ndarray], agreements: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """One sign per edge from several runs or members.

    .. math::
        s = \\operatorname{sign} \\sum_r s_r (2 a_r - 1), \\qquad
        a = \\frac{1}{R} \\sum_r \\begin{cases} a_r & s_r = s \\\\ 1 - a_r & \\text{otherwise} \\end{cases}

    where ``s_r`` is run ``r``'s sign and ``a_r`` the fraction of its windows with that sign: a run whose
    windows split evenly does not vote, and ``a`` is the runs' mean agreement with the chosen sign
    (0 where the vote ties, with sign 0)."""
    vote = sum(s * (2 * a - 1) for s, a in zip(signs, agreements))
    sign = np.sign(vote)
    agreement = np.mean([np.where(s == sign, a, 1 - a) for s, a in zip(signs, agreements)], axis=0)
    return sign, np.where(sign == 0, 0.0, agreement)


def edge_attributes(edge_lists: dict[str, pd.DataFrame], genes: list[str]) -> dict[str, np.ndarray]:
    """``(p, p)`` matrices of the runs' combined ``sign`` and ``sign_agreement`` (when every run has them,
    :func:`vote_signs`) and ``lag`` (when every run has one: the lag most runs gave, the shorter on ties)."""
    from ..evaluate.metrics import candidate_matrix

    lists = list(edge_lists.values())
    out = {}
    if all("sign" in e and "sign_agreement" in e for e in lists):
        out["sign"], out["sign_agreement"] = vote_signs([candidate_matrix(e, genes, "sign") for e in lists],
                                                        [candidate_matrix(e, genes, "sign_agreement") for e in lists])
    if all("lag" in e for e in lists):
        lags = np.stack([candidate_matrix(e, genes, "lag") for e in lists]).astype(int)  # 0: pair not listed
        counts = np.stack([(lags == v).sum(0) for v in range(lags.max() + 1)])
        counts[0] = 0  # a missing pair is no vote
        out["lag"] = counts.argmax(0)  # argmax takes the first (shortest) lag among ties
    return out


def aggregate_runs(edge_lists: dict[str, pd.DataFrame], genes: list[str], top_k: int | None = None):
    """Mean-rank scores ``(p, p)`` over runs and the pairwise top-``k`` Jaccard table."""
    from ..evaluate.metrics import candidate_matrix, topk_jaccard

    mats = {name: candidate_matrix(e, genes) for name, e in edge_lists.items()}
    scores = consensus_scores(list(mats.values())) if len(mats) > 1 else next(iter(mats.values()))
    k = top_k or len(genes)
    rows = [{"run_a": a, "run_b": b, "top_k": k, "jaccard": topk_jaccard(mats[a], mats[b], k, genes)}
            for a, b in itertools.combinations(mats, 2)]
    return scores, pd.DataFrame(rows, columns=["run_a", "run_b", "top_k", "jaccard"])
