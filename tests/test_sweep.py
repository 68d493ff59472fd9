import numpy as np

from grngc.compare import topk_jaccard
from grngc.sweep import sweep
from grngc.train import GRNGCConfig


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
