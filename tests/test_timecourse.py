import numpy as np

from grngc.timecourse import TimeCourse


def test_sorted_by_series_then_time_and_hash_stable():
    tc = TimeCourse(np.arange(12.0).reshape(6, 2), ["x", "y"], [2, 1, 0, 1, 0, 2], ["b", "b", "b", "a", "a", "a"])
    assert list(tc.series) == ["b", "b", "b", "a", "a", "a"]  # first-appearance order kept
    assert list(tc.time) == [0, 1, 2, 0, 1, 2]
    assert tc.X[0].tolist() == [4.0, 5.0]
    assert [s for s, _ in tc.series_slices()] == ["b", "a"]
    assert tc.content_hash() == TimeCourse(tc.X, tc.genes, tc.time, tc.series).content_hash()
