"""The site as ASGI: what make start and docker-compose serve (gunicorn's processes, each
running uvicorn's event loop: ``uvicorn_worker.UvicornWorker``).

Three routes, by path:

- Async views (the status streams, ``sandbox.streams``, which wait on Redis for as long as
  a job runs) go to Django's ASGI handler on the event loop, where an open stream costs a
  socket, not a thread.
- A static file that whitenoise holds goes to Django's WSGI handler called right here, on
  the loop: its middleware answers it from memory before anything reads the session or
  the database, in about a quarter of a millisecond, so the hop to a thread and back
  (three wake-ups, a millisecond on this machine) would cost more than the answer. The
  headers are the WSGI site's own (SecurityMiddleware's among them).
- Every other request goes to Django's WSGI handler in a pool of THREADS threads per
  process, as gunicorn's own threads ran it: served through the ASGI handler instead,
  each sync middleware and view is a hop between the loop and one shared thread, and the
  pages here did a half to a third of the requests per second. A signed-in GET goes
  there through the page cache (course.page_cache), which answers on the loop a page
  it kept, if no write to the database came since.
"""

from __future__ import annotations

import io
import os
from functools import lru_cache

from a2wsgi import WSGIMiddleware
from a2wsgi.wsgi import build_environ
from asgiref.sync import iscoroutinefunction
from django.core.asgi import get_asgi_application
from django.core.wsgi import get_wsgi_application
from django.urls import Resolver404, resolve

from course.page_cache import PageCache

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "course.settings")
THREADS = 4

streams = get_asgi_application()  # sets Django up
site = get_wsgi_application()
pages = WSGIMiddleware(site, workers=THREADS)
kept = PageCache.from_settings()


@lru_cache(maxsize=4096)
def is_async_view(path: str) -> bool:
    try:
        return iscoroutinefunction(resolve(path).func)
    except Resolver404:
        return False


def _static_files():
    """The files whitenoise serves, as the site's own middleware found them (or None if
    the site does not use whitenoise)."""
    from django.conf import settings
    from whitenoise.middleware import WhiteNoiseMiddleware

    if "whitenoise.middleware.WhiteNoiseMiddleware" not in settings.MIDDLEWARE:
        return None
    return WhiteNoiseMiddleware(get_response=None)


STATIC = _static_files()


def is_static_file(scope) -> bool:
    """A GET or HEAD, without a body, of a file whitenoise holds: answered without the
    session, the database or a template."""
    if STATIC is None or scope["method"] not in ("GET", "HEAD"):
        return False
    path = scope["path"]
    if STATIC.autorefresh:  # DEBUG: files are looked up on disk, as the middleware does
        return STATIC.find_file(path) is not None
    return path in STATIC.files


async def serve_inline(scope, receive, send) -> None:
    """``site`` (the WSGI handler) called on the loop, for what answers at once."""
    reply: dict = {}

    def start_response(status: str, headers, exc_info=None):
        reply["status"] = int(status.split(" ", 1)[0])
        reply["headers"] = [(name.lower().encode("latin1"), value.encode("latin1")) for name, value in headers]

    body = site(build_environ(scope, io.BytesIO(b"")), start_response)
    try:
        await send({"type": "http.response.start", "status": reply["status"], "headers": reply["headers"]})
        for chunk in body:
            if chunk:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
    finally:
        if hasattr(body, "close"):
            body.close()


async def application(scope, receive, send):
    if scope["type"] == "http":
        if is_static_file(scope):
            return await serve_inline(scope, receive, send)
        if not is_async_view(scope["path"]):
            return await kept(scope, receive, send, pages)
    return await streams(scope, receive, send)
