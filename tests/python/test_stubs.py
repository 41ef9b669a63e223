"""The hand-written _core.pyi matches the compiled module (mypy's stubtest)."""
import os
import re
import subprocess
import sys

import pytest

import hotline

# pybind11 classes have pybind11's metaclass, and those without a constructor
# take (*args, **kwargs) at run time only to raise: neither can be written in a
# stub, so those two findings are expected.  Anything else is a real mismatch.
EXPECTED = (
    re.compile(r"is inconsistent, metaclass differs"),
    re.compile(r'__init__ is inconsistent, stub does not have \*args argument "args"'),
)


def test_stubs_match_the_module():
    pytest.importorskip("mypy")
    package_dir = os.path.dirname(os.path.dirname(hotline.__file__))
    env = dict(os.environ, PYTHONPATH=package_dir)
    run = subprocess.run([sys.executable, "-m", "mypy.stubtest", "hotline._core"], env=env, cwd=package_dir,
                         capture_output=True, text=True, timeout=600)
    errors = [l for l in run.stdout.splitlines() if l.startswith("error:")]
    unexpected = [e for e in errors if not any(p.search(e) for p in EXPECTED)]
    assert unexpected == [], "\n".join(unexpected)
    assert "Found" in run.stdout or run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
