"""Claiming and recording submissions: the row is the truth."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sandbox.models import Submission
from sandbox.services import (
    SubmissionRefused,
    submission_claim,
    submission_create,
    submission_files_clean,
    submission_record,
)


@pytest.fixture
def exercise(course):
    return course.exercises.get(slug="flask-hello")


@pytest.fixture
def queued(exercise, learner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        return submission_create(user=learner, exercise=exercise, files={"app.py": "print('hi')\n"})


def test_a_submission_starts_queued_with_the_exercise_version(queued, exercise):
    assert queued.status == "queued"
    assert queued.exercise_version == exercise.version
    assert queued.files == {"app.py": "print('hi')\n"}


def test_it_queues_the_task_only_after_commit(exercise, learner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submission_create(user=learner, exercise=exercise, files={"app.py": "x = 1\n"})
    assert len(callbacks) == 1


def test_only_one_claim_wins(queued):
    assert submission_claim(submission_id=queued.id) is True
    assert submission_claim(submission_id=queued.id) is False
    assert Submission.objects.get(id=queued.id).attempts == 1


def test_an_abandoned_running_row_can_be_claimed_again_after_its_lease(queued, settings):
    assert submission_claim(submission_id=queued.id)
    Submission.objects.filter(id=queued.id).update(
        started_at=timezone.now() - timedelta(seconds=settings.JOB_LEASE_SECONDS + 1)
    )
    assert submission_claim(submission_id=queued.id) is True
    assert Submission.objects.get(id=queued.id).attempts == 2


def test_the_verdict_is_written_once(queued):
    submission_claim(submission_id=queued.id)
    assert submission_record(submission_id=queued.id, result={"status": "pass", "message": "ok"})
    assert not submission_record(submission_id=queued.id, result={"status": "fail", "message": "late"})
    assert Submission.objects.get(id=queued.id).status == "pass"


def test_a_verdict_needs_a_claim(queued):
    assert not submission_record(submission_id=queued.id, result={"status": "pass"})


@pytest.mark.parametrize(
    ("files", "complaint"),
    [
        ({"../app.py": "x"}, "not a file you can submit"),
        ({"/etc/passwd": "x"}, "not a file you can submit"),
        ({"conftest.py": "x"}, "You may submit: app.py"),
        ({"app.py": b"\xff\xfe\x00"}, "not UTF-8 text"),
        ({"app.py": "a\x00b"}, "binary"),
        ({"app.py": "x" * (64 * 1024 + 1)}, "at most 64 KiB"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(exercise, files, complaint):
    with pytest.raises(SubmissionRefused, match=complaint):
        submission_files_clean(exercise=exercise, files=files)


def test_an_editable_file_not_sent_keeps_its_starter_text(exercise):
    cleaned = submission_files_clean(exercise=exercise, files={})
    assert cleaned == exercise.editable_starter()


def test_windows_line_ends_are_stored_as_unix_ones(exercise):
    assert submission_files_clean(exercise=exercise, files={"app.py": "a = 1\r\nb = 2\r\n"}) == {
        "app.py": "a = 1\nb = 2\n"
    }


def test_a_verdicts_result_is_stored_once_in_its_verdict_row(queued):
    from sandbox.models import Verdict

    submission_claim(submission_id=queued.id)
    result = {"status": "fail", "message": "1 of 2 tests failed.", "tests": [{"name": "t", "status": "fail"}]}
    assert submission_record(submission_id=queued.id, result=result)
    row = Submission.objects.select_related("verdict").get(id=queued.id)
    assert {"result", "message"}.isdisjoint(f.name for f in Submission._meta.concrete_fields)
    assert row.verdict == Verdict.objects.get(submission=row)
    assert (row.result, row.message) == (result, "1 of 2 tests failed.")
