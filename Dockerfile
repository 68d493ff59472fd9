# The grngc image for `snakemake --sdm apptainer` (workflow/Snakefile's `container:`; docs/pipeline.md
# "Container"). It installs this checkout's package with its console script `grngc`, which every job
# runs. Build and convert (not run by CI; the project's machines have neither docker nor apptainer):
#   docker build -t grngc:0.1.0 .
#   apptainer build grngc.sif docker-daemon://grngc:0.1.0
# torch comes from PyPI's default build, which carries its CUDA runtime: on a GPU node run apptainer with
# --nv (snakemake --sdm apptainer --apptainer-args "--nv"); on a CPU node the same image runs on the CPU.
FROM python:3.11-slim

ENV PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /opt/grngc
COPY pyproject.toml README.md LICENSE ./
COPY grngc ./grngc
RUN pip install "torch>=2.5" && pip install . && grngc --version

# jobs run `grngc ...` in the working directory snakemake binds; nothing of the source tree is needed there
WORKDIR /work
ENTRYPOINT []
