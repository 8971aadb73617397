"""Who may use the authoring pages: every view needs a login, then the course's
instructor (or site staff); learners, graders, outsiders and another course's
instructor find nothing there (404) and change nothing, as for unknown names; what belongs
to no course refuses them (403). CSRF is enforced."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from lessons.models import Course, Exercise, Lesson
from sandbox.models import ExerciseValidation
from tests.conftest import PASSWORD, signed_in


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user(username="staff", password=PASSWORD, is_staff=True)


@pytest.fixture
def exercise(course):
    return course.exercises.get(slug="flask-hello")


@pytest.fixture
def validation(exercise):
    return ExerciseValidation.objects.create(exercise=exercise, version=exercise.version)


@pytest.fixture
def everyone(learner, grader, instructor, other_instructor, outsider, staff):
    """All the people, so each test can sign in as any of them."""


def course_pages(course, exercise, validation) -> list[str]:
    """Pages of one course: only its instructors (and staff) may open them."""
    c, lesson, e = course.slug, exercise.lesson.slug, exercise.slug
    return [
        reverse("lessons:author_course", args=[c]),
        reverse("lessons:author_course_edit", args=[c]),
        reverse("lessons:author_people", args=[c]),
        reverse("lessons:author_lesson_create", args=[c]),
        reverse("lessons:author_lesson", args=[c, lesson]),
        reverse("lessons:author_exercise_create", args=[c, lesson]),
        reverse("lessons:author_exercise", args=[c, e]),
        reverse("lessons:author_validation", args=[c, e, validation.id]),
        reverse("lessons:preview_course", args=[c]),
        reverse("lessons:preview_lesson", args=[c, lesson]),
        reverse("lessons:preview_exercise", args=[c, e]),
    ]


def course_actions(course, exercise) -> list[tuple[str, dict]]:
    """Writes to one course, each with data that would change something."""
    c, lesson, e = course.slug, exercise.lesson.slug, exercise.slug
    return [
        (reverse("lessons:author_course_edit", args=[c]), {"title": "Hijacked", "summary": "", "body": "x"}),
        (reverse("lessons:author_people", args=[c]), {"username": "outsider", "role": "instructor"}),
        (
            reverse("lessons:author_lesson_create", args=[c]),
            {"title": "Sneaky", "slug": "sneaky", "number": 99, "body": ""},
        ),
        (
            reverse("lessons:author_lesson", args=[c, lesson]),
            {"title": "Hijacked", "slug": lesson, "number": 2, "body": ""},
        ),
        (reverse("lessons:author_exercise_create", args=[c, lesson]), {"title": "Sneaky"}),
        (reverse("lessons:author_exercise", args=[c, e]), {"title": "Hijacked"}),
        (reverse("lessons:author_validate", args=[c, e]), {}),
        (reverse("lessons:author_publish", args=[c, e]), {"published": "0"}),
    ]


def anywhere_endpoints() -> list[tuple[str, str]]:
    """Not tied to one course: any course's instructor (or staff) may use them."""
    return [
        ("get", reverse("lessons:author_home")),
        ("get", reverse("lessons:author_course_create")),
        ("post", reverse("lessons:author_course_create")),
        ("post", reverse("lessons:author_markdown_preview")),
        ("post", reverse("lessons:author_image_upload")),
    ]


def snapshot(course) -> tuple:
    exercise = course.exercises.get(slug="flask-hello")
    return (
        Course.objects.values_list("title", flat=True).get(id=course.id),
        list(Lesson.objects.values_list("slug", "title").order_by("id")),
        (exercise.title, exercise.version, exercise.published),
        Exercise.objects.count(),
        ExerciseValidation.objects.count(),
        Course.objects.count(),
        list(course.enrollments.values_list("user__username", "role").order_by("id")),
    )


def test_an_anonymous_user_is_sent_to_log_in_everywhere(client, course, exercise, validation):
    before = snapshot(course)
    for url in course_pages(course, exercise, validation):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    for url, data in course_actions(course, exercise):
        response = client.post(url, data)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    for method, url in anywhere_endpoints():
        response = getattr(client, method)(url, {"content": "# hi"} if method == "post" else None)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    assert snapshot(course) == before


@pytest.mark.parametrize("username", ["learner", "grader", "outsider", "other-instructor"])
def test_only_the_courses_instructors_may_open_or_change_it(username, everyone, course, exercise, validation):
    client = signed_in(username)
    before = snapshot(course)
    # Not a 403: to them the course's authoring pages and drafts do not exist.
    for url in course_pages(course, exercise, validation):
        assert client.get(url).status_code == 404, url
    for url, data in course_actions(course, exercise):
        assert client.post(url, data).status_code == 404, url
    assert snapshot(course) == before


@pytest.mark.parametrize("username", ["learner", "grader", "outsider"])
def test_people_who_instruct_no_course_may_not_create_courses_preview_markdown_or_upload(username, everyone, course):
    client = signed_in(username)
    courses = Course.objects.count()
    for method, url in anywhere_endpoints():
        data = {"content": "# hi", "title": "Mine", "slug": "mine"} if method == "post" else None
        assert getattr(client, method)(url, data).status_code == 403, url
    assert Course.objects.count() == courses


@pytest.mark.parametrize("username", ["instructor", "staff"])
def test_the_courses_instructor_and_staff_may_open_every_page(username, everyone, course, exercise, validation):
    client = signed_in(username)
    for url in course_pages(course, exercise, validation):
        response = client.get(url)
        assert response.status_code == 200, url
        # The Content Security Policy allows no inline script: none is sent.
        assert not re.search(r"<script(?![^>]*\bsrc=)", response.text), url
        assert not re.search(r"<[^>]+\son[a-z]+=", response.text), url
    for method, url in anywhere_endpoints():
        if method == "get":
            assert client.get(url).status_code == 200, url
    assert client.post(reverse("lessons:author_markdown_preview"), {"content": "# hi"}).status_code == 200


def test_another_courses_instructor_may_use_what_belongs_to_no_course(everyone, course):
    client = signed_in("other-instructor")
    assert client.get(reverse("lessons:author_home")).status_code == 200
    assert client.get(reverse("lessons:author_course_create")).status_code == 200
    assert client.post(reverse("lessons:author_markdown_preview"), {"content": "*hi*"}).text == "<p><em>hi</em></p>"


def test_unknown_names_are_404s(everyone, course, exercise, other_course):
    client = signed_in("instructor")
    c, e, lesson = course.slug, exercise.slug, exercise.lesson.slug
    foreign = ExerciseValidation.objects.create(exercise=course.exercises.get(slug="django-hello"), version=1)
    for url in [
        reverse("lessons:author_course", args=["no-such-course"]),
        reverse("lessons:author_lesson", args=[c, "no-such-lesson"]),
        reverse("lessons:author_exercise_create", args=[c, "no-such-lesson"]),
        reverse("lessons:author_exercise", args=[c, "no-such-exercise"]),
        reverse("lessons:author_validation", args=[c, e, 999999]),
        # A validation of another exercise, asked for through this one.
        reverse("lessons:author_validation", args=[c, e, foreign.id]),
        reverse("lessons:preview_lesson", args=[c, "no-such-lesson"]),
        reverse("lessons:preview_exercise", args=[c, "no-such-exercise"]),
        reverse("lessons:lesson_image", args=["0" * 32 + ".png"]),
        "/media/lesson-images/..%2F..%2Fsecret_key",
        "/media/lesson-images/secret_key",
    ]:
        assert client.get(url).status_code == 404, url
    # An exercise of this course, asked for through another course it does not belong to.
    staff_client = signed_in("staff")
    assert staff_client.get(reverse("lessons:author_exercise", args=[other_course.slug, e])).status_code == 404
    assert staff_client.get(reverse("lessons:author_lesson", args=[other_course.slug, lesson])).status_code == 404


def test_writes_need_the_csrf_token(everyone, course, exercise):
    client = signed_in("instructor", enforce_csrf_checks=True)
    for url, data in course_actions(course, exercise):
        assert client.post(url, data).status_code == 403, url
    assert client.post(reverse("lessons:author_markdown_preview"), {"content": "x"}).status_code == 403
    assert ExerciseValidation.objects.count() == 0
    assert Exercise.objects.get(id=exercise.id).published


def test_the_learner_pages_show_instructor_tools_only_to_instructors(everyone, course, exercise):
    lesson = exercise.lesson
    edit_lesson = reverse("lessons:author_lesson", args=[course.slug, lesson.slug])
    edit_exercise = reverse("lessons:author_exercise", args=[course.slug, exercise.slug])
    for username, shown in [("instructor", True), ("staff", True), ("learner", False), ("grader", False)]:
        client = signed_in(username)
        assert (edit_lesson in client.get(lesson.get_absolute_url()).text) is shown, username
        assert (
            reverse("lessons:author_course", args=[course.slug]) in client.get(course.get_absolute_url()).text
        ) is shown
        assert (edit_exercise in client.get(exercise.get_absolute_url()).text) is shown, username
