"""The protocol's tables in Markdown: family-out figures with external families apart from our
simulator's, the anchors beside them on the same files and scorer, and ``docs/accuracy.md``."""
from __future__ import annotations

import subprocess

import pandas as pd

from . import candidates, rules, selection
from .cache import ROOT, code_version

KIND = {**{f: "external" for f in rules.EXTERNAL}, **{f: "our simulator" for f in rules.SIMULATED}}
ANCHOR_LABELS = {"genie3": "GENIE3", "tigress": "TIGRESS", "ridge": "Granger ridge", "paper": "paper recipe",
                 "spearman": "correlation", rules.DEFAULT_BEFORE: "default before R1"}


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
    if git("status", "--porcelain", "benchmarks/protocol/rules.py", "benchmarks/protocol/candidates.py"):
        return ""
    return git("log", "-1", "--format=%h", "--", "benchmarks/protocol/rules.py", "benchmarks/protocol/candidates.py")


def _fmt(x) -> str:
    return "" if pd.isna(x) else f"{x:.3f}"


def family_out_table(auroc: pd.DataFrame, metric_table: pd.DataFrame) -> pd.DataFrame:
    """Per family: the pick on the others and its ``metric_table`` figure, the anchors' figures; then the
    means over external, simulated and all families, and the worst family."""
    fo = selection.family_out(auroc, rules.FAMILIES).set_index("family")
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


def report(tables: dict[str, pd.DataFrame], seconds: pd.Series | None = None, run_commit: str | None = None) -> str:
    auroc, auprc = tables["auroc"], tables["auprc"]
    rep = selection.replay(auroc)
    fo_au = family_out_table(auroc, auroc)
    g = fo_au.set_index("family")["grngc (family-out)"]
    ge = fo_au.set_index("family")["GENIE3"]
    won = {k: int((g[list(fams)] > ge[list(fams)]).sum()) for k, fams in
           (("external", rules.EXTERNAL), ("simulated", rules.SIMULATED))}
    deployed = rep["deployed"]
    folds = selection.family_out(auroc, rules.FAMILIES)
    agree = int((folds["chosen"] == deployed).sum())
    lines = [f"## Bulk time courses: pre-registered protocol {rules.REGISTRATION} (run at commit "
             f"{run_commit or commit()}; rules at commit {rules_commit() or 'UNCOMMITTED'}; code version "
             f"{code_version()})", "",
             "Every figure in the `grngc (family-out)` column was chosen on the other 14 families and scored "
             "on this one (rules: `benchmarks/protocol/rules.py`, committed before the run). The anchors run "
             "on the same files with the same scorer. `default before R1` is a development figure (chosen "
             "with every family in view by the earlier protocol).", "",
             "AUROC, every ordered pair of distinct genes:", "", markdown(fo_au), "",
             f"- family-out, grngc beats GENIE3 on {won['external']} of {len(rules.EXTERNAL)} external and "
             f"{won['simulated']} of {len(rules.SIMULATED)} simulated families; means: external "
             f"{rep['external']:.3f} vs GENIE3 {ge[list(rules.EXTERNAL)].mean():.3f}, all {rep['mean']:.3f} vs "
             f"{ge.loc[list(rules.FAMILIES)].mean():.3f}",
             f"- deployed (picked on all 15 families): **{deployed}**; {agree} of 15 folds pick the same", "",
             "AUPRC of the same picks:", "", markdown(family_out_table(auroc, auprc)), ""]
    dev = pd.DataFrame({"mean AUROC (all families)": auroc.mean(axis=1),
                        "external": auroc[list(rules.EXTERNAL)].mean(axis=1),
                        "our simulator": auroc[list(rules.SIMULATED)].mean(axis=1),
                        "worst": auroc.min(axis=1)})
    top = dev.loc[[c for c in candidates.pool() if c in dev.index]].sort_values(
        "mean AUROC (all families)", ascending=False, kind="mergesort").head(12)
    lines += ["Development figures (each row saw every family's truth; the twelve best of the "
              f"{len(candidates.pool())} candidates by mean AUROC):", "",
              markdown(top.rename_axis("candidate").reset_index()), ""]
    if seconds is not None:
        lines += ["Seconds per single method, all datasets:", "",
                  markdown(seconds.round(0).astype(int).rename("seconds").rename_axis("method").reset_index()), ""]
    return "\n".join(lines)
