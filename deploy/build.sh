#!/usr/bin/env bash
# Builds every image docker-compose.yml runs, locally, with no registry:
#
#   duet-service-base:bookworm  Debian bookworm made with debootstrap: Debian's Python,
#                               Redis and PostgreSQL 15
#   duet-app:local              the site, the worker and beat (one image, three commands),
#                               with Python packages from wheels built on the host
#   duet-redis:local            Redis, as the redis user
#   duet-postgres:local         PostgreSQL, with the official image's interface
#                               (POSTGRES_DB/USER/PASSWORD, data in /var/lib/postgresql/data)
#
# and the sandbox images the worker starts (sandbox/images/build.sh). Nothing is fetched
# inside `docker build`: packages come from debootstrap and pip on the host.
#
# Where a registry is reachable: DUET_BASE_IMAGE=debian:bookworm-slim builds the
# service base from Debian's official image instead of debootstrap (apt-get in the
# build); DUET_REDIS_IMAGE=redis:7-bookworm and DUET_POSTGRES_IMAGE=postgres:15-bookworm
# make docker-compose use the official Redis and PostgreSQL images (see the compose file).
# An image is rebuilt only when what it is made of changed; DUET_REBUILD=1 rebuilds.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
cache="${DUET_IMAGE_CACHE:-$repo/var/images}"
base_tag="duet-service-base:bookworm"
python_bin="${PYTHON:-python3}"
[ -x "$repo/.venv/bin/python" ] && python_bin="$repo/.venv/bin/python"
packages="python3,python3-venv,redis-server,postgresql-15,ca-certificates"

log() { printf '[deploy] %s\n' "$*" >&2; }

legacy_build() {
  local out
  out=$(DOCKER_BUILDKIT=0 docker build -q "$@" 2>&1) || { printf '%s\n' "$out" >&2; return 1; }
}

label_of() { docker image inspect -f "{{index .Config.Labels \"duet.source\"}}" "$1" 2>/dev/null || true; }

build_base() {
  local digest
  digest="$(printf '%s %s' "$packages" "${DUET_BASE_IMAGE:-debootstrap}" | sha256sum | cut -c1-16)"
  if [ "$(label_of "$base_tag")" = "$digest" ] && [ -z "${DUET_REBUILD:-}" ]; then
    log "$base_tag is up to date"
    return
  fi
  if [ -n "${DUET_BASE_IMAGE:-}" ]; then
    log "building $base_tag on $DUET_BASE_IMAGE"
    printf 'FROM %s\nRUN apt-get update && apt-get install -y --no-install-recommends %s && rm -rf /var/lib/apt/lists/*\nLABEL duet.source=%s\n' \
      "$DUET_BASE_IMAGE" "${packages//,/ }" "$digest" | legacy_build -t "$base_tag" -
    return
  fi
  command -v debootstrap >/dev/null || { log "debootstrap is missing (apt-get install debootstrap)"; exit 1; }
  local rootfs="$cache/service-rootfs" mirror
  mirror="$(bash "$repo/sandbox/images/build.sh" --print-mirror)"
  mkdir -p "$cache"
  rm -rf "$rootfs" && mkdir -p "$rootfs"
  log "debootstrap bookworm with $packages into $rootfs"
  debootstrap --variant=minbase --include="$packages" bookworm "$rootfs" ${mirror:+"$mirror"} \
    >"$cache/service-debootstrap.log" 2>&1 || { tail -n 20 "$cache/service-debootstrap.log" >&2; exit 1; }
  # The package's own cluster is not used: the postgres image makes one in its volume.
  rm -rf "$rootfs"/var/lib/postgresql/15/main "$rootfs"/etc/postgresql/15/main
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/*
  log "importing the root file system as $base_tag"
  tar -C "$rootfs" -c . | docker import -c "LABEL duet.source=$digest" - "$base_tag" >/dev/null
  rm -rf "$rootfs"
}

build_app() {
  local ctx digest
  ctx="$(mktemp -d)"
  mkdir -p "$ctx/app"
  cp "$repo/Dockerfile" "$ctx/Dockerfile"
  # The repository's files as they are in the work tree (tracked, or new and not
  # ignored), so an uncommitted change is in the image too.
  (cd "$repo" && git ls-files -z --cached --others --exclude-standard \
    | while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\0' "$f"; done \
    | tar --null -T - -cf -) | tar -C "$ctx/app" -xf -
  digest="$( (docker image inspect -f '{{.Id}}' "$base_tag"; cd "$ctx" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16)"
  if [ "$(label_of duet-app:local)" = "$digest" ] && [ -z "${DUET_REBUILD:-}" ]; then
    log "duet-app:local is up to date ($digest)"
    rm -rf "$ctx"
    return
  fi
  local wheels="$cache/wheels-app"
  mkdir -p "$wheels"
  log "wheels for requirements.txt into $wheels"
  # pip wheel takes a package's wheel where there is one and builds one where there is
  # not; the image runs bookworm's Python 3.11 on this machine's architecture. Markers
  # are dropped here: the host's Python (3.11.7, say) is not the image's (3.11.2), and a
  # package only the image needs must be among the wheels; the image's pip reads them.
  sed -E 's/[[:space:]]*;.*$//' "$repo/requirements.txt" >"$ctx/requirements-all.txt"
  "$python_bin" -m pip wheel -q --disable-pip-version-check --wheel-dir "$wheels" -r "$ctx/requirements-all.txt"
  rm "$ctx/requirements-all.txt"
  cp -r "$wheels" "$ctx/wheels"
  log "building duet-app:local"
  legacy_build --build-arg "BASE=$base_tag" --label "duet.source=$digest" -t duet-app:local "$ctx" \
    || { rm -rf "$ctx"; exit 1; }
  rm -rf "$ctx"
}

build_small() {
  local name="$1" dockerfile="$here/$1.Dockerfile" digest ctx extra
  shopt -s nullglob
  extra=("$here/$1"-*)  # files the Dockerfile copies: postgres-entrypoint.sh
  shopt -u nullglob
  digest="$( (docker image inspect -f '{{.Id}}' "$base_tag"; cat "$dockerfile" ${extra[@]+"${extra[@]}"}) | sha256sum | cut -c1-16)"
  if [ "$(label_of "duet-$name:local")" = "$digest" ] && [ -z "${DUET_REBUILD:-}" ]; then
    log "duet-$name:local is up to date"
    return
  fi
  ctx="$(mktemp -d)"
  cp "$dockerfile" "$ctx/Dockerfile"
  [ ${#extra[@]} -eq 0 ] || cp "${extra[@]}" "$ctx"/
  log "building duet-$name:local"
  legacy_build --build-arg "BASE=$base_tag" --label "duet.source=$digest" -t "duet-$name:local" "$ctx" \
    || { rm -rf "$ctx"; exit 1; }
  rm -rf "$ctx"
}

main() {
  command -v docker >/dev/null || { log "docker is missing"; exit 1; }
  docker info >/dev/null 2>&1 || { log "the Docker engine is not reachable"; exit 1; }
  local started=$SECONDS
  PYTHON="$python_bin" bash "$repo/sandbox/images/build.sh"
  build_base
  build_app
  build_small redis
  build_small postgres
  log "done in $((SECONDS - started)) s"
  docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E '^duet-(app|redis|postgres|service-base)' >&2
}

main "$@"
