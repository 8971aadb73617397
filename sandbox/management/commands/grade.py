"""Grade the files in a folder exactly as a web submission would be graded.

Exit status: 0 pass, 1 fail, 2 error, 3 unusable input.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from lessons.models import Exercise
from sandbox import grading
from sandbox.runner import SandboxUnavailable
from sandbox.services import SubmissionRefused, submission_files_clean

EXIT = {"pass": 0, "fail": 1, "error": 2}
UNUSABLE = 3


class Command(BaseCommand):
    help = "Grade a folder of files against an exercise, without the queue."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("exercise", help="exercise slug, or course/exercise")
        parser.add_argument("--dir", required=True, type=Path, help="folder holding the learner's files")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print the full result as JSON")

    def handle(self, *args, exercise: str, dir: Path, as_json: bool, **options):
        try:
            found = find_exercise(exercise)
            files = read_folder(dir)
            files = submission_files_clean(exercise=found, files=files)
        except (LookupError, SubmissionRefused, OSError) as exc:
            self.stderr.write(f"grade: {exc}")
            sys.exit(UNUSABLE)
        try:
            result = grading.grade(found, files)
        except SandboxUnavailable as exc:
            result = {"status": "error", "message": f"The sandbox is unavailable: {exc}", "tests": [], "app_log": ""}
        if as_json:
            self.stdout.write(json.dumps(result, indent=2))
        else:
            self.stdout.write(render_text(found, result))
        sys.exit(EXIT[result["status"]])


def find_exercise(name: str) -> Exercise:
    course_slug, _, slug = name.rpartition("/")
    matches = Exercise.objects.filter(slug=slug)
    if course_slug:
        matches = matches.filter(course__slug=course_slug)
    found = list(matches.select_related("course")[:2])
    if not found:
        raise LookupError(f"no exercise named {name!r} (run import_course first?)")
    if len(found) > 1:
        raise LookupError(f"{name!r} is in several courses: say which, as course/{slug}")
    return found[0]


def read_folder(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        raise OSError(f"{folder} is not a folder")
    files = {}
    for path in sorted(folder.rglob("*")):
        if "__pycache__" in path.parts:
            continue
        if path.is_symlink():
            raise OSError(f"{path.relative_to(folder)} is a symbolic link; send the file itself")
        if path.is_file():
            files[path.relative_to(folder).as_posix()] = path.read_bytes()
    return files


def render_text(exercise: Exercise, result: dict) -> str:
    marks = {"pass": "PASS", "fail": "FAIL", "error": "ERROR"}
    lines = [f"{exercise.slug}: {marks[result['status']]} — {result.get('message', '')}"]
    for test in result.get("tests", []):
        lines.append(f"  [{marks.get(test['status'], test['status'])}] {test['name']}")
        if test.get("message"):
            lines.extend(f"      {line}" for line in test["message"].splitlines())
    if result.get("app_log"):
        lines.append("app log:")
        lines.extend(f"  | {line}" for line in result["app_log"].splitlines()[-40:])
    if result.get("app_log_note"):
        lines.append(f"  ({result['app_log_note']})")
    return "\n".join(lines)
