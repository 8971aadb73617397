"""Duet's settings: one file, configured from environment variables.

Safe local defaults: SQLite in ./var, Redis on localhost, DEBUG off unless asked for.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.getenv("DUET_VAR_DIR", BASE_DIR / "var"))


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} should be true or false, not {value!r}")


def envint(name: str, default: str) -> int:
    try:
        return int(os.getenv(name, default))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} should be a whole number") from exc


def envfloat(name: str, default: str) -> float:
    try:
        return float(os.getenv(name, default))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} should be a number") from exc


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


def private_folder(path: Path) -> None:
    """Make ``path`` a folder only its owner may enter. One made earlier with the usual
    umask (the image build caches its downloads in var/images first) is tightened too."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = path.stat()
    if info.st_uid == os.getuid() and info.st_mode & 0o077:
        path.chmod(0o700)


def private_file(path: Path, content: bytes) -> None:
    """Make ``path``, readable by its owner only, holding ``content``, unless it exists.
    The content is written whole to a temporary file (mkstemp makes it 0600) and linked
    into place; os.link refuses a name that is taken, so of processes starting at once
    exactly one wins, and none ever reads a half-written file."""
    private_folder(path.parent)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process made it first: theirs stands
    finally:
        os.unlink(temporary)


def secret_key() -> str:
    """SECRET_KEY from the environment, or one made once per checkout and kept in ./var."""
    if key := os.getenv("SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    private_folder(VAR_DIR)
    if not path.exists():
        private_file(path, secrets.token_urlsafe(50).encode())
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)  # a key put there by hand or copied in may be readable by others
    return path.read_text().strip()


SECRET_KEY = secret_key()
DEBUG = envbool("DEBUG", "false")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_NAME = os.getenv("SITE_NAME", "Duet")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_ace",
    "markdownx",
    "csp",
    "axes",
    "course",
    "lessons",
    "sandbox",
]

MIDDLEWARE = [
    "course.healthz.HealthzMiddleware",  # first: before the host check and the HTTPS redirect
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# django-axes first: it refuses a locked-out login before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "course.urls"
WSGI_APPLICATION = "course.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "course.context_processors.site",
            ],
        },
    },
]

# SQLite by default; DATABASE_URL=postgres://… selects PostgreSQL.
_default_db = f"sqlite:///{VAR_DIR / 'duet.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(os.getenv("DATABASE_URL", _default_db), conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web process and the worker write to one file: wait for locks instead of
    # failing at once, and take the write lock up front so two writers never deadlock.
    # Connections are kept (CONN_MAX_AGE above), as for PostgreSQL: a request that opened
    # and closed its own paid 2–3 ms here for the connection's set-up and, on closing the
    # last one, SQLite's checkpoint of the WAL — as much as a whole lesson page.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests share a file database with the Celery worker they start.
    DATABASES["default"]["TEST"] = {"NAME": os.getenv("DUET_TEST_DATABASE", str(VAR_DIR / "test.sqlite3"))}
    # SQLite would create the file by the umask (often readable by everyone); an empty
    # file is an empty database, and its -wal and -shm files take the same mode.
    if DATABASES["default"]["NAME"] not in ("", ":memory:") and not Path(DATABASES["default"]["NAME"]).exists():
        private_file(Path(DATABASES["default"]["NAME"]), b"")
elif os.getenv("DUET_TEST_DATABASE"):
    # Two test runs on one PostgreSQL cluster need test databases of their own names.
    DATABASES["default"]["TEST"] = {"NAME": os.environ["DUET_TEST_DATABASE"]}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG and not envbool("DUET_PLAIN_STATIC", "false")
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Security: cookies over HTTPS only when the site is served over HTTPS.
SECURE = envbool("DUET_HTTPS", "false")
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A refused form (no CSRF token, or an old one) gets the site's 403 page, saying to reload.
CSRF_FAILURE_VIEW = "course.views.csrf_failure"
# Content Security Policy (django-csp): scripts only from this site, never inline. ACE,
# the code editor, injects its own <style> elements, hence 'unsafe-inline' for styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Whole signed-in learner pages kept per web process and answered on the event loop
# (course.page_cache): any committed write to the database ends them all at once; each
# also ends after this many seconds. 0 turns the cache off.
PAGE_CACHE_SECONDS = envfloat("DUET_PAGE_CACHE_SECONDS", "30")
PAGE_CACHE_BYTES = envint("DUET_PAGE_CACHE_BYTES", str(32 * 1024 * 1024))  # per web process
PAGE_CACHE_PAGE_BYTES = 1024 * 1024  # a bigger page is rendered each time

# Celery, on Redis.
REDIS_URL = os.getenv("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = os.getenv("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_DEFAULT_QUEUE = os.getenv("DUET_QUEUE", "duet")
# A killed worker must not lose a submission: acknowledge after the task, reject (so
# Redis redelivers) when the child process dies, and take one message at a time.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 600}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# The sandbox. Site maxima bound what an exercise may ask for.
SANDBOX_IMAGES = {
    "flask": os.getenv("DUET_FLASK_IMAGE", "duet-sandbox-flask:latest"),
    "django": os.getenv("DUET_DJANGO_IMAGE", "duet-sandbox-django:latest"),
}
# The limits an exercise may set, named here once: each with the site default (from the
# environment) and the most an exercise may ask for. Each name is a field of
# sandbox.runner.Limits; lessons.models.LIMIT_NAMES lists them for the rest of the site.
_SANDBOX_LIMITS = {  # name: (default, maximum)
    "memory_mb": (envint("DUET_MEMORY_MB", "256"), 1024),
    "cpus": (envfloat("DUET_CPUS", "1"), 2.0),
    "pids": (envint("DUET_PIDS", "128"), 512),
    "wall_seconds": (envfloat("DUET_WALL_SECONDS", "10"), 60.0),
    "output_bytes": (envint("DUET_OUTPUT_BYTES", str(64 * 1024)), 1024 * 1024),
}
SANDBOX_DEFAULT_LIMITS = {name: default for name, (default, _) in _SANDBOX_LIMITS.items()}
SANDBOX_MAX_LIMITS = {name: maximum for name, (_, maximum) in _SANDBOX_LIMITS.items()}
# Sandbox jobs (submissions, regrade items, validations) share one lifecycle
# (sandbox.services.jobs). A running row belongs to its worker for a lease (a job that
# runs two sandboxes has two); after it, a dead worker's row may be taken over. Each
# task's Celery time limits sit inside its lease, so a row whose worker is still running
# is never claimed twice, and far above a container's wall clock at the default lease.
JOB_LEASE_SECONDS = envint("DUET_LEASE_SECONDS", "150")
# Claims per job (a takeover after a dead worker counts; an unavailable sandbox does
# not): at the cap the job ends in one error that blames the grader, never the learner.
JOB_MAX_ATTEMPTS = envint("DUET_JOB_MAX_ATTEMPTS", "5")
# A queued row whose message is older than this is sent again by the sweeper.
JOB_SWEEP_AFTER_SECONDS = envint("DUET_SWEEP_AFTER_SECONDS", "120")
if JOB_LEASE_SECONDS < 30 or JOB_MAX_ATTEMPTS < 1:
    raise ImproperlyConfigured("DUET_LEASE_SECONDS must be at least 30 and DUET_JOB_MAX_ATTEMPTS at least 1.")
CELERY_BEAT_SCHEDULE = {
    "sweep-jobs": {"task": "sandbox.tasks.sweep_jobs", "schedule": envfloat("DUET_SWEEP_EVERY", "60")},
    "remove-orphan-containers": {"task": "sandbox.tasks.remove_orphans", "schedule": 300.0},
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# Warm sandboxes (sandbox.runner.WarmPool): containers each worker process starts ahead
# of need, per framework, with the site's default limits (an exercise with other limits
# takes the cold path). 0 turns the pool off; make start turns it on. A warm sandbox
# waiting longer than the maximum age is replaced.
SANDBOX_POOL_SIZE = envint("DUET_SANDBOX_POOL", "0")
SANDBOX_POOL_MAX_AGE = envint("DUET_SANDBOX_POOL_MAX_AGE", "240")

# What a learner may submit.
SUBMISSION_MAX_FILE_BYTES = envint("DUET_MAX_FILE_BYTES", str(64 * 1024))
SUBMISSION_MAX_TOTAL_BYTES = envint("DUET_MAX_TOTAL_BYTES", str(256 * 1024))
# Files in one submission: the listed ones and those a learner adds in an editable folder.
SUBMISSION_MAX_FILES = envint("DUET_MAX_FILES", "60")
DATA_UPLOAD_MAX_MEMORY_SIZE = SUBMISSION_MAX_TOTAL_BYTES * 2
# Django's defaults, named here because the submit view answers them in words: fields
# and files one form may carry (a submission sends one per editable file).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 100
# The most a submit request may carry, refused from its Content-Length before any of it is
# read: the form's fields (as above) and room for the multipart framing. File uploads are
# not counted in DATA_UPLOAD_MAX_MEMORY_SIZE by Django, so this is what bounds them.
SUBMISSION_MAX_REQUEST_BYTES = DATA_UPLOAD_MAX_MEMORY_SIZE + 64 * 1024
# Per learner: submissions per window, and how many may wait for a verdict at once.
SUBMISSION_RATE = envint("DUET_SUBMISSION_RATE", "10")
SUBMISSION_RATE_WINDOW_SECONDS = envint("DUET_SUBMISSION_RATE_WINDOW", "60")
SUBMISSION_MAX_PENDING = envint("DUET_SUBMISSION_MAX_PENDING", "3")
# Per client address, since one person can make many accounts: submissions waiting for a
# verdict (queued or running) from one address, and from everyone at once. Submissions
# only: regrades and validations are instructors' work and wait in their own rows. A class
# behind one NAT address shares the per-address cap: raise it for such a class.
SANDBOX_PENDING_PER_ADDRESS = envint("DUET_SANDBOX_PENDING_PER_ADDRESS", "10")
SANDBOX_PENDING_TOTAL = envint("DUET_SANDBOX_PENDING_TOTAL", "200")
# Sign-ups per client address per hour (a class signing up together behind one NAT
# address needs it raised for that hour).
SIGNUP_RATE = envint("DUET_SIGNUP_RATE", "10")
if min(SANDBOX_PENDING_PER_ADDRESS, SANDBOX_PENDING_TOTAL, SIGNUP_RATE) < 1:
    raise ImproperlyConfigured(
        "DUET_SANDBOX_PENDING_PER_ADDRESS, DUET_SANDBOX_PENDING_TOTAL and DUET_SIGNUP_RATE must be at least 1."
    )

# Login brute force (django-axes): after this many wrong passwords for one username from
# one address, that pair is locked out for the cool-off. Per pair, not per address, so a
# class behind one NAT address is never locked out by a few typos, and nobody can lock a
# learner out from elsewhere. Counted in the database; a good login clears the count.
# Operators unlock early with ``manage.py axes_reset_username <name>``. Behind a reverse
# proxy, name the proxy in DUET_FORWARDED_ALLOW_IPS: uvicorn then makes REMOTE_ADDR the
# client's, which axes reads (django-ipware is not installed; with it, axes would need
# AXES_IPWARE_PROXY_COUNT instead). Otherwise every client is the proxy (docs/deploy.md).
AXES_ENABLED = envbool("DUET_LOGIN_LOCKOUT", "true")
AXES_FAILURE_LIMIT = envint("DUET_LOGIN_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = timedelta(minutes=envint("DUET_LOGIN_COOLOFF_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "course.views.login_locked_out"  # 429, in words, with Retry-After
AXES_DISABLE_ACCESS_LOG = True  # failures are kept as attempts; successful logins are not logged

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Failed logins and lockouts are warnings; axes's start-up banner is not worth a line.
        "axes": {"level": "WARNING"},
    },
}

# --- Authoring (lessons app): django-markdownx, uploaded lesson images. ---------------
# Uploaded lesson images live under MEDIA_ROOT and are served by lessons.authoring_views
# (in production too), never by the storage's own URL handling.
MEDIA_ROOT = Path(os.getenv("DUET_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
LESSON_IMAGE_MAX_BYTES = envint("DUET_IMAGE_MAX_BYTES", str(2 * 1024 * 1024))
LESSON_IMAGE_MAX_SIDE = 8000  # pixels: a small file may still decode to a huge image
# All the images one instructor has uploaded, together (as stored, after re-encoding).
LESSON_IMAGE_QUOTA_BYTES = envint("DUET_IMAGE_QUOTA_BYTES", str(50 * 1024 * 1024))
# An exercise's files together, as edited in the browser: below DATA_UPLOAD_MAX_MEMORY_SIZE,
# so the whole edit form (instructions and all) still fits in one request.
AUTHORING_MAX_EXERCISE_BYTES = 384 * 1024
# The preview is rendered and sanitized by the same function as the page itself. The two
# paths are ours (login and instructor only, see lessons/urls.py): markdownx's own views,
# which check no permission, are never routed.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "lessons.markdown.render"
MARKDOWNX_URLS_PATH = "/author/markdown/preview/"
MARKDOWNX_UPLOAD_URLS_PATH = "/author/markdown/upload/"
MARKDOWNX_UPLOAD_MAX_SIZE = LESSON_IMAGE_MAX_BYTES
MARKDOWNX_UPLOAD_CONTENT_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
MARKDOWNX_SERVER_CALL_LATENCY = 500  # ms after the last keystroke (its minimum)
# The text keeps a fixed height beside its preview (both scroll) rather than growing
# past it: a long lesson would otherwise push the preview out of sight.
MARKDOWNX_EDITOR_RESIZABLE = False

# --- Gradebook and review (course app). ----------------------------------------------
# Learners per gradebook page, and the sizes a grader may pick.
GRADEBOOK_PAGE_SIZE = envint("DUET_GRADEBOOK_PAGE_SIZE", "50")
GRADEBOOK_PAGE_SIZES = (25, 50, 100)
# A grader's comment may be long (with code), but not unbounded.
REVIEW_COMMENT_MAX_CHARS = 10_000
# A regrade hands the broker this many submissions at a time (the next goes when one is
# done), so a learner's own submission never waits behind a whole exercise's regrade.
REGRADE_IN_FLIGHT = envint("DUET_REGRADE_IN_FLIGHT", "2")
