"""The default preset is what the pre-registered bulk protocol picks: replaying the committed results
table of registration R1 (benchmarks/protocol/results/) gives the default's members exactly, and the
rules have not changed since that table was made."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from protocol import deploy, report, results, rules, selection  # noqa: E402  (no silent skip)

from grngc.presets import DEFAULT_COMBINE, DEFAULT_MEMBERS, PRESETS  # noqa: E402


def _as_set(members) -> set[str]:
    return {str(sorted((k, v) for k, v in m.items() if k != "max_genes")) for m in members}


def test_replaying_the_results_table_gives_the_default_preset():
    table = results.load("auroc")
    assert results.missing(table) == []  # every candidate and anchor on every family
    deployed = selection.replay(table)["deployed"]
    assert _as_set(deploy.preset_members(deployed)) == _as_set(DEFAULT_MEMBERS)
    assert deploy.preset_combine(deployed) == DEFAULT_COMBINE == PRESETS["default"]["combine"]
    assert selection.pick(table, rules.FAMILIES) == deployed


def test_the_results_table_was_made_under_the_committed_rules():
    meta = results.meta()
    assert meta["registration"] == rules.REGISTRATION
    assert meta["rules_commit"] == report.rules_commit()  # rules changed after the run: a new registration


def test_the_accuracy_page_prints_external_and_simulated_families_apart():
    page = (Path(__file__).resolve().parents[1] / "docs" / "accuracy.md").read_text()
    table = results.load("auroc")
    rep = selection.replay(table)
    assert f"pre-registered protocol {rules.REGISTRATION}" in page and meta_commit() in page
    for label in ("MEAN external", "MEAN our simulator", "MEAN all", "WORST"):
        assert f"| {label} |" in page
    assert f"external {rep['external']:.3f}" in page and f"all {rep['mean']:.3f}" in page


def meta_commit() -> str:
    return results.meta()["run_commit"]
