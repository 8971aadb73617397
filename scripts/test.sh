#!/usr/bin/env bash
# Runs Duet's full test suite for real: lint, migrations check, and pytest with Docker,
# Redis, a Celery worker and headless Chromium — on SQLite, then every test that touches
# the database again on PostgreSQL (a throwaway cluster, scripts/postgres.sh). A full
# run (no arguments) then runs the hostile and forgery tests once more with every
# sandbox under gVisor (runsc, registered by scripts/gvisor.sh) and the shipped course
# in the sandbox (check_course). Missing parts fail the run, never skip.
#
# Arguments go to pytest (`scripts/test.sh tests/sandbox/test_worker.py`): those tests
# run on both databases. DUET_DATABASES=sqlite (or postgresql) runs only one.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

databases="${DUET_DATABASES:-sqlite postgresql}"
timings=()
part() {  # part NAME COMMAND...: runs it, keeps its time for the summary
  local name="$1" started=$SECONDS
  shift
  printf '\n[test] %s\n' "$name"
  "$@"
  timings+=("$(printf '%-34s %5d s' "$name" $((SECONDS - started)))")
}
summary() {
  printf '\n[test] times\n'
  printf '  %s\n' "${timings[@]}"
}
trap 'bash scripts/postgres.sh stop; summary' EXIT

part "install" bash scripts/install.sh --dev
bash scripts/redis.sh
export DJANGO_SETTINGS_MODULE=course.settings
part "lint" sh -c '.venv/bin/ruff check . && .venv/bin/ruff format --check .'
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null \
  || { echo "[test] models changed without a migration: run makemigrations" >&2; exit 1; }

for database in $databases; do
  case "$database" in
    sqlite) part "pytest on SQLite" .venv/bin/pytest "$@" ;;
    postgresql)
      url="$(bash scripts/postgres.sh start)"
      part "pytest on PostgreSQL (database tests)" \
        env DATABASE_URL="$url" DUET_DATABASE_TESTS_ONLY=1 .venv/bin/pytest "$@"
      bash scripts/postgres.sh stop
      ;;
    *) echo "[test] unknown database $database (sqlite, postgresql)" >&2; exit 2 ;;
  esac
done

# Skipped only when pytest was given arguments (running a few tests by hand).
if [ $# -eq 0 ]; then
  part "gVisor: register runsc" bash scripts/gvisor.sh
  part "gVisor: hostile and forgery tests" env DUET_SANDBOX_RUNTIME=runsc \
    .venv/bin/pytest tests/sandbox/test_hostile.py tests/sandbox/test_forgery.py
  # Every exercise of the shipped course in the real sandbox: solutions pass, starters don't.
  part "check_course" .venv/bin/python manage.py check_course lessons/content/flask-and-django
fi
