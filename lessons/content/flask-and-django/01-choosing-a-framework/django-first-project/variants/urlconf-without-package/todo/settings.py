"""Settings for the "todo" project: the one module that configures it.

Django reads it once, at startup, from the module named by DJANGO_SETTINGS_MODULE
(manage.py and wsgi.py both set it to "todo.settings").
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# For learning only: a real deployment sets DJANGO_SECRET_KEY in its environment.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "django-insecure-duet-course-dev-key-not-for-production")

# Off, as in production: errors show plain pages, and only these hosts are served.
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

# No models, admin or logins yet, so none of Django's contrib apps are needed.
INSTALLED_APPS = []

# Security headers, the trailing-slash redirect and clickjacking protection. No forms
# yet, so CsrfViewMiddleware is left out until the project has some.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# The module that holds this project's urlpatterns.
ROOT_URLCONF = "urls"

WSGI_APPLICATION = "todo.wsgi.application"

# No database yet.
DATABASES = {}

USE_TZ = True

# With DEBUG off, Django does not print errors by default. Print them to the
# console, so a request that fails shows its traceback in your app's log.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
