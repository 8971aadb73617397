"""Reviewing a submission: a grader's comments and overrides reach the learner, an
override needs a reason and is logged, the original verdict stays visible, the page
shows what changed since the attempt before (escaped), and every grading is kept."""

import pytest

from sandbox.diffs import file_diff
from sandbox.models import Comment, FailedTest, Submission, Verdict, VerdictOverride
from sandbox.selectors import attempts_for
from sandbox.services import ReviewRefused, verdict_override
from tests.conftest import signed_in
from tests.course.helpers import graded, pending


@pytest.fixture
def exercise(course):
    return course.exercises.get(slug="flask-hello")


@pytest.fixture
def failed(learner, exercise):
    return graded(learner, exercise, "fail", passed=1, failed=3)


# --- Verdict history ----------------------------------------------------------------------


def test_a_recorded_verdict_starts_the_submissions_history(failed, exercise):
    verdict = Verdict.objects.get(submission=failed)
    assert (verdict.status, verdict.tests_passed, verdict.tests_total) == ("fail", 1, 4)
    assert verdict.exercise_version == exercise.version and verdict.regrade is None
    assert (failed.tests_passed, failed.tests_total) == (1, 4)
    assert sorted(FailedTest.objects.filter(submission=failed).values_list("name", flat=True)) == [
        "test_home",
        "test_home_1",
        "test_home_2",
    ]


# --- Comments ------------------------------------------------------------------------------


def test_a_graders_comment_is_shown_to_the_learner(failed, grader):
    response = signed_in("grader").post(f"/submissions/{failed.id}/comments/", {"body": "Look at the **route**."})
    assert response.status_code == 302 and response["Location"].endswith("#comments")
    page = signed_in("learner").get(f"/submissions/{failed.id}/").text
    assert "Look at the <strong>route</strong>." in page
    assert 'id="comments"' in page and "grader" in page
    assert 'action="/submissions/' not in page  # the learner gets no review forms


def test_a_comment_is_sanitized_markdown(failed, grader):
    signed_in("grader").post(
        f"/submissions/{failed.id}/comments/",
        {"body": "<script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3))"},
    )
    html = Comment.objects.get().body_html
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    page = signed_in("learner").get(f"/submissions/{failed.id}/").text
    assert "<script>alert(1)" not in page


@pytest.mark.parametrize(("body", "complaint"), [("   ", "This field is required"), ("x" * 10_001, "at most 10000")])
def test_a_bad_comment_is_refused_and_what_was_typed_is_kept(failed, grader, body, complaint):
    response = signed_in("grader").post(f"/submissions/{failed.id}/comments/", {"body": body})
    assert response.status_code == 400
    assert complaint in response.text.replace(",", "")
    if body.strip():
        assert body in response.text  # back in the textarea
    assert not Comment.objects.exists()


# --- Overrides -----------------------------------------------------------------------------


def test_an_override_is_logged_and_shown_to_the_learner_beside_the_graded_verdict(failed, grader):
    response = signed_in("grader").post(
        f"/submissions/{failed.id}/override/", {"to_status": "pass", "reason": "The greeting test had a typo."}
    )
    assert response.status_code == 302

    entry = VerdictOverride.objects.get()
    assert (entry.submission_id, entry.by, entry.from_status, entry.to_status) == (failed.id, grader, "fail", "pass")
    assert entry.reason == "The greeting test had a typo." and entry.created_at
    failed.refresh_from_db()
    assert (failed.status, failed.override_status, failed.effective_status) == ("fail", "pass", "pass")

    learner = signed_in("learner")
    page = learner.get(f"/submissions/{failed.id}/").text
    assert "Graded <strong>Failed</strong>, overridden to <strong>Passed</strong>" in page
    assert "by <strong>grader</strong>" in page and "The greeting test had a typo." in page
    assert "Overridden by <strong>grader</strong>: Failed → <strong>Passed</strong>" in page  # history
    status = learner.get(f"/submissions/{failed.id}/status/").json()
    assert "overridden to <strong>Passed</strong>" in status["html"]


def test_an_override_needs_a_reason(failed, grader):
    response = signed_in("grader").post(f"/submissions/{failed.id}/override/", {"to_status": "pass", "reason": "  "})
    assert response.status_code == 400 and "This field is required" in response.text
    with pytest.raises(ReviewRefused, match="Say why"):
        verdict_override(submission_id=failed.id, by=grader, to_status="pass", reason="")
    failed.refresh_from_db()
    assert failed.override_status == "" and not VerdictOverride.objects.exists()


def test_an_unknown_verdict_is_refused(failed, grader):
    response = signed_in("grader").post(f"/submissions/{failed.id}/override/", {"to_status": "queued", "reason": "x"})
    assert response.status_code == 400 and not VerdictOverride.objects.exists()


def test_a_submission_without_a_verdict_cannot_be_overridden(learner, exercise, grader):
    waiting = pending(learner, exercise)
    response = signed_in("grader").post(f"/submissions/{waiting.id}/override/", {"to_status": "pass", "reason": "x"})
    assert response.status_code == 400 and "once it is graded" in response.text
    assert Submission.objects.get(id=waiting.id).status == "queued"


def test_overriding_back_to_the_graded_verdict_lifts_the_override_and_logs_it(failed, grader, instructor):
    verdict_override(submission_id=failed.id, by=grader, to_status="pass", reason="flaky")
    with pytest.raises(ReviewRefused, match="already Passed"):
        verdict_override(submission_id=failed.id, by=instructor, to_status="pass", reason="again")
    verdict_override(submission_id=failed.id, by=instructor, to_status="fail", reason="It was not flaky after all.")
    failed.refresh_from_db()
    assert failed.override_status == "" and failed.effective_status == "fail"
    assert list(VerdictOverride.objects.values_list("from_status", "to_status", "by__username")) == [
        ("fail", "pass", "grader"),
        ("pass", "fail", "instructor"),
    ]
    assert "overridden to" not in signed_in("learner").get(f"/submissions/{failed.id}/").text


def test_the_learners_attempts_show_the_verdict_that_counts(failed, learner, exercise, grader):
    verdict_override(submission_id=failed.id, by=grader, to_status="pass", reason="ok")
    (attempt,) = attempts_for(user=learner, exercise=exercise)
    assert attempt.get_effective_status_display() == "Passed"


# --- The attempt before --------------------------------------------------------------------


def test_the_page_shows_the_changes_since_the_attempt_before_escaped(learner, exercise):
    graded(learner, exercise, "fail", files={"app.py": "from flask import Flask\napp = Flask(__name__)\n"})
    second = graded(
        learner,
        exercise,
        "pass",
        files={"app.py": "from flask import Flask\napp = Flask(__name__)\nGREETING = '<b>hi</b>'\n"},
    )
    page = signed_in("learner").get(f"/submissions/{second.id}/").text
    diff = page[page.index('id="diff"') : page.index('id="history"')]
    assert "attempt #1" in diff
    assert '<tr class="diff-add">' in diff and "GREETING = &#x27;&lt;b&gt;hi&lt;/b&gt;&#x27;" in diff
    assert "<b>hi</b>" not in page
    assert '<span class="diff-added">+1</span>' in diff


def test_the_first_attempt_has_nothing_to_compare_with(failed):
    assert "This is the first attempt" in signed_in("learner").get(f"/submissions/{failed.id}/").text


def test_an_unchanged_resubmission_says_so(learner, exercise):
    graded(learner, exercise, "fail")
    again = graded(learner, exercise, "fail")
    assert "No changes" in signed_in("learner").get(f"/submissions/{again.id}/").text


def test_a_diff_numbers_old_and_new_lines():
    diff = file_diff("app.py", "a\nb\nc\n", "a\nB\nc\nd\n")
    assert [(line.kind, line.text, line.old, line.new) for line in diff.lines] == [
        ("hunk", "@@ -1,3 +1,4 @@", None, None),
        ("same", "a", 1, 1),
        ("del", "b", 2, None),
        ("add", "B", None, 2),
        ("same", "c", 3, 3),
        ("add", "d", None, 4),
    ]
    assert (diff.added, diff.removed) == (2, 1)
