#!/bin/sh
# The window and outbound-cli are front ends: every rule of the product,
# and so every SQL statement, lives in src/core, where both can use it
# (DESIGN.md). Fails listing each place in src/ui or src/cli that talks to
# SQLite itself.
root=${1:?usage: check-fronts-no-sql.sh SOURCE_ROOT}
hits=$(grep -rnE 'sqlite3_|<sqlite3\.h>' "$root/src/ui" "$root/src/cli" || true)
if [ -n "$hits" ]; then
  echo "src/ui and src/cli must not use SQLite directly; add a function to src/core:"
  echo "$hits"
  exit 1
fi
echo "src/ui, src/cli: no SQL"
