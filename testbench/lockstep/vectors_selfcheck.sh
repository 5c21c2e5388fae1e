#!/bin/sh
# vectors_selfcheck.sh LOCKSTEP : the lockstep's vector runner must fail on a
# wrong expectation, wherever it stands.  Two copies of
# testbench/vectors/ad_svadu.vec, each with one expectation changed by hand:
# an Sv39 `peek` of an A/D write-back, and an Sv48 `t` (which an Sv39 RTL
# build runs on the model alone).  Each must exit 1 naming its FILE:LINE.
set -u
if [ $# -ne 1 ]; then
    echo "usage: $0 LOCKSTEP" >&2
    exit 2
fi
LS=$1
SRC=$(dirname "$0")/../vectors/ad_svadu.vec
TMP=$(mktemp -d "${TMPDIR:-/tmp}/vectors_selfcheck.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT INT TERM

fail=0
# mutate NAME OLD NEW : a copy of SRC with line OLD replaced; LINE of it
mutate() {
    line=$(grep -n -F -x -- "$2" "$SRC" | cut -d: -f1)
    if [ -z "$line" ]; then
        echo "FAIL vectors self-check $1: line '$2' not in $SRC"
        fail=1
        return 1
    fi
    sed "${line}s/.*/$3/" "$SRC" > "$TMP/$1.vec"
}
expect_caught() {
    "$LS" vectors "$TMP/$1.vec" > /dev/null 2> "$TMP/err"
    rc=$?
    if [ $rc -ne 1 ] || ! grep -q "^$TMP/$1.vec:$line: " "$TMP/err"; then
        echo "FAIL vectors self-check $1: exit $rc, expected 1 and $1.vec:$line: on stderr"
        fail=1
    fi
}
mutate sv39_peek 'peek 0x80001010 => 0x2000004f' 'peek 0x80001010 => 0x2000000f' && expect_caught sv39_peek
mutate sv48_t 't 0x8040201100 r => ok 0x80101100' 't 0x8040201100 r => ok 0x80101200' && expect_caught sv48_t
[ $fail -eq 0 ] && echo "vectors self-check: a wrong Sv39 peek and a wrong Sv48 translation both fail"
exit $fail
