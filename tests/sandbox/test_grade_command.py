"""`manage.py grade <exercise> --dir <folder>`: the same grading as the worker, exit
status 0 pass, 1 fail, 2 error, 3 unusable input."""

import json
import shutil

import pytest
from django.core.management import call_command

from tests.conftest import exercise_folder

pytestmark = pytest.mark.docker


def grade(*args) -> int:
    with pytest.raises(SystemExit) as exit_info:
        call_command("grade", *args)
    return exit_info.value.code


def editable_folder(tmp_path, slug, which):
    """A learner's folder: just the editable files, from the solution or the starter."""
    source = exercise_folder(slug) / which
    target = tmp_path / which
    if which == "solution":
        shutil.copytree(source, target)
    else:
        from lessons.course_folder import read_document

        editable = read_document(exercise_folder(slug) / "exercise.md").meta["editable"]
        for path in editable:
            (target / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source / path, target / path)
    return target


@pytest.mark.parametrize("slug", ["flask-hello", "django-hello"])
def test_the_solution_passes_and_the_starter_fails(slug, course, docker_engine, tmp_path, capsys):
    assert grade(slug, "--dir", str(editable_folder(tmp_path, slug, "solution"))) == 0
    assert "PASS" in capsys.readouterr().out
    assert grade(slug, "--dir", str(editable_folder(tmp_path, slug, "starter"))) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out and "expected 200" in out


def test_json_output_is_the_full_result(course, docker_engine, tmp_path, capsys):
    assert grade("flask-hello", "--dir", str(editable_folder(tmp_path, "flask-hello", "solution")), "--json") == 0
    result = json.loads(capsys.readouterr().out)
    assert result["status"] == "pass" and result["version"] == 2
    assert {t["status"] for t in result["tests"]} == {"pass"}


def test_an_error_exits_with_two(course, docker_engine, tmp_path):
    (tmp_path / "app.py").write_text("def broken(:\n")
    assert grade("flask-hello", "--dir", str(tmp_path)) == 2


def test_a_file_that_is_not_editable_is_refused_with_three(course, tmp_path, capsys):
    (tmp_path / "app.py").write_text("print('hi')\n")
    (tmp_path / "conftest.py").write_text("import pytest\n")
    assert grade("flask-hello", "--dir", str(tmp_path)) == 3
    err = capsys.readouterr().err
    assert "conftest.py" in err and "You may submit: app.py" in err


def test_a_binary_file_is_refused_with_three(course, tmp_path, capsys):
    (tmp_path / "app.py").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe")
    assert grade("flask-hello", "--dir", str(tmp_path)) == 3
    assert "not UTF-8 text" in capsys.readouterr().err


def test_an_unknown_exercise_is_refused_with_three(course, tmp_path, capsys):
    assert grade("no-such-exercise", "--dir", str(tmp_path)) == 3
    assert "no exercise named" in capsys.readouterr().err


def test_a_missing_folder_is_refused_with_three(course, tmp_path):
    assert grade("flask-hello", "--dir", str(tmp_path / "nope")) == 3
