"""Settings for the todo project, read from the environment where they differ between
your machine and production. The defaults are the safe ones: debug off.

The site goes live at https://todos.example.com, behind a proxy that terminates TLS,
passes the visitor's Host header through and sets X-Forwarded-Proto to "https" or
"http" (overwriting any a client sent)."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# Production sets DJANGO_SECRET_KEY. The fallback is only for your machine (and Duet's
# sandbox); `manage.py check --deploy` warns about it, rightly.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "django-insecure-duet-course-dev-key-not-for-production")

# Off unless you ask for it on your own machine: DJANGO_DEBUG=1 python manage.py runserver
DEBUG = os.environ.get("DJANGO_DEBUG") == "1"

# With DEBUG off, Django answers only these host names (400 Bad Request otherwise).
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS", "todos.example.com").split(",")

INSTALLED_APPS = ["todos"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "todos.middleware.content_security_policy",
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

# HTTPS behind the proxy. The proxy terminates TLS and says in X-Forwarded-Proto how the
# visitor came: trust that header, because nothing reaches this server except through
# the proxy, and the proxy overwrites whatever a client sent. Without it, every request
# looks like plain HTTP here, and the redirect below would never end.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = True
# The load balancer asks for /healthz over plain HTTP: answer it there (paths are
# matched without their leading slash).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# A year of "HTTPS only", for this host and its subdomains. Start with a few minutes
# on a new site, and raise it once everything works over HTTPS: browsers remember it.
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True

# Cookies over HTTPS only. SameSite=Lax and the session cookie's HttpOnly are Django's
# defaults already (CSRF_COOKIE_SAMESITE, SESSION_COOKIE_SAMESITE, SESSION_COOKIE_HTTPONLY).
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True

# With DEBUG off, Django's default logging prints nothing: it only emails errors to
# ADMINS. Send warnings and errors (a 500's traceback included) to stderr instead,
# where the WSGI server's log (and your hosting's log collector) will find them.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "[{asctime}] {levelname} {name}: {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
