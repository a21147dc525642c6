# newsline: `make run` sets everything up and runs the job on seeds/; `make test` runs the tests.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test test-fast lint eval-dates eval-body eval-events bench bench-scale diffcheck diffcheck-update clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "needs $(PYTHON)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m pipeline --input 'seeds/*.txt' --output output

test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m pytest -q

# The inner loop: everything but the whole-job and subprocess tests (marked slow).
test-fast: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m pytest -q -m "not slow"

lint: $(STAMP)
	$(PY) -m ruff check .

eval-dates: $(STAMP)
	$(PY) -m eval.dates

eval-body: $(STAMP)
	$(PY) -m eval.body

eval-events: $(STAMP)
	$(PY) -m eval.events

bench: $(STAMP)
	$(PY) -m bench

bench-scale: $(STAMP)
	$(PY) -m bench --scale $(if $(BENCH_SIZES),--sizes $(BENCH_SIZES))

# The differential gate: the job's output, digested per document, against
# eval/diffcheck/baseline.jsonl. A behaviour change refreshes the baseline with
# diffcheck-update, in its own commit whose message names the output change and why.
diffcheck: $(STAMP)
	$(PY) -m eval.diffcheck

diffcheck-update: $(STAMP)
	$(PY) -m eval.diffcheck --update

clean:
	rm -rf output eval/out bench/work
