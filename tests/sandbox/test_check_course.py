"""`manage.py check_course <folder>`: in the real sandbox, every solution must pass and
every starter must not; a malformed folder is named by file and line."""

import re
import shutil

import pytest
from django.core.management import call_command

from tests.conftest import COURSE_DIR

pytestmark = pytest.mark.docker


@pytest.fixture
def small_course(tmp_path):
    """The shipped course's hello lesson, alone in a course folder of its own."""
    folder = tmp_path / "hello-course"
    folder.mkdir()
    shutil.copy(COURSE_DIR / "course.md", folder / "course.md")
    shutil.copytree(COURSE_DIR / "02-hello-world", folder / "01-hello-world")
    return folder


def check(*args, capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        call_command("check_course", *map(str, args))
        raise SystemExit(0)
    captured = capsys.readouterr()
    return exit_info.value.code, captured.out, captured.err


def test_a_good_course_checks_clean(small_course, docker_engine, capsys):
    code, out, _ = check(small_course, capsys=capsys)
    assert code == 0, out
    assert "ok  01-hello-world/flask-hello (flask): solution PASS 4/4" in out
    assert "ok  01-hello-world/django-hello (django): solution PASS 4/4" in out
    assert "2 exercises (flask 1, django 1)" in out and "2 good, 0 bad" in out


def test_a_starter_that_already_passes_is_a_bad_exercise(small_course, docker_engine, capsys):
    exercise = small_course / "01-hello-world" / "flask-hello"
    shutil.copy(exercise / "solution" / "app.py", exercise / "starter" / "app.py")
    code, out, err = check(small_course, "--only", "flask-hello", capsys=capsys)
    assert code == 1
    assert "BAD 01-hello-world/flask-hello" in out
    assert "the starter passes every test: there is nothing for the learner to do" in out
    assert "bad exercises: 01-hello-world/flask-hello" in err


def test_a_solution_that_fails_is_a_bad_exercise_and_says_which_test(small_course, docker_engine, capsys):
    views = small_course / "01-hello-world" / "django-hello" / "solution" / "hello" / "views.py"
    views.write_text(views.read_text().replace("Hello from Django!", "Hello from Flask!"))
    code, out, _ = check(small_course, "--only", "django-hello", capsys=capsys)
    assert code == 1
    assert "the solution does not pass" in out
    assert 'GET / shows the text "Hello from Django!"' in out


def test_a_malformed_folder_names_the_file_and_line(small_course, capsys):
    (small_course / "01-hello-world" / "flask-hello" / "exercise.md").write_text("---\ntitle: [\n---\n")
    code, _, err = check(small_course, capsys=capsys)
    assert code == 2
    assert re.search(r"flask-hello/exercise\.md:\d+: front matter is not valid YAML", err), err


def test_an_unknown_exercise_is_refused(small_course, capsys):
    code, _, err = check(small_course, "--only", "nope", capsys=capsys)
    assert code == 2 and "no exercise named nope" in err


def _fake_grades(monkeypatch, statuses):
    """check_course's sandbox replaced by answers given in turn for each run's name."""
    from sandbox.management.commands import check_course

    calls: dict[str, int] = {}

    def grade(exercise, which):
        calls[which] = calls.get(which, 0) + 1
        given = statuses.get(which, {"solution": "pass", "alternative": "pass"}.get(which.split(":")[0], "fail"))
        status = given[calls[which] - 1] if isinstance(given, list) else given
        test = {"name": "test_home", "status": status, "message": "" if status == "pass" else "wrong"}
        return {"status": status, "message": status, "tests": [test]}

    monkeypatch.setattr(check_course, "grade", grade)
    return calls


def test_a_variant_that_errs_once_is_run_again_and_caught_only_if_it_errs_again(small_course, monkeypatch, capsys):
    name = "variant:run-at-import"
    calls = _fake_grades(monkeypatch, {name: ["error", "pass"]})
    code, out, _ = check(small_course, "--only", "flask-hello", capsys=capsys)
    assert calls[name] == 2 and calls["solution"] == 1
    assert code == 1 and "variant run-at-import passes every test" in out

    calls = _fake_grades(monkeypatch, {name: ["error", "error"]})
    code, out, _ = check(small_course, "--only", "flask-hello", capsys=capsys)
    assert calls[name] == 2 and code == 0, out
