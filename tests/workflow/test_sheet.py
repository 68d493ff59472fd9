"""Config and dataset-sheet validation: messages name the file, row, field and fix."""
from pathlib import Path

import pytest

from grngc.pipeline.sheet import load_sheet, validate_config
from grngc.timecourse import InputError

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "workflow" / "schemas"


def _sheet(tmp_path, text):
    (tmp_path / "data.h5ad").write_text("x")
    p = tmp_path / "datasets.tsv"
    p.write_text(text)
    return p


def test_repo_config_and_sheet_are_valid():
    import yaml

    cfg = validate_config(yaml.safe_load((ROOT / "config" / "config.yaml").read_text()), SCHEMAS / "config.schema.yaml")
    rows = load_sheet(ROOT / cfg["datasets"], SCHEMAS / "datasets.schema.yaml", base_dir=ROOT)
    assert [r["id"] for r in rows] == ["timecourse", "cells"]
    assert not rows[1].get("time_key") and rows[1]["reference_kind"] == "gold"  # unset key: no default; defaults filled


def test_config_defaults_and_misspelled_key():
    cfg = validate_config({"datasets": "x.tsv"}, SCHEMAS / "config.schema.yaml")
    assert cfg["threshold"]["method"] == "knee" and cfg["infer"]["seeds"] == [0]
    with pytest.raises(InputError, match=r"unknown key 'tresh'.*did you mean 'threshold'"):
        validate_config({"datasets": "x.tsv", "tresh": {}}, SCHEMAS / "config.schema.yaml")
    with pytest.raises(InputError, match=r"config infer: unknown key 'lamda'.*'lam'"):
        validate_config({"datasets": "x.tsv", "infer": {"lamda": 1}}, SCHEMAS / "config.schema.yaml")
    with pytest.raises(InputError, match=r"key threshold.method: 'elbow' is not one of"):
        validate_config({"datasets": "x.tsv", "threshold": {"method": "elbow"}}, SCHEMAS / "config.schema.yaml")
    assert validate_config({"datasets": "x.tsv", "infer": {"input_dropout": 0.5}},
                           SCHEMAS / "config.schema.yaml")["infer"]["input_dropout"] == 0.5
    with pytest.raises(InputError, match=r"infer.input_dropout"):
        validate_config({"datasets": "x.tsv", "infer": {"input_dropout": 1}}, SCHEMAS / "config.schema.yaml")


@pytest.mark.parametrize("text, match", [
    ("id\tpathh\nd1\tdata.h5ad\n", r"column 'pathh' is not a sheet column; did you mean 'path'"),
    ("id\tpath\nd1\tmissing.h5ad\n", r"row 2 \(id=d1\): field 'path': missing.h5ad does not exist"),
    ("id\tpath\tlag\nd1\tdata.h5ad\tzero\n", r"row 2 \(id=d1\): field 'lag': 'zero' is not of type 'integer'"),
    ("id\tpath\nd1\tdata.h5ad\nd1\tdata.h5ad\n", r"row 3 \(id=d1\): id 'd1' is already used in row 2"),
    ("id\tpath\nbad id\tdata.h5ad\n", r"row 2 \(id=bad id\): field 'id'"),
    ("id\tpath\treference_kind\nd1\tdata.h5ad\ttrrust\n", r"field 'reference_kind': 'trrust' is not one of"),
])
def test_bad_sheets_name_row_and_field(tmp_path, text, match):
    with pytest.raises(InputError, match=match):
        load_sheet(_sheet(tmp_path, text), SCHEMAS / "datasets.schema.yaml", base_dir=tmp_path)


def test_the_shipped_demo_sheet_names_only_columns_its_files_have():
    """A time or series key named in the sheet must exist (issue: a typo must not silently mean "one
    series" or "compute a pseudotime"), so the demo sheet must name only keys its files hold."""
    import anndata as ad
    import pandas as pd

    root = Path(__file__).resolve().parents[2]
    sheet = pd.read_csv(root / "config" / "datasets.tsv", sep="\t", comment="#", dtype=str).fillna("")
    for _, row in sheet.iterrows():
        obs = ad.read_h5ad(root / row["path"], backed="r").obs
        for key in ("time_key", "series_key"):
            assert not row[key] or row[key] in obs, f"{row['id']}: {key} {row[key]!r} not in {list(obs)}"


def test_sheet_that_is_not_tab_separated_says_so(tmp_path):
    f = tmp_path / "datasets.tsv"
    f.write_text("id,path\nx,data.h5ad\n")
    with pytest.raises(InputError, match="the sheet must be tab-separated"):
        load_sheet(f, SCHEMAS / "datasets.schema.yaml", base_dir=tmp_path)


def test_every_problem_of_a_sheet_is_reported_at_once(tmp_path):
    (tmp_path / "a.h5ad").write_text("")
    f = tmp_path / "datasets.tsv"
    f.write_text("id\tpath\treference_kind\n"
                 "one\tmissing.h5ad\tgold\n"
                 "two\ta.h5ad\tgolden\n"
                 "one\ta.h5ad\tgold\n")
    with pytest.raises(InputError) as err:
        load_sheet(f, SCHEMAS / "datasets.schema.yaml", base_dir=tmp_path)
    msg = str(err.value)
    assert msg.startswith("3 problems in the dataset sheet")
    assert "missing.h5ad does not exist" in msg and "'golden'" in msg and "already used in row 2" in msg


def test_a_typo_in_a_config_value_fails_validation():
    import yaml

    cfg = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    cfg["infer"]["device"] = "cuda:x"
    with pytest.raises(InputError, match="infer.device"):
        validate_config(cfg, SCHEMAS / "config.schema.yaml")


def _real_h5ad(tmp_path):
    from grngc.simulate import grn, to_anndata

    tc, truth = grn(p=5, n_series=2, T=8, seed=0)
    adata = to_anndata(tc)
    adata.obs["Time"] = adata.obs.pop("time")
    adata.write_h5ad(tmp_path / "d.h5ad")
    return tc.genes


def test_sheet_keys_and_reference_are_checked_against_the_data_before_any_job(tmp_path):
    """`snakemake -n` must catch what the run would fail on later, with the message on the console: a
    time or series key the file lacks (with 'did you mean'), a reference that names none of its genes."""
    genes = _real_h5ad(tmp_path)
    (tmp_path / "ref_ids.tsv").write_text("regulator\ttarget\nENSG01\tENSG02\n")
    (tmp_path / "ref_ok.tsv").write_text(f"regulator\ttarget\n{genes[0]}\t{genes[1]}\n")
    p = tmp_path / "datasets.tsv"
    p.write_text("id\tpath\ttime_key\tseries_key\treference\n"
                 "a\td.h5ad\ttime\tseries\tref_ok.tsv\n"
                 "b\td.h5ad\tTime\tbatch\tref_ids.tsv\n"
                 "c\td.h5ad\tTime\tseries\tref_ok.tsv\n")
    with pytest.raises(InputError) as err:
        load_sheet(p, SCHEMAS / "datasets.schema.yaml", base_dir=tmp_path)
    text = str(err.value)
    assert "3 problems" in text
    assert "row 2 (id=a): field 'time_key'" in text and "did you mean 'Time'" in text
    assert "row 3 (id=b): field 'series_key'" in text and "'batch'" in text
    assert "row 3 (id=b): field 'reference': none of the 1 edges of ref_ids.tsv joins two genes" in text
    assert "id=c" not in text
