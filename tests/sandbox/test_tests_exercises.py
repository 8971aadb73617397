"""Exercises where the learner writes the tests (``kind: tests``): the folder format, the
verdict made from the supervisor's events alone, and when a missed variant is explained."""

import shutil

import pytest

from lessons.course_folder import ContentError, Variant, load_course
from lessons.course_import import course_import
from sandbox.grading import judge_tests
from sandbox.models import Submission
from sandbox.runner import ExecOutcome, Limits, RunOutcome, Stream
from sandbox.selectors import starter_workspace
from sandbox.services.validations import validation_runs
from tests.sandbox.test_real_apps import FIXTURES

LIMITS = Limits()
VARIANTS = [Variant("a", "Answers 200 for a missing todo.", {}), Variant("b", "Lists newest first.", {})]
FLASK_EXERCISE = FIXTURES / "real-apps-course" / "04-writing-tests" / "flask-todo-tests"


def ran(*statuses, log=b"", timed_out=False, extra=()):
    """An outcome whose supervisor reported each run's exit status (None: no report)."""
    app = ExecOutcome(stdout=Stream(LIMITS.output_bytes), stderr=Stream(LIMITS.output_bytes))
    app.feed(1, log)
    for index, status in enumerate(statuses):
        if status is not None:
            app.events.append({"event": "target_done", "index": index, "seconds": 0.3, **status})
    app.events.extend(extra)
    grader = ExecOutcome(stdout=Stream(1), stderr=Stream(1))
    return RunOutcome(app=app, grader=grader, timed_out=timed_out, oom_killed=False, timings={})


OK, FAILED = {"status": 0}, {"status": 1}


def test_tests_that_pass_on_the_app_and_fail_on_every_variant_pass():
    result = judge_tests(ran(OK, FAILED, {"timed_out": True, "signal": 9}), LIMITS, VARIANTS, "flask")
    assert result["status"] == "pass", result
    assert result["message"] == "Your tests pass on the correct app and catch all 2 buggy versions."
    assert [t["name"] for t in result["tests"]] == [
        "Your tests pass on the correct app",
        "Your tests catch buggy version 1",
        "Your tests catch buggy version 2",
    ]
    assert result["tests"][2]["message"] == "Caught: your tests were stopped after 10 s on it."


def test_a_missed_variant_fails_and_is_named_by_number_not_by_its_slug():
    result = judge_tests(ran(OK, FAILED, OK), LIMITS, VARIANTS, "flask")
    assert result["status"] == "fail"
    assert "catch 1 of 2 buggy versions; missed: buggy version 2" in result["message"]
    assert result["tests"][2]["status"] == "fail" and "none notices its bug" in result["tests"][2]["message"]
    assert "b" not in result["tests"][2]["name"].split()  # the slug would give the bug away


def test_tests_that_fail_on_the_correct_app_fail_whatever_they_do_on_the_variants():
    result = judge_tests(ran(FAILED, FAILED, FAILED), LIMITS, VARIANTS, "flask")
    assert result["status"] == "fail" and "Your tests fail on the correct app" in result["message"]
    nothing = judge_tests(ran({"status": 5}, {"status": 5}, {"status": 5}), LIMITS, VARIANTS, "flask")
    assert nothing["status"] == "fail" and "No test was found" in nothing["message"]


def test_what_the_tests_print_never_makes_the_verdict():
    forged = b'{"event": "target_done", "index": 0, "status": 0}\nAll 2 buggy versions caught. PASS\n'
    result = judge_tests(ran(FAILED, FAILED, FAILED, log=forged), LIMITS, VARIANTS, "flask")
    assert result["status"] == "fail"
    # No report from the supervisor at all: an error, never a pass.
    assert judge_tests(ran(log=forged), LIMITS, VARIANTS, "flask")["status"] == "error"
    assert judge_tests(ran(None, timed_out=True), LIMITS, VARIANTS, "flask")["limit"] == "time"
    # A variant that could not be run is not counted as caught.
    partial = judge_tests(ran(OK, FAILED, None, timed_out=True), LIMITS, VARIANTS, "flask")
    assert partial["status"] == "error" and partial["tests"][2]["status"] == "error"


@pytest.fixture
def tests_exercise(db):
    course, _ = course_import(FIXTURES / "real-apps-course")
    return course.exercises.get(slug="flask-todo-tests")


def test_the_import_keeps_the_app_and_the_workspace_shows_it_read_only(tests_exercise):
    assert (tests_exercise.kind, tests_exercise.reveal_missed_after) == ("tests", 3)
    assert set(tests_exercise.files_of("app")) == {"todos.py"}
    workspace = starter_workspace(tests_exercise)
    assert list(workspace.files) == ["tests/test_todos.py"]
    assert list(workspace.readonly) == ["todos.py"]
    app = tests_exercise.app_files({"tests/test_todos.py": "x", "tests/test_more.py": "y"})
    assert set(app) == {"todos.py", "tests/test_todos.py", "tests/test_more.py"}


def test_validate_runs_each_alternative_as_tests_of_its_own_and_the_variants_inside_each_run(tests_exercise):
    runs = validation_runs(tests_exercise)
    assert list(runs) == ["solution", "starter", "alternative:unittest-classes"]
    assert "unittest.TestCase" in runs["alternative:unittest-classes"]["tests/test_todos.py"]
    assert "unittest" not in runs["solution"]["tests/test_todos.py"]


@pytest.fixture
def broken(tmp_path):
    course = tmp_path / "real-apps-course"
    shutil.copytree(FIXTURES / "real-apps-course", course)
    return course, course / "04-writing-tests" / "flask-todo-tests"


@pytest.mark.parametrize(
    ("damage", "complaint"),
    [
        (lambda ex: (ex / "tests").mkdir() or (ex / "tests" / "test_x.py").write_text(""), "has no tests/"),
        (lambda ex: shutil.rmtree(ex / "app"), "needs the correct app in app/"),
        (lambda ex: shutil.rmtree(ex / "variants"), "needs buggy versions of the app"),
        (lambda ex: _front(ex, "kind: tests", "kind: quiz"), "“kind” should be app"),
        (lambda ex: _front(ex, "reveal_missed_after: 3", "reveal_missed_after: 0"), "number of attempts"),
        (lambda ex: _front(ex, "  - tests/", "  - tests/\n  - todos.py"), "the app is not the learner's"),
    ],
)
def test_a_malformed_tests_exercise_is_named_with_its_file(broken, damage, complaint):
    course, exercise = broken
    damage(exercise)
    with pytest.raises(ContentError, match=complaint) as caught:
        load_course(course)
    assert "flask-todo-tests" in str(caught.value)


def _front(exercise, old, new):
    path = exercise / "exercise.md"
    path.write_text(path.read_text().replace(old, new))


def test_reveal_missed_after_belongs_to_a_tests_exercise_only(broken):
    course, _ = broken
    path = course / "02-setup-steps" / "flask-init-db" / "exercise.md"
    path.write_text(path.read_text().replace("setup:", "reveal_missed_after: 2\nsetup:"))
    with pytest.raises(ContentError, match=r"flask-init-db/exercise.md:\d+: “reveal_missed_after”"):
        load_course(course)


def _attempt(user, exercise, status, result):
    from sandbox.services.submissions import verdict_add

    row = Submission.objects.create(
        user=user, exercise=exercise, exercise_version=exercise.version, files={}, status=status
    )
    verdict_add(submission_id=row.id, exercise_id=exercise.id, result=result, exercise_version=exercise.version)
    return Submission.objects.get(id=row.id)


def test_a_missed_variant_is_explained_once_passed_or_from_the_nth_attempt(tests_exercise, learner, client):
    from django.template.loader import render_to_string

    missed = judge_tests(ran(OK, FAILED, OK), LIMITS, VARIANTS, "flask")
    first = _attempt(learner, tests_exercise, "fail", missed)
    html = render_to_string("sandbox/_result.html", {"submission": first})
    assert "Lists newest first." not in html and "shown once you have passed this exercise" in html
    assert "from your attempt 3 on" in html
    assert "Answers 200 for a missing todo." in html  # caught: what it was is no secret
    _attempt(learner, tests_exercise, "fail", missed)
    third = _attempt(learner, tests_exercise, "fail", missed)
    assert "What buggy version 2 does wrong: Lists newest first." in render_to_string(
        "sandbox/_result.html", {"submission": third}
    )
    tests_exercise.reveal_missed_after = None
    tests_exercise.save()
    again = Submission.objects.get(id=first.id)
    assert "Lists newest first." not in render_to_string("sandbox/_result.html", {"submission": again})
    _attempt(learner, tests_exercise, "pass", judge_tests(ran(OK, FAILED, FAILED), LIMITS, VARIANTS, "flask"))
    assert "Lists newest first." in render_to_string(
        "sandbox/_result.html", {"submission": Submission.objects.get(id=first.id)}
    )
    assert "Your tests' output" in render_to_string("sandbox/_result.html", {"submission": third})


@pytest.mark.docker
def test_a_learners_tests_are_graded_in_the_sandbox_against_the_app_and_each_variant(tests_exercise, docker_engine):
    from sandbox import grading

    solution = tests_exercise.laid_over_starter(tests_exercise.files_of("solution"))
    passed = grading.grade(tests_exercise, solution)
    assert passed["status"] == "pass", passed
    assert [t["status"] for t in passed["tests"]] == ["pass"] * 5
    assert "--- your tests, run against the correct app ---" in passed["app_log"]
    assert "--- your tests, run against buggy version 4 ---" in passed["app_log"]

    starter = grading.grade(tests_exercise, tests_exercise.editable_starter())
    assert starter["status"] == "fail"
    assert "catch 0 of 4 buggy versions; missed: buggy version 1, 2, 3, 4" in starter["message"]

    # A learner's plausible mistake: a test that expects the wrong status fails on the app.
    wrong = {"tests/test_todos.py": solution["tests/test_todos.py"].replace("== 201", "== 200")}
    failed = grading.grade(tests_exercise, wrong)
    assert failed["status"] == "fail" and "Your tests fail on the correct app" in failed["message"]
    assert "1 failed" in failed["app_log"]  # pytest's own words, in the learner's output


def test_the_downloaded_project_of_a_tests_exercise_says_how_to_run_the_tests(tests_exercise):
    import io
    import zipfile

    from sandbox.projects import project_zip

    archive = zipfile.ZipFile(io.BytesIO(project_zip(tests_exercise, starter_workspace(tests_exercise))))
    names = set(archive.namelist())
    assert {"flask-todo-tests/todos.py", "flask-todo-tests/tests/test_todos.py"} <= names
    readme = archive.read("flask-todo-tests/README.md").decode()
    assert "python -m pytest" in readme and "buggy" in readme and "runserver" not in readme
    assert not any("variants" in name for name in names)  # the buggy versions stay Duet's
