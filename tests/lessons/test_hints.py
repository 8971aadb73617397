"""Hints are markdown, rendered once and sanitized as the instructions are: code in
backticks shows as code, and nothing an author writes runs on a learner's page."""

from lessons import authoring
from lessons.markdown import render
from tests.conftest import signed_in


def test_a_hints_code_shows_as_code(course, learner):
    exercise = course.exercises.get(slug="flask-forms")
    page = signed_in("learner").get(exercise.get_absolute_url()).text
    assert "<code>{{ form.hidden_tag() }}</code>" in page
    assert exercise.hints_html == [render(hint) for hint in exercise.hints]


def test_a_hint_edited_in_the_browser_is_rendered_and_sanitized(course, learner):
    exercise = course.exercises.get(slug="flask-hello")
    hints = [
        "Look at **the decorator**.",
        'Then <script>alert("hint")</script><img src=x onerror=alert(1)> `@app.route`',
    ]
    authoring.exercise_update(
        exercise_id=exercise.id,
        data={"hints": hints},
        files={(f.kind, f.path): f.content for f in exercise.files.all()},
        based_on_version=exercise.version,
    )
    exercise.refresh_from_db()
    assert exercise.hints_html == [render(hint) for hint in hints]
    page = signed_in("learner").get(exercise.get_absolute_url()).text
    assert "<strong>the decorator</strong>" in page and "<code>@app.route</code>" in page
    assert "<script>alert" not in page and "onerror" not in page
