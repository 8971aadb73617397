"""Grading: from an exercise and a learner's files to a verdict.

``grade`` runs the files in the sandbox and ``judge`` turns what happened into a result
in the spirit of Exercism's results.json (version 2): ``status`` (pass | fail | error),
``message``, ``tests`` and, beside them, the app's own log and timings. The one rule
that matters most: nothing but the grader process's own report can make a pass, and a
run where no test ran, the app never answered or a limit was hit is never a pass.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from django.conf import settings

from . import runner
from .runner import SIGKILL_EXIT, Limits, RunOutcome, RunRequest

if TYPE_CHECKING:
    from lessons.models import Exercise

PASS, FAIL, ERROR = "pass", "fail", "error"


def limits_for(exercise: Exercise) -> Limits:
    return Limits(**exercise.sandbox_limits())


def overlay_editable(starter: dict[str, str], editable: list[str], files: dict[str, str]) -> dict[str, str]:
    """The starter files, with the editable ones among ``files`` laid over them."""
    merged = dict(starter)
    merged.update({path: text for path, text in files.items() if path in editable})
    return merged


def app_files_for(exercise: Exercise, files: dict[str, str]) -> dict[str, str]:
    """The starter files, with the learner's editable files laid over them."""
    return overlay_editable(exercise.starter_files(), exercise.editable, files)


def grade(
    exercise: Exercise, files: dict[str, str], *, name: str | None = None, labels: dict[str, str] | None = None
) -> dict[str, Any]:
    """Run ``files`` against the exercise's hidden tests; raises SandboxUnavailable."""
    return grade_files(
        framework=exercise.framework,
        entrypoint=exercise.entrypoint,
        app_files=app_files_for(exercise, files),
        test_files=exercise.files_of("tests"),
        limits=limits_for(exercise),
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
    name: str | None = None,
    labels: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The same, from files alone: for content checked before it is imported."""
    outcome = runner.run(
        RunRequest(
            image=settings.SANDBOX_IMAGES[framework],
            framework=framework,
            entrypoint=entrypoint,
            app_files=app_files,
            test_files=test_files,
            limits=limits,
            name=name,
            labels=labels or {},
        )
    )
    return judge(outcome, limits)


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
        "timings": {**outcome.timings, **(report.get("timings", {}) if report else {})},
    }
    status, message, limit = _verdict(outcome, report, limits, app_log)
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
    return report if isinstance(report, dict) and report.get("version") == 2 else None


def _startup_failure(app_log: str) -> str | None:
    """The harness's own sentence on why the app could not start, if it said one."""
    lines = [line for line in app_log.splitlines() if line.startswith("[duet] your app could not start")]
    return lines[-1].removeprefix("[duet] ") if lines else None


def _memory_hit(outcome: RunOutcome, report: dict | None) -> bool:
    return outcome.oom_killed or bool(report and report.get("oom_kills"))


def _verdict(outcome: RunOutcome, report: dict | None, limits: Limits, app_log: str) -> tuple[str, str, str | None]:
    memory = f"{limits.memory_mb} MiB"
    app_died = outcome.app.exit_code is not None and outcome.app.finished_at is not None

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
            reason = _startup_failure(app_log)
            if reason:
                return ERROR, f"{reason[0].upper()}{reason[1:]}.", None
            if outcome.app.exit_code == SIGKILL_EXIT:
                return (
                    ERROR,
                    "Your app was killed (by a limit on memory or processes, or by itself) before the tests finished.",
                    "processes",
                )
            return (
                ERROR,
                (
                    f"Your app stopped (exit status {outcome.app.exit_code}) before the tests finished. "
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
        reason = _startup_failure(app_log)
        if reason:
            return ERROR, f"{reason[0].upper()}{reason[1:]}.", None
        if app_died:
            return (
                ERROR,
                f"Your app stopped (exit status {outcome.app.exit_code}) before it answered any request. See its log below.",
                None,
            )
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


_NOISE = re.compile(r"^\[duet\] app loaded in .*$", re.MULTILINE)


def _app_log(outcome: RunOutcome, limits: Limits) -> tuple[str, str]:
    app = outcome.app
    log = _NOISE.sub("", app.combined.decode("utf-8", errors="replace")).strip("\n")
    notes = []
    for label, stream in (("stdout", app.stdout), ("stderr", app.stderr)):
        if stream.dropped:
            notes.append(
                f"{label} was cut after {limits.output_bytes // 1024} KiB ({stream.dropped:,} more bytes not kept)"
            )
    return log, "; ".join(notes)
