"""When the runner takes a sandbox's processes to be ready, and a run to be over, from
what they write (no Docker here: the exec's reading side alone, fed as Docker would)."""

import json
import threading

from sandbox.harness.duet_harness import frames
from sandbox.runner import ExecOutcome, Stream, _Exec, _FramedFeed, _post_mortem, _Processes

STDOUT, STDERR = 1, 2


def grader_side(limit: int = 1024) -> _Exec:
    """The test process's reading side: its stdout is its report."""
    proc = _Exec.__new__(_Exec)
    proc.outcome = ExecOutcome(stdout=Stream(limit), stderr=Stream(limit))
    proc._done = threading.Event()
    return proc


def test_a_report_counts_only_once_its_newline_has_come():
    proc = grader_side()
    report = json.dumps({"version": 2, "tests": [{"name": "a\nb"}]}) + "\n"  # escaped: one line
    proc._report_feed(STDOUT, report[:10].encode())
    assert proc.outcome.reported_at is None and not proc._done.is_set()
    proc._report_feed(STDOUT, report[10:].encode())
    assert proc.outcome.reported_at is not None and proc._done.is_set()
    assert proc.outcome.is_over


def test_a_newline_on_stderr_or_a_report_cut_at_the_cap_is_no_report():
    proc = grader_side(limit=8)
    proc._report_feed(STDERR, b"pytest says\n")
    proc._report_feed(STDOUT, b'{"version": 2}\n')  # 15 bytes: cut at 8, so not whole
    assert proc.outcome.reported_at is None and not proc.outcome.is_over


def test_the_test_process_is_waiting_once_its_line_is_on_stderr():
    proc = grader_side()
    proc._report_feed(STDERR, b"a warning from an import\n")
    assert proc.outcome.waiting_at is None
    proc._report_feed(STDERR, frames.GRADER_WAITING)
    assert proc.outcome.waiting_at is not None
    on_stdout = grader_side()
    on_stdout._report_feed(STDOUT, frames.GRADER_WAITING)  # stdout is the report's
    assert on_stdout.outcome.waiting_at is None


class Api:
    """Docker's exec_inspect as it answers once the test process ended and the app runs."""

    def __init__(self, grader_exit: int) -> None:
        self.grader_exit = grader_exit

    def exec_inspect(self, exec_id: str) -> dict:
        if exec_id == "grader":
            return {"Running": False, "ExitCode": self.grader_exit}
        return {"Running": True}


def ended(exec_id: str, api: Api, stderr: bytes = b"", finished: bool = True) -> _Exec:
    proc = grader_side()
    proc.api, proc.exec_id = api, exec_id
    proc._report_feed(STDERR, stderr)
    proc.outcome.finished_at = 1.0 if finished else None
    return proc


def test_a_test_process_stream_closed_after_its_waiting_line_alone_is_lost_contact():
    # Docker closed the stream before the report: the engine's fault (a retry), not the
    # learner's, even though the process had said it was waiting.
    api = Api(grader_exit=0)
    for stderr in (b"", frames.GRADER_WAITING):
        procs = _Processes(app=ended("app", api, finished=False), grader=ended("grader", api, stderr), changed=None)
        assert _post_mortem(Container(), procs, timed_out=False).lost_contact
    procs = _Processes(app=ended("app", api, finished=False), grader=ended("grader", api, b"boom\n"), changed=None)
    assert not _post_mortem(Container(), procs, timed_out=False).lost_contact


class Container:
    id = "not-a-container"  # no cgroup files to read


def test_the_app_supervisor_is_waiting_once_it_sent_the_event():
    outcome = ExecOutcome(stdout=Stream(1024), stderr=Stream(1024))
    feed = _FramedFeed(outcome, key=None)
    forged = frames.encode(frames.APP_STDOUT, json.dumps({"event": frames.WAITING_EVENT}).encode())
    feed(STDOUT, forged)  # the app's own bytes, however they look, are its output
    assert outcome.waiting_at is None
    feed(STDOUT, frames.encode(frames.EVENT, json.dumps({"event": frames.WAITING_EVENT}).encode()))
    assert outcome.waiting_at is not None
