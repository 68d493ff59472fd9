"""GRNGCConfig checks itself, so every entry point stops on a bad setting with the same message; the
pipeline's schema allows exactly the values the config does."""
from pathlib import Path

import numpy as np
import pytest
import yaml

from grngc.config import CHOICES, GRNGCConfig
from grngc.timecourse import InputError

SCHEMA = Path(__file__).resolve().parents[2] / "workflow" / "schemas" / "config.schema.yaml"


def test_schema_enums_are_the_configs_choices():
    """scripts/update_schema_enums.py writes them from the package; this catches a schema left behind."""
    infer = yaml.safe_load(SCHEMA.read_text())["properties"]["infer"]["properties"]
    with_enum = {k: v["enum"] for k, v in infer.items() if isinstance(v, dict) and "enum" in v}
    for name in ("model", "target", "kind"):
        assert tuple(with_enum[name]) == CHOICES[name], f"{name}: run python scripts/update_schema_enums.py"
    assert set(with_enum) - set(CHOICES) <= {"preset", "regulators"}  # pipeline-only choices


def test_both_schemas_offer_every_preset():
    """config.yaml's infer.preset and the sheet's preset column: exactly the package's presets (the
    consensus preset was once missing from both, so the pipeline refused a documented value)."""
    from grngc.core.presets import PRESETS

    sheet = yaml.safe_load((SCHEMA.parent / "datasets.schema.yaml").read_text())["properties"]["preset"]
    infer = yaml.safe_load(SCHEMA.read_text())["properties"]["infer"]["properties"]["preset"]
    assert infer["enum"] == sheet["enum"] == list(PRESETS)


@pytest.mark.parametrize("bad, message", [
    ({"model": "mpl"}, "model='mpl': choose one of mlp"),
    ({"target": "levels"}, "target='levels': choose one of delta, level"),
    ({"lag": -1}, "lag=-1: use a number >= 0"),
    ({"epochs": 0}, "epochs=0"),
    ({"n_seeds": 0}, "n_seeds=0"),
    ({"combine": "mean"}, "combine='mean': choose one of rank, shares"),
    ({"members": ({"model": "kan2"},)}, "ensemble member 1: model 'kan2'"),
])
def test_bad_settings_stop_at_once_with_the_same_message_everywhere(bad, message):
    import grngc

    with pytest.raises(InputError, match=message):
        GRNGCConfig(**bad)
    with pytest.raises(InputError, match=message):  # the API: before any data is looked at
        grngc.infer(np.zeros((3, 2)), **bad)


def test_every_preset_is_a_valid_config():
    from grngc.core.presets import PRESETS, resolve_config

    for name in PRESETS:
        assert isinstance(resolve_config(name), GRNGCConfig)
