"""Settings for the "hello" project: the smallest Django setup that serves a page.

No apps, no templates, no database: just enough to route a URL to a view.
"""

# For learning only. A real project keeps its secret key out of the code.
SECRET_KEY = "django-insecure-duet-course-dev-key-not-for-production"

# Off, as in production: errors show plain pages, and only these hosts are served.
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

ROOT_URLCONF = "hello.urls"

INSTALLED_APPS = []
MIDDLEWARE = []
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
