"""Learner pages: course, lessons, exercises, and who may see them."""

import pytest
from django.test import Client

from tests.conftest import PASSWORD


@pytest.fixture
def signed_in(learner):
    client = Client()
    client.login(username="learner", password=PASSWORD)
    return client


def test_the_home_page_lists_the_course(client, course):
    response = client.get("/")
    assert response.status_code == 200
    assert "Flask and Django, side by side" in response.text


def test_every_lesson_renders_with_highlighted_code(client, course):
    for lesson in course.lessons.all():
        response = client.get(lesson.get_absolute_url())
        assert response.status_code == 200
        assert lesson.title in response.text
    assert 'class="highlight"' in client.get(course.lessons.first().get_absolute_url()).text


def test_an_unknown_lesson_is_a_404(client, course):
    assert client.get(f"/courses/{course.slug}/lessons/nope/").status_code == 404
    assert client.get("/courses/nope/").status_code == 404


def test_an_exercise_needs_a_login(client, course):
    exercise = course.exercises.get(slug="flask-hello")
    response = client.get(exercise.get_absolute_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_exercise_shows_instructions_starter_and_editor_but_not_the_solution(signed_in, course):
    exercise = course.exercises.get(slug="flask-hello")
    page = signed_in.get(exercise.get_absolute_url()).text
    assert 'name="file:app.py"' in page
    assert "django_ace/ace/ace.js" in page
    from django.utils.html import escape

    solution = exercise.files_of("solution")["app.py"]
    assert escape(solution) not in page and solution not in page
    for test_source in exercise.files_of("tests").values():
        assert "def test_" in test_source and "def test_" not in page


def test_a_learner_not_enrolled_is_sent_to_enrol(outsider, course):
    client = Client()
    client.login(username="outsider", password=PASSWORD)
    exercise = course.exercises.get(slug="flask-hello")
    response = client.get(exercise.get_absolute_url())
    assert response.status_code == 302 and response["Location"] == course.get_absolute_url()
    client.post(f"/courses/{course.slug}/enrol/")
    assert client.get(exercise.get_absolute_url()).status_code == 200


def test_sign_up_logs_in(client, course):
    response = client.post(
        "/accounts/signup/",
        {"username": "newbie", "password1": "a-long-pass-phrase", "password2": "a-long-pass-phrase"},
    )
    assert response.status_code == 302
    assert client.get("/").context["user"].username == "newbie"


def test_the_author_link_is_shown_to_instructors_only(course, instructor, learner):
    for username, shown in (("instructor", True), ("learner", False)):
        client = Client()
        client.login(username=username, password=PASSWORD)
        assert ('href="/author/"' in client.get("/").text) is shown, username
