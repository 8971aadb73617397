"""WSGI entry point: the ``application`` object a server such as waitress or gunicorn
imports. It is built from the settings module named by DJANGO_SETTINGS_MODULE."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "todo.settings")

application = get_wsgi_application()
