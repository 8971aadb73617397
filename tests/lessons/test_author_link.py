"""The top bar's Author link follows can_author_anywhere on every page, whatever a
page says about authoring its own course."""

import pytest

from tests.conftest import signed_in

AUTHOR_LINK = 'href="/author/"'


@pytest.fixture
def instructor_elsewhere(other_instructor, course):
    """An instructor of another course, enrolled as a learner in the shipped one."""
    from course.models import Enrollment

    Enrollment.objects.create(user=other_instructor, course=course, role=Enrollment.Role.LEARNER)
    return signed_in("other-instructor")


def test_an_instructor_of_another_course_sees_the_author_link_on_this_courses_pages(instructor_elsewhere, course):
    lesson = course.lessons.first()
    exercise = course.exercises.get(slug="flask-hello")
    for url in (course.get_absolute_url(), lesson.get_absolute_url(), exercise.get_absolute_url()):
        response = instructor_elsewhere.get(url)
        assert response.status_code == 200, url
        assert AUTHOR_LINK in response.text, url
        assert 'class="author-tools"' not in response.text, url


def test_an_instructor_sees_the_author_link_on_preview_pages(instructor, course):
    client = signed_in("instructor")
    lesson = course.lessons.first()
    exercise = course.exercises.get(slug="flask-hello")
    for url in (
        f"/courses/{course.slug}/preview/",
        f"/courses/{course.slug}/preview/lessons/{lesson.slug}/",
        f"/courses/{course.slug}/preview/exercises/{exercise.slug}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert AUTHOR_LINK in response.text, url
        assert 'class="author-tools"' not in response.text, url


def test_an_instructor_gets_the_course_tools_on_their_own_course(instructor, course):
    response = signed_in("instructor").get(course.get_absolute_url())
    assert AUTHOR_LINK in response.text and 'class="author-tools"' in response.text


def test_a_learner_sees_neither(learner, course):
    response = signed_in("learner").get(course.get_absolute_url())
    assert AUTHOR_LINK not in response.text and 'class="author-tools"' not in response.text
