"""The presets are what the pre-registered bulk protocol picks.

Registration R2's rules and its cost table are committed (benchmarks/protocol/rules.py, results/R2_cost.*);
its accuracy run has not reported yet, so the default is still R1's pick: replaying R1's committed table
gives both the default and the consensus preset (R1's pick under its own name). When R2's tables land,
the default becomes R2's pick and this file replays it (issue 37)."""
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from protocol import candidates, cost, deploy, report, results, rules  # noqa: E402  (no silent skip)
from protocol import selection  # noqa: E402

from grngc.presets import (CONSENSUS_COMBINE, CONSENSUS_MEMBERS, DEFAULT_COMBINE, DEFAULT_MEMBERS,  # noqa: E402
                           PRESETS)

ROOT = Path(__file__).resolve().parents[1]


def _as_set(members) -> set[str]:
    return {str(sorted((k, v) for k, v in m.items() if k != "max_genes")) for m in members}


def test_replaying_r1s_table_gives_the_consensus_preset_and_todays_default():
    table = results.load("auroc", registration="R1")
    picked = selection.pick(table, rules.FAMILIES)  # as R1 picked: every row of its table
    assert picked == rules.CONSENSUS
    assert _as_set(deploy.preset_members(picked)) == _as_set(CONSENSUS_MEMBERS) == _as_set(DEFAULT_MEMBERS)
    assert deploy.preset_combine(picked) == CONSENSUS_COMBINE == PRESETS["consensus"]["combine"] == DEFAULT_COMBINE
    r1 = results.meta("R1")
    rules_then = subprocess.run(["git", "-C", str(ROOT), "show", f"{r1['rules_commit']}:benchmarks/protocol/rules.py"],
                                capture_output=True, text=True, check=True).stdout
    assert 'REGISTRATION = "R1"' in rules_then and '"genie3", "tigress")' in rules_then


def test_r2s_cost_table_was_made_under_its_committed_rules():
    meta, seconds = cost.load_meta(), cost.load()
    assert meta["registration"] == rules.REGISTRATION == "R2"
    assert meta["rules_commit"] == report.rules_commit()  # rules changed after the cost run: a new registration
    assert set(seconds.index) == set(candidates.single_methods())
    assert meta["budget_seconds"] == round(rules.COST_BUDGET * seconds[rules.COST_REFERENCE], 2)
    admissible = cost.admissible(candidates.pool(), seconds)
    assert admissible and not {m for c in admissible for m in candidates.members_of(c)} & set(rules.COMPARED)


def test_the_accuracy_page_prints_external_and_simulated_families_apart():
    page = (ROOT / "docs" / "accuracy.md").read_text()
    table = results.load("auroc", registration="R1")
    fo = selection.family_out(table, rules.FAMILIES).set_index("family")["figure"]
    assert "pre-registered protocol R1" in page and results.meta("R1")["run_commit"] in page
    for label in ("MEAN external", "MEAN our simulator", "MEAN all", "WORST"):
        assert f"| {label} |" in page
    assert f"external {fo[list(rules.EXTERNAL)].mean():.3f}" in page and f"all {fo.mean():.3f}" in page
