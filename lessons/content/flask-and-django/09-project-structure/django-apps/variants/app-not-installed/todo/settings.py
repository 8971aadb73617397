"""Settings for the "todo" project, made of two apps: pages and todos."""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# For learning only. A real project keeps its secret key out of the code.
SECRET_KEY = "django-insecure-duet-course-dev-key-not-for-production"  # noqa: S105

# Off, as in production: errors show plain pages, and only these hosts are served.
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

# The apps of this project. Django looks for models, migrations and templates/
# only in the apps listed here.
INSTALLED_APPS = [
    "pages",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]

ROOT_URLCONF = "todo.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The project's own templates (base.html), then each app's templates/ folder.
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
    }
}
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
