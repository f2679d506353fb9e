#!/usr/bin/env bash
# Regenerates data/screenshots/ (README, AppStream) from the built app:
# the offline demo at 300 ms, four processes, caught mid-run in a 1100×760
# window under Xvfb, in English and Portuguese, light and dark; and the
# README's timeline, which the window tests take right after killing a
# helper (a moment no timing would catch).
#
#   build-aux/screenshots.sh            # after build-aux/dev.sh test (or run)
#
# Needs xvfb-run and ImageMagick (both in build-aux/debian-packages.txt) and,
# for the Portuguese ones, the pt_BR.UTF-8 locale (package `locales`, then
# `locale-gen`). A run is timed, not scripted: look at every picture, and run
# again with SG_SHOT_WAIT (seconds after launch, default 3.6) if one caught the
# run too early or too late.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
out=data/screenshots
wait_s=${SG_SHOT_WAIT:-3.6}
app_id=io.github.spritegallery.SpriteGallery

for tool in xvfb-run import convert; do
  command -v "$tool" >/dev/null || { echo "screenshots: $tool is missing" >&2; exit 1; }
done
[ -x "$build/src/gui/sprite-gallery" ] || { echo "screenshots: build the app in $build first" >&2; exit 1; }

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# One picture: NAME LOCALE COLOUR-SCHEME TRANSFERS-PER-PROCESS
shoot() {
  local name=$1 locale=$2 scheme=$3 transfers=$4
  local config="$scratch/config-$name"

  # The window's size and the demo's latency, as a user would have set them.
  mkdir -p "$config/glib-2.0/settings"
  cat >"$config/glib-2.0/settings/keyfile" <<EOF
[${app_id//./\/}]
window-width=1100
window-height=760
demo-latency-ms=300
EOF

  # shellcheck disable=SC2016 # expanded by the inner shell
  LC_ALL=$locale ADW_DEBUG_COLOR_SCHEME=$scheme \
  GSETTINGS_BACKEND=keyfile XDG_CONFIG_HOME="$config" XDG_DATA_HOME="$scratch/data" \
  GDK_BACKEND=x11 GSK_RENDERER=cairo NO_AT_BRIDGE=1 \
  SHOT="$scratch/$name.png" WAIT="$wait_s" \
  xvfb-run -a -s "-screen 0 1280x900x24" \
    meson devenv -C "$build" sh -c '
      sprite-gallery --demo --workers 4 --in-flight "$0" >/dev/null 2>&1 &
      app=$!
      sleep "$WAIT"
      import -window root "$SHOT"
      kill "$app"' "$transfers"

  # The window sits at the top left of the screen: keep just the window, in
  # a palette (a screenshot of flat colours loses nothing).
  convert "$scratch/$name.png" -crop 1100x760+0+0 +repage -colors 256 "PNG8:$out/$name.png"
  echo "$out/$name.png"
}

shoot light C.UTF-8 prefer-light 2
shoot dark C.UTF-8 prefer-dark 2
shoot demo C.UTF-8 prefer-light 4
shoot pt_BR pt_BR.UTF-8 prefer-light 4
shoot pt_BR-dark pt_BR.UTF-8 prefer-dark 4

meson test -C "$build" viz-window >/dev/null
convert "$build/tests/viz-window-mid-run.png" -colors 256 "PNG8:$out/timeline.png"
echo "$out/timeline.png"
