#!/usr/bin/env bash
# ci/fastapi_suite.sh: FastAPI's own test suite, run against fasterapi (the public yardstick
# of compatibility; not part of ci/test.sh). Every `fastapi` / `fastapi.*` import resolves to
# `fasterapi` / `fasterapi.*`. Prints pytest's summary: passed / failed counts.
# SUITE_TARGET=fastapi runs the same tests against FastAPI itself, for the reference count.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC1091
. .venv/bin/activate
version=${FASTAPI_VERSION:-0.165.0}
work=build/fastapi-suite
mkdir -p "$work"
if [ ! -d "$work/fastapi-$version" ]; then
  echo "==> downloading the fastapi $version source distribution"
  python -m pip download -q --no-binary :all: --no-deps "fastapi==$version" -d "$work"
  tar -xzf "$work/fastapi-$version.tar.gz" -C "$work"
fi
# The alias: a meta-path finder that serves fasterapi's modules under fastapi's names.
cat > "$work/sitecustomize.py" <<'PY'
import importlib
import importlib.abc
import importlib.util
import sys


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path=None, target=None):
        if name == "fastapi" or name.startswith("fastapi."):
            return importlib.util.spec_from_loader(name, self)
        return None

    def create_module(self, spec):
        return importlib.import_module("fasterapi" + spec.name[len("fastapi"):])

    def exec_module(self, module):
        pass


sys.meta_path.insert(0, _Alias())
PY
echo "==> installing the suite's dependency group (tests)"
python -m pip install -q --group "$work/fastapi-$version/pyproject.toml:tests" 2>&1 | grep -v '^WARNING: Location' || true
# The tutorial examples also use FastAPI's "standard" extras for e-mail fields and settings.
python -m pip install -q email-validator pydantic-settings 2>&1 | grep -v '^WARNING: Location' || true
target=${SUITE_TARGET:-fasterapi}
alias_path="../"
[ "$target" = fastapi ] && alias_path=""
cd "$work/fastapi-$version"
echo "==> running FastAPI's tests against $target"
# --tb=no: rendering some failures' source crashes pytest on Python 3.11.7's parser.
# The full report (one line per failure, with its reason) goes to ../report-<target>.txt.
COLUMNS=400 PYTHONPATH="${alias_path}:./docs_src" python -m pytest tests -q -p no:cacheprovider -o addopts="" \
  --continue-on-collection-errors --tb=no -rfE -W ignore >"../report-$target.txt" 2>&1 || true
tail -n 1 "../report-$target.txt"
