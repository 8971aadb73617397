"""Charts a grader reads at a glance: pass rate per exercise, attempts until the first
pass, the tests that fail most. Counted by the database, over learners only, drawn by the
server (SVG bars, no script) with every number also as text."""

import re

import pytest
from django.test import Client

from course import selectors
from sandbox.services import verdict_override
from tests.conftest import PASSWORD
from tests.course.helpers import graded


@pytest.fixture
def hello(course):
    return course.exercises.get(slug="flask-hello")


@pytest.fixture
def story(course, hello, learner, other_learner, grader):
    """learner: fail, fail, pass (3 attempts to pass). other-learner: fail, then a fail a
    grader overrode to pass (2 attempts). The grader's own submission counts for nothing."""
    graded(learner, hello, "fail", passed=1, failed=3, failing="test_greeting")
    graded(learner, hello, "fail", passed=3, failed=1, failing="test_greeting")
    graded(learner, hello, "pass")
    graded(other_learner, hello, "fail", passed=2, failed=2, failing="test_status")
    overridden = graded(other_learner, hello, "fail", passed=3, failed=1, failing="test_greeting")
    verdict_override(submission_id=overridden.id, by=grader, to_status="pass", reason="ok")
    graded(grader, hello, "fail", failing="test_graders_own")


def test_pass_rate_and_attempts_until_the_first_pass(course, hello, story, django_assert_max_num_queries):
    exercises = selectors.gradebook_exercises(course=course)
    with django_assert_max_num_queries(2):
        stats = {s.exercise.slug: s for s in selectors.exercise_stats(course=course, exercises=exercises)}
    assert (stats["flask-hello"].attempted, stats["flask-hello"].passed, stats["flask-hello"].pass_rate) == (2, 2, 100)
    assert stats["flask-hello"].mean_attempts == 2.5
    assert stats["django-hello"].attempted == 0 and stats["django-hello"].pass_rate == 0
    assert selectors.attempts_histogram(course=course, exercises=exercises) == [
        ("1", 0),
        ("2", 1),
        ("3", 1),
        ("4", 0),
        ("5+", 0),
    ]


def test_the_tests_that_fail_most(course, story):
    exercises = selectors.gradebook_exercises(course=course)
    stats = selectors.exercise_stats(course=course, exercises=exercises)
    failing = [(t.name, t.learners, t.share) for t in selectors.failing_tests(course=course, stats=stats)]
    assert failing[0] == ("test_greeting", 2, 100)
    assert ("test_status", 1, 50) in failing
    assert all(name != "test_graders_own" for name, _, _ in failing)


def test_the_page_draws_bars_with_the_numbers_as_text(course, story, grader):
    client = Client()
    client.login(username="grader", password=PASSWORD)
    page = client.get(f"/courses/{course.slug}/gradebook/charts/").text
    assert '<rect class="bar-pass" width="100" height="10"></rect>' in page
    assert '100% <span class="note">(2 of 2)</span>' in page
    assert '2.5 <span class="note">(2 passed)</span>' in page
    assert re.search(r'<span class="test-name">test_greeting</span>.*?2 <span class="note">\(100% of 2\)', page, re.S)
    assert "<script>" not in page.split("</main>")[0] and "cdn" not in page.lower()
    assert page.count('aria-hidden="true" focusable="false"') >= 3  # bars are decoration; text carries the data


def test_the_charts_filter_by_lesson(course, hello, story, grader):
    client = Client()
    client.login(username="grader", password=PASSWORD)
    response = client.get(f"/courses/{course.slug}/gradebook/charts/", {"lesson": hello.lesson.slug})
    assert [s.exercise.lesson_id for s in response.context["stats"]] == [hello.lesson_id] * 2
