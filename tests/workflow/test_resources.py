"""Cluster resources of infer jobs grow with the data and with each retry (grngc.pipeline.resources)."""
import anndata as ad
import numpy as np
import scipy.sparse as sp

from grngc.pipeline.resources import h5ad_shape, infer_resources


def test_resources_grow_with_size_and_attempt():
    small = infer_resources(200, 10, mem_mb_floor=4000, runtime_floor=60)
    assert small == {"mem_mb": 4000, "runtime": 60}  # the config's values are floors
    big = infer_resources(20_000, 2_000, mem_mb_floor=4000, runtime_floor=60)
    # 4e7 genes x samples: 10 s / epoch, 5 models x 800 epochs -> 669 min x 2; memory 2 x (1000 + 4000) MB
    assert big == {"mem_mb": 10_000, "runtime": 1338}
    again = infer_resources(20_000, 2_000, attempt=2, mem_mb_floor=4000, runtime_floor=60)
    assert again == {"mem_mb": 20_000, "runtime": 2676}


def test_h5ad_shape_reads_dense_and_sparse_headers(tmp_path):
    ad.AnnData(np.zeros((7, 3), np.float32)).write_h5ad(tmp_path / "d.h5ad")
    ad.AnnData(sp.csr_matrix(np.eye(5, 4, dtype=np.float32))).write_h5ad(tmp_path / "s.h5ad")
    assert h5ad_shape(tmp_path / "d.h5ad") == (7, 3)
    assert h5ad_shape(tmp_path / "s.h5ad") == (5, 4)
    (tmp_path / "x.h5ad").write_text("not hdf5")
    assert h5ad_shape(tmp_path / "x.h5ad") is None
