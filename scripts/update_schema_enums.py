"""Write the pipeline schemas' lists of allowed values from the package, where they are defined once:
``grngc.config.CHOICES`` (infer.model, infer.target, infer.kind) and the methods' registry
(compare.run_baselines). Run it after adding a method or a choice; tests/core/test_config.py and
tests/methods/test_registry.py fail until the schemas agree.

Usage: python scripts/update_schema_enums.py
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "workflow" / "schemas"


def enums() -> dict[str, tuple]:
    sys.path.insert(0, str(ROOT))
    from grngc.config import CHOICES
    from grngc.methods import names

    return {"model": CHOICES["model"], "target": CHOICES["target"], "kind": CHOICES["kind"],
            "run_baselines": names("baseline")}


def rewrite(text: str, values: dict[str, tuple]) -> str:
    """Replace the ``enum: [...]`` of each key's line (``key: {enum: [...]...}`` or ``items: {enum: [...]}``
    under ``run_baselines``) with the package's values."""
    for key, allowed in values.items():
        listed = ", ".join(allowed)
        if key == "run_baselines":
            text = re.sub(r"(run_baselines:\n\s+type: array\n\s+items: \{enum: \[)[^\]]*(\])", rf"\g<1>{listed}\g<2>", text)
        else:  # flow style "key: {enum: [...]}" or block style "key:\n    enum: [...]"
            text = re.sub(rf"(^\s+{key}:(?: \{{| *\n\s+)enum: \[)[^\]]*(\])", rf"\g<1>{listed}\g<2>", text,
                          flags=re.M)
    return text


def main() -> int:
    values = enums()
    for name in ("config.schema.yaml", "datasets.schema.yaml"):
        path = SCHEMAS / name
        old = path.read_text()
        new = rewrite(old, values if name == "config.schema.yaml" else {k: values[k] for k in ("model", "kind")})
        if new != old:
            path.write_text(new)
            print(f"rewrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
