"""The fault campaign, small: submissions through a real web server while the real
worker is SIGKILLed and Redis restarted, then a regrade of them under the same faults.
Each submission reaches exactly one verdict, and exactly one more from the regrade.
(The full run, 50 submissions, is `scripts/fault_campaign.py`.)"""

import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = [pytest.mark.docker, pytest.mark.worker]


def test_every_submission_and_every_regrade_gets_one_verdict_through_worker_kills_and_redis_restarts(
    docker_engine,
):
    done = subprocess.run(
        [sys.executable, "scripts/fault_campaign.py", "--submissions", "12", "--timeout", "240", "--regrade"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=720,
    )
    assert "submitted 12 / verdicts 12 / duplicates 0 / lost 0" in done.stdout, (
        done.stdout[-3000:] + done.stderr[-3000:]
    )
    assert "SIGKILL the worker (mid-run)" in done.stdout and "restart Redis" in done.stdout
    assert "regraded 12 / verdicts 12 / duplicates 0 / lost 0" in done.stdout, done.stdout[-3000:]
    regrades = done.stdout.split("what happened during the regrades:")[1]
    assert "SIGKILL the worker (mid-run)" in regrades and "restart Redis" in regrades
    assert done.returncode == 0
