"""Settings of the bookshop project (Django 5.2): a JSON API, so no sessions,
templates or CSRF middleware (no cookies, nothing for a cross-site form to ride on)."""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# A development key: a real site reads its key from the environment.
SECRET_KEY = "django-insecure-orm-in-depth-development-key"  # noqa: S105 (a development key)
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = ["books"]

MIDDLEWARE = [
    "books.querycount.QueryCountMiddleware",
    "django.middleware.common.CommonMiddleware",
]

ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
    }
}

USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
