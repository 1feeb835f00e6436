#!/usr/bin/env bash
# Set up everything and start the demo on http://127.0.0.1:8000 with the real IRICA data (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
exec .venv/bin/saderat demo "$@"
