#!/usr/bin/env bash
# Prepare a checkout: Python 3.11 virtualenv with pinned packages, pinned front-end assets. Idempotent.
#   scripts/bootstrap.sh          runtime only
#   scripts/bootstrap.sh --test   with the test and lint tools
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null || { echo "Python 3.11 is required ($PYTHON not found)"; exit 1; }
command -v npm >/dev/null || { echo "Node.js 20 with npm is required for the front-end assets"; exit 1; }

[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
extras=""
[ "${1:-}" = "--test" ] && extras="[test]"
# requirements.lock pins every transitive package; pyproject pins the direct ones. pip runs again only when
# they or the extras changed since the last install (the stamp), so a second run changes nothing: CI runs its
# SQLite and PostgreSQL passes side by side, and a reinstall under a running test would pull the package away.
stamp=.venv/.saderat-installed
locked="$(cat pyproject.toml requirements.lock | sha256sum | cut -d' ' -f1)"
wanted="$locked ${extras}"
installed="$(cat "$stamp" 2>/dev/null || true)"
# An install with the test tools also serves the runtime alone.
if [ "$installed" = "$locked [test]" ] && [ -z "$extras" ]; then wanted="$installed"; fi
if [ "$installed" != "$wanted" ] || ! .venv/bin/python -c "import saderat" 2>/dev/null; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".${extras}" \
    2> >(grep -v -e "is ignored: it is neither a file nor a directory" -e "corresp(dist" -e "^  *!!" -e "^ *\*\*\*\*" >&2)
  echo "$wanted" > "$stamp"
fi

# Front-end assets from pinned npm packages (package-lock.json), copied into the static folder.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi
.venv/bin/python -m saderat.web.assets >/dev/null
