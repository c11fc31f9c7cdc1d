#!/bin/sh
# The floors of DESIGN.md ("Layers"): an area under src/core includes the
# headers of its own area and of the areas the table lets it use, nothing
# else. Fails listing each include that points sideways or up. The table
# below is DESIGN.md's; a change to one is a change to the other.
root=${1:?usage: check-layers.sh SOURCE_ROOT}
core="$root/src/core"

allowed () {
  case "$1" in
    store|address|dns|templates) echo "-" ;;
    contacts) echo "address dns store" ;;
    mail|reports) echo "store" ;;
    bounces) echo "mail contacts store" ;;
    sending) echo "contacts templates mail bounces store" ;;
    *) echo "?" ;;
  esac
}

# "header area" for every header of an area
map=$(cd "$core" && find . -mindepth 2 -name 'ob-*.h' | sed -E 's|^\./([^/]+)/(.*/)?([^/]+)$|\3 \1|')

violations=$(
  for dir in "$core"/*/; do
    area=$(basename "$dir")
    ok=$(allowed "$area")
    if [ "$ok" = "?" ]; then
      echo "src/core/$area: not in the table of floors (DESIGN.md, tests/validation/check-layers.sh)"
      continue
    fi
    find "$dir" -name '*.[ch]' | sort | while read -r file; do
      grep -oE '^#[[:space:]]*include[[:space:]]*"ob-[a-z0-9-]+\.h"' "$file" | sed -E 's/.*"(.*)"/\1/' |
      while read -r header; do
        other=$(echo "$map" | awk -v h="$header" '$1 == h { print $2; exit }')
        if [ -z "$other" ] || [ "$other" = "$area" ]; then
          continue
        fi
        case " $ok " in
          *" $other "*) ;;
          *) echo "${file#"$root"/}: core/$area may not use core/$other ($header)" ;;
        esac
      done
    done
  done
)

if [ -n "$violations" ]; then
  echo "Includes against the floors of DESIGN.md:"
  echo "$violations"
  exit 1
fi
echo "src/core: every include keeps to the floors of DESIGN.md"
