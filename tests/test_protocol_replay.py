"""The presets are what the pre-registered bulk protocol picks: replaying the committed results and cost
tables of registration R2 (benchmarks/protocol/results/) gives the default's members exactly, under
the rules committed before that run; replaying R1's table gives the consensus preset."""
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from protocol import candidates, cost, deploy, report, results, rules, selection  # noqa: E402  (no silent skip)

from grngc.core.presets import (CONSENSUS_COMBINE, CONSENSUS_MEMBERS, DEFAULT_COMBINE, DEFAULT_MEMBERS,  # noqa: E402
                           PRESETS)

ROOT = Path(__file__).resolve().parents[1]


def _as_set(members) -> set[str]:
    return {str(sorted((k, v) for k, v in m.items() if k != "max_genes")) for m in members}


def test_replaying_the_r2_tables_gives_the_default_preset():
    table, seconds = results.load("auroc"), cost.load()
    need = [*cost.admissible(candidates.pool(), seconds), *rules.ANCHORS]
    assert results.missing(table, need) == []  # every admissible candidate and anchor on every family
    deployed = selection.replay(table, seconds)["deployed"]
    assert _as_set(deploy.preset_members(deployed)) == _as_set(DEFAULT_MEMBERS)
    assert deploy.preset_combine(deployed) == DEFAULT_COMBINE == PRESETS["default"]["combine"]
    assert cost.candidate_seconds(deployed, seconds) <= rules.COST_BUDGET * seconds["genie3"]


def test_the_default_contains_no_method_it_is_compared_with():
    models = {m["model"] for m in DEFAULT_MEMBERS}
    assert not models & {"genie3", "grnboost2", "tigress", "correlation", "spearman"}


def test_the_r2_tables_were_made_under_the_committed_rules_and_the_cost_run_came_first():
    meta, cost_meta = results.meta(), cost.load_meta()
    assert meta["registration"] == cost_meta["registration"] == rules.REGISTRATION == "R2"
    assert meta["rules_commit"] == cost_meta["rules_commit"] == report.rules_commit()  # else a new registration
    # the cost table was committed before the accuracy table existed
    def first_commit(path):
        return subprocess.run(["git", "-C", str(ROOT), "log", "--diff-filter=A", "--format=%ct", "--", path],
                              capture_output=True, text=True, check=True).stdout.split()[-1]
    assert int(first_commit("benchmarks/protocol/results/R2_cost.tsv")) <= int(
        first_commit("benchmarks/protocol/results/R2_auroc.tsv"))


def test_replaying_r1s_table_gives_the_consensus_preset():
    table = results.load("auroc", registration="R1")
    picked = selection.pick(table, rules.FAMILIES)  # as R1 picked: every row of its table
    assert picked == rules.CONSENSUS
    assert _as_set(deploy.preset_members(picked)) == _as_set(CONSENSUS_MEMBERS)
    assert deploy.preset_combine(picked) == CONSENSUS_COMBINE == PRESETS["consensus"]["combine"]
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
    rep = selection.replay(results.load("auroc"), cost.load())
    assert f"pre-registered protocol {rules.REGISTRATION}" in page and results.meta()["run_commit"] in page
    for label in ("MEAN external", "MEAN our simulator", "MEAN all", "WORST"):
        assert f"| {label} |" in page
    assert f"external {rep['external']:.3f}" in page and f"all {rep['mean']:.3f}" in page
    assert f"**{rep['deployed']}**" in page and "default / GENIE3 time:" in page


def test_the_readme_accuracy_line_is_r2s_family_out_table_and_names_the_defaults_members():
    readme = (ROOT / "README.md").read_text()
    rep = selection.replay(results.load("auroc"), cost.load())
    fo = selection.family_out(selection.eligible(results.load("auroc"), cost.load()), rules.FAMILIES)
    worst = min(results.load("auroc").loc[c, f] for f, c in zip(fo["family"], fo["chosen"]))
    meta = results.meta()
    assert f"registration {meta['registration']}" in readme and meta["run_commit"] in readme
    assert f"| 9 external (DREAM3/4, BEELINE, E. coli SOS, CausalTime) | {rep['external']:.3f} |" in readme
    assert f"| 6 from our simulator | {rep['simulated']:.3f} |" in readme
    assert f"| all 15 | {rep['mean']:.3f} |" in readme and f"| worst family | {worst:.3f} |" in readme
    assert "**ridge VAR**" in readme and "`mlp-masked`" in readme  # the default's members, by name
    assert {m["model"] for m in DEFAULT_MEMBERS} == {"ridge", "mlp-masked"}
