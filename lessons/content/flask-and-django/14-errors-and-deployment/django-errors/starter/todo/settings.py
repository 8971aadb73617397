"""Settings for the todo project."""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# For learning only. A real project keeps its secret key out of the code.
SECRET_KEY = "django-insecure-duet-course-dev-key-not-for-production"  # noqa: S105

# Switched on to chase a bug, and never switched off again.
DEBUG = True
ALLOWED_HOSTS = []

INSTALLED_APPS = ["todos"]

MIDDLEWARE = [
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
]

ROOT_URLCONF = "todo.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
    }
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
