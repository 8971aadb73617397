#!/usr/bin/env bash
# Makes sure a Redis answers at REDIS_URL's host and port (default 127.0.0.1:6379):
# uses the one running, or starts one in ./var that lives until it is stopped.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
port="${DUET_REDIS_PORT:-6379}"
if redis-cli -p "$port" ping >/dev/null 2>&1; then
  exit 0
fi
mkdir -p var
redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --dir "$PWD/var" \
  --pidfile "$PWD/var/redis.pid" --logfile "$PWD/var/redis.log" --save "" --appendonly no
for _ in $(seq 50); do
  redis-cli -p "$port" ping >/dev/null 2>&1 && exit 0
  sleep 0.1
done
echo "[redis] Redis did not start; see var/redis.log" >&2
exit 1
