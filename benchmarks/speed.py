"""Cost of GRNGC: time per epoch, total time and peak memory against the number of genes, and the
closed-form input Jacobian against plain autograd.

Usage: python benchmarks/speed.py [--sections jacobian,scaling,authors,dream3,genie3] [--threads 2]

``genie3``: the default preset and GENIE3 (300 trees, the protocol's setting) end to end through the
command line (read the .h5ad, infer, write the network) on the DREAM4-100-shaped network of the bulk
protocol's cost rule (benchmarks/protocol/rules.py), one after the other in the same run, and the
ratio default / GENIE3 that the cost rule bounds by 0.5.

Each case runs in a fresh subprocess so that its peak resident memory (ru_maxrss) is its own.
Prints Markdown tables; writes them to benchmarks/out/speed.md.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def run_case(code: str, threads: int) -> dict:
    """Run ``code`` (which must print one JSON line last) in a subprocess; add its peak RSS."""
    prologue = (f"import torch, resource, json, time, sys; torch.set_num_threads({threads}); "
                f"sys.path.insert(0, {str(ROOT)!r}); sys.path.insert(0, {str(HERE)!r})\n")
    epilogue = ("\nRESULT['peak_rss_mb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
                "if torch.cuda.is_available(): RESULT['peak_gpu_mb'] = torch.cuda.max_memory_allocated() / 2**20\n"
                "print('@@' + json.dumps(RESULT))\n")
    out = subprocess.run([sys.executable, "-c", prologue + code + epilogue], capture_output=True, text=True,
                         env={**os.environ, "PYTHONWARNINGS": "ignore"})
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    line = [l for l in out.stdout.splitlines() if l.startswith("@@")][-1]
    return json.loads(line[2:])


JACOBIAN = """
from grngc.models import build_model
from grngc.models.base import GrangerModel
from grngc.granger.gradients import offdiag_mask
p, lag, B, method, model_name = {p}, {lag}, {B}, {method!r}, {model!r}
torch.manual_seed(0)
dev = torch.device("cuda" if torch.cuda.is_available() else "cpu")
m = build_model(model_name, p, lag, {hidden}).to(dev)
x = torch.randn(B, lag, p, device=dev)
mask = offdiag_mask(p, lag).to(dev)

def jac():
    if method == "closed_form":
        return m.input_jacobian(x)
    if method == "batched_vjp":
        return GrangerModel.input_jacobian(m, x)
    # plain autograd, as in the authors' code: one second-order backward pass per output gene
    xr = x.clone().requires_grad_(True)
    y = m(xr)
    rows = [torch.autograd.grad(y[:, j].sum(), xr, create_graph=True)[0] for j in range(p)]
    return torch.stack(rows, 1)

times = []
for it in range(4):
    t = time.perf_counter()
    J = jac()
    pen = (J.abs() * mask).mean()
    pen.backward()
    if dev.type == "cuda":
        torch.cuda.synchronize()
    times.append(time.perf_counter() - t)
RESULT = dict(model=model_name, p=p, lag=lag, windows=B, method=method, seconds_per_penalty_step=min(times[1:]))
"""

SCALING = """
from grngc import simulate
from grngc.granger.train import GRNGCConfig, fit
from grngc.evaluate.metrics import evaluate_scores
t0 = time.perf_counter()
tc, truth = simulate.lorenz96(p={p}, T={T}, F=10.0, seed=0)
t_sim = time.perf_counter() - t0
cfg = GRNGCConfig(progress=False, epochs={epochs}, min_epochs={epochs}, {extra})
t0 = time.perf_counter()
S, runs = fit(tc, cfg)
total = time.perf_counter() - t0
h = runs[0].history
RESULT = dict(p={p}, samples={T}, epochs=len(h['val_mse']), seconds_per_epoch=sum(h['epoch_seconds']) / len(h['epoch_seconds']),
              train_and_score_seconds=total, auroc=evaluate_scores(S, truth)['auroc'], settings={extra!r})
"""

DREAM3 = """
import subprocess, tempfile
from pathlib import Path
from grngc.cli import main
data = Path({path!r})
out = tempfile.mkdtemp()
t0 = time.perf_counter()
rc = main(["infer", str(data / "dream3_100_0.tsv"), "-o", out, "--seed", "0", "--no-progress",
           "--threads", str(torch.get_num_threads())])
total = time.perf_counter() - t0
from grngc.io import read_edges, read_reference
from grngc.evaluate.metrics import evaluate_edges
m = evaluate_edges(read_edges(Path(out) / "edges.tsv"), read_reference(data / "dream3_100_0_true.txt"),
                   json.load(open(Path(out) / "run.json"))["genes"])
RESULT = dict(case="DREAM3 size 100, Ecoli1: read, train, score, write (CLI)", seconds=total, auroc=m["auroc"])
"""


LARGE = """
import tempfile
from pathlib import Path
from grngc import simulate
from grngc.cli import main
from grngc.io import read_edges
from grngc.evaluate.metrics import evaluate_edges
tc, truth = simulate.lorenz96(p=1000, T=2000, F=10.0, seed=0)
d = Path(tempfile.mkdtemp())
simulate.to_anndata(tc).write_h5ad(d / "large.h5ad")
t0 = time.perf_counter()
rc = main(["infer", str(d / "large.h5ad"), "-o", str(d / "out"), "--seed", "0", "--no-progress",
           "--threads", str(torch.get_num_threads())])
total = time.perf_counter() - t0
run = json.load(open(d / "out" / "run.json"))
m = evaluate_edges(read_edges(d / "out" / "edges.tsv"), simulate.truth_to_edges(truth, tc.genes), tc.genes)
RESULT = dict(case="Lorenz-96, 1,000 genes x 2,000 samples: read, train, score, write (CLI)", seconds=total,
              auroc=m["auroc"], epochs=run["runs"][0]["epochs_run"] if run["runs"] else 0,
              members=[mem["settings"]["model"] for mem in run.get("members", [])] or [run["config"]["model"]])
"""


VS_GENIE3 = """
import tempfile
from pathlib import Path
from grngc import simulate
from grngc.cli import main
from protocol import rules
d = Path(tempfile.mkdtemp())
tc, truth = simulate.grn(**rules.COST)
simulate.to_anndata(tc).write_h5ad(d / "net.h5ad")
threads = str(torch.get_num_threads())
main(["baseline", "ridge", str(d / "net.h5ad"), "-o", str(d / "warm.tsv")])  # imports: nobody's cost
t0 = time.perf_counter()
main(["infer", str(d / "net.h5ad"), "-o", str(d / "out"), "--seed", "0", "--no-progress", "--threads", threads])
t_default = time.perf_counter() - t0
t0 = time.perf_counter()
main(["baseline", "genie3", str(d / "net.h5ad"), "-o", str(d / "genie3.tsv"), "--n-trees", "300",
      "--n-jobs", threads, "--seed", "0"])
t_genie3 = time.perf_counter() - t0
run = json.load(open(d / "out" / "run.json"))
members = "+".join(m["settings"]["model"] for m in run.get("members", [])) or run["config"]["model"]
RESULT = dict(case="DREAM4-100-shaped network (100 genes, 10 series x 21 points), CLI end to end",
              default_members=members, default_seconds=round(t_default, 1), genie3_300_trees_seconds=round(t_genie3, 1),
              default_over_genie3=round(t_default / t_genie3, 2))
"""


def table(rows: list[dict]) -> str:
    import pandas as pd

    from grngc.report.tables import markdown_table

    return markdown_table(pd.DataFrame(rows))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sections", default="jacobian,scaling,authors,dream3,genie3")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--large", action="store_true", help="add the 1,000-gene x 2,000-sample end-to-end run (minutes)")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    sections = args.sections.split(",")
    md = []
    import torch

    device = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu"
    md.append(f"torch {torch.__version__}, {args.threads} CPU thread(s), device {device} (picked by device='auto')\n")
    if "jacobian" in sections:
        rows = []
        for p in (10, 100):
            for method in ("closed_form", "batched_vjp", "autograd_per_output"):
                for model in ("mlp", "kan"):
                    rows.append(run_case(JACOBIAN.format(p=p, lag=2, B=256, method=method, model=model, hidden=128),
                                         args.threads))
                    print(rows[-1], flush=True)
        md += ["## Penalty step (Jacobian of 256 windows, |J| mean, backward)", table(rows), ""]
    if "scaling" in sections:
        rows = []
        cases = [(10, 1000, 30, "n_seeds=1"), (100, 1000, 30, "n_seeds=1"), (1000, 2000, 10, "n_seeds=1")]
        for p, T, epochs, extra in cases:
            rows.append(run_case(SCALING.format(p=p, T=T, epochs=epochs, extra=extra), args.threads))
            print(rows[-1], flush=True)
        md += ["## Cost against the number of genes (defaults, fixed epoch count)", table(rows), ""]
    if "authors" in sections:
        rows = []
        for p, hidden, epochs in ((10, 512, 30), (100, 128, 20)):
            extra = f"model='kan', hidden={hidden}, lag=1, batch_size=100000, penalty_windows=None, penalty_rows=None"
            rows.append(run_case(SCALING.format(p=p, T=1000, epochs=epochs, extra=extra), args.threads))
            print(rows[-1], flush=True)
        md += ["## The authors' KAN settings (hidden 512/128, lag 1, full batch, exact penalty)", table(rows), ""]
    if "dream3" in sections:
        from datasets import SHARED

        if (SHARED / "dream3_size100").exists():
            rows = [run_case(DREAM3.format(path=str(SHARED / "dream3_size100")), args.threads)]
            print(rows[-1], flush=True)
            if args.large:
                rows.append(run_case(LARGE, args.threads))
                print(rows[-1], flush=True)
            md += ["## End to end, default settings", table(rows), ""]
    if "genie3" in sections:
        rows = [run_case(VS_GENIE3, args.threads)]
        print(rows[-1], flush=True)
        md += ["## The default against GENIE3, same run (the cost rule: at most 0.5)", table(rows),
               f"default / GENIE3 time: {rows[0]['default_over_genie3']:.2f}", ""]
    text = "\n".join(md)
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / "speed.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
