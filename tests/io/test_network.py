import numpy as np
import pandas as pd
import pytest

from grngc.io import read_edges, read_reference, scores_to_edges, write_edges
from grngc.timecourse import InputError


def test_dream_gold_standard_keeps_only_ones(tmp_path):
    f = tmp_path / "gold.tsv"
    f.write_text("G1\tG2\t1\nG2\tG1\t0\nG3\tG1\t1\nG3\tG1\t1\n")
    ref = read_reference(f)
    assert list(map(tuple, ref.to_numpy())) == [("G1", "G2"), ("G3", "G1")]
    assert ref.attrs["n_duplicates"] == 1


@pytest.mark.parametrize("header,sep", [("Gene1,Gene2,Type", ","), ("TF\tTarget\tRegulation", "\t"),
                                        ("source,target", ","), ("Regulator\tTarget\tedge", "\t")])
def test_headed_references(tmp_path, header, sep):
    f = tmp_path / "ref.txt"
    third = header.count(sep) == 2
    rows = [["a", "b", "1" if "edge" in header else "+"], ["c", "a", "1" if "edge" in header else "-"]]
    f.write_text(header + "\n" + "\n".join(sep.join(r if third else r[:2]) for r in rows) + "\n")
    ref = read_reference(f)
    assert list(map(tuple, ref[["regulator", "target"]].to_numpy())) == [("a", "b"), ("c", "a")]
    if third and "edge" not in header:  # a +/- column is read as the sign
        assert ref["sign"].tolist() == [1, -1]


def test_edge_round_trip_keeps_direction(tmp_path):
    S = np.array([[0.0, 0.9, 0.1], [0.2, 0.0, 0.5], [0.3, 0.4, 0.0]])
    edges = scores_to_edges(S, ["a", "b", "c"])
    assert len(edges) == 6  # every ordered pair of distinct genes
    assert tuple(edges.iloc[0]) == ("a", "b", 0.9)  # S[a, b] is the edge a -> b
    write_edges(tmp_path / "e.tsv", edges)
    assert (tmp_path / "e.tsv").read_text().splitlines()[0] == "regulator\ttarget\tscore"
    back = read_edges(tmp_path / "e.tsv")
    pd.testing.assert_frame_equal(back, edges, check_dtype=False)
    assert not list(tmp_path.glob(".*part"))  # atomic write leaves no temporary file


def test_edges_with_a_pair_listed_twice_stop_naming_it(tmp_path):
    """Which of two scores counts would be a silent choice: stop, name the pair and its scores."""
    f = tmp_path / "e.txt"
    f.write_text("a\tb\t0.5\na\tb\t0.7\nb\ta\t0.1\n")
    with pytest.raises(InputError, match=r"e.txt: 1 regulator -> target pair.*a -> b: scores 0.5, 0.7"):
        read_edges(f)


def test_edge_and_reference_tables_given_as_dataframes():
    """The API's tables are checked as files are: duplicated pairs stop; decoupler/CollecTRI-style
    (source, target, weight) and TF/target references are read by their column names."""
    import pandas as pd

    from grngc.io.network import edges_frame
    from grngc.io.reference import reference_frame

    with pytest.raises(InputError, match="more than once"):
        edges_frame(pd.DataFrame({"regulator": ["a", "a"], "target": ["b", "b"], "score": [0.1, 0.9]}))
    e = edges_frame(pd.DataFrame({"source": ["a"], "target": ["b"], "weight": [0.3]}))
    assert e[["regulator", "target", "score"]].to_dict("records") == [{"regulator": "a", "target": "b", "score": 0.3}]
    ref = reference_frame(pd.DataFrame({"source": ["a", "c"], "target": ["b", "a"], "weight": [1, -1]}))
    assert ref.to_dict("records") == [{"regulator": "a", "target": "b", "sign": 1},
                                      {"regulator": "c", "target": "a", "sign": -1}]
    ref2 = reference_frame(pd.DataFrame({"target": ["b"], "TF": ["a"]}))  # direction from names, not order
    assert ref2[["regulator", "target"]].to_dict("records") == [{"regulator": "a", "target": "b"}]
    with pytest.raises(InputError, match="cannot tell the regulator and target"):
        reference_frame(pd.DataFrame({"x": ["a"], "y": ["b"]}))


def test_atomic_writes_get_normal_permissions(tmp_path):
    import os
    import stat

    from grngc.io.atomic import write_text

    old = os.umask(0o022)
    try:
        write_text(tmp_path / "x.txt", "hello")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "x.txt").stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["x.txt"]  # no temporary left behind


@pytest.mark.parametrize("p, top, per_target, block", [(40, 100, 3, 7), (60, 0, 5, 16), (30, 2000, 0, 4), (8, 10, 20, 3)])
def test_top_edges_in_blocks_match_the_whole_matrix_selection(p, top, per_target, block):
    """The top pairs and each target's best regulators, read in blocks of rows/columns (atlas memory), are the
    pairs a whole-matrix selection keeps: regulator -> target, highest first."""
    from grngc.io.network import _top_edges

    S = np.random.default_rng(p).random((p, p))
    ref = S.copy()
    np.fill_diagonal(ref, -np.inf)
    keep = np.zeros((p, p), bool)
    if top:
        keep.ravel()[np.argsort(-ref.ravel())[:min(top, p * (p - 1))]] = True
    if per_target:
        k = min(per_target, p - 1)
        keep[np.argsort(-ref, axis=0)[:k], np.arange(p)[None, :]] = True
    np.fill_diagonal(keep, False)
    got = _top_edges(S, [f"g{k}" for k in range(p)], top, per_target, block=block)
    pairs = {(f"g{i}", f"g{j}") for i, j in zip(*np.nonzero(keep))}
    assert set(zip(got.regulator, got.target)) == pairs and got.score.is_monotonic_decreasing
    assert all(S[int(r[1:]), int(t[1:])] == s for r, t, s in zip(got.regulator, got.target, got.score))
