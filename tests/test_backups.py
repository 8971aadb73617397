"""Backups that restore: `backup_database` while the site's data is there, then
`restore_database` into an empty database finds every submission, verdict, override and
comment again — on SQLite (its online backup) and on PostgreSQL (pg_dump/pg_restore);
scripts/test.sh runs this file on both."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import connection

from sandbox.models import Comment, Submission, Verdict, VerdictOverride
from tests.conftest import ROOT, on_postgresql, shared_database_url

pytestmark = pytest.mark.django_db(transaction=True)

COUNT = """
import json
import django
django.setup()
from sandbox.models import Comment, Submission, Verdict, VerdictOverride
print(json.dumps({
    "submissions": sorted(Submission.objects.values_list("id", "status", "override_status")),
    "verdicts": sorted(Verdict.objects.values_list("id", "submission_id", "status", "message")),
    "overrides": sorted(VerdictOverride.objects.values_list("id", "submission_id", "to_status", "reason")),
    "comments": sorted(Comment.objects.values_list("id", "body")),
}))
"""


def in_database(url: str, *argv: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "course.settings"}
    return subprocess.run([sys.executable, *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def as_lists(data: dict) -> dict:
    return json.loads(json.dumps(data))


@pytest.fixture
def empty_database(tmp_path):
    """The URL of a new, empty database of the kind this run uses."""
    if not on_postgresql():
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"duet_restore_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    url = shared_database_url().rsplit("/", 1)[0] + f"/{name}"
    yield url
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def graded_work(course, learner, grader) -> None:
    exercise = course.exercises.get(slug="flask-hello")
    for i in range(6):
        status = ("pass", "fail", "error")[i % 3]
        submission = Submission.objects.create(
            user=learner, exercise=exercise, exercise_version=exercise.version, files={"app.py": f"# {i} é ✓"}
        )
        Submission.objects.filter(id=submission.id).update(status=status)
        Verdict.objects.create(
            submission=submission, status=status, message=f"verdict {i} ␀ kept", exercise_version=1, result={"i": i}
        )
        if i % 2:
            VerdictOverride.objects.create(
                submission=submission, by=grader, from_status=status, to_status="pass", reason=f"reason {i}"
            )
            Submission.objects.filter(id=submission.id).update(override_status="pass")
            Comment.objects.create(submission=submission, author=grader, body=f"note {i}", body_html=f"<p>note {i}</p>")


def test_a_backup_restores_every_submission_verdict_and_override_into_an_empty_database(
    course, learner, grader, tmp_path, empty_database, capsys
):
    graded_work(course, learner, grader)
    before = in_database(shared_database_url(), "-c", COUNT)
    assert before.returncode == 0, before.stderr
    expected = json.loads(before.stdout)
    assert [len(expected[k]) for k in ("submissions", "verdicts", "overrides", "comments")] == [6, 6, 3, 3]

    backup = tmp_path / "duet.backup"
    call_command("backup_database", str(backup))
    assert backup.stat().st_size > 0 and oct(backup.stat().st_mode & 0o777) == "0o600"

    restored = in_database(empty_database, "manage.py", "restore_database", str(backup))
    assert restored.returncode == 0, restored.stderr
    after = in_database(empty_database, "-c", COUNT)
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout) == as_lists(expected)
    with capsys.disabled():
        print(f"\n[backup] {connection.vendor}: restored {', '.join(f'{len(v)} {k}' for k, v in expected.items())}")

    # A second restore would overwrite: refused, and the restored data is untouched.
    again = in_database(empty_database, "manage.py", "restore_database", str(backup))
    assert again.returncode != 0 and "the database is not empty" in again.stderr
    assert json.loads(in_database(empty_database, "-c", COUNT).stdout) == as_lists(expected)


def test_a_backup_never_overwrites_a_file_and_a_restore_needs_a_backup(db, tmp_path, empty_database):
    taken = tmp_path / "taken"
    taken.write_text("mine")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="exists: a backup never overwrites a file"):
        call_command("backup_database", str(taken))
    assert taken.read_text() == "mine"
    missing = in_database(empty_database, "manage.py", "restore_database", str(tmp_path / "nothing"))
    assert missing.returncode != 0 and "there is no backup at" in missing.stderr
