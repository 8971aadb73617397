"""Submissions: checking what a learner sends, storing it, grading it on the job
lifecycle (``jobs``), and recording its verdict once.

A submission is created ``queued`` and queued after commit; a worker claims it, grades
it in the sandbox, and records exactly one final verdict: a ``Verdict`` row (the result
lives there only), made current by ``Submission.verdict`` in the same transaction.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lessons.models import Exercise
from lessons.paths import Editable, learner_path_problem

from .. import events, grading
from ..models import FailedTest, Submission, Verdict, count_tests
from . import jobs
from .errors import SubmissionRefused
from .throttles import submission_throttle_check

log = logging.getLogger(__name__)
Status = Submission.Status


def submission_files_clean(*, exercise: Exercise, files: dict[str, str | bytes]) -> dict[str, str]:
    """Check names, count, sizes and encoding; return every editable file as text (a
    listed file the learner did not send keeps its starter text, so the row shows what
    was graded; of an editable folder, the files sent are the whole of it)."""
    rule = exercise.editable_rule
    if len(files) > settings.SUBMISSION_MAX_FILES:
        raise SubmissionRefused(
            f"You sent {len(files):,} files; a submission may have at most {settings.SUBMISSION_MAX_FILES}."
        )
    cleaned: dict[str, str] = {}
    total = 0
    for name, content in files.items():
        name = str(name)
        if not rule.covers(name):
            raise SubmissionRefused(f"“{name}” is not a file you can submit for this exercise. {_may_submit(rule)}")
        if name not in rule.files and (problem := learner_path_problem(name)):
            raise SubmissionRefused(problem)
        raw = content.encode("utf-8", errors="surrogatepass") if isinstance(content, str) else content
        if len(raw) > settings.SUBMISSION_MAX_FILE_BYTES:
            raise SubmissionRefused(
                f"{name} is {len(raw) // 1024:,} KiB; a file may be at most {settings.SUBMISSION_MAX_FILE_BYTES // 1024} KiB."
            )
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SubmissionRefused(
                f"{name} is not UTF-8 text (byte {exc.start + 1} cannot be read). Save it as UTF-8 and try again."
            ) from None
        if "\x00" in text:
            raise SubmissionRefused(
                f"{name} looks like a binary file (it contains NUL bytes); only text files are graded."
            )
        total += len(raw)
        # Browsers send textarea text with CRLF line ends; code is stored with LF.
        cleaned[name] = text.replace("\r\n", "\n")
    if total > settings.SUBMISSION_MAX_TOTAL_BYTES:
        raise SubmissionRefused(
            f"Your files add up to {total // 1024:,} KiB; a submission may be at most {settings.SUBMISSION_MAX_TOTAL_BYTES // 1024} KiB."
        )
    mine = exercise.editable_files(cleaned)
    if clash := _file_and_folder(exercise.app_files(mine)):
        raise SubmissionRefused(f"{clash} is both a file and a folder: rename one of them.")
    return mine


def _may_submit(rule: Editable) -> str:
    listing = [*rule.files, *(f"{entry} (and new files there)" for entry in rule.patterns)]
    return f"You may submit: {', '.join(listing) or '(none)'}."


def _file_and_folder(app: dict[str, str]) -> str | None:
    """A path that is a file of the app and a folder of another of its files, if any."""
    folders = {path.rsplit("/", 1)[0] for path in app if "/" in path}
    folders |= {folder.rsplit("/", i)[0] for folder in folders for i in range(1, folder.count("/") + 1)}
    return next((path for path in sorted(app) if path in folders), None)


def submission_create(
    *, user, exercise: Exercise, files: dict[str, str | bytes], client_address: str | None = None
) -> Submission:
    """Store a learner's files as a queued submission and queue it once committed.
    ``client_address`` is where the request came from (None outside a web request): the
    throttles cap the work waiting per address as well as per learner."""
    cleaned = submission_files_clean(exercise=exercise, files=files)
    with transaction.atomic():
        # Counted in the transaction that adds the row: on SQLite (whose transactions take
        # the write lock at once) two requests cannot both take the last place.
        submission_throttle_check(user=user, address=client_address)
        submission = Submission.objects.create(
            user=user,
            exercise=exercise,
            exercise_version=exercise.version,
            files=cleaned,
            client_address=client_address,
        )
        transaction.on_commit(lambda: submission_enqueue(submission_id=submission.id))
    return submission


def _error_result(message: str, note: str = "") -> dict[str, Any]:
    """An error verdict for a submission the sandbox never ran to the end (an outage, the
    grader's failure): ``gradable`` is false, as PrairieLearn marks it, so pages do not
    show an app log that was never written."""
    result: dict[str, Any] = {"version": 2, "status": "error", "message": message, "tests": [], "app_log": ""}
    result.update(limit=None, gradable=False)
    if note:
        result["staff_note"] = note  # for staff only; the learner sees the message
    return result


def verdict_add(
    *,
    submission_id: int,
    exercise_id: int,
    result: dict[str, Any],
    exercise_version: int,
    regrade_id: int | None = None,
    worker: str = "",
) -> Verdict:
    """A grading's one stored copy (a Verdict row), made the submission's current verdict,
    with the names of its failing tests indexed for the charts. Call inside the
    transaction that changes the submission's status."""
    passed, total = count_tests(result)
    verdict = Verdict.objects.create(
        submission_id=submission_id,
        status=result["status"],
        message=result.get("message", ""),
        result=result,
        tests_passed=passed,
        tests_total=total,
        exercise_version=exercise_version,
        regrade_id=regrade_id,
        worker=worker[:200],
    )
    Submission.objects.filter(id=submission_id).update(verdict=verdict, tests_passed=passed, tests_total=total)
    FailedTest.objects.filter(submission_id=submission_id).delete()
    FailedTest.objects.bulk_create(
        FailedTest(submission_id=submission_id, exercise_id=exercise_id, name=str(test.get("name", ""))[:300])
        for test in result.get("tests") or []
        if test.get("status") != "pass"
    )
    return verdict


def submission_record(
    *, submission_id: int, result: dict[str, Any], exercise_version: int | None = None, worker: str = ""
) -> bool:
    """Write the final verdict once: only a running row takes it.

    ``exercise_version`` is the version whose tests graded it (default: the version the
    learner submitted against).
    """
    with transaction.atomic():
        updated = Submission.objects.filter(id=submission_id, status=Status.RUNNING).update(
            status=result["status"], finished_at=timezone.now()
        )
        if updated:
            row = Submission.objects.values("exercise_id", "exercise_version").get(id=submission_id)
            verdict_add(
                submission_id=submission_id,
                exercise_id=row["exercise_id"],
                result=result,
                exercise_version=exercise_version or row["exercise_version"],
                worker=worker,
            )
    if updated:
        log.info("submission %s: verdict %s recorded", submission_id, result["status"])
    return updated == 1


class SubmissionJob(jobs.JobKind):
    name = "submission"
    model = Submission
    unavailable_message = (
        "The grader could not run your code right now (the sandbox is unavailable). "
        "Nothing is wrong with your submission: please submit again in a minute."
    )
    crashed_message = (
        "The grader failed while grading this submission, so it was not graded. This is a fault in "
        "Duet, not in your code; it has been logged for the site's staff. Please submit again later."
    )

    def exercise_id(self, job: Submission) -> int:
        return job.exercise_id

    def grade(self, job: Submission, exercise: Exercise) -> jobs.Outcome:
        result = grading.grade(
            exercise,
            job.files,
            name=f"duet-sub-{job.id}-{job.attempts}",
            labels={"duet.submission": str(job.id)},
        )
        return jobs.Outcome(result, exercise.version, result["status"])

    def record(self, job: Submission, outcome: jobs.Outcome) -> bool:
        return submission_record(
            submission_id=job.id,
            result=outcome.results,
            exercise_version=outcome.exercise_version,
            worker=outcome.worker,
        )

    def end_in_error(self, job_id: int, message: str, *, note: str = "") -> bool:
        return submission_record(submission_id=job_id, result=_error_result(message, note))

    def channels(self, job_id: int) -> list[str]:
        return [events.submission_channel(job_id)]

    def send(self, job_id: int) -> None:
        from ..tasks import grade_submission

        grade_submission.delay(job_id)


SUBMISSIONS = SubmissionJob()


def submission_enqueue(*, submission_id: int, resend: bool = False) -> bool:
    """Hand the submission to the broker; if it is down, the sweeper sends it later: a
    learner's submission is never lost to an outage."""
    return jobs.job_enqueue(SUBMISSIONS, submission_id, resend=resend)


def submission_claim(*, submission_id: int) -> bool:
    """queued → running (or take over a dead worker's row); False if not claimed."""
    return jobs.job_claim(SUBMISSIONS, submission_id) is not None


def submission_grade(*, submission_id: int) -> str:
    """Claim, grade and record one submission (see ``jobs.job_run``)."""
    return jobs.job_run(SUBMISSIONS, submission_id)


def submissions_sweep() -> dict[str, int]:
    """Re-send submissions the queue lost or a dead worker held (see ``jobs.jobs_sweep``)."""
    return jobs.jobs_sweep(SUBMISSIONS)
