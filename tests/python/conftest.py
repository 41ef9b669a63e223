"""pytest set-up for the hotline Python tests.

`import hotline` must find the compiled package: ctest sets PYTHONPATH to
<build>/python.  Run by hand, either set PYTHONPATH yourself
(PYTHONPATH=build/python /usr/bin/python3 -m pytest tests/python) or set
HOTLINE_BUILD_DIR to the build directory; as a last resort <repo>/build/python
is tried.  Nothing here names a machine-local path.
"""
import os
import pathlib
import sys

import pytest

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]


def _make_hotline_importable() -> None:
    try:
        import hotline  # noqa: F401
        return
    except ImportError:
        pass
    candidates = []
    if os.environ.get("HOTLINE_BUILD_DIR"):
        candidates.append(pathlib.Path(os.environ["HOTLINE_BUILD_DIR"]) / "python")
    candidates.append(REPO_ROOT / "build" / "python")
    for c in candidates:
        if (c / "hotline").is_dir():
            sys.path.insert(0, str(c))
            return
    raise ImportError(
        "cannot import hotline: build it (cmake --build <build> --target _core) and set "
        "PYTHONPATH=<build>/python or HOTLINE_BUILD_DIR=<build>")


_make_hotline_importable()

try:  # hypothesis keeps no example database: no .hypothesis/ directory in the source tree
    from hypothesis import settings as _hyp_settings

    _hyp_settings.register_profile("hotline", database=None)
    _hyp_settings.load_profile("hotline")
except ImportError:
    pass


def shared_data_dir() -> pathlib.Path | None:
    """The reference data directory (env HOTLINE_SHARED_DATA, else <repo>/../shared/data)."""
    env = os.environ.get("HOTLINE_SHARED_DATA")
    d = pathlib.Path(env) if env else REPO_ROOT.parent / "shared" / "data"
    return d if d.is_dir() else None


@pytest.fixture(scope="session")
def shared_data() -> pathlib.Path:
    """The shared reference data directory; the test is skipped when it is absent."""
    d = shared_data_dir()
    if d is None:
        pytest.skip("shared reference data not found: set HOTLINE_SHARED_DATA or put it at <repo>/../shared/data")
    return d


@pytest.fixture(scope="session")
def national_csv() -> dict:
    """data/calendar/cn_national_2004_2026.csv (the built-in calendar's source) as {date: (day_off, name_en)}."""
    import csv
    import datetime

    path = REPO_ROOT / "data" / "calendar" / "cn_national_2004_2026.csv"
    rows = {}
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            rows[datetime.date.fromisoformat(r["date"])] = (r["kind"] == "holiday", r["name"])
    return rows


@pytest.fixture(scope="session")
def cal():
    import hotline

    return hotline.Calendar.china()
