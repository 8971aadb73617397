"""The export writes the database back into the content folder: what was imported comes
back byte for byte, content changed in the database survives an export and a fresh
import, drafts stay drafts, and nothing is written outside the folder or over files it
was not asked to replace."""

import io
import shutil
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from lessons.course_export import ExportError, course_export, front_matter_dump
from lessons.course_folder import ContentError, load_course, read_document
from lessons.course_import import course_import
from lessons.models import Course, Exercise, ExerciseFile, Lesson
from sandbox.models import Submission
from tests.conftest import COURSE_DIR


def files_below(root: Path) -> dict[str, bytes]:
    """Every file as the import sees it (bytecode left out), by relative path."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


def folders_below(root: Path) -> set[str]:
    return {
        path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_dir() and path.name != "__pycache__"
    }


@pytest.fixture
def target(tmp_path) -> Path:
    """Where an export goes: named as the course, so importing it updates that course."""
    return tmp_path / "export" / "flask-and-django"


@pytest.fixture
def course_copy(tmp_path) -> Path:
    copy = tmp_path / "source" / "flask-and-django"
    shutil.copytree(COURSE_DIR, copy)
    return copy


def import_fresh(folder: Path) -> Course:
    """Import into an empty database, as on another machine."""
    Course.objects.all().delete()
    course, _ = course_import(folder)
    return course


def test_exporting_the_imported_course_gives_back_every_file_byte_for_byte(course, target):
    export = course_export(course=course, folder=target)
    source, exported = files_below(COURSE_DIR), files_below(target)
    assert sorted(exported) == sorted(source), "files missing from, or added by, the export"
    assert [path for path in source if exported[path] != source[path]] == []
    assert folders_below(target) == folders_below(COURSE_DIR)
    assert (export.warnings, export.left, len(export.written)) == ([], [], len(source))


def test_a_second_export_over_the_first_changes_nothing(course, target):
    course_export(course=course, folder=target)
    again = course_export(course=course, folder=target, force=True)
    assert again.changed == [] and again.left == []


def test_content_changed_in_the_database_survives_an_export_and_a_fresh_import(course, target):
    lesson = course.lessons.get(slug="hello-world")
    lesson.title = "Hello, world: ‘twice’ — # not a comment"
    lesson.body = "A new body.\n\n```python\nprint('hi')\n```\n"
    lesson.save()
    exercise = course.exercises.get(slug="flask-hello")
    exercise.hints = ["yes", "Two lines:\n---\nthe second", "  leading spaces", "Zürich: 1.0"]
    exercise.limits = {"wall_seconds": 5}
    exercise.save()
    test_file = exercise.files.get(kind=ExerciseFile.Kind.TEST, path="test_hello.py")
    test_file.content += "\n\ndef test_more(client):\n    assert client.get('/').ok\n"
    test_file.save()

    course_export(course=course, folder=target)
    again = import_fresh(target)

    lesson, exercise = again.lessons.get(slug="hello-world"), again.exercises.get(slug="flask-hello")
    assert lesson.title == "Hello, world: ‘twice’ — # not a comment"
    assert lesson.body == "A new body.\n\n```python\nprint('hi')\n```\n"
    assert exercise.hints == ["yes", "Two lines:\n---\nthe second", "  leading spaces", "Zürich: 1.0"]
    assert exercise.limits == {"wall_seconds": 5}
    assert exercise.files_of("tests")["test_hello.py"] == test_file.content
    assert (exercise.framework, exercise.entrypoint, exercise.editable) == ("flask", "app:app", ["app.py"])


def test_changed_front_matter_is_written_fresh_in_a_stable_order_and_the_rest_as_imported(course, target):
    exercise = course.exercises.get(slug="flask-hello")
    exercise.limits = {"wall_seconds": 5}
    exercise.save()
    course_export(course=course, folder=target)
    written = read_document(target / "02-hello-world" / "flask-hello" / "exercise.md")
    assert list(written.meta) == ["title", "framework", "entrypoint", "editable", "limits", "hints"]
    assert "\n  - app.py\n" in written.meta_text, "list items are indented under their key, as the course is written"
    untouched = "02-hello-world/django-hello/exercise.md"
    assert (target / untouched).read_bytes() == (COURSE_DIR / untouched).read_bytes()


@pytest.mark.parametrize(
    "text", ["---", "yes", "null", "1.0", "a: b", "# hash", "  padded  ", "two\nlines\n", "tab\there", "‘quotes’ — ü"]
)
def test_fresh_front_matter_reads_back_as_the_same_text(text):
    meta = {"title": text, "hints": [text, f"{text}\n---\n{text}"]}
    dumped = front_matter_dump(meta)
    assert yaml.safe_load(dumped) == meta
    assert "\n---\n" not in f"\n{dumped}", "a line '---' would end the front matter early"


def test_importing_a_changed_export_updates_in_place_and_keeps_submissions(course, learner, target):
    lesson, exercise = course.lessons.get(slug="hello-world"), course.exercises.get(slug="flask-hello")
    submission = Submission.objects.create(
        user=learner, exercise=exercise, exercise_version=exercise.version, files={"app.py": ""}
    )
    course_export(course=course, folder=target)
    (target / "02-hello-world" / "lesson.md").write_text("---\ntitle: Hello again\n---\nNew.\n")
    test_file = target / "02-hello-world" / "flask-hello" / "tests" / "test_hello.py"
    test_file.write_text(test_file.read_text() + "\n\ndef test_extra(client):\n    assert True\n")

    again, changes = course_import(target)

    assert again.pk == course.pk and changes
    assert Lesson.objects.get(pk=lesson.pk).title == "Hello again"
    assert Exercise.objects.get(pk=exercise.pk).version == exercise.version + 1
    assert Submission.objects.filter(pk=submission.pk, exercise_version=exercise.version).exists()


def test_shared_tests_are_written_once_in_the_lessons_tests_folder(course, target):
    course_export(course=course, folder=target)
    shared = list(course.exercises.filter(tests_shared=True).select_related("lesson"))
    assert shared, "the shipped course shares tests between its Flask and Django exercises"
    for exercise in shared:
        lesson_tests = target / exercise.lesson.folder / "tests"
        assert not (target / exercise.lesson.folder / exercise.slug / "tests").exists()
        assert files_below(lesson_tests) == {p: t.encode() for p, t in exercise.files_of("tests").items()}
        assert read_document(target / exercise.lesson.folder / exercise.slug / "exercise.md").meta["tests"] == "shared"


def test_shared_tests_that_drifted_apart_are_each_kept_exactly(course, target):
    flask, django = course.exercises.get(slug="flask-api"), course.exercises.get(slug="django-api")
    test_file = flask.files.get(kind=ExerciseFile.Kind.TEST)
    test_file.content += "\n# changed for Flask only\n"
    test_file.save()
    before = {e.slug: e.files_of("tests") for e in (flask, django)}

    export = course_export(course=course, folder=target)

    assert [w for w in export.warnings if "tests of its own" in w] == [
        "06-json-apis/flask-api: its “tests: shared” differ from the lesson's tests/, so it is written with tests of its own"
    ]
    assert (target / "06-json-apis" / "flask-api" / "tests").is_dir()
    again = import_fresh(target)
    assert {slug: again.exercises.get(slug=slug).files_of("tests") for slug in before} == before
    assert again.exercises.get(slug="django-api").tests_shared


def test_drafts_are_exported_and_stay_unpublished_on_import(course, target):
    Lesson.objects.filter(course=course, slug="routing").update(published=False)
    Exercise.objects.filter(course=course, slug="flask-hello").update(published=False)

    course_export(course=course, folder=target)
    assert "\npublished: false\n" in (target / "03-routing" / "lesson.md").read_text()
    assert "\npublished: false\n" in (target / "02-hello-world" / "flask-hello" / "exercise.md").read_text()

    course_import(target)
    _, changes = course_import(target)
    assert changes == [], "the drafts' front matter is stored once, then nothing changes"
    assert not Lesson.objects.get(course=course, slug="routing").published
    again = import_fresh(target)
    assert not again.lessons.get(slug="routing").published
    assert not again.exercises.get(slug="flask-hello").published
    assert again.exercises.get(slug="django-hello").published


def test_published_must_be_true_or_false_and_names_its_line(course_copy, db):
    lesson_md = course_copy / "02-hello-world" / "lesson.md"
    lesson_md.write_text(lesson_md.read_text().replace("title:", "published: later\ntitle:", 1))
    with pytest.raises(ContentError, match=r"lesson\.md:2: “published” should be true or false, not 'later'"):
        course_import(course_copy)


def test_blank_lines_after_the_front_matter_come_back_too(course_copy, db, target):
    lesson_md = course_copy / "02-hello-world" / "lesson.md"
    front_matter, end, body = lesson_md.read_text().partition("\n---\n")
    lesson_md.write_text(f"{front_matter}{end}\n\n{body}")
    course, _ = course_import(course_copy)
    _, changes = course_import(course_copy)
    assert changes == []
    course_export(course=course, folder=target)
    assert (target / "02-hello-world" / "lesson.md").read_bytes() == lesson_md.read_bytes()


def test_a_lesson_renumbered_in_the_database_is_written_under_its_new_number(course, target):
    Lesson.objects.filter(course=course, slug="hello-world").update(number=20)
    course_export(course=course, folder=target)
    assert (target / "20-hello-world" / "flask-hello" / "exercise.md").is_file()
    assert not (target / "02-hello-world").exists()
    assert import_fresh(target).lessons.get(slug="hello-world").number == 20


def test_it_refuses_a_folder_that_is_not_empty(course, target):
    target.mkdir(parents=True)
    (target / "notes.txt").write_text("mine")
    with pytest.raises(CommandError, match=r"is not empty: .* --force"):
        call_command("export_course", "flask-and-django", str(target))
    assert [p.name for p in target.iterdir()] == ["notes.txt"]


def test_force_replaces_the_course_files_and_leaves_every_other_file(course, target):
    course_export(course=course, folder=target)
    lesson_md = target / "02-hello-world" / "lesson.md"
    lesson_md.write_text("edited by hand")
    (target / "notes.txt").write_text("mine")

    export = course_export(course=course, folder=target, force=True)

    assert lesson_md.read_bytes() == (COURSE_DIR / "02-hello-world" / "lesson.md").read_bytes()
    assert (target / "notes.txt").read_text() == "mine"
    assert (export.changed, export.left) == (["02-hello-world/lesson.md"], ["notes.txt"])


def test_an_unknown_course_is_named(db, target):
    with pytest.raises(CommandError, match=r"no course named 'no-such-course'"):
        call_command("export_course", "no-such-course", str(target))
    assert not target.exists()


def test_the_command_reports_what_it_wrote_and_warns_about_the_folder_name(course, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    call_command("export_course", "flask-and-django", str(tmp_path / "elsewhere"), stdout=out, stderr=err)
    assert f"{len(files_below(COURSE_DIR))} files in" in out.getvalue()
    assert "makes a course named 'elsewhere'" in err.getvalue()


def test_a_file_path_that_leaves_its_exercise_is_refused_before_anything_is_written(course, target):
    exercise = course.exercises.get(slug="flask-hello")
    ExerciseFile.objects.create(exercise=exercise, kind=ExerciseFile.Kind.STARTER, path="../../../escape.py")
    with pytest.raises(ExportError, match=r"file path '\.\./\.\./\.\./escape\.py' is not a plain relative path"):
        course_export(course=course, folder=target)
    assert not target.exists()
    assert not list(target.parent.parent.rglob("escape.py"))


def test_it_never_writes_through_a_symbolic_link(course, target, tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text("not yours")
    target.mkdir(parents=True)
    (target / "course.md").symlink_to(outside)
    with pytest.raises(ExportError, match=r"course\.md is a symbolic link"):
        course_export(course=course, folder=target, force=True)
    assert outside.read_text() == "not yours"


def test_setup_steps_round_trip_and_an_edited_one_is_written_fresh(db, tmp_path):
    """The fixture course of real-size apps (setup steps among its keys) comes back byte
    for byte; a setup changed in the database is written in the front matter's order."""
    from lessons.authoring import exercise_update
    from lessons.forms import ExerciseForm

    source = Path(__file__).resolve().parent.parent / "fixtures" / "real-apps-course"
    course, _ = course_import(source)
    target = tmp_path / "export" / "real-apps-course"
    course_export(course=course, folder=target)
    assert files_below(target) == files_below(source)

    exercise = course.exercises.get(slug="flask-init-db")
    form = ExerciseForm(instance=exercise, course=course)
    data = {**form.initial, "setup_lines": "flask --app notesdb init-db\nflask --app notesdb seed"}
    data = {key: value for key, value in data.items() if value is not None}
    data.update(lesson=exercise.lesson_id, instructions=exercise.instructions)
    form = ExerciseForm(data, instance=exercise, course=course)
    assert form.is_valid(), form.errors
    saved = exercise_update(
        exercise_id=exercise.id, data=form.exercise_data(), files=_files_of(exercise), based_on_version=None
    )
    assert saved.new_version  # setup is part of what grades an exercise
    again = tmp_path / "again" / "real-apps-course"
    course_export(course=course, folder=again)
    text = (again / "02-setup-steps" / "flask-init-db" / "exercise.md").read_text()
    assert "setup:\n  - flask --app notesdb init-db\n  - flask --app notesdb seed\n" in text
    assert text.index("editable:") < text.index("setup:")
    assert course_import(again)[0].exercises.get(slug="flask-init-db").setup[-1] == "flask --app notesdb seed"


def _files_of(exercise):
    return {(f.kind, f.path): f.content for f in exercise.files.all()}


@pytest.mark.parametrize(
    ("document", "old", "new", "complaint"),
    [
        (
            "02-setup-steps/flask-init-db/exercise.md",
            "setup:",
            "setpu:",
            r"exercise.md:\d+: unknown key “setpu” \(did you mean “setup”\?\)",
        ),
        ("02-setup-steps/lesson.md", "title:", "x-owner: ada\ntitel:", r"lesson.md:3: unknown key “titel”"),
        (
            "course.md",
            "title:",
            "summery: x\ntitle:",
            r"course.md:2: unknown key “summery” \(did you mean “summary”\?\)",
        ),
        (
            "02-setup-steps/flask-init-db/variants/no-404/variant.md",
            "description:",
            "removed: []\ndescription:",
            r"variant.md:2: unknown key “removed” \(did you mean “remove”\?\)",
        ),
    ],
)
def test_an_unknown_front_matter_key_is_named_with_its_file_and_line(tmp_path, document, old, new, complaint):
    source = tmp_path / "real-apps-course"
    shutil.copytree(Path(__file__).resolve().parent.parent / "fixtures" / "real-apps-course", source)
    path = source / document
    path.write_text(path.read_text().replace(old, new, 1))
    with pytest.raises(ContentError, match=complaint):
        load_course(source)


def test_keys_of_the_authors_own_are_kept_and_written_back_even_when_the_rest_is_fresh(db, tmp_path):
    source = tmp_path / "real-apps-course"
    shutil.copytree(Path(__file__).resolve().parent.parent / "fixtures" / "real-apps-course", source)
    path = source / "04-writing-tests" / "flask-todo-tests" / "exercise.md"
    path.write_text(path.read_text().replace("kind: tests\n", "kind: tests\nx-reviewed-by: ada\n"))
    course, _ = course_import(source)
    exercise = course.exercises.get(slug="flask-todo-tests")
    exercise.reveal_missed_after = 5  # written fresh now, in the keys' order
    exercise.save()
    course_export(course=course, folder=tmp_path / "out" / "real-apps-course")
    text = (tmp_path / "out" / "real-apps-course" / "04-writing-tests" / "flask-todo-tests" / "exercise.md").read_text()
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta["x-reviewed-by"] == "ada" and meta["reveal_missed_after"] == 5 and meta["kind"] == "tests"
    assert list(meta)[:2] == ["title", "kind"]
