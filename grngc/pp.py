"""``grngc.pp``: preprocessing in scanpy's manner: works on the AnnData you give, in place (returns
``None``), or on a copy (``copy=True`` returns it). The steps are those of the pipeline's ``preprocess``
rule (:mod:`grngc.io.preprocess`): normalize and log1p counts, select genes, order cells by time or
diffusion pseudotime, optionally average them into bins along it."""
from __future__ import annotations

from .timecourse import InputError


def preprocess(adata, root: str | None = None, time_key: str | None = None, series_key: str | None = None,
               layer: str | None = None, copy: bool = False, **settings):
    """Prepare ``adata`` for :func:`grngc.tl.infer`.

    Parameters
    ----------
    adata
        AnnData: observations are samples or cells, ``var`` genes; raw counts or log values.
    root
        Without a time key: where diffusion pseudotime starts, ``KEY=VALUE`` (a group of cells in ``obs``,
        e.g. ``"stage=early"``) or ``"cell:NAME"``.
    time_key, series_key
        ``obs`` columns with time and series (unset: ``time`` and ``series`` when present). A named
        column must exist.
    layer
        Use ``adata.layers[layer]`` instead of ``X``.
    copy
        Return a new AnnData instead of changing ``adata``.
    **settings
        Any :class:`grngc.io.preprocess.PreprocessConfig` field: ``normalize``, ``genes`` ("all", "hvg",
        "list", "tfs_targets"), ``max_genes``, ``n_bins``, ``n_pcs``, ``n_neighbors``, ``seed``, ...

    Returns
    -------
    ``None`` (``adata`` now holds the prepared data: ``obs['time']``, ``obs['series']``, the kept genes,
    cells in time order, the record in ``uns['grngc_preprocess']``), or the new AnnData when ``copy``.
    """
    import dataclasses

    from .io.expression import use_layer_and_keys
    from .io.preprocess import PreprocessConfig
    from .io.preprocess import preprocess as run

    known = {f.name for f in dataclasses.fields(PreprocessConfig)}
    unknown = set(settings) - known
    if unknown:
        raise InputError(f"grngc.pp.preprocess: unknown setting(s) {sorted(unknown)}; known: {sorted(known)}")
    work = adata.copy()  # the caller's AnnData changes only at the end, and only when all went well
    use_layer_and_keys(work, time_key, series_key, layer, "<AnnData>")
    out, _, _ = run(work, PreprocessConfig(root=root, time_key=time_key, series_key=series_key, **settings),
                    source="<AnnData>")
    if copy:
        return out
    # in place, as scanpy's functions are: the same object now holds the prepared data (genes and cells
    # may be fewer, cells are in time order)
    adata._init_as_actual(X=out.X, obs=out.obs, var=out.var, uns={**dict(adata.uns), **dict(out.uns)})
    return None
