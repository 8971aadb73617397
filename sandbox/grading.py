"""Grading: from an exercise and a learner's files to a verdict.

``grade`` runs the files in the sandbox and ``judge`` turns what happened into a result
in the spirit of Exercism's results.json (version 2): ``status`` (pass | fail | error),
``message``, ``tests`` and, beside them, the app's own log and timings. The one rule
that matters most: nothing but the grader process's own report can make a pass, and a
run where no test ran, the app never answered or a limit was hit is never a pass.
"""

from __future__ import annotations

import errno
import json
import signal
from typing import TYPE_CHECKING, Any

from django.conf import settings

from lessons.course_folder import Variant, stored_variants

from . import runner
from .harness.duet_harness import transcript
from .runner import SIGKILL_EXIT, Limits, RunOutcome, RunRequest

if TYPE_CHECKING:
    from lessons.models import Exercise

PASS, FAIL, ERROR = "pass", "fail", "error"


def limits_for(exercise: Exercise) -> Limits:
    return Limits(**exercise.sandbox_limits())


def app_files_for(exercise: Exercise, files: dict[str, str]) -> dict[str, str]:
    """The starter files, with the learner's editable files laid over them."""
    return exercise.app_files(files)


def grade(
    exercise: Exercise, files: dict[str, str], *, name: str | None = None, labels: dict[str, str] | None = None
) -> dict[str, Any]:
    """Run ``files`` against the exercise's hidden tests (of a tests exercise: run the
    learner's tests, ``files``, against its app and each buggy variant); raises
    SandboxUnavailable."""
    if exercise.kind == exercise.Kind.TESTS:
        mine = exercise.editable_files(files)
        app = {path: text for path, text in exercise.app_files(files).items() if path not in mine}
        return grade_tests_files(
            framework=exercise.framework,
            entrypoint=exercise.entrypoint,
            app=app,
            variants=stored_variants(exercise.files_of("variants")),
            tests=mine,
            limits=limits_for(exercise),
            setup=list(exercise.setup or []),
            name=name,
            labels=labels,
        )
    return grade_files(
        framework=exercise.framework,
        entrypoint=exercise.entrypoint,
        app_files=app_files_for(exercise, files),
        test_files=exercise.files_of("tests"),
        limits=limits_for(exercise),
        setup=list(exercise.setup or []),
        name=name,
        labels=labels,
    )


def grade_files(
    *,
    framework: str,
    entrypoint: str,
    app_files: dict[str, str],
    test_files: dict[str, str],
    limits: Limits,
    setup: list[str] | None = None,
    name: str | None = None,
    labels: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The same, from files alone: for content checked before it is imported."""
    pool_configure()
    outcome = runner.run(
        _request(framework, entrypoint, limits, setup, name, labels, app_files=app_files, test_files=test_files)
    )
    result = judge(outcome, limits)
    result["framework"] = framework  # the port of the transcripts' curl lines
    return result


def _request(
    framework: str,
    entrypoint: str,
    limits: Limits,
    setup: list[str] | None,
    name: str | None,
    labels: dict[str, str] | None,
    **files: Any,
) -> RunRequest:
    """A run of the framework's image with these limits, setup, name and labels."""
    return RunRequest(
        image=settings.SANDBOX_IMAGES[framework],
        framework=framework,
        entrypoint=entrypoint,
        limits=limits,
        setup=tuple(setup or ()),
        name=name,
        labels=labels or {},
        **files,
    )


def pool_configure() -> None:
    """The warm pool's size, age and limits, from the settings (the site's defaults)."""
    runner.POOL.configure(
        size=settings.SANDBOX_POOL_SIZE,
        max_age=settings.SANDBOX_POOL_MAX_AGE,
        limits=Limits(**settings.SANDBOX_DEFAULT_LIMITS),
    )


def pool_start() -> None:
    """Fill the pool for every framework now (a worker process that starts)."""
    pool_configure()
    for framework, image in settings.SANDBOX_IMAGES.items():
        runner.POOL.keep_warm(image, framework)


def grade_tests_files(
    *,
    framework: str,
    entrypoint: str,
    app: dict[str, str],
    variants: list[Variant],
    tests: dict[str, str],
    limits: Limits,
    setup: list[str] | None = None,
    name: str | None = None,
    labels: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Run the learner's ``tests`` in the sandbox against ``app`` and against each of the
    ``variants`` (laid over it): the verdict is what the supervisor saw of each run."""
    targets = [app, *(variant.laid_over(app) for variant in variants)]
    outcome = runner.run(
        _request(
            framework, entrypoint, limits, setup, name, labels, app_files=tests, test_files={}, targets=tuple(targets)
        )
    )
    result = judge_tests(outcome, limits, variants, framework)
    result["framework"] = framework
    return result


# How a run of the learner's tests ended, by exit status: pytest's and Django's own.
TESTS_PASSED = 0
NO_TESTS = {"flask": 5}


def judge_tests(outcome: RunOutcome, limits: Limits, variants: list[Variant], framework: str) -> dict[str, Any]:
    """A tests exercise's verdict, from the supervisor's events alone: the learner's tests
    must pass on the correct app (run 0) and fail on each buggy version (run i). What the
    tests printed is their own output, shown, never read for the verdict."""
    done = {
        event.get("index"): event for event in _events(outcome, "target_done") if isinstance(event.get("index"), int)
    }
    log, note = _app_log(outcome, limits)
    result: dict[str, Any] = {
        "version": 2,
        "kind": "tests",
        "app_log": log,
        "app_log_note": note,
        "limit": None,
        "timings": dict(outcome.timings),
    }
    seconds = f"{limits.wall_seconds:g} s"
    first = done.get(0)
    tests: list[dict[str, Any]] = []
    if outcome.app.forged:
        result.update(status=ERROR, message=FORGED_STREAM, limit=None, tests=[])
        return result
    if first is None or first.get("setup_failed"):
        failure = _startup_failure(outcome)
        if first is None and outcome.timed_out:
            message, limit = f"Time limit: your tests did not finish on the correct app within {seconds}.", "time"
        elif _memory_hit(outcome, None):
            message, limit = "Your tests used more memory than they may, so the system stopped them.", "memory"
        else:
            message = (
                failure or "Your tests could not be run on the correct app. Nothing was graded; please submit again."
            )
            limit = None
        result.update(status=ERROR, message=message, limit=limit, tests=[])
        return result
    tests.append(_correct_app_entry(first, seconds, framework))
    caught = 0
    for index, variant in enumerate(variants, start=1):
        entry = _variant_entry(index, variant, done.get(index), seconds)
        caught += entry["status"] == PASS
        tests.append(entry)
    result["tests"] = tests
    if tests[0]["status"] != PASS:
        status, message = (ERROR if tests[0]["status"] == ERROR else FAIL), tests[0]["message"]
    elif caught == len(variants):
        status = PASS
        message = f"Your tests pass on the correct app and catch all {len(variants)} buggy versions."
    elif any(entry["status"] == FAIL for entry in tests[1:]):
        missed = [str(i) for i, entry in enumerate(tests[1:], start=1) if entry["status"] == FAIL]
        status = FAIL
        message = (
            f"Your tests pass on the correct app and catch {caught} of {len(variants)} buggy versions; "
            f"missed: buggy version {', '.join(missed)}. Write a test that fails on what each does wrong."
        )
    else:
        status = ERROR
        message = "Not every buggy version could be run, so nothing was graded. Please submit again."
    result.update(status=status, message=message)
    return result


def _ended(event: dict, seconds: str) -> str:
    if event.get("timed_out"):
        return f"were stopped after {seconds}"
    if isinstance(event.get("signal"), int):
        return f"were stopped by signal {event['signal']}"
    return f"ended with exit status {event.get('status')}"


def _correct_app_entry(event: dict, seconds: str, framework: str) -> dict[str, Any]:
    name = "Your tests pass on the correct app"
    status = event.get("status")
    if status == TESTS_PASSED and not event.get("timed_out"):
        return {"name": name, "status": PASS, "message": ""}
    if status == NO_TESTS.get(framework):
        message = "No test was found: name your files test_*.py and your test functions test_*."
    elif event.get("timed_out"):
        return {
            "name": name,
            "status": ERROR,
            "message": f"Time limit: your tests did not finish on the correct app within {seconds}.",
        }
    else:
        message = (
            f"Your tests fail on the correct app (they {_ended(event, seconds)}): a test that fails on working "
            "code is wrong itself. See their output below, under “your tests, run against the correct app”."
        )
    return {"name": name, "status": FAIL, "message": message}


def _variant_entry(index: int, variant: Variant, event: dict | None, seconds: str) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": f"Your tests catch buggy version {index}", "variant": variant.slug}
    entry["description"] = variant.description  # shown once revealed (Submission.reveals_variants)
    if event is None or event.get("setup_failed"):
        entry.update(
            status=ERROR,
            message=f"Buggy version {index} could not be run (the time ran out, or its setup failed).",
        )
    elif event.get("status") == TESTS_PASSED and not event.get("timed_out"):
        entry.update(
            status=FAIL, message=f"Every one of your tests passes on buggy version {index}: none notices its bug."
        )
    elif event.get("status") == 1:
        entry.update(status=PASS, message="Caught: at least one of your tests fails on it.")
    else:
        entry.update(status=PASS, message=f"Caught: your tests {_ended(event, seconds)} on it.")
    return entry


def judge(outcome: RunOutcome, limits: Limits) -> dict[str, Any]:
    """Turn the facts of a run into a verdict a learner can act on."""
    report = _grader_report(outcome)
    app_log, log_note = _app_log(outcome, limits)
    result: dict[str, Any] = {
        "version": 2,
        "tests": report.get("tests", []) if report else [],
        "app_log": app_log,
        "app_log_note": log_note,
        "limit": None,
        "timings": {**outcome.timings, **(report.get("timings", {}) if report else {}), **_load_time(outcome)},
    }
    status, message, limit = _verdict(outcome, report, limits)
    result.update(status=status, message=message, limit=limit)
    if report and report.get("collection_errors"):
        # For instructors: why the hidden tests did not load. Never shown to learners.
        result["staff_note"] = "\n\n".join(report["collection_errors"])[:4000]
    elif report is None and not outcome.timed_out:
        # For staff: what the grader process itself said when it gave no report.
        result["staff_note"] = (
            f"The grader gave no report (exit status {outcome.grader.exit_code}, "
            f"{len(outcome.grader.stdout.data)} bytes on stdout). Its stderr ends:\n"
            + outcome.grader.stderr.text()[-3000:]
        )
    return result


def _grader_report(outcome: RunOutcome) -> dict | None:
    if outcome.grader.stdout.dropped:
        return None  # a report too large to be ours
    try:
        report = json.loads(outcome.grader.stdout.text())
    except ValueError:
        return None
    if not isinstance(report, dict) or report.get("version") != 2:
        return None
    if "tests" in report:
        report["tests"] = _checked_tests(report["tests"])
    return report


TEST_STATUSES = (PASS, FAIL, ERROR)
MAX_TEST_TEXT = 4000  # characters of a name, message or output: far above what the harness writes


def _checked_tests(raw: Any) -> list[dict[str, Any]]:
    """The report's tests, rebuilt from the fields a page shows, each a string within
    its bound; the exchanges checked and bounded again (``transcript``). The report
    comes out of the sandbox, where the learner's code ran. An entry that is not one
    stays, as a broken test, so the run cannot pass."""
    tests = []
    for entry in raw if isinstance(raw, list) else []:
        if not isinstance(entry, dict):
            entry = {"name": "(unreadable)", "status": ERROR}
        test: dict[str, Any] = {key: _text(entry.get(key)) for key in ("name", "test", "message", "output")}
        status = entry.get("status")
        test["status"] = status if isinstance(status, str) and status in TEST_STATUSES else ERROR
        test["http"], note = transcript.checked_transcript(entry.get("http"), entry.get("http_note"))
        if note:
            test["http_note"] = note
        tests.append(test)
    transcript.keep_within(tests)
    return tests


def _text(value: Any) -> str:
    text = value if isinstance(value, str) else "" if value is None else str(value)
    # A lone surrogate is valid JSON but no page can encode it.
    return text[:MAX_TEST_TEXT].encode("utf-8", "replace").decode("utf-8")


def _events(outcome: RunOutcome, name: str) -> list[dict]:
    """The app supervisor's events called ``name``, in order."""
    return [event for event in outcome.app.events if event.get("event") == name]


def _load_time(outcome: RunOutcome) -> dict[str, float]:
    loaded = _events(outcome, "loaded")
    seconds = loaded[-1].get("seconds") if loaded else None
    return {"app_loaded": seconds} if isinstance(seconds, int | float) else {}


def _quoted(text: str, limit: int = 300) -> str:
    """The app's own words, on one line, cut at ``limit`` characters, between quotes
    they cannot close."""
    flat = "".join(ch if ch.isprintable() else " " for ch in str(text).replace("“", '"').replace("”", '"'))
    flat = " ".join(flat.split())
    if len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    return f"“{flat}”"


def _import_failure(event: dict) -> str:
    """``NameError in app.py, line 3: “name 'x' is not defined”``: the type, file and
    line the supervisor checked, then the exception's own text, quoted as the app's."""
    file, line = event.get("file"), event.get("line")
    where = ""
    if isinstance(file, str) and file:
        where = f" in {file}, line {line}" if isinstance(line, int) else f" in {file}"
    text = event.get("text")
    said = f": {_quoted(text)}" if isinstance(text, str) and text.strip() else ""
    advice = ""
    if event.get("errno") in (errno.EFBIG, errno.ENOSPC):
        advice = " (an app may write only a few MiB of files in the sandbox)"
    return f"{event.get('type')}{where}{said}{advice}"


def _entrypoint_problem(event: dict) -> str:
    entrypoint = str(event.get("entrypoint") or "")
    module, _, attr = entrypoint.partition(":")
    attr = attr or "app"
    name = attr.removesuffix("()")
    problem = event.get("problem")
    if problem == "returned_none":
        return f"{name}() returned None: end it with return app"
    if problem == "not_callable":
        return f"{entrypoint} is not a WSGI application (got {event.get('got')})"
    if attr.endswith("()"):
        return f"{module}.py defines no {name}(): write def {name}(): ... return app"
    return f"{module}.py defines no {attr!r}: create it with {attr} = Flask(__name__)"


def _step_failure(event: dict) -> str:
    """A setup step that failed: the command (the exercise's own), how it ended, and the
    last lines it printed, quoted as the app's (the step ran the learner's code)."""
    command = str(event.get("command") or "")[:200]
    if isinstance(event.get("signal"), int):
        ended = f"was stopped by signal {event['signal']}"
    else:
        ended = f"failed with exit status {event.get('status')}"
    lines = [line for line in str(event.get("tail") or "").splitlines() if line.strip()][-3:]
    said = f" It said: {_quoted(' / '.join(lines), 400)}" if lines else ""
    return (
        f"The exercise's setup step `{command}` {ended}, so your app was not started.{said} See your app's log below."
    )


def _startup_failure(outcome: RunOutcome) -> str | None:
    """Why the app could not start, from the supervisor's events alone."""
    for event in reversed(outcome.app.events):
        kind = event.get("event")
        if kind == "import_failed":
            return f"Your app could not start: {_import_failure(event)}."
        if kind == "entrypoint_problem":
            return f"Your app could not start: {_entrypoint_problem(event)}."
        if kind == "setup_failed":
            return f"Your files could not be set up in the sandbox: {event.get('text')}."
        if kind == "step_failed":
            return _step_failure(event)
    return None


def _how_the_app_ended(outcome: RunOutcome) -> tuple[str, bool]:
    """``stopped (exit status 3)`` or ``was killed``, and whether it was SIGKILL, from
    the supervisor's exit event, else from the exit status Docker saw."""
    exited = _events(outcome, "exited")
    if exited:
        sig, status = exited[-1].get("signal"), exited[-1].get("status")
        if sig == signal.SIGKILL:
            return "was killed", True
        if isinstance(sig, int):
            try:
                name = signal.Signals(sig).name
            except ValueError:
                name = f"signal {sig}"
            return f"was stopped by {name}", False
        if isinstance(status, int):
            return f"stopped (exit status {status})", False
    if outcome.app.exit_code == SIGKILL_EXIT:
        return "was killed", True
    return f"stopped (exit status {outcome.app.exit_code})", False


def _memory_hit(outcome: RunOutcome, report: dict | None) -> bool:
    return outcome.oom_killed or bool(report and report.get("oom_kills"))


FORGED_STREAM = (
    "Your code wrote into the grader's own stream (the output of the process that runs your app), "
    "which it may not do, so nothing in this run could be trusted and it was not graded. "
    "Write to your own stdout and stderr: print() and logging do."
)


def _verdict(outcome: RunOutcome, report: dict | None, limits: Limits) -> tuple[str, str, str | None]:
    memory = f"{limits.memory_mb} MiB"
    app_died = outcome.app.exit_code is not None and outcome.app.finished_at is not None
    if outcome.app.forged:
        return ERROR, FORGED_STREAM, None

    if _memory_hit(outcome, report) and (report is None or not _all_passed(report)):
        return (
            ERROR,
            (
                f"Your app used more than the {memory} of memory it may use, so the system stopped it. "
                "Look for data that keeps growing (a list filled in a loop, a huge string) and free or bound it."
            ),
            "memory",
        )
    pids_hit = outcome.pids_limit_hits or (report or {}).get("pids_limit_hits")
    if pids_hit and (report is None or not _all_passed(report)):
        return (
            ERROR,
            (
                f"Your app tried to run more than {limits.pids} processes and threads at once, the most it may use, "
                "so new ones were refused. Look for code that starts processes or threads in a loop (os.fork, "
                "subprocess, multiprocessing, threading)."
            ),
            "processes",
        )
    if outcome.timed_out:
        return (
            ERROR,
            (
                f"Time limit: your app and the tests did not finish within {limits.wall_seconds:g} s. "
                "Look for an endless loop or a call that waits forever, at import time or in a view."
            ),
            "time",
        )
    if report is None:
        if app_died:
            reason = _startup_failure(outcome)
            if reason:
                return ERROR, reason, None
            ended, killed = _how_the_app_ended(outcome)
            if killed:
                return (
                    ERROR,
                    "Your app was killed (by a limit on memory or processes, or by itself) before the tests finished.",
                    "processes",
                )
            if ended.startswith("was stopped by"):
                return ERROR, f"Your app {ended} before the tests finished. See its log below.", None
            return (
                ERROR,
                (
                    f"Your app {ended} before the tests finished. "
                    "An app must keep serving requests: remove any sys.exit() or app.run() at import time, and see its log below."
                ),
                None,
            )
        return (
            ERROR,
            "The tests could not report a result (the sandbox may have run out of processes). Nothing was graded.",
            "processes",
        )
    if not report.get("app_ready"):
        reason = _startup_failure(outcome)
        if reason:
            return ERROR, reason, None
        if app_died:
            ended, _ = _how_the_app_ended(outcome)
            return ERROR, f"Your app {ended} before it answered any request. See its log below.", None
        return (
            ERROR,
            (
                f"Time limit: your app did not start answering requests within {limits.wall_seconds:g} s. "
                "Is something at import time looping or waiting forever?"
            ),
            "time",
        )
    if report.get("collection_errors"):
        return (
            ERROR,
            "The exercise's tests could not be loaded. This is a fault in the exercise, not in your code; your instructor has been told.",
            None,
        )
    tests = report.get("tests") or []
    if not tests:
        return ERROR, "No test ran, so nothing was graded. This is a fault in the exercise, not in your code.", None
    if _all_passed(report):
        return PASS, f"All {len(tests)} tests passed.", None
    failed = [t for t in tests if t.get("status") != PASS]
    if not failed:
        # Every listed test passed, yet pytest or the count disagrees: refuse to pass.
        return ERROR, "The test run did not finish cleanly, so it cannot count as a pass. Please submit again.", None
    first = failed[0]
    summary = f"{len(failed)} of {len(tests)} tests failed." if len(tests) > 1 else "The test failed."
    return FAIL, f"{summary} First: {first.get('name')} — {first.get('message') or first.get('status')}", None


def _all_passed(report: dict) -> bool:
    tests = report.get("tests") or []
    return (
        bool(tests)
        and report.get("pytest_exit_code") == 0
        and report.get("collected") == len(tests)
        and all(t.get("status") == PASS for t in tests)
    )


def _app_log(outcome: RunOutcome, limits: Limits) -> tuple[str, str]:
    app = outcome.app
    log = app.combined.decode("utf-8", errors="replace").strip("\n")
    notes = []
    for label, stream in (("stdout", app.stdout), ("stderr", app.stderr)):
        if stream.dropped:
            notes.append(
                f"{label} was cut after {limits.output_bytes // 1024} KiB ({stream.dropped:,} more bytes not kept)"
            )
    return log, "; ".join(notes)
