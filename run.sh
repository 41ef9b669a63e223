#!/usr/bin/env bash
# The two commands of the README:
#   ./run.sh example   set up (Debian packages, build into build/) and run the main job
#   ./run.sh test      set up and run every test: C++ (doctest via ctest), Python
#                      (pytest), the C ABI and its abidiff check, the Java host (JNA),
#                      the C++ tests again under ASan+UBSan (clang)
#                      with the parsers' fuzz targets run briefly, under TSan, and a
#                      consumer project against the installed package (CMake and
#                      pkg-config), and pip install of the Python package into a venv
# Other verbs: setup, build, bench.
set -euo pipefail
cd "$(dirname "$0")"

# python3-ephem: PyEphem, the independent check of the computed new moons and solar terms
# (tests/python/test_calendar_beyond.py); the library itself does not use it.
# clang, libclang-rt-14-dev: the sanitize preset builds with clang for libFuzzer (tests/fuzz).
# abigail-tools: abidiff, the C ABI's check against its checked-in baseline (abi/).
# default-jdk-headless, libjna-java: the Java host over the C ABI (examples/java).
# python3-pip, python3-setuptools, python3-wheel, python3-venv: pip install of the tree, offline.
# postgresql: the server of the throwaway clusters tests start (tests/pg; issue 21).
# libpq-dev: the store's PostgreSQL back end; python3-psycopg2: the peer of its ingest benchmark.
PACKAGES=(build-essential cmake pkg-config tzdata clang libclang-rt-14-dev
  libfmt-dev libhowardhinnant-date-dev libsqlitecpp-dev libsqlite3-dev doctest-dev nlohmann-json3-dev libicu-dev libsodium-dev libcli11-dev
  pybind11-dev python3-dev python3-pybind11 python3-pytest python3-numpy python3-pandas python3-hypothesis
  python3-workalendar python3-matplotlib python3-openpyxl mypy libxlsxwriter-dev sqlite3
  python3-ephem python3-cryptography abigail-tools default-jdk-headless libjna-java
  python3-pip python3-setuptools python3-wheel python3-venv postgresql libpq-dev python3-psycopg2)

setup() {
  local missing=()
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "== installing Debian packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

build() {
  cmake --preset release -DHOTLINE_WARNINGS_AS_ERRORS="${CI:+ON}" >/dev/null
  cmake --build --preset release
}

case "${1:-}" in
  setup) setup ;;
  build) setup; build ;;
  example)
    setup; build
    shift
    ./build/examples/hotline_month "$@"
    # The signing side: a synthetic district of 200,000 residents and a year of signing.
    ./build/examples/signing_district signing-district.xlsx
    ;;
  test)
    setup; build
    echo "== C++ and Python tests (release)"
    ctest --preset release
    echo "== C++ tests under AddressSanitizer + UndefinedBehaviorSanitizer (clang), and the fuzz targets (label fuzz)"
    cmake --preset sanitize >/dev/null
    cmake --build --preset sanitize
    ctest --preset sanitize
    echo "== C++ tests under ThreadSanitizer (a store shared by threads, the importer, concurrent matching)"
    cmake --preset tsan >/dev/null
    cmake --build --preset tsan
    ctest --preset tsan
    echo "== installed package: find_package(hotline) from a consumer project"
    cmake --install build --prefix build/stage >/dev/null
    cmake -S tests/consumer -B build/consumer -DCMAKE_PREFIX_PATH="$PWD/build/stage" >/dev/null
    cmake --build build/consumer
    ./build/consumer/hotline_consumer data/knowledge/family_doctor_kb.json
    ./build/consumer/hotline_consumer_c
    ./build/consumer/hotline_consumer_c_job
    echo "== installed package: pkg-config hotline (C++) and hotline-c (C ABI), without CMake"
    tests/consumer/pkg_config.sh build/stage build/consumer-pkg-config
    echo "== the Python package: pip install into a throwaway venv, smoke test from outside the tree"
    # pip builds _core in build/ (just built above) rather than compiling the library
    # a second time; a plain `pip install .` builds in build/pip/ (setup.py).
    HOTLINE_CMAKE_BUILD_DIR="$PWD/build" tests/python_install/smoke.sh
    ;;
  bench)
    setup; build
    # The Python scripts run their C++ programs themselves, so that the library and
    # its peer are measured in one run.
    export PYTHONPATH=build/python
    /usr/bin/python3 benchmarks/bench_calendar.py
    /usr/bin/python3 benchmarks/bench_sla.py
    ./build/benchmarks/bench_knowledge
    ./build/benchmarks/bench_intake
    ./build/benchmarks/bench_signed_heads
    ./build/benchmarks/bench_c_api
    /usr/bin/python3 benchmarks/bench_store.py --bench build/benchmarks/bench_store --dir build/bench-store
    /usr/bin/python3 benchmarks/bench_store_bulk.py
    # PostgreSQL: the store's batches vs psycopg2 execute_values and COPY, in a throwaway cluster.
    tests/pg/throwaway_cluster.sh /usr/bin/python3 benchmarks/bench_store_pg.py --bench build/benchmarks/bench_store_pg
    # Builds a 10,000,000-order store the first time (minutes) and keeps it in build/bench-report.
    /usr/bin/python3 benchmarks/bench_report.py --bench build/benchmarks/bench_report --dir build/bench-report
    # 10,000,000 residents: contract ingest and coverage in C++, then against pandas on the same rows.
    ./build/benchmarks/bench_signing
    /usr/bin/python3 benchmarks/bench_signing.py
    ;;
  *)
    echo "usage: $0 example [args] | test | setup | build | bench" >&2
    exit 2
    ;;
esac
