"""An exercise is there for learners only when it, its lesson and its course are all
published: otherwise its page and its submit URL answer 404 (and the draft lesson's title
shows nowhere). Staff and the course's instructors still reach it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from lessons.models import Course, Exercise, Lesson
from sandbox.models import Submission
from tests.conftest import PASSWORD, signed_in

DRAFT_TITLE = "Secret draft lesson title"


@pytest.fixture
def exercise(course) -> Exercise:
    return course.exercises.select_related("lesson").get(slug="flask-hello")


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user(username="staff", password=PASSWORD, is_staff=True)


def draft_lesson(exercise: Exercise) -> None:
    Lesson.objects.filter(id=exercise.lesson_id).update(published=False, title=DRAFT_TITLE)


def submit(client, exercise: Exercise):
    return client.post(
        f"/courses/{exercise.course.slug}/exercises/{exercise.slug}/submit/",
        {"file:app.py": "x = 1\n"},
        HTTP_ACCEPT="application/json",
    )


def test_a_draft_lessons_published_exercise_is_a_404_to_a_learner(exercise, learner):
    draft_lesson(exercise)
    client = signed_in("learner")
    page = client.get(exercise.get_absolute_url())
    assert page.status_code == 404 and DRAFT_TITLE not in page.text
    refused = submit(client, exercise)
    assert refused.status_code == 404 and DRAFT_TITLE not in refused.text
    assert not Submission.objects.exists()


def test_an_unpublished_courses_exercise_is_a_404_to_a_learner(exercise, learner):
    Course.objects.filter(id=exercise.course_id).update(published=False)
    client = signed_in("learner")
    assert client.get(exercise.get_absolute_url()).status_code == 404
    assert submit(client, exercise).status_code == 404
    assert not Submission.objects.exists()


def test_a_draft_exercise_is_a_404_to_a_learner(exercise, learner):
    Exercise.objects.filter(id=exercise.id).update(published=False)
    client = signed_in("learner")
    assert client.get(exercise.get_absolute_url()).status_code == 404
    assert submit(client, exercise).status_code == 404


def test_a_grader_is_no_exception(exercise, grader):
    draft_lesson(exercise)
    client = signed_in("grader")
    assert client.get(exercise.get_absolute_url()).status_code == 404
    assert submit(client, exercise).status_code == 404


@pytest.mark.parametrize("who", ["instructor", "staff"])
def test_the_courses_instructor_and_staff_still_reach_a_draft(
    exercise, instructor, staff, who, django_capture_on_commit_callbacks
):
    draft_lesson(exercise)
    Course.objects.filter(id=exercise.course_id).update(published=False)
    Exercise.objects.filter(id=exercise.id).update(published=False)
    client = signed_in(who)
    page = client.get(exercise.get_absolute_url())
    assert page.status_code == 200 and DRAFT_TITLE in page.text
    with django_capture_on_commit_callbacks(execute=False):
        assert submit(client, exercise).status_code == 201


def test_another_courses_instructor_is_no_exception(exercise, other_instructor):
    draft_lesson(exercise)
    client = signed_in("other-instructor")
    assert client.get(exercise.get_absolute_url()).status_code == 404
    assert submit(client, exercise).status_code == 404


def test_a_published_exercise_in_a_published_lesson_still_shows(exercise, learner):
    client = signed_in("learner")
    assert client.get(exercise.get_absolute_url()).status_code == 200
