"""The course Duet ships: its shape, every page renders, every internal link resolves,
and every Python block in it parses. (Whether each exercise's solution passes and its
starter fails in the real sandbox is `check_course`, which CI runs on this folder.)"""

from __future__ import annotations

import ast
import json
import re
import textwrap
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client

from lessons.course_folder import load_course
from lessons.markdown import render
from tests.conftest import COURSE_DIR, PASSWORD

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)$")


TAB = re.compile(r'^(?P<indent>[ \t]*)===\+?[ \t]+"(?P<label>[^"]*)"')


def fenced_blocks_in_tabs(text: str) -> list[tuple[int, str, str, str | None]]:
    """(line, info, code, tab) of every fenced block, tabs' indented ones included: info
    is the whole info string after the fence (``python``, ``{.python .fragment}``), tab
    the label of the pymdownx tab the block is in (``Flask``), None outside tabs."""
    blocks, lines, index = [], text.splitlines(), 0
    tabs: list[tuple[int, str]] = []  # the open tabs, outermost first: (indent, label)
    while index < len(lines):
        line = lines[index]
        if line.strip():
            width = len(line) - len(line.lstrip())
            while tabs and tabs[-1][0] >= width:  # a line as far left as a tab ends it
                tabs.pop()
            if tab := TAB.match(line):
                tabs.append((len(tab["indent"]), tab["label"]))
        opening = FENCE.match(line)
        if not opening:
            index += 1
            continue
        indent, fence = opening["indent"], opening["fence"]
        body, index = [], index + 1
        start = index
        while index < len(lines) and not re.match(
            rf"^{re.escape(indent)}{fence[0]}{{{len(fence)},}}\s*$", lines[index]
        ):
            body.append(lines[index])
            index += 1
        info = opening["info"].strip()
        blocks.append((start, info, textwrap.dedent("\n".join(body)), tabs[-1][1] if tabs else None))
        index += 1
    return blocks


def language_of(info: str) -> str:
    """The language of a fence's info string: ``python`` for ``python`` and
    ``{.python .fragment}`` alike."""
    return info.split(" ")[0].lstrip(".{").rstrip("}")


def is_fragment(info: str) -> bool:
    """A block fenced ```{.python .fragment}: deliberately partial, it only has to parse."""
    return info.startswith("{") and ".fragment" in info.strip("{}").split()


def fenced_blocks(text: str) -> list[tuple[int, str, str]]:
    """(line, language, code) of every fenced block, tabs' indented ones included."""
    return [(line, language_of(info), code) for line, info, code, _ in fenced_blocks_in_tabs(text)]


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


# Exercises whose wrong variants are still to be written (issue 16): this list may only
# shrink, and an exercise on it must really lack them.
VARIANTS_TO_WRITE = set()


def test_every_exercise_keeps_three_wrong_variants_and_describes_each_plainly(spec):
    for lesson in spec.lessons:
        for exercise in lesson.exercises:
            where = f"{lesson.folder}/{exercise.slug}"
            if exercise.slug in VARIANTS_TO_WRITE:
                assert len(exercise.variants) < 3, f"{where} has its variants now: take it off VARIANTS_TO_WRITE"
            else:
                assert len(exercise.variants) >= 3, f"{where}: {len(exercise.variants)} wrong variants, fewer than 3"
            for kind, found in (("variant", exercise.variants), ("alternative", exercise.alternatives)):
                for slug, variant in found.items():
                    # What the learner and the author read: a sentence, not a YAML escape.
                    assert len(variant.description) >= 20, f"{where} {kind} {slug}: no real description"
                    assert "\\" not in variant.description, f"{where} {kind} {slug}: {variant.description!r}"


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


# Run in a sandbox image: is each (module, name) importable there? Names of Django's
# contrib apps' models need a configured project, so Django is set up with them first.
RESOLVE = """
import importlib, json, sys
try:
    import django
    from django.conf import settings
except ImportError:
    pass
else:
    settings.configure(
        INSTALLED_APPS=[f"django.contrib.{app}" for app in
                        ("admin", "auth", "contenttypes", "sessions", "messages", "staticfiles")],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    )
    django.setup()
failed = {}
for module, name in json.loads(sys.argv[1]):
    key = module + ":" + (name or "")
    try:
        found = importlib.import_module(module)
    except BaseException as error:
        failed[key] = f"no module {module} ({type(error).__name__}: {error})"
        continue
    if name and not hasattr(found, name):
        try:
            importlib.import_module(module + "." + name)
        except ImportError:
            failed[key] = f"{module} has no attribute or submodule {name}"
        except BaseException as error:
            failed[key] = f"importing {module}.{name}: {type(error).__name__}: {error}"
print(json.dumps(failed))
"""


def course_modules() -> set[str]:
    """The top-level module and package names of the course's own example projects: what
    an exercise's starter, solution, app, variants and alternatives hold (``todos``,
    ``app``, ``config``). A lesson importing them imports the project it teaches."""
    names = set()
    for root in COURSE_DIR.glob("*/*/*"):
        if root.name in {"starter", "solution", "app", "variants", "alternatives"} and root.is_dir():
            tops = root.glob("*") if root.name in {"variants", "alternatives"} else [root]
            for top in tops:
                for source in top.rglob("*.py"):
                    names.add(source.relative_to(top).parts[0].removesuffix(".py"))
    return names


def block_imports(code: str, local: set[str]) -> list[tuple[int, str, str | None]]:
    """(line in the block, module, name or None) of each import to check in an image:
    ``import a.b`` gives (a.b, None), ``from a import x, y`` gives (a, x) and (a, y);
    relative imports and the course's own modules are left out."""
    found = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found += [(node.lineno, node.module, alias.name) for alias in node.names if alias.name != "*"]
            if any(alias.name == "*" for alias in node.names):
                found.append((node.lineno, node.module, None))
    return sorted(item for item in found if item[1].split(".")[0] not in local)


def images_for(tab: str | None) -> list[str]:
    """The frameworks whose image a block's imports must resolve in: its tab's ("Flask",
    "Django"); outside those tabs either, so both are tried."""
    label = (tab or "").lower()
    named = [framework for framework in ("flask", "django") if framework in label]
    return named if len(named) == 1 else ["flask", "django"]


def python_blocks():
    """(path, line of the block's first line, tab, code) of every python block of the
    course that is not a fragment."""
    for path in course_markdown():
        for line, info, code, tab in fenced_blocks_in_tabs(path.read_text()):
            if language_of(info) in {"python", "py", "python3"} and not is_fragment(info):
                yield path, line, tab, code


@pytest.fixture(scope="session")
def unresolved(docker_engine):
    """{framework: {"module:name": why}} for every import of the course's python blocks
    that does not resolve in that framework's sandbox image: one container per image."""
    from django.conf import settings

    local = course_modules()
    wanted: dict[str, set[tuple[str, str | None]]] = {"flask": set(), "django": set()}
    for _, _, tab, code in python_blocks():
        try:
            imports = block_imports(code, local)
        except SyntaxError:
            continue  # test_every_python_block_parses names it
        for framework in images_for(tab):
            wanted[framework] |= {(module, name) for _, module, name in imports}
    failed = {}
    for framework, imports in wanted.items():
        output = docker_engine.containers.run(
            settings.SANDBOX_IMAGES[framework],
            ["python", "-c", RESOLVE, json.dumps(sorted(imports, key=lambda item: (item[0], item[1] or "")))],
            network_disabled=True,
            remove=True,
            stderr=False,
        )
        failed[framework] = json.loads(output)
    return failed


def test_the_import_checker_reads_every_form_of_import():
    code = "import a.b\nimport c as d\nfrom e.f import g, h as i\nfrom . import j\nfrom todos import k\ndef f():\n    from l import *\n"
    assert block_imports(code, {"todos"}) == [
        (1, "a.b", None),
        (2, "c", None),
        (3, "e.f", "g"),
        (3, "e.f", "h"),
        (7, "l", None),
    ]
    assert images_for("Flask") == ["flask"] and images_for(None) == images_for("todo/urls.py") == ["flask", "django"]
    assert (
        is_fragment("{.python .fragment}")
        and not is_fragment("python")
        and language_of("{.python .fragment}") == "python"
    )


def test_a_fragment_renders_as_a_python_block():
    for text in ("```{}\nx = 1\n```\n", '=== "Flask"\n\n    ```{}\n    x = 1\n    ```\n'):
        assert render(text.format("{.python .fragment}")) == render(text.format("python"))


@pytest.mark.docker
@pytest.mark.parametrize("path", course_markdown(), ids=lambda p: str(p.relative_to(COURSE_DIR)))
def test_every_import_in_a_python_block_resolves_in_the_sandbox_image(path, unresolved):
    """Each import of a python block that is not a ```{.python .fragment} resolves in the
    sandbox image of the block's framework (its tab's; outside tabs, in one of them)."""
    local, problems = course_modules(), []
    for block_line, info, code, tab in fenced_blocks_in_tabs(path.read_text()):
        if language_of(info) not in {"python", "py", "python3"} or is_fragment(info):
            continue
        try:
            imports = block_imports(code, local)
        except SyntaxError:
            continue  # test_every_python_block_parses names it
        frameworks = images_for(tab)
        for line, module, name in imports:
            key = f"{module}:{name or ''}"
            why = [
                f"{framework}: {unresolved[framework][key]}" for framework in frameworks if key in unresolved[framework]
            ]
            if len(why) == len(frameworks):
                statement = f"from {module} import {name}" if name else f"import {module}"
                where = f"in the {tab} tab" if tab else "outside tabs, in neither image"
                problems.append(
                    f"{path}:{block_line + line}: {statement!r} does not resolve {where}: " + "; ".join(why)
                )
    assert not problems, (
        "imports that do not resolve in the sandbox image (fix the import, or fence a deliberately partial "
        "block as ```{.python .fragment}; see lessons/content/README.md, 'Python blocks in lessons'):\n"
        + "\n".join(problems)
    )


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


class _BlockText(HTMLParser):
    """The text of each paragraph and list item as a reader sees it, code left out: a
    list marker at the start of one of its lines is a list the markdown did not make."""

    BLOCKS = {"p", "li", "td", "th", "dd"}

    def __init__(self) -> None:
        super().__init__()
        self.open: list[list[str]] = []
        self.code = 0
        self.texts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("code", "pre"):
            self.code += 1
        elif tag in self.BLOCKS:
            self.open.append([])

    def handle_endtag(self, tag):
        if tag in ("code", "pre"):
            self.code -= 1
        elif tag in self.BLOCKS and self.open:
            self.texts.append("".join(self.open.pop()))

    def handle_data(self, data):
        if self.open and not self.code:
            self.open[-1].append(data)


LEFTOVER_MARKER = re.compile(r"\n[ \t]*(?:[-*+]|\d+\.)[ \t]+\S[^\n]{0,60}")


def test_a_marker_for_a_list_inside_a_list_is_never_left_as_text(spec):
    """A list nested in a list item needs four spaces of indent in Python-Markdown (three,
    as under "1. ", are enough on GitHub): with fewer, its items run on as text, '- …'
    and '2. …' in the middle of a paragraph. Every lesson, instructions and hints."""
    shown = [(lesson.folder, lesson.doc.body) for lesson in spec.lessons]
    for lesson in spec.lessons:
        for exercise in lesson.exercises:
            shown.append((exercise.slug, exercise.doc.body))
            hints = exercise.doc.meta.get("hints") or []
            shown += [(f"{exercise.slug} hint {n}", hint) for n, hint in enumerate(hints, 1)]
    left = []
    for where, markdown in shown:
        blocks = _BlockText()
        blocks.feed(render(markdown))
        left += [f"{where}: {m.group(0).strip()!r}" for text in blocks.texts for m in LEFTOVER_MARKER.finditer(text)]
    assert not left, "list markers shown as text (indent the inner list four spaces):\n" + "\n".join(left)
