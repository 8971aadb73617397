"""No page shows template code as text (issue 11, point 1): every page of the shipped
course, for each role, is read as a person reads it, and nothing outside code (pre,
code, the editors) may contain Django's or Jinja's template marks. Learners write such
code, so it is everywhere in the editors and in code blocks; anywhere else it is a leak
(an unclosed comment, a variable Django did not fill, a hint written without backticks)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.db.models import F
from django.test import Client, RequestFactory
from django.urls import get_resolver, reverse

from lessons.models import Exercise
from sandbox.models import ExerciseValidation
from sandbox.services import comment_create, draft_save, regrade_item_grade, regrade_start, verdict_override
from tests.conftest import signed_in, solution_files, starter_files
from tests.course.helpers import graded, result

MARKS = ("{#", "#}", "{%", "%}", "{{", "}}")
MARK = re.compile("|".join(re.escape(m) for m in MARKS))
# Text inside these is code, shown as code.
CODE_TAGS = {"pre", "code", "textarea", "script", "style", "template"}
# The code editors (django-ace's widget, ACE's own elements): a class named ace, or
# ace_… / ace-…, or …-ace-… (never "workspace" or "surface"); and the class "code", of
# the cells that hold code in Pygments' line-numbered tables and in a submission's diff.
CODE_CLASS = re.compile(r"^code$|(?:^|[-_])ace(?:[-_]|$)")
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Attributes a person reads too: tooltips, placeholders, alternative text.
READ_ATTRIBUTES = ("title", "placeholder", "alt", "aria-label")


class VisibleText(HTMLParser):
    """The text of a page outside code and the editors, as one string."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, bool]] = []  # (tag, is code)
        self.chunks: list[str] = []

    def _in_code(self) -> bool:
        return any(code for _, code in self.open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        code = tag in CODE_TAGS or any(CODE_CLASS.search(name) for name in (values.get("class") or "").split())
        if not (code or self._in_code()):
            self.chunks += [f" {values[name]} " for name in READ_ATTRIBUTES if values.get(name)]
        if tag not in VOID_TAGS:
            self.open.append((tag, code))

    def handle_endtag(self, tag: str) -> None:
        # Close up to the matching tag, as a browser closes what was left open in it.
        for depth in range(len(self.open) - 1, -1, -1):
            if self.open[depth][0] == tag:
                del self.open[depth:]
                return

    def handle_data(self, data: str) -> None:
        if not self._in_code():
            self.chunks.append(data)

    @classmethod
    def of(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        parser.close()
        return "".join(parser.chunks)


def template_text(html: str, around: int = 50) -> list[str]:
    """Each stretch of visible text that holds template marks, with some text around it."""
    text = VisibleText.of(html)
    stretches: list[list[int]] = []
    for match in MARK.finditer(text):
        if stretches and match.start() - stretches[-1][1] <= around:
            stretches[-1][1] = match.end()
        else:
            stretches.append([match.start(), match.end()])
    return [" ".join(text[max(0, start - around) : end + around].split()) for start, end in stretches]


def test_the_reader_finds_template_marks_in_text_and_leaves_code_alone():
    assert template_text("<p>A note {# x #} here</p>") == ["A note {# x #} here"]
    assert template_text("<p>Write <code>{# x #}</code> here</p>") == []
    assert template_text("<pre><code>{% block content %}</code></pre><p>fine</p>") == []
    assert template_text('<div class="django-ace-editor"><div>{{ x }}</div></div><p>ok</p>') == []
    assert template_text('<textarea name="file:t.html">{{ x }}</textarea>') == []
    assert template_text('<table class="diff"><tr><td class="code">{% endblock %}</td></tr></table>') == []
    assert template_text("<ul><li>open<li>{{ x }}</ul>") != []
    assert template_text('<section class="workspace"><p>{% if %}</p></section>') != []
    assert template_text('<a title="{{ x }}" href="/">ok</a>') != []
    assert template_text("<p>after <br> a void tag {{ x }}</p>") != []


# --- The pages, and who may see each ---------------------------------------------------

ANONYMOUS, LEARNER, GRADER, INSTRUCTOR, OUTSIDER = "anonymous", "learner", "grader", "instructor", "outsider"
ROLES = (ANONYMOUS, LEARNER, GRADER, INSTRUCTOR, OUTSIDER)
EVERYONE = frozenset(ROLES)
ENROLLED = frozenset({LEARNER, GRADER, INSTRUCTOR})
REVIEWERS = frozenset({GRADER, INSTRUCTOR})
AUTHORS = frozenset({INSTRUCTOR})


@dataclass
class Page:
    url: str
    shown_to: frozenset[str]  # the roles that get the page itself (200); the rest get a refusal
    method: str = "get"
    data: dict = field(default_factory=dict)


def course_pages(course, work) -> list[Page]:
    """Every page of the course, its review and its authoring, and the error pages."""
    slug = course.slug
    lessons = list(course.lessons.filter(published=True))
    exercises = list(course.exercises.filter(published=True).select_related("lesson"))
    pages = [
        Page(reverse("home"), EVERYONE),
        Page(reverse("login"), EVERYONE),
        Page(reverse("signup"), frozenset({ANONYMOUS})),
        Page(reverse("lessons:course", args=[slug]), EVERYONE),
        *(Page(lesson.get_absolute_url(), EVERYONE) for lesson in lessons),
        *(Page(exercise.get_absolute_url(), ENROLLED) for exercise in exercises),
        *(Page(submission.get_absolute_url(), {LEARNER} | REVIEWERS) for submission in work["submissions"]),
        # The workspace's own pages: an attempt opened over a draft (the page asks first),
        # and Reset to starter asking first, without JavaScript.
        Page(f"{work['submissions'][0].exercise.get_absolute_url()}?from={work['submissions'][0].id}", ENROLLED),
        *(Page(reverse("sandbox:draft_reset", args=[slug, e.slug]), ENROLLED) for e in exercises[:2]),
        Page(reverse("gradebook", args=[slug]), REVIEWERS),
        Page(reverse("gradebook_charts", args=[slug]), REVIEWERS),
        Page(reverse("learner_timeline", args=[slug, work["learner"].id]), REVIEWERS),
        *(Page(reverse("sandbox:exercise_regrade", args=[slug, e.slug]), REVIEWERS) for e in exercises),
        Page(work["regrade"].get_absolute_url(), REVIEWERS),
        Page(reverse("lessons:author_home"), AUTHORS),
        Page(reverse("lessons:author_course_create"), AUTHORS),
        Page(reverse("lessons:author_course", args=[slug]), AUTHORS),
        Page(reverse("lessons:author_course_edit", args=[slug]), AUTHORS),
        Page(reverse("lessons:author_people", args=[slug]), AUTHORS),
        Page(reverse("lessons:author_lesson_create", args=[slug]), AUTHORS),
        *(Page(reverse("lessons:author_lesson", args=[slug, lesson.slug]), AUTHORS) for lesson in lessons),
        *(Page(reverse("lessons:author_exercise_create", args=[slug, lesson.slug]), AUTHORS) for lesson in lessons),
        *(Page(reverse("lessons:author_exercise", args=[slug, e.slug]), AUTHORS) for e in exercises),
        Page(reverse("lessons:preview_course", args=[slug]), AUTHORS),
        *(Page(reverse("lessons:preview_lesson", args=[slug, lesson.slug]), AUTHORS) for lesson in lessons),
        *(Page(reverse("lessons:preview_exercise", args=[slug, e.slug]), AUTHORS) for e in exercises),
        # The error pages: an unknown address (404), a refusal (403), a request too big to read (400).
        Page("/no-such-page/", frozenset()),
        Page(reverse("lessons:course", args=["no-such-course"]), frozenset()),
        Page(reverse("sandbox:submit", args=[slug, exercises[0].slug]), frozenset(), method="post"),
        Page(reverse("login"), frozenset(), method="post", data={f"f{n}": "1" for n in range(1001)}),
    ]
    return pages


@pytest.fixture
def work(course, learner, grader, instructor, outsider, monkeypatch, django_capture_on_commit_callbacks):
    """What the review pages show: the learner's graded submissions (templates among their
    files, a passing and a failing run, a comment and an override), a regrade that changed
    a verdict, and a validation on an exercise's edit page."""
    templates = course.exercises.get(slug="flask-templates")
    starter = starter_files(templates.slug, templates.editable)
    failing = graded(learner, templates, "fail", files=starter)
    passing = graded(learner, templates, "pass", files={**starter, **solution_files(templates.slug)})
    comment_create(submission_id=failing.id, author=grader, body="Close: `{% extends %}` must be the **first** tag.")
    hello = course.exercises.get(slug="flask-hello")
    overridden = graded(learner, hello, "fail")
    verdict_override(submission_id=overridden.id, by=instructor, to_status="pass", reason="The test was wrong.")
    errored = graded(learner, course.exercises.get(slug="django-hello"), "error", passed=0, failed=0)
    # A draft that differs from the failing attempt: opening that attempt asks first.
    draft_save(user=learner, exercise=templates, files={**starter, "templates/todo_list.html": "{{ draft }}"})

    sent: list[int] = []
    monkeypatch.setattr("sandbox.tasks.regrade_submission.delay", sent.append)
    monkeypatch.setattr("sandbox.grading.grade", lambda *a, **k: result("fail", passed=3, failed=1))
    Exercise.objects.filter(id=templates.id).update(version=F("version") + 1)
    with django_capture_on_commit_callbacks(execute=True):
        regrade = regrade_start(exercise=templates, user=grader)
    for item_id in sent:  # including those sent while grading
        regrade_item_grade(item_id=item_id)

    ExerciseValidation.objects.create(
        exercise=hello,
        version=hello.version,
        status=ExerciseValidation.Status.VALID,
        message="The solution passes and the starter does not.",
        solution_result=result("pass", passed=4),
        starter_result=result("fail", passed=1, failed=3),
        requested_by=instructor,
    )
    return {"learner": learner, "submissions": [failing, passing, overridden, errored], "regrade": regrade}


def client_for(role: str) -> Client:
    return Client() if role == ANONYMOUS else signed_in(role)


@pytest.mark.parametrize("role", ROLES)
def test_no_page_shows_template_code_as_text(role, course, work):
    client = client_for(role)
    pages = course_pages(course, work)
    leaks, wrong_status, shown, refused = [], [], 0, 0
    for page in pages:
        response = getattr(client, page.method)(page.url, page.data)
        if role in page.shown_to and response.status_code != 200:
            wrong_status.append(f"{page.method.upper()} {page.url}: {response.status_code}")
        if not response.get("Content-Type", "").startswith("text/html") or not response.content:
            continue  # a redirect (to log in, to enrol) or JSON
        shown += response.status_code == 200
        refused += response.status_code != 200
        leaks += [
            f"{page.method.upper()} {page.url} ({response.status_code}): …{snippet}…"
            for snippet in template_text(response.content.decode())
        ]
    print(f"\n{role}: of {len(pages)} addresses, {shown} pages read as shown and {refused} error pages")
    assert not wrong_status, f"as {role}, pages not shown:\n" + "\n".join(wrong_status)
    assert not leaks, f"as {role}, template code in the text of:\n" + "\n".join(leaks)


def test_no_error_page_shows_template_code_as_text(course, learner, settings):
    """The two error pages the walk above cannot reach: a form refused for its CSRF token
    and the 500 page (rendered as its handler renders it)."""
    for client in (Client(enforce_csrf_checks=True), signed_in("learner", enforce_csrf_checks=True)):
        response = client.post(reverse("login"), {"username": "learner"})
        assert response.status_code == 403
        assert template_text(response.content.decode()) == []
    server_error = get_resolver().resolve_error_handler(500)
    assert template_text(server_error(RequestFactory().get("/")).content.decode()) == []
