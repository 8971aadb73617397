"""Settings for the attachments project, read from the environment where they differ between
your machine and production. The defaults are the safe ones: debug off."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# Production sets DJANGO_SECRET_KEY. The fallback is only for your machine (and Duet's
# sandbox).
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "django-insecure-duet-course-dev-key-not-for-production")

# Off unless you ask for it on your own machine: DJANGO_DEBUG=1 python manage.py runserver
DEBUG = os.environ.get("DJANGO_DEBUG") == "1"

ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = ["attachments"]

# A request goes down this list, the view answers, and the response comes back up it.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "mysite.urls"

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

# Uploaded files: stored under MEDIA_ROOT (the project's folder is writable, in Duet's
# sandbox too), and sent only by the download view. MEDIA_URL is where a web server
# in front would serve them; nothing here does (static() adds a URL only with DEBUG on).
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "media/"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True

# With DEBUG off, Django's default logging prints nothing: it only emails errors to
# ADMINS. Send warnings and errors (a 500's traceback included) to stderr instead.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "[{asctime}] {levelname} {name}: {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
