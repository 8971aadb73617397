# The site and the worker, for docker-compose.yml (needs a registry for the base image).
ARG BASE=python:3.11-slim-bookworm
FROM ${BASE}
WORKDIR /srv/duet
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
ENV DJANGO_SETTINGS_MODULE=course.settings PYTHONUNBUFFERED=1 DUET_VAR_DIR=/var/lib/duet
RUN mkdir -p /var/lib/duet && SECRET_KEY=build python manage.py collectstatic --noinput -v 0
EXPOSE 8000
CMD ["gunicorn", "course.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2", "--threads", "4"]
