"""``grngc.get``: results out of an AnnData as tables (scanpy-style, like ``decoupler.get``)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .io.network import scores_to_edges
from .timecourse import InputError


def edges(adata, key: str = "grngc", top: int | None = None, regulators: list[str] | None = None) -> pd.DataFrame:
    """The scored edges stored by :func:`grngc.tl.infer` (or a baseline) in ``adata.varp[key]``.

    Parameters
    ----------
    adata
        AnnData with ``varp[key]``, entry ``[i, j]`` the score of ``var_names[i] -> var_names[j]``.
    key
        The ``varp`` key (``"grngc"``, ``"genie3"``, ``"tigress"``, ...).
    top
        Keep the ``top`` highest-scoring edges (all when ``None``).
    regulators
        Keep only edges whose regulator is one of these genes.

    Returns
    -------
    DataFrame ``regulator, target, score`` (every ordered pair of distinct genes), highest score first,
    with ``sign``, ``sign_agreement`` and ``lag`` where ``varp`` has ``{key}_sign`` etc.
    """
    if key not in adata.varp:
        raise InputError(f"adata.varp has no {key!r} (keys: {list(adata.varp)}); run grngc.tl.infer(adata) first")
    genes = list(map(str, adata.var_names))
    out = scores_to_edges(np.asarray(adata.varp[key]), genes)
    idx = {g: k for k, g in enumerate(genes)}
    i, j = out["regulator"].map(idx).to_numpy(), out["target"].map(idx).to_numpy()
    for column in ("sign", "sign_agreement", "lag"):
        if f"{key}_{column}" in adata.varp:
            values = np.asarray(adata.varp[f"{key}_{column}"])[i, j]
            out[column] = values.astype(int) if column != "sign_agreement" else np.round(values, 4)
    if regulators is not None:
        out = out[out["regulator"].isin(set(regulators))]
    if top is not None:
        out = out.head(int(top))
    return out.reset_index(drop=True)
