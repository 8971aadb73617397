"""In headless Chromium: axe-core finds no serious or critical accessibility violation on
the main pages of each role. Every violation found (of any impact) goes into a table,
printed at the end of the run and written to $DUET_AXE_REPORT when it is set."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.urls import reverse

from course.models import Enrollment
from lessons.course_import import course_import
from tests.browser.conftest import log_in
from tests.conftest import PASSWORD
from tests.course.helpers import graded

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORKSPACE_COURSE = Path(__file__).resolve().parent.parent / "fixtures" / "workspace-course"
REAL_APPS_COURSE = Path(__file__).resolve().parent.parent / "fixtures" / "real-apps-course"
IMPACTS = ("critical", "serious", "moderate", "minor")
BLOCKING = {"critical", "serious"}


@dataclass
class Scene:
    """The people and rows the pages show."""

    course: object
    learner: object
    submission: object
    workspace_exercise: object
    folder_exercise: object  # its editable folder shelf/migrations/ takes new files


@dataclass(frozen=True)
class Page:
    name: str
    role: str | None  # who is logged in; None for nobody
    url: Callable[[Scene], str]
    wait_for: str | None = None  # a selector that shows the page's script has run
    click: str | None = None  # then this is clicked (to check a state the page can be put in)


def _exercise(scene: Scene, slug: str) -> str:
    return scene.course.exercises.get(slug=slug).get_absolute_url()


PAGES = [
    Page("home", None, lambda s: "/"),
    Page("login", None, lambda s: reverse("login")),
    Page("signup", None, lambda s: reverse("signup")),
    Page("home (learner)", "learner", lambda s: "/"),
    Page("course", "learner", lambda s: s.course.get_absolute_url()),
    Page("lesson with tabs", "learner", lambda s: s.course.lessons.get(slug="hello-world").get_absolute_url()),
    Page(
        "lesson with tables", "learner", lambda s: s.course.lessons.get(slug="production-security").get_absolute_url()
    ),
    Page(
        "lesson, side by side",
        "learner",
        lambda s: s.course.lessons.get(slug="hello-world").get_absolute_url(),
        "[data-side-by-side]:not([hidden])",
        click="[data-side-by-side]",
    ),
    Page("exercise", "learner", lambda s: _exercise(s, "flask-hello"), ".ace-holder .ace_content"),
    Page(
        "exercise, 12 files", "learner", lambda s: s.workspace_exercise.get_absolute_url(), ".ace-holder .ace_content"
    ),
    Page(
        "exercise, 12 files, reset dialog open",
        "learner",
        lambda s: s.workspace_exercise.get_absolute_url(),
        ".ace-holder .ace_content",
        click="#reset-button",
    ),
    Page(
        "exercise, editable folder",
        "learner",
        lambda s: s.folder_exercise.get_absolute_url(),
        ".ace-holder .ace_content",
    ),
    Page(
        "exercise, editable folder, new file dialog open",
        "learner",
        lambda s: s.folder_exercise.get_absolute_url(),
        ".ace-holder .ace_content",
        click="#new-file-button",
    ),
    Page(
        "exercise, editable folder, delete dialog open",
        "learner",
        # file-3 is shelf/migrations/0001_initial.py (after the two listed files): the hash opens it.
        lambda s: s.folder_exercise.get_absolute_url() + "#file-3",
        "#delete-button:visible",
        click="#delete-button",
    ),
    Page("exercise, reset asked without JavaScript", "learner", lambda s: _exercise(s, "flask-hello") + "draft/reset/"),
    Page("submission (learner)", "learner", lambda s: s.submission.get_absolute_url()),
    Page("submission (grader)", "grader", lambda s: s.submission.get_absolute_url()),
    Page("gradebook", "grader", lambda s: reverse("gradebook", args=[s.course.slug])),
    Page("gradebook charts", "grader", lambda s: reverse("gradebook_charts", args=[s.course.slug])),
    Page("learner timeline", "grader", lambda s: reverse("learner_timeline", args=[s.course.slug, s.learner.id])),
    Page("grading status (site staff)", "staff", lambda s: reverse("sandbox:grading_status")),
    Page("authoring home", "instructor", lambda s: reverse("lessons:author_home")),
    Page("course overview", "instructor", lambda s: reverse("lessons:author_course", args=[s.course.slug])),
    Page(
        "lesson form",
        "instructor",
        lambda s: reverse("lessons:author_lesson", args=[s.course.slug, "hello-world"]),
        ".markdownx",
    ),
    Page(
        "exercise form",
        "instructor",
        lambda s: reverse("lessons:author_exercise", args=[s.course.slug, "flask-hello"]),
        ".ace-holder .ace_content",
    ),
]

FOUND: dict[str, list[dict]] = {}  # page name → axe's violations, for the table


def _table() -> str:
    rows = [("page", *IMPACTS, "rules (impact × elements)")]
    for page in PAGES:
        if page.name not in FOUND:
            continue
        violations = FOUND[page.name]
        counts = [str(sum(v["impact"] == impact for v in violations)) for impact in IMPACTS]
        rules = ", ".join(f"{v['id']} ({v['impact']} × {len(v['nodes'])})" for v in violations) or "—"
        rows.append((page.name, *counts, rules))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + "  " + row[-1] for row in rows
    )


@pytest.fixture(scope="module", autouse=True)
def _axe_table(request):
    """Print the table of what was found once every page has been checked."""
    yield
    if not FOUND:
        return
    table = _table()
    if path := os.environ.get("DUET_AXE_REPORT"):
        Path(path).write_text(table + "\n")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_line("\naxe-core violations by page:\n" + table)


@pytest.fixture
def scene(course, learner, grader, instructor, tmp_path) -> Scene:
    exercise = course.exercises.get(slug="flask-hello")
    graded(learner, exercise, "fail", passed=1, failed=3, files={"app.py": "from flask import Flask\n"})
    submission = graded(
        learner,
        exercise,
        "fail",
        passed=3,
        failed=1,
        files={"app.py": "from flask import Flask\napp = Flask(__name__)\n"},
    )
    get_user_model().objects.create_user(username="staff", password=PASSWORD, is_staff=True)
    workspace, _ = course_import(WORKSPACE_COURSE)
    Enrollment.objects.create(user=learner, course=workspace, role=Enrollment.Role.LEARNER)
    # The editable-folders lesson alone: the fixture course's other lessons play no part.
    real_apps = tmp_path / "real-apps-course"
    real_apps.mkdir()
    shutil.copy(REAL_APPS_COURSE / "course.md", real_apps)
    shutil.copytree(REAL_APPS_COURSE / "03-editable-folders", real_apps / "03-editable-folders")
    folders, _ = course_import(real_apps)
    Enrollment.objects.create(user=learner, course=folders, role=Enrollment.Role.LEARNER)
    return Scene(course, learner, submission, workspace.exercises.get(), folders.exercises.get(slug="django-migration"))


def _violations(page) -> list[dict]:
    return Axe().run(page).response["violations"]


def _describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines += [f"    {', '.join(map(str, node['target']))}: {node['html'][:160]}" for node in v["nodes"][:6]]
    return "\n".join(lines)


@pytest.mark.parametrize("checked", [pytest.param(p, id=p.name) for p in PAGES])
def test_the_page_has_no_serious_or_critical_accessibility_violation(page, live_server, scene, checked: Page):
    if checked.role:
        log_in(page, live_server, checked.role)
    page.goto(f"{live_server.url}{checked.url(scene)}")
    page.wait_for_load_state("networkidle")
    if checked.wait_for:
        page.wait_for_selector(checked.wait_for)
    if checked.click:
        page.click(checked.click)
    violations = _violations(page)
    FOUND[checked.name] = violations
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, f"axe-core on {checked.name}:\n{_describe(blocking)}"


FOCUSABLE = "a[href], button, input:not([type=hidden]), select, textarea, summary"


def test_the_keyboard_focus_is_visible_on_every_link_and_button(page, live_server, scene):
    """Tab through the top bar, a lesson and its links: each has a ring of its own."""
    log_in(page, live_server, "learner")
    page.goto(f"{live_server.url}{scene.course.lessons.get(slug='hello-world').get_absolute_url()}")
    seen = 0
    for _ in range(25):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """(selector) => {
                const el = document.activeElement;
                if (!el || !el.matches(selector)) return null;
                const style = getComputedStyle(el);
                return {html: el.outerHTML.slice(0, 120), style: style.outlineStyle, width: parseFloat(style.outlineWidth)};
            }""",
            FOCUSABLE,
        )
        if focused is None:
            continue
        seen += 1
        assert focused["style"] not in ("none", "hidden") and focused["width"] >= 2, focused
    assert seen >= 10
