PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test bench peers lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[test,all]"
	touch $(STAMP)

demo: $(STAMP)
	$(PY) -m datajourney.cli demo

test: $(STAMP)
	$(PY) -m ruff check src tests benchmarks examples
	$(PY) -m pytest

# One line per side-by-side benchmark; each writes its table under benchmarks/results/.
bench: $(STAMP)
	$(PY) benchmarks/run.py
	$(PY) benchmarks/run.py --backend postgresql
	$(PY) benchmarks/store_scale.py
	$(PY) benchmarks/mlmd_calls.py
	$(PY) benchmarks/stats.py
	$(PY) benchmarks/dask_stats.py
	$(PY) benchmarks/versioning.py
	$(PY) benchmarks/storage.py
	$(PY) benchmarks/server.py
	$(PY) benchmarks/server.py --backend postgresql
	$(PY) benchmarks/server_cpu.py
	$(PY) benchmarks/features.py
	$(PY) benchmarks/ui_lineage.py

# Peer tools (ml-metadata, TFDV, DVC) in their own venvs under .peers/, and the golden fixtures
# recorded from them.
peers: $(STAMP)
	$(PY) tests/golden/make_tfdv_fixtures.py

lint: $(STAMP)
	$(PY) -m ruff check src tests benchmarks examples
	$(PY) -m ruff format --check src tests benchmarks examples

clean:
	rm -rf $(VENV) .datajourney
