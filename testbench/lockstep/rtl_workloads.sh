#!/bin/sh
# rtl_workloads.sh LOCKSTEP MMUSIM CONFIG - the workloads through the fault
# handler of csrc/ on the RTL/model lockstep pair (LOCKSTEP, built for
# CONFIG; or the SystemC testbench's sc_tb, testbench/systemc/rtl_sc.mk,
# which takes the same `run` options and compares per transaction): every
# fault the RTL reports is handled by the C handler and the access
# replayed, with zero mismatches allowed.
#  1. testbench/regress/run_workloads.sh with LOCKSTEP as the simulator: the
#     hand-written expected lines of traces/*.wl and the hand-counted fault
#     counts of the reference strings (opt, lru, fifo) must hold on the pair.
#  2. Every traces/*.wl and traces/diff/*.wl: the pair's output, statistics
#     included, must be byte-identical to `MMUSIM run --cycle` on the model
#     alone.  On the pair the OS acts on the RTL's responses (PA, fault) and
#     the RTL's walker writes its own DRAM image, compared with the model's
#     at the end; so this shows that the whole system with the RTL as its
#     MMU prints what the model alone prints.  The per-cycle comparison,
#     which stops the run at the first differing response, is the primary
#     check; this one is an end-to-end witness that would catch a harness
#     comparing the wrong signals.  (The statistics are the model side's
#     counters: the RTL has none.)
#  3. A workload whose `set` line changes the MMU is refused (exit 2).
set -u
if [ $# -ne 3 ]; then
    echo "usage: $0 LOCKSTEP MMUSIM CONFIG" >&2
    exit 2
fi
LS=$1 SIM=$2 CFG=$3
DIR=$(dirname "$0")/../../traces
TMP=$(mktemp -d "${TMPDIR:-/tmp}/rtl_workloads.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT INT TERM

fail=0
sh "$(dirname "$0")/../regress/run_workloads.sh" "$LS" 2> "$TMP/err" > "$TMP/out"
rc=$?
pass=$(grep -c '^PASS' "$TMP/out")
if [ $rc -ne 0 ]; then
    grep -v '^PASS' "$TMP/out"
    tail -n 30 "$TMP/err"
    fail=1
fi
same=0
for wl in "$DIR"/*.wl "$DIR"/diff/*.wl; do
    "$LS" run --stats json "$wl" > "$TMP/pair" 2> "$TMP/err"
    rc=$?
    "$SIM" run --cycle --config "$CFG" --stats json "$wl" > "$TMP/model" 2> /dev/null
    if [ $rc -ne 0 ]; then
        echo "FAIL $wl on the pair: exit $rc"
        tail -n 30 "$TMP/err"
        fail=1
    elif ! cmp -s "$TMP/pair" "$TMP/model"; then
        echo "FAIL $wl: the pair's output differs from mmusim run --cycle (< pair, > model alone)"
        diff "$TMP/pair" "$TMP/model" | head -n 12 | sed 's/^/    /'
        fail=1
    else
        same=$((same + 1))
    fi
done
# The RTL is built for CONFIG: a workload that changes the MMU is bad input.
printf 'spawn 1\nset tlb.l1.entries 8\n' > "$TMP/mmu.wl"
"$LS" run "$TMP/mmu.wl" > /dev/null 2> "$TMP/err"
rc=$?
if [ $rc -ne 2 ] || ! grep -q "^$TMP/mmu.wl:2: tlb.l1.entries: the RTL is built for" "$TMP/err"; then
    echo "FAIL a workload setting tlb.l1.entries: exit $rc, expected 2 with FILE:2: on stderr"
    fail=1
fi
echo "rtl workloads $(basename "$CFG" .cfg): $pass expectations met, $same workloads on the RTL identical to the model alone$( [ $fail -eq 0 ] && echo ', 0 mismatches')"
exit $fail
