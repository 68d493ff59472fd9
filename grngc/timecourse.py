"""The in-memory form of every expression input: samples ordered in time within series."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp


class InputError(ValueError):
    """Bad user input. The message names the file, the field and the fix."""


def _hash_values(h, M, columns=None, chunk: int = 2048) -> None:
    """Feed ``M``'s values (its ``columns`` in that order, all when None) to the hash ``h`` as the bytes of
    their dense float64 copy, row after row, a block of rows at a time: a sparse and a dense copy of the same
    values hash alike, and neither an atlas nor its columns reordered is ever copied whole."""
    for start in range(0, M.shape[0], chunk):
        block = M[start:start + chunk]
        block = block.toarray() if sp.issparse(block) else block
        if columns is not None:
            block = block[:, columns]
        h.update(np.ascontiguousarray(block, dtype=np.float64).tobytes())


@dataclass
class TimeCourse:
    """Expression ordered in time, possibly split into several independent series.

    Attributes
    ----------
    X
        ``(n_samples, n_genes)`` float array, or a ``scipy.sparse`` matrix (kept sparse, CSR: an atlas of
        counts or log values; the single-cell mode reads it in blocks of cells, every other mode makes it
        dense, :meth:`densified`).
    genes
        Gene names, one per column of ``X``.
    time
        ``(n_samples,)`` time (or pseudotime) of each sample.
    series
        ``(n_samples,)`` label of the series (replicate, trajectory, lineage) each sample belongs to.
        Windows never cross from one series into another.
    source
        Where the data came from (a path), for messages and the run record.
    velocity
        ``None``, or ``(spliced, unspliced)``: two ``(n_samples, n_genes)`` float arrays, or sparse
        matrices (kept sparse, CSR float64), of the same cells and genes as ``X`` (normalized,
        log-transformed counts of each kind of RNA), which the single-cell mode reads RNA velocity's
        direction from (:func:`grngc.cells.velocity_lead`).
    """

    X: np.ndarray
    genes: list[str]
    time: np.ndarray
    series: np.ndarray
    source: str = "<array>"
    velocity: tuple | None = None  # (spliced, unspliced), dense or sparse

    def __post_init__(self) -> None:
        if sp.issparse(self.X):  # no dense copy; float32 values stay float32
            self.X = sp.csr_matrix(self.X, dtype=self.X.dtype if self.X.dtype in (np.float32, np.float64) else np.float64)
        else:
            self.X = np.asarray(self.X, dtype=np.float64)
        self.time = np.asarray(self.time, dtype=np.float64)
        self.series = np.asarray(self.series).astype(str)
        self.genes = [str(g) for g in self.genes]
        n, p = self.X.shape
        if len(self.genes) != p:
            raise InputError(f"{self.source}: {p} expression columns but {len(self.genes)} gene names")
        if self.time.shape != (n,) or self.series.shape != (n,):
            raise InputError(f"{self.source}: time and series must have one entry per sample ({n})")
        if self.velocity is not None:  # sparse layers (an atlas) stay sparse, as X does
            self.velocity = tuple(sp.csr_matrix(v, dtype=np.float64) if sp.issparse(v) else np.asarray(v, dtype=np.float64)
                                  for v in self.velocity)
            if len(self.velocity) != 2 or any(v.shape != (n, p) for v in self.velocity):
                raise InputError(f"{self.source}: the spliced and unspliced layers must have the shape of the "
                                 f"expression ({n} samples x {p} genes)")
        self._sort()

    def _sort(self) -> None:
        # Rows ordered by series label, then time, then (for samples at the same time, e.g. cells
        # with tied pseudotime) a hash of their values in gene-name order: the order of the input
        # rows never matters, so shuffled samples give the same windows and the same network. A hash,
        # not the values themselves: sorting tied cells by one gene's level would invent a trend.
        order = np.lexsort((self.time, self.series))
        s, t = self.series[order], self.time[order]
        tied = (s[1:] == s[:-1]) & (t[1:] == t[:-1])
        if tied.any():  # hashing every row costs seconds on large inputs: only when it matters
            by_name = sorted(range(self.n_genes), key=lambda k: self.genes[k])
            tie_key = np.array([int.from_bytes(hashlib.blake2b(r.tobytes(), digest_size=8).digest(), "little")
                                for r in self._dense_rows(by_name)], dtype=np.uint64)
            order = np.lexsort((tie_key, self.time, self.series))
        if (order == np.arange(len(order))).all():  # already in order: no copy (an atlas is GB)
            return
        self.X, self.time, self.series = self.X[order], self.time[order], self.series[order]
        if self.velocity is not None:
            self.velocity = tuple(v[order] for v in self.velocity)

    @property
    def is_sparse(self) -> bool:
        return sp.issparse(self.X)

    def _dense_rows(self, columns=None, chunk: int = 2048):
        """Each row of ``X`` (its ``columns``) as a contiguous float64 array, read in blocks when sparse:
        a sparse and a dense copy of the same values give the same rows (hashes, tie order)."""
        X = self.X if columns is None else self.X[:, columns]
        for start in range(0, self.n_samples, chunk):
            block = X[start:start + chunk]
            block = np.ascontiguousarray(block.toarray() if self.is_sparse else block, dtype=np.float64)
            yield from block

    def densified(self) -> "TimeCourse":
        """The same data with a dense ``X`` (itself when already dense); the velocity layers as they are (the
        direction reads sparse ones in blocks)."""
        if not self.is_sparse:
            return self
        return TimeCourse(self.X.toarray(), self.genes, self.time, self.series, self.source, self.velocity)

    def time_ties(self) -> dict | None:
        """Samples that share their time with another sample of their series (None if none)."""
        same = (self.series[1:] == self.series[:-1]) & (self.time[1:] == self.time[:-1])
        if not same.any():
            return None
        tied = np.zeros(self.n_samples, bool)
        tied[1:] |= same
        tied[:-1] |= same
        k = int(np.argmax(same))
        return {"samples": int(tied.sum()), "first_series": str(self.series[k]), "first_time": float(self.time[k])}

    @property
    def n_genes(self) -> int:
        return self.X.shape[1]

    @property
    def n_samples(self) -> int:
        return self.X.shape[0]

    def series_slices(self) -> list[tuple[str, slice]]:
        """Contiguous row ranges of each series (rows are sorted by series, then time)."""
        out, start = [], 0
        for k in range(1, self.n_samples + 1):
            if k == self.n_samples or self.series[k] != self.series[start]:
                out.append((str(self.series[start]), slice(start, k)))
                start = k
        return out

    def content_hash(self) -> str:
        """SHA-256 of the values, gene names, times and series labels, in canonical order
        (identifies the input whatever the order of its rows and columns). Computed once per object (an
        atlas's X and layers are hashed block by block: a minute; the CLI and the run record both ask)."""
        if "_content_hash" not in self.__dict__:
            self.__dict__["_content_hash"] = self._hash_contents()
        return self.__dict__["_content_hash"]

    def _hash_contents(self) -> str:
        # the columns in name order as they are read, not a reordered copy (rows are in canonical order already)
        order = sorted(range(self.n_genes), key=lambda k: self.genes[k])
        columns = None if order == list(range(self.n_genes)) else order
        h = hashlib.sha256()
        _hash_values(h, self.X, columns)
        h.update("\x1f".join(sorted(self.genes)).encode())
        h.update(np.ascontiguousarray(self.time).tobytes())
        h.update("\x1f".join(self.series).encode())
        for v in self.velocity or ():  # the single-cell mode reads them: part of what identifies the input
            _hash_values(h, v, columns)
        return h.hexdigest()

    def canonical(self, without=()) -> "TimeCourse":
        """The same data with genes in name order (rows are already in canonical order), so that
        the order of the input's gene columns does not change the model or its result; ``without``: genes
        left out in the same step (one copy of the data, not two)."""
        drop = set(without)
        return self.subset_genes(sorted(g for g in self.genes if g not in drop))

    def subset_genes(self, keep: list[str]) -> "TimeCourse":
        """The genes ``keep``, in that order. All of them in the same order: the same arrays, shared, not
        copied (an atlas and its layers are GB; nothing here writes into them)."""
        where = {g: k for k, g in enumerate(self.genes)}
        idx = [where[g] for g in keep]
        if idx == list(range(self.n_genes)):
            return TimeCourse(self.X, list(keep), self.time, self.series, self.source, self.velocity)
        velocity = None if self.velocity is None else tuple(v[:, idx] for v in self.velocity)
        return TimeCourse(self.X[:, idx], keep, self.time, self.series, self.source, velocity)
