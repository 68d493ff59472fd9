"""The protocol's tables in Markdown: family-out figures with external families apart from our
simulator's, the anchors beside them on the same files and scorer, and ``docs/accuracy.md``."""
from __future__ import annotations

import subprocess

import pandas as pd

from . import candidates, rules, selection
from .cache import ROOT, code_version

KIND = {**{f: "external" for f in rules.EXTERNAL}, **{f: "our simulator" for f in rules.SIMULATED}}
ANCHOR_LABELS = {"genie3": "GENIE3", "tigress": "TIGRESS", "ridge": "Granger ridge", "paper": "paper recipe",
                 "spearman": "correlation", rules.CONSENSUS: "consensus preset"}
RULE_FILES = ("benchmarks/protocol/rules.py", "benchmarks/protocol/candidates.py", "benchmarks/protocol/cost.py")


def git(*args) -> str:
    try:
        return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def commit() -> str:
    head = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "grngc", "benchmarks")
    return head + (" (with uncommitted changes)" if dirty else "")


def rules_commit() -> str:
    """The commit that last changed the registration's rules ('' when they have uncommitted changes)."""
    if git("status", "--porcelain", *RULE_FILES):
        return ""
    return git("log", "-1", "--format=%h", "--", *RULE_FILES)


def _fmt(x) -> str:
    return "" if pd.isna(x) else f"{x:.3f}"


def family_out_table(auroc: pd.DataFrame, metric_table: pd.DataFrame, seconds: pd.Series | None = None) -> pd.DataFrame:
    """Per family: the pick on the others (among the admissible candidates of ``auroc``) and its
    ``metric_table`` figure, the anchors' figures; then the means over external, simulated and all
    families, and the worst family."""
    fo = selection.family_out(selection.eligible(auroc, seconds), rules.FAMILIES).set_index("family")
    anchors = [a for a in ANCHOR_LABELS if a in metric_table.index]
    rows = []
    for f in rules.FAMILIES:
        row = {"family": f, "kind": KIND[f], "chosen on the other families": fo.loc[f, "chosen"],
               "grngc (family-out)": metric_table.loc[fo.loc[f, "chosen"], f]}
        row.update({ANCHOR_LABELS[a]: metric_table.loc[a, f] for a in anchors})
        rows.append(row)
    t = pd.DataFrame(rows)
    nums = t.columns[3:]
    summary = []
    for label, fams in (("MEAN external", rules.EXTERNAL), ("MEAN our simulator", rules.SIMULATED),
                        ("MEAN all", rules.FAMILIES)):
        sub = t[t.family.isin(fams)]
        summary.append({"family": label, **{c: sub[c].mean() for c in nums}})
    summary.append({"family": "WORST", **{c: t[c].min() for c in nums}})
    return pd.concat([t, pd.DataFrame(summary)], ignore_index=True).fillna({"kind": "",
                                                                          "chosen on the other families": ""})


def markdown(t: pd.DataFrame) -> str:
    cols = list(t.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + " --- |" * len(cols)]
    for _, r in t.iterrows():
        lines.append("| " + " | ".join(_fmt(r[c]) if isinstance(r[c], float) else str(r[c]) for c in cols) + " |")
    return "\n".join(lines)


def report(tables: dict[str, pd.DataFrame], seconds: pd.Series, run_commit: str | None = None,
           cost_meta: dict | None = None, run_meta: dict | None = None) -> str:
    """The registration's page: family-out AUROC and AUPRC beside the anchors, seconds per
    DREAM4-100-shaped network from the cost run (``seconds``), the cost of every member, and the
    development figures of the best admissible candidates. ``run_meta`` (the committed tables' meta) names
    the run's commits and code version; without it, this checkout's."""
    from . import cost

    auroc, auprc = tables["auroc"], tables["auprc"]
    rep = selection.replay(auroc, seconds)
    fo_au = family_out_table(auroc, auroc, seconds)
    g = fo_au.set_index("family")["grngc (family-out)"]
    deployed = rep["deployed"]
    folds = selection.family_out(selection.eligible(auroc, seconds), rules.FAMILIES)
    agree = int((folds["chosen"] == deployed).sum())
    budget = cost.budget(seconds)
    lines = [f"## Bulk time courses: pre-registered protocol {rules.REGISTRATION} (run at commit "
             f"{run_commit or (run_meta or {}).get('run_commit') or commit()}; rules at commit "
             f"{(run_meta or {}).get('rules_commit') or rules_commit() or 'UNCOMMITTED'}; code version "
             f"{(run_meta or {}).get('code_version') or code_version()})", "",
             "Every figure in the `grngc (family-out)` column was chosen on the other 14 families and scored "
             "on this one (rules: `benchmarks/protocol/rules.py`, committed before the run), among the "
             "candidates that pass the cost rule; no candidate contains GENIE3, GRNBoost2, TIGRESS or the "
             "correlation. The anchors run on the same files with the same scorer. `consensus preset` is "
             "registration R1's pick (`--preset consensus`: the ridge, a per-target MLP and GENIE3's forests).",
             "", "AUROC, every ordered pair of distinct genes:", "", markdown(fo_au), ""]
    for anchor, label in (("genie3", "GENIE3"), ("ridge", "the Granger ridge"), ("tigress", "TIGRESS")):
        a = fo_au.set_index("family")[ANCHOR_LABELS[anchor]]
        won = {k: int((g[list(fams)] > a[list(fams)]).sum()) for k, fams in
               (("external", rules.EXTERNAL), ("simulated", rules.SIMULATED))}
        lines.append(f"- family-out, grngc beats {label} on {won['external']} of {len(rules.EXTERNAL)} external and "
                     f"{won['simulated']} of {len(rules.SIMULATED)} simulated families; means: external "
                     f"{rep['external']:.3f} vs {a[list(rules.EXTERNAL)].mean():.3f}, all {rep['mean']:.3f} vs "
                     f"{a.loc[list(rules.FAMILIES)].mean():.3f}")
    neural = [m for m in candidates.members_of(deployed) if m != "ridge" and not m.startswith("linear")]
    lines += [f"- deployed (picked on all 15 families): **{deployed}**; {agree} of 15 folds pick the same; "
              + (f"neural members: {', '.join(neural)}" if neural else "no neural member: the default is linear"),
              "", "AUPRC of the same picks:", "", markdown(family_out_table(auroc, auprc, seconds)), ""]
    where = f" ({cost_meta['machine']}, cost run at commit {cost_meta['run_commit']})" if cost_meta else ""
    shown = {"default (deployed)": deployed, **{ANCHOR_LABELS[a]: a for a in rules.ANCHORS}}
    secs = pd.DataFrame([{"method": label, "seconds": cost.candidate_seconds(name, seconds),
                          "x GENIE3": cost.candidate_seconds(name, seconds) / seconds[rules.COST_REFERENCE]}
                         for label, name in shown.items()])
    lines += [f"Seconds per DREAM4-100-shaped network (100 genes, 10 series x 21 time points), one run{where}; "
              f"the cost rule admits a candidate at most {rules.COST_BUDGET} x GENIE3 = {budget:.1f} s:", "",
              markdown(secs), "",
              f"- default / GENIE3 time: {cost.candidate_seconds(deployed, seconds) / seconds[rules.COST_REFERENCE]:.2f}",
              "", "Each member's own cost (a rank mean costs the sum of its members'):", "",
              markdown(pd.DataFrame([{"member": m, "seconds": seconds[m],
                                      "admissible alone": "yes" if seconds[m] <= budget else "no"}
                                     for m in rules.MEMBERS])), ""]
    cand = selection.eligible(auroc, seconds)
    dev = pd.DataFrame({"mean AUROC (all families)": cand.mean(axis=1),
                        "external": cand[list(rules.EXTERNAL)].mean(axis=1),
                        "our simulator": cand[list(rules.SIMULATED)].mean(axis=1),
                        "worst": cand.min(axis=1)})
    top = dev.sort_values("mean AUROC (all families)", ascending=False, kind="mergesort").head(12)
    lines += ["Development figures (each row saw every family's truth; the twelve best of the "
              f"{len(cand)} admissible candidates by mean AUROC):", "",
              markdown(top.rename_axis("candidate").reset_index()), ""]
    return "\n".join(lines)
