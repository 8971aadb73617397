"""course.asgi's routes: a static file is answered on the event loop, with the headers the
WSGI site gives it; pages go to the thread pool; the status streams to Django's ASGI
handler."""

import pytest
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.test import Client

from course import asgi
from tests.asgi_client import answer, in_a_loop, scope_for


def fetch(path: str, headers: list[tuple[bytes, bytes]] = ()) -> tuple[int, dict[bytes, bytes], bytes]:
    """One GET through course.asgi.application: its status, headers and body."""
    status, sent, body = in_a_loop(answer(scope_for(path, headers)))
    return status, dict(sent), body


@pytest.fixture
def collected(settings, tmp_path, monkeypatch):
    """The static files collected into a folder of the test's own, and the ASGI app's
    WSGI site and file list made again from it, as a fresh process would make them."""
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("collectstatic", interactive=False, verbosity=0)
    monkeypatch.setattr(asgi, "site", get_wsgi_application())
    monkeypatch.setattr(asgi, "STATIC", asgi._static_files())


@pytest.fixture
def no_thread_pool(monkeypatch):
    async def refuse(scope, receive, send):
        raise AssertionError(f"{scope['path']} went to the thread pool")

    monkeypatch.setattr(asgi, "pages", refuse)


def test_a_static_file_is_answered_on_the_loop_with_the_sites_own_headers(collected, no_thread_pool, settings):
    status, headers, body = fetch("/static/css/duet.css")
    assert status == 200
    assert body == (settings.STATIC_ROOT / "css" / "duet.css").read_bytes()
    wsgi = Client().get("/static/css/duet.css")  # the same request through the WSGI site
    for name in ("content-type", "cache-control", "x-content-type-options", "referrer-policy", "etag"):
        assert headers[name.encode()].decode() == wsgi.headers[name], name


def test_a_static_file_comes_compressed_to_who_asks(collected, no_thread_pool):
    status, headers, body = fetch("/static/css/duet.css", [(b"accept-encoding", b"gzip")])
    assert status == 200 and headers[b"content-encoding"] == b"gzip"
    import gzip

    assert b"body" in gzip.decompress(body)


def test_an_unknown_static_path_is_not_answered_on_the_loop(collected, no_thread_pool):
    with pytest.raises(AssertionError, match="went to the thread pool"):
        fetch("/static/css/no-such-file.css")


def test_a_page_goes_to_the_thread_pool(collected, no_thread_pool):
    with pytest.raises(AssertionError, match="went to the thread pool"):
        fetch("/accounts/login/")


def test_through_the_thread_pool_a_page_is_served(collected, db):
    status, _headers, body = fetch("/accounts/login/")
    assert status == 200 and b'name="csrfmiddlewaretoken"' in body
