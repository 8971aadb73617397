"""Every page and action that shows or judges learners' work is the course's graders' and
instructors' only: to a learner, a grader of another course and an outsider it does not
exist (404), an anonymous visitor is sent to log in; the course's grader and instructor
get in."""

import pytest
from django.test import Client

from sandbox.models import Comment, Regrade, VerdictOverride
from tests.conftest import PASSWORD
from tests.course.helpers import graded


@pytest.fixture
def exercise(course):
    return course.exercises.get(slug="flask-hello")


@pytest.fixture
def work(course, exercise, learner):
    """A graded submission of the learner's and a finished regrade of the exercise."""
    submission = graded(learner, exercise, "fail")
    regrade = Regrade.objects.create(exercise=exercise, version=exercise.version, total=0)
    regrade.finished_at = regrade.created_at
    regrade.save(update_fields=["finished_at"])
    return {"submission": submission, "regrade": regrade}


def pages(course, exercise, learner, work):
    """(method, url, data) for every review page and action."""
    sub, regrade = work["submission"].id, work["regrade"].id
    return [
        ("get", f"/courses/{course.slug}/gradebook/", None),
        ("get", f"/courses/{course.slug}/gradebook.csv", None),
        ("get", f"/courses/{course.slug}/gradebook/charts/", None),
        ("get", f"/courses/{course.slug}/gradebook/learners/{learner.id}/", None),
        ("get", f"/courses/{course.slug}/exercises/{exercise.slug}/regrade/", None),
        ("get", f"/regrades/{regrade}/", None),
        ("get", f"/regrades/{regrade}/status/", None),
        ("post", f"/submissions/{sub}/comments/", {"body": "Nice work"}),
        ("post", f"/submissions/{sub}/override/", {"to_status": "pass", "reason": "The test was wrong"}),
        ("post", f"/courses/{course.slug}/exercises/{exercise.slug}/regrade/", {}),
    ]


def signed_in(username):
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def assert_nothing_changed(work):
    assert not Comment.objects.exists()
    assert not VerdictOverride.objects.exists()
    assert Regrade.objects.count() == 1
    work["submission"].refresh_from_db()
    assert work["submission"].override_status == ""


@pytest.mark.parametrize("who", ["learner", "other-grader", "outsider"])
def test_people_without_review_rights_are_refused(who, course, exercise, learner, other_grader, outsider, work):
    client = signed_in(who)
    for method, url, data in pages(course, exercise, learner, work):
        response = getattr(client, method)(url, data or {})
        # Hidden as if it did not exist (404), but for the learner's own submission: they
        # see it, and are refused (403) only the judging of it.
        own = who == "learner" and url.startswith("/submissions/")
        assert response.status_code == (403 if own else 404), (who, method, url, response.status_code)
    assert_nothing_changed(work)


def test_an_anonymous_visitor_is_sent_to_log_in(client, course, exercise, learner, work):
    for method, url, data in pages(course, exercise, learner, work):
        response = getattr(client, method)(url, data or {})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], (method, url)
    assert_nothing_changed(work)


@pytest.mark.parametrize("who", ["grader", "instructor"])
def test_the_courses_grader_and_instructor_get_in(who, course, exercise, learner, grader, instructor, work):
    client = signed_in(who)
    for method, url, data in pages(course, exercise, learner, work):
        response = getattr(client, method)(url, data or {}, follow=False)
        assert response.status_code in (200, 302), (who, method, url, response.status_code)
        if method == "post":
            assert "/accounts/login/" not in response["Location"]
    assert Comment.objects.count() == 1
    assert VerdictOverride.objects.count() == 1
    assert Regrade.objects.count() == 2


def test_an_unpublished_courses_review_pages_do_not_exist_for_outsiders(course, exercise, outsider):
    course.published = False
    course.save(update_fields=["published"])
    client = signed_in("outsider")
    for url in (f"/courses/{course.slug}/gradebook/", f"/courses/{course.slug}/exercises/{exercise.slug}/regrade/"):
        assert client.get(url).status_code == 404, url


def test_staff_may_review_any_course(course, exercise, learner, outsider, work):
    outsider.is_staff = True
    outsider.save(update_fields=["is_staff"])
    assert signed_in("outsider").get(f"/courses/{course.slug}/gradebook/").status_code == 200


def test_a_learner_sees_their_own_submission_but_cannot_judge_it(course, learner, work):
    client = signed_in("learner")
    sub = work["submission"].id
    assert client.get(f"/submissions/{sub}/").status_code == 200
    assert client.post(f"/submissions/{sub}/comments/", {"body": "I passed, really"}).status_code == 403
    assert client.post(f"/submissions/{sub}/override/", {"to_status": "pass", "reason": "me"}).status_code == 403
    assert_nothing_changed(work)


def test_a_grader_of_another_course_cannot_even_see_the_submission(course, other_grader, work):
    assert signed_in("other-grader").get(f"/submissions/{work['submission'].id}/").status_code == 404


def test_the_timeline_of_someone_not_in_the_course_is_a_404(course, grader, outsider):
    assert signed_in("grader").get(f"/courses/{course.slug}/gradebook/learners/{outsider.id}/").status_code == 404


def test_review_actions_need_csrf(course, grader, work):
    client = Client(enforce_csrf_checks=True)
    client.login(username="grader", password=PASSWORD)
    sub = work["submission"].id
    assert client.post(f"/submissions/{sub}/comments/", {"body": "x"}).status_code == 403
    assert client.post(f"/submissions/{sub}/override/", {"to_status": "pass", "reason": "x"}).status_code == 403
    assert_nothing_changed(work)
