#!/bin/sh
# dinero_equiv.sh [--self-check] MMUSIM|- TLBCOUNT : the L1 TLB miss count of mmusim against
# two independent counts, on a real trace.
#
# The trace is the first 2,000,000 references of traces/sort.lackey.gz as Dinero din text,
# converted here by awk rather than by mmusim so that the reader under test does not make
# its own input.  For each geometry below, with LRU and with FIFO, three counts must agree
# exactly:
#   mmusim    `MMUSIM trace --format din`, an L1 TLB alone (no L2, no walk cache) and A/D
#             bits set by the OS at the fault, so each reference makes one L1 lookup;
#             "tlb.l1.misses" of --stats json
#   tlbcount  testbench/ref/tlbcount.c: LRU by stack distance, FIFO by a queue per set
#   dinero    Dinero IV as a unified cache of 4 KiB blocks (entries x 4k bytes), its
#             "Demand Misses" total; skipped with a message when dineroIV is not on PATH
# MMUSIM `-` leaves mmusim out (the two references alone).  One line per geometry; exit 1
# if any count differs, naming which, 2 on bad usage.
#
# --self-check shows that the comparison can fail: tlbcount is given twice the ways (twice
# the entries when fully associative), and the run passes only if every geometry is then
# reported as differing.
set -u
selfcheck=0
if [ "${1:-}" = --self-check ]; then
    selfcheck=1
    shift
fi
if [ $# -ne 2 ]; then
    echo "usage: $0 [--self-check] MMUSIM|- TLBCOUNT" >&2
    exit 2
fi
mmusim=$1 tlbcount=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/dinero_equiv.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

dinero=1
if ! command -v dineroIV >/dev/null 2>&1; then
    dinero=0
    echo "dinero: skipped (dineroIV not on PATH)"
fi
if [ "$mmusim" = - ] && [ $dinero -eq 0 ]; then
    echo "$0: nothing to compare tlbcount with (no MMUSIM and no dineroIV)" >&2
    exit 2
fi

# An M (modify) is a load then a store, as mmusim's lackey reader counts it (docs/traces.md).
nrefs=2000000
din=$tmp/sort2m.din
zcat "$root/traces/sort.lackey.gz" | awk -f "$root/testbench/tools/lackey2din.awk" | head -n $nrefs > "$din"
if [ "$(wc -l < "$din")" -ne $nrefs ]; then
    echo "$0: could not make $nrefs references from traces/sort.lackey.gz" >&2
    exit 2
fi

fail=0 ndiff=0 n=0
# ENTRIES WAYS (0: fully associative)
for geom in "16 0" "64 0" "64 4" "32 2" "16 1" "128 8"; do
    set -- $geom
    e=$1 w=$2
    if [ "$w" -eq 0 ]; then
        name="${e} fully-assoc" assoc=$e
    else
        name="${e} ${w}-way" assoc=$w
    fi
    te=$e tw=$w
    if [ $selfcheck -eq 1 ]; then
        if [ "$w" -eq 0 ]; then te=$((e * 2)); else tw=$((w * 2)); fi
    fi
    for policy in lru fifo; do
        n=$((n + 1))
        repl=l
        [ $policy = lru ] || repl=f
        t=$("$tlbcount" "$te" "$tw" $policy < "$din" | awk '$1 == "refs" { print $2 " " $4 }')
        set -- $t
        if [ "${1:-}" != $nrefs ]; then
            echo "FAIL $name $policy: tlbcount read ${1:-no} references, not $nrefs"
            fail=1
            continue
        fi
        t=$2
        m=skipped
        if [ "$mmusim" != - ]; then
            "$mmusim" trace --format din --stats json --set tlb.l1.entries="$e" \
                --set tlb.l1.ways="$w" --set tlb.l1.policy=$policy --set tlb.l2.entries=0 \
                --set pwc.entries=0 --set os.ad_on_fault=1 "$din" > "$tmp/json" 2> "$tmp/err"
            m=$(sed -n 's/.*"tlb\.l1\.misses": *\([0-9][0-9]*\).*/\1/p' "$tmp/json")
            [ -n "$m" ] || m="none($(grep -m 1 . "$tmp/err"))"
        fi
        d=skipped
        if [ $dinero -eq 1 ]; then
            d=$(dineroIV -l1-usize $((e * 4))k -l1-ubsize 4k -l1-uassoc "$assoc" \
                -l1-urepl $repl -informat d < "$din" 2>&1 |
                awk '$1 == "Demand" && $2 == "Misses" { print $3; exit }')
            [ -n "$d" ] || d=none
        fi
        diffs=
        [ "$m" = skipped ] || [ "$m" = "$t" ] || diffs="$diffs mmusim/tlbcount"
        [ "$d" = skipped ] || [ "$d" = "$t" ] || diffs="$diffs dinero/tlbcount"
        [ "$m" = skipped ] || [ "$d" = skipped ] || [ "$m" = "$d" ] || diffs="$diffs mmusim/dinero"
        # the self-check expects every line to differ: only its summary is worth reading
        [ $selfcheck -eq 1 ] ||
            printf '%-15s %-4s  mmusim %-9s tlbcount %-9s dinero %-9s %s\n' \
                "$name" $policy "$m" "$t" "$d" "${diffs:+DIFFER:}${diffs:-ok}"
        [ -z "$diffs" ] || ndiff=$((ndiff + 1))
    done
done
if [ $selfcheck -eq 1 ]; then
    echo "self-check: $ndiff of $n perturbed tlbcount counts reported as differing"
    [ $fail -eq 0 ] && [ $ndiff -eq $n ]
    exit
fi
[ $fail -eq 0 ] && [ $ndiff -eq 0 ]
