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
