"""The one lifecycle of every sandbox job (submissions, regrade items, validations):
attempts are capped, a crash or Celery's soft time limit is never a stuck row, an
unavailable sandbox costs no attempt, and each task's time limit sits inside its lease.

Grading is replaced here by a function that raises; the tasks run in this process
(Celery's eager ``apply``, retries included) against the real database."""

from datetime import timedelta

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone

from course.celery import app as celery_app
from sandbox import grading
from sandbox.models import ExerciseValidation, RegradeItem, Submission, Verdict
from sandbox.runner import SandboxUnavailable
from sandbox.services import jobs
from sandbox.services.regrades import REGRADE_ITEMS
from sandbox.services.submissions import SUBMISSIONS
from sandbox.services.validations import VALIDATIONS, validation_runs
from sandbox.tasks import grade_submission, regrade_submission, validate_exercise
from tests.course.helpers import graded

CAP = 5


@pytest.fixture(autouse=True)
def _cap(settings):
    settings.JOB_MAX_ATTEMPTS = CAP


@pytest.fixture
def exercise(course):
    return course.exercises.get(slug="flask-hello")


@pytest.fixture
def crashing_grader(monkeypatch):
    """Grading raises what no one expected, every time; counts the calls."""
    calls = []

    def crash(*args, **kwargs):
        calls.append(1)
        raise RuntimeError("a bug in the grader")

    monkeypatch.setattr(grading, "grade", crash)
    return calls


@pytest.fixture
def never_sent(monkeypatch):
    """Keep this process's sends away from any broker: the tasks run eagerly here."""
    sent = []
    for kind in (SUBMISSIONS, REGRADE_ITEMS, VALIDATIONS):
        monkeypatch.setattr(kind, "send", sent.append)
    return sent


def submission(exercise, learner) -> Submission:
    return Submission.objects.create(
        user=learner, exercise=exercise, exercise_version=exercise.version, files={"app.py": "x = 1\n"}
    )


def regrade_item(exercise, learner) -> RegradeItem:
    from sandbox.models import Regrade

    done = graded(learner, exercise, "fail")
    regrade = Regrade.objects.create(exercise=exercise, version=exercise.version, total=1)
    return RegradeItem.objects.create(regrade=regrade, submission=done, previous_status="fail")


def validation(exercise, learner) -> ExerciseValidation:
    return ExerciseValidation.objects.create(exercise=exercise, version=exercise.version)


KINDS = {
    "submission": (submission, grade_submission, Submission),
    "regrade item": (regrade_item, regrade_submission, RegradeItem),
    "validation": (validation, validate_exercise, ExerciseValidation),
}


@pytest.mark.parametrize("kind", KINDS)
def test_a_job_whose_grading_always_crashes_ends_in_one_error_at_the_cap(
    kind, exercise, learner, crashing_grader, never_sent
):
    make, task, model = KINDS[kind]
    row = make(exercise, learner)
    verdicts_before = Verdict.objects.count()

    outcome = task.apply(args=[row.id]).get()

    assert outcome == "error: the grader failed"
    row = model.objects.get(id=row.id)
    # A validation runs its solution, starter, variants and alternatives two at a time; what
    # has not started when the first run crashes is cancelled.
    runs = len(validation_runs(exercise)) if kind == "validation" else 1
    assert row.attempts == CAP and CAP <= len(crashing_grader) <= CAP * runs
    assert row.finished_at is not None
    if kind == "submission":
        assert row.status == "error"
        assert "fault in Duet, not in your code" in row.message
        assert "Gave up after 5 attempts" in row.result["staff_note"]
        assert "RuntimeError: a bug in the grader" in row.result["staff_note"]
        assert Verdict.objects.count() == verdicts_before + 1
    elif kind == "regrade item":
        assert row.status == "failed" and "keeps its verdict" in row.message
        assert row.submission.status == "fail", "a regrade that crashed leaves the verdict alone"
        assert Verdict.objects.count() == verdicts_before
    else:
        assert row.status == "error" and "fault in Duet" in row.message


@pytest.mark.parametrize("kind", KINDS)
def test_the_sweeper_leaves_a_job_ended_at_the_cap_alone(
    kind, exercise, learner, crashing_grader, settings, never_sent
):
    make, task, model = KINDS[kind]
    row = make(exercise, learner)
    task.apply(args=[row.id]).get()
    graded_before = len(crashing_grader)
    settings.JOB_SWEEP_AFTER_SECONDS = 0
    model.objects.filter(id=row.id).update(enqueued_at=timezone.now() - timedelta(days=1))
    kind_ = {"submission": SUBMISSIONS, "regrade item": REGRADE_ITEMS, "validation": VALIDATIONS}[kind]

    assert jobs.jobs_sweep(kind_) == {"queued": 0, "stuck": 0, "capped": 0, "sent": 0}
    assert jobs.job_claim(kind_, row.id) is None
    assert task.apply(args=[row.id]).get() == "not claimed"
    assert len(crashing_grader) == graded_before, "nothing graded it again"


def test_a_crash_below_the_cap_gives_the_row_back_and_keeps_the_attempt(exercise, learner, crashing_grader):
    row = submission(exercise, learner)
    with pytest.raises(jobs.JobCrashed, match="a bug in the grader"):
        jobs.job_run(SUBMISSIONS, row.id)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("queued", 1)


def test_celerys_soft_time_limit_is_handled_like_any_crash(exercise, learner, monkeypatch, never_sent):
    def too_slow(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(grading, "grade", too_slow)
    row = submission(exercise, learner)
    assert grade_submission.apply(args=[row.id]).get() == "error: the grader failed"
    row.refresh_from_db()
    assert row.status == "error" and row.attempts == CAP
    assert "SoftTimeLimitExceeded" in row.result["staff_note"]


def test_an_unavailable_sandbox_costs_no_attempt(exercise, learner, monkeypatch):
    def outage(*args, **kwargs):
        raise SandboxUnavailable("the Docker engine is not reachable")

    monkeypatch.setattr(grading, "grade", outage)
    row = submission(exercise, learner)
    for _ in range(CAP + 2):  # more outages than the cap: none of them is the job's fault
        with pytest.raises(SandboxUnavailable):
            jobs.job_run(SUBMISSIONS, row.id)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("queued", 0)


def test_a_takeover_after_a_dead_worker_counts_and_the_sweeper_ends_the_job_at_the_cap(
    exercise, learner, settings, never_sent
):
    long_ago = timezone.now() - timedelta(seconds=settings.JOB_LEASE_SECONDS + 60)
    below = submission(exercise, learner)
    at_cap = submission(exercise, learner)
    Submission.objects.filter(id__in=[below.id, at_cap.id]).update(
        status="running", started_at=long_ago, enqueued_at=long_ago
    )
    Submission.objects.filter(id=below.id).update(attempts=CAP - 1)
    Submission.objects.filter(id=at_cap.id).update(attempts=CAP)

    swept = jobs.jobs_sweep(SUBMISSIONS)

    assert swept == {"queued": 0, "stuck": 1, "capped": 1, "sent": 1}
    assert never_sent == [below.id], "the row below the cap is sent again for a takeover"
    at_cap.refresh_from_db()
    assert at_cap.status == "error" and "fault in Duet" in at_cap.message
    assert "worker stopped" in at_cap.result["staff_note"]
    assert submission_claimed_again(below) and Submission.objects.get(id=below.id).attempts == CAP


def submission_claimed_again(row: Submission) -> bool:
    return jobs.job_claim(SUBMISSIONS, row.id) is not None


@pytest.mark.parametrize(
    ("task", "kind"),
    [(grade_submission, SUBMISSIONS), (regrade_submission, REGRADE_ITEMS), (validate_exercise, VALIDATIONS)],
)
def test_every_kinds_time_limits_sit_inside_its_lease_and_above_the_sandboxs_wall_clock(task, kind, settings):
    assert task.soft_time_limit < task.time_limit < kind.lease_seconds
    assert task.soft_time_limit > kind.runs * settings.SANDBOX_MAX_LIMITS["wall_seconds"]
    assert celery_app.tasks[task.name].acks_late and celery_app.tasks[task.name].reject_on_worker_lost


def test_a_claim_lost_to_a_row_put_back_in_the_queue_is_no_reason_to_give_up(exercise, learner, monkeypatch):
    """Between the claim's update and its look at why it failed, another worker may put
    the row back in the queue: below the cap that is never the grader's failure."""
    from django.db.models import QuerySet

    row = submission(exercise, learner)
    Submission.objects.filter(id=row.id).update(attempts=1)
    real_update = QuerySet.update
    calls = []

    def lose_the_race_once(self, **changes):
        calls.append(changes)
        return 0 if len(calls) == 1 else real_update(self, **changes)  # someone else got there first

    monkeypatch.setattr(QuerySet, "update", lose_the_race_once)
    assert jobs.job_claim(SUBMISSIONS, row.id) is None
    monkeypatch.undo()
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("queued", 1), "not ended as the grader's failure"


def test_a_late_worker_cannot_give_back_a_row_another_worker_took_over(exercise, learner, settings):
    row = submission(exercise, learner)
    first = jobs.job_claim(SUBMISSIONS, row.id)
    Submission.objects.filter(id=row.id).update(
        started_at=timezone.now() - timedelta(seconds=settings.JOB_LEASE_SECONDS + 1)
    )
    second = jobs.job_claim(SUBMISSIONS, row.id)
    assert second is not None and second.attempts == 2

    jobs.job_release(SUBMISSIONS, first, counted=False)  # the first worker, back from the dead

    row.refresh_from_db()
    assert (row.status, row.attempts) == ("running", 2), "the takeover keeps its claim and its count"


def test_an_outage_on_the_last_try_ends_the_row_it_still_holds(exercise, learner, monkeypatch):
    def outage(*args, **kwargs):
        raise SandboxUnavailable("the Docker engine is not reachable")

    monkeypatch.setattr(grading, "grade", outage)
    row = submission(exercise, learner)
    assert jobs.job_run(SUBMISSIONS, row.id, last_try=True) == "error: sandbox unavailable"
    row.refresh_from_db()
    assert row.status == "error" and "sandbox is unavailable" in row.message
