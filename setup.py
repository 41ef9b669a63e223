"""Builds hotline._core with the project's CMake for pip (metadata: pyproject.toml).

    python3 -m pip install --no-build-isolation .
    python3 -m pip wheel --no-build-isolation --no-deps . -w dist/

CMake configures the library and the Python module only (no tests, examples,
benchmarks or command line) with the interpreter that runs this file, builds the
`_core` target in build/pip/temp.<platform>/cmake and copies the module into the
package; setuptools adds the pure-Python files, _core.pyi and py.typed.  Everything
setuptools writes goes under build/pip/, so the tree stays clean, and the CMake build
there is reused by the next run (it is wiped when it belongs to another source tree).

Environment: HOTLINE_CMAKE_BUILD_DIR (an existing CMake build of this tree with the
Python module, e.g. build/: only its _core target is brought up to date and taken;
run.sh test uses it so as not to compile the library a second time),
CMAKE_BUILD_PARALLEL_LEVEL (jobs; default: the CPUs), CMAKE_GENERATOR,
CMAKE_CXX_COMPILER_LAUNCHER / CMAKE_C_COMPILER_LAUNCHER (e.g. ccache; CMake reads
them itself), CMAKE_ARGS (extra configure arguments, shell-quoted).
"""
import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig

from setuptools import Extension, setup
from setuptools.command.build import build
from setuptools.command.build_ext import build_ext

ROOT = pathlib.Path(__file__).resolve().parent
BUILD_BASE = "build/pip"  # relative to ROOT: pip runs this file from the tree's root


def project_version() -> str:
    """project(hotline VERSION x.y.z) of the top CMakeLists.txt: one version for C++ and Python."""
    text = (ROOT / "CMakeLists.txt").read_text(encoding="utf-8")
    m = re.search(r"project\(\s*hotline\s+VERSION\s+([0-9][0-9.]*)", text)
    if not m:
        raise RuntimeError("CMakeLists.txt: no project(hotline VERSION ...) found")
    return m.group(1)


class CleanBuild(build):
    """build that starts from an empty build/pip/lib.*: the wheel takes everything in it, so a
    file since deleted from the sources (or a cache a tool left there) must not linger.  The
    CMake build, in build/pip/temp.*, is kept."""

    def run(self) -> None:
        for d in {self.build_lib, self.build_platlib, self.build_purelib}:
            if d and os.path.isdir(d):
                shutil.rmtree(d)
        super().run()


class CMakeExtension(Extension):
    """An extension module built by a CMake target rather than from listed sources."""

    def __init__(self, name: str, target: str) -> None:
        super().__init__(name, sources=[])
        self.target = target


class CMakeBuild(build_ext):
    """build_ext that configures the project with CMake and builds one target per extension."""

    def build_extension(self, ext: Extension) -> None:
        if not isinstance(ext, CMakeExtension):
            return super().build_extension(ext)
        reuse = os.environ.get("HOTLINE_CMAKE_BUILD_DIR")
        if reuse:
            build_dir = self._reusable_build(pathlib.Path(reuse))
        else:
            build_dir = (ROOT / self.build_temp / "cmake").resolve()
            self._configure(build_dir)

        build = ["cmake", "--build", str(build_dir), "--target", ext.target, "--config", "Release"]
        if not os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL"):
            build += ["--parallel", str(self.parallel or os.cpu_count() or 1)]
        self._run(build)

        built = self._find_module(build_dir / "python" / "hotline", ext.target)
        dest = pathlib.Path(self.get_ext_fullpath(ext.name))
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, dest)
        shutil.copymode(built, dest)

    @staticmethod
    def _reusable_build(build_dir: pathlib.Path) -> pathlib.Path:
        """HOTLINE_CMAKE_BUILD_DIR: a CMake build of this tree, configured already with the
        Python module (run.sh test passes build/, whose library it has just built), so that
        pip builds only what is out of date there instead of the whole library again."""
        build_dir = build_dir.resolve()
        cache = build_dir / "CMakeCache.txt"
        text = cache.read_text(encoding="utf-8", errors="replace") if cache.is_file() else ""
        home = re.search(r"^CMAKE_HOME_DIRECTORY:INTERNAL=(.*)$", text, re.MULTILINE)
        if not home or pathlib.Path(home.group(1)).resolve() != ROOT:
            raise RuntimeError(f"HOTLINE_CMAKE_BUILD_DIR={build_dir}: not a CMake build of {ROOT}")
        if not re.search(r"^HOTLINE_BUILD_PYTHON:BOOL=ON$", text, re.MULTILINE):
            raise RuntimeError(f"HOTLINE_CMAKE_BUILD_DIR={build_dir}: configured without the Python module")
        print(f"hotline: building _core in the existing build {build_dir}", flush=True)
        return build_dir

    def _configure(self, build_dir: pathlib.Path) -> None:
        self._drop_foreign_cache(build_dir)
        build_dir.mkdir(parents=True, exist_ok=True)

        configure = [
            "cmake", "-S", str(ROOT), "-B", str(build_dir),
            "-DCMAKE_BUILD_TYPE=Release",
            f"-DPython_EXECUTABLE={sys.executable}",
            "-DHOTLINE_BUILD_PYTHON=ON",
            "-DHOTLINE_BUILD_TESTS=OFF",
            "-DHOTLINE_BUILD_EXAMPLES=OFF",
            "-DHOTLINE_BUILD_BENCHMARKS=OFF",
            "-DHOTLINE_BUILD_CLI=OFF",
            "-DHOTLINE_BUILD_FUZZERS=OFF",
            "-DHOTLINE_BUILD_JAVA=OFF",
        ]
        configure += shlex.split(os.environ.get("CMAKE_ARGS", ""))
        self._run(configure)

    @staticmethod
    def _drop_foreign_cache(build_dir: pathlib.Path) -> None:
        """A build directory configured for another source tree (a moved or copied
        checkout) cannot be reused: CMake would refuse it.  Start afresh then."""
        cache = build_dir / "CMakeCache.txt"
        if not cache.is_file():
            return
        m = re.search(r"^CMAKE_HOME_DIRECTORY:INTERNAL=(.*)$", cache.read_text(encoding="utf-8", errors="replace"),
                      re.MULTILINE)
        if m and pathlib.Path(m.group(1)).resolve() == ROOT:
            return
        print(f"hotline: {build_dir} belongs to another source tree; building afresh", flush=True)
        shutil.rmtree(build_dir)

    @staticmethod
    def _find_module(directory: pathlib.Path, target: str) -> pathlib.Path:
        """The module CMake built: <target><EXT_SUFFIX> (pybind11 names it so)."""
        exact = directory / (target + sysconfig.get_config_var("EXT_SUFFIX"))
        if exact.is_file():
            return exact
        found = sorted(directory.glob(target + ".*.so"))
        if len(found) != 1:
            raise RuntimeError(f"expected one built {target} module in {directory}, found {found}")
        return found[0]

    @staticmethod
    def _run(cmd: list[str]) -> None:
        print("hotline:", " ".join(shlex.quote(c) for c in cmd), flush=True)
        subprocess.run(cmd, cwd=ROOT, check=True)


(ROOT / BUILD_BASE).mkdir(parents=True, exist_ok=True)  # egg_info wants its egg_base to exist
setup(
    version=project_version(),
    ext_modules=[CMakeExtension("hotline._core", target="_core")],
    cmdclass={"build": CleanBuild, "build_ext": CMakeBuild},
    # Keep setuptools' own files (lib, temp, bdist, egg-info) out of the CMake build
    # tree build/ and out of the sources.
    options={"build": {"build_base": BUILD_BASE}, "egg_info": {"egg_base": BUILD_BASE}},
    zip_safe=False,
)
