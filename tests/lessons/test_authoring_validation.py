"""Validate, for real: the request goes through the queue to a Celery worker (its own
process, on Redis), which grades the solution and the starter in Docker containers."""

import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from lessons.models import Exercise
from sandbox.models import ExerciseValidation
from tests.conftest import PASSWORD
from tests.lessons.test_authoring_editing import edit_url, exercise_form, files_of

pytestmark = [pytest.mark.docker, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def author(instructor) -> Client:
    client = Client()
    assert client.login(username="instructor", password=PASSWORD)
    return client


def validate(client: Client, exercise: Exercise, timeout: float = 90) -> dict:
    """Press Validate and poll, as the page does, until the outcome is in."""
    response = client.post(
        reverse("lessons:author_validate", args=[exercise.course.slug, exercise.slug]), HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 202, response.content
    status_url = response.json()["status_url"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        data = client.get(status_url).json()
        if data["final"]:
            return data
        time.sleep(0.2)
    raise AssertionError(f"no outcome within {timeout} s: {data['status']}")


@pytest.mark.parametrize("slug", ["flask-hello", "django-hello"])
def test_a_shipped_exercise_validates_its_solution_passes_and_its_starter_fails(slug, course, author, celery_worker):
    exercise = course.exercises.get(slug=slug)
    data = validate(author, exercise)
    assert data["status"] == "valid", data["html"]
    validation = ExerciseValidation.objects.get(exercise=exercise)
    assert validation.version == 1 and validation.finished_at is not None
    assert validation.solution_result["status"] == "pass"
    assert validation.starter_result["status"] in ("fail", "error")
    assert all(t["status"] == "pass" for t in validation.solution_result["tests"])
    failing = [t for t in validation.starter_result["tests"] if t["status"] != "pass"]
    assert failing and all(t["message"] for t in failing)
    # The page shows both runs, test by test, with the messages.
    assert "Solution" in data["html"] and "Starter" in data["html"] and "is valid" in data["html"]
    assert escape(failing[0]["name"]) in data["html"]
    assert Exercise.objects.get(id=exercise.id).validated_version == 1


def test_a_broken_solution_comes_out_invalid_and_cannot_be_published(course, author, celery_worker):
    exercise = course.exercises.get(slug="flask-hello")
    files = files_of(exercise)
    files[("solution", "app.py")] = files[("solution", "app.py")].replace("Web App with Python Flask!", "Hi there")
    author.post(edit_url(exercise), exercise_form(exercise, files=files))
    exercise.refresh_from_db()
    assert exercise.version == 2 and not exercise.published

    data = validate(author, exercise)
    assert data["status"] == "invalid"
    validation = ExerciseValidation.objects.get(exercise=exercise)
    assert validation.version == 2 and validation.message.startswith("The solution does not pass")
    failed = [t for t in validation.solution_result["tests"] if t["status"] == "fail"]
    assert failed and "Web App with Python Flask!" in failed[0]["message"]
    assert "The solution does not pass" in data["html"] and escape(failed[0]["name"]) in data["html"]
    assert Exercise.objects.get(id=exercise.id).validated_version is None

    page = author.post(
        reverse("lessons:author_publish", args=[course.slug, exercise.slug]), {"published": "1"}, follow=True
    )
    assert "Version 2 has not been validated yet" in page.text
    assert not Exercise.objects.get(id=exercise.id).published


def test_a_new_exercise_validates_as_created_and_can_then_be_published(course, author, celery_worker):
    lesson = course.lessons.get(slug="routing")
    url = reverse("lessons:author_exercise_create", args=[course.slug, lesson.slug])
    formset = author.get(url).context["formset"]
    rows = {f"files-{i}-{key}": value for i, row in enumerate(formset.initial) for key, value in row.items()}
    author.post(
        url,
        {
            "lesson": lesson.id,
            "title": "Route it",
            "slug": "flask-route-it",
            "number": 3,
            "framework": "flask",
            "entrypoint": "app:app",
            "editable_paths": "app.py",
            "instructions": "Route the home page.",
            "files-TOTAL_FORMS": len(formset.initial),
            "files-INITIAL_FORMS": len(formset.initial),
            **rows,
        },
    )
    exercise = Exercise.objects.get(course=course, slug="flask-route-it")
    assert validate(author, exercise)["status"] == "valid"
    author.post(reverse("lessons:author_publish", args=[course.slug, exercise.slug]), {"published": "1"})
    assert Exercise.objects.get(id=exercise.id).published


def test_validate_runs_the_wrong_variants_and_the_alternatives_too(db, author, celery_worker, instructor):
    """The fixture course's notes app: two wrong variants must fail and one alternative
    must pass; a variant the tests cannot catch makes the exercise invalid, by name."""
    from course.models import Enrollment
    from lessons.course_import import course_import
    from tests.sandbox.test_real_apps import FIXTURES

    fixture, _ = course_import(FIXTURES / "real-apps-course")
    Enrollment.objects.create(user=instructor, course=fixture, role=Enrollment.Role.INSTRUCTOR)
    exercise = fixture.exercises.get(slug="flask-init-db")
    data = validate(author, exercise)
    assert data["status"] == "valid", data["html"]
    assert "2 wrong variants fail; 1 alternative passes" in data["html"]
    validation = ExerciseValidation.objects.get(exercise=exercise)
    assert {which: other["result"]["status"] for which, other in validation.other_results.items()} == {
        "variant:first-note-only": "fail",
        "variant:no-404": "fail",
        "alternative:filter-in-python": "pass",
    }
    assert "Wrong variant <code>no-404</code>" in data["html"] and "Renders the page for a note" in data["html"]

    # The variant made a copy of the solution: the tests cannot catch it.
    solution = exercise.files.get(kind="solution", path="notesdb/views.py").content
    exercise.files.filter(kind="variants", path="no-404/notesdb/views.py").update(content=solution)
    exercise.version += 1
    exercise.save()
    data = validate(author, exercise)
    assert data["status"] == "invalid"
    assert "The wrong variant no-404 passes every test: the tests do not catch it." in data["html"]
