"""Run the hidden tests against the learner's app (runs as the ``grader`` user).

The only trusted output of a sandbox run is what this process prints on its own stdout:
one JSON document. pytest's own report goes to stderr.
"""

from __future__ import annotations

import json
import os
import resource
import socket
import sys
import time
from pathlib import Path

from . import frames, transcript
from .payload import read_payload, write_files

REPORT_BYTES = 256 * 1024  # the runner's cap on our stdout when the payload names none
GRADER_ROOT = Path(os.environ.get("DUET_GRADER_ROOT", "/grader"))  # moved only by the bare benchmark
TESTS_DIR = GRADER_ROOT / "tests"


def wait_for_app(host: str, port: int, deadline: float) -> bool:
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.2):
                return True
        except OSError:
            time.sleep(0.005)  # a refused connection costs microseconds: ask often
    return False


def cgroup_count(key: str, *paths: str) -> int:
    """The counter ``key`` from the first of this container's cgroup files (v2 or v1)
    that can be read, as "name value" lines; 0 when none can."""
    for path in paths:
        try:
            for line in Path(path).read_text().splitlines():
                name, _, value = line.partition(" ")
                if name == key:
                    return int(value)
        except (OSError, ValueError):
            continue
    return 0


def oom_kills() -> int:
    """How often the kernel's OOM killer struck in this container."""
    return cgroup_count("oom_kill", "/sys/fs/cgroup/memory.events", "/sys/fs/cgroup/memory/memory.oom_control")


APP_UID = 10001


def pids_limit_hits() -> int:
    """How often a fork was refused because the container's process limit was reached.
    Where the container has no cgroup files (gVisor, whose limit is the app user's
    RLIMIT_NPROC, given to every process here), 1 if the app's user holds all the
    processes and threads it may: a fork bomb keeps what it made."""
    paths = ("/sys/fs/cgroup/pids.events", "/sys/fs/cgroup/pids/pids.events")
    if any(Path(path).exists() for path in paths):
        return cgroup_count("max", *paths)
    limit = resource.getrlimit(resource.RLIMIT_NPROC)[0]
    if limit == resource.RLIM_INFINITY:
        return 0
    return 1 if _tasks_of(APP_UID) >= limit - 1 else 0


def _tasks_of(uid: int) -> int:
    """Processes and threads of ``uid`` now, from /proc."""
    count = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            if os.stat(entry.path).st_uid == uid:
                count += len(os.listdir(f"{entry.path}/task"))
        except OSError:
            continue  # it ended meanwhile, or we may not look
    return count


def main() -> int:
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # nothing but our JSON ever reaches the real stdout
    sys.stdout = sys.stderr

    # Docker copies the image's directory mode onto the tmpfs: make sure it is ours alone.
    GRADER_ROOT.chmod(0o700)
    # Imported before the payload: a warm sandbox waits for its files with them loaded.
    import pytest
    import requests  # noqa: F401

    from . import client, plugin  # noqa: F401

    sys.stderr.write(frames.GRADER_WAITING.decode())
    sys.stderr.flush()
    payload = read_payload()
    started = time.monotonic()  # the clock starts with the files (a warm sandbox waited above)
    port = int(payload.get("port", 8000))
    ready_timeout = float(payload.get("ready_timeout", 5))
    (GRADER_ROOT / "tmp").mkdir(mode=0o700, exist_ok=True)
    write_files(TESTS_DIR, payload["files"], mode=0o600)
    (GRADER_ROOT / "pytest.ini").write_text("[pytest]\n")
    os.environ.update(
        DUET_APP_URL=f"http://127.0.0.1:{port}/",
        DUET_REQUEST_TIMEOUT=str(payload.get("request_timeout", 3)),
        TMPDIR=str(GRADER_ROOT / "tmp"),
        HOME=str(GRADER_ROOT),
    )
    result: dict = {"version": 2, "timings": {}}
    ready = wait_for_app("127.0.0.1", port, started + ready_timeout)
    result["timings"]["app_ready"] = round(time.monotonic() - started, 3)
    result["app_ready"] = ready
    if ready:
        import pytest

        from .plugin import Results

        results = Results()
        os.chdir(GRADER_ROOT)
        exit_code = pytest.main(
            [
                "-q",
                "-p",
                "no:cacheprovider",
                "-p",
                "duet_harness.plugin",
                "-c",
                str(GRADER_ROOT / "pytest.ini"),
                "--rootdir",
                str(GRADER_ROOT),
                "--confcutdir",
                str(GRADER_ROOT),
                "-o",
                "python_files=test_*.py *_test.py tests.py",
                str(TESTS_DIR),
            ],
            plugins=[results],
        )
        result.update(
            pytest_exit_code=int(exit_code),
            collected=results.collected,
            collection_errors=results.collection_errors,
            tests=results.as_list(),
        )
        result["timings"]["tests_done"] = round(time.monotonic() - started, 3)
    result["oom_kills"] = oom_kills()
    result["pids_limit_hits"] = pids_limit_hits()
    transcript.fit_report(result, int(payload.get("report_bytes", REPORT_BYTES)) - 1)  # and its newline
    # One line: the runner takes the newline, the only one, as the end of the report.
    out.write(json.dumps(result) + "\n")
    out.flush()
    return 0


if __name__ == "__main__":
    status = main()
    sys.stderr.flush()
    # The report is written: end now. The interpreter's own shutdown (pytest, requests and
    # the tests' modules torn down) would only delay the end of the stream the runner
    # waits for.
    os._exit(status)
