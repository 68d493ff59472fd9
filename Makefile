# Quickstart targets. `make demo` and `make test` bootstrap .venv on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# On the project's CPU machines a CPU build of torch lies on disk; pin it first so that the
# package's own range (torch>=2.3) installs nothing more. Override on a GPU cluster: TORCH_PIN=
TORCH_PIN ?= torch==2.13.0

.PHONY: demo test test-slow docs bench clean-venv

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	if [ -n "$(TORCH_PIN)" ]; then $(PY) -m pip install -q "$(TORCH_PIN)"; fi
	$(PY) -m pip install -q -e ".[test,pipeline,slurm,docs]"
	touch $@

demo: $(VENV)/.installed
	PATH="$(abspath $(VENV))/bin:$$PATH" bash scripts/demo.sh

# The fast suite (under 8 minutes on 2 cores); the end-to-end runs (the pipeline, live SLURM, the module
# deployment) are marked slow and run by `make test-slow`, which CI runs as its second step.
test: $(VENV)/.installed
	$(PY) -m pytest -q -m "not slow"

test-slow: $(VENV)/.installed
	$(PY) -m pytest -q -m slow

# The documentation site; -W: a warning (a broken link, an API name that no longer exists) fails the build.
# Then every page is looked at in headless Chromium (it paints, its height is stable, its images load).
docs: $(VENV)/.installed
	$(PY) -m sphinx -W --keep-going -q -b html docs docs/_build/html
	$(PY) scripts/check_docs.py docs/_build/html --screenshot docs/_build/front.png

bench: $(VENV)/.installed
	$(PY) benchmarks/accuracy.py
	$(PY) benchmarks/speed.py --large

clean-venv:
	rm -rf $(VENV)
