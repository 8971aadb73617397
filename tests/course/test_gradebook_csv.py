"""The gradebook as CSV: the filtered view, one row per learner, one column per exercise,
and no cell a spreadsheet would run as a formula."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from course.exports import csv_safe
from course.models import Enrollment
from sandbox.services import verdict_override
from tests.conftest import PASSWORD
from tests.course.helpers import graded, pending


@pytest.fixture
def grader_client(grader):
    client = Client()
    assert client.login(username="grader", password=PASSWORD)
    return client


def download(client, course, **params) -> list[list[str]]:
    response = client.get(f"/courses/{course.slug}/gradebook.csv", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{course.slug}-gradebook.csv"'
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_one_row_per_learner_one_column_per_exercise(grader_client, course, learner, other_learner, grader):
    hello, routes = course.exercises.get(slug="flask-hello"), course.exercises.get(slug="flask-routes")
    graded(learner, hello, "fail")
    overridden = graded(learner, hello, "fail")
    verdict_override(submission_id=overridden.id, by=grader, to_status="pass", reason="ok")
    graded(learner, routes, "fail")
    pending(other_learner, hello)

    header, *rows = download(grader_client, course)
    slugs = list(course.exercises.filter(published=True).values_list("slug", flat=True))
    assert header == ["learner", "name", "passed", "of", "attempts", "last activity", *slugs]
    assert [row[0] for row in rows] == ["learner", "other-learner"]
    mine = dict(zip(header, rows[0], strict=True))
    assert (mine["passed"], mine["of"], mine["attempts"]) == ("1", str(len(slugs)), "3")
    assert (mine["flask-hello"], mine["flask-routes"], mine["django-hello"]) == ("passed", "not passed", "not started")
    assert mine["last activity"].startswith("20")
    theirs = dict(zip(header, rows[1], strict=True))
    assert (theirs["flask-hello"], theirs["passed"]) == ("waiting", "0") and theirs["last activity"]


def test_it_exports_the_filtered_view(grader_client, course, learner, other_learner):
    hello = course.exercises.get(slug="flask-hello")
    graded(learner, hello, "pass")
    header, *rows = download(grader_client, course, lesson=hello.lesson.slug, q="other", page="2", per_page="25")
    assert header[6:] == list(hello.lesson.exercises.values_list("slug", flat=True))
    assert [row[0] for row in rows] == ["other-learner"]  # every page, not just one


def test_no_cell_starts_a_formula(grader_client, course):
    User = get_user_model()
    for username, first, last in [
        ("=cmd", '=HYPERLINK("http://evil")', "+1"),
        ("@sum", "-2+3", "@A1"),
        ("-minus", "\tTab", "plain"),
    ]:
        user = User.objects.create_user(username=username, first_name=first, last_name=last)
        Enrollment.objects.create(user=user, course=course)
    _, *rows = download(grader_client, course)
    cells = [cell for row in rows for cell in row[:2]]
    assert cells
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert "'=cmd" in cells and '\'=HYPERLINK("http://evil") +1' in cells


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\t=x", "'\t=x"),
        ("a=b", "a=b"),
        (3, "3"),
        (None, ""),
    ],
)
def test_csv_safe_quotes_what_would_be_a_formula(value, safe):
    assert csv_safe(value) == safe
