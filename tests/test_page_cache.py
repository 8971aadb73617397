"""The page cache (course.page_cache): a signed-in learner's course, lesson and exercise
pages are answered on the event loop from what the process kept, until any write to the
database is committed — in this process or another (a real Celery worker's verdict) —
and never to a browser sending other cookies."""

from __future__ import annotations

import asyncio
import time

import pytest
from django.db import transaction

from course import asgi, page_cache
from sandbox.models import Draft, Submission
from tests.asgi_client import answer, in_a_loop, scope_for
from tests.conftest import signed_in


def with_cookie(cookie: str | None) -> list[tuple[bytes, bytes]]:
    return [(b"cookie", cookie.encode())] if cookie else []


def fetch(path: str, cookie: str | None) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """One GET through course.asgi.application with ``cookie``: status, headers, body."""
    return in_a_loop(answer(scope_for(path, with_cookie(cookie))))


@pytest.fixture
def kept(monkeypatch, settings, redis_server):
    """A page cache of the test's own, on, and a count of what reached Django."""
    settings.PAGE_CACHE_SECONDS = 30
    cache = page_cache.PageCache(seconds=30, max_bytes=8 * 1024 * 1024, max_page_bytes=1024 * 1024)
    monkeypatch.setattr(asgi, "kept", cache)
    rendered: list[str] = []
    pages = asgi.pages

    async def counting(scope, receive, send):
        rendered.append(scope["path"])
        await pages(scope, receive, send)

    monkeypatch.setattr(asgi, "pages", counting)
    cache.rendered = rendered
    return cache


def cookie_of(client) -> str:
    """The cookies a browser signed in as ``client`` sends, after one page gave it its
    CSRF cookie."""
    client.get("/")
    return "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())


@pytest.fixture
def exercise(course):
    return course.exercises.get(slug="flask-hello")


def pages_of(exercise) -> list[str]:
    return [exercise.course.get_absolute_url(), exercise.lesson.get_absolute_url(), exercise.get_absolute_url()]


@pytest.mark.django_db(transaction=True)
def test_a_learners_pages_are_answered_again_without_django(kept, learner, exercise):
    cookie = cookie_of(signed_in("learner"))
    for path in pages_of(exercise):
        first = fetch(path, cookie)
        again = fetch(path, cookie)
        assert first[0] == again[0] == 200
        assert again == first, "the same status, headers and body"
        names = [name for name, _ in first[1]]
        assert page_cache._MARK not in names, "the cache's mark never leaves"
        assert b"content-security-policy" in names and b"x-frame-options" in names
    assert kept.rendered == pages_of(exercise), "each page rendered once"


@pytest.mark.django_db(transaction=True)
def test_a_new_attempt_or_draft_shows_at_once(kept, learner, exercise):
    cookie = cookie_of(signed_in("learner"))
    path = exercise.get_absolute_url()
    fetch(path, cookie)
    Submission.objects.create(
        user=learner,
        exercise=exercise,
        exercise_version=exercise.version,
        files={"app.py": "print('attempt one')\n"},
        status="fail",
    )
    _, _, body = fetch(path, cookie)
    assert kept.rendered == [path, path], "the write ended the kept page"
    assert b"attempt one" in body or b"Attempt 1" in body or b"attempt 1" in body.lower()
    fetch(path, cookie)
    assert len(kept.rendered) == 2, "kept again"
    Draft.objects.update_or_create(user=learner, exercise=exercise, defaults={"files": {"app.py": "# my draft\n"}})
    _, _, body = fetch(path, cookie)
    assert b"# my draft" in body and len(kept.rendered) == 3


@pytest.mark.django_db(transaction=True)
def test_a_published_edit_shows_at_once(kept, learner, exercise):
    cookie = cookie_of(signed_in("learner"))
    path = exercise.lesson.get_absolute_url()
    fetch(path, cookie)
    type(exercise.lesson).objects.filter(id=exercise.lesson_id).update(title="Routing, retitled")
    assert b"Routing, retitled" in fetch(path, cookie)[2]


@pytest.mark.django_db(transaction=True)
def test_a_transaction_ends_the_kept_pages_once_and_only_when_committed(kept, learner, exercise, monkeypatch):
    told = []
    real = page_cache.new_generation
    monkeypatch.setattr(page_cache, "new_generation", lambda: told.append(1) or real())
    cookie = cookie_of(signed_in("learner"))
    path = exercise.course.get_absolute_url()
    fetch(path, cookie)
    told.clear()
    with transaction.atomic():
        for n in range(3):
            Draft.objects.update_or_create(user=learner, exercise=exercise, defaults={"files": {"app.py": f"{n}\n"}})
        assert told == [], "not before the commit"
        fetch(path, cookie)
        assert kept.rendered == [path], "still the kept page: nothing is committed"
    assert told == [1], "once for the whole transaction"
    fetch(path, cookie)
    assert kept.rendered == [path, path]
    with pytest.raises(RuntimeError), transaction.atomic():
        Draft.objects.filter(user=learner).delete()
        raise RuntimeError("rolled back")
    assert told == [1], "a rolled-back write changes nothing"


@pytest.mark.django_db(transaction=True)
def test_no_other_browser_gets_a_kept_page(kept, learner, other_learner, exercise):
    path = exercise.get_absolute_url()
    mine = cookie_of(signed_in("learner"))
    theirs = cookie_of(signed_in("other-learner"))
    fetch(path, mine)
    _, _, body = fetch(path, theirs)
    assert kept.rendered == [path, path]
    assert b"other-learner" in body
    # The session alone, without the CSRF cookie the page was rendered for: rendered again.
    session_only = "; ".join(part for part in mine.split("; ") if part.startswith("sessionid="))
    fetch(path, session_only)
    assert len(kept.rendered) == 3


@pytest.mark.django_db(transaction=True)
def test_what_is_never_kept(kept, learner, outsider, exercise):
    path = exercise.get_absolute_url()
    for _ in range(2):
        assert fetch(path, None)[0] == 302  # signed out: to the login page
        assert fetch("/", cookie_of(signed_in("learner")))[0] == 200  # not a cached view
    outsider_cookie = cookie_of(signed_in("outsider"))
    for _ in range(2):
        assert fetch(path, outsider_cookie)[0] == 302  # not enrolled: to the course page
    assert kept.rendered == [path, "/"] * 2 + [path] * 2
    assert kept.pages == {}


def test_only_a_renewal_of_a_cookie_the_browser_sent_lets_an_answer_be_kept():
    sent = {"sessionid": "abc", "csrftoken": "t0ken"}
    renewal = [(b"set-cookie", b"csrftoken=t0ken; expires=Wed, 01 Dec 2027 17:08:44 GMT; Max-Age=31449600; Path=/")]
    assert page_cache._only_renewals(renewal, sent)
    assert page_cache._only_renewals([(b"content-type", b"text/html")], sent)
    for changed in (b"csrftoken=n3w; Path=/", b"sessionid=xyz; Path=/", b'messages=""; Max-Age=0; Path=/'):
        assert not page_cache._only_renewals([(b"set-cookie", changed)], sent), changed


@pytest.mark.django_db(transaction=True)
def test_with_redis_down_every_page_is_rendered(kept, learner, exercise, settings):
    cookie = cookie_of(signed_in("learner"))
    path = exercise.get_absolute_url()
    fetch(path, cookie)
    assert kept.pages
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # nothing listens there
    for _ in range(2):
        assert fetch(path, cookie)[0] == 200
    assert kept.rendered == [path] * 3 and kept.pages == {}, "what was kept is forgotten"


@pytest.mark.django_db(transaction=True)
def test_a_kept_page_ends_after_its_seconds(kept, learner, exercise, monkeypatch):
    cookie = cookie_of(signed_in("learner"))
    path = exercise.get_absolute_url()
    fetch(path, cookie)
    fetch(path, cookie)
    later = time.monotonic() + 31
    monkeypatch.setattr(page_cache.time, "monotonic", lambda: later)
    fetch(path, cookie)
    assert kept.rendered == [path, path]


@pytest.mark.django_db(transaction=True)
@pytest.mark.docker
def test_a_real_workers_verdict_ends_the_kept_page(kept, learner, exercise, celery_worker):
    """The verdict is written by another process: its commit replaces the generation in
    Redis, and the next request renders the page with the verdict."""
    from sandbox.services.submissions import SUBMISSIONS
    from tests.conftest import solution_files, wait_for_verdict

    cookie = cookie_of(signed_in("learner"))
    path = exercise.get_absolute_url()
    submission = Submission.objects.create(
        user=learner, exercise=exercise, exercise_version=exercise.version, files=solution_files("flask-hello")
    )
    queued = fetch(path, cookie)[2]
    assert b'<span class="status-badge">Queued</span>' in queued
    assert fetch(path, cookie)[2] == queued and len(kept.rendered) == 1, "kept"

    SUBMISSIONS.send(submission.id)  # to the real worker, in its own process
    assert wait_for_verdict(submission.id).verdict.status == "pass"
    graded = fetch(path, cookie)[2]
    assert len(kept.rendered) == 2, "rendered again after the worker's write"
    assert b'<span class="status-badge">Passed</span>' in graded


@pytest.mark.django_db(transaction=True)
def test_requests_for_a_page_being_rendered_wait_for_that_render(kept, learner, exercise, monkeypatch):
    """Sixteen at once for one page not kept yet: one render, and all get its answer."""
    cookie = cookie_of(signed_in("learner"))
    path = exercise.get_absolute_url()
    pages = asgi.pages

    async def slow(scope, receive, send):
        await asyncio.sleep(0.3)  # long enough for every other request to arrive
        await pages(scope, receive, send)

    monkeypatch.setattr(asgi, "pages", slow)

    async def many():
        return await asyncio.gather(*(answer(scope_for(path, with_cookie(cookie))) for _ in range(16)))

    answers = in_a_loop(many())
    rendered = [p for p in kept.rendered if p == path]
    assert len(rendered) == 1, f"{len(rendered)} renders for 16 requests"
    assert {status for status, _, _ in answers} == {200} and len({body for _, _, body in answers}) == 1
