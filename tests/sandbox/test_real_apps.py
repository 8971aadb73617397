"""The fixture courses of real-size apps (tests/fixtures/), in the real sandbox through
`check_course`: every solution passes, every starter does not."""

from pathlib import Path

import pytest

from tests.sandbox.test_check_course import check

pytestmark = pytest.mark.docker

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_a_django_app_in_debug_serves_its_static_files_as_runserver_does(docker_engine, capsys):
    code, out, _ = check(FIXTURES / "real-apps-course", capsys=capsys)
    assert code == 0, out
    assert "ok  01-static-in-debug/django-static (django): solution PASS 2/2" in out


def test_the_twelve_file_workspace_exercise_checks_clean(docker_engine, capsys):
    code, out, _ = check(FIXTURES / "workspace-course", capsys=capsys)
    assert code == 0, out
    assert "ok  01-a-real-app/flask-notes (flask): solution PASS 4/4" in out
