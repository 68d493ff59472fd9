"""``grngc.get``: results out of an AnnData as tables (scanpy-style, like ``decoupler.get``)."""
from __future__ import annotations

import logging
import warnings

import numpy as np
import pandas as pd

from .io.network import EDGE_ATTRIBUTES, attach_edge_attributes, scores_to_edges
from .timecourse import InputError

log = logging.getLogger("grngc")


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
        Keep only edges whose regulator is one of these genes (none found: an error; some missing: a
        warning). Default: the regulators the run was given (``uns[key]``), else every gene.

    Returns
    -------
    DataFrame ``regulator, target, score`` (every ordered pair of distinct genes), highest score first,
    with ``sign``, ``sign_agreement`` and ``lag`` where ``varp`` has ``{key}_sign`` etc., and ``direction``
    (``time``, ``velocity``, ``pseudotime``, ``spread`` or ``undirected``, or ``velocity+spread`` etc.: what
    decided it, grngc.core.run.DIRECTION_MEANING; ``spread`` and ``undirected``: not inferred) where the run
    recorded it.
    """
    if key not in adata.varp:
        raise InputError(f"adata.varp has no {key!r} (keys: {list(adata.varp)}); run grngc.tl.infer(adata) first")
    genes = list(map(str, adata.var_names))
    out = attach_edge_attributes(scores_to_edges(np.asarray(adata.varp[key]), genes),
                                 {c: adata.varp.get(f"{key}_{c}") for c in EDGE_ATTRIBUTES}, genes)
    record = adata.uns.get(key, {})
    if isinstance(record, dict) and record.get("direction_from"):  # what decided each edge's direction
        out["direction"] = str(record["direction_from"])
    if regulators is None:  # a run given regulators: only their rows are the network
        regulators = (record.get("regulators") or {}).get("names") if isinstance(record, dict) else None
        regulators = None if regulators is None else list(map(str, regulators))
    else:
        regulators = list(map(str, regulators))
        known = set(genes)
        missing = [g for g in regulators if g not in known]
        if len(missing) == len(regulators):
            raise InputError(f"none of the {len(regulators)} regulators (e.g. {regulators[:3]}) is a gene of the AnnData "
                             f"(var_names e.g. {genes[:3]}); check the gene naming (symbols vs ids, case)")
        if missing:
            msg = (f"{len(missing)} of {len(regulators)} regulators are not genes of the AnnData and have no edges, "
                   f"e.g. {missing[:5]}")
            warnings.warn(msg, stacklevel=2)
            log.warning(msg)
    if regulators is not None:
        out = out[out["regulator"].isin(set(regulators))]
    if top is not None:
        out = out.head(int(top))
    return out.reset_index(drop=True)
