"""Regrades, at the service level (the grading itself faked; test_regrade_worker.py runs
it for real): every graded submission gets one new verdict, old ones are kept, pending
submissions are left alone, and duplicate or lost messages neither lose nor double a
verdict."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.test import Client
from django.utils import timezone

from sandbox import services
from sandbox.models import Regrade, RegradeItem, Submission, Verdict
from sandbox.runner import SandboxUnavailable
from sandbox.selectors import regrade_progress
from sandbox.services import RegradeRefused, regrade_item_grade, regrade_start, verdict_override
from tests.conftest import PASSWORD
from tests.course.helpers import graded, pending, result


@pytest.fixture
def exercise(course):
    return course.exercises.get(slug="flask-hello")


@pytest.fixture
def sent(monkeypatch):
    """Item ids handed to the broker, instead of a broker."""
    ids: list[int] = []
    monkeypatch.setattr("sandbox.tasks.regrade_submission.delay", ids.append)
    return ids


@pytest.fixture
def grading(monkeypatch):
    """The sandbox, faked: every run fails one test of four (the tests got stricter)."""
    runs: list[dict] = []

    def grade(exercise, files, **kwargs):
        runs.append({"exercise_version": exercise.version, "files": files, **kwargs})
        return result("fail", passed=3, failed=1, failing="test_new_rule")

    monkeypatch.setattr("sandbox.grading.grade", grade)
    return runs


@pytest.fixture
def work(learner, other_learner, exercise):
    """Two graded submissions and one still waiting; then version 2 of the tests."""
    first = graded(learner, exercise, "pass")
    second = graded(other_learner, exercise, "fail")
    waiting = pending(other_learner, exercise)
    exercise.__class__.objects.filter(id=exercise.id).update(version=F("version") + 1)
    exercise.refresh_from_db()
    return {"graded": [first, second], "waiting": waiting}


def start(exercise, user, django_capture_on_commit_callbacks) -> Regrade:
    with django_capture_on_commit_callbacks(execute=True):
        return regrade_start(exercise=exercise, user=user)


def run_everything(sent: list[int], done: int = 0) -> None:
    """What the worker would do: grade each item sent (from the ``done``-th on),
    including those sent meanwhile."""
    while done < len(sent):
        regrade_item_grade(item_id=sent[done])
        done += 1


def test_every_graded_submission_gets_one_new_verdict_and_keeps_the_old(
    work, exercise, grader, sent, grading, settings, django_capture_on_commit_callbacks
):
    settings.REGRADE_IN_FLIGHT = 1
    regrade = start(exercise, grader, django_capture_on_commit_callbacks)
    assert (regrade.total, regrade.skipped_pending, regrade.version) == (2, 1, 2)
    assert len(sent) == 1  # one at a time: learners' submissions are not held up

    run_everything(sent)

    assert len(sent) == 2 and len(grading) == 2
    assert all(run["exercise_version"] == 2 for run in grading)
    for submission in work["graded"]:
        history = list(Verdict.objects.filter(submission=submission).order_by("id"))
        assert [(v.exercise_version, v.regrade_id) for v in history] == [(1, None), (2, regrade.id)]
        submission.refresh_from_db()
        assert (submission.status, submission.tests_passed) == ("fail", 3)
        assert submission.failed_tests.get().name == "test_new_rule"
    assert Verdict.objects.get(submission=work["graded"][0], regrade=None).status == "pass"  # the old one kept
    regrade.refresh_from_db()
    assert regrade.finished_at is not None
    progress = regrade_progress(regrade)
    assert (progress["finished"], progress["changed"], progress["percent"], progress["complete"]) == (2, 1, 100, True)


def test_a_pending_submission_is_not_touched(work, exercise, grader, sent, grading, django_capture_on_commit_callbacks):
    waiting = work["waiting"]
    before = Submission.objects.values().get(id=waiting.id)
    start(exercise, grader, django_capture_on_commit_callbacks)
    run_everything(sent)
    assert Submission.objects.values().get(id=waiting.id) == before
    assert not RegradeItem.objects.filter(submission=waiting).exists()
    assert not Verdict.objects.filter(submission=waiting).exists()


def test_a_duplicate_delivery_adds_no_second_verdict(
    work, exercise, grader, sent, grading, django_capture_on_commit_callbacks
):
    start(exercise, grader, django_capture_on_commit_callbacks)
    item_id = sent[0]
    assert regrade_item_grade(item_id=item_id) == "fail"
    assert regrade_item_grade(item_id=item_id) == "not claimed"
    assert not services.regrade_item_record(item_id=item_id, result=result("pass"), exercise_version=2)
    item = RegradeItem.objects.get(id=item_id)
    assert Verdict.objects.filter(submission_id=item.submission_id).count() == 2


def test_one_regrade_of_an_exercise_at_a_time(work, exercise, grader, sent, django_capture_on_commit_callbacks):
    running = start(exercise, grader, django_capture_on_commit_callbacks)
    with pytest.raises(RegradeRefused) as refused:
        regrade_start(exercise=exercise, user=grader)
    assert refused.value.running == running
    client = Client()
    client.login(username="grader", password=PASSWORD)
    response = client.post(f"/courses/{exercise.course.slug}/exercises/{exercise.slug}/regrade/")
    assert response.status_code == 302 and response["Location"] == running.get_absolute_url()
    assert Regrade.objects.count() == 1


def test_an_exercise_with_nothing_graded_finishes_at_once(exercise, grader, sent, django_capture_on_commit_callbacks):
    regrade = start(exercise, grader, django_capture_on_commit_callbacks)
    assert regrade.total == 0 and regrade.finished_at is not None and not sent


def test_an_outage_gives_the_item_back_and_a_lasting_one_keeps_the_old_verdict(
    work, exercise, grader, sent, monkeypatch, django_capture_on_commit_callbacks
):
    def down(*args, **kwargs):
        raise SandboxUnavailable("docker is down")

    monkeypatch.setattr("sandbox.grading.grade", down)
    start(exercise, grader, django_capture_on_commit_callbacks)
    item_id = sent[0]
    with pytest.raises(SandboxUnavailable):
        regrade_item_grade(item_id=item_id)
    assert RegradeItem.objects.get(id=item_id).status == "queued"  # for the retry

    assert services.regrade_item_fail(item_id=item_id, message="The sandbox was unavailable")
    item = RegradeItem.objects.get(id=item_id)
    assert item.status == "failed" and item.verdict is None
    assert Submission.objects.get(id=item.submission_id).status == item.previous_status
    assert Verdict.objects.filter(submission_id=item.submission_id).count() == 1


def test_the_sweeper_sends_again_what_the_queue_lost(
    work, exercise, grader, sent, grading, settings, django_capture_on_commit_callbacks
):
    settings.REGRADE_IN_FLIGHT = 1
    regrade = start(exercise, grader, django_capture_on_commit_callbacks)
    lost = sent[0]
    RegradeItem.objects.filter(id=lost).update(
        enqueued_at=timezone.now() - timedelta(seconds=settings.JOB_SWEEP_AFTER_SECONDS + 1)
    )
    assert services.regrades_sweep() == {"queued": 1, "stuck": 0, "capped": 0, "sent": 1}
    assert sent == [lost, lost]
    run_everything(sent, done=1)
    assert RegradeItem.objects.filter(regrade=regrade, status="done").count() == 2


def test_a_running_item_past_its_lease_is_taken_over(
    work, exercise, grader, sent, grading, settings, django_capture_on_commit_callbacks
):
    start(exercise, grader, django_capture_on_commit_callbacks)
    item_id = sent[0]
    assert services.regrade_item_claim(item_id=item_id)
    assert regrade_item_grade(item_id=item_id) == "not claimed"  # its worker still holds it
    RegradeItem.objects.filter(id=item_id).update(
        started_at=timezone.now() - timedelta(seconds=settings.JOB_LEASE_SECONDS + 1)
    )
    assert regrade_item_grade(item_id=item_id) == "fail"
    assert RegradeItem.objects.get(id=item_id).attempts == 2


def test_an_override_still_counts_after_a_regrade(
    work, exercise, grader, sent, grading, django_capture_on_commit_callbacks
):
    passed = work["graded"][0]
    verdict_override(submission_id=passed.id, by=grader, to_status="error", reason="Copied from a classmate.")
    start(exercise, grader, django_capture_on_commit_callbacks)
    run_everything(sent)
    passed.refresh_from_db()
    assert (passed.status, passed.effective_status) == ("fail", "error")


def test_the_regrade_page_polls_its_progress(work, exercise, grader, sent, grading, django_capture_on_commit_callbacks):
    regrade = start(exercise, grader, django_capture_on_commit_callbacks)
    client = Client()
    client.login(username="grader", password=PASSWORD)
    page = client.get(f"/regrades/{regrade.id}/")
    assert page.status_code == 200 and f'data-status-url="/regrades/{regrade.id}/status/"' in page.text
    assert client.get(f"/regrades/{regrade.id}/status/").json()["finished"] == 0
    run_everything(sent)
    status = client.get(f"/regrades/{regrade.id}/status/")
    assert status["Cache-Control"] == "no-store"
    assert status.json() | {"id": 0} == {
        "id": 0,
        "total": 2,
        "done": 2,
        "failed": 0,
        "running": 0,
        "changed": 1,
        "finished": 2,
        "percent": 100,
        "complete": True,
    }
    assert "other-learner" not in client.get(f"/regrades/{regrade.id}/").text  # fail → fail: unchanged
    assert "learner" in client.get(f"/regrades/{regrade.id}/").text
