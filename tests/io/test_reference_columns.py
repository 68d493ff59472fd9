"""References are read by column names, not positions: direction from the header, any 0/1 or boolean
column marks edges, and a header that cannot be mapped stops with the columns listed."""
import pytest

from grngc.io.reference import read_reference
from grngc.timecourse import InputError


def _write(tmp_path, text, name="ref.tsv"):
    f = tmp_path / name
    f.write_text(text)
    return f


def _pairs(df):
    return set(zip(df["regulator"], df["target"]))


@pytest.mark.parametrize("column, yes, no", [("label", "1", "0"), ("is_edge", "TRUE", "FALSE"),
                                             ("anything", "true", "false"), ("x", "1.0", "0.0")])
def test_an_indicator_column_of_any_name_marks_edges(tmp_path, column, yes, no):
    f = _write(tmp_path, f"regulator\ttarget\t{column}\nA\tB\t{yes}\nB\tC\t{no}\nC\tA\t{no}\n")
    assert _pairs(read_reference(f)) == {("A", "B")}


def test_direction_comes_from_the_names_not_the_order(tmp_path):
    f = _write(tmp_path, "target_gene\ttf_gene\nB\tA\nC\tA\n")
    df = read_reference(f)
    assert _pairs(df) == {("A", "B"), ("A", "C")}  # regulator -> target, header not an edge


def test_headerless_dream_gold_standard(tmp_path):
    f = _write(tmp_path, "G1\tG2\t1\nG2\tG3\t0\n")
    assert _pairs(read_reference(f)) == {("G1", "G2")}


def test_beeline_sign_column_is_not_an_indicator(tmp_path):
    f = _write(tmp_path, "Gene1,Gene2,Type\nA,B,+\nB,C,-\n", "refNetwork.csv")
    assert _pairs(read_reference(f)) == {("A", "B"), ("B", "C")}


def test_unmappable_header_stops_with_the_columns(tmp_path):
    f = _write(tmp_path, "tf\tgoal\tlabel\nA\tB\t1\n")
    with pytest.raises(InputError) as err:
        read_reference(f)
    assert "['tf', 'goal', 'label']" in str(err.value) and "regulator and target" in str(err.value)


def test_edge_scores_round_trip_at_full_precision(tmp_path):
    import numpy as np
    import pandas as pd

    from grngc.io.network import read_edges, write_edges

    scores = np.array([0.123456789012345, 0.123456789012344, 1e-12, 3.0])  # equal to 6 digits: would tie
    edges = pd.DataFrame({"regulator": list("abcd"), "target": list("bcda"), "score": scores})
    write_edges(tmp_path / "e.tsv", edges)
    back = read_edges(tmp_path / "e.tsv")
    np.testing.assert_array_equal(back["score"].to_numpy(), scores)


def test_top_edges_keep_the_best_overall_and_per_target():
    import numpy as np

    from grngc.io.network import scores_to_edges

    rng = np.random.default_rng(0)
    S = rng.random((6, 6))
    S[:, 5] *= 0.01  # a quiet target: no edge of it would be in the global top
    genes = [f"g{i}" for i in range(6)]
    e = scores_to_edges(S, genes, top=5, per_target=1)
    assert set(zip(e.regulator, e.target)) >= {(genes[int(np.argmax(np.where(np.eye(6, dtype=bool)[:, 5], -1, S[:, 5])))], "g5")}
    off = S[~np.eye(6, dtype=bool)]
    assert e["score"].iloc[0] == off.max() and len(e) <= 5 + 6
    assert (e.regulator != e.target).all() and e["score"].is_monotonic_decreasing
    full = scores_to_edges(S, genes)
    assert len(full) == 30 and set(map(tuple, e[["regulator", "target"]].values)) <= set(map(tuple, full[["regulator", "target"]].values))


def test_reference_signs_are_read(tmp_path):
    f = _write(tmp_path, "Gene1,Gene2,Type\nA,B,+\nB,C,-\n", "refNetwork.csv")
    assert read_reference(f).set_index(["regulator", "target"])["sign"].to_dict() == {("A", "B"): 1, ("B", "C"): -1}
    t = _write(tmp_path, "TP53\tMDM2\tActivation\t123\nMYC\tCDKN1A\tRepression\t456\nE2F1\tX\tUnknown\t7\n", "trrust.tsv")
    assert read_reference(t)["sign"].tolist() == [1, -1, 0]
    plain = _write(tmp_path, "G1\tG2\t1\n", "gold.tsv")
    assert "sign" not in read_reference(plain)
