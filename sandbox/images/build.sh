#!/usr/bin/env bash
# Builds Duet's sandbox images locally: a Debian bookworm base made with debootstrap
# (no registry needed), then one image per framework, with Python packages installed
# from wheels downloaded on the host (nothing is fetched inside `docker build`).
#
# Where a registry is reachable, DUET_BASE_IMAGE=debian:bookworm-slim (or any bookworm
# image with python3) skips debootstrap and builds on that instead. A framework image is
# rebuilt only when what it is made of changed, harness included (see source_digest);
# DUET_REBUILD=1 rebuilds it anyway.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cache="${DUET_IMAGE_CACHE:-$repo/var/images}"
base_tag="duet-sandbox-base:bookworm"
python_bin="${PYTHON:-python3}"

log() { printf '[images] %s\n' "$*" >&2; }

legacy_build() {
  # The classic builder needs no buildx plugin; its deprecation notice is noise here.
  local out
  out=$(DOCKER_BUILDKIT=0 docker build -q "$@" 2>&1) || { printf '%s\n' "$out" >&2; return 1; }
}

apt_mirror() {
  # The machine's own apt configuration says which Debian mirror it may reach.
  local uri
  uri=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
  if [ -z "$uri" ]; then
    uri=$(grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
  fi
  printf '%s' "$uri"
}

build_base() {
  if [ -n "${DUET_BASE_IMAGE:-}" ]; then
    log "using $DUET_BASE_IMAGE as the base"
    printf 'FROM %s\nRUN apt-get update && apt-get install -y --no-install-recommends python3 python3-venv && rm -rf /var/lib/apt/lists/*\n' \
      "$DUET_BASE_IMAGE" | legacy_build -t "$base_tag" -
    return
  fi
  if docker image inspect "$base_tag" >/dev/null 2>&1 && [ -z "${DUET_REBUILD_BASE:-}" ]; then
    log "base image $base_tag already built"
    return
  fi
  command -v debootstrap >/dev/null || { log "debootstrap is missing (apt-get install debootstrap)"; exit 1; }
  local rootfs="$cache/rootfs" mirror
  mirror="$(apt_mirror)"
  rm -rf "$rootfs" && mkdir -p "$rootfs"
  log "debootstrap bookworm into $rootfs (mirror from this machine's apt sources)"
  debootstrap --variant=minbase --include=python3,python3-venv bookworm "$rootfs" ${mirror:+"$mirror"} >"$cache/debootstrap.log" 2>&1 \
    || { tail -n 20 "$cache/debootstrap.log" >&2; exit 1; }
  # Trim what a sandbox never needs: package lists, docs, man pages, locales.
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/*
  log "importing the root file system as $base_tag"
  tar -C "$rootfs" -c . | docker import - "$base_tag" >/dev/null
  rm -rf "$rootfs"
}

download_wheels() {
  local framework="$1" wheels="$cache/wheels-$1"
  mkdir -p "$wheels"
  log "downloading wheels for $framework into $wheels"
  # The images run Debian bookworm's Python 3.11 on x86_64 or arm64, like the host.
  "$python_bin" -m pip download -q --only-binary=:all: --dest "$wheels" \
    -r "$here/requirements-$framework.txt"
}

source_digest() {
  # What an image is made of: its base, the Dockerfile, its requirements and the harness
  # (names and contents). Kept as a label, so a changed harness always means a rebuild.
  local framework="$1"
  {
    docker image inspect -f '{{.Id}}' "$base_tag"
    cat "$here/Dockerfile" "$here/requirements-$framework.txt" | sha256sum
    (cd "$repo/sandbox/harness" && find . -type f ! -path '*/__pycache__/*' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
  } | sha256sum | cut -c1-16
}

image_current() {
  local framework="$1" digest="$2" built
  [ -z "${DUET_REBUILD:-}" ] || return 1
  [ -n "$(ls -A "$cache/wheels-$framework" 2>/dev/null)" ] || return 1  # the bare benchmark needs them too
  built=$(docker image inspect -f '{{index .Config.Labels "duet.source"}}' "duet-sandbox-$framework:latest" 2>/dev/null) || return 1
  [ "$built" = "$digest" ]
}

build_framework() {
  local framework="$1" digest="$2" ctx
  ctx="$(mktemp -d)"
  cp "$here/Dockerfile" "$ctx/Dockerfile"
  cp "$here/requirements-$framework.txt" "$ctx/requirements.txt"
  cp -r "$cache/wheels-$framework" "$ctx/wheels"
  cp -r "$repo/sandbox/harness" "$ctx/harness"
  find "$ctx/harness" -name '__pycache__' -prune -exec rm -rf {} +
  log "building duet-sandbox-$framework"
  legacy_build --build-arg "BASE=$base_tag" --build-arg "FRAMEWORK=$framework" \
    --label "duet.framework=$framework" --label "duet.source=$digest" -t "duet-sandbox-$framework:latest" "$ctx" \
    || { rm -rf "$ctx"; exit 1; }
  rm -rf "$ctx"
}

main() {
  if [ "${1:-}" = "--print-mirror" ]; then  # for deploy/build.sh's debootstrap
    apt_mirror
    return
  fi
  command -v docker >/dev/null || { log "docker is missing"; exit 1; }
  docker info >/dev/null 2>&1 || { log "the Docker engine is not reachable"; exit 1; }
  mkdir -p "$cache"
  local frameworks=("$@")
  [ ${#frameworks[@]} -gt 0 ] || frameworks=(flask django)
  local started=$SECONDS
  build_base
  local digest
  for fw in "${frameworks[@]}"; do
    digest="$(source_digest "$fw")"
    if image_current "$fw" "$digest"; then
      log "duet-sandbox-$fw is up to date ($digest)"
      continue
    fi
    download_wheels "$fw"
    build_framework "$fw" "$digest"
  done
  log "done in $((SECONDS - started)) s"
  docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep '^duet-sandbox' >&2
}

main "$@"
