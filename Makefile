# 安全生产诚信联动平台 — developer entry points. GNU make + bash.
# See docs/operations-setup.md for what each target does.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.ONESHELL:
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
STAMP := $(VENV)/.installed
SERVICES_ENV := .local/services.env
PYTEST_ARGS ?=

# Every recipe that talks to services starts with this: export what ensure_services.sh wrote
# (DATABASE_URL, REDIS_URL) and put the venv first on PATH (honcho/Procfile, subprocesses).
# The file is sourced at recipe time, not included at parse time, so a fresh clone works and
# DATABASE_URL / REDIS_URL from your own environment win (ensure_services.sh copies them).
define LOAD_ENV
set -a; . ./$(SERVICES_ENV); set +a
export PATH="$(BIN):$$PATH"
endef

.PHONY: help venv services run test lint format clean-local

help:
	@echo "make venv         create .venv and install pinned deps (constraints.txt)"
	@echo "make services     ensure PostgreSQL + Redis, write $(SERVICES_ENV)"
	@echo "make run          migrate, seed demo data, collectstatic, serve web+worker+beat"
	@echo "make test         ruff, import layers, migrations check, deploy check, compose check, pytest"
	@echo "                  (pass pytest options with PYTEST_ARGS='-k pdf -x')"
	@echo "make lint|format  ruff check + import layers / ruff format"
	@echo "make clean-local  stop the project-local services and delete .local/"

venv: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@if [ ! -x $(BIN)/python ]; then
		echo "creating $(VENV)"
		$(PYTHON) -m venv $(VENV)
	fi
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	touch $@

services:
	@scripts/ensure_services.sh

run: venv services
	@$(LOAD_ENV)
	python manage.py migrate --noinput
	python manage.py seed_demo
	python manage.py collectstatic --noinput -v 0 --ignore 'NotoSerifSC-*.ttf'
	mkdir -p .local
	echo
	echo "==> http://127.0.0.1:8000/   (web + celery worker + celery beat; Ctrl-C stops all)"
	echo
	exec honcho start -f Procfile

test: venv services
	@$(LOAD_ENV)
	if [ "$$(id -u)" -eq 0 ]; then
		missing=()
		[ -x /usr/bin/chromium ] || missing+=(chromium)
		command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
		# Screenshots of the browser tests are artefacts people read: Chinese needs a CJK font.
		fc-list :lang=zh 2>/dev/null | grep -q . || missing+=(fonts-noto-cjk)
		if [ "$${#missing[@]}" -gt 0 ]; then
			echo "==> apt-get install -y $${missing[*]}"
			DEBIAN_FRONTEND=noninteractive apt-get install -y "$${missing[@]}" || {
				DEBIAN_FRONTEND=noninteractive apt-get update -qq
				DEBIAN_FRONTEND=noninteractive apt-get install -y "$${missing[@]}"
			}
		fi
	fi
	echo "==> ruff check"
	ruff check .
	echo "==> ruff format --check"
	ruff format --check .
	echo "==> import-linter (the layers of README \"Layout\": no import runs back up)"
	lint-imports --no-cache
	echo "==> bandit (no medium or high finding)"
	bandit -q -r portal units assessments ratings linkage public -ll -x '*/migrations/*'
	echo "==> makemigrations --check"
	python manage.py makemigrations --check --dry-run
	echo "==> check --deploy (production settings, throwaway secrets)"
	throwaway_key="$$(python -c 'import secrets, string; a = string.ascii_letters + string.digits + "!@%^&*(-_=+)"; print("".join(secrets.choice(a) for _ in range(50)))')"
	DJANGO_SETTINGS_MODULE=portal.settings.production \
	DJANGO_SECRET_KEY="$$throwaway_key" \
	DJANGO_FIELD_ENCRYPTION_KEYS="$$(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
	DJANGO_ALLOWED_HOSTS=example.org \
		python manage.py check --deploy --fail-level WARNING
	echo "==> docker compose config"
	compose=()
	if docker compose version >/dev/null 2>&1; then
		compose=(docker compose)
	elif command -v docker-compose >/dev/null 2>&1; then
		compose=(docker-compose)
	elif [ "$$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "installing docker-compose (validator only)"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose \
			&& compose=(docker-compose) || true
	fi
	if [ "$${#compose[@]}" -gt 0 ]; then
		DJANGO_SECRET_KEY="$$throwaway_key" POSTGRES_PASSWORD=throwaway DJANGO_ALLOWED_HOSTS=example.org \
		POSTGRES_APP_PASSWORD=throwaway2 DJANGO_FIELD_ENCRYPTION_KEYS=throwaway3 \
			"$${compose[@]}" -f docker-compose.yml config -q
	else
		echo "NOTE: neither 'docker compose' nor 'docker-compose' is installed; skipped the compose check"
	fi
	echo "==> pytest $(PYTEST_ARGS)"
	pytest $(PYTEST_ARGS)

lint: venv
	@export PATH="$(BIN):$$PATH"
	ruff check .
	ruff format --check .
	lint-imports --no-cache

format: venv
	@export PATH="$(BIN):$$PATH"
	ruff format .
	ruff check --fix .

clean-local:
	@scripts/stop_local_services.sh
	rm -rf .local
