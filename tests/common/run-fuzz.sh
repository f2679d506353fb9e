#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Fuzzes the frame decoder with libFuzzer for a while.
#
#   tests/common/run-fuzz.sh [SECONDS] [BUILD_DIR]
#
# SECONDS defaults to 60; BUILD_DIR to build-fuzz in the source tree. It
# configures BUILD_DIR with clang and -Dfuzzing=true if needed, builds only
# the fuzz target, and runs it on a scratch copy of tests/common/fuzz-corpus
# (the committed seeds are never modified). Crash inputs are kept in
# BUILD_DIR/fuzz-artifacts/; add a minimised one to fuzz-corpus/ so that the
# fuzz-replay test guards against the regression. Exit status is libFuzzer's:
# non-zero when it found a crash or a broken invariant.
set -eu

seconds=${1:-60}
srcdir=$(cd "$(dirname "$0")/../.." && pwd)
builddir=${2:-"$srcdir/build-fuzz"}

case $seconds in
  ''|*[!0-9]*) echo "run-fuzz.sh: SECONDS must be a whole number, not '$seconds'" >&2; exit 2 ;;
esac

if [ ! -f "$builddir/build.ninja" ]; then
  CC=clang meson setup "$builddir" "$srcdir" -Dfuzzing=true
fi
ninja -C "$builddir" tests/common/fuzz-frame

corpus=$(mktemp -d "${TMPDIR:-/tmp}/sg-fuzz-corpus.XXXXXX")
trap 'rm -rf "$corpus"' EXIT INT TERM
cp "$srcdir"/tests/common/fuzz-corpus/* "$corpus"/
mkdir -p "$builddir/fuzz-artifacts"

# Frames are checked from their 24-byte header before the body, so inputs
# far below the 2 MiB payload cap reach every branch.
"$builddir/tests/common/fuzz-frame" \
  -max_total_time="$seconds" \
  -max_len=65536 \
  -timeout=10 \
  -rss_limit_mb=2048 \
  -print_final_stats=1 \
  -artifact_prefix="$builddir/fuzz-artifacts/" \
  "$corpus"
