#!/bin/sh
# The web service's start (docker-compose.yml): the database's migrations, the shipped
# course (imported again only where it changed), demo accounts when DUET_DEMO=true, then
# the site. The worker and beat wait for this service's health check, so they start on
# a migrated database.
set -eu
python manage.py migrate --noinput -v 1
python manage.py import_course lessons/content/flask-and-django
if [ "${DUET_DEMO:-false}" = "true" ]; then
  python manage.py setup_demo
fi
# uvicorn's workers under gunicorn, as `make start` runs them (course.asgi). The proxy in
# front, if any, is trusted by address (DUET_FORWARDED_ALLOW_IPS; docs/deploy.md).
exec gunicorn course.asgi --worker-class uvicorn_worker.UvicornWorker \
  --forwarded-allow-ips "${DUET_FORWARDED_ALLOW_IPS:-}" --bind 0.0.0.0:8000 \
  --workers "${DUET_WEB_PROCESSES:-2}" --graceful-timeout 5 --access-logfile - --error-logfile -
