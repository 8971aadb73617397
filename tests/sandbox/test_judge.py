"""The verdict rules, on hand-made run outcomes (no container): nothing but the grader's
own report can make a pass."""

import json

import pytest

from sandbox.grading import judge
from sandbox.runner import ExecOutcome, Limits, RunOutcome, Stream

LIMITS = Limits()


def outcome(report=None, *, app_log=b"", app_exit=None, events=(), timed_out=False, oom=False, grader_raw=None):
    app = ExecOutcome(stdout=Stream(LIMITS.output_bytes), stderr=Stream(LIMITS.output_bytes))
    app.feed(2, app_log)
    app.events.extend(events)
    if app_exit is not None:
        app.exit_code, app.finished_at = app_exit, 1.0
    grader = ExecOutcome(stdout=Stream(4 * LIMITS.output_bytes), stderr=Stream(LIMITS.output_bytes))
    if grader_raw is not None:
        grader.stdout.feed(grader_raw)
    elif report is not None:
        grader.stdout.feed(json.dumps(report).encode())
    return RunOutcome(app=app, grader=grader, timed_out=timed_out, oom_killed=oom, timings={})


def exited(status):
    return {"event": "exited", "status": status}


def report(*statuses, exit_code=None, **extra):
    tests = [
        {"name": f"t{i}", "status": s, "message": "" if s == "pass" else "nope", "output": ""}
        for i, s in enumerate(statuses)
    ]
    code = exit_code if exit_code is not None else (0 if all(s == "pass" for s in statuses) else 1)
    return {
        "version": 2,
        "app_ready": True,
        "pytest_exit_code": code,
        "collected": len(tests),
        "collection_errors": [],
        "tests": tests,
        "oom_kills": 0,
        **extra,
    }


def test_it_passes_when_every_test_passed():
    assert judge(outcome(report("pass", "pass")), LIMITS)["status"] == "pass"


def test_it_fails_and_names_the_first_failing_test():
    result = judge(outcome(report("pass", "fail")), LIMITS)
    assert result["status"] == "fail"
    assert "1 of 2 tests failed" in result["message"] and "t1" in result["message"]


def test_no_test_ran_is_an_error_never_a_pass():
    assert judge(outcome(report()), LIMITS)["status"] == "error"


def test_a_missing_report_is_an_error_even_if_the_app_printed_a_pass():
    fake = json.dumps(report("pass")).encode()
    result = judge(outcome(None, app_log=fake + b"\n1 passed in 0.01s\n"), LIMITS)
    assert result["status"] == "error"


def test_a_report_whose_counts_disagree_is_not_a_pass():
    forged = report("pass")
    forged["collected"] = 3
    assert judge(outcome(forged), LIMITS)["status"] != "pass"


def test_a_pytest_failure_exit_code_is_not_a_pass_even_if_every_listed_test_passed():
    assert judge(outcome(report("pass", exit_code=1)), LIMITS)["status"] != "pass"


def test_garbage_on_the_grader_stream_is_an_error():
    assert judge(outcome(grader_raw=b"PASSED PASSED all good"), LIMITS)["status"] == "error"


def test_a_timeout_is_an_error_that_names_the_limit():
    result = judge(outcome(timed_out=True), LIMITS)
    assert (result["status"], result["limit"]) == ("error", "time")
    assert "10 s" in result["message"]


def test_a_memory_kill_is_an_error_that_names_the_limit():
    result = judge(outcome(oom=True, app_exit=137), LIMITS)
    assert (result["status"], result["limit"]) == ("error", "memory")
    assert "256 MiB" in result["message"]


def failed_at_import(type_="SyntaxError", file="app.py", line=3, text="invalid syntax", **extra):
    return {"event": "import_failed", "type": type_, "file": file, "line": line, "text": text, **extra}


def test_an_app_that_fails_at_import_says_why_quoting_the_apps_own_text():
    events = [{"event": "started"}, failed_at_import("NameError", text="name 'x' is not defined"), exited(3)]
    result = judge(outcome(None, app_log=b"Traceback...\n", app_exit=3, events=events), LIMITS)
    assert result["status"] == "error"
    assert result["message"] == "Your app could not start: NameError in app.py, line 3: “name 'x' is not defined”."


def test_a_failure_outside_the_learners_files_names_only_the_exception():
    events = [failed_at_import("ModuleNotFoundError", file=None, line=None, text="No module named 'app'"), exited(3)]
    result = judge(outcome(None, app_exit=3, events=events), LIMITS)
    assert result["message"] == "Your app could not start: ModuleNotFoundError: “No module named 'app'”."


def test_the_same_failure_is_explained_when_the_tests_found_no_app_to_talk_to():
    run = outcome(report(app_ready=False, tests=[]), app_exit=3, events=[failed_at_import(), exited(3)])
    result = judge(run, LIMITS)
    assert result["message"] == "Your app could not start: SyntaxError in app.py, line 3: “invalid syntax”."


def test_a_duet_sentence_printed_by_the_app_is_never_the_verdicts_message():
    forged = b"[duet] your app could not start: the sandbox failed (not your fault)\n"
    for run in (
        outcome(None, app_log=forged, app_exit=3, events=[{"event": "started"}, exited(3)]),
        outcome(report(app_ready=False, tests=[]), app_log=forged, app_exit=3, events=[exited(3)]),
    ):
        result = judge(run, LIMITS)
        assert "sandbox failed" not in result["message"] and "not your fault" not in result["message"]
        assert "Your app stopped (exit status 3)" in result["message"], result["message"]
        assert "the sandbox failed" in result["app_log"], "it stays in the app's own log"


def test_the_apps_own_text_cannot_close_the_quote_or_run_on():
    text = "x”. The sandbox failed (not your fault). “\n" + "y" * 2000
    result = judge(outcome(None, app_exit=3, events=[failed_at_import("ValueError", text=text), exited(3)]), LIMITS)
    quoted = result["message"].split("“", 1)[1]
    assert quoted.count("”") == 1 and quoted.endswith("”.")
    assert "\n" not in result["message"] and len(result["message"]) < 400
    assert "…" in quoted


def test_a_full_disk_at_import_says_how_much_an_app_may_write():
    failure = failed_at_import("OSError", line=4, text="[Errno 27] File too large", errno=27)
    result = judge(outcome(None, app_exit=3, events=[failure, exited(3)]), LIMITS)
    assert "File too large" in result["message"] and "an app may write only a few MiB" in result["message"]


@pytest.mark.parametrize(
    "problem, got, expected",
    [
        ("missing", None, "app.py defines no 'app': create it with app = Flask(__name__)"),
        ("not_callable", "int", "app:app is not a WSGI application (got int)"),
    ],
)
def test_an_entrypoint_that_names_no_app_says_what_to_write(problem, got, expected):
    event = {"event": "entrypoint_problem", "entrypoint": "app:app", "problem": problem, "got": got}
    result = judge(outcome(None, app_exit=3, events=[event, exited(3)]), LIMITS)
    assert result["message"] == f"Your app could not start: {expected}."


def test_an_application_factory_that_returns_nothing_says_so():
    event = {"event": "entrypoint_problem", "entrypoint": "pkg:create_app()", "problem": "returned_none"}
    result = judge(outcome(None, app_exit=3, events=[event, exited(3)]), LIMITS)
    assert result["message"] == "Your app could not start: create_app() returned None: end it with return app."


def test_an_app_that_exits_names_its_exit_status():
    result = judge(outcome(None, app_exit=0, events=[{"event": "loaded", "seconds": 0.2}, exited(0)]), LIMITS)
    assert result["status"] == "error"
    assert result["message"].startswith("Your app stopped (exit status 0) before the tests finished.")


def test_an_app_killed_by_a_signal_says_it_was_killed():
    result = judge(outcome(None, app_exit=137, events=[{"event": "exited", "signal": 9}]), LIMITS)
    assert result["status"] == "error" and result["message"].startswith("Your app was killed")


def test_the_apps_load_time_is_kept_with_the_timings():
    result = judge(outcome(report("pass"), events=[{"event": "loaded", "seconds": 0.25}]), LIMITS)
    assert result["timings"]["app_loaded"] == 0.25


def test_broken_hidden_tests_are_blamed_on_the_exercise():
    result = judge(outcome(report(collection_errors=["ImportError: boom"])), LIMITS)
    assert result["status"] == "error" and "fault in the exercise" in result["message"]
    assert "boom" in result["staff_note"]


def test_the_app_log_keeps_both_streams_and_notes_truncation():
    limits = Limits(output_bytes=10)
    run = outcome(report("pass"))
    run.app.stdout.limit = run.app.stderr.limit = 10
    run.app.combined.clear()
    run.app.stdout.data.clear()
    run.app.stderr.data.clear()
    run.app.feed(1, b"0123456789ABCDEF")
    result = judge(run, limits)
    assert result["app_log"] == "0123456789"
    assert "6 more bytes" in result["app_log_note"]


def test_a_refused_fork_names_the_process_limit_even_when_time_ran_out():
    run = outcome(timed_out=True)
    run.pids_limit_hits = 3
    result = judge(run, LIMITS)
    assert (result["status"], result["limit"]) == ("error", "processes")
    assert f"more than {LIMITS.pids} processes" in result["message"]


def test_the_graders_own_count_of_refused_forks_is_enough():
    result = judge(outcome(report=report("fail", pids_limit_hits=2)), LIMITS)
    assert (result["status"], result["limit"]) == ("error", "processes")


def test_a_refused_fork_does_not_spoil_a_run_where_every_test_passed():
    result = judge(outcome(report=report("pass", "pass", pids_limit_hits=1)), LIMITS)
    assert result["status"] == "pass"


def test_an_app_stopped_by_another_signal_names_it():
    result = judge(outcome(None, app_exit=139, events=[{"event": "exited", "signal": 11}]), LIMITS)
    assert result["message"] == "Your app was stopped by SIGSEGV before the tests finished. See its log below."
