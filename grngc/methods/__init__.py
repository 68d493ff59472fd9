"""Every method grngc runs, registered once (decoupler's layout): one module per method, each declaring
its :class:`Method` entries (name, function, reference, parameters); :data:`REGISTRY` collects them.

Two roles:

* ``"model"``: a value of ``GRNGCConfig.model`` (``--model``, the pipeline's ``infer.model``): GRNGC's
  forecasting models (:mod:`grngc.methods.forecasters`), plus the closed-form ridge VAR and GENIE3's
  forests, which the default ensemble uses as members;
* ``"baseline"``: a method run beside GRNGC on the same data (``grngc baseline``,
  :func:`grngc.tl.baseline`, the pipeline's ``compare.methods``, the benchmarks' anchors).

The command line's choices, the schemas' enums (written by ``scripts/update_schema_enums.py``, compared by
``tests/methods/test_registry.py``), ``tl``
and the pipeline read this registry. Importing it loads no torch.
"""
from __future__ import annotations

from .registry import ROLES, Method, Param  # noqa: F401  (the registry's types, re-exported)


def _collect() -> dict[str, Method]:
    from . import correlation, forecasters, genie3, grnboost2, ridge, tigress

    out: dict[str, Method] = {}
    for module in (forecasters, ridge, genie3, grnboost2, tigress, correlation):
        for m in module.METHODS:
            if m.name in out:
                raise RuntimeError(f"method {m.name!r} registered twice")
            if not set(m.roles) <= set(ROLES):
                raise RuntimeError(f"method {m.name!r}: unknown role in {m.roles}")
            out[m.name] = m
    return out


REGISTRY: dict[str, Method] = _collect()


def names(role: str) -> tuple[str, ...]:
    """The names of every method with ``role`` ("model" or "baseline"), in registry order."""
    if role not in ROLES:
        raise ValueError(f"role {role!r}: use one of {ROLES}")
    return tuple(n for n, m in REGISTRY.items() if role in m.roles)


def get(name: str, role: str = "baseline") -> Method:
    """The method ``name`` with ``role``; a ValueError that lists the choices otherwise."""
    m = REGISTRY.get(name)
    if m is None or role not in m.roles:
        raise ValueError(f"unknown {role} {name!r}; choose one of {', '.join(names(role))}")
    return m


def baseline_params() -> dict[str, Param]:
    """Every baseline parameter by name (shared ones, such as GENIE3's trees, once)."""
    out: dict[str, Param] = {}
    for name in names("baseline"):
        for p in REGISTRY[name].params:
            out.setdefault(p.name, p)
    return out


def run_baseline(name: str, tc, regulators=None, seed: int = 0, n_jobs: int = 1, **params):
    """``(p, p)`` scores ``S[regulator, target]`` of baseline ``name`` on the time course ``tc``.
    ``regulators``: gene indices that may regulate (None: every gene); the rows of the other genes are
    0 whatever the method (the regression methods use only the regulators as inputs; the others, such
    as the correlation, are cut here). Parameters not of this method are ignored, so that one set of
    options (the command line's) serves every method."""
    import numpy as np

    m = get(name, "baseline")
    own = {p.name: params.get(p.name, p.default) for p in m.params}
    S = m.load("run")(tc, regulators, seed=seed, n_jobs=n_jobs, **own)
    if regulators is not None:
        S[np.setdiff1d(np.arange(S.shape[0]), list(regulators))] = 0.0
    return S


__all__ = ["Method", "Param", "REGISTRY", "ROLES", "baseline_params", "get", "names", "run_baseline"]
