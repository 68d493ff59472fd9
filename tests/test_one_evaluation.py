"""One evaluation everywhere: the same edges and partial reference give the same AUROC/AUPRC through
evaluate, compare and annotate (what metrics.json and summary.tsv report)."""
import json

import numpy as np
import pandas as pd
import pytest

from grngc.cli import main


@pytest.fixture
def files(tmp_path):
    rng = np.random.default_rng(3)
    genes = [f"g{i}" for i in range(8)]
    pd.DataFrame(rng.normal(size=(10, 8)), columns=genes).assign(time=np.arange(10.0)).to_csv(
        tmp_path / "x.csv", index=False)
    rows = [(a, b, rng.random()) for a in genes for b in genes if a != b]
    pd.DataFrame(rows, columns=["regulator", "target", "score"]).to_csv(tmp_path / "edges.tsv", sep="\t", index=False)
    # a TF-target list naming 2 TFs: g0 -> g1, g2, g3 and g1 -> g4
    pd.DataFrame({"tf": ["g0", "g0", "g0", "g1"], "target": ["g1", "g2", "g3", "g4"]}).to_csv(
        tmp_path / "trrust.tsv", sep="\t", index=False)
    return tmp_path


def test_partial_reference_scored_the_same_by_every_command(files):
    ref, edges, expr = files / "trrust.tsv", files / "edges.tsv", files / "x.csv"
    assert main(["evaluate", str(edges), "--reference", str(ref), "--genes-from", str(expr), "--kind", "partial",
                 "-o", str(files / "eval.json")]) == 0
    assert main(["compare", f"grngc={edges}", "--reference", str(ref), "--genes-from", str(expr), "--kind", "partial",
                 "-o", str(files / "cmp")]) == 0
    assert main(["annotate", str(edges), "--reference", str(ref), "--genes-from", str(expr), "--kind", "partial",
                 "-o", str(files / "ann.tsv"), "--metrics", str(files / "ann.json")]) == 0
    ev = json.loads((files / "eval.json").read_text())
    cmp = pd.read_csv(files / "cmp.tsv", sep="\t").iloc[0]
    ann = json.loads((files / "ann.json").read_text())
    assert ev["n_candidates"] == 2 * 7  # only pairs from the 2 listed TFs
    for m in ("auroc", "auprc"):
        assert ev[m] == pytest.approx(cmp[m]) == pytest.approx(ann[m])
    assert cmp["candidate_pairs"] == 14
    # a gold reading of the same file scores all 56 pairs: a different candidate set, said in the output
    assert main(["evaluate", str(edges), "--reference", str(ref), "--genes-from", str(expr),
                 "-o", str(files / "gold.json")]) == 0
    assert json.loads((files / "gold.json").read_text())["n_candidates"] == 56
