#!/bin/sh
# run_workloads.sh SIM [OPTIONS...] - runs every traces/*.wl through `SIM run --check`
# (invariants checked after each command) and compares the output with the scenario's
# expected lines (`#= ` lines, written by hand from the semantics in docs/workload.md).
# A scenario without expected lines must still run to the end with exit status 0.  Then the
# reference strings of traces/*.refs against their hand-computed fault counts.
set -u
if [ $# -lt 1 ]; then
    echo "usage: $0 SIM [OPTIONS...]" >&2
    exit 2
fi
SIM=$1
shift
OPTS="$*"
DIR=$(dirname "$0")/../../traces
TMP=$(mktemp -d "${TMPDIR:-/tmp}/run_workloads.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT INT TERM

fail=0
for wl in "$DIR"/*.wl; do
    name=$(basename "$wl" .wl)
    "$SIM" run --check --stats none "$@" "$wl" > "$TMP/out" 2> "$TMP/err"
    rc=$?
    sed -n 's/^#= \{0,1\}//p' "$wl" > "$TMP/expected"
    if [ $rc -ne 0 ]; then
        echo "FAIL $name: exit $rc: $(grep -m 1 . "$TMP/err")"
        fail=1
    elif [ -s "$TMP/expected" ] && ! cmp -s "$TMP/expected" "$TMP/out"; then
        echo "FAIL $name: output differs (< expected, > sim)"
        diff -a "$TMP/expected" "$TMP/out" | head -n 12 | sed 's/^/    /'
        fail=1
    else
        echo "PASS $name"
    fi
done

# Reference strings: fault counts computed by hand (traces/README.md).
refs() { # FILE FRAMES POLICY EXPECTED
    # CSV is a header of names and a row of values: the column named page_faults
    got=$("$SIM" run --refs --check --stats csv --set os.user_frames="$2" --set os.policy="$3" $OPTS "$DIR/$1" |
          awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "page_faults") c = i } NR == 2 && c { print $c }')
    if [ "$got" = "$4" ]; then
        echo "PASS $1 $3 with $2 frames: $4 faults"
    else
        echo "FAIL $1 $3 with $2 frames: $got faults, expected $4"
        fail=1
    fi
}
refs textbook.refs 3 fifo 15
refs textbook.refs 3 lru 12
refs textbook.refs 3 opt 9
refs belady.refs 3 fifo 9
refs belady.refs 4 fifo 10

# A key given with --set beats the workload's `set` line, however it is spaced
# (docs/config.md: blanks around the key and the value are trimmed).
for kv in 'os.user_frames=64' ' os.user_frames = 64 '; do
    if "$SIM" run --stats none $OPTS --set "$kv" "$DIR/oom.wl" | head -n 1 | grep -qx '1: load a 1: 01'; then
        echo "PASS --set '$kv' beats the set line"
    else
        echo "FAIL --set '$kv' does not beat traces/oom.wl's set os.user_frames"
        fail=1
    fi
done

# --stats json: page_faults is a top-level integer (the first of the OS's rows, after the
# provenance); with every frame free, each of the 5 distinct pages faults once.
if "$SIM" run --refs --stats json $OPTS "$DIR/belady.refs" | grep -q '^  "page_faults": 5,$'; then
    echo "PASS json page_faults"
else
    echo "FAIL json page_faults: not the top-level integer 5"
    fail=1
fi
exit $fail
