"""The "Download my project" zip: a learner's workspace as a zip they can run on their own
machine with the framework's own command, and a README saying how."""

from __future__ import annotations

import io
import re
import zipfile
from functools import cache
from pathlib import Path

from lessons.models import Exercise

from .selectors import Workspace

IMAGES = Path(__file__).resolve().parent / "images"


@cache
def framework_packages(framework: str) -> tuple[str, ...]:
    """The framework and its extensions, pinned as the sandbox image has them (the lines
    of sandbox/images/requirements-<framework>.txt that name a ``<framework>…`` package)."""
    lines = (IMAGES / f"requirements-{framework}.txt").read_text().splitlines()
    return tuple(line.strip() for line in lines if re.match(rf"{framework}[a-z-]*==", line.strip(), re.I))


def run_command(exercise: Exercise) -> list[str]:
    """The commands that serve the app locally, as the framework's docs give them; of an
    exercise where the learner writes the tests, the command that runs them as Duet does."""
    if exercise.kind == Exercise.Kind.TESTS:
        if exercise.framework == Exercise.Framework.DJANGO:
            return ["python manage.py test"]
        return ["python -m pip install pytest", "python -m pytest"]
    if exercise.framework == Exercise.Framework.DJANGO:
        return ["python manage.py migrate", "python manage.py runserver"]
    app = exercise.entrypoint or "app"
    target = f'"{app}"' if "(" in app else app
    return [f"flask --app {target} run --debug"]


def project_readme(exercise: Exercise, has_requirements: bool) -> str:
    framework = exercise.get_framework_display()
    port = 8000 if exercise.framework == Exercise.Framework.DJANGO else 5000
    install = (
        "python -m pip install -r requirements.txt"
        if has_requirements
        else "python -m pip install " + " ".join(framework_packages(exercise.framework))
    )
    lines = [
        f"# {exercise.title}",
        "",
        f"Your files for this Duet exercise ({framework}), as they were in your workspace",
        "when you downloaded them, with the exercise's other files beside them.",
        "",
        "To run your tests on your own machine (Python 3.11 or later):"
        if exercise.kind == Exercise.Kind.TESTS
        else "To run the app on your own machine (Python 3.11 or later):",
        "",
        "```sh",
        "python -m venv .venv",
        ". .venv/bin/activate        # on Windows: .venv\\Scripts\\activate",
        install,
        *run_command(exercise),
        "```",
        "",
        *(
            [
                "They run against the app you were given. Duet also runs them against buggy",
                "versions of it, which you do not have: each should make a test fail.",
            ]
            if exercise.kind == Exercise.Kind.TESTS
            else [
                f"then open <http://127.0.0.1:{port}/>. Duet grades the same files with the versions",
                "installed above; the hidden tests talk to the app over HTTP, as your browser does.",
            ]
        ),
        "",
    ]
    return "\n".join(lines)


def project_zip(exercise: Exercise, workspace: Workspace) -> bytes:
    """The workspace's files (editable and read-only) under one folder named after the
    exercise, with a README; a README of the project's own is kept, ours is then
    README-duet.md."""
    files = {**workspace.readonly, **workspace.files}
    readme = "README-duet.md" if "README.md" in files else "README.md"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{exercise.slug}/{readme}", project_readme(exercise, "requirements.txt" in files))
        for path in sorted(files):
            archive.writestr(f"{exercise.slug}/{path}", files[path])
    return buffer.getvalue()
