"""The sandbox limits an exercise may set are named once, and every list of them agrees."""

from dataclasses import fields
from typing import get_type_hints

from django.conf import settings

from lessons.course_folder import LIMIT_KEYS
from lessons.forms import LIMIT_LABELS, ExerciseForm
from lessons.models import LIMIT_NAMES
from sandbox.runner import Limits


def test_every_limit_an_exercise_may_set_is_a_field_of_the_runners_limits():
    assert set(LIMIT_NAMES) <= {field.name for field in fields(Limits)}


def test_the_site_has_a_default_and_a_maximum_for_every_limit():
    assert list(settings.SANDBOX_DEFAULT_LIMITS) == list(LIMIT_NAMES)
    assert list(settings.SANDBOX_MAX_LIMITS) == list(LIMIT_NAMES)


def test_the_content_folder_accepts_exactly_the_limits_the_form_offers():
    assert LIMIT_KEYS == set(LIMIT_NAMES) == set(LIMIT_LABELS)


def test_the_exercise_form_offers_every_limit_within_the_site_maximum(db, course):
    form = ExerciseForm(course=course)
    for name in LIMIT_NAMES:
        assert form.fields[name].max_value == settings.SANDBOX_MAX_LIMITS[name]


def test_each_site_default_is_of_the_type_the_runner_expects():
    types = get_type_hints(Limits)
    for name in LIMIT_NAMES:
        assert type(settings.SANDBOX_DEFAULT_LIMITS[name]) is types[name]
