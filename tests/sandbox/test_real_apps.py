"""The fixture courses of real-size apps (tests/fixtures/), in the real sandbox through
`check_course`: every solution passes, every starter does not."""

import re
import shutil
from pathlib import Path

import pytest

from tests.sandbox.test_check_course import check

pytestmark = pytest.mark.docker

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def test_the_real_apps_course_checks_clean_variants_caught_and_alternatives_passing(docker_engine, capsys):
    code, out, _ = check(FIXTURES / "real-apps-course", capsys=capsys)
    assert code == 0, out
    # A Django app in debug serves its static files as runserver does.
    assert "ok  01-static-in-debug/django-static (django): solution PASS 2/2" in out
    # Setup steps made the databases.
    assert "ok  02-setup-steps/django-loaddata (django): solution PASS 1/1" in out
    assert "ok  02-setup-steps/flask-init-db (flask): solution PASS 4/4" in out
    # Each variant by name, caught; each alternative, passing.
    assert re.search(r"variant:first-note-only FAIL 3/4 \(.*\): caught, Lists only the first note", out), out
    assert re.search(r"variant:no-404 FAIL 3/4 \(.*\): caught, Renders the page", out), out
    assert re.search(r"alternative:filter-in-python PASS 4/4 \(.*\): Reads every note", out), out
    # A learner's migration, added in an editable folder; a variant that removes it is caught.
    assert "ok  03-editable-folders/django-migration (django): solution PASS 1/1" in out
    assert re.search(r"variant:model-without-migration ERROR 0/0 \(.*\): caught, Adds the field", out), out
    assert re.search(r"alternative:author-with-default PASS 1/1", out), out
    # The learner writes the tests: the reference tests catch every variant, the starter's none.
    assert "ok  04-writing-tests/flask-todo-tests (flask): solution PASS 5/5" in out
    assert "ok  04-writing-tests/django-notes-tests (django): solution PASS 5/5" in out
    assert (
        "variant:unsorted-list: solution caught, starter MISSED, alternative:unittest-classes caught; "
        "Lists the todos newest first." in out
    )
    # Tests written another way (unittest classes) must do as well as the reference tests.
    assert re.search(r"alternative:unittest-classes PASS 5/5 \(.*\): The same checks as unittest", out), out


def test_a_variant_the_tests_miss_and_an_alternative_they_fail_make_the_exercise_bad(docker_engine, capsys, tmp_path):
    course = tmp_path / "real-apps-course"
    shutil.copytree(FIXTURES / "real-apps-course", course)
    exercise = course / "02-setup-steps" / "flask-init-db"
    solution = (exercise / "solution" / "notesdb" / "views.py").read_text()
    (exercise / "variants" / "no-404" / "notesdb" / "views.py").write_text(solution)  # the tests cannot fail it
    (exercise / "alternatives" / "filter-in-python" / "notesdb" / "views.py").write_text("broken(\n")
    code, out, err = check(course, "--only", "flask-init-db", capsys=capsys)
    assert code == 1 and "bad exercises: 02-setup-steps/flask-init-db" in err
    assert "variant:no-404 PASS 4/4" in out and ": MISSED, Renders the page" in out
    assert "variant no-404 passes every test: the tests do not catch it" in out
    assert "alternative filter-in-python does not pass" in out


def test_alternative_tests_that_miss_a_buggy_version_make_a_tests_exercise_bad(docker_engine, capsys, tmp_path):
    course = tmp_path / "real-apps-course"
    shutil.copytree(FIXTURES / "real-apps-course", course)
    tests = course / "04-writing-tests" / "flask-todo-tests" / "alternatives" / "unittest-classes" / "tests"
    path = tests / "test_todos.py"
    path.write_text(path.read_text().replace('{}, {"title": ""}, {"title": "   "}', '{}, {"title": ""}'))
    code, out, err = check(course, "--only", "flask-todo-tests", capsys=capsys)
    assert code == 1 and "bad exercises: 04-writing-tests/flask-todo-tests" in err
    assert "variant:blank-title-accepted: solution caught, starter MISSED, alternative:unittest-classes MISSED" in out
    assert "alternative unittest-classes does not pass" in out


def test_the_twelve_file_workspace_exercise_checks_clean(docker_engine, capsys):
    code, out, _ = check(FIXTURES / "workspace-course", capsys=capsys)
    assert code == 0, out
    assert "ok  01-a-real-app/flask-notes (flask): solution PASS 4/4" in out


def test_setup_steps_run_in_order_before_the_app_is_served_and_a_failing_one_is_an_error(course, docker_engine):
    from lessons.course_import import course_import
    from sandbox import grading

    fixture, _ = course_import(FIXTURES / "real-apps-course")
    exercise = fixture.exercises.get(slug="flask-init-db")
    assert exercise.setup == ["flask --app notesdb init-db"]
    solution = {f.path: f.content for f in exercise.files.filter(kind="solution")}

    passed = grading.grade(exercise, solution)
    assert passed["status"] == "pass", passed["message"]
    log = passed["app_log"]
    assert "--- setup: flask --app notesdb init-db ---" in log and "Initialized the database." in log
    assert log.index("Initialized the database.") < log.index('"GET /"')  # before the app served

    def with_setup(commands):
        return grading.grade_files(
            framework="flask",
            entrypoint=exercise.entrypoint,
            app_files=grading.app_files_for(exercise, solution),
            test_files=exercise.files_of("tests"),
            limits=grading.limits_for(exercise),
            setup=commands,
        )

    without = with_setup([])  # nothing made the database: every page is a 500
    assert without["status"] == "fail" and "answered 500" in without["message"]

    broken = with_setup(["flask --app notesdb init-db", "flask --app notesdb no-such-command"])
    assert broken["status"] == "error"
    assert "setup step `flask --app notesdb no-such-command` failed with exit status 2" in broken["message"]
    assert "No such command" in broken["message"]  # its last lines, quoted
    assert not broken["tests"]
