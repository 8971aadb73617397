"""Settings for the "todo" project: todos of one's own, with django.contrib.auth."""

from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# For learning only. A real project keeps its secret key out of the code: it signs
# password reset links and more.
SECRET_KEY = "django-insecure-duet-course-dev-key-not-for-production"  # noqa: S105

# Off, as in production: errors show plain pages, and only these hosts are served.
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.auth",  # the User model, password hashing, login and logout
    "django.contrib.contenttypes",  # which auth's permissions need
    "django.contrib.sessions",  # sessions stored in the database
    "accounts",
    "todos",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Sets request.user from the session, on every request.
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]

ROOT_URLCONF = "todo.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                # {{ user }} in every template.
                "django.contrib.auth.context_processors.auth",
            ],
        },
    },
]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": BASE_DIR / "db.sqlite3",
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# What UserCreationForm checks a new password against.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# URL names (or paths): where @login_required sends anonymous visitors, as
# /login/?next=<the page they wanted>; where a login leads when there is no safe next;
# where LogoutView leads.
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/todos/"
LOGOUT_REDIRECT_URL = "/login/"

USE_TZ = True

# With DEBUG off, Django does not print errors by default. Print them to the
# console, so a view that crashes shows its traceback in your app's log.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
