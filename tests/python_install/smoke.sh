#!/usr/bin/env bash
# The Python package as pip installs it: a throwaway venv (numpy, pandas and mypy come
# from Debian through --system-site-packages), `pip install --no-build-isolation
# --no-index .` of the tree into it, then smoke.py run by the venv's python from a
# directory outside the tree (calendar, SLA, store, reports, knowledge, stubtest), and
# a wheel built the same way checked for _core*.so, py.typed and _core.pyi.  Offline.
# The venv and the wheel live in a temporary directory removed on exit, failures
# included; the CMake build is kept in build/pip/ for the next run.
#
#   tests/python_install/smoke.sh            (run.sh test runs it)
#
# PYTHON picks the base interpreter (default /usr/bin/python3, Debian's).  ccache is
# used when it is installed.  HOTLINE_CMAKE_BUILD_DIR (run.sh test: build/) lets pip
# take _core from that build instead of compiling the library again (setup.py).
set -euo pipefail
SOURCE="$(cd "$(dirname "$0")/../.." && pwd)"
PYTHON="${PYTHON:-/usr/bin/python3}"
unset PYTHONPATH  # the build tree's package (build/python) must not stand in for the installed one

WORK="$(mktemp -d "${TMPDIR:-/tmp}/hotline-pip.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

if command -v ccache >/dev/null 2>&1; then
  export CMAKE_CXX_COMPILER_LAUNCHER="${CMAKE_CXX_COMPILER_LAUNCHER:-ccache}"
  export CMAKE_C_COMPILER_LAUNCHER="${CMAKE_C_COMPILER_LAUNCHER:-ccache}"
fi
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1

# pip's output goes to a log, shown when a step fails.
quiet() {
  local log="$WORK/$1.log"
  shift
  if ! "$@" >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "smoke.sh: failed: $*" >&2
    return 1
  fi
}

start=$SECONDS
"$PYTHON" -m venv --system-site-packages "$WORK/venv"
VPY="$WORK/venv/bin/python"
# From the tree's root, as the README says: pip builds in the tree, setup.py writes
# only under build/pip/.
(cd "$SOURCE" && quiet install "$VPY" -m pip install --no-build-isolation --no-index -v .)
echo "pip install: $((SECONDS - start)) s"

# Outside the tree: nothing of the sources or build/python on the path.
step=$SECONDS
mkdir "$WORK/outside"
(cd "$WORK/outside" && "$VPY" "$SOURCE/tests/python_install/smoke.py" \
  --source "$SOURCE" --venv "$WORK/venv")
echo "smoke test and stubtest: $((SECONDS - step)) s"

# The wheel: the compiled module, the stubs and the typed marker.
step=$SECONDS
(cd "$SOURCE" && quiet wheel "$VPY" -m pip wheel --no-build-isolation --no-deps --no-index -v . -w "$WORK/dist")
"$VPY" - "$WORK"/dist/hotline-*.whl <<'EOF'
import re, sys, zipfile
wheels = sys.argv[1:]
assert len(wheels) == 1, wheels
names = zipfile.ZipFile(wheels[0]).namelist()
want = {"_core*.so": r"hotline/_core\..*\.so", "py.typed": r"hotline/py\.typed", "_core.pyi": r"hotline/_core\.pyi",
        "__init__.py": r"hotline/__init__\.py", "signing.py": r"hotline/signing\.py"}
missing = [k for k, p in want.items() if not any(re.fullmatch(p, n) for n in names)]
assert not missing, f"{wheels[0]} lacks {missing}: {names}"
stray = [n for n in names if not (n.startswith("hotline/") or n.startswith("hotline-"))]
assert not stray, f"unexpected files in the wheel: {stray}"
print(f"ok   wheel {wheels[0].rsplit('/', 1)[-1]}: {len(names)} files, with _core*.so, py.typed, _core.pyi")
EOF
echo "pip wheel: $((SECONDS - step)) s"
echo "the Python package: installed, smoke-tested and wheeled in $((SECONDS - start)) s"
