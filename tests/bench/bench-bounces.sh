#!/bin/sh
# bench-bounces.sh — classifies the whole shared bounce corpus with
# outbound-cli and with Debian's Sisimai (libsisimai-perl) on the same
# files, in one run, and prints both times and the ratio.
#
# Copyright 2026 The Outbound authors
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu

cli=${1:?usage: bench-bounces.sh OUTBOUND_CLI CORPUS_DIR [MIN_RATIO]}
corpus=${2:?usage: bench-bounces.sh OUTBOUND_CLI CORPUS_DIR [MIN_RATIO]}
min_ratio=${3:-10}

if ! perl -MSisimai -e 1 2>/dev/null; then
  echo "1..0 # SKIP libsisimai-perl is not installed"
  exit 77
fi

files=$(find "$corpus" -maxdepth 1 -name '*.eml' | sort)
count=$(echo "$files" | wc -l)

now() { date +%s.%N; }

# Warm the page cache so neither side pays for the first read.
cat $files > /dev/null

# Three rounds, alternating, and the best time of each side: the machine
# is shared, and one slow moment should not decide the ratio.
best_ours=
best_theirs=
for round in 1 2 3; do
  t0=$(now)
  ours=$("$cli" bounce classify --json $files | wc -l)
  t1=$(now)
  theirs=$(perl -MSisimai -e '
    my $n = 0;
    for my $f (@ARGV) {
      my $v = Sisimai->make($f, delivered => 1, vacation => 1);
      $n += scalar @{ $v // [] };
    }
    print "$n\n";' $files)
  t2=$(now)
  o=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')
  s=$(awk -v b="$t1" -v c="$t2" 'BEGIN { printf "%.6f", c - b }')
  echo "round $round: outbound-cli $o s, Sisimai $s s"
  best_ours=$(awk -v x="$o" -v y="${best_ours:-$o}" 'BEGIN { print (x < y) ? x : y }')
  best_theirs=$(awk -v x="$s" -v y="${best_theirs:-$s}" 'BEGIN { print (x < y) ? x : y }')
done

awk -v ob="$best_ours" -v si="$best_theirs" -v n="$count" -v o="$ours" -v s="$theirs" -v min="$min_ratio" 'BEGIN {
  if (ob <= 0) ob = 0.000001;
  ratio = si / ob;
  printf "bounce corpus: %d files\n", n;
  printf "outbound-cli bounce classify: %.3f s (best of 3; %d results)\n", ob, o;
  printf "Sisimai %s:                %.3f s (best of 3; %d results)\n", "make()", si, s;
  printf "ratio: outbound-cli is %.1fx faster (target >= %sx)\n", ratio, min;
  exit (ratio >= min) ? 0 : 1;
}'
