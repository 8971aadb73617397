"""Test data: graded submissions made without Docker, through the same claim → record
path the worker uses (so each has its verdict history like a real one); and a big class
for measuring the gradebook."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone

from course.models import Enrollment
from lessons.models import Course, Exercise, Lesson
from sandbox.models import Submission
from sandbox.services import submission_claim, submission_record

User = get_user_model()


def result(status: str, passed: int = 0, failed: int = 0, failing: str = "test_home") -> dict:
    tests = [{"name": f"test_{n}", "status": "pass", "message": "", "output": ""} for n in range(passed)]
    tests += [
        {"name": failing if n == 0 else f"{failing}_{n}", "status": "fail", "message": "expected 200", "output": ""}
        for n in range(failed)
    ]
    message = "All tests passed." if status == "pass" else f"{failed} of {passed + failed} tests failed."
    return {"version": 2, "status": status, "message": message, "tests": tests, "app_log": "", "limit": None}


def graded(user, exercise, status: str = "pass", *, files: dict | None = None, **counts) -> Submission:
    """A submission of ``user`` graded ``status`` (counts: passed=…, failed=…)."""
    if not counts:
        counts = {"passed": 4} if status == "pass" else {"passed": 1, "failed": 3}
    submission = Submission.objects.create(
        user=user,
        exercise=exercise,
        exercise_version=exercise.version,
        files=files if files is not None else {"app.py": f"# {status}\n"},
    )
    assert submission_claim(submission_id=submission.id)
    assert submission_record(submission_id=submission.id, result=result(status, **counts))
    submission.refresh_from_db()
    return submission


def pending(user, exercise) -> Submission:
    """A submission still waiting for its verdict."""
    return Submission.objects.create(
        user=user, exercise=exercise, exercise_version=exercise.version, files={"app.py": "# waiting\n"}
    )


def big_class(learners: int = 1000, exercises: int = 30) -> Course:
    """A course with ``exercises`` exercises in 5 lessons and ``learners`` learners, each
    with 0–2 submissions per exercise (30,000 rows for 1,000 × 30), made with bulk_create.
    Two thirds of the cells have work in them, of every kind: passed, failed, error, queued."""
    course = Course.objects.create(slug="big", title="Big course")
    lessons = Lesson.objects.bulk_create(
        Lesson(course=course, slug=f"l{n}", number=n, folder=f"{n:02}-l{n}", title=f"Lesson {n}") for n in range(1, 6)
    )
    Exercise.objects.bulk_create(
        Exercise(
            course=course, lesson=lessons[n % 5], slug=f"ex{n:02}", number=n, title=f"Exercise {n}", framework="flask"
        )
        for n in range(exercises)
    )
    exercise_ids = list(Exercise.objects.filter(course=course).values_list("id", flat=True))
    User.objects.bulk_create(User(username=f"big{n:04}", password="!") for n in range(learners))
    user_ids = list(User.objects.filter(username__startswith="big").values_list("id", flat=True))
    Enrollment.objects.bulk_create(Enrollment(user_id=uid, course=course) for uid in user_ids)
    now = timezone.now()
    kinds = [("pass", 4), ("fail", 2), ("error", None), ("queued", None)]
    submissions = []
    for u, uid in enumerate(user_ids):
        for e, eid in enumerate(exercise_ids):
            for attempt in range((u + e) % 3):
                status, passed = kinds[(u * 7 + e + attempt) % 4]
                submissions.append(
                    Submission(
                        user_id=uid,
                        exercise_id=eid,
                        exercise_version=1,
                        files={},
                        status=status,
                        tests_passed=passed,
                        tests_total=4 if passed is not None else None,
                    )
                )
    Submission.objects.bulk_create(submissions, batch_size=5000)
    Submission.objects.filter(exercise__course=course).update(created_at=now)
    return course
