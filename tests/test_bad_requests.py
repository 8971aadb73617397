"""A request Django will not read (a body too large, too many fields) gets a page or JSON
that says what is wrong, on any form, not a bare "Bad Request (400)"."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _not_debug(settings):
    settings.DEBUG = False  # handler400 is what production shows


def test_an_oversized_form_gets_a_413_page_that_says_why(course, settings):
    body = {"username": "someone", "note": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
    response = Client().post("/accounts/signup/", body)
    assert response.status_code == 413
    assert "larger than Duet takes in one request" in response.text
    assert "Nothing was saved" in response.text and "Back to the courses" in response.text


def test_an_oversized_form_asked_for_as_json_gets_json(course, settings):
    body = {"note": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)}
    response = Client().post("/accounts/login/", body, HTTP_ACCEPT="application/json")
    assert response.status_code == 413
    assert "larger than Duet takes" in response.json()["error"]


def test_too_many_fields_get_a_400_that_says_so(course, settings):
    body = {f"f{n}": "1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = Client().post("/accounts/signup/", body)
    assert response.status_code == 400
    assert "too many fields or files" in response.text
