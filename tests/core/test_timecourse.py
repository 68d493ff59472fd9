import numpy as np

from grngc.timecourse import TimeCourse


def test_sorted_by_series_then_time_and_hash_stable():
    tc = TimeCourse(np.arange(12.0).reshape(6, 2), ["x", "y"], [2, 1, 0, 1, 0, 2], ["b", "b", "b", "a", "a", "a"])
    assert list(tc.series) == ["a", "a", "a", "b", "b", "b"]  # series by label, then time
    assert list(tc.time) == [0, 1, 2, 0, 1, 2]
    assert tc.X[0].tolist() == [8.0, 9.0]
    assert [s for s, _ in tc.series_slices()] == ["a", "b"]
    assert tc.content_hash() == TimeCourse(tc.X, tc.genes, tc.time, tc.series).content_hash()


def test_row_and_column_order_do_not_matter():
    rng = np.random.default_rng(0)
    X = rng.random((8, 3))
    time = [0, 0, 1, 1, 2, 0, 1, 2]  # ties at the same time are ordered by a hash of the values
    series = ["s", "s", "s", "s", "s", "t", "t", "t"]
    a = TimeCourse(X, ["z", "y", "x"], time, series)
    perm = rng.permutation(8)
    b = TimeCourse(X[perm][:, [2, 0, 1]], ["x", "z", "y"], np.array(time)[perm], np.array(series)[perm])
    ca, cb = a.canonical(), b.canonical()
    assert ca.genes == cb.genes == ["x", "y", "z"]
    np.testing.assert_array_equal(ca.X, cb.X)
    assert a.content_hash() == b.content_hash()


def test_tied_times_are_not_sorted_by_expression():
    """Sorting cells with tied pseudotime by a gene's level would invent a trend in that gene."""
    rng = np.random.default_rng(0)
    X = rng.random((200, 2))
    tc = TimeCourse(X, ["a", "b"], np.zeros(200), np.zeros(200))
    for g in range(2):
        assert not np.all(np.diff(tc.X[:, g]) >= 0)
        assert abs(np.corrcoef(tc.X[1:, g], tc.X[:-1, g])[0, 1]) < 0.2


def test_the_content_hash_is_computed_once_per_object(monkeypatch):
    tc = TimeCourse(np.arange(12.0).reshape(6, 2), ["x", "y"], np.arange(6.0), np.zeros(6))
    first = tc.content_hash()
    calls = []
    real = TimeCourse._hash_contents
    monkeypatch.setattr(TimeCourse, "_hash_contents", lambda self: calls.append(1) or real(self))
    assert tc.content_hash() == first and calls == []  # the CLI and the run record ask for it: one hash of an atlas
    fresh = TimeCourse(tc.X, tc.genes, tc.time, tc.series)
    assert fresh.content_hash() == first and len(calls) == 1


def test_name_order_and_dropped_genes_take_one_copy_and_none_when_nothing_changes():
    import scipy.sparse as sp

    from grngc.core.run import drop_constant_genes

    rng = np.random.default_rng(1)
    X = sp.random(300, 4, 0.5, format="csr", random_state=1) * 5.0
    S, U = sp.random(300, 4, 0.5, format="csr", random_state=2), sp.random(300, 4, 0.5, format="csr", random_state=3)
    tc = TimeCourse(X, ["a", "b", "c", "d"], rng.random(300), np.zeros(300), "layers", (S, U))
    same, dropped = drop_constant_genes(tc)  # names in order, every gene varies: the arrays are shared
    assert dropped == [] and same.genes == tc.genes
    assert np.shares_memory(same.X.data, tc.X.data)
    assert all(np.shares_memory(a.data, b.data) for a, b in zip(same.velocity, tc.velocity))
    X2 = X.tolil()
    X2[:, 1] = 0.0  # "b" constant; the names out of order
    tc2 = TimeCourse(X2.tocsr(), ["d", "b", "c", "a"], tc.time, tc.series, "layers", (S, U))
    used, dropped = drop_constant_genes(tc2)
    assert dropped == ["b"] and used.genes == ["a", "c", "d"]
    dense = tc2.X.toarray()
    np.testing.assert_array_equal(used.X.toarray(), dense[:, [3, 2, 0]])  # a, c, d: the input's columns 3, 2, 0
    np.testing.assert_array_equal(used.velocity[1].toarray(), tc2.velocity[1].toarray()[:, [3, 2, 0]])
    assert not np.shares_memory(used.X.data, tc2.X.data)  # a copy (one), the caller's input untouched
    # the content hash reads the columns in name order without a reordered copy, as the copy hashes
    assert tc2.content_hash() == tc2.canonical().content_hash()
    assert TimeCourse(dense, tc2.genes, tc2.time, tc2.series, "x", tc2.velocity).content_hash() == tc2.content_hash()
