"""The conda environments stay in step with the package's own requirements (they cannot be solved here:
conda-forge is not reachable from the project's machines), and every version is pinned."""
import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CONDA_NAME = {"torch": {"grngc-cpu.yaml": "pytorch-cpu", "grngc-cuda.yaml": "pytorch-gpu"},
              "matplotlib": "matplotlib-base"}


@pytest.mark.parametrize("env", ["grngc-cpu.yaml", "grngc-cuda.yaml"])
def test_env_has_every_runtime_dependency_pinned(env):
    spec = yaml.safe_load((ROOT / "envs" / env).read_text())
    assert spec["channels"][0] == "conda-forge"
    pins = dict(re.match(r"([A-Za-z0-9_.-]+)=(\S+)", d).groups() for d in spec["dependencies"])
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    for requirement in project:
        name = re.match(r"[A-Za-z0-9_.-]+", requirement).group(0)
        conda = CONDA_NAME.get(name, name)
        conda = conda[env] if isinstance(conda, dict) else conda
        assert conda in pins, f"{env} lacks {conda} (pyproject: {requirement})"
    assert "pyyaml" in pins and "python" in pins


def test_version_floors_cover_what_the_code_uses():
    """requires-python covers snakemake 9 and tomllib (3.11); the torch floor has torch.OutOfMemoryError
    (2.5), which train.py catches: on older torch every exception there became an AttributeError."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.11"
    torch_req = next(r for r in project["dependencies"] if r.startswith("torch"))
    floor = tuple(int(x) for x in re.search(r">=(\d+)\.(\d+)", torch_req).groups())
    assert floor >= (2, 5)
    import torch

    assert hasattr(torch, "OutOfMemoryError")
    for env in ("grngc-cpu.yaml", "grngc-cuda.yaml"):
        pins = dict(re.match(r"([A-Za-z0-9_.-]+)=(\S+)", d).groups()
                    for d in yaml.safe_load((ROOT / "envs" / env).read_text())["dependencies"])
        assert tuple(int(x) for x in pins["python"].split(".")[:2]) >= (3, 11)
