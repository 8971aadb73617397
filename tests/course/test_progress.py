"""A learner's own progress on the course page: a progress bar and each lesson's state
(not started, in progress, passed), from their own submissions only."""

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory

from sandbox.services import verdict_override
from tests.conftest import PASSWORD
from tests.course.helpers import graded, pending


def course_page(course, username=None):
    client = Client()
    if username:
        assert client.login(username=username, password=PASSWORD)
    response = client.get(course.get_absolute_url())
    assert response.status_code == 200
    return response.text


@pytest.fixture
def hello_lesson(course):
    return course.exercises.get(slug="flask-hello").lesson


def lesson_state(page: str, title: str) -> str:
    start = page.index(f">{title}</a>", page.index('class="lesson-states"'))
    item = page[page.rindex("<li", 0, start) : page.index("</li>", start)]
    return item.split('class="lesson-state state-')[1].split('"')[0]


def test_a_learner_sees_their_progress_lesson_by_lesson(course, learner, hello_lesson, grader):
    flask_hello, django_hello = hello_lesson.exercises.order_by("number")
    routes = course.exercises.get(slug="flask-routes")
    graded(learner, flask_hello, "pass")
    failed = graded(learner, django_hello, "fail")
    graded(learner, routes, "fail")

    page = course_page(course, "learner")
    total = course.exercises.filter(published=True).count()
    assert f'<progress id="course-progress-bar" max="{total}" value="1"' in page
    assert f"1 of {total} exercises passed" in page
    assert lesson_state(page, hello_lesson.title) == "in_progress"
    assert lesson_state(page, routes.lesson.title) == "in_progress"
    assert lesson_state(page, course.lessons.order_by("-number").first().title) == "not_started"

    verdict_override(submission_id=failed.id, by=grader, to_status="pass", reason="ok")
    page = course_page(course, "learner")
    assert lesson_state(page, hello_lesson.title) == "passed"
    assert f"2 of {total} exercises passed" in page


def test_a_learner_never_sees_anyone_elses_progress(course, learner, other_learner, hello_lesson):
    for exercise in hello_lesson.exercises.all():
        graded(other_learner, exercise, "pass")
    pending(other_learner, course.exercises.get(slug="flask-routes"))
    page = course_page(course, "learner")
    assert "0 of" in page and "state-passed" not in page and "state-in_progress" not in page
    assert "Gradebook" not in page


def test_graders_get_links_to_the_review_pages(course, grader):
    page = course_page(course, "grader")
    assert f'href="/courses/{course.slug}/gradebook/"' in page
    assert f'href="/courses/{course.slug}/gradebook/charts/"' in page
    assert "Your progress" not in page


def test_no_progress_for_visitors_and_people_not_enrolled(course, outsider):
    assert "course-progress" not in course_page(course)
    assert "course-progress" not in course_page(course, "outsider")


def test_the_progress_box_costs_four_queries_whatever_the_course(course, learner, django_assert_max_num_queries):
    for exercise in course.exercises.all()[:5]:
        graded(learner, exercise, "pass")
    request = RequestFactory().get(course.get_absolute_url())
    request.user = learner
    box = Template("{% load course_progress %}{% course_progress %}")
    with django_assert_max_num_queries(4):  # role (for the review links), lessons, exercises, submissions
        html = box.render(Context({"course": course, "request": request, "role": "learner"}))
    assert "5 of" in html
