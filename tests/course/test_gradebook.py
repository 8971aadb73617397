"""The gradebook: learners × exercises with status, attempts, best result and last
activity; filtered, sorted and paged by the database, in a bounded number of queries
however big the class."""

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from course.models import Enrollment
from lessons.models import Exercise, Lesson
from sandbox.services import comment_create, verdict_override
from tests.conftest import PASSWORD
from tests.course.helpers import big_class, graded, pending

User = get_user_model()


@pytest.fixture
def hello(course):
    return course.exercises.get(slug="flask-hello")


@pytest.fixture
def routes(course):
    return course.exercises.get(slug="flask-routes")


@pytest.fixture
def grader_client(grader):
    client = Client()
    assert client.login(username="grader", password=PASSWORD)
    return client


def cell_of(page: str, username: str, exercise_slug: str, exercise_slugs: list[str]) -> str:
    """The class of the learner's cell for an exercise, read from the rendered table."""
    row = re.search(rf'<tr>\s*<th scope="row" class="learner"><a [^>]*>{re.escape(username)}</a>.*?</tr>', page, re.S)
    assert row, f"no row for {username}"
    cells = re.findall(r'<td class="cell (cell-\w+)">', row.group(0))
    return cells[exercise_slugs.index(exercise_slug)]


def gradebook(client, course, **params):
    response = client.get(f"/courses/{course.slug}/gradebook/", params)
    assert response.status_code == 200
    return response


def test_each_cell_shows_status_attempts_best_result_and_links_the_latest_attempt(
    grader_client, course, learner, other_learner, hello, routes
):
    graded(learner, hello, "fail", passed=1, failed=3)
    graded(learner, hello, "fail", passed=3, failed=1)
    latest = graded(learner, hello, "pass")
    graded(other_learner, hello, "fail", passed=2, failed=2)
    pending(other_learner, routes)

    response = gradebook(grader_client, course)
    rows = {row.learner.username: row for row in response.context["book"].rows}
    mine = {cell.exercise.slug: cell for cell in rows["learner"].cells}
    theirs = {cell.exercise.slug: cell for cell in rows["other-learner"].cells}

    assert (mine["flask-hello"].status, mine["flask-hello"].attempts, mine["flask-hello"].best) == ("passed", 3, "4/4")
    assert mine["flask-hello"].latest_id == latest.id
    assert mine["flask-hello"].last_activity == latest.created_at
    assert mine["flask-routes"].status == "not_started"
    assert (theirs["flask-hello"].status, theirs["flask-hello"].best) == ("failed", "2/4")
    assert theirs["flask-routes"].status == "pending"
    assert rows["learner"].learner.passed == 1 and rows["learner"].learner.attempts == 3
    assert f'href="/submissions/{latest.id}/"' in response.text


def test_only_learners_are_rows_and_only_published_exercises_are_columns(grader_client, course, learner, hello):
    hello.published = False
    hello.save(update_fields=["published"])
    response = gradebook(grader_client, course)
    assert [row.learner.username for row in response.context["book"].rows] == ["learner"]
    assert hello not in response.context["book"].exercises


def test_an_overridden_verdict_counts_as_overridden(grader_client, course, grader, learner, hello):
    failed = graded(learner, hello, "fail")
    verdict_override(submission_id=failed.id, by=grader, to_status="pass", reason="The test was flaky")
    row = gradebook(grader_client, course).context["book"].rows[0]
    assert row.learner.passed == 1
    assert next(c for c in row.cells if c.exercise == hello).status == "passed"


def test_it_filters_by_lesson_status_and_name(grader_client, course, learner, other_learner, hello, routes):
    for exercise in hello.lesson.exercises.all():  # Flask and Django: the whole lesson
        graded(learner, exercise, "pass")
    graded(other_learner, routes, "fail")

    by_lesson = gradebook(grader_client, course, lesson=hello.lesson.slug).context["book"]
    assert {e.lesson_id for e in by_lesson.exercises} == {hello.lesson_id}
    assert [c.status for r in by_lesson.rows for c in r.cells if c.exercise == hello] == ["passed", "not_started"]

    def names(**params):
        return [row.learner.username for row in gradebook(grader_client, course, **params).context["book"].rows]

    assert names(lesson=hello.lesson.slug, status="passed") == ["learner"]
    assert names(lesson=hello.lesson.slug, status="not_started") == ["other-learner"]
    assert names(status="in_progress") == ["learner", "other-learner"]
    assert names(q="OTHER") == ["other-learner"]
    assert names(q="nobody") == []


def test_it_sorts_by_name_progress_and_activity(grader_client, course, learner, other_learner, hello, routes):
    graded(other_learner, hello, "pass")
    graded(other_learner, routes, "pass")
    graded(learner, hello, "fail")

    def names(sort):
        return [row.learner.username for row in gradebook(grader_client, course, sort=sort).context["book"].rows]

    assert names("name") == ["learner", "other-learner"]
    assert names("-name") == ["other-learner", "learner"]
    assert names("-passed") == ["other-learner", "learner"]
    assert names("-activity") == ["learner", "other-learner"]
    assert names("activity") == ["other-learner", "learner"]


def test_a_column_header_sorts_by_that_exercise_weakest_first_then_strongest(
    grader_client, course, learner, other_learner, hello, routes
):
    third = User.objects.create_user("third-learner", password=PASSWORD)
    Enrollment.objects.create(user=third, course=course)
    graded(learner, hello, "fail", passed=1)
    graded(learner, hello, "fail", passed=2)
    graded(other_learner, hello, "pass")
    # third-learner has not started flask-hello, but has passed another exercise.
    graded(third, routes, "pass")

    def names(sort):
        return [row.learner.username for row in gradebook(grader_client, course, sort=sort).context["book"].rows]

    assert names(f"exercise-{hello.id}") == ["third-learner", "learner", "other-learner"]
    assert names(f"-exercise-{hello.id}") == ["other-learner", "learner", "third-learner"]
    page = gradebook(grader_client, course, sort=f"exercise-{hello.id}").text
    assert f'aria-sort="ascending"><a href="?&amp;sort=-exercise-{hello.id}"' in page
    assert f'<option value="exercise-{hello.id}" selected>flask-hello: weakest first</option>' in page


def test_sorting_by_an_exercise_of_another_course_or_a_draft_falls_back_to_names(
    grader_client, course, other_course, learner, other_learner, hello
):
    graded(learner, hello, "pass")
    lesson = Lesson.objects.create(course=other_course, slug="l1", number=1, folder="01-l1", title="One")
    foreign = Exercise.objects.create(
        course=other_course, lesson=lesson, slug="foreign", number=1, title="Foreign", framework="flask", published=True
    )
    hello.published = False
    hello.save(update_fields=["published"])
    for sort in (f"-exercise-{foreign.id}", f"-exercise-{hello.id}", "-exercise-x", "exercise-"):
        response = gradebook(grader_client, course, sort=sort)
        assert response.context["filters"]["sort"] == "name", sort
        assert [row.learner.username for row in response.context["book"].rows] == ["learner", "other-learner"]


def test_bad_filter_values_fall_back_to_the_defaults(grader_client, course, learner):
    response = gradebook(
        grader_client, course, lesson="no-such-lesson", status="bogus", sort="drop table", per_page="7"
    )
    assert [row.learner.username for row in response.context["book"].rows] == ["learner"]
    assert response.context["filters"]["per_page"] == 50


def test_it_pages_learners(grader_client, course):
    people = [User(username=f"pupil{n:03}") for n in range(30)]
    User.objects.bulk_create(people)
    Enrollment.objects.bulk_create(
        Enrollment(user=user, course=course) for user in User.objects.filter(username__startswith="pupil")
    )
    first = gradebook(grader_client, course, per_page=25).context["book"]
    second = gradebook(grader_client, course, per_page=25, page=2).context["book"]
    assert len(first.rows) == 25 and len(second.rows) == 5
    assert second.rows[-1].learner.username == "pupil029"
    assert "page=2" in gradebook(grader_client, course, per_page=25).text


# --- A thousand learners × thirty exercises -----------------------------------------------


def test_a_thousand_learners_by_thirty_exercises_render_in_a_bounded_number_of_queries(
    db, django_assert_max_num_queries
):
    course = big_class(learners=1000, exercises=30)
    grader = User.objects.create_user("big-grader")
    Enrollment.objects.create(user=grader, course=course, role=Enrollment.Role.GRADER)
    client = Client()
    client.force_login(grader)
    column = course.exercises.order_by("id")[7].id
    for params in (
        {},
        {"sort": "-passed", "status": "in_progress", "lesson": "l2", "page": "3"},
        {"sort": f"exercise-{column}", "page": "5"},
    ):
        started = time.perf_counter()
        # Session, user, course, role, the lesson filter, columns, count, learners, cells,
        # lesson choices; and room for the site's own per-page queries (the header's links).
        # None of them grows with the class.
        with django_assert_max_num_queries(12):
            response = client.get(f"/courses/{course.slug}/gradebook/", params)
        elapsed = time.perf_counter() - started
        assert response.status_code == 200
        book = response.context["book"]
        columns = 6 if "lesson" in params else 30
        assert len(book.exercises) == columns and len(book.rows) == 50
        assert response.text.count('<td class="cell ') == 50 * columns
        print(f"gradebook 1000×30, {params or 'defaults'}: {elapsed * 1000:.0f} ms")


def test_a_learners_timeline_lists_their_submissions_in_order_across_exercises(
    grader_client, course, learner, other_learner, grader, hello, routes
):
    first = graded(learner, hello, "fail")
    second = graded(learner, routes, "fail")
    third = graded(learner, hello, "pass")
    graded(other_learner, hello, "pass")
    verdict_override(submission_id=second.id, by=grader, to_status="pass", reason="ok")
    comment_create(submission_id=third.id, author=grader, body="Well done")

    response = grader_client.get(f"/courses/{course.slug}/gradebook/learners/{learner.id}/")
    assert response.status_code == 200
    rows = list(response.context["page"].object_list)
    assert [(s.id, s.number, s.comment_count or 0) for s in rows] == [
        (first.id, 1, 0),
        (second.id, 1, 0),
        (third.id, 2, 1),
    ]
    assert "(overridden; graded Failed)" in response.text
