"""The content folder (see DESIGN.md) and its import into the database.

    <course>/course.md                               front matter: title, summary
    <course>/<NN>-<lesson>/lesson.md                 front matter: title; body: markdown
    <course>/<NN>-<lesson>/<exercise>/exercise.md    front matter: title, framework,
        editable, entrypoint, limits, hints; body: the instructions
      starter/…  solution/…  tests/…

Errors name the file and the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.db import transaction

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
    body = text[end + 5 :] if end + 5 <= len(text) else ""
    return Document(path=path, meta=meta, body=body.lstrip("\n"), meta_text=meta_text)


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
    doc = read_document(folder / "exercise.md")
    doc.require("title")
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
    spec = ExerciseSpec(
        slug=folder.name,
        number=number,
        doc=doc,
        starter=read_tree(folder / "starter"),
        solution=read_tree(folder / "solution"),
        tests=read_tree(folder / "tests"),
    )
    if not spec.tests:
        raise ContentError(folder / "tests", None, "an exercise needs at least one test file in tests/")
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
    lessons: list[LessonSpec] = []
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        match = LESSON_DIR.match(sub.name)
        if not match:
            raise ContentError(sub, None, "lesson folders are named NN-slug, for example 01-hello-flask")
        lesson_doc = read_document(sub / "lesson.md")
        lesson_doc.require("title")
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
            title=spec.doc.meta["title"],
            summary=str(spec.doc.meta.get("summary", "")).strip(),
            body=spec.doc.body,
            body_html=markdown.render(spec.doc.body),
            published=True,
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
                title=lspec.doc.meta["title"],
                body=lspec.doc.body,
                body_html=markdown.render(lspec.doc.body),
                published=True,
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
    meta = spec.doc.meta
    exercise = Exercise.objects.filter(course=course, slug=spec.slug).first()
    created = exercise is None
    if created:
        exercise = Exercise(course=course, slug=spec.slug, lesson=lesson)
    graded_by = {
        "framework": meta["framework"],
        "entrypoint": meta["entrypoint"],
        "editable": list(meta["editable"]),
        "limits": dict(meta.get("limits") or {}),
    }
    wanted_files = (
        {(ExerciseFile.Kind.STARTER, p): t for p, t in spec.starter.items()}
        | {(ExerciseFile.Kind.SOLUTION, p): t for p, t in spec.solution.items()}
        | {(ExerciseFile.Kind.TEST, p): t for p, t in spec.tests.items()}
    )
    current_files = {} if created else {(f.kind, f.path): f.content for f in exercise.files.all()}
    grading_changed = not created and (
        current_files != wanted_files or any(getattr(exercise, k) != v for k, v in graded_by.items())
    )
    changed = _set(
        exercise,
        lesson_id=lesson.id,
        number=spec.number,
        title=meta["title"],
        hints=list(meta.get("hints") or []),
        instructions=spec.doc.body,
        instructions_html=markdown.render(spec.doc.body),
        published=True,
        **graded_by,
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
