# Akan-veilederen — every task CI and people run. `make help` lists them.
SHELL := /bin/bash
# Local overrides (git-ignored); see .env.example.
-include .env
.DEFAULT_GOAL := help

# Configuration (environment variables with safe defaults; see docs/configuration.md and .env.example).
VAR_DIR ?= var
RASA_PORT ?= 5005
ACTIONS_PORT ?= 5055
EVAL_PORT ?= 5015
SHELL_PORT ?= 5006
TRACKER_DB_URL ?= sqlite:///$(abspath $(VAR_DIR))/tracker.db
ifeq ($(strip $(RASA_TOKEN)),)
RASA_TOKEN := $(shell head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
endif
# RASA_TOKEN reaches every process in its environment, never on a command line (services/rasa_launcher.py).
# Nothing may call home at run time: no telemetry, no error reports to Rasa.
RASA_TELEMETRY_ENABLED := false
export VAR_DIR RASA_PORT ACTIONS_PORT TRACKER_DB_URL RASA_TOKEN RASA_TELEMETRY_ENABLED
# The production profile's settings (make run-prod), passed on only when set here or in .env:
# Rasa reads TICKET_LOCK_LIFETIME as a number and fails on an empty value.
$(foreach v,PROFILE RASA_REPLICAS POSTGRES_PORT REDIS_PORT TICKET_LOCK_LIFETIME,$(if $(strip $($(v))),$(eval export $(v))))
# Switches of Rasa's run-time fixes (RASA_FIX_<NAME>=0 turns one off; rasa_runtime/fixes/) set in .env.
$(foreach v,$(filter RASA_FIX_%,$(.VARIABLES)),$(eval export $(v)))
# Rasa and the action server (Sanic) keep idle connections longer than their clients
# (gateway 30 s, Rasa 15 s), so no request is written into a connection just closed.
SANIC_KEEP_ALIVE_TIMEOUT ?= 75
export SANIC_KEEP_ALIVE_TIMEOUT

# Two environments. Rasa's (.venv, Python 3.10: Rasa, akan_nlu/, the action server, evaluation,
# bench) from requirements.txt + constraints.txt; the gateway's (.venv-gateway, Python 3.12: bot/)
# from requirements-gateway.txt + constraints-gateway.txt. Each process runs with its own.
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
GATEWAY_VENV := .venv-gateway
GATEWAY_PY := $(GATEWAY_VENV)/bin/python
# The gateway's tests; every other test runs in Rasa's environment (tests/conftest.py).
GATEWAY_TESTS := tests/gateway tests/production
# Rasa 3.6 needs Python < 3.11: prefer pyenv's newest 3.10, else a python3.10 on PATH.
PYTHON310 ?= $(shell { command -v pyenv >/dev/null && ls -d "$$(pyenv root)"/versions/3.10.*/bin/python 2>/dev/null | sort -V | tail -n 1; } || true)
ifeq ($(strip $(PYTHON310)),)
PYTHON310 := $(shell command -v python3.10 || true)
endif
# The gateway: pyenv's newest 3.12, else a python3.12 on PATH.
PYTHON312 ?= $(shell { command -v pyenv >/dev/null && ls -d "$$(pyenv root)"/versions/3.12.*/bin/python 2>/dev/null | sort -V | tail -n 1; } || true)
ifeq ($(strip $(PYTHON312)),)
PYTHON312 := $(shell command -v python3.12 || true)
endif

TRAINING_DATA := data/nlu data/rules data/stories
TRAINING_INPUTS := config.yml domain.yml $(shell find $(TRAINING_DATA) data/lexicon akan_nlu akan_contract -type f \( -name '*.yml' -o -name '*.py' \) 2>/dev/null)
MODEL := models/akan.tar.gz

.PHONY: help install train run run-prod test test-fast unit-test story-test eval answers privacy names bench validate shell clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt constraints.txt
	@if [ -z "$(PYTHON310)" ]; then echo "error: Python 3.10 not found (Rasa 3.6 needs Python < 3.11). Install it with pyenv: pyenv install 3.10.13" >&2; exit 1; fi
	@test -x $(PY) || $(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip==24.0
	$(PY) -m pip install --quiet -r requirements.txt -c constraints.txt
	@touch $@

$(GATEWAY_VENV)/.installed: requirements-gateway.txt constraints-gateway.txt
	@if [ -z "$(PYTHON312)" ]; then echo "error: Python 3.12 not found (the gateway's environment, .venv-gateway, needs it). Install it with pyenv: pyenv install 3.12.1" >&2; exit 1; fi
	@$(GATEWAY_PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null || $(PYTHON312) -m venv --clear $(GATEWAY_VENV)
	$(GATEWAY_PY) -m pip install --quiet --upgrade pip==26.3
	$(GATEWAY_PY) -m pip install --quiet -r requirements-gateway.txt -c constraints-gateway.txt
	@touch $@

install: $(VENV)/.installed $(GATEWAY_VENV)/.installed ## Create .venv (Python 3.10, Rasa) and .venv-gateway (Python 3.12, the gateway) with the pinned packages

# One training at a time (models/.train.lock); its clock starts once it holds the lock, so
# $(VAR_DIR)/train-seconds is the training alone, not a wait for another.
$(MODEL): $(VENV)/.installed $(TRAINING_INPUTS)
	@mkdir -p models
	@umask 077; mkdir -p $(VAR_DIR)
	@umask 077; exec 9>models/.train.lock; flock 9; start=$$(date +%s); \
	$(PY) -m services.rasa_launcher train --skip-validation --config config.yml --domain domain.yml --data $(TRAINING_DATA) --out models --fixed-model-name akan && \
	echo $$(( $$(date +%s) - start )) > $(VAR_DIR)/train-seconds
	@touch $@

train: $(MODEL) ## Train the Rasa model (only when data or config changed)

validate: $(VENV)/.installed ## Check the training data and domain (rasa data validate)
	$(RASA) data validate --config config.yml --domain domain.yml --data $(TRAINING_DATA)

# PROFILE=production makes `make run` the production profile (same as `make run-prod`).
ifeq ($(PROFILE),production)
run: run-prod
else
run: $(MODEL) $(GATEWAY_VENV)/.installed ## Start Rasa, the action server and the gateway; prints the URL (Ctrl-C stops all)
	@umask 077; mkdir -p $(VAR_DIR)/logs
	@umask 077; port=$${GATEWAY_PORT:-8080}; \
	$(VENV)/bin/honcho start -f Procfile & pid=$$!; \
	trap 'kill -TERM $$pid 2>/dev/null; wait $$pid 2>/dev/null' INT TERM; \
	for i in $$(seq 300); do \
	  if curl -fs "http://127.0.0.1:$$port/healthz" >/dev/null 2>&1; then \
	    printf '\n  Akan-veilederen is ready: http://localhost:%s  (Ctrl-C stops all)\n\n' "$$port"; break; fi; \
	  kill -0 $$pid 2>/dev/null || { echo "a process failed to start; see the output above and $(VAR_DIR)/logs" >&2; wait $$pid; exit 1; }; \
	  sleep 1; \
	done; \
	wait $$pid
endif

run-prod: $(MODEL) $(GATEWAY_VENV)/.installed ## Production profile: PostgreSQL, Redis, RASA_REPLICAS Rasa servers, actions, gateway; prints the URL
	@umask 077; mkdir -p $(VAR_DIR)/production
	umask 077; $(PY) -m services

# pytest in both environments: Rasa's tests in .venv, the gateway's ($(GATEWAY_TESTS)) in
# .venv-gateway. Both always run; the target fails when either does. $(1): pytest's options.
define pytest_both
	@status=0; \
	echo "-- Rasa's tests (.venv, Python 3.10)"; \
	$(PY) -m pytest -q $(1) || status=1; \
	echo "-- The gateway's tests (.venv-gateway, Python 3.12): $(GATEWAY_TESTS)"; \
	$(GATEWAY_PY) -m pytest -q $(1) $(GATEWAY_TESTS) || status=1; \
	exit $$status
endef

unit-test: install
	$(call pytest_both,)

# The slow groups (pytest.ini): live (trained model, Rasa stack), browser (Chromium), production
# (PostgreSQL, Redis). Skipped locally when their requirement is missing, failures under CI=true.
test-fast: install ## pytest without the live, browser and production groups (no model needed)
	$(call pytest_both,-m "not live and not browser and not production")

story-test: $(MODEL)
	umask 077; $(PY) -m services.rasa_launcher test core --model $(MODEL) --stories tests/test_stories.yml --fail-on-prediction-errors --out $(VAR_DIR)/results

test: $(MODEL) validate unit-test story-test ## Run every test: data validation, pytest, conversation tests

# Options for python -m evaluation, e.g. EVAL_ARGS="--ablation" or "--misses" (never shown for a sealed set).
EVAL_ARGS ?=
eval: $(MODEL) ## Score the model and a TF-IDF baseline on every set; cross-validation, learning curve, budgets
	@umask 077; mkdir -p $(VAR_DIR)/logs
	@set -e; umask 077; start=$$(date +%s); \
	$(PY) -m services.rasa_launcher run --enable-api -i 127.0.0.1 -p $(EVAL_PORT) --model $(MODEL) \
	  >$(VAR_DIR)/logs/eval-rasa.log 2>&1 & pid=$$!; trap "kill $$pid 2>/dev/null" EXIT; \
	RASA_URL=http://127.0.0.1:$(EVAL_PORT) RASA_PID=$$pid $(PY) -m evaluation --wait-for-rasa 300 $(EVAL_ARGS); \
	echo "make eval took $$(( $$(date +%s) - start )) s (budget ≤ 300 s, Rasa's start included)"

answers: $(VENV)/.installed ## Write every role × topic reply (first and "Vis flere råd") to $(VAR_DIR)/answers.md
	umask 077; $(PY) -m answer_review --out $(VAR_DIR)/answers.md

# Options for python -m bench, e.g. BENCH_ARGS="--profile default --quick --json var/bench.json".
BENCH_ARGS ?=
privacy: $(GATEWAY_VENV)/.installed ## The scrubber's recall, precision and speed on the labelled privacy cases (and the blind ones)
	$(GATEWAY_PY) -m bot.scrubber_report

names: $(GATEWAY_VENV)/.installed ## Regenerate the scrubber's name list (bot/privacy_data/) from names-dataset
	$(GATEWAY_PY) -m bot.scrubber_names

bench: $(MODEL) $(GATEWAY_VENV)/.installed ## Load test, both profiles: gateway vs Rasa alone, capacity, long conversation, memory (~10 min)
	umask 077; $(PY) -m bench $(BENCH_ARGS)

shell: $(MODEL) ## Chat with the bot in the terminal (uses the running action server, or starts one)
	@umask 077; mkdir -p $(VAR_DIR)/logs
	@umask 077; if curl -fs "http://127.0.0.1:$(ACTIONS_PORT)/health" >/dev/null 2>&1; then pid=; \
	else $(PY) -m actions.server >$(VAR_DIR)/logs/actions-shell.log 2>&1 & pid=$$!; fi; \
	trap '[ -n "$$pid" ] && kill $$pid' EXIT; \
	$(RASA) shell --model $(MODEL) --endpoints endpoints.yml -p $(SHELL_PORT)

clean: ## Remove trained models and runtime data
	rm -rf models $(VAR_DIR)
