#!/usr/bin/env bash
# Starts the whole of Duet on this machine: Redis, the sandbox images, the database with
# the shipped course and demo accounts, a Celery worker and the web site.
# Ctrl-C stops the worker and the site.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

port="${DUET_PORT:-8000}"
bash scripts/install.sh
bash scripts/redis.sh
# What Duet writes from here on (the database, logs, the demo passwords) is its own
# user's only. The sandbox images and Redis, above, are made with the usual umask.
umask 077
export DJANGO_SETTINGS_MODULE=course.settings
manage() { .venv/bin/python manage.py "$@"; }
# The data folder before any service: the secret key, made once (course.settings makes
# it atomically, so processes starting at once would agree on it anyway) and the SQLite file.
.venv/bin/python -c "import course.settings"
manage migrate --noinput -v 0
manage collectstatic --noinput -v 0
manage import_course lessons/content/flask-and-django
manage setup_demo

pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "[start] stopping"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

mkdir -p var/log
# Warm sandboxes: each worker process keeps one container per framework started ahead of
# need (sandbox.runner.WarmPool). DUET_SANDBOX_POOL=0 turns them off.
export DUET_SANDBOX_POOL="${DUET_SANDBOX_POOL:-1}"
.venv/bin/celery -A course worker --loglevel INFO --concurrency "${DUET_WORKERS:-2}" \
  --without-gossip --without-mingle >var/log/worker.log 2>&1 &
pids+=($!)
# Beat sends the periodic jobs: re-queue lost or stuck submissions, remove orphan containers.
.venv/bin/celery -A course beat --loglevel INFO >var/log/beat.log 2>&1 &
pids+=($!)
# The site as ASGI (course/asgi.py): gunicorn's 2 processes, each an uvicorn event loop
# that holds the pages' status streams and runs every other view in 4 threads. No proxy
# is trusted: REMOTE_ADDR stays the connection's (the throttles count by it).
.venv/bin/gunicorn course.asgi --worker-class uvicorn_worker.UvicornWorker --forwarded-allow-ips "${DUET_FORWARDED_ALLOW_IPS:-}" \
  --bind "127.0.0.1:$port" --workers 2 --graceful-timeout 5 \
  --access-logfile var/log/access.log --error-logfile var/log/web.log &
pids+=($!)

echo
echo "Duet is running at http://127.0.0.1:$port/  (logs in var/log/; Ctrl-C to stop)"
wait -n "${pids[@]}"
echo "[start] a process stopped; see var/log/" >&2
