"""The bulk protocol's pre-registered selection (benchmarks/protocol): a held family never reaches its
own pick, ties go to the simpler candidate, and the pool is what the rules say."""
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from protocol import candidates, rules, selection  # noqa: E402  (an import error must fail, not skip)


def _table(seed: int, n_cands: int = 8, grid: float = 0.01) -> pd.DataFrame:
    """Figures on a coarse grid in a narrow band, so that family means often tie and the tie-break decides."""
    rng = np.random.default_rng(seed)
    values = np.round(rng.uniform(0.60, 0.64, (n_cands, len(rules.FAMILIES))) / grid) * grid
    return pd.DataFrame(values, index=[f"c{k}" for k in range(n_cands)], columns=list(rules.FAMILIES))


def _leaky_family_out(table, families):
    """A mutation: each fold's pick on every family, the held one included."""
    return pd.DataFrame([{"family": f, "chosen": selection.pick(table, families), "figure": table.loc[
        selection.pick(table, families), f]} for f in families])


def _held_family_moves_its_pick(family_out, seeds=range(10)) -> bool:
    for seed in seeds:
        table = _table(seed)
        before = family_out(table, rules.FAMILIES).set_index("family")["chosen"]
        rng = np.random.default_rng(100 + seed)
        for f in rules.FAMILIES:
            changed = table.copy()
            changed[f] = np.round(rng.uniform(0.0, 1.0, len(table)), 2)
            after = family_out(changed, rules.FAMILIES).set_index("family")["chosen"]
            if after[f] != before[f]:
                return True
    return False


def test_the_held_family_never_reaches_its_own_pick_and_a_leak_is_caught():
    assert not _held_family_moves_its_pick(selection.family_out)
    assert _held_family_moves_its_pick(_leaky_family_out)


def test_family_out_figure_is_the_held_familys_figure_of_the_pick_on_the_others():
    table = _table(3, grid=1e-6)
    fo = selection.family_out(table, rules.FAMILIES).set_index("family")
    for f in rules.FAMILIES:
        others = [g for g in rules.FAMILIES if g != f]
        best = table[others].mean(axis=1).idxmax()  # no ties at this resolution: numpy's argmax agrees
        assert fo.loc[f, "chosen"] == best and fo.loc[f, "figure"] == table.loc[best, f]


def test_a_tie_goes_to_the_earlier_candidate():
    table = pd.DataFrame({"F1": [0.6, 0.7, 0.7], "F2": [0.6, 0.7, 0.7]}, index=["simple", "middle", "complex"])
    assert selection.pick(table, ["F1", "F2"]) == "middle"
    assert selection.pick(table.iloc[::-1], ["F1", "F2"]) == "complex"  # order, not name, decides
    table.loc["complex", "F1"] += 1e-12  # within the tie tolerance: still a tie
    assert selection.pick(table, ["F1", "F2"]) == "middle"


def test_the_pool_is_the_registered_one():
    pool = candidates.pool()
    assert pool[:len(rules.MEMBERS)] == list(rules.MEMBERS) and len(set(pool)) == len(pool)
    n = len(rules.MEMBERS)
    pairs, triples = n * (n - 1) // 2, n * (n - 1) * (n - 2) // 6
    assert len(pool) == n + 2 * (pairs + triples)
    assert all(set(candidates.members_of(c)) <= set(rules.MEMBERS) for c in pool)
    assert not set(rules.COMPARED) & {m for c in pool for m in candidates.members_of(c)}  # R2: no baseline inside
    assert set(rules.EXTERNAL) | set(rules.SIMULATED) == set(rules.FAMILIES)
    assert not set(rules.EXTERNAL) & set(rules.SIMULATED)


def test_the_consensus_anchor_is_r1s_pick_with_genie3_inside():
    from protocol import deploy

    consensus = ({"model": "ridge", "lag": 1, "target": "level"}, {"model": "genie3"},
                 {"model": "mlp-per-target", "hidden": 16, "same_time": True, "target": "delta", "lag": 1})
    assert sorted(map(str, deploy.preset_members(rules.CONSENSUS))) == sorted(map(str, consensus))
    assert deploy.preset_combine(rules.CONSENSUS) == "shares"
    assert rules.CONSENSUS in rules.ANCHORS and rules.CONSENSUS not in candidates.pool()


def test_the_cost_rule_admits_by_the_sum_of_members_against_half_genie3():
    from protocol import cost

    seconds = pd.Series({"genie3": 40.0, "ridge": 0.1, "linear_lag1": 12.0, "mlp": 15.0, "kan_lag1_level": 25.0})
    assert cost.budget(seconds) == 20.0
    names = ["ridge", "linear_lag1", "mlp", "kan_lag1_level", "ridge+linear_lag1", "linear_lag1+mlp",
             "ridge+mlp/shares"]
    assert cost.admissible(names, seconds) == ["ridge", "linear_lag1", "mlp", "ridge+linear_lag1", "ridge+mlp/shares"]
    table = pd.DataFrame({f: [0.9, 0.5, 0.6] for f in rules.FAMILIES},
                         index=["kan_lag1_level", "ridge", "genie3"])
    # the best row is over budget and genie3 is an anchor, not a candidate: neither can be picked
    assert selection.replay(table.loc[["kan_lag1_level", "ridge"]], seconds)["deployed"] == "ridge"
    assert list(selection.eligible(table, seconds).index) == ["ridge"]


def test_a_family_figure_over_part_of_its_datasets_is_reported_incomplete():
    from protocol import results

    rows = pd.DataFrame({"method": ["a", "a", "b"], "family": ["F", "F", "F"], "dataset": ["d1", "d2", "d1"]})
    assert results.incomplete(rows, {"F": 2}) == ["b on F (1 of 2 datasets)"]
    assert results.incomplete(rows[rows.method == "a"], {"F": 2}) == []
