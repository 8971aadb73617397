"""scripts/screenshots.py reads its arguments (the screenshots themselves are taken by
hand: the script starts a whole private Duet)."""

import importlib.util
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

SCRIPT = ROOT / "scripts" / "screenshots.py"


def _script():
    spec = importlib.util.spec_from_file_location("screenshots", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_it_explains_its_arguments():
    done = subprocess.run([sys.executable, str(SCRIPT), "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "--widths" in done.stdout and "--grade" in done.stdout


def test_it_reads_the_widths_and_names_them():
    script = _script()
    args = script.parse_args(["/tmp/out", "--widths", "1280,390", "--grade"])
    assert args.out == Path("/tmp/out") and args.widths == [1280, 390] and args.grade
    assert script.parse_args(["out"]).widths == [1280, 390] and not script.parse_args(["out"]).grade
    assert [script.width_label(w, [1280, 390]) for w in (1280, 390)] == ["desktop", "phone"]
    assert script.width_label(1400, [1400, 1280]) == "desktop1400"
