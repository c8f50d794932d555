#!/usr/bin/env bash
# ci/bench.sh: build the benchmark harnesses (release) and run every comparison, peers side by
# side in the same run. Not part of the tests: figures go to the docs (docs/*/benchmarks.rst).
set -euo pipefail
cd "$(dirname "$0")/.."
bash ci/setup.sh
# shellcheck disable=SC1091
. .venv/bin/activate
cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS= \
  -DFASTERAPI_BUILD_BENCHMARKS=ON -DFASTERAPI_BUILD_BINDINGS=ON -Dnanobind_DIR="$(python -m nanobind --cmake_dir)" \
  -DPython_EXECUTABLE="$(command -v python)" >/dev/null
cmake --build build/bench --target router_bench _bench_baseline echo_bench futures_bench
routes=../shared/data/routes
[ -d "$routes" ] || routes=${FASTERAPI_SHARED_DATA:?set FASTERAPI_SHARED_DATA to the shared data folder}/routes
tables=("$routes"/{synthetic_100,synthetic_1000,github,realistic}.tsv)

# apt-get install PACKAGES, as root or through sudo: peers that some comparisons run.
apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

# httprouter (Go) is the native peer: Debian packages it, built here in GOPATH mode.
if ! command -v go >/dev/null || [ ! -d /usr/share/gocode/src/github.com/julienschmidt/httprouter ]; then
  echo "installing Go and httprouter (the native peer of the router benchmark)"
  apt_install golang-go golang-github-julienschmidt-httprouter-dev
fi
GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$PWD/build/bench/go-cache" \
  go build -o build/bench/httprouter_bench packages/fasterapi-router/benchmarks/go/httprouter_bench.go

echo "== fasterapi-router, C++ only: ns per lookup vs a hash map of the same paths, and"
echo "   httprouter (Go) on the same lookups vs a Go map; the two alternate, three runs each"
for _ in 1 2 3; do
  ./build/bench/packages/fasterapi-router/router_bench "${tables[@]}"
  ./build/bench/httprouter_bench "${tables[@]}"
done
if command -v valgrind >/dev/null; then
  # Instruction counts do not care how busy the machine is: the steadiest view of how the
  # lookup cost grows with the route count. router::match runs 6,400 x 85 times per table:
  # the check of every lookup, then 21 passes x 2 orders x (a warm-up run + a timed run).
  echo "== fasterapi-router, C++ only: instructions per lookup (callgrind)"
  for table in github synthetic_100 synthetic_1000; do
    valgrind --tool=callgrind --callgrind-out-file=build/bench/callgrind.$table \
      --toggle-collect='fasterapi::router::router::match*' \
      ./build/bench/packages/fasterapi-router/router_bench "$routes/$table.tsv" >/dev/null 2>&1
    total=$(callgrind_annotate "build/bench/callgrind.$table" | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
    echo "$table: $((total / (6400 * 85))) instructions per lookup"
  done
fi
echo "== fasterapi-router from Python, against its peers (same run)"
PYTHONPATH=build/bench/packages/fasterapi-router python packages/fasterapi-router/benchmarks/compare.py
if command -v valgrind >/dev/null; then
  echo "== fasterapi-router from Python, against its peers: instructions per lookup (callgrind)"
  PYTHONPATH=build/bench/packages/fasterapi-router \
    python packages/fasterapi-router/benchmarks/instructions.py github synthetic_100 synthetic_1000
fi

echo "== fasterapi-futures, C++ only: ns per operation"
./build/bench/packages/fasterapi-futures/futures_bench
echo "== fasterapi-futures against asyncio and uvloop (same run)"
python packages/fasterapi-futures/benchmarks/compare.py --rounds 5
echo "== TCP echo: each loop against a bare C++ epoll server (same run)"
python packages/fasterapi-futures/benchmarks/echo.py --bench build/bench/packages/fasterapi-futures/echo_bench
if command -v valgrind >/dev/null; then
  echo "== fasterapi-futures against uvloop: instructions per operation (callgrind)"
  python packages/fasterapi-futures/benchmarks/instructions.py
fi

echo "== fasterapi-pg against psycopg 3 and psycopg_pool, sync API (same run)"
python packages/fasterapi-pg/benchmarks/compare_sync.py
echo "== fasterapi-pg against asyncpg, psycopg_pool, a C program on libpq and pgbench (same run)"
python packages/fasterapi-pg/benchmarks/compare_async.py

echo "== fasterapi against FastAPI, in-process ASGI calls (same run)"
python packages/fasterapi/benchmarks/bench_asgi.py --rounds 5
if ! command -v wrk >/dev/null; then
  echo "installing wrk (the HTTP load generator of the server benchmark)"
  apt_install wrk
fi
echo "== fasterapi against FastAPI, under uvicorn with wrk (same run)"
python packages/fasterapi/benchmarks/bench_server.py
