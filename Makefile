# guidebot: `make demo` installs and runs the main job offline; `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint format bench install clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "needs $(PYTHON)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# The CPU torch first: an unpinned torch would pull a multi-GB CUDA build.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The default store (GUIDEBOT_STORE_DIR, .guidebot/store): README's next commands use it too.
demo: $(STAMP)
	$(BIN)/guidebot index
	$(BIN)/guidebot ask "Darf ich Fotos vom neuen Prototyp auf LinkedIn posten?"
	printf '%s\n' "Can't say much yet, but Polarstern is going to change everything - our pilot with Hafenwerk Logistik AG starts next week! 🚀" \
		| $(BIN)/guidebot review -

test: $(STAMP)
	HF_HUB_OFFLINE=1 $(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check bot tests bench
	$(BIN)/ruff format --check bot tests bench
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format bot tests bench
	$(BIN)/ruff check --fix bot tests bench

# Each script prints a Markdown table (medians of repeated runs) for BENCHMARKS.md.
BENCHES := ablation chunk_sizes embedding_models calibrate_abstention index_speed latency slack_ack load_test
bench: $(STAMP)
	@for b in $(BENCHES); do echo "## $$b"; $(BIN)/python bench/$$b.py || exit 1; done
	$(BIN)/python bench/baseline.py tests/data/questions.jsonl
	$(BIN)/guidebot eval drafts tests/data/drafts.jsonl

clean:
	rm -rf $(VENV) .guidebot
