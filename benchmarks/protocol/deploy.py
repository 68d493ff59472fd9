"""How a protocol pick becomes grngc's ``default`` preset: the candidate's members as
``grngc.core.presets.DEFAULT_MEMBERS`` entries and its way of combining them (``DEFAULT_COMBINE``)."""
from __future__ import annotations

from . import candidates


def preset_members(name: str) -> tuple[dict, ...]:
    """Each member of ``name`` as grngc runs it: a GRNGC model's overrides, the ridge VAR
    ``{"model": "ridge", "lag": 1, "target": "level"}``, GENIE3 ``{"model": "genie3"}``. A member grngc
    cannot run inside an ensemble (TIGRESS, the correlation) raises ValueError."""
    out = []
    for m in candidates.members_of(name):
        if m == "ridge":
            out.append({"model": "ridge", "lag": 1, "target": "level"})
        elif m == "genie3":
            out.append({"model": "genie3"})
        elif m in candidates.MODELS:
            out.append(dict(candidates.MODELS[m]))
        else:
            raise ValueError(f"{m!r} is not a grngc ensemble member")
    return tuple(out)


def preset_combine(name: str) -> str:
    """``"shares"`` for a ``/shares`` candidate, else ``"rank"`` (``GRNGCConfig.combine``)."""
    return "shares" if candidates.uses_shares(name) else "rank"
