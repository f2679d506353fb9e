#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Proves the Flatpak layout without the Flatpak runtime (which cannot be
# downloaded here): configure a build with --prefix=/app, install it with
# --destdir into a staging dir, compile its schemas as flatpak-builder
# would, then run the installed programs inside bubblewrap with the staging
# dir bound at /app, the way `flatpak run` does. SPRITE_GALLERY_FETCHER and
# GSETTINGS_SCHEMA_DIR are not set, so the programs must find their helper
# at /app/libexec and their schema under /app/share. The mock PokeAPI runs
# outside the sandbox on 127.0.0.1 (bwrap shares the network namespace
# unless told otherwise). TAP output.
#
# usage: run-installed.sh SOURCE_ROOT MOCK_PROGRAM APP_ID [XVFB_RUN]
#        run-installed.sh --gui-inner STAGING OUT BASE_URL   (under xvfb-run)
set -u

# The sandbox: the host's /usr (standing in for the runtime's), the staging
# dir read-only at /app, a private /tmp, a clean environment.
sandbox_args() {
  local staging=$1 out=$2
  local d
  SANDBOX=(bwrap --die-with-parent --unshare-pid --unshare-ipc --unshare-uts
           --ro-bind /usr /usr --ro-bind /etc /etc)
  for d in /bin /sbin /lib /lib32 /lib64 /libx32; do
    if [ -L "$d" ]; then
      SANDBOX+=(--symlink "$(readlink "$d")" "$d")
    elif [ -d "$d" ]; then
      SANDBOX+=(--ro-bind "$d" "$d")
    fi
  done
  SANDBOX+=(--proc /proc --dev /dev --tmpfs /tmp --dir /tmp/home
            --ro-bind "$staging/app" /app --bind "$out" /out
            --clearenv
            --setenv PATH /app/bin:/usr/bin
            --setenv XDG_DATA_DIRS /app/share:/usr/share
            --setenv HOME /tmp/home
            --setenv XDG_CACHE_HOME /tmp/home/.cache
            --setenv XDG_CONFIG_HOME /tmp/home/.config
            --setenv XDG_DATA_HOME /tmp/home/.local/share
            --setenv LC_ALL C.UTF-8
            --setenv GSETTINGS_BACKEND memory
            --setenv NO_AT_BRIDGE 1
            --setenv G_DEBUG fatal-criticals)
  # Sanitizer builds of the test suite pass these on; harmless otherwise.
  [ -n "${ASAN_OPTIONS:-}" ] && SANDBOX+=(--setenv ASAN_OPTIONS "$ASAN_OPTIONS")
  [ -n "${UBSAN_OPTIONS:-}" ] && SANDBOX+=(--setenv UBSAN_OPTIONS "$UBSAN_OPTIONS")
  return 0
}

# Inside xvfb-run: the same sandbox plus the X server's socket and cookie.
if [ "${1:-}" = --gui-inner ]; then
  staging=$2 out=$3 url=$4
  sandbox_args "$staging" "$out"
  display_number=${DISPLAY#*:}
  display_number=${display_number%%.*}
  SANDBOX+=(--ro-bind "/tmp/.X11-unix/X$display_number" "/tmp/.X11-unix/X$display_number"
            --setenv DISPLAY "$DISPLAY"
            --setenv GDK_BACKEND x11
            --setenv GSK_RENDERER cairo)
  if [ -n "${XAUTHORITY:-}" ] && [ -f "$XAUTHORITY" ]; then
    SANDBOX+=(--ro-bind "$XAUTHORITY" /tmp/Xauthority --setenv XAUTHORITY /tmp/Xauthority)
  fi
  exec timeout -k 5 120 "${SANDBOX[@]}" -- sprite-gallery \
    --base-url "$url" --quit-when-done --no-cache --report /out/gui-report.json
fi

source_root=$1
mock=$2
app_id=$3
xvfb_run=${4:-}

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
check() {   # check DESCRIPTION COMMAND...
  local description=$1
  shift
  if "$@" >/dev/null 2>&1; then ok "$description"; else not_ok "$description" "failed: $*"; fi
}
skip_all() {
  echo "1..0 # SKIP $1"
  exit 0
}
bail() {
  echo "Bail out! $1"
  exit 1
}

command -v bwrap >/dev/null 2>&1 || skip_all "bwrap (bubblewrap) is not installed"
command -v jq >/dev/null 2>&1 || skip_all "jq is not installed"
bwrap --ro-bind / / --proc /proc --dev /dev --unshare-pid true 2>/dev/null ||
  skip_all "bwrap cannot create namespaces here"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sg-flatpak-XXXXXX")
mock_pid=
cleanup() {
  if [ -n "$mock_pid" ]; then
    kill "$mock_pid" 2>/dev/null
    wait "$mock_pid" 2>/dev/null
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
staging=$tmp/staging
out=$tmp/out
mkdir -p "$staging" "$out"

# 1. Configure, build what is installed (not the tests), install.
echo "# building with --prefix=/app in $tmp/build"
# A sanitizer build of the suite exports these; the staged build is a
# plain one, so they are not for it.
unset CFLAGS LDFLAGS
if ! meson setup "$tmp/build" "$source_root" --prefix=/app -Dbuildtype=plain \
     >"$tmp/setup.log" 2>&1; then
  sed 's/^/# /' "$tmp/setup.log" | tail -n 30
  bail "meson setup --prefix=/app failed"
fi
mapfile -t targets < <(meson introspect "$tmp/build" --targets |
                         jq -r '.[] | select(.installed) | .filename[]' |
                         sed "s|^$tmp/build/||")
if ! ninja -C "$tmp/build" "${targets[@]}" >"$tmp/build.log" 2>&1; then
  sed 's/^/# /' "$tmp/build.log" | tail -n 30
  bail "building the installed targets failed"
fi
if ! meson install -C "$tmp/build" --no-rebuild --destdir "$staging" >"$tmp/install.log" 2>&1; then
  sed 's/^/# /' "$tmp/install.log" | tail -n 30
  bail "meson install --destdir failed"
fi
# flatpak-builder compiles the schemas of /app when it finishes the build
# (meson's post-install step skips it under DESTDIR).
if [ -d "$staging/app/share/glib-2.0/schemas" ]; then
  glib-compile-schemas --strict "$staging/app/share/glib-2.0/schemas"
fi

# 2. The layout.
check "/app/bin/sprite-gallery is installed" test -x "$staging/app/bin/sprite-gallery"
check "/app/bin/sprite-gallery-dl is installed" test -x "$staging/app/bin/sprite-gallery-dl"
check "the helper is at /app/libexec/sprite-gallery-fetcher" \
  test -x "$staging/app/libexec/sprite-gallery-fetcher"
check "the helper is not on PATH (/app/bin)" test ! -e "$staging/app/bin/sprite-gallery-fetcher"
check "desktop file at /app/share/applications/$app_id.desktop" \
  test -f "$staging/app/share/applications/$app_id.desktop"
check "metainfo at /app/share/metainfo/$app_id.metainfo.xml" \
  test -f "$staging/app/share/metainfo/$app_id.metainfo.xml"
check "scalable icon installed" test -f "$staging/app/share/icons/hicolor/scalable/apps/$app_id.svg"
check "symbolic icon installed" \
  test -f "$staging/app/share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"
# GTK loads icons from a stream, by content sniffing: an SVG whose <svg>
# tag is not within its first 256 bytes is "Unrecognized image file format".
if command -v gdk-pixbuf-thumbnailer >/dev/null 2>&1; then
  for icon in "$staging"/app/share/icons/hicolor/*/apps/*.svg; do
    check "$(basename "$icon") loads as an image" \
      gdk-pixbuf-thumbnailer -s 64 "$icon" "$tmp/icon.png"
  done
else
  echo "ok $((n + 1)) # SKIP gdk-pixbuf-thumbnailer is not installed"
  n=$((n + 1))
fi
check "compiled schemas at /app/share/glib-2.0/schemas" \
  test -f "$staging/app/share/glib-2.0/schemas/gschemas.compiled"
while read -r lang; do
  case $lang in ''|'#'*) continue ;; esac
  check "translation $lang installed" \
    test -f "$staging/app/share/locale/$lang/LC_MESSAGES/sprite-gallery.mo"
done <"$source_root/po/LINGUAS"

# 3. The mock PokeAPI, outside the sandbox.
"$mock" --latency-ms 5 >"$tmp/mock.out" 2>"$tmp/mock.err" &
mock_pid=$!
url=
# Bounded: 30 s, as the C tests wait for it, far above its start-up.
for _ in $(seq 1 600); do
  url=$(head -n 1 "$tmp/mock.out" 2>/dev/null)
  [ -n "$url" ] && break
  kill -0 "$mock_pid" 2>/dev/null || break
  sleep 0.05
done
case $url in
  http://127.0.0.1:*) echo "# mock server at $url" ;;
  *) bail "the mock server did not print its base URL: $(cat "$tmp/mock.err")" ;;
esac

# 4. The installed schema is found the way it is in Flatpak.
sandbox_args "$staging" "$out"
if keys=$(timeout -k 5 30 "${SANDBOX[@]}" -- gsettings list-keys "$app_id" 2>&1) &&
   grep -qx base-url <<<"$keys"; then
  ok "gsettings finds the installed schema through XDG_DATA_DIRS"
else
  not_ok "gsettings finds the installed schema through XDG_DATA_DIRS" "$keys"
fi

# Each translation is found at /app/share/locale (LOCALEDIR): --help reads
# differently in that language.
english_help=$(timeout -k 5 30 "${SANDBOX[@]}" -- sprite-gallery-dl --help 2>&1)
while read -r lang; do
  case $lang in ''|'#'*) continue ;; esac
  help=$(timeout -k 5 30 "${SANDBOX[@]}" --setenv LANGUAGE "$lang" -- sprite-gallery-dl --help 2>&1)
  if [ -n "$help" ] && [ "$help" != "$english_help" ]; then
    ok "sprite-gallery-dl speaks $lang from /app/share/locale"
  else
    not_ok "sprite-gallery-dl speaks $lang from /app/share/locale" "$help"
  fi
done <"$source_root/po/LINGUAS"

# 5. sprite-gallery-dl in the sandbox, against the mock server.
timeout -k 5 120 "${SANDBOX[@]}" -- sprite-gallery-dl --base-url "$url" --no-cache \
  --out /out/sprites --report /out/dl-report.json >"$tmp/dl.out" 2>"$tmp/dl.err"
status=$?
if [ "$status" -eq 0 ]; then
  ok "sprite-gallery-dl in the sandbox exits 0"
else
  mapfile -t lines < <(tail -n 20 "$tmp/dl.err")
  not_ok "sprite-gallery-dl in the sandbox exits 0" "exit status $status" "${lines[@]}"
fi
check "sprite-gallery-dl saved 100 sprites" \
  test "$(find "$out/sprites" -name '*.png' 2>/dev/null | wc -l)" -eq 100
check "its report counts 100 done" \
  jq -e '.counts.done == 100 and .counts.failed == 0' "$out/dl-report.json"
check "its report lists the helpers it spawned from /app/libexec (pids)" \
  jq -e '(.workers | length) > 0 and all(.workers[]; .pid > 0 and .tasks >= 0)' \
  "$out/dl-report.json"

# The negative control: outside the sandbox there is no /app, and with no
# SPRITE_GALLERY_FETCHER the staged program must fail to find its helper
# (it does not fall back to some other copy).
if [ ! -e /app/libexec/sprite-gallery-fetcher ]; then
  env -u SPRITE_GALLERY_FETCHER timeout -k 5 60 "$staging/app/bin/sprite-gallery-dl" \
    --base-url "$url" --no-cache --count 3 --out "$tmp/outside" >/dev/null 2>"$tmp/outside.err"
  status=$?
  if [ "$status" -ne 0 ] && [ "$status" -ne 124 ] && grep -q /app/libexec "$tmp/outside.err"; then
    ok "outside the sandbox the helper is looked for at /app/libexec only"
  else
    mapfile -t lines < <(tail -n 5 "$tmp/outside.err")
    not_ok "outside the sandbox the helper is looked for at /app/libexec only" \
      "exit status $status" "${lines[@]}"
  fi
fi

# 6. The app, under Xvfb, in the sandbox.
if [ -z "$xvfb_run" ]; then
  echo "ok $((n + 1)) # SKIP xvfb-run is not installed"
  n=$((n + 1))
else
  "$xvfb_run" -a -s "-screen 0 1280x900x24" bash "$0" --gui-inner "$staging" "$out" "$url" \
    >"$tmp/gui.out" 2>"$tmp/gui.err"
  status=$?
  if [ "$status" -eq 0 ]; then
    ok "sprite-gallery --quit-when-done in the sandbox exits 0"
  else
    mapfile -t lines < <(tail -n 20 "$tmp/gui.err")
    not_ok "sprite-gallery --quit-when-done in the sandbox exits 0" "exit status $status" "${lines[@]}"
  fi
  check "its report counts 100 done" \
    jq -e '.counts.done == 100 and .counts.failed == 0' "$out/gui-report.json"
  check "its report lists helper pids" \
    jq -e '(.workers | length) > 0 and all(.workers[]; .pid > 0)' "$out/gui-report.json"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
