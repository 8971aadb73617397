"""Serve the learner's app over HTTP on 127.0.0.1 (runs as the ``app`` user).

Anything the learner's code does here is the learner's own business: this process is
never trusted with the verdict. It only tries hard to explain failures in the log.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import os
import sys
import time
import traceback
from pathlib import Path

from .payload import read_payload, write_files

APP_ROOT = Path(os.environ.get("DUET_APP_ROOT", "/app"))  # moved only by the bare benchmark


def say(message: str) -> None:
    """A line from Duet itself in the app's log, told apart by its prefix."""
    print(f"[duet] {message}", file=sys.stderr, flush=True)


def load_flask(entrypoint: str):
    """``module:app`` names the application; ``module:create_app()`` names an
    application factory to call, as ``flask --app 'module:create_app()'`` does."""
    module_name, _, attr = entrypoint.partition(":")
    module = importlib.import_module(module_name)
    attr = attr or "app"
    factory = attr.endswith("()")
    name = attr.removesuffix("()")
    found = getattr(module, name, None)
    if found is None:
        if factory:
            raise LookupError(f"{module_name} defines no {name}(): write def {name}(): ... return app")
        raise LookupError(f"{module_name}.py defines no {attr!r}: create it with {attr} = Flask(__name__)")
    if factory:
        app = found()
        if app is None:
            raise LookupError(f"{name}() returned None: end it with return app")
        return app
    return found


def load_django(settings_module: str):
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    import django
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    if settings.DATABASES.get("default", {}).get("ENGINE"):
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
    del django
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


def describe_failure(exc: BaseException) -> str:
    """One sentence on why the app could not start, naming the file and line."""
    if isinstance(exc, SyntaxError):
        where = f"{Path(exc.filename or '?').name}, line {exc.lineno}"
        return f"SyntaxError in {where}: {exc.msg}"
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(str(APP_ROOT))]
    where = f" ({Path(frames[-1].filename).name}, line {frames[-1].lineno})" if frames else ""
    advice = ""
    if isinstance(exc, OSError) and exc.errno in (errno.EFBIG, errno.ENOSPC):
        advice = " (an app may write only a few MiB of files in the sandbox)"
    return f"{type(exc).__name__}{where}: {exc}{advice}"


def print_learner_traceback(exc: BaseException) -> None:
    """The traceback from the learner's own files on, without the harness's frames."""
    tb = traceback.TracebackException.from_exception(exc)
    tb.stack = traceback.StackSummary.from_list([f for f in tb.stack if f.filename.startswith(str(APP_ROOT))])
    print("".join(tb.format()), end="", file=sys.stderr, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--framework", choices=sorted(LOADERS), required=True)
    parser.add_argument("--entrypoint", required=True)
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()

    payload = read_payload()
    write_files(APP_ROOT, payload["files"])
    os.chdir(APP_ROOT)
    sys.path.insert(0, str(APP_ROOT))
    started = time.monotonic()
    try:
        app = LOADERS[args.framework](args.entrypoint)
    except BaseException as exc:  # the learner's code may raise anything, SystemExit too
        print_learner_traceback(exc)
        say(f"your app could not start: {describe_failure(exc)}")
        return 3
    if not callable(app):
        say(f"{args.entrypoint} is not a WSGI application (got {type(app).__name__})")
        return 3
    say(f"app loaded in {time.monotonic() - started:.2f} s; serving on 127.0.0.1:{args.port}")

    from waitress import serve

    serve(
        access_log(app),
        host="127.0.0.1",
        port=args.port,
        threads=4,
        ident="duet",
        _quiet=True,
        clear_untrusted_proxy_headers=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
