#!/usr/bin/env bash
# Set up and run the whole test suite with lint (idempotent). DATABASE_URL selects PostgreSQL; default SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh --test
.venv/bin/ruff check src tests scripts benchmarks
.venv/bin/ruff format --check src tests scripts benchmarks
# The slowest tests are listed at the end, to keep the suite (and CI) short.
.venv/bin/python -m pytest --durations=25 "$@"
