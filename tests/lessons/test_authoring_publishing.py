"""Publishing waits for validation of the current version; a new version needs a new
validation; submissions keep the version that graded them and a learner's work survives
every edit; an instructor previews drafts exactly as a learner would see them."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from lessons import authoring
from lessons.models import Exercise
from sandbox.models import ExerciseValidation, Submission
from sandbox.services import submission_create, validations
from tests.conftest import signed_in, solution_files
from tests.lessons.test_authoring_editing import edit_url, exercise_form, files_of


@pytest.fixture
def author(instructor) -> Client:
    return signed_in("instructor")


@pytest.fixture
def exercise(course) -> Exercise:
    return course.exercises.get(slug="flask-hello")


def publish(client: Client, exercise: Exercise, published: bool = True):
    url = reverse("lessons:author_publish", args=[exercise.course.slug, exercise.slug])
    return client.post(url, {"published": "1" if published else "0"}, follow=True)


def validated(exercise: Exercise) -> None:
    """Record a passed validation of the current version, as the worker does (the real
    run is in test_authoring_validation)."""
    exercise.refresh_from_db()
    validation = ExerciseValidation.objects.create(exercise=exercise, version=exercise.version, status="running")
    solution = {"status": "pass", "message": "All 1 tests passed.", "tests": [{"name": "t", "status": "pass"}]}
    starter = {"status": "fail", "message": "The test failed.", "tests": [{"name": "t", "status": "fail"}]}
    status, message = validations.validation_verdict(exercise.version, solution, starter)
    assert status == "valid"
    validations._record(validation_id=validation.id, status=status, message=message)
    Exercise.objects.filter(id=exercise.id, version=validation.version).update(validated_version=validation.version)


def test_publishing_waits_for_validation_and_a_new_version_needs_a_new_one(exercise, author, learner):
    # Back to draft is always allowed.
    publish(author, exercise, published=False)
    assert not Exercise.objects.get(id=exercise.id).published
    assert signed_in("learner").get(exercise.get_absolute_url()).status_code == 404

    # Imported from git, the exercise was never validated here: it cannot be published.
    page = publish(author, exercise)
    assert "Version 1 has not been validated yet" in page.text
    assert not Exercise.objects.get(id=exercise.id).published

    validated(exercise)
    publish(author, exercise)
    assert Exercise.objects.get(id=exercise.id).published
    assert signed_in("learner").get(exercise.get_absolute_url()).status_code == 200

    # A changed test is version 2: a draft again, and version 1's validation does not count.
    files = files_of(exercise)
    files[("tests", "test_hello.py")] += "\n# stricter\n"
    author.post(edit_url(exercise), exercise_form(exercise, files=files))
    exercise.refresh_from_db()
    assert (exercise.version, exercise.validated_version, exercise.published) == (2, 1, False)
    assert "Version 2 has not been validated yet" in publish(author, exercise).text
    assert not Exercise.objects.get(id=exercise.id).published

    validated(exercise)
    publish(author, exercise)
    assert Exercise.objects.get(id=exercise.id).published


def test_the_service_refuses_an_unvalidated_version_whatever_the_page_shows(exercise):
    Exercise.objects.filter(id=exercise.id).update(published=False, version=3, validated_version=2)
    exercise.refresh_from_db()
    with pytest.raises(authoring.ExerciseNotValidated):
        authoring.exercise_publish(exercise=exercise, published=True)
    # A form opened on a stale copy cannot publish a newer, unvalidated version either.
    Exercise.objects.filter(id=exercise.id).update(validated_version=3, version=4)
    with pytest.raises(authoring.ExerciseNotValidated):
        authoring.exercise_publish(exercise=exercise, published=True)
    assert not Exercise.objects.get(id=exercise.id).published


def test_a_validation_result_for_an_older_version_does_not_validate_the_new_one(exercise):
    validation = ExerciseValidation.objects.create(exercise=exercise, version=1)
    Exercise.objects.filter(id=exercise.id).update(version=2)
    assert validations.exercise_validation_run(validation_id=validation.id) == "superseded"
    validation.refresh_from_db()
    assert validation.status == "error" and "validate the new version" in validation.message
    assert Exercise.objects.get(id=exercise.id).validated_version is None


def test_asking_twice_queues_one_validation(exercise, instructor):
    first = validations.exercise_validation_request(exercise=exercise, user=instructor)
    second = validations.exercise_validation_request(exercise=exercise, user=instructor)
    assert first.id == second.id and ExerciseValidation.objects.count() == 1


@pytest.mark.parametrize(
    ("solution", "starter", "status", "words"),
    [
        ("pass", "fail", "valid", "is valid"),
        ("fail", "fail", "invalid", "The solution does not pass"),
        ("pass", "pass", "invalid", "The starter passes every test"),
        ("error", "pass", "invalid", "The solution does not pass"),
    ],
)
def test_the_verdict_follows_check_course(solution, starter, status, words):
    def result(outcome):
        return {"status": outcome, "message": outcome, "tests": [{"name": "t", "status": outcome}]}

    verdict, message = validations.validation_verdict(1, result(solution), result(starter))
    assert verdict == status and words in message


def test_submissions_keep_their_version_and_the_learners_work_survives_an_edit(exercise, author, learner):
    mine = {"app.py": "# my attempt\n" + solution_files("flask-hello")["app.py"]}
    first = submission_create(user=learner, exercise=exercise, files=mine)
    assert first.exercise_version == 1

    files = files_of(exercise)
    files[("starter", "app.py")] = "# a brand new starter\n"
    author.post(edit_url(exercise), exercise_form(exercise, files=files))
    validated(exercise)
    publish(author, exercise)
    exercise.refresh_from_db()
    assert exercise.version == 2 and exercise.published

    # The learner's last attempt still loads into the editor, not the new starter.
    page = signed_in("learner").get(exercise.get_absolute_url()).text
    assert "# my attempt" in page and "a brand new starter" not in page
    second = submission_create(user=learner, exercise=exercise, files=mine)
    assert second.exercise_version == 2
    assert Submission.objects.get(id=first.id).exercise_version == 1
    assert Submission.objects.get(id=first.id).files == mine


def test_an_instructor_previews_drafts_as_a_learner_would_without_enrolling(course, exercise, instructor, learner):
    publish(signed_in("instructor"), exercise, published=False)
    lesson = exercise.lesson
    lesson.published = False
    lesson.save(update_fields=["published"])
    author = signed_in("instructor")

    course_page = author.get(reverse("lessons:preview_course", args=[course.slug])).text
    assert "Preview" in course_page and "as a learner sees it" in course_page
    assert reverse("lessons:preview_lesson", args=[course.slug, lesson.slug]) in course_page
    assert reverse("lessons:preview_exercise", args=[course.slug, exercise.slug]) in course_page
    assert "You take part as learner" in course_page

    lesson_page = author.get(reverse("lessons:preview_lesson", args=[course.slug, lesson.slug]))
    assert lesson_page.status_code == 200 and exercise.title in lesson_page.text
    assert lesson_page.context["preview"] and "Edit lesson" not in lesson_page.text

    page = author.get(reverse("lessons:preview_exercise", args=[course.slug, exercise.slug]))
    assert page.status_code == 200 and "Preview" in page.text
    assert page.context["workspace"].files == exercise.editable_starter() and page.context["attempts"] == []
    assert 'id="submit-button" disabled' in page.text
    for test_source in exercise.files_of("tests").values():
        assert "def test_" in test_source and "def test_" not in page.text
    solution = exercise.files_of("solution")["app.py"]
    assert escape(solution) not in page.text  # the solution stays hidden in a preview too

    # Learners do not see the drafts; the instructor did not become a learner.
    learner_client = signed_in("learner")
    assert learner_client.get(lesson.get_absolute_url()).status_code == 404
    assert learner_client.get(exercise.get_absolute_url()).status_code == 404
    assert instructor.enrollments.get().role == "instructor"
