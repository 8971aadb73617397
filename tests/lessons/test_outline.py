"""The course outline each process keeps (lessons.outline): whatever changes a lesson or
an exercise shows on the next page, in this process and in any other."""

import pytest

from course.models import Enrollment, role_in, roles_of
from lessons import outline
from lessons.authoring import course_member_set, exercise_publish
from lessons.course_import import course_import
from lessons.models import Course, Exercise, Lesson
from tests.conftest import COURSE_DIR, signed_in


@pytest.fixture
def reader(learner):
    return signed_in("learner")


def course_page(client, course) -> str:
    response = client.get(course.get_absolute_url())
    assert response.status_code == 200
    return response.text


def test_a_renamed_exercise_shows_on_the_next_page(reader, course):
    assert "Hello, Flask" in course_page(reader, course)
    exercise = course.exercises.get(slug="flask-hello")
    exercise.title = "Greetings from Flask"
    exercise.save()
    page = course_page(reader, course)
    assert "Greetings from Flask" in page and "Hello, Flask" not in page


def test_an_exercise_taken_back_to_draft_leaves_the_outline_and_the_progress_box(reader, course):
    exercise = course.exercises.get(slug="flask-hello")
    total = sum(1 for _ in Exercise.objects.filter(course=course, published=True, lesson__published=True))
    page = course_page(reader, course)
    assert exercise.get_absolute_url() in page and f"0 of {total} exercises passed" in page
    exercise_publish(exercise=exercise, published=False)  # a bulk update: no signal
    page = course_page(reader, course)
    assert exercise.get_absolute_url() not in page
    assert f"0 of {total - 1} exercises passed" in page


def test_a_lesson_gone_from_the_folder_leaves_the_outline_on_reimport(reader, course, tmp_path):
    import shutil

    folder = tmp_path / COURSE_DIR.name  # the folder names the course
    shutil.copytree(COURSE_DIR, folder)
    lesson = course.lessons.order_by("-number").first()
    assert lesson.title in course_page(reader, course)
    shutil.rmtree(folder / lesson.folder)
    course_import(folder)  # unpublishes what is gone, in one update
    assert lesson.title not in course_page(reader, course)


def test_a_change_made_by_another_process_shows_here(reader, course):
    """Another process's change reaches this one through the course row alone: what this
    process holds is not told (no signal here), only the row's version moves."""
    course_page(reader, course)  # this process now holds the outline
    exercise = course.exercises.get(slug="flask-hello")
    Exercise.objects.filter(id=exercise.id).update(title="Changed elsewhere")
    assert "Changed elsewhere" not in course_page(reader, course)  # nothing said it changed
    Course.objects.filter(id=course.id).update(updated_at=course.updated_at.replace(year=2100))
    assert "Changed elsewhere" in course_page(reader, course)


def test_an_outline_is_read_once_per_version(course, django_assert_num_queries):
    course = Course.objects.get(id=course.id)
    outline.outline_of(course, fresh=True)
    with django_assert_num_queries(0):
        first = outline.outline_of(course)
        assert outline.outline_of(course) is first
    lesson = Lesson.objects.filter(course=course).first()
    lesson.title = "Renamed"
    lesson.save()  # touches the course row, and this object (the lesson holds no course object: by id)
    with django_assert_num_queries(1):
        course = Course.objects.get(id=course.id)
    with django_assert_num_queries(2):
        assert any(item.title == "Renamed" for item in outline.outline_of(course).lessons)


def test_the_course_object_a_change_was_made_with_is_kept_up_to_date(course):
    before = course.updated_at
    outline.outline_of(course)
    Exercise.objects.create(
        course=course, lesson=course.lessons.first(), slug="brand-new", number=99, title="Brand new", framework="flask"
    )
    assert course.updated_at > before
    assert any(e.slug == "brand-new" for lesson in outline.outline_of(course).lessons for e in lesson.exercises)


def test_roles_are_asked_once_per_user_object_and_forgotten_when_they_change(
    course, other_course, outsider, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert role_in(outsider, course) is None
        assert role_in(outsider, other_course) is None
        assert roles_of(outsider) == {}
    course_member_set(course=course, user=outsider, role=Enrollment.Role.GRADER)
    assert role_in(outsider, course) == Enrollment.Role.GRADER
    course_member_set(course=course, user=outsider, role=Enrollment.Role.INSTRUCTOR)
    assert role_in(outsider, course) == Enrollment.Role.INSTRUCTOR


def test_enrolling_shows_the_role_on_the_course_page(outsider, course):
    client = signed_in("outsider")
    assert "Enrol in this course" in course_page(client, course)
    client.post(f"/courses/{course.slug}/enrol/")
    page = course_page(client, course)
    assert "You take part as learner" in page and "Enrol in this course" not in page
