"""When the runner takes a sandbox's processes to be ready, and a run to be over, from
what they write (no Docker here: the exec's reading side alone, fed as Docker would)."""

import json
import threading

from sandbox.harness.duet_harness import frames
from sandbox.runner import ExecOutcome, Stream, _Exec, _FramedFeed

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


def test_the_test_process_is_waiting_once_its_line_is_first_on_stderr():
    proc = grader_side()
    proc._report_feed(STDERR, frames.GRADER_WAITING)
    assert proc.outcome.waiting_at is not None
    late = grader_side()
    late._report_feed(STDERR, b"a warning\n" + frames.GRADER_WAITING)  # not first: not ours
    assert late.outcome.waiting_at is None


def test_the_app_supervisor_is_waiting_once_it_sent_the_event():
    outcome = ExecOutcome(stdout=Stream(1024), stderr=Stream(1024))
    feed = _FramedFeed(outcome)
    forged = frames.encode(frames.APP_STDOUT, json.dumps({"event": frames.WAITING_EVENT}).encode())
    feed(STDOUT, forged)  # the app's own bytes, however they look, are its output
    assert outcome.waiting_at is None
    feed(STDOUT, frames.encode(frames.EVENT, json.dumps({"event": frames.WAITING_EVENT}).encode()))
    assert outcome.waiting_at is not None
