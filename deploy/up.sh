#!/usr/bin/env bash
# `make compose-up`: the images (deploy/build.sh), secrets made once and kept in
# var/compose.env (its owner's only; never in the repository), then docker-compose up.
# Extra arguments go to `docker-compose up` (say, --scale worker=2).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash deploy/build.sh
env_file=var/compose.env
if [ ! -f "$env_file" ]; then
  mkdir -p var && chmod 700 var
  (umask 077 && python3 - >"$env_file" <<'PY'
import secrets
print(f"SECRET_KEY={secrets.token_urlsafe(50)}")
print(f"POSTGRES_PASSWORD={secrets.token_urlsafe(24)}")
PY
  )
  echo "[compose] made the secrets in $env_file" >&2
fi
export DUET_DOCKER_GID="${DUET_DOCKER_GID:-$(stat -c %g /var/run/docker.sock)}"
docker-compose --env-file "$env_file" up -d "$@"
echo "[compose] Duet is starting at http://127.0.0.1:${DUET_PORT:-8000}/ (docker-compose ps; /healthz)" >&2
