#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Checks the Flatpak manifest against what the build really produces: valid
# JSON, the app id and command agree with the desktop file, the AppStream
# metainfo and the programs meson installs, the helper lands in libexec, and
# the sandbox holes are exactly the five the app needs. Then it feeds the
# checker manifests with one thing wrong each, and each must be refused (so
# a check that can never fail is caught too). TAP output.
#
# usage: check-manifest.sh --manifest FILE --desktop FILE --metainfo FILE
#          --installed INTRO_INSTALLED_JSON --app-id ID --base-app-id ID
#          --prefix DIR --bindir DIR --libexecdir DIR --source-root DIR
set -u

declare -A opt
while [ $# -gt 1 ]; do
  opt[${1#--}]=$2
  shift 2
done
for key in manifest desktop metainfo installed app-id base-app-id prefix bindir libexecdir source-root; do
  if [ -z "${opt[$key]:-}" ]; then
    echo "Bail out! missing --$key"
    exit 1
  fi
done

if ! command -v jq >/dev/null 2>&1; then
  echo "1..0 # SKIP jq is not installed"
  exit 0
fi

# What the app needs, and nothing more: the network (PokeAPI), a display
# (Wayland, or X11 where there is no Wayland; X11 needs the shared IPC
# namespace for MIT-SHM), and the GPU for GTK's renderer.
expected_finish_args=$'--device=dri\n--share=ipc\n--share=network\n--socket=fallback-x11\n--socket=wayland'

n=0
failed=0
ok() {
  n=$((n + 1))
  echo "ok $n - $1"
}
not_ok() {
  n=$((n + 1))
  failed=$((failed + 1))
  echo "not ok $n - $1"
  shift
  for line in "$@"; do
    echo "# $line"
  done
}

# The first word of the Exec= line of the [Desktop Entry] group.
desktop_exec() {
  sed -n '/^\[Desktop Entry\]/,/^\[/{s/^Exec=\([^ ]*\).*/\1/p}' "$1" | head -n 1
}

xml_text() {   # xml_text FILE ELEMENT [ATTRIBUTE-MATCH]
  sed -n "s|.*<$2${3:-}>\([^<]*\)</$2>.*|\1|p" "$1" | head -n 1
}

# The checks proper. Prints one problem per line; prints nothing when the
# manifest is right.
manifest_problems() {
  local manifest=$1
  local id command runtime sdk args n_modules module

  if ! jq -e 'type == "object"' "$manifest" >/dev/null 2>&1; then
    echo "not a JSON object"
    return
  fi

  id=$(jq -r '.id // ."app-id" // empty' "$manifest")
  command=$(jq -r '.command // empty' "$manifest")
  runtime=$(jq -r '.runtime // empty' "$manifest")
  sdk=$(jq -r '.sdk // empty' "$manifest")

  [ "$id" = "${opt[base-app-id]}" ] ||
    echo "id is '$id', the application id is '${opt[base-app-id]}'"
  [ "$runtime" = org.gnome.Platform ] || echo "runtime is '$runtime', not org.gnome.Platform"
  [ "$sdk" = org.gnome.Sdk ] || echo "sdk is '$sdk', not org.gnome.Sdk"
  jq -e '."runtime-version" | type == "string" and test("^[0-9]+$")' "$manifest" >/dev/null ||
    echo "runtime-version is not a GNOME release number such as \"51\""

  # One id everywhere: a .Devel build installs under app_id, the manifest
  # builds the stable one.
  if [ "${opt[app-id]}" != "$id" ] && [ "${opt[app-id]}" != "$id.Devel" ]; then
    echo "the build's application id '${opt[app-id]}' is not '$id' (or its .Devel variant)"
  fi

  [ "$command" = "$(desktop_exec "${opt[desktop]}")" ] ||
    echo "command '$command' is not the desktop file's Exec '$(desktop_exec "${opt[desktop]}")'"
  jq -e --arg p "${opt[bindir]}/$command" 'to_entries | any(.value == $p)' \
    "${opt[installed]}" >/dev/null ||
    echo "meson installs no program at ${opt[bindir]}/$command"
  jq -e --arg p "${opt[libexecdir]}/sprite-gallery-fetcher" 'to_entries | any(.value == $p)' \
    "${opt[installed]}" >/dev/null ||
    echo "meson does not install the helper at ${opt[libexecdir]}/sprite-gallery-fetcher"

  args=$(jq -r '."finish-args" // [] | .[]' "$manifest" | sort)
  if [ "$args" != "$expected_finish_args" ]; then
    echo "finish-args are [$(echo $args)], expected exactly [$(echo $expected_finish_args)]"
  fi

  # One module, the app, built with meson from this checkout; libcurl,
  # json-glib, libsoup 3, GTK and libadwaita all come from the runtime.
  n_modules=$(jq '.modules | length' "$manifest")
  if [ "$n_modules" != 1 ]; then
    echo "$n_modules modules; the GNOME runtime has every library, so only the app is built"
    return
  fi
  module=$(jq -c '.modules[0]' "$manifest")
  [ "$(jq -r '.buildsystem' <<<"$module")" = meson ] || echo "the app module is not built with meson"
  jq -e '.sources == [{"type": "dir", "path": "../.."}]' <<<"$module" >/dev/null ||
    echo "the app module's source is not the checkout (type dir, path ../..)"
  if ! jq -e '(."config-opts" // []) | map(select(test("^(--|-D)libexecdir")))
               | all(. == "--libexecdir=libexec" or . == "-Dlibexecdir=libexec")' \
       <<<"$module" >/dev/null; then
    echo "config-opts move the helper out of /app/libexec"
  fi
}

echo "# manifest: ${opt[manifest]}"

# 1. valid JSON
if jq empty "${opt[manifest]}" 2>/dev/null; then
  ok "the manifest is valid JSON"
else
  not_ok "the manifest is valid JSON" "$(jq empty "${opt[manifest]}" 2>&1)"
fi

# 2. the desktop file and the metainfo name the same app and program
desktop_name=$(basename "${opt[desktop]}")
meta_id=$(xml_text "${opt[metainfo]}" id)
launchable=$(xml_text "${opt[metainfo]}" launchable ' type="desktop-id"')
if [ "$desktop_name" = "${opt[app-id]}.desktop" ] && [ "$meta_id" = "${opt[app-id]}" ] &&
   [ "$launchable" = "$desktop_name" ]; then
  ok "desktop file, metainfo id and launchable agree on ${opt[app-id]}"
else
  not_ok "desktop file, metainfo id and launchable agree on ${opt[app-id]}" \
    "desktop file: $desktop_name, metainfo id: $meta_id, launchable: $launchable"
fi

# 3. the manifest source path really is this checkout
manifest_dir=$(cd "$(dirname "${opt[manifest]}")" && pwd)
source_path=$(jq -r '.modules[-1].sources[0].path // empty' "${opt[manifest]}")
if [ -n "$source_path" ] && [ "$(cd "$manifest_dir/$source_path" 2>/dev/null && pwd -P)" = "$(cd "${opt[source-root]}" && pwd -P)" ]; then
  ok "the app module's source dir is the checkout"
else
  not_ok "the app module's source dir is the checkout" "path '$source_path' from $manifest_dir"
fi

# 4. everything else
problems=$(manifest_problems "${opt[manifest]}")
if [ -z "$problems" ]; then
  ok "id, command, finish-args and modules match the build"
else
  mapfile -t lines <<<"$problems"
  not_ok "id, command, finish-args and modules match the build" "${lines[@]}"
fi

# 5. the checker refuses manifests with one thing wrong
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mutations=(
  'bad id|.id = "org.example.Other"'
  'bad command|.command = "sprite-gallery-dl"'
  'home access|."finish-args" += ["--filesystem=home"]'
  'session bus|."finish-args" += ["--socket=session-bus"]'
  'pulseaudio|."finish-args" += ["--socket=pulseaudio"]'
  'no network|."finish-args" -= ["--share=network"]'
  'x11 instead of fallback|."finish-args" = (."finish-args" - ["--socket=fallback-x11"] + ["--socket=x11"])'
  'an extra module|.modules = [{"name": "curl", "buildsystem": "autotools", "sources": []}] + .modules'
  'not meson|.modules[0].buildsystem = "cmake"'
  'helper moved|.modules[0]."config-opts" = ["--libexecdir=lib/sprite-gallery"]'
  'freedesktop runtime|.runtime = "org.freedesktop.Platform"'
)
for m in "${mutations[@]}"; do
  name=${m%%|*}
  filter=${m#*|}
  jq "$filter" "${opt[manifest]}" >"$tmp/m.json"
  if [ -n "$(manifest_problems "$tmp/m.json")" ]; then
    ok "a manifest with '$name' is refused"
  else
    not_ok "a manifest with '$name' is refused" "jq filter: $filter"
  fi
done
echo '{"id": ' >"$tmp/broken.json"
if [ -n "$(manifest_problems "$tmp/broken.json")" ]; then
  ok "broken JSON is refused"
else
  not_ok "broken JSON is refused"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
