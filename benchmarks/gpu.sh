#!/usr/bin/env bash
# GPU checks, run as one script on a CUDA machine (device='auto' picks the GPU everywhere):
#   1. the test suite on CUDA, 2. the speed benchmark, 3. determinism of a seeded run on CUDA and its
#   agreement with CPU, 4. accuracy on the benchmark families (GRNGC only; GENIE3 is CPU-only), 5. the bulk
#   default and the one-model candidates at 1,000 and 10,000 genes: seconds and peak GPU memory
#   (benchmarks/genes.py; on a CPU: python benchmarks/genes.py --genes 200), 6. the single-cell mode on sparse
#   atlases (benchmarks/scale.py --atlas; on a CPU: --atlas 5000x20000), 7. the same with velocity layers.
# Sections run one after another and each is capped; with a budget of minutes, run only the ones it allows.
# Usage: OUT=dir GRNGC_SHARED=dir [ONLY=atlas] bash benchmarks/gpu.sh   (a .whl/ folder of wheels is installed first)
# (--writers 16: the atlases are drawn in 16 processes, other random draws than the CPU figures' atlases.)
set -uo pipefail
OUT=${OUT:-benchmarks/out/gpu}
mkdir -p "$OUT"
export PYTHONUNBUFFERED=1 PYTHONWARNINGS=ignore
if [ -d .whl ]; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl
  export PYTHONPATH=/tmp/site
fi
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv | tee "$OUT/gpu.txt"
python3 -c "import torch; print('torch', torch.__version__, 'cuda', torch.cuda.is_available())" | tee -a "$OUT/gpu.txt"

if [ "${ONLY:-}" != atlas ]; then  # ONLY=atlas: sections 6 and 7 alone (each capped at 10 minutes)
timeout 150 python3 -m pytest -q -p no:cacheprovider tests 2>&1 | tail -5 | tee "$OUT/tests.log"

timeout 120 python3 - <<'PY' 2>&1 | tee "$OUT/determinism.log"
import os, sys, time, numpy as np, torch
sys.path.insert(0, "benchmarks")
from datasets import dream3_100
from grngc.core.api import infer_timecourse
from grngc.evaluate.metrics import evaluate_scores
from grngc.config import GRNGCConfig
tc, truth = dream3_100(0)
res = {}
for dev in ("cuda", "cuda", "cpu"):
    t = time.perf_counter()
    S = infer_timecourse(tc, GRNGCConfig(progress=False, device=dev)).scores
    res.setdefault(dev, []).append(S)
    print(dev, f"{time.perf_counter() - t:.1f}s", "AUROC", round(evaluate_scores(S, truth)["auroc"], 4), flush=True)
a, b = res["cuda"]
print("cuda run 1 vs run 2: max |diff|", float(np.abs(a - b).max()), "identical", bool(np.array_equal(a, b)))
from scipy.stats import spearmanr
print("cuda vs cpu: Spearman of scores", round(spearmanr(a.ravel(), res["cpu"][0].ravel())[0], 4))
PY

timeout 200 python3 benchmarks/speed.py --threads 16 --large 2>&1 | tee "$OUT/speed.log"
cp benchmarks/out/speed.md "$OUT/speed.md" 2>/dev/null

timeout 200 python3 benchmarks/accuracy.py --no-genie3 --threads 16 --out "$OUT" 2>&1 | tail -40 | tee "$OUT/accuracy.log"

timeout 420 python3 benchmarks/genes.py --genes 1000,10000 --threads 16 --max-seconds 150 2>&1 | tee "$OUT/genes.log"
cp benchmarks/out/genes.md "$OUT/genes.md" 2>/dev/null
fi

# 6. the single-cell mode on sparse atlases (issue 38: goal under 5 minutes at 20,000 genes x 100,000 cells)
timeout 600 python3 benchmarks/scale.py --atlas 5000x20000,20000x100000 --tfs 1500 --threads 16 --writers 16 --max-seconds 280 \
  --out "$OUT/scale_atlas.md" 2>&1 | tee "$OUT/atlas.log"
# 7. the same with sparse spliced/unspliced layers (the direction from RNA velocity, in blocks of cells on the GPU)
timeout 600 python3 benchmarks/scale.py --atlas 20000x100000 --tfs 1500 --velocity --threads 16 --writers 16 --max-seconds 280 \
  --out "$OUT/scale_atlas_velocity.md" 2>&1 | tee "$OUT/atlas_velocity.log"
