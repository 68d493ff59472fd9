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


def conda_pins(spec) -> dict[str, str]:
    """name -> version of the conda packages (not pip itself, nor the pip: section)."""
    return dict(re.match(r"([A-Za-z0-9_.-]+)=(\S+)", d).groups() for d in spec["dependencies"]
                if isinstance(d, str) and d != "pip")


@pytest.mark.parametrize("env", ["grngc-cpu.yaml", "grngc-cuda.yaml"])
def test_env_installs_the_released_grngc_of_this_version(env):
    """Jobs with --sdm conda run the `grngc` of their environment, a release pinned to this workflow's
    version: a pin left behind at a version bump would run other code than the workflow's rules expect."""
    import grngc

    spec = yaml.safe_load((ROOT / "workflow" / "envs" / env).read_text())
    pip = next(d["pip"] for d in spec["dependencies"] if isinstance(d, dict) and "pip" in d)
    assert "pip" in spec["dependencies"]
    assert pip == [f"grngc=={grngc.__version__}"]
    assert tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"] == grngc.__version__


def test_container_installs_this_package_and_the_workflow_names_its_version():
    """--sdm apptainer: the Dockerfile installs the checkout (console script checked at build time) and
    the workflow's container and the config's default name the same version. Not built here: the
    project's machines have neither docker nor apptainer."""
    import grngc

    docker = (ROOT / "Dockerfile").read_text()
    assert "pip install ." in docker and "grngc --version" in docker and "COPY grngc ./grngc" in docker
    tag = f"grngc:{grngc.__version__}"
    assert 'container: config["container"]' in (ROOT / "workflow" / "Snakefile").read_text()  # one literal: the schema's
    config = yaml.safe_load((ROOT / "config" / "config.yaml").read_text())
    schema = yaml.safe_load((ROOT / "workflow" / "schemas" / "config.schema.yaml").read_text())
    assert config["container"].endswith(tag) and schema["properties"]["container"]["default"] == config["container"]


def test_no_workflow_file_edits_sys_path():
    """Jobs and the Snakefile import the installed grngc, never the source tree by path."""
    hits = [p for p in (ROOT / "workflow").rglob("*") if p.is_file() and "sys.path" in p.read_text(errors="ignore")]
    assert not hits, hits


@pytest.mark.parametrize("env", ["grngc-cpu.yaml", "grngc-cuda.yaml"])
def test_env_has_every_runtime_dependency_pinned(env):
    spec = yaml.safe_load((ROOT / "workflow" / "envs" / env).read_text())
    assert spec["channels"][0] == "conda-forge"
    pins = conda_pins(spec)
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
        pins = conda_pins(yaml.safe_load((ROOT / "workflow" / "envs" / env).read_text()))
        assert tuple(int(x) for x in pins["python"].split(".")[:2]) >= (3, 11)
