#!/usr/bin/env bash
# ci/demo.sh: the main job. Installs what is missing (ci/setup.sh), then serves the example
# application on http://127.0.0.1:${PORT:-8000}: examples/app.py, a FastAPI-style app on
# fasterapi with items in PostgreSQL (DATABASE_URL, else a throw-away local cluster).
# Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/setup.sh
# shellcheck disable=SC1091
. .venv/bin/activate
echo "serving examples/app.py on http://127.0.0.1:${PORT:-8000} (try /items, /docs)"
exec python examples/app.py
