"""The content folder (see DESIGN.md), its import into the database and its export back.

    <course>/course.md                               front matter: title, summary
    <course>/<NN>-<lesson>/lesson.md                 front matter: title; body: markdown
    <course>/<NN>-<lesson>/<exercise>/exercise.md    front matter: title, framework,
        editable, entrypoint, limits, hints, tests; body: the instructions
      starter/…  solution/…  tests/…
    <course>/<NN>-<lesson>/tests/…                   tests shared by the lesson's
        exercises that say ``tests: shared`` (one black-box file grades a Flask and a
        Django solution alike)

Every document may also say ``published: false``: a draft, imported unpublished.

Import errors name the file and the line. The export writes the same folder back, byte
for byte for content that was imported and not changed since: the database keeps each
document's front matter as written, and each body and file exactly.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction
from django.db.models import Prefetch

from . import markdown
from .models import Course, Exercise, ExerciseFile, Lesson

LESSON_DIR = re.compile(r"^(?P<number>\d+)-(?P<slug>[a-z0-9][a-z0-9-]*)$")
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
FRAMEWORKS = {"flask", "django"}
LIMIT_KEYS = {"memory_mb", "cpus", "pids", "wall_seconds", "output_bytes"}
MAX_CONTENT_FILE_BYTES = 256 * 1024


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
    text = read_text(path)
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
            files[path.relative_to(root).as_posix()] = read_text(path)
    return files


@dataclass
class ExerciseSpec:
    slug: str
    number: int
    doc: Document
    starter: dict[str, str]
    solution: dict[str, str]
    tests: dict[str, str]
    tests_shared: bool = False


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
        if name.startswith("/") or ".." in Path(name).parts:
            raise ContentError(doc.path, doc.line_of("editable"), f"editable path {name!r} leaves the exercise")
    limits = doc.meta.get("limits") or {}
    if not isinstance(limits, dict) or not set(limits) <= LIMIT_KEYS:
        unknown = ", ".join(sorted(set(limits) - LIMIT_KEYS)) if isinstance(limits, dict) else limits
        raise ContentError(
            doc.path, doc.line_of("limits"), f"unknown limits: {unknown}; known: {', '.join(sorted(LIMIT_KEYS))}"
        )
    for key, value in limits.items():
        if not isinstance(value, (int, float)) or value <= 0:
            raise ContentError(doc.path, doc.line_of("limits"), f"limit {key} should be a positive number")
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
    stray = sorted(set(spec.solution) - set(editable))
    if stray:
        raise ContentError(doc.path, doc.line_of("editable"), f"solution/{stray[0]} is not listed in “editable”")
    return spec


def load_course(folder: Path) -> CourseSpec:
    folder = Path(folder)
    if not folder.is_dir():
        raise ContentError(folder, None, "not a folder")
    if not SLUG.match(folder.name):
        raise ContentError(folder, None, "course folder names use lowercase letters, digits and hyphens")
    doc = read_document(folder / "course.md")
    doc.require("title")
    read_published(doc)
    lessons: list[LessonSpec] = []
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        match = LESSON_DIR.match(sub.name)
        if not match:
            raise ContentError(sub, None, "lesson folders are named NN-slug, for example 01-hello-flask")
        lesson_doc = read_document(sub / "lesson.md")
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
        "tests_shared": meta.get("tests", "own") == "shared",
        "published": meta.get("published", True),
    }


# A change to any of these (or to the files) makes a new version of the exercise.
GRADED_BY = ("framework", "entrypoint", "editable", "limits")


def _set(obj, **values) -> bool:
    """Assign changed values; True if anything changed."""
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    for key in changed:
        setattr(obj, key, values[key])
    return bool(changed)


@transaction.atomic
def course_import(folder: Path) -> tuple[Course, list[str]]:
    """Sync the folder into the database, in place. Idempotent: a second import of the
    same folder changes nothing. Nothing a learner submitted is ever deleted: lessons and
    exercises that left the folder are unpublished, not removed."""
    spec = load_course(Path(folder))
    changes: list[str] = []
    course, created = Course.objects.get_or_create(slug=spec.slug, defaults={"title": spec.doc.meta["title"]})
    if (
        _set(
            course,
            **course_fields(spec.doc.meta),
            body=spec.doc.body,
            body_html=markdown.render(spec.doc.body),
            front_matter=spec.doc.meta_text,
        )
        or created
    ):
        course.save()
        changes.append(f"course {course.slug}")
    kept_lessons, kept_exercises = [], []
    for lspec in spec.lessons:
        lesson, created = Lesson.objects.get_or_create(
            course=course,
            slug=lspec.slug,
            defaults={"number": lspec.number, "title": lspec.doc.meta["title"], "folder": lspec.folder},
        )
        if (
            _set(
                lesson,
                number=lspec.number,
                folder=lspec.folder,
                **lesson_fields(lspec.doc.meta),
                body=lspec.doc.body,
                body_html=markdown.render(lspec.doc.body),
                front_matter=lspec.doc.meta_text,
            )
            or created
        ):
            lesson.save()
            changes.append(f"lesson {lesson.slug}")
        kept_lessons.append(lesson.id)
        for espec in lspec.exercises:
            exercise = _import_exercise(course, lesson, espec, changes)
            kept_exercises.append(exercise.id)
    gone = Lesson.objects.filter(course=course, published=True).exclude(id__in=kept_lessons).update(published=False)
    gone += (
        Exercise.objects.filter(course=course, published=True).exclude(id__in=kept_exercises).update(published=False)
    )
    if gone:
        changes.append(f"{gone} lessons or exercises unpublished (no longer in the folder)")
    return course, changes


def _import_exercise(course: Course, lesson: Lesson, spec: ExerciseSpec, changes: list[str]) -> Exercise:
    exercise = Exercise.objects.filter(course=course, slug=spec.slug).first()
    created = exercise is None
    if created:
        exercise = Exercise(course=course, slug=spec.slug, lesson=lesson)
    fields = exercise_fields(spec.doc.meta)
    wanted_files = (
        {(ExerciseFile.Kind.STARTER, p): t for p, t in spec.starter.items()}
        | {(ExerciseFile.Kind.SOLUTION, p): t for p, t in spec.solution.items()}
        | {(ExerciseFile.Kind.TEST, p): t for p, t in spec.tests.items()}
    )
    current_files = {} if created else {(f.kind, f.path): f.content for f in exercise.files.all()}
    grading_changed = not created and (
        current_files != wanted_files or any(getattr(exercise, k) != fields[k] for k in GRADED_BY)
    )
    changed = _set(
        exercise,
        lesson_id=lesson.id,
        number=spec.number,
        **fields,
        instructions=spec.doc.body,
        instructions_html=markdown.render(spec.doc.body),
        front_matter=spec.doc.meta_text,
    )
    if grading_changed:
        exercise.version += 1
    if changed or grading_changed or created:
        exercise.save()
        changes.append(f"exercise {exercise.slug}" + (f" (version {exercise.version})" if grading_changed else ""))
    if created or current_files != wanted_files:
        exercise.files.all().delete()
        ExerciseFile.objects.bulk_create(
            ExerciseFile(exercise=exercise, kind=kind, path=path, content=text)
            for (kind, path), text in sorted(wanted_files.items())
        )
    return exercise


# The export: the database back into a content folder.

# The keys each document understands, in the order a fresh front matter is written.
COURSE_KEYS = ("title", "summary", "published")
LESSON_KEYS = ("title", "published")
EXERCISE_KEYS = ("title", "framework", "entrypoint", "editable", "tests", "limits", "hints", "published")


class ExportError(Exception):
    """The database holds something a content folder cannot say, or the folder is not
    safe to write into. Raised before anything is written."""


class FolderNotEmpty(ExportError):
    """The export writes into an empty folder unless told it may overwrite."""


@dataclass
class CourseExport:
    folder: Path
    written: list[str]  # every file of the course, relative to the folder
    changed: list[str]  # those whose bytes were not already there
    left: list[str]  # files in the folder the export did not write (never deleted)
    warnings: list[str]


class _FrontMatterDumper(yaml.SafeDumper):
    """Writes front matter as the shipped course is written: list items indented under
    their key, and text with line breaks as a literal block."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    # PyYAML falls back to a quoted style by itself when a literal block cannot hold the text.
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|" if "\n" in text else None)


_FrontMatterDumper.add_representer(str, _represent_text)


def front_matter_dump(meta: dict) -> str:
    """Fresh front matter: keys in the order given, never wrapped (a hint stays one line)."""
    return yaml.dump(
        meta,
        Dumper=_FrontMatterDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=float("inf"),
    )


def _front_matter(stored: str, fields_of: Callable[[dict], dict], fresh: dict, known: tuple[str, ...]) -> str:
    """The stored front matter while it still sets what the row holds (so an unchanged
    document comes back byte for byte, comments and quoting included); otherwise fresh
    YAML from the row, keeping any keys the import does not read.

    ``fresh`` is the row as front matter; both are read by the import's own
    ``fields_of``, so "still sets what the row holds" means what the import means."""
    try:
        meta = yaml.safe_load(stored) if stored.strip() else None
    except yaml.YAMLError:
        meta = None
    if not isinstance(meta, dict):
        return front_matter_dump(fresh)
    try:
        if fields_of(meta) == fields_of(fresh):
            return stored
    except (KeyError, TypeError, ValueError):
        pass
    return front_matter_dump(fresh | {key: value for key, value in meta.items() if key not in known})


def _document(front_matter: str, body: str) -> str:
    return f"---\n{front_matter}---\n{body}"


def _course_document(course: Course) -> str:
    fresh: dict = {"title": course.title}
    if course.summary:
        fresh["summary"] = course.summary
    if not course.published:
        fresh["published"] = False
    return _document(_front_matter(course.front_matter, course_fields, fresh, COURSE_KEYS), course.body)


def _lesson_document(lesson: Lesson) -> str:
    fresh: dict = {"title": lesson.title}
    if not lesson.published:
        fresh["published"] = False
    return _document(_front_matter(lesson.front_matter, lesson_fields, fresh, LESSON_KEYS), lesson.body)


def _exercise_document(exercise: Exercise, *, shares_tests: bool) -> str:
    fresh: dict = {
        "title": exercise.title,
        "framework": exercise.framework,
        "entrypoint": exercise.entrypoint,
        "editable": list(exercise.editable),
    }
    if shares_tests:
        fresh["tests"] = "shared"
    if exercise.limits:
        fresh["limits"] = dict(exercise.limits)
    if exercise.hints:
        fresh["hints"] = list(exercise.hints)
    if not exercise.published:
        fresh["published"] = False
    front_matter = _front_matter(exercise.front_matter, exercise_fields, fresh, EXERCISE_KEYS)
    return _document(front_matter, exercise.instructions)


def _lesson_folder(lesson: Lesson) -> str:
    """Lesson.folder, unless the lesson was renumbered or renamed since (the import reads
    the number and the slug from the folder name, so the name must say them)."""
    if not SLUG.match(lesson.slug):
        raise ExportError(f"lesson {lesson.slug!r}: a folder name needs lowercase letters, digits and hyphens")
    match = LESSON_DIR.match(lesson.folder)
    if match and match["slug"] == lesson.slug and int(match["number"]) == lesson.number:
        return lesson.folder
    return f"{lesson.number:02d}-{lesson.slug}"


def _file_path(owner: str, path: str) -> str:
    """An exercise file's path, refused if it could land outside its folder."""
    parts = path.split("/")
    if "\\" in path or "\0" in path or any(part in ("", ".", "..") for part in parts):
        raise ExportError(f"{owner}: file path {path!r} is not a plain relative path")
    return path


def _test_files(exercise: Exercise) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((f.path, f.content) for f in exercise.files.all() if f.kind == ExerciseFile.Kind.TEST))


def _lesson_tests(exercises: list[Exercise]) -> tuple[dict[str, str], set[int]]:
    """The lesson's shared tests/ and the ids of the exercises that use it.

    The import gives every ``tests: shared`` exercise the same files. Should they have
    drifted apart since, the tests most published exercises use stay the lesson's; each
    other exercise keeps its own exactly, in tests/ of its own (so nothing is lost)."""
    groups: dict[tuple, list[Exercise]] = {}
    for exercise in exercises:
        if exercise.tests_shared:
            groups.setdefault(_test_files(exercise), []).append(exercise)
    if not groups:
        return {}, set()
    # max() keeps the first of equals: the group of the lesson's earliest exercise.
    tests, sharing = max(groups.items(), key=lambda group: (sum(e.published for e in group[1]), len(group[1])))
    return dict(tests), {exercise.id for exercise in sharing}


class _Tree(dict):
    """Relative path → text, refusing a path twice or a path that is also a folder."""

    def add(self, path: str, text: str) -> None:
        if path in self:
            raise ExportError(f"two things would be written to {path}")
        self[path] = text

    def check(self) -> None:
        folders = {"/".join(path.split("/")[:n]) for path in self for n in range(1, path.count("/") + 1)}
        clash = sorted(folders & set(self))
        if clash:
            raise ExportError(f"{clash[0]} would be both a file and a folder")


def course_files(course: Course) -> tuple[dict[str, str], list[str]]:
    """The content folder of ``course`` as {relative path: text}, drafts included, with
    warnings about anything the folder cannot say the way the database does."""
    tree, warnings = _Tree(), []
    tree.add("course.md", _course_document(course))
    exercises = Exercise.objects.order_by("number", "slug").prefetch_related("files")
    lessons = course.lessons.order_by("number", "slug").prefetch_related(Prefetch("exercises", queryset=exercises))
    for lesson in lessons:
        folder = _lesson_folder(lesson)
        tree.add(f"{folder}/lesson.md", _lesson_document(lesson))
        in_lesson = list(lesson.exercises.all())
        shared_tests, sharing = _lesson_tests(in_lesson)
        for exercise in in_lesson:
            if not SLUG.match(exercise.slug) or (shared_tests and exercise.slug == "tests"):
                raise ExportError(f"exercise {exercise.slug!r}: not a usable folder name in lesson {folder}")
            if exercise.tests_shared and exercise.id not in sharing:
                warnings.append(
                    f"{folder}/{exercise.slug}: its “tests: shared” differ from the lesson's tests/, "
                    "so it is written with tests of its own"
                )
            _add_exercise(tree, f"{folder}/{exercise.slug}", exercise, shares_tests=exercise.id in sharing)
        for path, text in shared_tests.items():
            tree.add(f"{folder}/tests/{_file_path(f'{folder}/tests', path)}", text)
        slugs = [exercise.slug for exercise in in_lesson]
        if slugs != sorted(slugs):
            warnings.append(
                f"{folder}: the import orders exercises by folder name ({', '.join(sorted(slugs))}), "
                f"not as numbered in the database ({', '.join(slugs)})"
            )
    tree.check()
    return dict(tree), warnings


def _add_exercise(tree: _Tree, folder: str, exercise: Exercise, *, shares_tests: bool) -> None:
    tree.add(f"{folder}/exercise.md", _exercise_document(exercise, shares_tests=shares_tests))
    for file in exercise.files.all():
        if file.kind == ExerciseFile.Kind.TEST and shares_tests:
            continue  # written once, in the lesson's tests/
        tree.add(f"{folder}/{file.kind}/{_file_path(folder, file.path)}", file.content)


def _existing_files(folder: Path) -> list[str]:
    """Files already in the folder, as the import would see them (no bytecode)."""
    found = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        found += [(Path(root) / n).relative_to(folder).as_posix() for n in names if not n.endswith(".pyc")]
    return sorted(found)


def _check_target(folder: Path, files: dict[str, str], force: bool) -> None:
    """Refuse before writing anything: a non-empty folder unless forced, and anything in
    the way, in particular a symbolic link that would carry a write outside the folder."""
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{folder} is not a folder")
    if not folder.exists():
        return
    if not force and any(folder.iterdir()):
        raise FolderNotEmpty(f"{folder} is not empty")
    checked: set[Path] = set()
    for relative in files:
        parts = relative.split("/")
        for depth in range(1, len(parts) + 1):
            path = folder.joinpath(*parts[:depth])
            if path in checked:
                continue
            checked.add(path)
            if path.is_symlink():
                raise ExportError(f"{path} is a symbolic link: the export does not write through links")
            if depth == len(parts) and path.is_dir():
                raise ExportError(f"{path} is a folder where the export writes a file")
            if depth < len(parts) and path.exists() and not path.is_dir():
                raise ExportError(f"{path} is a file where the export writes a folder")


def course_export(*, course: Course, folder: Path, force: bool = False) -> CourseExport:
    """Write the content folder of ``course`` into ``folder``: the inverse of
    course_import. Into an empty (or new) folder unless ``force``; then each file the
    export writes replaces the one there, and every other file is left as it is and
    reported (the import would read it, so the author decides)."""
    folder = Path(folder)
    files, warnings = course_files(course)
    _check_target(folder, files, force)
    changed = []
    for relative, text in files.items():
        path, data = folder / relative, text.encode("utf-8")
        if path.is_file() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        changed.append(relative)
    left = sorted(set(_existing_files(folder)) - set(files))
    if folder.name != course.slug:
        warnings.append(
            f"importing {folder} makes a course named {folder.name!r}; name it {course.slug!r} to update this one"
        )
    try:
        load_course(folder)
    except ContentError as exc:
        warnings.append(f"the folder does not import as it is: {exc}")
    return CourseExport(folder=folder, written=sorted(files), changed=changed, left=left, warnings=warnings)
