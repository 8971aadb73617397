"""The site as ASGI: what make start and docker-compose serve (gunicorn's processes, each
running uvicorn's event loop: ``uvicorn_worker.UvicornWorker``).

Async views (the status streams, ``sandbox.streams``, which wait on Redis for as long as
a job runs) are served by Django's ASGI handler on the event loop, where an open stream
costs a socket, not a thread. Every other request goes to Django's WSGI handler in a
pool of THREADS threads per process, as gunicorn's own threads ran it: served through
the ASGI handler instead, each sync middleware and view is a hop between the loop and
one shared thread, and the pages here did a half to a third of the requests per second.
"""

import os
from functools import lru_cache

from a2wsgi import WSGIMiddleware
from asgiref.sync import iscoroutinefunction
from django.core.asgi import get_asgi_application
from django.core.wsgi import get_wsgi_application
from django.urls import Resolver404, resolve

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "course.settings")
THREADS = 4

streams = get_asgi_application()  # sets Django up
pages = WSGIMiddleware(get_wsgi_application(), workers=THREADS)


@lru_cache(maxsize=4096)
def is_async_view(path: str) -> bool:
    try:
        return iscoroutinefunction(resolve(path).func)
    except Resolver404:
        return False


async def application(scope, receive, send):
    if scope["type"] == "http" and not is_async_view(scope["path"]):
        return await pages(scope, receive, send)
    return await streams(scope, receive, send)
