"""From cached scores to the results table: every single method and every rank mean of the pool on
every dataset (AUROC, AUPRC), then the ``methods x families`` tables the selection reads. The tables of
a reporting run are committed under ``benchmarks/protocol/results/`` (small), so that the selection can
be replayed without the cache (``tests/test_protocol_replay.py``)."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from . import cache, candidates, rules

RESULTS = Path(__file__).resolve().parent / "results"


def registration_names() -> list[str]:
    """Every name a registration table has a row for: the pool's candidates, then the anchors."""
    return list(dict.fromkeys([*candidates.pool(), *rules.ANCHORS]))


def singles_of(names) -> list[str]:
    """The single methods that ``names`` (candidates or anchors, some of them rank means) need computed."""
    return list(dict.fromkeys(m for n in names for m in candidates.members_of(n)))


def dataset_rows(out: Path, families=rules.FAMILIES, names=None) -> pd.DataFrame:
    """One row per (family, dataset, method): ``names`` (default: the pool's candidates and the anchors)
    where every single method they need is cached (others are left out: the caller checks completeness)."""
    from datasets import FAMILIES
    from grngc.core.combine import consensus_scores, per_target_shares
    from grngc.evaluate.metrics import evaluate_scores

    names = registration_names() if names is None else list(names)
    singles = singles_of(names)
    rows = []
    for fam in families:
        for dataset, load in FAMILIES[fam]:
            files = {m: cache.score_file(out, m, dataset) for m in singles}
            have = {m: cache.load_scores(f) for m, f in files.items() if f.exists()}
            if not have:
                continue
            truth = cache.load_dataset(out, dataset, load)[1]
            shares = {m: per_target_shares(S) for m, (S, _) in have.items()}
            for name in names:
                members = candidates.members_of(name)
                if not all(m in have for m in members):
                    continue
                if len(members) == 1:
                    S = have[name][0]
                else:
                    src = shares if candidates.uses_shares(name) else {m: have[m][0] for m in members}
                    S = consensus_scores([src[m] for m in members])
                m = evaluate_scores(S, truth)
                rows.append({"family": fam, "dataset": dataset, "method": name, "auroc": m["auroc"],
                             "auprc": m["auprc"], "seconds": sum(have[x][1] for x in members)})
    return pd.DataFrame(rows)


def family_table(rows: pd.DataFrame, metric: str) -> pd.DataFrame:
    """``methods x families``: the mean of ``metric`` over each family's datasets, in pool order."""
    t = rows.pivot_table(index="method", columns="family", values=metric, aggfunc="mean")
    order = registration_names()
    return t.reindex([m for m in order if m in t.index])[[f for f in rules.FAMILIES if f in t.columns]]


def missing(table: pd.DataFrame, need=None) -> list[str]:
    """What keeps ``table`` from being a complete registration table (empty when complete): ``need``
    (default: every candidate and anchor) on every family."""
    gaps = [f"family {f}" for f in rules.FAMILIES if f not in table.columns]
    need = registration_names() if need is None else list(need)
    gaps += [f"method {m}" for m in need if m not in table.index]
    if not gaps:
        gaps += [f"{m} on {f}" for m in need for f in rules.FAMILIES if pd.isna(table.loc[m, f])]
    return gaps


def incomplete(rows: pd.DataFrame, n_datasets: dict[str, int]) -> list[str]:
    """``method on family`` for every method whose family figure would average fewer datasets than the
    family has (``n_datasets``): a family mean over part of a family is not that family's figure."""
    counts = rows.groupby(["method", "family"]).dataset.nunique()
    return [f"{m} on {f} ({k} of {n_datasets[f]} datasets)" for (m, f), k in counts.items() if k < n_datasets[f]]


def save(tables: dict[str, pd.DataFrame], meta: dict) -> None:
    RESULTS.mkdir(exist_ok=True)
    for metric, t in tables.items():
        t.to_csv(RESULTS / f"{rules.REGISTRATION}_{metric}.tsv", sep="\t", float_format="%.5f")
    (RESULTS / f"{rules.REGISTRATION}.json").write_text(json.dumps(meta, indent=1) + "\n")


def load(metric: str = rules.CRITERION, registration: str = rules.REGISTRATION) -> pd.DataFrame:
    """The committed table of a registration (FileNotFoundError before its reporting run)."""
    return pd.read_csv(RESULTS / f"{registration}_{metric}.tsv", sep="\t", index_col=0)


def meta(registration: str = rules.REGISTRATION) -> dict:
    return json.loads((RESULTS / f"{registration}.json").read_text())
