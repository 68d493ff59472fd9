"""The pre-registered selection (:mod:`protocol.rules`) and its replay from a results table.

``table`` everywhere is a ``candidates x families`` frame of the criterion (a family's figure is the
mean over its datasets). With ``F`` the families and ``c(k, G)`` candidate ``k``'s figure on family ``G``,

.. math::
    \\mathrm{pick}(F') = \\arg\\max_k \\frac{1}{|F'|} \\sum_{G \\in F'} c(k, G)

(the first in pool order within :data:`rules.TIE`), and the family-out figure of a family ``H`` is
``c(pick(F \\ {H}), H)``: nothing chosen for ``H`` ever read ``H``'s column.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import rules


def pick(table: pd.DataFrame, families, tie: float = rules.TIE) -> str:
    """The candidate (row of ``table``, in its order) with the best mean over ``families``."""
    means = table.loc[:, list(families)].mean(axis=1).to_numpy()
    best = np.flatnonzero(means >= means.max() - tie)[0]  # the earliest of the tied
    return table.index[best]


def family_out(table: pd.DataFrame, families) -> pd.DataFrame:
    """Per held family: the pick on the other families and its figure on the held one."""
    families = list(families)
    rows = []
    for held in families:
        chosen = pick(table, [f for f in families if f != held])
        rows.append({"family": held, "chosen": chosen, "figure": float(table.loc[chosen, held])})
    return pd.DataFrame(rows)


def eligible(table: pd.DataFrame, seconds: pd.Series | None) -> pd.DataFrame:
    """The rows of ``table`` the selection may pick: the pool's candidates (never an anchor that is not
    one) within the cost rule (``seconds``: the cost table, :mod:`protocol.cost`), in pool order."""
    from . import candidates, cost

    names = [c for c in candidates.pool() if c in table.index]
    if seconds is not None:
        names = cost.admissible(names, seconds)
    return table.loc[names]


def replay(table: pd.DataFrame, seconds: pd.Series | None = None) -> dict:
    """What the registration deploys and reports from its results table and cost table alone: the pick
    on all families, the family-out picks and figures, and their mean over all, external and simulated
    families. ``table`` holds the candidates the selection may pick (:func:`eligible`)."""
    if seconds is not None:
        table = eligible(table, seconds)
    fo = family_out(table, rules.FAMILIES).set_index("family")["figure"]
    return {"deployed": pick(table, rules.FAMILIES), "family_out": fo.to_dict(),
            "mean": float(fo.mean()), "external": float(fo[list(rules.EXTERNAL)].mean()),
            "simulated": float(fo[list(rules.SIMULATED)].mean())}
