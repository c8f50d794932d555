#!/usr/bin/env bash
# ci/docs.sh: build the Sphinx site into docs/_build/html; warnings are errors.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC1091
. .venv/bin/activate
sphinx-build -W --keep-going -q -b html docs docs/_build/html
echo "docs: docs/_build/html/index.html"
