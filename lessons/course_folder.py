"""Reading a content folder (see DESIGN.md): its documents, files and rules, and what each
document's front matter sets on its row (read by the import and by the export alike).

    <course>/course.md                               front matter: title, summary
    <course>/<NN>-<lesson>/lesson.md                 front matter: title; body: markdown
    <course>/<NN>-<lesson>/<exercise>/exercise.md    front matter: title, kind,
        framework, entrypoint, editable (files, folders/, globs/**), setup, tests,
        reveal_missed_after, limits, hints; body: the instructions
      starter/…  solution/…  tests/…
      variants/<slug>/variant.md + files      wrong solutions: the tests must fail each
      alternatives/<slug>/alternative.md + …  correct ones written otherwise: must pass
      kind: tests — app/… (the correct app), starter/ and solution/ hold tests, each
        of variants/ is a buggy app (laid over app/) the tests must fail; no tests/
    <course>/<NN>-<lesson>/tests/…                   tests shared by the lesson's
        exercises that say ``tests: shared`` (one black-box file grades a Flask and a
        Django solution alike)

Every document may also say ``published: false``: a draft, imported unpublished.

Errors name the file and the line. Nothing here touches the database.
"""

from __future__ import annotations

import difflib
import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .models import LIMIT_NAMES
from .paths import Editable, entry_problem, path_problem

# Course and exercise folders are named by a slug; lesson folders by NN-slug. The
# authoring forms hold a slug to the same rule, since it names a folder.
_SLUG = r"[a-z0-9][a-z0-9-]*"
SLUG = re.compile(rf"^{_SLUG}$")
LESSON_DIR = re.compile(rf"^(?P<number>\d+)-(?P<slug>{_SLUG})$")
FRAMEWORKS = {"flask", "django"}
LIMIT_KEYS = frozenset(LIMIT_NAMES)
MAX_CONTENT_FILE_BYTES = 256 * 1024

# The keys each document understands, in the order a fresh front matter is written. Any
# other key is refused (a typo would otherwise be ignored), but for keys of the author's
# own, which start with "x-": kept as written, and exported again.
COURSE_KEYS = ("title", "summary", "published")
LESSON_KEYS = ("title", "published")
EXERCISE_KEYS = (
    "title",
    "kind",
    "framework",
    "entrypoint",
    "editable",
    "setup",
    "tests",
    "reveal_missed_after",
    "limits",
    "hints",
    "published",
)
VARIANT_KEYS = ("description", "remove")
OWN_KEY_PREFIX = "x-"


class ContentError(Exception):
    """A problem in the content folder, located by file and line."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path, self.line, self.message = Path(path), line, message
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.path}:{self.line or 1}: {self.message}"


@dataclass
class Document:
    path: Path
    meta: dict
    body: str
    meta_text: str

    def line_of(self, key: str) -> int:
        """The line of ``key:`` in the front matter (1-based, counting the --- line)."""
        for number, line in enumerate(self.meta_text.splitlines(), start=2):
            if re.match(rf"^{re.escape(key)}\s*:", line):
                return number
        return 1

    def entry_line(self, key: str, value: str) -> int:
        """The line of ``- value`` under ``key:`` (else the key's own line)."""
        start = self.line_of(key)
        for number, line in enumerate(self.meta_text.splitlines()[start - 2 :], start=start):
            if line.strip().lstrip("-").strip().strip("'\"") == value:
                return number
        return start

    def check_keys(self, known: tuple[str, ...]) -> None:
        """Refuse a key this document does not understand, naming its line (and the known
        key it most resembles): a misspelt ``setpu:`` must not be silently ignored."""
        for key in self.meta:
            if isinstance(key, str) and (key in known or key.startswith(OWN_KEY_PREFIX)):
                continue
            close = difflib.get_close_matches(str(key), known, n=1)
            hint = f" (did you mean “{close[0]}”?)" if close else ""
            raise ContentError(
                self.path,
                self.line_of(str(key)),
                f"unknown key “{key}”{hint}; this file takes {', '.join(known)}, and keys of your own "
                f"starting with {OWN_KEY_PREFIX}",
            )

    def require(self, key: str, kind: type = str):
        if key not in self.meta:
            raise ContentError(self.path, 1, f"front matter needs “{key}”")
        value = self.meta[key]
        if not isinstance(value, kind) or (kind is str and not value.strip()):
            raise ContentError(self.path, self.line_of(key), f"“{key}” should be a {kind.__name__}")
        return value


def read_text(path: Path) -> str:
    if path.is_symlink():
        raise ContentError(path, None, "symbolic links are not allowed in course content")
    if path.stat().st_size > MAX_CONTENT_FILE_BYTES:
        raise ContentError(path, None, f"file is larger than {MAX_CONTENT_FILE_BYTES // 1024} KiB")
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise ContentError(path, line, "not UTF-8 text") from None


def read_document(path: Path) -> Document:
    if not path.is_file():
        raise ContentError(path, None, "file is missing")
    return parse_document(path, read_text(path))


def parse_document(path: Path, text: str) -> Document:
    """A document's front matter and body, from its text (``path`` names it in errors)."""
    if not text.startswith("---\n"):
        raise ContentError(path, 1, "expected front matter: the file should start with a line '---'")
    end = text.find("\n---\n", 3)
    if end == -1 and text.endswith("\n---"):
        end = len(text) - 4
    if end == -1:
        raise ContentError(path, 1, "front matter is not closed by a line '---'")
    meta_text = text[4 : end + 1]
    try:
        meta = yaml.safe_load(meta_text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise ContentError(path, line, f"front matter is not valid YAML: {problem}") from None
    if not isinstance(meta, dict):
        raise ContentError(path, 2, "front matter should be a mapping of keys to values")
    # The body is kept as written, blank lines after the front matter included, so that
    # the export can give back the same bytes (markdown ignores leading blank lines).
    body = text[end + 5 :] if end + 5 <= len(text) else ""
    return Document(path=path, meta=meta, body=body, meta_text=meta_text)


def read_published(doc: Document) -> bool:
    """``published: false`` marks a draft: imported, kept in git, not shown to learners."""
    value = doc.meta.get("published", True)
    if not isinstance(value, bool):
        raise ContentError(doc.path, doc.line_of("published"), f"“published” should be true or false, not {value!r}")
    return value


def read_tree(root: Path) -> dict[str, str]:
    """Every file below ``root`` as text, keyed by its POSIX path relative to root."""
    files: dict[str, str] = {}
    if not root.is_dir():
        return files
    for path in sorted(root.rglob("*")):
        if "__pycache__" in path.parts or path.name.endswith(".pyc"):
            continue
        if path.is_symlink():
            raise ContentError(path, None, "symbolic links are not allowed in course content")
        if path.is_file():
            name = path.relative_to(root).as_posix()
            if problem := path_problem(name):
                raise ContentError(path, None, problem)
            files[name] = read_text(path)
    return files


@dataclass
class Variant:
    """A solution written otherwise, kept beside the exercise: in ``variants/<slug>/`` a
    plausible wrong one (the hidden tests must fail it), in ``alternatives/<slug>/`` a
    correct one written another way (they must pass it). ``files`` replace the
    solution's; the folder's ``variant.md`` (``alternative.md``) says what it is."""

    slug: str
    description: str
    files: dict[str, str]
    # Files of the solution that this one does not have (``remove:`` in its front matter):
    # a variant that forgot a migration, say.
    remove: tuple[str, ...] = ()

    def laid_over(self, files: dict[str, str]) -> dict[str, str]:
        """``files`` (the solution, or a tests exercise's app) with this one's over them,
        less those it removes."""
        laid = {**files, **self.files}
        for path in self.remove:
            laid.pop(path, None)
        return laid


VARIANT_FOLDERS = {"variants": "variant.md", "alternatives": "alternative.md"}
MAX_VARIANTS = 10  # of each kind: every one is a sandbox run when the exercise is checked


def learner_files_of(
    rule: Editable, starter: dict[str, str], solution: dict[str, str], variant: Variant | None = None
) -> dict[str, str]:
    """The whole set of files a learner would send to submit the solution, or a variant
    or alternative of it (its files laid over the solution's, less those it removes)."""
    whole = rule.overlay(starter, solution)
    return rule.learner_files(starter, variant.laid_over(whole)) if variant else whole


@dataclass
class ExerciseSpec:
    slug: str
    number: int
    doc: Document
    starter: dict[str, str]
    solution: dict[str, str]
    tests: dict[str, str]
    tests_shared: bool = False
    # Of a ``kind: tests`` exercise: the correct app the learner's tests run against.
    app: dict[str, str] = field(default_factory=dict)
    variants: dict[str, Variant] = field(default_factory=dict)
    alternatives: dict[str, Variant] = field(default_factory=dict)
    # Every file of variants/ and alternatives/, by kind and path: what the import stores.
    others: dict[str, dict[str, str]] = field(default_factory=dict)


def load_variants(folder: Path, kind: str, editable: list[str] | None) -> tuple[dict[str, Variant], dict[str, str]]:
    """The variants (or alternatives) of an exercise folder, and their files as stored.
    ``editable`` None: they are laid over the app of a tests exercise, not a solution."""
    tree = read_tree(folder / kind)
    found: dict[str, Variant] = {}
    doc_name = VARIANT_FOLDERS[kind]
    slugs = sorted({path.split("/", 1)[0] for path in tree})
    if len(slugs) > MAX_VARIANTS:
        raise ContentError(folder / kind, None, f"{kind}/ may hold at most {MAX_VARIANTS} folders")
    for slug in slugs:
        where = folder / kind / slug
        if not SLUG.match(slug) or f"{slug}/{doc_name}" not in tree:
            if not (folder / kind / slug).is_dir():
                raise ContentError(
                    where, None, f"{kind}/ holds folders only, one per {kind[:-1]}, each with {doc_name}"
                )
            if not SLUG.match(slug):
                raise ContentError(where, None, f"{kind[:-1]} folder names use lowercase letters, digits and hyphens")
            raise ContentError(where, None, f"a {kind[:-1]} needs {doc_name} (front matter: description)")
        doc = read_document(where / doc_name)
        doc.check_keys(VARIANT_KEYS)
        description = doc.require("description")
        remove = doc.meta.get("remove") or []
        rule = Editable.of(editable) if editable is not None else None
        if not isinstance(remove, list) or not all(
            isinstance(p, str) and (rule.covers(p) if rule else not path_problem(p)) for p in remove
        ):
            raise ContentError(
                doc.path,
                doc.line_of("remove"),
                "“remove” should list files of the solution that “editable” covers"
                if rule
                else "“remove” should list files of the app",
            )
        files = {path.split("/", 1)[1]: text for path, text in tree.items() if path.startswith(f"{slug}/")}
        files.pop(doc_name)
        if not files and not remove:
            raise ContentError(where, None, f"a {kind[:-1]} needs the files it changes, laid over the solution")
        stray = sorted(path for path in files if rule and not rule.covers(path))
        if stray:
            raise ContentError(where / stray[0], None, f"{kind}/{slug}/{stray[0]} is not listed in “editable”")
        found[slug] = Variant(slug=slug, description=str(description).strip(), files=files, remove=tuple(remove))
    return found, tree


def stored_variants(files: dict[str, str], kind: str = "variants") -> list[Variant]:
    """The variants (or alternatives) of an exercise as the import stored them (files of
    that kind, ``<slug>/variant.md`` and ``<slug>/<path>``), by slug: checked when imported."""
    doc_name = VARIANT_FOLDERS[kind]
    found = []
    for slug in sorted({path.split("/", 1)[0] for path in files if path.endswith(f"/{doc_name}")}):
        doc = parse_document(Path(kind, slug, doc_name), files[f"{slug}/{doc_name}"])
        own = {
            path.split("/", 1)[1]: text
            for path, text in files.items()
            if path.startswith(f"{slug}/") and path != f"{slug}/{doc_name}"
        }
        remove = tuple(str(p) for p in doc.meta.get("remove") or [])
        found.append(
            Variant(slug=slug, description=str(doc.meta.get("description", "")).strip(), files=own, remove=remove)
        )
    return found


@dataclass
class LessonSpec:
    slug: str
    number: int
    folder: str
    doc: Document
    exercises: list[ExerciseSpec] = field(default_factory=list)


@dataclass
class CourseSpec:
    slug: str
    doc: Document
    lessons: list[LessonSpec]


def load_exercise(folder: Path, number: int) -> ExerciseSpec:
    """One exercise folder; ``tests: shared`` takes the tests from the lesson's tests/."""
    doc = read_document(folder / "exercise.md")
    doc.check_keys(EXERCISE_KEYS)
    doc.require("title")
    read_published(doc)
    framework = doc.require("framework")
    if framework not in FRAMEWORKS:
        raise ContentError(
            doc.path, doc.line_of("framework"), f"framework should be flask or django, not {framework!r}"
        )
    doc.require("entrypoint")
    editable = doc.require("editable", list)
    if not editable or not all(isinstance(p, str) and p.strip() for p in editable):
        raise ContentError(doc.path, doc.line_of("editable"), "“editable” should list at least one file path")
    for name in editable:
        if problem := entry_problem(name):
            raise ContentError(doc.path, doc.entry_line("editable", name), f"editable: {problem}")
    rule = Editable.of(editable)
    limits = doc.meta.get("limits") or {}
    if not isinstance(limits, dict) or not set(limits) <= LIMIT_KEYS:
        unknown = ", ".join(sorted(set(limits) - LIMIT_KEYS)) if isinstance(limits, dict) else limits
        raise ContentError(
            doc.path, doc.line_of("limits"), f"unknown limits: {unknown}; known: {', '.join(sorted(LIMIT_KEYS))}"
        )
    for key, value in limits.items():
        if not isinstance(value, (int, float)) or value <= 0:
            raise ContentError(doc.path, doc.line_of("limits"), f"limit {key} should be a positive number")
    setup_commands(doc.meta.get("setup"), lambda message: ContentError(doc.path, doc.line_of("setup"), message))
    hints = doc.meta.get("hints") or []
    if not isinstance(hints, list) or not all(isinstance(h, str) for h in hints):
        raise ContentError(doc.path, doc.line_of("hints"), "“hints” should be a list of texts")
    tests_from = doc.meta.get("tests", "own")
    if tests_from not in {"own", "shared"}:
        raise ContentError(
            doc.path,
            doc.line_of("tests"),
            f"“tests” should be own (this exercise's tests/) or shared (the lesson's tests/), not {tests_from!r}",
        )
    shared = tests_from == "shared"
    kind = doc.meta.get("kind", "app")
    if kind not in ("app", "tests"):
        raise ContentError(
            doc.path,
            doc.line_of("kind"),
            f"“kind” should be app (the learner writes the app) or tests (they write the tests), not {kind!r}",
        )
    reveal = doc.meta.get("reveal_missed_after")
    if reveal is not None and (
        kind != "tests" or not isinstance(reveal, int) or isinstance(reveal, bool) or reveal < 1
    ):
        raise ContentError(
            doc.path,
            doc.line_of("reveal_missed_after"),
            "“reveal_missed_after” is a number of attempts (1 or more), for an exercise of kind tests",
        )
    if kind == "tests":
        return _load_tests_exercise(folder, number, doc, editable, shared)
    if shared and (folder / "tests").exists():
        raise ContentError(
            folder / "tests", None, "this exercise says “tests: shared”, so it cannot have tests/ of its own"
        )
    spec = ExerciseSpec(
        slug=folder.name,
        number=number,
        doc=doc,
        starter=read_tree(folder / "starter"),
        solution=read_tree(folder / "solution"),
        tests=read_tree(folder.parent / "tests" if shared else folder / "tests"),
        tests_shared=shared,
    )
    if not spec.tests:
        where = folder.parent / "tests" if shared else folder / "tests"
        raise ContentError(where, None, f"an exercise needs at least one test file in {where.name}/")
    if not spec.solution:
        raise ContentError(folder / "solution", None, "an exercise needs its reference solution in solution/")
    _solution_is_editable(spec, rule)
    spec.variants, spec.others["variants"] = load_variants(folder, "variants", editable)
    spec.alternatives, spec.others["alternatives"] = load_variants(folder, "alternatives", editable)
    return spec


def _solution_is_editable(spec: ExerciseSpec, rule: Editable) -> None:
    stray = sorted(path for path in spec.solution if not rule.covers(path))
    if stray:
        raise ContentError(
            spec.doc.path, spec.doc.line_of("editable"), f"solution/{stray[0]} is not listed in “editable”"
        )


def _load_tests_exercise(folder: Path, number: int, doc: Document, editable: list[str], shared: bool) -> ExerciseSpec:
    """A ``kind: tests`` exercise: ``app/`` is the correct app, ``starter/`` and
    ``solution/`` hold tests, each of ``variants/`` is a buggy app (laid over app/) that
    the tests must fail, and each of ``alternatives/`` is tests written another way (laid
    over solution/) that must do as well. There are no hidden tests: the learner writes them."""
    if shared or (folder / "tests").exists():
        where = folder / "tests" if (folder / "tests").exists() else doc.path
        raise ContentError(where, None, "an exercise of kind tests has no tests/: the learner writes the tests")
    spec = ExerciseSpec(
        slug=folder.name,
        number=number,
        doc=doc,
        starter=read_tree(folder / "starter"),
        solution=read_tree(folder / "solution"),
        tests={},
        app=read_tree(folder / "app"),
    )
    if not spec.app:
        raise ContentError(folder / "app", None, "an exercise of kind tests needs the correct app in app/")
    if not spec.solution:
        raise ContentError(
            folder / "solution", None, "an exercise of kind tests needs its reference tests in solution/"
        )
    rule = Editable.of(editable)
    _solution_is_editable(spec, rule)
    clash = sorted(path for path in spec.app if rule.covers(path))
    if clash:
        raise ContentError(
            folder / "app" / clash[0], None, f"app/{clash[0]} is covered by “editable”: the app is not the learner's"
        )
    spec.variants, spec.others["variants"] = load_variants(folder, "variants", None)
    if not spec.variants:
        raise ContentError(
            folder / "variants", None, "an exercise of kind tests needs buggy versions of the app in variants/<slug>/"
        )
    # Tests written another way (unittest classes, other helpers, other files): each must
    # pass on the app and catch every variant, as the reference tests do.
    spec.alternatives, spec.others["alternatives"] = load_variants(folder, "alternatives", editable)
    spec.others["app"] = spec.app
    return spec


SETUP_MAX_COMMANDS = 10


def setup_commands(value: object, error: Callable[[str], Exception]) -> list[str]:
    """An exercise's ``setup``: a list of commands, each split as a shell splits it but
    run without one, in the app's folder, before the app is served. Each runs a program
    from the sandbox image (``python``, ``flask``, ``django-admin``): the app's folder is
    mounted noexec, so a path to a program is refused here. ``error(message)`` makes the
    exception to raise."""
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
        raise error("“setup” should be a list of commands, for example - flask --app blog init-db")
    if len(value) > SETUP_MAX_COMMANDS:
        raise error(f"“setup” may have at most {SETUP_MAX_COMMANDS} commands")
    for command in value:
        try:
            argv = shlex.split(command)
        except ValueError as exc:
            raise error(f"setup command {command!r} cannot be split as a shell would: {exc}") from None
        if not argv:
            raise error("a setup command is empty")
        if "/" in argv[0]:
            raise error(
                f"setup command {command!r} runs {argv[0]}: run a program of the sandbox image by name "
                "(python, flask, django-admin), never a file of the app (its folder is noexec)"
            )
    return list(value)


def load_course(folder: Path) -> CourseSpec:
    folder = Path(folder)
    if not folder.is_dir():
        raise ContentError(folder, None, "not a folder")
    if not SLUG.match(folder.name):
        raise ContentError(folder, None, "course folder names use lowercase letters, digits and hyphens")
    doc = read_document(folder / "course.md")
    doc.check_keys(COURSE_KEYS)
    doc.require("title")
    read_published(doc)
    lessons: list[LessonSpec] = []
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        match = LESSON_DIR.match(sub.name)
        if not match:
            raise ContentError(sub, None, "lesson folders are named NN-slug, for example 01-hello-flask")
        lesson_doc = read_document(sub / "lesson.md")
        lesson_doc.check_keys(LESSON_KEYS)
        lesson_doc.require("title")
        read_published(lesson_doc)
        lesson = LessonSpec(slug=match["slug"], number=int(match["number"]), folder=sub.name, doc=lesson_doc)
        exercise_dirs = sorted(p for p in sub.iterdir() if p.is_dir() and (p / "exercise.md").exists())
        for index, ex_dir in enumerate(exercise_dirs, start=1):
            if not SLUG.match(ex_dir.name):
                raise ContentError(ex_dir, None, "exercise folder names use lowercase letters, digits and hyphens")
            lesson.exercises.append(load_exercise(ex_dir, index))
        lessons.append(lesson)
    seen: dict[str, Path] = {}
    for lesson in lessons:
        for ex in lesson.exercises:
            if ex.slug in seen:
                raise ContentError(ex.doc.path, None, f"exercise name {ex.slug!r} is used twice (also {seen[ex.slug]})")
            seen[ex.slug] = ex.doc.path
    return CourseSpec(slug=folder.name, doc=doc, lessons=lessons)


# What each document's front matter sets on its row. The import assigns these values and
# the export compares them with the row, so the two can never disagree about a key.


def course_fields(meta: dict) -> dict:
    return {
        "title": meta["title"],
        "summary": str(meta.get("summary", "")).strip(),
        "published": meta.get("published", True),
    }


def lesson_fields(meta: dict) -> dict:
    return {"title": meta["title"], "published": meta.get("published", True)}


def exercise_fields(meta: dict) -> dict:
    return {
        "title": meta["title"],
        "framework": meta["framework"],
        "entrypoint": meta["entrypoint"],
        "editable": list(meta["editable"]),
        "limits": dict(meta.get("limits") or {}),
        "hints": list(meta.get("hints") or []),
        "setup": list(meta.get("setup") or []),
        "kind": meta.get("kind", "app"),
        "reveal_missed_after": meta.get("reveal_missed_after"),
        "tests_shared": meta.get("tests", "own") == "shared",
        "published": meta.get("published", True),
    }
