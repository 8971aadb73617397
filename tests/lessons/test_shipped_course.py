"""The course Duet ships: its shape, every page renders, every internal link resolves,
and every Python block in it parses. (Whether each exercise's solution passes and its
starter fails in the real sandbox is `check_course`, which CI runs on this folder.)"""

from __future__ import annotations

import ast
import re
import textwrap
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from lessons.course_folder import load_course
from tests.conftest import COURSE_DIR, PASSWORD

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)$")


def fenced_blocks(text: str) -> list[tuple[int, str, str]]:
    """(line, language, code) of every fenced block, tabs' indented ones included."""
    blocks, lines, index = [], text.splitlines(), 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        indent, fence = opening["indent"], opening["fence"]
        language = opening["info"].strip().split(" ")[0].lstrip(".{").rstrip("}")
        body, index = [], index + 1
        start = index
        while index < len(lines) and not re.match(
            rf"^{re.escape(indent)}{fence[0]}{{{len(fence)},}}\s*$", lines[index]
        ):
            body.append(lines[index])
            index += 1
        blocks.append((start, language, textwrap.dedent("\n".join(body))))
        index += 1
    return blocks


def course_markdown() -> list[Path]:
    return sorted(COURSE_DIR.rglob("*.md"))


@pytest.fixture(scope="module")
def spec():
    return load_course(COURSE_DIR)


def test_the_course_has_at_least_fourteen_lessons_each_with_a_graded_exercise(spec):
    assert len(spec.lessons) >= 14
    for lesson in spec.lessons:
        assert lesson.exercises, f"{lesson.folder} has no exercise"


def test_most_concepts_are_graded_in_both_frameworks_by_one_shared_test_file(spec):
    paired = 0
    for lesson in spec.lessons:
        shared = {e.doc.meta["framework"] for e in lesson.exercises if e.tests_shared}
        if shared:
            assert shared == {"flask", "django"}, f"{lesson.folder}: shared tests for only {shared}"
            paired += 1
    assert paired > len(spec.lessons) / 2


def test_every_exercise_has_hints_and_says_what_is_checked(spec):
    for lesson in spec.lessons:
        for exercise in lesson.exercises:
            where = f"{lesson.folder}/{exercise.slug}"
            assert len(exercise.doc.meta.get("hints") or []) >= 2, f"{where}: fewer than two hints"
            assert "what is checked" in exercise.doc.body.lower(), f"{where}: no 'What is checked' section"
            assert exercise.starter, f"{where}: no starter files"


def test_the_markdown_checker_finds_blocks_inside_tabs():
    text = '=== "Flask"\n\n    ```python\n    x = (\n    ```\n\n```console\n$ flask run\n```\n'
    assert fenced_blocks(text) == [(3, "python", "x = ("), (7, "console", "$ flask run")]


@pytest.mark.parametrize("path", course_markdown(), ids=lambda p: str(p.relative_to(COURSE_DIR)))
def test_every_python_block_parses(path):
    for line, language, code in fenced_blocks(path.read_text()):
        if language in {"python", "py", "python3"}:
            try:
                ast.parse(code)
            except SyntaxError as error:
                pytest.fail(f"{path}:{line + (error.lineno or 1)}: a python block does not parse: {error.msg}")


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])


def _read(html: str) -> _Anchors:
    anchors = _Anchors()
    anchors.feed(html)
    return anchors


@pytest.fixture
def reader(course, learner):
    client = Client()
    client.login(username="learner", password=PASSWORD)
    return client


def test_every_lesson_and_exercise_page_renders(reader, course):
    for lesson in course.lessons.filter(published=True):
        response = reader.get(lesson.get_absolute_url())
        assert response.status_code == 200, lesson.folder
        assert lesson.title in response.text
    for exercise in course.exercises.filter(published=True):
        response = reader.get(exercise.get_absolute_url())
        assert response.status_code == 200, exercise.slug


def test_every_internal_link_in_the_course_resolves(reader, course):
    pages = [(lesson.get_absolute_url(), lesson.body_html) for lesson in course.lessons.filter(published=True)]
    pages += [(e.get_absolute_url(), e.instructions_html) for e in course.exercises.filter(published=True)]
    checked = 0
    for page, body in pages:
        for href in _read(body).hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:
                continue  # outside the site
            target = urljoin(page, href)
            path, _, fragment = target.partition("#")
            response = reader.get(path)
            assert response.status_code == 200, f"{page}: the link {href!r} leads to {response.status_code}"
            if fragment:
                assert fragment in _read(response.text).ids, f"{page}: the link {href!r} names no anchor"
            checked += 1
    assert checked, "the course links nowhere: the lessons should point to each other"
