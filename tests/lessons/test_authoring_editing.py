"""Instructors edit courses, lessons and exercises in the browser: markdown is rendered
and sanitized on save, bad input gets a clear message and changes nothing, and what
grades an exercise is checked as strictly as the content import checks a folder."""

import pytest
from django.test import Client
from django.urls import reverse

from course.models import Enrollment
from lessons.models import LIMIT_NAMES, Course, Exercise, Lesson
from tests.conftest import signed_in


@pytest.fixture
def author(instructor) -> Client:
    return signed_in("instructor")


@pytest.fixture
def exercise(course) -> Exercise:
    return course.exercises.get(slug="flask-hello")


def files_of(exercise: Exercise) -> dict[tuple[str, str], str]:
    return {(f.kind, f.path): f.content for f in exercise.files.all()}


def exercise_form(exercise: Exercise, files: dict | None = None, **changes) -> dict:
    """What the edit page posts back when nothing is changed, with ``changes`` applied."""
    files = files_of(exercise) if files is None else files
    data = {
        "lesson": exercise.lesson_id,
        "title": exercise.title,
        "slug": exercise.slug,
        "number": exercise.number,
        "framework": exercise.framework,
        "entrypoint": exercise.entrypoint,
        "instructions": exercise.instructions,
        "editable_paths": "\n".join(exercise.editable),
        "hint_lines": "\n".join(exercise.hints),
        "based_on_version": exercise.version,
        **{key: (exercise.limits or {}).get(key, "") for key in LIMIT_NAMES},
        "files-TOTAL_FORMS": len(files),
        "files-INITIAL_FORMS": 0,
        "files-MIN_NUM_FORMS": 0,
        "files-MAX_NUM_FORMS": 200,
    }
    for index, ((kind, path), content) in enumerate(sorted(files.items())):
        data |= {f"files-{index}-kind": kind, f"files-{index}-path": path, f"files-{index}-content": content}
    return data | changes


def edit_url(exercise: Exercise) -> str:
    return reverse("lessons:author_exercise", args=[exercise.course.slug, exercise.slug])


# --- Courses ---------------------------------------------------------------------------


def test_an_instructor_creates_a_course_and_becomes_its_instructor(course, other_instructor):
    client = signed_in("other-instructor")
    response = client.post(
        reverse("lessons:author_course_create"),
        {"title": "Web APIs", "slug": "web-apis", "summary": "REST", "body": "Hi <script>alert(1)</script>**there**"},
    )
    new = Course.objects.get(slug="web-apis")
    assert response.status_code == 302 and response["Location"] == reverse("lessons:author_course", args=["web-apis"])
    assert Enrollment.objects.get(course=new, user=other_instructor).role == "instructor"
    assert not new.published  # a new course is a draft until its instructor publishes it
    assert "<script" not in new.body_html and "<strong>there</strong>" in new.body_html
    assert client.get(new.get_absolute_url()).status_code == 404
    assert client.get(reverse("lessons:preview_course", args=["web-apis"])).status_code == 200


def test_a_course_needs_a_new_lowercase_slug(course, author):
    for slug, error in [("flask-and-django", "already exists"), ("Web_APIs", "lowercase letters")]:
        response = author.post(reverse("lessons:author_course_create"), {"title": "X", "slug": slug})
        assert response.status_code == 200 and error in response.text
    assert Course.objects.count() == 1


def test_editing_a_course_renders_its_body_and_drops_front_matter_that_no_longer_holds(course, author):
    Course.objects.filter(id=course.id).update(front_matter="title: Flask and Django, side by side\n")
    response = author.post(
        reverse("lessons:author_course_edit", args=[course.slug]),
        {
            "title": "Flask & Django",
            "summary": course.summary,
            "body": "<img src=x onerror=alert(1)>*new*",
            "published": "on",
        },
    )
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.title == "Flask & Django" and course.front_matter == ""
    assert "onerror" not in course.body_html and "<em>new</em>" in course.body_html


def test_an_instructor_adds_people_by_username_with_a_role(course, author, outsider):
    url = reverse("lessons:author_people", args=[course.slug])
    assert author.post(url, {"username": "outsider", "role": "grader"}).status_code == 302
    assert Enrollment.objects.get(course=course, user=outsider).role == "grader"
    author.post(url, {"username": "outsider", "role": "instructor"})
    assert Enrollment.objects.get(course=course, user=outsider).role == "instructor"
    page = author.post(url, {"username": "nobody-here", "role": "learner"})
    assert page.status_code == 200 and "No one has the username “nobody-here”" in page.text
    assert "outsider" in author.get(url).text


def test_the_last_instructor_cannot_be_turned_into_a_learner(course, author):
    response = author.post(
        reverse("lessons:author_people", args=[course.slug]), {"username": "instructor", "role": "learner"}
    )
    assert response.status_code == 200 and "only instructor" in response.text
    assert Enrollment.objects.get(course=course, user__username="instructor").role == "instructor"


# --- Lessons ---------------------------------------------------------------------------


def test_a_new_lesson_gets_its_folder_and_is_a_draft_until_published(course, author, learner):
    response = author.post(
        reverse("lessons:author_lesson_create", args=[course.slug]),
        {"title": "Caching", "slug": "caching", "number": 15, "body": "## Why\n<script>x()</script>"},
    )
    lesson = Lesson.objects.get(course=course, slug="caching")
    assert response.status_code == 302
    assert lesson.folder == "15-caching" and not lesson.published
    assert '<h2 id="h-why">Why</h2>' in lesson.body_html and "<script" not in lesson.body_html
    assert signed_in("learner").get(lesson.get_absolute_url()).status_code == 404
    assert "Caching" not in signed_in("learner").get(course.get_absolute_url()).text

    author.post(
        reverse("lessons:author_lesson", args=[course.slug, "caching"]),
        {"title": "Caching", "slug": "caching", "number": 15, "body": "## Why", "published": "on"},
    )
    assert signed_in("learner").get(lesson.get_absolute_url()).status_code == 200


def test_a_body_typed_in_a_browser_is_kept_as_git_would_hold_it(course, author):
    """Browsers send CRLF and no final newline; the export should not inherit either."""
    author.post(
        reverse("lessons:author_lesson", args=[course.slug, "routing"]),
        {"title": "Routing", "slug": "routing", "number": 3, "body": "## One\r\n\r\nTwo", "published": "on"},
    )
    assert Lesson.objects.get(course=course, slug="routing").body == "## One\n\nTwo\n"


def test_renumbering_a_lesson_renames_its_folder_and_slugs_stay_unique(course, author):
    url = reverse("lessons:author_lesson", args=[course.slug, "routing"])
    lesson = Lesson.objects.get(course=course, slug="routing")
    data = {"title": lesson.title, "slug": "routing", "number": 21, "body": lesson.body, "published": "on"}
    assert author.post(url, data).status_code == 302
    assert Lesson.objects.get(id=lesson.id).folder == "21-routing"
    response = author.post(url, data | {"slug": "templates"})
    assert response.status_code == 200 and "Another lesson of this course is called “templates”" in response.text
    assert Lesson.objects.get(id=lesson.id).slug == "routing"


# --- Exercises -------------------------------------------------------------------------


def test_changing_only_words_keeps_the_version_and_hints_keep_their_order(exercise, author):
    response = author.post(
        edit_url(exercise),
        exercise_form(exercise, title="Hello, Flask!", hint_lines="Third\nFirst\n\nSecond", instructions="Do **it**"),
    )
    assert response.status_code == 302
    exercise.refresh_from_db()
    assert exercise.title == "Hello, Flask!" and exercise.version == 1 and exercise.published
    assert exercise.hints == ["Third", "First", "Second"]
    assert exercise.instructions_html == "<p>Do <strong>it</strong></p>"


def test_changing_a_test_makes_a_new_version_and_a_draft_keeping_submissions(exercise, author, learner):
    from sandbox.models import Submission

    old = Submission.objects.create(user=learner, exercise=exercise, exercise_version=1, files={"app.py": "mine"})
    files = files_of(exercise)
    files[("tests", "test_hello.py")] += "\n\ndef test_more(client):\n    assert client.get('/').ok\n"
    response = author.post(edit_url(exercise), exercise_form(exercise, files=files), follow=True)
    exercise.refresh_from_db()
    assert exercise.version == 2 and not exercise.published
    assert "Saved as version 2" in response.text and "draft again" in response.text
    assert files_of(exercise)[("tests", "test_hello.py")].endswith("assert client.get('/').ok\n")
    assert Submission.objects.get(id=old.id).files == {"app.py": "mine"}


@pytest.mark.parametrize(
    "change",
    [
        {"framework": "django"},
        {"entrypoint": "app:create_app()"},
        {"editable_paths": "app.py\ntemplates/home.html"},
        {"wall_seconds": "5"},
    ],
)
def test_what_grades_the_exercise_makes_a_new_version(change, exercise, author):
    assert author.post(edit_url(exercise), exercise_form(exercise, **change)).status_code == 302
    assert Exercise.objects.get(id=exercise.id).version == 2


def test_limits_above_the_site_maxima_are_refused_with_a_clear_message(exercise, author, settings):
    response = author.post(edit_url(exercise), exercise_form(exercise, memory_mb="4096", wall_seconds="0"))
    assert response.status_code == 200
    assert f"The site allows at most {settings.SANDBOX_MAX_LIMITS['memory_mb']:,} here." in response.text
    assert "greater than or equal to 0.1" in response.text
    assert Exercise.objects.get(id=exercise.id).limits == {}


def test_limits_within_the_maxima_are_kept_as_written(exercise, author):
    author.post(edit_url(exercise), exercise_form(exercise, memory_mb="512", wall_seconds="5", cpus="0.5"))
    exercise.refresh_from_db()
    assert exercise.limits == {"memory_mb": 512, "wall_seconds": 5, "cpus": 0.5}
    assert exercise.sandbox_limits()["memory_mb"] == 512


@pytest.mark.parametrize(
    ("path", "error"),
    [
        ("/etc/passwd", "should be a relative path"),
        ("../outside.py", "leaves the exercise"),
        ("a//b.py", "leaves the exercise"),
        ("app\\x.py", "characters a path may not use"),
        ("tests/ my.py", "characters a path may not use"),
    ],
)
def test_file_paths_stay_inside_the_exercise(path, error, exercise, author):
    files = files_of(exercise) | {("starter", path): "x = 1\n"}
    response = author.post(edit_url(exercise), exercise_form(exercise, files=files))
    assert response.status_code == 200 and error in response.text
    assert Exercise.objects.get(id=exercise.id).version == 1


def test_an_editable_path_that_leaves_the_exercise_is_refused(exercise, author):
    response = author.post(edit_url(exercise), exercise_form(exercise, editable_paths="app.py\n../../etc/passwd"))
    assert response.status_code == 200 and "leaves the exercise" in response.text


def test_solution_files_must_be_editable_and_tests_and_solution_exist(exercise, author):
    files = files_of(exercise) | {("solution", "helpers.py"): "x = 1\n"}
    response = author.post(edit_url(exercise), exercise_form(exercise, files=files))
    assert "The solution file helpers.py is not listed in “Editable files”" in response.text

    no_tests = {key: text for key, text in files_of(exercise).items() if key[0] != "tests"}
    assert "at least one test file" in author.post(edit_url(exercise), exercise_form(exercise, files=no_tests)).text
    no_solution = {key: text for key, text in files_of(exercise).items() if key[0] != "solution"}
    response = author.post(edit_url(exercise), exercise_form(exercise, files=no_solution))
    assert "at least one solution file" in response.text
    assert Exercise.objects.get(id=exercise.id).version == 1


def test_binary_oversized_and_duplicate_files_are_refused(exercise, author):
    for extra, error in [
        ({("starter", "blob.bin"): "PNG\x00\x01"}, "binary file"),
        ({("starter", "big.py"): "x" * (300 * 1024)}, "a file may be at most 256 KiB"),
    ]:
        response = author.post(edit_url(exercise), exercise_form(exercise, files=files_of(exercise) | extra))
        assert response.status_code == 200 and error in response.text
    data = exercise_form(exercise)
    extra = data["files-TOTAL_FORMS"]
    data |= {
        "files-TOTAL_FORMS": extra + 1,
        f"files-{extra}-kind": "starter",
        f"files-{extra}-path": "app.py",
        f"files-{extra}-content": "other",
    }
    assert "There are two starter files called app.py" in author.post(edit_url(exercise), data).text
    assert Exercise.objects.get(id=exercise.id).version == 1


def test_removing_a_file_and_windows_line_ends(exercise, author):
    files = files_of(exercise) | {("starter", "notes.txt"): "a\r\nb\r\n"}
    author.post(edit_url(exercise), exercise_form(exercise, files=files))
    exercise.refresh_from_db()
    assert files_of(exercise)[("starter", "notes.txt")] == "a\nb\n" and exercise.version == 2
    data = exercise_form(exercise)
    index = sorted(files_of(exercise)).index(("starter", "notes.txt"))
    author.post(edit_url(exercise), data | {f"files-{index}-DELETE": "on"})
    exercise.refresh_from_db()
    assert ("starter", "notes.txt") not in files_of(exercise) and exercise.version == 3


def test_a_form_opened_on_an_older_version_does_not_undo_a_newer_one(exercise, author):
    stale = exercise_form(exercise, title="Stale edit")
    files = files_of(exercise)
    files[("starter", "app.py")] += "# newer\n"
    author.post(edit_url(exercise), exercise_form(exercise, files=files))
    response = author.post(edit_url(exercise), stale)
    assert response.status_code == 200 and "version 2 of this exercise was saved" in response.text
    exercise.refresh_from_db()
    assert exercise.title != "Stale edit" and files_of(exercise)[("starter", "app.py")].endswith("# newer\n")


def test_editing_shared_tests_gives_the_exercise_its_own_copy(course, author):
    shared = course.exercises.filter(tests_shared=True).select_related("lesson").first()
    sibling = shared.lesson.exercises.exclude(id=shared.id).get(tests_shared=True)
    before = files_of(sibling)
    files = files_of(shared)
    test_key = next(key for key in files if key[0] == "tests")
    files[test_key] += "\n# only here\n"
    response = author.post(edit_url(shared), exercise_form(shared, files=files), follow=True)
    assert "it now has its own copy" in response.text
    shared.refresh_from_db()
    assert not shared.tests_shared and shared.version == 2
    assert files_of(sibling) == before and Exercise.objects.get(id=sibling.id).tests_shared


def test_a_new_exercise_starts_from_a_working_skeleton_as_a_draft(course, author):
    lesson = Lesson.objects.get(course=course, slug="routing")
    url = reverse("lessons:author_exercise_create", args=[course.slug, lesson.slug])
    page = author.get(url)
    assert page.status_code == 200 and "test_home.py" in page.text
    form = page.context["form"]
    formset = page.context["formset"]
    data = {
        "lesson": lesson.id,
        "title": "Routes, again",
        "slug": "flask-routes-again",
        "number": form.initial["number"],
        "framework": "flask",
        "entrypoint": "app:app",
        "editable_paths": "app.py",
        "instructions": "Add a route.",
        "hint_lines": "",
        "files-TOTAL_FORMS": len(formset.initial),
        "files-INITIAL_FORMS": len(formset.initial),
        "files-MIN_NUM_FORMS": 0,
        "files-MAX_NUM_FORMS": 200,
    }
    for index, row in enumerate(formset.initial):
        data |= {f"files-{index}-{key}": value for key, value in row.items()}
    response = author.post(url, data)
    exercise = Exercise.objects.get(course=course, slug="flask-routes-again")
    assert response.status_code == 302 and response["Location"] == edit_url(exercise)
    assert exercise.version == 1 and not exercise.published and exercise.validated_version is None
    assert set(files_of(exercise)) == {("starter", "app.py"), ("solution", "app.py"), ("tests", "test_home.py")}
    assert author.post(url, data).status_code == 200  # the slug is taken now
    assert Exercise.objects.filter(slug="flask-routes-again").count() == 1


def test_an_exercise_slug_is_fixed_once_learners_have_submitted(exercise, author, learner):
    from sandbox.models import Submission

    Submission.objects.create(user=learner, exercise=exercise, exercise_version=1, files={})
    author.post(edit_url(exercise), exercise_form(exercise, slug="renamed"))
    assert Exercise.objects.get(id=exercise.id).slug == "flask-hello"


def test_moving_an_exercise_with_shared_tests_to_another_lesson_keeps_a_copy_of_them(course, author):
    shared = course.exercises.filter(tests_shared=True).first()
    elsewhere = Lesson.objects.filter(course=course).exclude(id=shared.lesson_id).first()
    tests = {key: text for key, text in files_of(shared).items() if key[0] == "tests"}
    author.post(edit_url(shared), exercise_form(shared, lesson=elsewhere.id))
    shared.refresh_from_db()
    assert shared.lesson_id == elsewhere.id and not shared.tests_shared
    assert {key: text for key, text in files_of(shared).items() if key[0] == "tests"} == tests


def test_an_exercise_becomes_one_where_the_learner_writes_the_tests_with_an_app_and_variants(exercise, author):
    app = {("app", "app.py"): files_of(exercise)[("solution", "app.py")]}
    tests = {
        ("starter", "test_app.py"): "def test_nothing():\n    pass\n",
        (
            "solution",
            "test_app.py",
        ): "from app import app\n\n\ndef test_home():\n    assert app.test_client().get('/').status_code == 200\n",
    }
    variant = {
        ("variants", "no-home/variant.md"): "---\ndescription: Has no home page.\n---\n",
        ("variants", "no-home/app.py"): "from flask import Flask\n\napp = Flask(__name__)\n",
    }
    form = exercise_form(
        exercise, files=app | tests | variant, kind="tests", editable_paths="test_app.py", reveal_missed_after=2
    )
    hidden = exercise_form(
        exercise, files=files_of(exercise) | app | tests | variant, kind="tests", editable_paths="test_app.py\napp.py"
    )
    assert "there are no hidden test files" in author.post(edit_url(exercise), hidden).text
    no_variant = exercise_form(exercise, files=app | tests, kind="tests", editable_paths="test_app.py")
    assert "need buggy versions to catch" in author.post(edit_url(exercise), no_variant).text
    no_app = exercise_form(exercise, files=tests | variant, kind="tests", editable_paths="test_app.py")
    assert "need the app they test" in author.post(edit_url(exercise), no_app).text
    reveal = exercise_form(exercise, reveal_missed_after=2)
    assert "Only an exercise where the learner writes the tests" in author.post(edit_url(exercise), reveal).text
    assert Exercise.objects.get(id=exercise.id).version == 1

    assert author.post(edit_url(exercise), form).status_code == 302
    exercise.refresh_from_db()
    assert (exercise.kind, exercise.reveal_missed_after, exercise.version) == ("tests", 2, 2)  # a new version
    assert exercise.readonly_files() == {"app.py": app[("app", "app.py")]}
    assert exercise.editable_starter() == {"test_app.py": "def test_nothing():\n    pass\n"}
