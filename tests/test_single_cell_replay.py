"""The single-cell mode's settings are what the pre-registered single-cell protocol picks: replaying the
committed criterion table of registration 10 (benchmarks/single_cell_results/) under the rules of
benchmarks/single_cell_rules.py gives grngc.cells.CELL_MODE, and that table was made after those rules
were committed."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import single_cell  # noqa: E402  (an import error must fail, not skip)
import single_cell_rules as rules  # noqa: E402

from grngc.cells import CELL_MODE  # noqa: E402
from grngc.models.adjacency import ADJACENCY  # noqa: E402

RECORD = ROOT / "benchmarks" / "single_cell_results" / "R10_selection.json"


def _record() -> dict:
    return json.loads(RECORD.read_text())


def test_the_table_holds_every_registered_candidate_on_every_family():
    crit = _record()["criterion"]
    assert sorted(crit) == sorted(rules.FAMILIES)
    for family in rules.FAMILIES:
        assert set(crit[family]) == set(rules.CANDIDATES), family


def test_replaying_the_table_gives_the_recorded_choice_and_the_package_default():
    rec = _record()
    sel = single_cell.family_out(rec["criterion"], rec["early_precision"])  # early precision checked (registration 10)
    assert sel["deployed"] == rec["deployed"] and sel["folds"] == rec["folds"]
    settings = single_cell.cell_mode_settings(sel["deployed"])
    for key, value in settings.items():
        if key == "neural":
            assert {**ADJACENCY, **CELL_MODE["neural"]} == {**ADJACENCY, **value}
        else:
            assert CELL_MODE[key] == value, key
    if "neural" not in settings["members"]:
        assert not CELL_MODE["neural"]  # no neural settings where the member does not run


def test_the_run_came_after_the_rules_were_committed():
    rec = _record()
    rules_commit = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h", "--",
                                   "benchmarks/single_cell_rules.py"], capture_output=True, text=True,
                                  check=True).stdout.strip()
    # the rules' last change is an ancestor of (or is) the commit the run reports
    ok = subprocess.run(["git", "-C", str(ROOT), "merge-base", "--is-ancestor", rules_commit, rec["commit"]])
    assert ok.returncode == 0, (rules_commit, rec["commit"])
    assert "(10)" in (ROOT / "benchmarks" / "single_cell_rules.py").read_text()


def test_the_early_precision_rule_is_what_turns_the_choice_from_the_best_auroc():
    """Registration 10: by AUROC alone the table picks a candidate that lowers early precision on average
    (a = b = 1 with the target floored at q 0.25); with the rule, the pick keeps the incumbent's mean EPR
    ratio at 1 or above."""
    rec = _record()
    by_auroc = single_cell.family_out(rec["criterion"])["deployed"]
    assert by_auroc == "coexpression_c0.03+detection_b0.5+spread_r1.0_t1.0_q0.25+both_w0.9_upto50+velocity_w0.9"
    epr = rec["early_precision"]

    def ratio(cand):
        return sum(epr[f][cand] / epr[f][rules.INCUMBENT] for f in rules.FAMILIES) / len(rules.FAMILIES)

    assert ratio(by_auroc) < 1.0 - rules.EPR_TOLERANCE <= ratio(rec["deployed"])
