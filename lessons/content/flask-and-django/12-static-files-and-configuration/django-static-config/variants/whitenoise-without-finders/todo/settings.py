"""Settings for the todo project: one page, its stylesheet, and no database.

Whatever differs between your machine and production comes from the environment;
the defaults here are the safe ones (DEBUG off), except for the development secret key.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# Production sets DJANGO_SECRET_KEY; the fallback is only good for your machine.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "django-insecure-dev-only-set-DJANGO_SECRET_KEY")

# Off unless asked for: DJANGO_DEBUG=1 python manage.py runserver
DEBUG = os.environ.get("DJANGO_DEBUG") == "1"
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "django.contrib.staticfiles",
    "todos",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Serves /static/... itself, so it comes before everything but SecurityMiddleware.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.common.CommonMiddleware",
]

ROOT_URLCONF = "todo.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": ["django.template.context_processors.request"],
        },
    },
]

DATABASES = {}
USE_TZ = True

STATIC_URL = "static/"
# WhiteNoise finds the files in each app's static/ folder, as runserver does, so the
# project needs no collectstatic step. (With STATIC_ROOT and collectstatic at deploy
# time, WhiteNoise can serve compressed, versioned copies instead.)

# The site's name, shown on every page: TODO_SITE_NAME="Team tasks" changes it.
SITE_NAME = os.environ.get("TODO_SITE_NAME", "Duet Todo")

# With DEBUG off, Django does not print errors by default. Print them to the
# console, so a view that crashes shows its traceback in your app's log.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
