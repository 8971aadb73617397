"""Editable folders and globs (lessons.paths): what an entry covers, the one check of a
path's shape, and what a learner's files make of the app that is graded."""

import pytest

from lessons.course_folder import ContentError, load_course
from lessons.course_import import course_import
from lessons.paths import Editable, entry_problem, learner_path_problem, path_problem, pattern_regex
from sandbox.services import SubmissionRefused, submission_files_clean
from tests.sandbox.test_real_apps import FIXTURES

STARTER = {
    "manage.py": "m",
    "shelf/models.py": "models",
    "shelf/migrations/__init__.py": "",
    "shelf/migrations/0001_initial.py": "initial",
    "shelf/fixtures/books.json": "[]",
}
RULE = Editable.of(["shelf/models.py", "shelf/migrations/"])


@pytest.mark.parametrize(
    ("entry", "inside", "outside"),
    [
        ("blog/**", ["blog/a.py", "blog/x/y/z.html"], ["blog", "blogs/a.py", "a/blog/b.py"]),
        ("blog/", ["blog/a.py", "blog/x/y.py"], ["blog", "blog.py"]),
        ("todos/templates/*.html", ["todos/templates/a.html"], ["todos/templates/x/a.html", "todos/templates/a.py"]),
        ("a/**/b?.py", ["a/b1.py", "a/x/y/b2.py"], ["a/b12.py", "a/b.py"]),
        ("app.py", ["app.py"], ["xapp.py", "app_py", "app.pyc"]),
    ],
)
def test_an_entry_covers_what_its_glob_says_and_no_more(entry, inside, outside):
    rule = Editable.of([entry])
    assert all(rule.covers(path) for path in inside)
    assert not any(rule.covers(path) for path in outside)
    assert pattern_regex("a-b/**").startswith("^a\\-b/")  # read alike by JavaScript's RegExp


def test_the_learners_files_of_a_folder_are_the_whole_of_it():
    # Untouched, the learner starts with every starter file the folder covers.
    assert RULE.starter_files(STARTER) == {
        "shelf/models.py": "models",
        "shelf/migrations/0001_initial.py": "initial",
        "shelf/migrations/__init__.py": "",
    }
    # An added file is graded; a deleted one is absent; a listed file not sent keeps its text.
    sent = {"shelf/migrations/__init__.py": "", "shelf/migrations/0002_book_author.py": "new"}
    app = RULE.app_files(STARTER, RULE.learner_files(STARTER, sent))
    assert app == {
        "manage.py": "m",
        "shelf/fixtures/books.json": "[]",
        "shelf/models.py": "models",
        "shelf/migrations/__init__.py": "",
        "shelf/migrations/0002_book_author.py": "new",
    }
    # A solution holds only what it changes: laid over the starter, nothing is lost.
    assert RULE.overlay(STARTER, {"shelf/migrations/0002_x.py": "s"})["shelf/migrations/0001_initial.py"] == "initial"


@pytest.mark.parametrize(
    ("path", "complaint"),
    [
        ("shelf/migrations/.env", "names starting with a dot"),
        ("shelf/migrations/__pycache__/x.py", "__pycache__ is reserved"),
        ("shelf/migrations/sitecustomize.py", "sitecustomize.py is reserved"),
        ("shelf/migrations/x.pyc", "compiled Python files"),
        ("shelf/migrations/../../manage.py", "leaves the exercise"),
        ("shelf/migrations//x.py", "empty part"),
        ("shelf/migrations/a b.py", "characters a path may not use"),
        ("shelf/migrations/" + "x" * 200 + ".py", "too long"),
    ],
)
def test_a_learners_new_file_is_refused_by_name_with_its_reason(path, complaint):
    assert complaint in (learner_path_problem(path) or "")


def test_a_top_level_module_that_would_hide_a_package_of_the_image_is_refused():
    assert "would hide the flask package" in learner_path_problem("flask.py")
    assert "would hide the django package" in learner_path_problem("django/__init__.py")
    assert learner_path_problem("blog/flask_helpers.py") is None


@pytest.mark.parametrize(
    ("entry", "complaint"),
    [
        ("../x/**", "leaves the exercise"),
        ("/blog/**", "relative"),
        ("a**/b", "a part on its own"),
        ("blog/[ab]*.py", "characters a glob may not use"),
    ],
)
def test_a_malformed_editable_entry_is_named(entry, complaint):
    assert complaint in (entry_problem(entry) or "")


def test_one_path_check_serves_the_import_the_form_and_the_learner():
    for bad in ("./x.py", "a//b.py", "a\\b.py", "/etc/passwd", "a/../b.py"):
        assert path_problem(bad), bad
    assert path_problem("todos/templates/todos/list.html") is None


@pytest.fixture
def shelf(db):
    course, _ = course_import(FIXTURES / "real-apps-course")
    return course.exercises.get(slug="django-migration")


def test_the_fixture_exercise_imports_its_folder_and_the_workspace_starts_with_its_files(shelf):
    assert shelf.editable == ["shelf/models.py", "shelf/views.py", "shelf/migrations/"]
    assert set(shelf.editable_starter()) == {
        "shelf/models.py",
        "shelf/views.py",
        "shelf/migrations/0001_initial.py",
        "shelf/migrations/__init__.py",
    }
    assert "shelf/fixtures/books.json" in shelf.readonly_files()
    assert "shelf/migrations/0001_initial.py" not in shelf.readonly_files()


def test_a_submission_may_add_and_delete_files_in_an_editable_folder(shelf):
    sent = {"shelf/migrations/__init__.py": "", "shelf/migrations/0002_book_author.py": "# new\n"}
    cleaned = submission_files_clean(exercise=shelf, files=sent)
    assert cleaned["shelf/migrations/0002_book_author.py"] == "# new\n"
    assert "shelf/models.py" in cleaned  # listed: kept with its starter text
    app = shelf.app_files(cleaned)
    assert "shelf/migrations/0002_book_author.py" in app
    assert "shelf/migrations/0001_initial.py" not in app  # deleted by the learner
    assert "shelf/fixtures/books.json" in app  # read-only: always there


@pytest.mark.parametrize(
    ("files", "complaint"),
    [
        ({"shelf/fixtures/books.json": "[]"}, "not a file you can submit"),
        ({"shelf/migrations/.hidden.py": ""}, "names starting with a dot"),
        ({"shelf/migrations/__pycache__/a.py": ""}, "__pycache__ is reserved"),
        ({"shelf/migrations/0002": "", "shelf/migrations/0002/x.py": ""}, "both a file and a folder"),
        ({f"shelf/migrations/m{i}.py": "" for i in range(61)}, "at most 60"),
    ],
)
def test_a_submission_in_a_folder_is_refused_in_words(shelf, files, complaint):
    with pytest.raises(SubmissionRefused, match=complaint):
        submission_files_clean(exercise=shelf, files=files)
    with pytest.raises(SubmissionRefused, match="shelf/migrations/ \\(and new files there\\)"):
        submission_files_clean(exercise=shelf, files={"manage.py": ""})


def test_the_import_names_the_line_of_a_bad_entry_and_a_file_no_entry_covers(tmp_path):
    import shutil

    course = tmp_path / "real-apps-course"
    shutil.copytree(FIXTURES / "real-apps-course", course)
    exercise_md = course / "03-editable-folders" / "django-migration" / "exercise.md"
    good = exercise_md.read_text()
    exercise_md.write_text(good.replace("  - shelf/migrations/\n", "  - shelf/../migrations/**\n"))
    with pytest.raises(ContentError) as caught:
        load_course(course)
    assert f"{exercise_md}:8: editable:" in str(caught.value) and "leaves the exercise" in str(caught.value)
    exercise_md.write_text(good.replace("  - shelf/migrations/\n", "  - shelf/migrations/*.txt\n"))
    with pytest.raises(ContentError, match=r"solution/shelf/migrations/0002_book_author.py is not listed"):
        load_course(course)
    odd = course / "03-editable-folders" / "django-migration" / "starter" / "shelf" / "a file.py"
    exercise_md.write_text(good)
    odd.write_text("")
    with pytest.raises(ContentError, match="characters a path may not use"):
        load_course(course)
