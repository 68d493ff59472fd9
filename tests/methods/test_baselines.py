"""GENIE3 and TIGRESS recover a planted linear network."""
import numpy as np
import pytest

from grngc.methods.genie3 import genie3, genie3_lagged
from grngc.methods.grnboost2 import grnboost2
from grngc.methods.tigress import tigress
from grngc.timecourse import TimeCourse


TFS = [0, 1, 2]


@pytest.fixture
def planted():
    """Regulators (TFs) x0, x1, x2 drive x3 = 2 x0 - x1, x4 = x1 + x2, x5 = x2 - x0 (plus noise).

    Same-sample methods cannot orient an edge by themselves; the TF list does, as in their papers.
    """
    rng = np.random.default_rng(0)
    n = 300
    X = rng.normal(size=(n, 6))
    X[:, 3] = 2 * X[:, 0] - X[:, 1] + 0.1 * rng.normal(size=n)
    X[:, 4] = X[:, 1] + X[:, 2] + 0.1 * rng.normal(size=n)
    X[:, 5] = X[:, 2] - X[:, 0] + 0.1 * rng.normal(size=n)
    truth = np.zeros((6, 6), int)
    for r, t in [(0, 3), (1, 3), (1, 4), (2, 4), (0, 5), (2, 5)]:
        truth[r, t] = 1
    return X, truth


def _target_auroc(S, truth):
    """AUROC over the TF -> non-TF candidates (TFs themselves are independent noise)."""
    from sklearn.metrics import roc_auc_score

    return roc_auc_score(truth[np.ix_(TFS, [3, 4, 5])].ravel(), S[np.ix_(TFS, [3, 4, 5])].ravel())


def test_genie3_recovers_planted_network(planted):
    X, truth = planted
    S = genie3(X, regulators=TFS, n_trees=100, seed=0)
    assert S[0, 3] > S[2, 3] and S[2, 4] > S[0, 4]
    assert _target_auroc(S, truth) == 1.0
    np.testing.assert_array_equal(S, genie3(X, regulators=TFS, n_trees=100, seed=0))  # seeded
    assert np.allclose(S[:, 3:].sum(0), 1.0)  # impurity importances of each target sum to 1
    assert np.all(S[3:] == 0)  # non-TFs never regulate


def test_tigress_recovers_planted_network(planted):
    X, truth = planted
    S = tigress(X, regulators=TFS, R=50, L=2, seed=0)
    assert _target_auroc(S, truth) == 1.0
    # x3 = 2 x0 - x1: x0 enters at step 1 (area 1), x1 at step 2 (area 1/2) in almost every run
    assert S[0, 3] > 0.9 and 0.4 < S[1, 3] < 0.6
    assert S.max() <= 1.0 and np.all(S[3:] == 0)


def test_lagged_genie3_uses_the_past_and_respects_series():
    rng = np.random.default_rng(1)
    blocks = []
    for s in range(4):
        X = rng.normal(size=(40, 3))
        for t in range(1, 40):
            X[t, 1] = 0.9 * X[t - 1, 0] + 0.1 * rng.normal()
        blocks.append(X)
    tc = TimeCourse(np.vstack(blocks), ["a", "b", "c"], np.tile(np.arange(40.0), 4), np.repeat(np.arange(4), 40))
    S = genie3_lagged(tc, target="next", n_trees=100)
    assert S[0, 1] > S[1, 0] and S[0, 1] > S[2, 1]


def test_tigress_definition_on_a_hand_made_case():
    """y = 3 x0 + 1 x1 (+ tiny noise), x2 and x3 unrelated; no randomization (alpha = 1), L = 2 steps.
    LARS enters x0 first and x1 second in every half-sample, so by the definition (the area under the
    selection-frequency curve, (1 / L) sum_k F_k): S[x0] = (1 + 1) / 2 = 1, S[x1] = (0 + 1) / 2 = 0.5,
    and 0 for the unrelated regulators (never within 2 steps)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 4))
    y = 3 * X[:, 0] + 1 * X[:, 1] + 0.01 * rng.normal(size=400)
    S = tigress(np.c_[X, y], R=20, alpha=1.0, L=2, seed=0)
    np.testing.assert_allclose(S[:4, 4], [1.0, 0.5, 0.0, 0.0])
    S3 = tigress(np.c_[X, y], R=20, alpha=1.0, L=4, seed=0)  # L = 4: every regulator enters by step 4
    assert S3[0, 4] == 1.0 and S3[1, 4] == 0.75 and 0 < S3[2, 4] <= 0.5 and S3[2, 4] + S3[3, 4] == pytest.approx(0.75)


def test_grnboost2_recovers_planted_network(planted):
    X, truth = planted
    S = grnboost2(X, regulators=TFS, seed=0, n_jobs=2)  # two worker processes, shut down on return
    assert _target_auroc(S, truth) == 1.0
    assert np.all(S[3:] == 0) and np.all(np.diag(S) == 0)
    np.testing.assert_array_equal(S, grnboost2(X, regulators=TFS, seed=0))  # seeded, same in one process


def test_grnboost2_early_stopping_is_arboretos_out_of_bag_rule():
    """Stop at round i once the mean out-of-bag improvement of the last 25 rounds is negative."""
    from grngc.methods.grnboost2 import OutOfBagStop

    class Fake:
        oob_improvement_ = np.r_[np.full(30, 0.01), np.full(30, -0.02)]

    stop = OutOfBagStop(25)
    assert not stop(10, Fake(), None)  # fewer rounds than the window: never
    assert not stop(30, Fake(), None)  # last 25: 24 x 0.01 and 1 x -0.02 -> positive mean
    first = next(i for i in range(60) if stop(i, Fake(), None))
    window = Fake.oob_improvement_[first - 24: first + 1]
    assert window.mean() < 0 and Fake.oob_improvement_[first - 25: first].mean() >= 0
