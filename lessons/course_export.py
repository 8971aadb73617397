"""The export: the database back into a content folder, the inverse of course_import.

Byte for byte for content that was imported and not changed since: the stored front
matter is written back while it still says what the row holds, and each body and file
exactly.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db.models import Prefetch

from .course_folder import (
    COURSE_KEYS,
    EXERCISE_KEYS,
    LESSON_DIR,
    LESSON_KEYS,
    SLUG,
    ContentError,
    course_fields,
    exercise_fields,
    lesson_fields,
    load_course,
)
from .models import Course, Exercise, ExerciseFile, Lesson


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
    fresh = {key: fresh[key] for key in known if key in fresh}  # in the keys' order
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
    if exercise.kind != Exercise.Kind.APP:
        fresh["kind"] = exercise.kind
    if exercise.setup:
        fresh["setup"] = list(exercise.setup)
    if exercise.reveal_missed_after is not None:
        fresh["reveal_missed_after"] = exercise.reveal_missed_after
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
