#!/usr/bin/env bash
# ci/setup.sh: make this machine ready to build, test and run FasterAPI. Idempotent.
#   - Debian/Ubuntu packages, when missing: a C++ compiler, Python headers and venv,
#     libpq (headers) and the PostgreSQL server the tests start throw-away clusters with,
#     openssl (the TLS tests make self-signed certificates)
#   - .venv with ci/requirements-dev.txt
#   - every package installed editable (native builds are incremental under build/)
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

PYTHON=${PYTHON:-python3}
missing=()
command -v g++ >/dev/null || missing+=(g++)
command -v "$PYTHON" >/dev/null || missing+=(python3)
if command -v "$PYTHON" >/dev/null; then
  "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
  "$PYTHON" -c 'import os, sysconfig; assert os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h"))' \
    2>/dev/null || missing+=(python3-dev)
fi
[ -f /usr/include/postgresql/libpq-fe.h ] || missing+=(libpq-dev)
command -v pkg-config >/dev/null || missing+=(pkg-config)
command -v openssl >/dev/null || missing+=(openssl)  # the TLS tests make their certificates
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing system packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  say "creating the virtual environment .venv"
  "$PYTHON" -m venv .venv
fi
# shellcheck disable=SC1091
. .venv/bin/activate

stamp=.venv/.requirements-installed
if [ ! -f "$stamp" ] || ! cmp -s ci/requirements-dev.txt "$stamp"; then
  say "installing development requirements"
  python -m pip install -q --upgrade pip
  python -m pip install -q -r ci/requirements-dev.txt
  cp ci/requirements-dev.txt "$stamp"
fi

say "building and installing the packages (editable)"
for package in packages/fasterapi-router packages/fasterapi-futures packages/fasterapi-pg packages/fasterapi testing; do
  python -m pip install -q --no-build-isolation --no-deps -e "$package"
done
