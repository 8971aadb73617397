"""The app process: imports the learner's app and serves it on 127.0.0.1.

Everything here after the learner's first import runs beside code Duet does not
trust, so what this process says is only ever the app's own account: a fact sent once
on the facts pipe (loaded, or why not), which the supervisor checks for shape and the
judge quotes as the app's.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
import traceback
from pathlib import Path

TEXT_CHARS = 1000  # of an exception's text: the judge quotes less


class EntrypointProblem(Exception):
    """The entry point names no usable app; ``problem`` says how, in a word."""

    def __init__(self, problem: str, got: str | None = None) -> None:
        super().__init__(problem)
        self.problem, self.got = problem, got


def load_flask(entrypoint: str):
    """``module:app`` names the application; ``module:create_app()`` names an
    application factory to call, as ``flask --app 'module:create_app()'`` does."""
    module_name, _, attr = entrypoint.partition(":")
    module = importlib.import_module(module_name)
    attr = attr or "app"
    factory = attr.endswith("()")
    found = getattr(module, attr.removesuffix("()"), None)
    if found is None:
        raise EntrypointProblem("missing")
    if factory:
        app = found()
        if app is None:
            raise EntrypointProblem("returned_none")
        return app
    return found


def load_django(settings_module: str):
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    if settings.DATABASES.get("default", {}).get("ENGINE"):
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
    from django.apps import apps

    if settings.DEBUG and settings.STATIC_URL and apps.is_installed("django.contrib.staticfiles"):
        # What runserver does in debug: the apps' static files served at STATIC_URL.
        from django.contrib.staticfiles.handlers import StaticFilesHandler

        application = StaticFilesHandler(application)
    return application


LOADERS = {"flask": load_flask, "django": load_django}


def access_log(app):
    """Log each request the way a development server would."""

    def logged(environ, start_response):
        def start(status, headers, exc_info=None):
            print(
                f'"{environ.get("REQUEST_METHOD")} {environ.get("PATH_INFO")}'
                f'{"?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else ""}" {status}',
                file=sys.stderr,
                flush=True,
            )
            return start_response(status, headers, exc_info)

        return app(environ, start)

    return logged


def failure_fact(exc: BaseException, app_root: Path) -> dict:
    """Why the import failed: the exception's type, the learner's file and line where
    it was raised (when it was raised in their files), and its own text."""
    file = line = None
    if isinstance(exc, SyntaxError):
        file, line, text = exc.filename, exc.lineno, exc.msg
    else:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(str(app_root))]
        if frames:
            file, line = frames[-1].filename, frames[-1].lineno
        try:
            text = str(exc)
        except Exception:  # a learner's exception may fail to print itself
            text = ""
    return {
        "fact": "import_failed",
        "type": type(exc).__name__,
        "file": Path(file).name if file else None,
        "line": line,
        "text": text[:TEXT_CHARS],
        "errno": exc.errno if isinstance(exc, OSError) else None,
    }


def print_learner_traceback(exc: BaseException, app_root: Path) -> None:
    """The traceback from the learner's own files on, without the harness's frames."""
    tb = traceback.TracebackException.from_exception(exc)
    tb.stack = traceback.StackSummary.from_list([f for f in tb.stack if f.filename.startswith(str(app_root))])
    print("".join(tb.format()), end="", file=sys.stderr, flush=True)


def tell(facts_fd: int, fact: dict) -> None:
    """Send the one fact, then close the pipe: nothing later is listened to."""
    try:
        os.write(facts_fd, json.dumps(fact).encode("utf-8") + b"\n")
    except OSError:
        pass
    os.close(facts_fd)


def serve_app(*, framework: str, entrypoint: str, port: int, app_root: Path, facts_fd: int) -> int:
    """Import and serve the learner's app; the exit status when it cannot be served.
    A SystemExit from the learner's code goes on up: the app chose to exit."""
    sys.path.insert(0, str(app_root))
    started = time.monotonic()
    try:
        app = LOADERS[framework](entrypoint)
    except EntrypointProblem as exc:
        tell(facts_fd, {"fact": "entrypoint_problem", "problem": exc.problem})
        return 3
    except SystemExit:
        os.close(facts_fd)
        raise
    except BaseException as exc:  # the learner's code may raise anything
        print_learner_traceback(exc, app_root)
        tell(facts_fd, failure_fact(exc, app_root))
        return 3
    if not callable(app):
        tell(facts_fd, {"fact": "entrypoint_problem", "problem": "not_callable", "got": type(app).__name__})
        return 3
    tell(facts_fd, {"fact": "loaded", "seconds": round(time.monotonic() - started, 3)})

    from waitress import serve

    serve(
        access_log(app),
        host="127.0.0.1",
        port=port,
        threads=4,
        ident="duet",
        _quiet=True,
        # The app sees a proxy's X-Forwarded-* headers as sent, as gunicorn and uWSGI
        # pass them on, and decides itself whether to trust them (ProxyFix,
        # SECURE_PROXY_SSL_HEADER): the production-security exercises play the proxy.
        # Waitress would otherwise drop them, trusting no proxy.
        clear_untrusted_proxy_headers=False,
    )
    return 0
