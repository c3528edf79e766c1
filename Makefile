# make run   : install into .venv, then build the graph from seeds/ into outputs/
# make test  : install into .venv, then run the test suite
# make bench : install into .venv, then run the benchmarks (numbers in outputs/bench/;
#              10 minutes in all on 2 cores, the ~10^4-article build 6 of them)
# make bench-full : the same build benchmark on ~10^5 articles (90 minutes measured)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench bench-full install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip==24.3.1"

$(STAMP): $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/kg build seeds -o outputs

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m kg.bench --out outputs/bench --articles 10000
	$(BIN)/python -m kg.bench_ner --out outputs/bench
	$(BIN)/python -m kg.bench_html --out outputs/bench
	$(BIN)/python -m kg.bench_export --out outputs/bench

bench-full: $(STAMP)
	$(BIN)/python -m kg.bench --out outputs/bench --articles 100000

# make model : retrain the NER into kg/models/ner (downloads MSRA with pip; ~20 min on 2 cores)
.PHONY: model
model: $(STAMP)
	$(BIN)/kg train

clean:
	rm -rf $(VENV) outputs/reports outputs/*.json outputs/*.jsonl outputs/.kg outputs/bench/work
