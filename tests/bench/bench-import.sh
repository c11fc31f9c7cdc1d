#!/usr/bin/env bash
# bench-import.sh CLI — the issue's import benchmark: a generated CSV of
# OUTBOUND_BENCH_ROWS rows (default 1,000,000) imported with full offline
# hygiene and dedup, against the sqlite3 shell's .import of the same file
# with no checks at all. Prints both times, the ratio (target ≤ 1.5) and
# Outbound's peak RSS (target ≤ 300 MB), and the floor of the store: the
# time SQLite alone takes to write the same contacts with their dedup
# index. A measurement, not a pass/fail test.
#
# Copyright 2026 The Outbound authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
cli=${1:?usage: bench-import.sh OUTBOUND_CLI}
rows=${OUTBOUND_BENCH_ROWS:-1000000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

/usr/bin/python3 - "$dir/list.csv" "$rows" <<'PY'
import random, sys
path, rows = sys.argv[1], int(sys.argv[2])
rnd = random.Random(7)
tlds = ["de", "com", "fr", "co.uk", "es", "it", "com.br", "in", "ae", "co.jp"]
countries = ["DE", "Germany", "", "FR", "France", "ES", "IT", "Brazil", "India"]
with open(path, "w") as out:
    out.write("Email,Name,Company,Country,Phone,Notes\n")
    for i in range(rows):
        company = i % 50000
        out.write(f"buyer{i}@company{company}.{rnd.choice(tlds)},Buyer {i},Company {company} Ltd,"
                  f"{rnd.choice(countries)},+49 30 {i},met at fair\n")
PY
echo "# $(wc -l < "$dir/list.csv") lines, $(du -m "$dir/list.csv" | cut -f1) MB"

# Each side starts with nothing left to write back from the step before.
sync
start=$(date +%s.%N)
sqlite3 "$dir/plain.db" -cmd ".mode csv" ".import $dir/list.csv t"
sqlite_s=$(printf "%.2f" "$(echo "$(date +%s.%N) - $start" | bc)")

sync
/usr/bin/time -f '%e %M' -o "$dir/time" "$cli" contacts import --db "$dir/outbound.db" "$dir/list.csv" --json > "$dir/report.json"
read -r outbound_s rss_kb < "$dir/time"

# The floor of the store alone: the rows Outbound just imported, all
# hygiene done, copied by the sqlite3 shell into a fresh database in WAL
# mode (as Outbound keeps it) with the one index deduplication needs, the
# unique email_key. No parsing, no checks, no other index, no search index.
sqlite3 "$dir/floor.db" > /dev/null <<SQL
PRAGMA journal_mode = WAL;
ATTACH '$dir/outbound.db' AS imported;
CREATE TABLE contacts AS SELECT * FROM imported.contacts WHERE 0;
CREATE UNIQUE INDEX contacts_email_key ON contacts (email_key);
SQL
sync
start=$(date +%s.%N)
sqlite3 "$dir/floor.db" "ATTACH '$dir/outbound.db' AS imported; BEGIN;
  INSERT INTO main.contacts SELECT * FROM imported.contacts ORDER BY id; COMMIT"
floor_s=$(printf "%.2f" "$(echo "$(date +%s.%N) - $start" | bc)")

# The same file imported again into what it made: every row an update of
# a contact already there, the usual case of a list kept up to date.
sync
/usr/bin/time -f '%e %M' -o "$dir/time-again" "$cli" contacts import --db "$dir/outbound.db" "$dir/list.csv" --json > /dev/null
read -r again_s again_rss_kb < "$dir/time-again"

ratio=$(echo "scale=2; $outbound_s / $sqlite_s" | bc)
floor_ratio=$(echo "scale=2; $floor_s / $sqlite_s" | bc)
echo "# sqlite3 .import: ${sqlite_s} s"
echo "# outbound-cli contacts import: ${outbound_s} s, peak RSS $((rss_kb / 1024)) MB"
echo "# ratio ${ratio} (target ≤ 1.5); RSS target ≤ 300 MB"
echo "# floor, the imported rows copied with the dedup index only: ${floor_s} s, ratio ${floor_ratio}"
echo "# the same file again, every row an update: ${again_s} s, peak RSS $((again_rss_kb / 1024)) MB"
echo "# database: outbound $(du -m "$dir/outbound.db" | cut -f1) MB, floor $(du -m "$dir/floor.db" | cut -f1) MB," \
     "sqlite3 .import $(du -m "$dir/plain.db" | cut -f1) MB"
head -c 300 "$dir/report.json"; echo
