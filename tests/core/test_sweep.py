import numpy as np
import pandas as pd
import pytest

from grngc.evaluate.compare import topk_jaccard
from grngc.granger.sweep import sweep
from grngc.granger.train import GRNGCConfig


def test_topk_jaccard():
    a = np.array([[0, 3, 2], [1, 0, 0], [0, 0, 0]], float)
    b = np.array([[0, 3, 0], [2, 0, 0], [0, 0, 0]], float)
    assert topk_jaccard(a, b, 2) == 1 / 3  # top-2 {a->b, a->c} vs {a->b, b->a}
    assert topk_jaccard(a, a, 2) == 1.0


def test_sweep_table_and_single_recommendation(chain_timecourse, fast_settings):
    cfg = GRNGCConfig(**{**fast_settings, "epochs": 60, "min_epochs": 10})
    table = sweep(chain_timecourse, cfg, lams=(0.5, 2.0), lags=(1, 2), seeds=2)
    assert len(table) == 4 and table["recommended"].sum() == 1
    assert set(table.columns) >= {"lam", "lag", "val_mse", "val_mse_se", "stability"}
    assert table["stability"].between(0, 1).all()
    best = table.loc[table.val_mse.idxmin()]
    rec = table[table.recommended].iloc[0]
    assert rec.val_mse <= best.val_mse + best.val_mse_se


def test_recommend_on_a_hand_made_table():
    """One-SE rule by hand: best val_mse 1.00 (se 0.10) at lam 1; lam 3 (1.08) is within 1.10, lam 10
    (1.20) is not: lam 3 is recommended; between the two lam-3 rows the more stable one."""
    from grngc.granger.sweep import recommend

    t = pd.DataFrame({"lam": [0.3, 1.0, 3.0, 3.0, 10.0], "lag": [1, 1, 1, 2, 1],
                      "val_mse": [1.05, 1.00, 1.08, 1.09, 1.20], "val_mse_se": [0.1, 0.10, 0.1, 0.1, 0.1],
                      "stability": [0.9, 0.8, 0.5, 0.7, 0.95]})
    r = recommend(t)
    assert r["recommended"].sum() == 1
    assert r.loc[r["recommended"], ["lam", "lag"]].values.tolist() == [[3.0, 2]]
    t.loc[1, "val_mse_se"] = 0.01  # a tight error bar: only lam 1 itself qualifies
    assert recommend(t).loc[lambda d: d["recommended"], "lam"].item() == 1.0


def test_held_out_error_is_the_window_mean_and_its_standard_error():
    from grngc.granger.sweep import held_out_error
    from grngc.granger.train import FitResult

    a = FitResult(np.zeros((2, 2)), val_window_mse=np.array([1.0, 2.0, 3.0, 4.0]))
    b = FitResult(np.zeros((2, 2)), val_window_mse=np.array([3.0, 2.0, 1.0, 4.0]))
    mse, se = held_out_error([a, b])
    per_window = np.array([2.0, 2.0, 2.0, 4.0])
    assert mse == pytest.approx(2.5) and se == pytest.approx(per_window.std(ddof=1) / 2)
