"""What a method of the registry declares (:class:`Method`, :class:`Param`): below the method modules, which
import it, and :mod:`grngc.methods`, which collects them."""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module

ROLES = ("model", "baseline")


@dataclass(frozen=True)
class Param:
    """A parameter of a baseline: ``--{name with dashes}`` on the command line, ``name=`` in the API."""

    name: str
    default: object
    help: str
    choices: tuple | None = None

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


@dataclass(frozen=True)
class Method:
    """One method. ``run`` (role baseline): ``"module:function"`` of ``f(tc, regulators, seed, n_jobs,
    **params) -> S`` with ``S[regulator, target]``; ``model`` (a trained GRNGC model):
    ``"module:Class"`` of :mod:`grngc.models` and the keyword arguments fixed for this name."""

    name: str
    roles: tuple[str, ...]
    summary: str
    reference: str
    run: str | None = None
    model: str | None = None
    options: dict = field(default_factory=dict)
    params: tuple[Param, ...] = ()
    uses_time: bool = False  # a baseline that reads the order of the samples (lagged pairs)

    def load(self, what: str = "run"):
        """The function (``"run"``) or model class (``"model"``, with :attr:`options` applied) it names."""
        path = getattr(self, what)
        if path is None:
            raise ValueError(f"method {self.name!r} has no {what}")
        module, _, attr = path.partition(":")
        obj = getattr(import_module(module), attr)
        if what == "model" and self.options:
            from functools import partial

            return partial(obj, **self.options)
        return obj
