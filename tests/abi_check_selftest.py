"""tools/abi_check.sh catches a break and lets an addition through.

A baseline is written from the library as built; then the same description with one
function cut out (hotline_calendar_free) stands in, once as the library (a function
hosts call is gone: the check must fail and name it), once as the baseline (the
library adds a function: the check must pass and list it).
"""
import pathlib
import re
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
TOOL = ROOT / "tools" / "abi_check.sh"
CUT = "hotline_calendar_free"


def run(verb, lib, baseline):
    env = {"HOTLINE_ABI_BASELINE": str(baseline), "PATH": "/usr/bin:/bin"}
    r = subprocess.run([str(TOOL), verb, str(lib)], capture_output=True, text=True, env=env)
    return r.returncode, r.stdout + r.stderr


def main(lib):
    with tempfile.TemporaryDirectory(prefix="hotline-abi-") as d:
        d = pathlib.Path(d)
        full, cut = d / "full.abi", d / "cut.abi"
        code, out = run("update", lib, full)
        assert code == 0, out
        text = full.read_text()
        assert f"name='{CUT}'" in text, "the baseline does not describe " + CUT
        assert "function-decl" in text, "no types in the description: is hotline_c built with -g?"
        # Cut the function: its ELF symbol and its declaration.
        text = re.sub(rf"\s*<elf-symbol name='{CUT}'[^>]*/>", "", text)
        text = re.sub(rf"\s*<function-decl name='{CUT}'.*?</function-decl>", "", text, flags=re.S)
        assert CUT not in text
        cut.write_text(text)

        code, out = run("check", cut, full)
        assert code == 1, f"a removed function passed the check:\n{out}"
        assert "INCOMPATIBLE" in out and CUT in out, out

        code, out = run("check", lib, cut)
        assert code == 0, f"an added function failed the check:\n{out}"
        assert "compatible additions" in out and CUT in out, out

        code, out = run("check", lib, full)
        assert code == 0 and "identical" in out, out
    print("abi check self-test: a removal fails, an addition passes, the same library is identical")


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1]))
