#!/bin/sh
# fuzz_traces.sh MMUSIM MUTATE [CASES] : the trace readers on damaged input, as an adversary
# would feed them.  Small valid traces of every format (lackey, din, ChampSim, CloudSuite,
# mmt) are damaged by MUTATE (testbench/tools/mutate.c: flipped bits, random bytes and
# words, bytes cut out or put in, the file cut short, long runs of one byte), then read by
# `mmusim trace` (format forced and guessed) and `mmusim convert`.  Every run must end
# within 30 s with exit 0, or exit 2 with a message naming the file; a sanitizer report
# (run it on build/mmusim-san) or any other exit fails the case.
#
# CASES defaults to 300 (make test-san, about 15 s); `make fuzz-traces` runs 5000.  The
# seed is printed; MMUSIM_SEED=N reruns the same cases.  Exit 1 when a case fails (each is printed with the
# command that reproduces it), 2 on bad usage.
set -u
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    echo "usage: $0 MMUSIM MUTATE [CASES]" >&2
    exit 2
fi
sim=$1 mutate=$2 cases=${3:-300}
seed=${MMUSIM_SEED:-20261128}
echo "fuzz_traces: $cases cases, MMUSIM_SEED=$seed"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
here=$(dirname "$0")

# ---- the valid seeds
gzip -dc "$here/../../traces/sort.lackey.gz" | head -n 3000 >"$dir/seed.lackey"
awk -f "$here/../tools/lackey2din.awk" "$dir/seed.lackey" >"$dir/seed.din"
printf '5 401000\n3 402000 # a comment\n4 0\n' >>"$dir/seed.din"
"$sim" convert "$dir/seed.din" "$dir/seed.mmt" || exit 2
# ChampSim: 3 records of 64 bytes (ip, then a load and a store); CloudSuite: 3 of 96 bytes.
z8='\000\000\000\000\000\000\000\000'
champ() { # IP_BYTE: ip 0x40XX00, source[0] 0x50XX00, destination[0] 0x60XX00
    printf "\\000\\$1\\100\\000\\000\\000\\000\\000$z8\\000\\$1\\140\\000\\000\\000\\000\\000$z8\\000\\$1\\120\\000\\000\\000\\000\\000$z8$z8$z8"
}
{ champ 020; champ 021; champ 022; } >"$dir/seed.champsim"
cloud() { # the same, in the 96-byte layout, ASIDs 1 and 2
    printf "\\000\\$1\\100\\000\\000\\000\\000\\000$z8$z8\\000\\$1\\140\\000\\000\\000\\000\\000$z8$z8$z8"
    printf "\\000\\$1\\120\\000\\000\\000\\000\\000$z8$z8$z8\\001\\002\\000\\000\\000\\000\\000\\000"
}
{ cloud 020; cloud 021; cloud 022; } >"$dir/seed.cloudsuite"
for f in lackey din mmt champsim cloudsuite; do
    "$sim" trace --format $f --stats none "$dir/seed.$f" || { echo "fuzz_traces: seed.$f does not run" >&2; exit 2; }
done

fail=0
# check NAME FILE CMD... : CMD ends in time with 0, or with 2 and a message naming FILE.
check() {
    name=$1 file=$2
    shift 2
    timeout 30 "$@" >/dev/null 2>"$dir/err"
    rc=$?
    if grep -q -e 'Sanitizer' -e 'runtime error' "$dir/err" || { [ $rc -ne 0 ] && [ $rc -ne 2 ]; } ||
        { [ $rc -eq 2 ] && ! grep -q -F "$file" "$dir/err"; }; then
        fail=1
        echo "FAIL: $name: exit $rc; reproduce: MMUSIM_SEED=$seed $0 ... and $mutate $case_seed $src $file; $*"
        head -5 "$dir/err" | sed 's/^/    /'
    fi
}

i=0
while [ $i -lt "$cases" ]; do
    for f in lackey din mmt champsim cloudsuite; do
        [ $i -lt "$cases" ] || break
        case_seed=$((seed + i))
        src=$dir/seed.$f
        t=$dir/case.$f
        "$mutate" $case_seed "$src" "$t" || exit 2
        check "case $i ($f, forced)" "$t" "$sim" trace --format $f --stats none "$t"
        check "case $i ($f, guessed)" "$t" "$sim" trace --stats none "$t"
        check "case $i ($f, convert)" "$t" "$sim" convert --format $f "$t" "$dir/out.mmt"
        i=$((i + 1))
    done
done
[ $fail -eq 0 ] && echo "fuzz_traces: $cases damaged traces, 3 runs each: exit 0 or 2 with the file named, no sanitizer report"
exit $fail
