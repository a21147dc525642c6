# newsline: `make run` sets everything up and runs the job on seeds/; `make test` runs the tests.
PYTHON ?= python3.11
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test test-fast lint eval-dates eval-body eval-events figures bench bench-scale bench-report diffcheck diffcheck-update screenshot clean

# Rebuilt when a compiled accelerator's source changes (transforms/native/, optional: see
# setup.py), including the pure-Python modules that are also compiled (compiled_modules.txt).
COMPILED_PY := $(shell sed -e 's/\#.*//' transforms/native/compiled_modules.txt)
$(STAMP): pyproject.toml setup.py $(wildcard transforms/native/*.pyx) $(wildcard transforms/native/*.pxd) transforms/native/compiled_modules.txt $(COMPILED_PY)
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

# Each evaluation prints its report and records its headline figures, with the command and the
# date, in eval/results.json (eval/record.py); eval.figures then writes them into docs/.
eval-dates: $(STAMP)
	$(PY) -m eval.record dates
	$(PY) -m eval.figures

eval-body: $(STAMP)
	$(PY) -m eval.record body
	$(PY) -m eval.figures

eval-events: $(STAMP)
	$(PY) -m eval.record events
	$(PY) -m eval.figures

# The figure sections of docs/ from bench/results.json and eval/results.json (eval/figures.py).
figures: $(STAMP)
	$(PY) -m eval.figures

bench: $(STAMP)
	$(PY) -m bench
	$(PY) -m eval.figures

bench-scale: $(STAMP)
	$(PY) -m bench --scale $(if $(BENCH_SIZES),--sizes $(BENCH_SIZES))
	$(PY) -m eval.figures

# Time and size of `newsline report` on a generated archive of ~118,000 event rows.
bench-report: $(STAMP)
	$(PY) -m bench.htmlreport

# The README's picture of the report: headless Debian chromium (apt-get install chromium). The
# job runs on a copy of the seeds in a neutral folder, so the picture shows no local paths.
SHOT_DIR := /tmp/newsline-demo
screenshot: $(STAMP)
	rm -rf $(SHOT_DIR) && mkdir -p $(SHOT_DIR) && cp -r seeds $(SHOT_DIR)/seeds
	cd $(SHOT_DIR) && $(CURDIR)/$(PY) -m pipeline --input 'seeds/*.txt' --output output --quiet
	$(PY) -m tests.browser screenshot $(SHOT_DIR)/output/report.html docs/report.png
	rm -rf $(SHOT_DIR)

# The differential gate: the job's output, digested per document, against
# eval/diffcheck/baseline.jsonl. A behaviour change refreshes the baseline with
# diffcheck-update, in its own commit whose message names the output change and why.
diffcheck: $(STAMP)
	$(PY) -m eval.diffcheck

diffcheck-update: $(STAMP)
	$(PY) -m eval.diffcheck --update

clean:
	rm -rf output eval/out bench/work
