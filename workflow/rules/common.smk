# Helpers and input functions shared by the rules. Validation and all real work live in grngc/.
import sys
from pathlib import Path

# the installed grngc (pip install grngc, or -e . for a checkout): never this file's source tree by path
from grngc.methods import REGISTRY, names
from grngc.pipeline.sheet import load_sheet, validate_config
from grngc.timecourse import InputError

# workflow/, found from this file (workflow.basedir is the user's Snakefile's folder when used as a module)
WORKFLOW_DIR = Path(workflow.current_basedir.get_path_or_uri(secret_free=True)).parent
SCHEMAS = WORKFLOW_DIR / "schemas"
try:
    config = validate_config(config, SCHEMAS / "config.schema.yaml", source="config")
    SHEET = {row["id"]: row for row in load_sheet(config["datasets"], SCHEMAS / "datasets.schema.yaml")}
except InputError as err:
    raise WorkflowError(f"grngc configuration error: {err}") from None



def infer_resource(name):
    """mem_mb or runtime of an infer/sweep job: grown with the prepared data's genes x samples and with
    each retry (grngc.pipeline.resources); the config's value is the floor. Before the data exist (a dry run):
    the config's value."""
    from grngc.pipeline.resources import h5ad_shape, infer_resources

    def fn(wildcards, input, attempt):
        shape = h5ad_shape(input.prepared) if Path(input.prepared).exists() else None
        floor = config["infer"][name]
        if shape is None:
            return floor * attempt
        return infer_resources(*shape, attempt=attempt, mem_mb_floor=config["infer"]["mem_mb"],
                               runtime_floor=config["infer"]["runtime"])[name]

    return fn


def _grngc_command():
    """The `grngc` console script that jobs run: with --sdm conda or apptainer, the one on the PATH of
    the job's environment or container; for plain runs, the one installed beside the Python that runs
    snakemake (so a venv works without being activated), else the PATH's."""
    try:
        from snakemake.settings.types import DeploymentMethod

        deployed = workflow.deployment_settings.deployment_method
        if DeploymentMethod.CONDA in deployed or DeploymentMethod.APPTAINER in deployed:
            return "grngc"
    except (ImportError, AttributeError):
        return "grngc"
    beside = Path(sys.executable).with_name("grngc")
    return str(beside) if beside.exists() else "grngc"


GRNGC = _grngc_command()
ENV_CPU = "../envs/grngc-cpu.yaml"
ENV_GPU = "../envs/grngc-cuda.yaml"


wildcard_constraints:
    ds="|".join(SHEET) or "^$",
    seed=r"\d+",
    lam=r"[0-9.eE+-]+",
    method="|".join(names("baseline")),


def ds_setting(ds, section, key):
    """A per-dataset override from the sheet, else the config's value (None when neither sets it)."""
    return SHEET[ds].get(key, config[section].get(key))


def raw_input(wildcards):
    return SHEET[wildcards.ds]["path"]


def optional_file(key):
    def fn(wildcards):
        path = SHEET[wildcards.ds].get(key)
        return [path] if path else []

    return fn


def preprocess_args(ds):
    row = SHEET[ds]
    args = [
        f"--normalize {ds_setting(ds, 'preprocess', 'normalize')}",
        f"--target-sum {config['preprocess']['target_sum']}",
        f"--genes {ds_setting(ds, 'preprocess', 'genes')}",
        f"--max-genes {ds_setting(ds, 'preprocess', 'max_genes')}",
        f"--pseudotime {config['preprocess']['pseudotime']}",
        f"--bins {ds_setting(ds, 'preprocess', 'n_bins')}",
    ]
    for key, flag in (("time_key", "--time-key"), ("series_key", "--series-key"), ("format", "--format"),
                      ("layer", "--layer"), ("pseudotime_root", "--root"), ("tfs", "--tfs"),
                      ("gene_list", "--gene-list")):
        if row.get(key):
            args.append(f"{flag} '{row[key]}'")
    return " ".join(args)


def infer_args(ds):
    """The grngc infer options of a dataset: the preset, then only the settings the config or sheet sets."""
    args = [f"--preset {ds_setting(ds, 'infer', 'preset')}"]
    for key in ("kind", "model", "lag", "lam", "input_dropout", "target", "epochs", "n_seeds"):
        value = ds_setting(ds, "infer", key)
        if value is not None:
            args.append(f"--{key.replace('_', '-')} {value}")
    same_time = ds_setting(ds, "infer", "same_time")
    if same_time is not None:
        args.append("--same-time" if same_time else "--no-same-time")
    if config["infer"].get("velocity") is False:  # the schema's default is true
        args.append("--no-velocity")
    return " ".join(args + [regulators_arg(ds), f"--device {config['infer']['device']}", "--no-progress"])


def regulators_arg(ds):
    """--regulators TFS when infer.regulators is "tfs": inference and every evaluation use the sheet's TF list."""
    if config["infer"]["regulators"] != "tfs":
        return ""
    tfs = SHEET[ds].get("tfs")
    if not tfs:
        raise WorkflowError(f"grngc configuration error: infer.regulators is 'tfs' but dataset {ds!r} has no tfs "
                            "file in the sheet; add one or set infer.regulators: all")
    return f"--regulators '{tfs}'"


def threshold_args(ds):
    method = SHEET[ds].get("threshold_method", config["threshold"]["method"])
    value = SHEET[ds].get("threshold_value", config["threshold"]["value"])
    return f"--method {method}" + ("" if value is None else f" --value {value}")


def seed_runs(wildcards):
    return expand("results/{ds}/grngc/seed{seed}/edges.tsv", ds=wildcards.ds, seed=config["infer"]["seeds"])


def named_by_seed(paths):
    """Per-seed files as NAME=PATH arguments (seed0=..., seed100=...), in config order."""
    return " ".join(f"seed{s}={p}" for s, p in zip(config["infer"]["seeds"], paths))


def seed_records(wildcards):
    return expand("results/{ds}/grngc/seed{seed}/run.json", ds=wildcards.ds, seed=config["infer"]["seeds"])


BASELINE_METHODS = names("baseline")  # the registry's (grngc.methods); the sheet has columns for genie3, tigress
# config keys that set a baseline's parameter (grngc.methods' Param names)
BASELINE_CONFIG = {"n_trees": "genie3_trees", "resamples": "tigress_resamples"}


def baseline_args(method):
    """The command-line options of a pipeline-run baseline from compare.* in the config."""
    return " ".join(f"{p.flag} {config['compare'][BASELINE_CONFIG[p.name]]}" for p in REGISTRY[method].params
                    if p.name in BASELINE_CONFIG)


def baseline_edges(wildcards):
    """Per baseline method: the user's file from the sheet, else the pipeline's own run (if configured)."""
    row = SHEET[wildcards.ds]
    out = {}
    for method in BASELINE_METHODS:
        if row.get(method):
            out[method] = row[method]
        elif method in config["compare"]["run_baselines"]:
            out[method] = f"results/{wildcards.ds}/baselines/{method}.tsv"
    return out


def reference_arg(ds):
    ref = SHEET[ds].get("reference")
    return f"--reference '{ref}'" if ref else ""


def all_outputs():
    files = ["results/summary.tsv"]
    for ds in SHEET:
        files += [
            f"results/{ds}/network.tsv",
            f"results/{ds}/network.graphml",
            f"results/{ds}/network_annotated.tsv",
            f"results/{ds}/metrics.json",
            f"results/{ds}/compare/compare.tsv",
            f"results/{ds}/figures/heatmap.png",
            f"results/{ds}/figures/network.png",
            f"results/{ds}/figures/loss.png",
        ]
        if config["sweep"]["enabled"]:
            files.append(f"results/{ds}/sweep.tsv")
    return files
