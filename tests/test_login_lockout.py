"""Login brute force: after a few wrong passwords for one username from one address, that
pair is paused (django-axes), with a page that says why and for how long. Learners who
share an address, and the same learner elsewhere, can still log in."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.login_lockout, pytest.mark.django_db]

LOGIN = "/accounts/login/"
CLASSROOM = "192.0.2.10"  # documentation addresses: only ever a value in REMOTE_ADDR
HOME = "198.51.100.7"


@pytest.fixture(autouse=True)
def people(django_user_model, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for username in ("ada", "grace"):
        django_user_model.objects.create_user(username=username, password=PASSWORD)


def attempt(username: str, password: str, address: str = CLASSROOM) -> tuple[Client, object]:
    """A fresh browser posting the login form from ``address``, CSRF checks on."""
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR=address)
    client.get(LOGIN)
    token = client.cookies["csrftoken"].value
    response = client.post(LOGIN, {"username": username, "password": password, "csrfmiddlewaretoken": token})
    return client, response


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_a_wrong_password_is_an_ordinary_form_error_below_the_limit():
    for _ in range(2):
        _, response = attempt("ada", "wrong")
        assert response.status_code == 200
        assert b"Please enter a correct username and password" in response.content
    client, response = attempt("ada", PASSWORD)
    assert response.status_code == 302 and logged_in(client)


def test_after_the_limit_even_the_right_password_is_refused_with_a_reason_and_a_time():
    for _ in range(3):
        attempt("ada", "wrong")
    client, response = attempt("ada", PASSWORD)
    assert response.status_code == 429
    assert not logged_in(client)
    assert response["Retry-After"] == "900"
    text = response.content.decode()
    assert "A wrong password was given 3 times for “ada” from this address" in text
    assert "paused for 15 minutes" in text
    assert "Nothing you saved is affected" in text


def test_the_lockout_holds_one_username_at_one_address_only():
    for _ in range(3):
        attempt("ada", "wrong")
    classmate, response = attempt("grace", PASSWORD)
    assert response.status_code == 302 and logged_in(classmate), "a classmate behind the same address"
    elsewhere, response = attempt("ada", PASSWORD, address=HOME)
    assert response.status_code == 302 and logged_in(elsewhere), "ada from another address"


def test_a_good_login_clears_the_count():
    for _ in range(2):
        attempt("ada", "wrong")
    attempt("ada", PASSWORD)
    for _ in range(2):
        attempt("ada", "wrong")
    client, response = attempt("ada", PASSWORD)
    assert response.status_code == 302 and logged_in(client)


def test_an_operator_unlocks_a_username_at_once():
    for _ in range(3):
        attempt("ada", "wrong")
    assert attempt("ada", PASSWORD)[1].status_code == 429
    call_command("axes_reset_username", "ada")
    client, response = attempt("ada", PASSWORD)
    assert response.status_code == 302 and logged_in(client)


def test_the_lockout_ends_after_the_cool_off(settings, django_user_model):
    from datetime import timedelta

    from axes.models import AccessAttempt

    for _ in range(3):
        attempt("ada", "wrong")
    assert attempt("ada", PASSWORD)[1].status_code == 429
    # Sixteen minutes pass.
    for row in AccessAttempt.objects.all():
        row.attempt_time -= timedelta(minutes=16)
        row.save(update_fields=["attempt_time"])
    client, response = attempt("ada", PASSWORD)
    assert response.status_code == 302 and logged_in(client)
