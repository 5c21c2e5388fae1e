#!/bin/sh
# run_vectors.sh MMUSIM CONFIG FILE... : runs the directed vectors on the
# functional path and on the cycle-level ports under one configuration.
# Prints "vectors: N passed, M failed" and exits 1 if any file failed.
set -u
mmusim=$1 cfg=$2
shift 2
pass=0 fail=0
for f in "$@"; do
    for mode in "" --cycle; do
        if "$mmusim" vectors --config "$cfg" $mode "$f" >/dev/null 2>"${TMPDIR:-/tmp}/mmusim-vec.$$"; then
            pass=$((pass + 1))
        else
            fail=$((fail + 1))
            echo "FAIL: $mmusim vectors --config $cfg $mode $f" >&2
            cat "${TMPDIR:-/tmp}/mmusim-vec.$$" >&2
        fi
    done
done
rm -f "${TMPDIR:-/tmp}/mmusim-vec.$$"
echo "vectors ($cfg): $pass passed, $fail failed"
[ "$fail" -eq 0 ]
