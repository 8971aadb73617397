"""Error pages in the site's look (issue 11, point 6): 400, 403, 404 and 500 say what
happened in plain words and offer a way back; the 500 page needs no database, since the
database may be what failed; a form refused for its CSRF token says to reload."""

from contextlib import contextmanager

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import OperationalError, connection
from django.test import Client, RequestFactory
from django.urls import get_resolver, reverse
from django.views import defaults

from tests.conftest import PASSWORD, signed_in
from tests.course.helpers import graded

STYLESHEET = '<link rel="stylesheet" href="/static/css/duet.css">'
TOP_BAR = '<header class="topbar">'
HOME_LINK = '<a class="brand" href="/">Duet</a>'


@pytest.fixture(autouse=True)
def _as_in_production(settings):
    settings.DEBUG = False  # Django shows its own pages for errors under DEBUG


def in_the_sites_look(page: str) -> bool:
    return STYLESHEET in page and TOP_BAR in page and HOME_LINK in page


def test_an_unknown_address_is_a_404_in_the_sites_look_with_a_way_home(client, course):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert in_the_sites_look(response.text)
    assert "There is no page at this address" in response.text
    assert f'href="{reverse("home")}">Go to the courses</a>' in response.text
    assert f'href="{reverse("login")}?next=/no-such-page/">Log in</a>' in response.text


def test_a_draft_exercise_is_a_404_that_does_not_name_it(course, learner):
    exercise = course.exercises.get(slug="flask-hello")
    exercise.published = False
    exercise.save(update_fields=["published"])
    response = signed_in("learner").get(exercise.get_absolute_url())
    assert response.status_code == 404 and in_the_sites_look(response.text)
    assert exercise.title not in response.text
    assert "There is no page at this address" in response.text and "Log in</a>" not in response.text


def test_someone_elses_submission_is_a_404_in_the_sites_look(course, learner, other_learner):
    submission = graded(learner, course.exercises.get(slug="flask-hello"), "pass")
    response = signed_in("other-learner").get(submission.get_absolute_url())
    assert response.status_code == 404 and in_the_sites_look(response.text)
    assert "someone else's work" in response.text


def test_a_refusal_is_a_403_in_the_sites_look_that_says_why(course, learner):
    response = signed_in("learner").get(reverse("lessons:author_home"))
    assert response.status_code == 403 and in_the_sites_look(response.text)
    assert "Only instructors may do this." in response.text
    assert "You are logged in as learner" in response.text
    assert "Go to the courses</a>" in response.text


def test_a_refusal_to_someone_logged_out_offers_to_log_in(course):
    request = RequestFactory().get("/somewhere/")
    request.user = AnonymousUser()
    response = defaults.permission_denied(request, PermissionDenied())
    page = response.content.decode()
    assert response.status_code == 403 and in_the_sites_look(page)
    assert "Log in to do that" in page and 'href="/accounts/login/?next=/somewhere/">Log in</a>' in page


def test_a_form_without_its_csrf_token_gets_the_403_page_saying_to_reload(course):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "someone", "password": PASSWORD})
    assert response.status_code == 403 and in_the_sites_look(response.text)
    assert "That form could not be accepted" in response.text
    assert "Reload the page and try again." in response.text


def test_a_script_without_its_csrf_token_gets_the_reason_as_json(course, learner):
    client = Client(enforce_csrf_checks=True)
    client.login(username="learner", password=PASSWORD)
    exercise = course.exercises.get(slug="flask-hello")
    url = reverse("sandbox:submit", args=[exercise.course.slug, exercise.slug])
    response = client.post(url, {"file:app.py": "x"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 403
    assert "Reload the page and try again." in response.json()["error"]


@contextmanager
def database_down():
    """Every query fails, as when the database server is gone; yields the queries tried."""
    tried: list[str] = []

    def refuse(execute, sql, params, many, context):
        tried.append(sql)
        raise OperationalError("could not connect to the database")

    with connection.execute_wrapper(refuse):
        yield tried


def test_the_500_page_needs_no_database(course):
    handler = get_resolver().resolve_error_handler(500)
    with database_down() as tried:
        response = handler(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500 and in_the_sites_look(page)
    assert "Something went wrong on Duet's side" in page and "Go to the courses</a>" in page
    assert tried == []


def test_a_page_whose_database_is_down_gets_the_500_page(course):
    client = Client(raise_request_exception=False)
    with database_down() as tried:
        response = client.get("/")
    assert tried, "the home page should have asked the database"
    assert response.status_code == 500 and in_the_sites_look(response.text)
    assert "The fault is ours, not yours" in response.text


def test_djangos_own_500_view_finds_a_page_in_the_sites_look_too(course, settings):
    """Without our handler (no context at all), 500.html still shows the site's name."""
    with database_down():
        response = defaults.server_error(RequestFactory().get("/"))
    assert response.status_code == 500 and in_the_sites_look(response.content.decode())


def test_a_request_too_large_to_read_is_a_400_in_the_sites_look(course, settings):
    fields = {f"f{n}": "1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = Client().post(reverse("signup"), fields)
    assert response.status_code == 400 and in_the_sites_look(response.text)
    assert "Back to the courses</a>" in response.text
