#!/usr/bin/env bash
# A throwaway PostgreSQL cluster from Debian's postgresql package, for the test suite and
# for trying Duet on its production database: no system service, a free port on
# 127.0.0.1, a random password, nothing kept after `stop`.
#
#   scripts/postgres.sh start   # prints the DATABASE_URL to use, on stdout
#   scripts/postgres.sh stop    # stops the cluster and removes its files
#
# The cluster lives in var/postgres. PostgreSQL refuses to run as root, so under root it
# runs as the `postgres` user, in a folder of that user's own (var/ is private to its
# owner, so another user cannot enter it); var/postgres then names where it is.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bin="${DUET_PG_BIN:-/usr/lib/postgresql/15/bin}"
state="var/postgres"  # holds the cluster, or a file naming where it is
log() { printf '[postgres] %s\n' "$*" >&2; }

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cluster_dir() {
  if [ -f "$state/where" ]; then cat "$state/where"; else printf '%s' "$PWD/$state/data"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  [ -x "$bin/initdb" ] || { log "PostgreSQL is missing: apt-get install postgresql (scripts/install.sh --dev does)"; exit 1; }
  if [ -f "$state/url" ] && as_owner "$bin/pg_ctl" status -D "$(cluster_dir)/cluster" >/dev/null 2>&1; then
    cat "$state/url"
    return
  fi
  stop_quietly
  mkdir -p var "$state"
  chmod 700 "$state"
  local data
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || { log "there is no postgres user: apt-get install postgresql"; exit 1; }
    data="$(mktemp -d /tmp/duet-postgres-XXXXXX)"
    chown postgres: "$data"
    printf '%s' "$data" >"$state/where"
  else
    data="$PWD/$state/data"
    mkdir -p "$data"
  fi
  chmod 700 "$data"
  local password port
  password="$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')"
  port="$(free_port)"
  printf '%s\n' "$password" | as_owner tee "$data/.pwfile" >/dev/null
  as_owner "$bin/initdb" -D "$data/cluster" -U duet --pwfile="$data/.pwfile" --auth=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >"$state/initdb.log" 2>&1 || { cat "$state/initdb.log" >&2; exit 1; }
  as_owner rm -f "$data/.pwfile"
  # Tests need no durability: a crash means a new cluster anyway.
  as_owner "$bin/pg_ctl" -D "$data/cluster" -l "$data/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$data -c fsync=off \
        -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null \
    || { as_owner cat "$data/server.log" >&2; exit 1; }
  local url="postgres://duet:$password@127.0.0.1:$port/duet"
  PGPASSWORD="$password" "$bin/psql" -h 127.0.0.1 -p "$port" -U duet -d postgres -qc 'CREATE DATABASE duet' >/dev/null
  (umask 077 && printf '%s\n' "$url" >"$state/url")
  log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (cluster in $data)"
  printf '%s\n' "$url"
}

stop_quietly() {
  [ -d "$state" ] || return 0
  local data
  data="$(cluster_dir)"
  if [ -d "$data/cluster" ]; then
    as_owner "$bin/pg_ctl" -D "$data/cluster" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  case "$data" in /tmp/duet-postgres-*) rm -rf "$data" ;; esac
  rm -rf "$state"
}

case "${1:-}" in
  start) start ;;
  stop) stop_quietly ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
