#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Translations are complete and compile:
#  - po/POTFILES.in is sorted, lists only files that exist, and misses no
#    file of src/ or data/ that has translatable strings;
#  - a template extracted now (xgettext with meson's 'glib' preset, into a
#    temporary dir: the source tree is not touched) merged into each .po of
#    po/LINGUAS leaves no string untranslated or fuzzy;
#  - each .po compiles with msgfmt --check;
#  - the built desktop file and metainfo carry each language
#    (i18n.merge_file);
#  - and the checker itself fails on an untranslated or a fuzzy string.
# TAP output.
#
# usage: check-po.sh SOURCE_ROOT BUILT_DESKTOP BUILT_METAINFO
set -u

source_root=$1
built_desktop=$2
built_metainfo=$3
po_dir=$source_root/po

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

for tool in xgettext msgmerge msgfmt msgattrib; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "1..0 # SKIP $tool is not installed (gettext)"
    exit 0
  fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sg-po-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# meson's i18n.gettext(preset: 'glib') arguments.
xgettext_args=(
  --from-code=UTF-8 --add-comments
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3
  --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format
  --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format
  --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format
  --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format
  --flag=g_markup_printf_escaped:1:c-format --flag=g_log:3:c-format
  --flag=g_print:1:c-format --flag=g_printerr:1:c-format --flag=g_printf:1:c-format
  --flag=g_fprintf:2:c-format --flag=g_sprintf:2:c-format --flag=g_snprintf:3:c-format
)

mapfile -t potfiles < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$po_dir/POTFILES.in")
mapfile -t linguas < <(sed -e 's/#.*//' "$po_dir/LINGUAS" | tr -s ' \t' '\n\n' | sed '/^$/d')

# 1. POTFILES.in: sorted, existing, complete.
if [ "$(printf '%s\n' "${potfiles[@]}")" = "$(printf '%s\n' "${potfiles[@]}" | LC_ALL=C sort -u)" ]; then
  ok "POTFILES.in is sorted, without duplicates"
else
  not_ok "POTFILES.in is sorted, without duplicates"
fi

missing=()
for f in "${potfiles[@]}"; do
  [ -f "$source_root/$f" ] || missing+=("$f")
done
if [ ${#missing[@]} -eq 0 ]; then
  ok "every file in POTFILES.in exists"
else
  not_ok "every file in POTFILES.in exists" "${missing[@]}"
fi

unlisted=()
while IFS= read -r f; do
  printf '%s\n' "${potfiles[@]}" | grep -qxF "$f" && continue
  (cd "$source_root" && xgettext "${xgettext_args[@]}" -o "$tmp/one.pot" "$f" 2>/dev/null)
  [ -s "$tmp/one.pot" ] && unlisted+=("$f has translatable strings")
  rm -f "$tmp/one.pot"
done < <(cd "$source_root" &&
         find src data -type f \( -name '*.c' -o -name '*.ui' -o -name '*.desktop.in' \
                                 -o -name '*.metainfo.xml.in' -o -name '*.gschema.xml' \) |
         LC_ALL=C sort)
if [ ${#unlisted[@]} -eq 0 ]; then
  ok "POTFILES.in lists every file with translatable strings"
else
  not_ok "POTFILES.in lists every file with translatable strings" "${unlisted[@]}"
fi

# 2. A fresh template.
if (cd "$source_root" && xgettext "${xgettext_args[@]}" --package-name=sprite-gallery \
      --files-from=po/POTFILES.in -o "$tmp/sprite-gallery.pot") 2>"$tmp/xgettext.err"; then
  ok "xgettext extracts the template ($(grep -c '^msgid ' "$tmp/sprite-gallery.pot") messages)"
else
  mapfile -t lines <"$tmp/xgettext.err"
  not_ok "xgettext extracts the template" "${lines[@]}"
  echo "1..$n"
  exit 1
fi

# Prints "TRANSLATED FUZZY UNTRANSLATED" for a .po file, or nothing when
# it does not compile.
po_counts() {
  local stats
  stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$1" 2>&1) || return 1
  local t=0 f=0 u=0
  [[ $stats =~ ([0-9]+)\ translated ]] && t=${BASH_REMATCH[1]}
  [[ $stats =~ ([0-9]+)\ fuzzy ]] && f=${BASH_REMATCH[1]}
  [[ $stats =~ ([0-9]+)\ untranslated ]] && u=${BASH_REMATCH[1]}
  echo "$t $f $u"
}

# Checks one language's .po against the template; prints problems.
po_problems() {   # po_problems PO POT
  local merged=$tmp/merged.po counts t f u
  if ! msgmerge --quiet --previous -o "$merged" "$1" "$2" 2>"$tmp/msgmerge.err"; then
    echo "msgmerge failed: $(cat "$tmp/msgmerge.err")"
    return
  fi
  if ! counts=$(po_counts "$merged"); then
    echo "does not compile: $(LC_ALL=C msgfmt --check -o /dev/null "$merged" 2>&1 | head -n 5)"
    return
  fi
  read -r t f u <<<"$counts"
  if [ "$u" -gt 0 ]; then
    echo "$u untranslated:"
    msgattrib --untranslated --no-obsolete --no-wrap "$merged" | sed -n 's/^msgid "\(..*\)"$/  \1/p'
  fi
  if [ "$f" -gt 0 ]; then
    echo "$f fuzzy:"
    msgattrib --only-fuzzy --no-obsolete --no-wrap "$merged" | sed -n 's/^msgid "\(..*\)"$/  \1/p'
  fi
  [ "$t" -gt 0 ] || echo "nothing is translated"
}

# 3. Each language.
for lang in "${linguas[@]}"; do
  po=$po_dir/$lang.po
  if [ ! -f "$po" ]; then
    not_ok "$lang.po exists (listed in LINGUAS)"
    continue
  fi

  if out=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$po" 2>&1); then
    ok "$lang.po compiles with msgfmt --check ($out)"
  else
    mapfile -t lines <<<"$out"
    not_ok "$lang.po compiles with msgfmt --check" "${lines[@]}"
  fi

  problems=$(po_problems "$po" "$tmp/sprite-gallery.pot")
  if [ -z "$problems" ]; then
    ok "$lang.po translates every string of the template, none fuzzy"
  else
    mapfile -t lines <<<"$problems"
    not_ok "$lang.po translates every string of the template, none fuzzy" "${lines[@]}"
  fi

  # What i18n.merge_file runs (msgfmt --desktop / --xml with po/), into a
  # temporary dir: meson does not rebuild the merged files when only a .po
  # changes, so the built ones may predate it.
  desktop_in=$(ls "$source_root"/data/*.desktop.in | head -n 1)
  metainfo_in=$(ls "$source_root"/data/*.metainfo.xml.in | head -n 1)
  if msgfmt --desktop -d "$po_dir" --template "$desktop_in" -o "$tmp/merged.desktop" 2>"$tmp/msgfmt.err" &&
     grep -q "^Name\[$lang\]=" "$tmp/merged.desktop" && grep -q "^Comment\[$lang\]=" "$tmp/merged.desktop" &&
     grep -q "^Keywords\[$lang\]=.*;$" "$tmp/merged.desktop"; then
    ok "the desktop file gets the $lang name, comment and keywords"
  else
    not_ok "the desktop file gets the $lang name, comment and keywords" "$(cat "$tmp/msgfmt.err")"
  fi
  if msgfmt --xml -d "$po_dir" --template "$metainfo_in" -o "$tmp/merged.xml" 2>"$tmp/msgfmt.err" &&
     grep -q "<summary xml:lang=\"$lang\">" "$tmp/merged.xml" &&
     grep -q "<p xml:lang=\"$lang\">" "$tmp/merged.xml"; then
    ok "the metainfo gets the $lang summary and description"
  else
    not_ok "the metainfo gets the $lang summary and description" "$(cat "$tmp/msgfmt.err")"
  fi
  # And the build's own merged files, when they are newer than the .po.
  for built in "$built_desktop" "$built_metainfo"; do
    if [ "$built" -nt "$po" ]; then
      if grep -q "xml:lang=\"$lang\"\|^Name\[$lang\]=" "$built"; then
        ok "the built $(basename "$built") carries $lang"
      else
        not_ok "the built $(basename "$built") carries $lang" "$built"
      fi
    else
      echo "ok $((n + 1)) # SKIP the built $(basename "$built") is older than $lang.po (rebuild it)"
      n=$((n + 1))
    fi
  done

  # 4. The checker catches what it is for.
  { cat "$tmp/sprite-gallery.pot"
    printf '\nmsgid "A string nobody has translated yet"\nmsgstr ""\n'; } >"$tmp/extra.pot"
  if [ -n "$(po_problems "$po" "$tmp/extra.pot")" ]; then
    ok "the check fails on a new, untranslated string ($lang)"
  else
    not_ok "the check fails on a new, untranslated string ($lang)"
  fi
  msgattrib --set-fuzzy -o "$tmp/fuzzy.po" "$po"
  if [ -n "$(po_problems "$tmp/fuzzy.po" "$tmp/sprite-gallery.pot")" ]; then
    ok "the check fails on fuzzy strings ($lang)"
  else
    not_ok "the check fails on fuzzy strings ($lang)"
  fi
done

if [ ${#linguas[@]} -eq 0 ]; then
  echo "# LINGUAS lists no language yet"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
