"""The content folder: import is idempotent, keeps learners' work, and names the file
and line of any error; markdown is highlighted and sanitized."""

import re
import shutil
import textwrap

import pytest
from django.core.management import CommandError, call_command

from lessons.course_folder import ContentError
from lessons.course_import import course_import
from lessons.markdown import render
from lessons.models import Exercise, Lesson
from sandbox.models import Submission
from tests.conftest import COURSE_DIR


@pytest.fixture
def course_copy(tmp_path):
    target = tmp_path / "flask-and-django"
    shutil.copytree(COURSE_DIR, target)
    return target


def test_the_shipped_course_imports_with_its_lessons_and_exercises(db):
    course, changes = course_import(COURSE_DIR)
    assert changes
    assert course.lessons.count() >= 14
    assert "hello-world" in course.lessons.values_list("slug", flat=True)
    flask = course.exercises.get(slug="flask-hello")
    assert (flask.framework, flask.entrypoint, flask.editable) == ("flask", "app:app", ["app.py"])
    assert flask.files_of("tests") and flask.files_of("solution") and flask.files_of("starter")
    django = course.exercises.get(slug="django-hello")
    assert django.framework == "django"


def test_a_second_import_changes_nothing(db):
    course_import(COURSE_DIR)
    _, changes = course_import(COURSE_DIR)
    assert changes == []


def test_changing_the_tests_makes_a_new_version_and_keeps_submissions(course_copy, db, learner_factory):
    course, _ = course_import(course_copy)
    exercise = course.exercises.get(slug="flask-hello")
    learner = learner_factory()
    Submission.objects.create(user=learner, exercise=exercise, exercise_version=exercise.version, files={"app.py": ""})
    test_file = course_copy / "02-hello-world" / "flask-hello" / "tests" / "test_hello.py"
    test_file.write_text(test_file.read_text() + "\n\ndef test_extra(client):\n    assert True\n")
    course_import(course_copy)
    exercise.refresh_from_db()
    assert exercise.version == 2
    assert Submission.objects.filter(exercise=exercise).count() == 1


def test_a_lesson_removed_from_the_folder_is_unpublished_not_deleted(course_copy, db):
    course_import(course_copy)
    shutil.rmtree(course_copy / "02-hello-world")
    course_import(course_copy)
    lesson = Lesson.objects.get(slug="hello-world")
    assert not lesson.published
    assert not Exercise.objects.get(slug="django-hello").published


def write(path, text):
    path.write_text(textwrap.dedent(text).lstrip())


def test_invalid_yaml_names_the_file_and_line(course_copy, db):
    write(
        course_copy / "02-hello-world" / "lesson.md",
        """
        ---
        title: Hello
        summary: [unclosed
        ---
        Body
    """,
    )
    with pytest.raises(ContentError) as error:
        course_import(course_copy)
    assert str(error.value).startswith(f"{course_copy / '02-hello-world' / 'lesson.md'}:")
    assert error.value.line in (3, 4)


def test_an_unknown_framework_names_its_line(course_copy, db):
    path = course_copy / "02-hello-world" / "flask-hello" / "exercise.md"
    text = path.read_text().replace("framework: flask", "framework: bottle")
    path.write_text(text)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith("framework:"))
    with pytest.raises(ContentError, match=rf"exercise.md:{line}: framework should be flask or django"):
        course_import(course_copy)


def test_a_solution_file_not_listed_as_editable_is_an_error(course_copy, db):
    (course_copy / "02-hello-world" / "flask-hello" / "solution" / "extra.py").write_text("x = 1\n")
    with pytest.raises(ContentError, match=r"solution/extra\.py is not listed"):
        course_import(course_copy)


def test_a_failed_import_leaves_the_database_as_it_was(course_copy, db):
    course_import(course_copy)
    published = Lesson.objects.filter(published=True).count()
    (course_copy / "02-hello-world" / "lesson.md").write_text("no front matter")
    with pytest.raises(ContentError, match=r"lesson\.md:1: expected front matter"):
        course_import(course_copy)
    assert Lesson.objects.filter(published=True).count() == published


def test_the_command_reports_errors_with_file_and_line(course_copy, db):
    (course_copy / "course.md").write_text("---\ntitle: [\n---\n")
    with pytest.raises(CommandError, match=r"course.md:\d+: front matter is not valid YAML"):
        call_command("import_course", str(course_copy))


def test_markdown_is_highlighted_by_pygments():
    html = render("```python\nimport flask\n```\n")
    assert '<div class="highlight">' in html and '<span class="kn">import</span>' in html


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[x](javascript:alert(1))",
        '<a href="#" onclick="x()">a</a>',
    ],
)
def test_markdown_is_sanitized(hostile):
    html = render(hostile)
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html and "onclick" not in html


def share_the_hello_tests(course_copy):
    """Make the two hello exercises share one tests/ folder in their lesson."""
    lesson = course_copy / "02-hello-world"
    shutil.move(lesson / "flask-hello" / "tests", lesson / "tests")
    shutil.rmtree(lesson / "django-hello" / "tests")
    for name in ("flask-hello", "django-hello"):
        exercise_md = lesson / name / "exercise.md"
        exercise_md.write_text(exercise_md.read_text().replace("editable:", "tests: shared\neditable:", 1))
    return lesson


def test_exercises_that_say_tests_shared_are_graded_by_the_lessons_tests(course_copy, db):
    lesson = share_the_hello_tests(course_copy)
    course, _ = course_import(course_copy)
    flask, django = course.exercises.get(slug="flask-hello"), course.exercises.get(slug="django-hello")
    shared = {"test_hello.py": (lesson / "tests" / "test_hello.py").read_text()}
    assert flask.files_of("tests") == django.files_of("tests") == shared
    assert flask.tests_shared and django.tests_shared


def test_a_change_to_shared_tests_makes_a_new_version_of_every_exercise_using_them(course_copy, db):
    lesson = share_the_hello_tests(course_copy)
    course_import(course_copy)
    (lesson / "tests" / "test_more.py").write_text("def test_more(client):\n    assert True\n")
    course_import(course_copy)
    assert set(Exercise.objects.filter(slug__in=["flask-hello", "django-hello"]).values_list("version", flat=True)) == {
        2
    }


def test_shared_tests_and_tests_of_its_own_is_an_error(course_copy, db):
    lesson = share_the_hello_tests(course_copy)
    shutil.copytree(lesson / "tests", lesson / "flask-hello" / "tests")
    with pytest.raises(ContentError, match=r"flask-hello/tests:1: this exercise says “tests: shared”"):
        course_import(course_copy)


def test_shared_tests_without_a_lesson_tests_folder_is_an_error(course_copy, db):
    lesson = share_the_hello_tests(course_copy)
    shutil.rmtree(lesson / "tests")
    with pytest.raises(ContentError, match=r"02-hello-world/tests:1: an exercise needs at least one test file"):
        course_import(course_copy)


def test_an_unknown_tests_value_names_its_line(course_copy, db):
    exercise_md = course_copy / "02-hello-world" / "flask-hello" / "exercise.md"
    exercise_md.write_text(exercise_md.read_text().replace("editable:", "tests: theirs\neditable:", 1))
    line = exercise_md.read_text().splitlines().index("tests: theirs") + 1
    with pytest.raises(ContentError, match=rf"exercise.md:{line}: “tests” should be own .* not 'theirs'"):
        course_import(course_copy)


def test_tabs_show_a_concept_in_both_frameworks_without_javascript():
    html = render('=== "Flask"\n\n    ```python\n    app = Flask(__name__)\n    ```\n\n=== "Django"\n\n    Settings.\n')
    assert '<div class="tabbed-set tabbed-alternate">' in html
    assert html.count('type="radio"') == 2 and "<label" in html and '<div class="highlight">' in html


def test_only_radio_inputs_survive_sanitizing():
    html = render('<input type="text" name="q"> <input type="password"> <input type="radio" name="t">')
    assert 'type="text"' not in html and "password" not in html and 'name="q"' not in html
    assert html.count("<input") == 1


@pytest.fixture
def learner_factory(db):
    from django.contrib.auth import get_user_model

    return lambda: get_user_model().objects.create_user("someone", password="x-long-password-1")


@pytest.mark.parametrize(
    ("setup", "said"),
    [
        ("flask --app blog init-db", "should be a list of commands"),
        (["./init.sh"], "never a file of the app"),
        (["/app/venv/bin/flask init-db"], "never a file of the app"),
        (["python -c 'unclosed"], "cannot be split as a shell would"),
        ([""], "a setup command is empty"),
    ],
)
def test_a_malformed_setup_is_named_by_file_and_line(course_copy, db, setup, said):
    import yaml

    exercise_md = course_copy / "02-hello-world" / "flask-hello" / "exercise.md"
    front, body = exercise_md.read_text().split("---\n", 2)[1:]
    meta = yaml.safe_load(front)
    meta["setup"] = setup
    exercise_md.write_text("---\n" + yaml.safe_dump(meta, sort_keys=False) + "---\n" + body)
    with pytest.raises(ContentError) as error:
        course_import(course_copy)
    assert "exercise.md" in str(error.value) and said in str(error.value)
    assert re.search(r"exercise\.md:\d+", str(error.value)), str(error.value)


def test_a_malformed_variant_is_named_by_its_folder(tmp_path, db):
    from tests.conftest import ROOT

    course = tmp_path / "real-apps-course"
    shutil.copytree(ROOT / "tests" / "fixtures" / "real-apps-course", course)
    variants = course / "02-setup-steps" / "flask-init-db" / "variants"
    (variants / "no-404" / "variant.md").unlink()
    with pytest.raises(ContentError, match=r"variants/no-404(:\d+)?: a variant needs variant\.md"):
        course_import(course)
    (variants / "no-404" / "variant.md").write_text("---\ndescription: A wrong one.\n---\n")
    (variants / "no-404" / "notesdb" / "db.py").write_text("# not editable\n")
    with pytest.raises(ContentError, match=r"variants/no-404/notesdb/db\.py is not listed in “editable”"):
        course_import(course)
    (variants / "no-404" / "notesdb" / "db.py").unlink()
    (variants / "no-404" / "variant.md").write_text("---\ntitle: no description\n---\n")
    with pytest.raises(ContentError, match="description"):
        course_import(course)
