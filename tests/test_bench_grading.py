"""scripts/bench_grading.py runs end to end: a smoke run (one sample of each figure, a
burst of 5) on its own private instance reports every figure, so a benchmark that
crashes fails CI. The figures themselves are not judged here: no timed assertions."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.docker, pytest.mark.worker, pytest.mark.browser]

ROOT = Path(__file__).resolve().parent.parent
FIGURES = [
    "bare/flask-hello",
    "bare/django-hello",
    "engine",
    "sandbox/flask-hello",
    "sandbox/django-hello",
    "queue/flask-hello",
    "queue/django-hello",
    "browser/flask-hello",
    "browser/django-hello",
    "burst",
    "static",
    "page/course",
    "page/lesson",
    "page/exercise",
    "render/exercise",
]


def test_a_smoke_run_reports_every_figure_as_json_on_its_last_line():
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench_grading.py"), "--smoke", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])["figures"]
    for name in FIGURES:
        assert name in figures, f"{name} is missing from {sorted(figures)}"
        assert figures[name]["n"] >= 1, name
        assert {"median", "min", "max", "floor", "ratio"} <= figures[name].keys(), name
    assert figures["burst"]["floor"] is not None
    assert figures["page/exercise"]["ratio"] is not None
