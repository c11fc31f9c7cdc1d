#!/bin/sh
# 1. Every source file with a translatable string is listed in po/POTFILES.in.
# 2. Every listed file exists.
# 3. po/zh_CN.po has every message of a freshly extracted template, translated
#    and not fuzzy.
set -eu
root=${1:?usage: check-po.sh SOURCE_ROOT}
cd "$root"
status=0

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

build-aux/list-potfiles > "$tmp/expected"
grep -v '^#' po/POTFILES.in | sed '/^$/d' | sort > "$tmp/listed"
if ! diff -u "$tmp/listed" "$tmp/expected" > "$tmp/diff"; then
  echo "po/POTFILES.in is out of date (run build-aux/dev po):"
  cat "$tmp/diff"
  status=1
fi

while read -r f; do
  [ -e "$f" ] || { echo "po/POTFILES.in lists a missing file: $f"; status=1; }
done < "$tmp/listed"

xgettext --from-code=UTF-8 --add-comments=Translators --keyword=_ --keyword=N_ \
  --keyword=C_:1c,2 --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 \
  --package-name=outbound -f "$tmp/listed" -o "$tmp/outbound.pot"
msgmerge --quiet --no-fuzzy-matching -o "$tmp/merged.po" po/zh_CN.po "$tmp/outbound.pot"
stats=$(msgfmt --statistics -c -o /dev/null "$tmp/merged.po" 2>&1 | tail -n 1)
echo "zh_CN: $stats"
case "$stats" in
  *untranslated*|*fuzzy*)
    echo "po/zh_CN.po is not complete: run build-aux/dev po, then translate the new messages"
    msgattrib --untranslated --no-obsolete "$tmp/merged.po" | grep '^msgid' | head -n 40
    status=1 ;;
esac
exit $status
