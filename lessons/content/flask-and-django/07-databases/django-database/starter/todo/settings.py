"""Settings for the "todo" project: a JSON API whose todos live in a SQLite database."""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# For learning only. A real project keeps its secret key out of the code.
SECRET_KEY = "django-insecure-duet-course-dev-key-not-for-production"  # noqa: S105

# Off, as in production: errors show plain pages, and only these hosts are served.
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "todos",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "todo.urls"

# One SQLite file next to manage.py. `python manage.py migrate` creates its tables.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
    }
}

# The type of the "id" column Django adds to every model.
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

USE_TZ = True

# With DEBUG off, Django does not print errors by default. Print them to the
# console, so a view that crashes shows its traceback in your app's log.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
