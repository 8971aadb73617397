#!/usr/bin/env bash
# Registers gVisor's runsc (Debian's runsc package) with the Docker engine, so that
# DUET_SANDBOX_RUNTIME=runsc runs every sandbox container under it. An operator's step,
# done once per worker host (`make gvisor`):
#
#   1. apt-get install runsc, if it is missing;
#   2. merge a "runsc" entry into the engine's daemon.json, keeping everything else in
#      it (data root, storage driver, MTU, logging, other runtimes);
#   3. reload the engine with SIGHUP (no restart: running containers carry on);
#   4. check the file and the engine both name it.
#
# runsc gets --network=none: the sandbox has no network anyway, and without it runsc
# refuses the engine's own "none" network on this kind of engine.
set -euo pipefail

config="${DOCKER_DAEMON_JSON:-/etc/docker/daemon.json}"
log() { printf '[gvisor] %s\n' "$*" >&2; }
sudo_if_needed() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v runsc >/dev/null; then
  log "apt-get install runsc"
  sudo_if_needed apt-get update -qq
  sudo_if_needed env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends runsc >/dev/null
fi
runsc_path="$(command -v runsc)"

sudo_if_needed python3 - "$config" "$runsc_path" <<'EOF'
import json
import os
import sys
import tempfile

path, runsc = sys.argv[1], sys.argv[2]
try:
    with open(path) as f:
        config = json.load(f)
except FileNotFoundError:
    config = {}
wanted = {"path": runsc, "runtimeArgs": ["--network=none"]}
runtimes = config.setdefault("runtimes", {})
if runtimes.get("runsc") == wanted:
    print(f"[gvisor] {path} already names runsc", file=sys.stderr)
    sys.exit(0)
runtimes["runsc"] = wanted
os.makedirs(os.path.dirname(path), exist_ok=True)
# Written whole, then renamed over the old file: the engine never reads half a file.
fd, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".daemon.json.")
with os.fdopen(fd, "w") as f:
    json.dump(config, f, indent=2)
    f.write("\n")
os.chmod(temporary, 0o644)
os.replace(temporary, path)
print(f"[gvisor] added runsc to {path}", file=sys.stderr)
EOF

pid="$(pidof dockerd || true)"
[ -n "$pid" ] || { log "dockerd is not running: start it, and it reads $config"; exit 1; }
log "reloading the Docker engine (SIGHUP to dockerd $pid)"
sudo_if_needed kill -HUP "$pid"
for _ in $(seq 50); do
  if docker info --format '{{json .Runtimes}}' 2>/dev/null | grep -q '"runsc"'; then
    python3 -c 'import json, sys; assert "runsc" in json.load(open(sys.argv[1]))["runtimes"]' "$config" \
      || { log "the engine knows runsc but $config does not: a restart would lose it"; exit 1; }
    log "runsc is registered ($runsc_path, $(runsc --version 2>/dev/null | head -n1))"
    exit 0
  fi
  sleep 0.2
done
log "the engine did not pick up runsc after the reload; see its log"
exit 1
