# One command sets up and reviews the bundled example; one sets up and runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup review test bench clean

$(BIN)/servicelens: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(BIN)/servicelens

setup: $(BIN)/servicelens

review: setup
	$(BIN)/servicelens review examples/payments-service

test: setup
	$(BIN)/python -m pytest -n 2 tests

bench: setup
	$(BIN)/python benchmarks/run_benchmark.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
