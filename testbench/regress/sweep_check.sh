#!/bin/sh
# sweep_check.sh MMUSIM TRACE : checks `mmusim sweep` and `mmusim merge`
# (docs/studies.md) on a small lackey trace (a few seconds of runs at most;
# its path without commas or quotes, so that the CSV needs no quoting).
#
#   1  a 2x2 sweep with -j 2 gives a CSV of 4 rows
#   2  the same with -j 1 gives the same bytes
#   3  the jobs file, run by GNU parallel (sh when it is absent), then
#      `mmusim merge DIR/*.json`, gives the same bytes
#   4  a row equals the JSON of the same run made by hand, key by key
#   5  Python's csv module reads it: rectangular, header names unique
#   6  bad usage and a malformed record exit 2 with a message; a failing
#      run exits 1 with its stderr, a rejected configuration is skipped
#
# Prints one line per failed check; exit 1 if any fails, 2 on bad usage.
set -u
if [ $# -ne 2 ]; then
    echo "usage: $0 MMUSIM TRACE" >&2
    exit 2
fi
mm=$1 trace=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sweep_check.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0
bad() { echo "sweep_check: $*"; fail=1; }
vary="--vary tlb.l1.entries=16,32 --vary tlb.l1.policy=lru,fifo"

# 1, 2: local sweeps
# shellcheck disable=SC2086
"$mm" sweep --trace "$trace" $vary -j 2 -o "$tmp/j2.csv" 2>"$tmp/err" || bad "1: sweep -j 2 failed: $(cat "$tmp/err")"
[ "$(wc -l < "$tmp/j2.csv")" -eq 5 ] || bad "1: expected a header and 4 rows in the CSV"
# shellcheck disable=SC2086
"$mm" sweep --trace "$trace" $vary -j 1 > "$tmp/j1.csv" 2>"$tmp/err" || bad "2: sweep -j 1 failed: $(cat "$tmp/err")"
cmp -s "$tmp/j1.csv" "$tmp/j2.csv" || bad "2: -j 1 and -j 2 give different CSVs"

# 3: jobs file, run elsewhere, merged
# shellcheck disable=SC2086
"$mm" sweep --trace "$trace" $vary --jobs-file "$tmp/jobs.txt" --out "$tmp/runs" 2>"$tmp/err" ||
    bad "3: sweep --jobs-file failed: $(cat "$tmp/err")"
[ "$(wc -l < "$tmp/jobs.txt")" -eq 4 ] || bad "3: expected 4 lines in the jobs file"
if command -v parallel > /dev/null 2>&1; then
    parallel < "$tmp/jobs.txt" || bad "3: parallel < jobs.txt failed"
else
    echo "sweep_check: GNU parallel is absent; running the jobs file with sh"
    sh "$tmp/jobs.txt" || bad "3: sh jobs.txt failed"
fi
"$mm" merge "$tmp"/runs/*.json > "$tmp/merged.csv" 2>"$tmp/err" || bad "3: merge failed: $(cat "$tmp/err")"
cmp -s "$tmp/merged.csv" "$tmp/j2.csv" || bad "3: the merged CSV differs from the local sweep's"

# 4: run 4 (entries=32, policy=fifo: the last varies fastest) against a run by hand
"$mm" trace --stats json --set tlb.l1.entries=32 --set tlb.l1.policy=fifo "$trace" > "$tmp/one.json" ||
    bad "4: the single run failed"
msg=$(awk -v csv="$tmp/j2.csv" '
    BEGIN {
        FS = ","
        getline hdr < csv; n = split(hdr, name)
        for (r = 0; r < 4; r++) getline row < csv
        split(row, val)
        for (i = 1; i <= n; i++) cell[name[i]] = val[i]
    }
    # one "key": value a line; the histogram on one line as {"B": C, ...}
    /^ *"/ {
        line = $0; sub(/^ *"/, "", line); k = line; sub(/".*/, "", k)
        v = line; sub(/^[^"]*": */, "", v); sub(/,$/, "", v)
        if (v ~ /^\{/) {
            stem = k; sub(/histogram$/, "hist.", stem)
            gsub(/[{}" ]/, "", v); m = split(v, kv, ",")
            for (i = 1; i <= m; i++) {
                split(kv[i], bc, ":"); seen[stem bc[1]] = 1
                if (cell[stem bc[1]] != bc[2]) printf "%s%s: CSV %s, JSON %s\n", stem, bc[1], cell[stem bc[1]], bc[2]
            }
            hstem = stem
            next
        }
        if (v ~ /^"/) { sub(/^"/, "", v); sub(/"$/, "", v) }
        seen[k] = 1
        if (!(k in cell)) printf "%s: not a CSV column\n", k
        else if (cell[k] != v) printf "%s: CSV %s, JSON %s\n", k, cell[k], v
    }
    END {
        for (i = 2; i <= n; i++)
            if (!(name[i] in seen) && !(hstem != "" && index(name[i], hstem) == 1 && val[i] == "0"))
                printf "%s: in the CSV (%s), not in the JSON\n", name[i], val[i]
    }' "$tmp/one.json")
[ -z "$msg" ] || bad "4: CSV row 4 and the single run differ:
$msg"

# 5: a csv reader takes it as it is
/usr/bin/python3 - "$tmp/j2.csv" <<'EOF' || bad "5: python's csv module rejects the CSV"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
head = rows[0]
assert head[0] == "run" and len(set(head)) == len(head), "header"
assert len(rows) == 5 and all(len(r) == len(head) for r in rows), "not rectangular"
assert [r[0] for r in rows[1:]] == ["1", "2", "3", "4"], "run numbers"
EOF

# 6: usage errors (status 2 and a message), failures, skips
usage_case() {
    want=$1
    shift
    "$mm" "$@" > "$tmp/out" 2> "$tmp/err"
    st=$?
    [ "$st" -eq "$want" ] || bad "6: mmusim $*: exit $st, expected $want"
    [ -s "$tmp/err" ] || bad "6: mmusim $*: no message"
}
usage_case 2 sweep --trace "$trace" --vary tlb.l1.entires=1,2
usage_case 2 sweep --trace "$trace" --vary tlb.l1.entries
usage_case 2 sweep --trace "$trace" --vary tlb.l1.entries=16,,32
usage_case 2 sweep --trace "$trace" --vary tlb.l1.entries=sixteen
usage_case 2 sweep --trace "$tmp/absent.lackey" --vary tlb.l1.entries=16
usage_case 2 sweep --trace "$trace" --jobs-file "$tmp/j.txt"
usage_case 2 merge
printf '{\n  "a": 1,\n  "b": \n}\n' > "$tmp/bad.json"
usage_case 2 merge "$tmp/runs/run-0001.json" "$tmp/bad.json"
grep -q "^$tmp/bad.json:4: " "$tmp/err" || bad "6: malformed JSON: expected $tmp/bad.json:4: ..., got: $(cat "$tmp/err")"
[ -s "$tmp/out" ] && bad "6: merge printed a CSV despite a malformed record"
printf 'I  0400d7d4,8\nnot a reference\n' > "$tmp/broken.lackey"
usage_case 1 sweep --trace "$trace" --trace "$tmp/broken.lackey" --vary tlb.l1.entries=16
grep -q "broken.lackey:2: " "$tmp/err" || bad "6: a failing run's stderr was not passed through"
[ "$(wc -l < "$tmp/out")" -eq 2 ] || bad "6: the runs that worked are not in the CSV"
"$mm" sweep --trace "$trace" --vary tlb.l1.entries=16,24 --vary tlb.l1.ways=4 > "$tmp/out" 2> "$tmp/err" ||
    bad "6: a sweep with a rejected configuration failed"
grep -q "skipped.*tlb.l1.entries=24" "$tmp/err" || bad "6: the rejected configuration was not named"
[ "$(wc -l < "$tmp/out")" -eq 2 ] || bad "6: the rejected configuration was not left out"

[ "$fail" = 0 ] && echo "sweep checks: -j 2, -j 1, jobs file + merge, rows against single runs, csv module, bad usage"
exit $fail
