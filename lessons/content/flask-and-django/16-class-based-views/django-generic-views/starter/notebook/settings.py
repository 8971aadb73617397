"""Settings of the notebook project (Django 5.2), read from the environment where they
differ between your machine and production. The defaults are the safe ones: debug off."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# Production sets DJANGO_SECRET_KEY. The fallback is only for your machine (and Duet's
# sandbox).
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "django-insecure-duet-notebook-dev-key-not-for-production")

# Off unless you ask for it on your own machine: DJANGO_DEBUG=1 python manage.py runserver
DEBUG = os.environ.get("DJANGO_DEBUG") == "1"

ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = ["notes"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    # On, as in every new project: a POST without the form's token is refused with 403.
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "notebook.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    },
]

WSGI_APPLICATION = "notebook.wsgi.application"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
    }
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
