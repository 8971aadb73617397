#!/usr/bin/env bash
# Installs what Duet needs on a fresh Debian machine: Debian packages through apt-get,
# pinned Python packages in ./.venv, and the sandbox images, built locally.
# Idempotent: a second run only checks. Usage: scripts/install.sh [--dev]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

dev=""
[ "${1:-}" = "--dev" ] && dev=1
log() { printf '[install] %s\n' "$*" >&2; }
sudo_if_needed() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

packages=(redis-server debootstrap)
[ -n "$dev" ] && packages+=(chromium fonts-dejavu-core wrk postgresql docker-compose)  # wrk: scripts/bench_grading.py; PostgreSQL: the second test pass; docker-compose: its smoke test
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v docker >/dev/null || { log "Docker is not installed: install Docker Engine first"; exit 1; }
docker info >/dev/null 2>&1 || { log "the Docker engine is not running or not reachable: start it (dockerd) first"; exit 1; }

python="${PYTHON:-python3}"
"$python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' \
  || { log "Duet needs Python 3.11 (found $("$python" --version 2>&1))"; exit 1; }
if [ ! -x .venv/bin/python ]; then
  log "creating .venv"
  "$python" -m venv .venv
fi
requirements=requirements.txt
[ -n "$dev" ] && requirements=requirements-dev.txt
stamp=".venv/.installed-$(cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-12)-${dev:-prod}"
if [ ! -f "$stamp" ]; then
  log "pip install -r $requirements"
  .venv/bin/pip install -q --disable-pip-version-check -r "$requirements"
  touch "$stamp"
fi

PYTHON=.venv/bin/python bash sandbox/images/build.sh
