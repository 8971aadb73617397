"""Usernames at sign-up: ASCII letters, digits and _ . - only, so no two names in the
gradebook look alike, and a name that differs from a taken one only in case is taken.
Logging in stays case-sensitive (see course/forms.py's SignupForm)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SIGNUP = "/accounts/signup/"
NEW_PASSWORD = "a-long-pass-phrase-42"
RULE = "Use only the letters a–z and A–Z, the digits 0–9, and _\u00a0.\u00a0- (no spaces or accents)."
TAKEN = "That username is taken (names that differ only in capitals count as the same). Pick another."


def sign_up(username: str):
    client = Client(enforce_csrf_checks=True)
    client.get(SIGNUP)
    data = {"username": username, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    return client.post(SIGNUP, {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})


def errors(response) -> list[str]:
    assert response.status_code == 200, "the form is shown again"
    return response.context["form"].errors.get("username", [])


@pytest.fixture
def existing(django_user_model):
    return django_user_model.objects.create_user(username="learner", password=PASSWORD)


@pytest.mark.parametrize("username", ["Ｌearner", "ｌｅａｒｎｅｒ"])
def test_a_fullwidth_name_is_refused_not_folded_into_ascii(username):
    assert errors(sign_up(username)) == [RULE]
    assert not get_user_model().objects.exists()


@pytest.mark.parametrize("username", ["lеarner", "lеarnеr", "léarner", "learner™", "ada lovelace", "ada@duet", "a+b"])
def test_a_look_alike_or_non_ascii_name_is_refused(username):
    # "lеarner" has a Cyrillic е; the others carry an accent, a symbol or a space.
    assert errors(sign_up(username)) == [RULE]
    assert not get_user_model().objects.exists()


@pytest.mark.parametrize("username", ["LEARNER", "Learner", "learneR"])
def test_a_name_taken_in_other_capitals_is_refused(existing, username):
    assert errors(sign_up(username)) == [TAKEN]
    assert get_user_model().objects.count() == 1


def test_a_fullwidth_look_alike_of_a_taken_name_is_refused(existing):
    assert errors(sign_up("Ｌearner")) == [RULE]
    assert get_user_model().objects.count() == 1


def test_the_same_name_is_refused_once(existing):
    assert errors(sign_up("learner")) == [TAKEN]


@pytest.mark.parametrize("username", ["ada", "Ada.Lovelace", "grace_hopper-1906", "a.b-c_d.9"])
def test_ascii_letters_digits_and_dot_dash_underscore_are_fine(username):
    assert sign_up(username).status_code == 302
    assert get_user_model().objects.get().username == username


def test_the_form_says_what_a_name_may_hold():
    assert "letters a–z and A–Z, digits 0–9, and _\u00a0.\u00a0-" in Client().get(SIGNUP).text


def test_logging_in_is_case_sensitive(existing):
    """Kept exact: django-axes counts wrong passwords per username as typed, so folding
    case at login would give a guesser one allowance per spelling of a name; and accounts
    made before this rule may differ only in case."""
    assert Client().login(username="learner", password=PASSWORD)
    assert not Client().login(username="LEARNER", password=PASSWORD)
