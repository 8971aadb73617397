"""Settings for the "todo" project: HTML pages and a JSON API, the todos kept in memory."""

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
    # Refuses a POST (or PUT, PATCH, DELETE) without a valid CSRF token: 403 Forbidden.
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "todo.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
            ],
        },
    },
]

# No database yet: lesson 07 adds one.
DATABASES = {}

USE_TZ = True

# With DEBUG off, Django does not print errors by default. Print them to the
# console, so a view that crashes shows its traceback in your app's log.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
