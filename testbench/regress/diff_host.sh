#!/bin/sh
# diff_host.sh SIM [HOST_RUN] - the differential test of `mmusim run` against Linux.
#
# For every traces/diff/*.wl: runs HOST_RUN FILE (default build/host_run: the scenario
# on this host's kernel, testbench/tools/host_run.c) and SIM run --stats none FILE, compares
# the two outputs byte for byte, prints one verdict line per scenario (and the start of
# the difference), and exits 1 if any scenario differs or either side fails.
#
# diff_host.sh --expected [HOST_RUN] instead checks host_run against the expected
# output written in each scenario (its `#=` lines): run it on a new kernel to see
# whether Linux still behaves as the scenarios say.
set -u
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: $0 SIM|--expected [HOST_RUN]" >&2
    exit 2
fi
SIM=$1
HOST=${2:-build/host_run}
DIR=$(dirname "$0")/../../traces/diff
TMP=$(mktemp -d "${TMPDIR:-/tmp}/diff_host.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT INT TERM

fail=0 n=0
for wl in "$DIR"/*.wl; do
    name=$(basename "$wl" .wl)
    n=$((n + 1))
    "$HOST" "$wl" > "$TMP/host" 2> "$TMP/host.err"
    hs=$?
    if [ "$SIM" = --expected ]; then
        # the `#=` lines, without the marker and the one blank after it
        sed -n 's/^#= \{0,1\}//p' "$wl" > "$TMP/other"
        ss=0 other=expected
    else
        "$SIM" run --stats none "$wl" > "$TMP/other" 2> "$TMP/other.err"
        ss=$? other=sim
    fi
    if [ $hs -ne 0 ]; then
        echo "FAIL $name: host_run exit $hs: $(head -n 1 "$TMP/host.err")"
        fail=1
    elif [ $ss -ne 0 ]; then
        echo "FAIL $name: sim exit $ss: $(head -n 1 "$TMP/other.err")"
        fail=1
    elif cmp -s "$TMP/host" "$TMP/other"; then
        echo "PASS $name"
    else
        echo "FAIL $name: outputs differ (< linux, > $other)"
        diff -a "$TMP/host" "$TMP/other" | head -n 12 | sed 's/^/    /'
        fail=1
    fi
done
if [ $n -eq 0 ]; then echo "no scenarios in $DIR" >&2; exit 2; fi
[ $fail -eq 0 ] && echo "diff_host: all $n scenarios agree with Linux" || echo "diff_host: differences found"
exit $fail
