#!/usr/bin/env bash
# ci/demo.sh: the main job. Installs what is missing (ci/setup.sh), then serves the example
# application on http://127.0.0.1:${PORT:-8000}: a Starlette app whose routing runs on the
# native fasterapi-router. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/setup.sh
# shellcheck disable=SC1091
. .venv/bin/activate
echo "serving examples/router_demo.py on http://127.0.0.1:${PORT:-8000} (try /users/42, /files/a/b.txt)"
exec python examples/router_demo.py
