"""The registry (grngc.methods) is the one list of methods: the models, the CLI's choices, the schemas'
enums, tl and the pipeline all read it."""
from pathlib import Path

import numpy as np
import pytest
import yaml

from grngc import methods
from grngc.methods import REGISTRY, get, names, run_baseline
from grngc.timecourse import TimeCourse

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "workflow" / "schemas"


def _enums(node, out):
    if isinstance(node, dict):
        if "enum" in node:
            out.append(list(node["enum"]))
        for v in node.values():
            _enums(v, out)
    elif isinstance(node, list):
        for v in node:
            _enums(v, out)
    return out


def test_models_config_and_schemas_read_the_registry():
    from grngc.config import MODEL_NAMES
    from grngc.models import MODELS

    assert MODEL_NAMES == names("model")
    assert set(MODELS) == {n for n in names("model") if REGISTRY[n].model}  # the trained ones
    assert {"ridge", "genie3"} <= set(names("model")) and set(names("model")) - set(MODELS) == {"ridge", "genie3"}
    config = _enums(yaml.safe_load((SCHEMAS / "config.schema.yaml").read_text()), [])
    datasets = _enums(yaml.safe_load((SCHEMAS / "datasets.schema.yaml").read_text()), [])
    hint = "run python scripts/update_schema_enums.py"
    assert list(names("model")) in config and list(names("model")) in datasets, hint
    assert list(names("baseline")) in config, hint  # compare.run_baselines


def test_cli_offers_the_registry(capsys):
    from grngc.cli import main

    with pytest.raises(SystemExit):
        main(["baseline", "--help"])
    text = capsys.readouterr().out
    for name in names("baseline"):
        assert name in text
    for param in methods.baseline_params().values():
        assert param.flag in text


def test_every_entry_has_a_reference_and_loads():
    for m in REGISTRY.values():
        assert m.reference and m.summary and m.roles
        if "baseline" in m.roles:
            assert callable(m.load("run"))
    with pytest.raises(ValueError, match="choose one of"):
        get("nope")
    with pytest.raises(ValueError, match="unknown model"):
        get("grnboost2", "model")


def _tc(seed=0, n=120):
    rng = np.random.default_rng(seed)
    a = rng.normal(size=n)
    X = np.column_stack([a, 0.9 * a + 0.3 * rng.normal(size=n), rng.normal(size=n)])
    return TimeCourse(X, ["a", "b", "c"], np.arange(n, dtype=float), np.zeros(n, int), "test")


def test_correlation_matches_scipy_and_keeps_only_regulator_rows():
    from scipy.stats import spearmanr

    tc = _tc()
    S = run_baseline("correlation", tc)
    ref = np.abs(spearmanr(tc.X).correlation)
    np.fill_diagonal(ref, 0.0)
    np.testing.assert_allclose(S, ref, atol=1e-12)
    only_a = run_baseline("correlation", tc, regulators=[0])
    assert only_a[0, 1] == S[0, 1] and not only_a[1:].any()  # rows are regulators: a -> b kept, b -> a dropped


@pytest.mark.parametrize("name", ["genie3", "grnboost2", "tigress", "ridge", "genie3-lagged"])
def test_each_baseline_runs_through_the_registry_with_its_params(name):
    tc = _tc()
    S = run_baseline(name, tc, seed=0, n_jobs=1, n_trees=20, resamples=10)
    assert S.shape == (3, 3) and np.isfinite(S).all() and not np.diag(S).any()
    if not REGISTRY[name].uses_time:  # same-sample methods: a and b share a signal; c is noise
        assert S[0, 1] > S[2, 1]


def test_tl_baseline_writes_varp_in_the_anndata_gene_order():
    import anndata as ad
    import pandas as pd

    import grngc

    tc = _tc()
    order = [2, 0, 1]  # the AnnData's genes in another order than the names sort
    adata = ad.AnnData(tc.X[:, order], var=pd.DataFrame(index=[tc.genes[i] for i in order]),
                       obs=pd.DataFrame({"time": tc.time}, index=[str(i) for i in range(len(tc.time))]))
    grngc.tl.baseline(adata, "correlation", regulators=["a"])
    S = adata.varp["correlation"]
    ia, ib = list(adata.var_names).index("a"), list(adata.var_names).index("b")
    assert S[ia, ib] > 0.5 and S[ib].sum() == 0  # a -> b; b is not a regulator
    grngc.tl.baseline(adata, "ridge", key_added="r")
    assert adata.varp["r"].shape == (3, 3)
    with pytest.raises(grngc.timecourse.InputError, match="no parameter"):
        grngc.tl.baseline(adata, "ridge", n_trees=3)
