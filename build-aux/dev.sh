#!/usr/bin/env bash
# Sets up everything a fresh Debian 12 / Ubuntu machine needs, builds, and
# then either launches the app or runs the whole test suite.
#
#   build-aux/dev.sh run    # install, build, launch sprite-gallery
#   build-aux/dev.sh test   # install, build, run every test (meson test)
set -euo pipefail

cd "$(dirname "$0")/.."
action=${1:-run}
shift || true
build=${BUILD_DIR:-build}

install_packages() {
  local packages missing=()
  mapfile -t packages < build-aux/debian-packages.txt
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing: ${missing[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
}

configure() {
  if [ -f "$build/build.ninja" ]; then
    meson setup --reconfigure "$build" "$@" >/dev/null
  else
    meson setup "$build" "$@"
  fi
  meson compile -C "$build"
}

install_packages
case "$action" in
  run)
    configure
    exec meson devenv -C "$build" sprite-gallery "$@"
    ;;
  test)
    configure
    meson test -C "$build" --print-errorlogs "$@"
    ;;
  *)
    echo "usage: $0 run|test" >&2
    exit 2
    ;;
esac
