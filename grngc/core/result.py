"""The result of an inference: the network, its signs and lags, and the run record."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..io.network import attach_edge_attributes, scores_to_edges


@dataclass
class GRNGCResult:
    """Scores of every directed pair (``scores[i, j]``: edge ``genes[i] -> genes[j]``) and the run record."""

    scores: np.ndarray
    genes: list[str]
    record: dict = field(default_factory=dict)
    lags: np.ndarray | None = None  # lags[i, j]: the lag carrying the most gradient of i -> j (one model, lag > 1)
    signs: np.ndarray | None = None  # +1 activation, -1 repression (sign of the mean gradient; int8 in the cells mode)
    sign_agreement: np.ndarray | None = None  # fraction of windows whose gradient has that sign

    def edges(self, top: int | None = None, per_target: int | None = None) -> pd.DataFrame:
        """``regulator, target, score`` (and ``sign``, ``sign_agreement``, ``lag`` where known, and ``direction``:
        what decided it, ``time``, ``velocity``, ``pseudotime``, ``spread`` or ``undirected``, with ``+spread`` where
        the genes' spreads also weigh the pair; grngc.core.run.DIRECTION_MEANING), highest score first: every ordered pair
        of distinct genes, or the ``top`` best pairs together with the ``per_target`` best regulators of
        each target. A run given regulators lists only their rows."""
        edges = attach_edge_attributes(scores_to_edges(self.scores, self.genes, top, per_target),
                                       {"sign": self.signs, "sign_agreement": self.sign_agreement, "lag": self.lags},
                                       self.genes)
        if self.record.get("direction_from"):  # what decided the direction (run.json direction_from)
            edges["direction"] = self.record["direction_from"]
        regulators = (self.record.get("regulators") or {}).get("names")
        if regulators is not None:  # a run restricted to regulators: only their rows are the network
            edges = edges[edges["regulator"].isin(set(regulators))].reset_index(drop=True)
        return edges
