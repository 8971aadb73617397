"""Sign-ups are throttled per client address (DUET_SIGNUP_RATE an hour), counted in the
database so every web process agrees: the next one gets 429, in words, with Retry-After,
while another address still signs up."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from course.models import Signup

pytestmark = pytest.mark.django_db

SIGNUP = "/accounts/signup/"
CLASSROOM = "192.0.2.10"  # documentation addresses: only ever a value in REMOTE_ADDR
HOME = "198.51.100.7"
PASSWORD = "a-long-pass-phrase-42"


def sign_up(username: str, address: str = CLASSROOM):
    """A fresh browser filling in the sign-up form from ``address``, CSRF checks on."""
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR=address)
    client.get(SIGNUP)
    data = {"username": username, "password1": PASSWORD, "password2": PASSWORD}
    return client.post(SIGNUP, {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})


@pytest.fixture(autouse=True)
def rate(settings):
    settings.SIGNUP_RATE = 3


def test_sign_up_number_n_plus_one_from_one_address_in_an_hour_is_refused_with_429():
    for n in range(3):
        assert sign_up(f"learner{n}").status_code == 302
    refused = sign_up("learner3")
    assert refused.status_code == 429
    assert 3500 <= int(refused["Retry-After"]) <= 3601
    assert "3 accounts have been made from your network address in the last hour" in refused.text
    assert "try again in 60 minutes" in refused.text
    assert 'value="learner3"' in refused.text, "what was typed stays in the form"
    assert not get_user_model().objects.filter(username="learner3").exists()


def test_another_address_still_signs_up():
    for n in range(3):
        sign_up(f"learner{n}")
    assert sign_up("learner3").status_code == 429
    assert sign_up("from-home", address=HOME).status_code == 302
    assert get_user_model().objects.filter(username="from-home").exists()


def test_sign_ups_older_than_an_hour_no_longer_count():
    for n in range(3):
        sign_up(f"learner{n}")
    Signup.objects.update(created_at=Signup.objects.first().created_at - timedelta(minutes=61))
    assert sign_up("learner3").status_code == 302


def test_the_retry_after_counts_down_from_the_oldest_sign_up_of_the_hour():
    for n in range(3):
        sign_up(f"learner{n}")
    oldest = Signup.objects.order_by("created_at").first()
    Signup.objects.filter(id=oldest.id).update(created_at=oldest.created_at - timedelta(minutes=50))
    refused = sign_up("learner3")
    assert refused.status_code == 429
    assert 540 <= int(refused["Retry-After"]) <= 601
    assert "try again in 10 minutes" in refused.text


def test_each_sign_up_records_its_address_and_account():
    sign_up("ada", address=HOME)
    signup = Signup.objects.get()
    assert signup.address == HOME and signup.user.username == "ada"


def test_a_form_with_mistakes_does_not_count():
    client = Client(REMOTE_ADDR=CLASSROOM)
    for _ in range(5):
        response = client.post(SIGNUP, {"username": "ada", "password1": "x", "password2": "y"})
        assert response.status_code == 200
    assert not Signup.objects.exists()
    assert sign_up("ada").status_code == 302
