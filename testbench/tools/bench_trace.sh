#!/bin/sh
# bench_trace.sh MMUSIM [DIR] : trace-reading speed of mmusim, beside Dinero IV's, for
# `make bench`.
#
# The trace is the whole of traces/sort.lackey.gz (17.25 M references) as Dinero din text,
# and as mmt binary made from it by `MMUSIM convert` (skipped with a message when that
# fails).  The machine is a TLB as Dinero sees one: a 64-entry 4-way LRU L1 alone, no L2,
# no walk cache, A/D set at the fault; Dinero IV runs the same din file as a 256 KiB 4-way
# LRU cache of 4 KiB blocks (skipped with a message when dineroIV is not on PATH).
#
# Figures are CPU seconds (user + system of the finished process, from the shell's own
# `times`, 10 ms resolution), best of 3 rounds; the rounds alternate the commands, so a
# machine that slows down during the run slows all of them alike.  The files are made in
# a temporary folder, or kept in DIR (made again only when the lackey trace is newer).
# Exit 1 if an mmusim run fails, 2 on bad usage.
set -u
if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    echo "usage: $0 MMUSIM [DIR]" >&2
    exit 2
fi
mmusim=$1
root=$(cd "$(dirname "$0")/../.." && pwd)
lackey=$root/traces/sort.lackey.gz
if [ $# -eq 2 ]; then
    dir=$2
    mkdir -p "$dir" || exit 2
    trap 'rm -f "$dir/bench.out" "$dir/bench.t0" "$dir/bench.t1" "$dir/sort.din.part"' EXIT INT TERM
else
    dir=$(mktemp -d "${TMPDIR:-/tmp}/bench_trace.XXXXXX") || exit 2
    trap 'rm -rf "$dir"' EXIT INT TERM
fi
din=$dir/sort.din mmt=$dir/sort.mmt

# An M (modify) is a load then a store (docs/traces.md); the size field is dropped.
# newer A B : A exists and was modified after B (POSIX test has no -nt).
newer() {
    [ -e "$1" ] && [ -n "$(find "$1" -prune -newer "$2")" ]
}

if [ ! -s "$din" ] || ! newer "$din" "$lackey"; then
    echo "making $din from traces/sort.lackey.gz"
    zcat "$lackey" | awk -f "$(dirname "$0")/lackey2din.awk" > "$din.part" && mv "$din.part" "$din" ||
        exit 2
fi
nrefs=$(wc -l < "$din")
if [ ! -s "$mmt" ] || ! newer "$mmt" "$din"; then
    if ! "$mmusim" convert "$din" "$mmt" > "$dir/bench.out" 2>&1; then
        echo "mmt binary: skipped (MMUSIM convert failed: $(grep -m 1 . "$dir/bench.out"))"
        rm -f "$mmt"
    fi
fi

# cpu_run IN CMD... : runs CMD with stdin from IN and its output in bench.out; sets `rc`
# to its status and `secs` to its user + system seconds.  A function, not a subshell:
# `times` counts only the children this shell has waited for.
cpu_run() {
    in=$1
    shift
    times > "$dir/bench.t0"
    "$@" < "$in" > "$dir/bench.out" 2>&1
    rc=$?
    times > "$dir/bench.t1"
    # the second line of `times` is the children's "user system", each as NmS.SSs
    secs=$(cat "$dir/bench.t0" "$dir/bench.t1" | awk '
        function sec(x) { sub(/s$/, "", x); split(x, p, "m"); return p[1] * 60 + p[2] }
        NR == 2 { t0 = sec($1) + sec($2) }
        NR == 4 { print sec($1) + sec($2) - t0 }')
}

# min A B : the smaller of two decimal numbers, A empty meaning none yet.
min() {
    awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }'
}

tlb="--set tlb.l1.entries=64 --set tlb.l1.ways=4 --set tlb.l1.policy=lru --set tlb.l2.entries=0"
tlb="$tlb --set pwc.entries=0 --set os.ad_on_fault=1"
dinero_cmd="dineroIV -l1-usize 256k -l1-ubsize 4k -l1-uassoc 4 -l1-urepl l -informat d"
run_din=1 run_mmt=1 run_dinero=1
[ -s "$mmt" ] || run_mmt=0
if ! command -v dineroIV >/dev/null 2>&1; then
    run_dinero=0
    echo "Dinero IV: skipped (dineroIV not on PATH)"
fi
t_din='' t_mmt='' t_dinero='' fail=0
for _ in 1 2 3; do
    if [ $run_din -eq 1 ]; then
        # $tlb and $dinero_cmd are split into words on purpose: they are lists of words
        cpu_run /dev/null "$mmusim" trace --format din --stats none $tlb "$din"
        if [ $rc -ne 0 ]; then
            echo "din text: mmusim failed (exit $rc): $(grep -m 1 . "$dir/bench.out")"
            run_din=0 fail=1
        else
            t_din=$(min "$t_din" "$secs")
        fi
    fi
    if [ $run_mmt -eq 1 ]; then
        cpu_run /dev/null "$mmusim" trace --format mmt --stats none $tlb "$mmt"
        if [ $rc -ne 0 ]; then
            echo "mmt binary: mmusim failed (exit $rc): $(grep -m 1 . "$dir/bench.out")"
            run_mmt=0 fail=1
        else
            t_mmt=$(min "$t_mmt" "$secs")
        fi
    fi
    if [ $run_dinero -eq 1 ]; then
        cpu_run "$din" $dinero_cmd
        if [ $rc -ne 0 ]; then
            echo "Dinero IV: failed (exit $rc): $(grep -m 1 . "$dir/bench.out")"
            run_dinero=0
        else
            t_dinero=$(min "$t_dinero" "$secs")
        fi
    fi
done

# report LABEL SECS : one line of figures, with the speed ratio to Dinero IV when it ran.
report() {
    awk -v label="$1" -v s="$2" -v d="$t_dinero" -v n="$nrefs" 'BEGIN {
        if (s + 0 < 0.01) s = 0.01   # below the resolution of `times`
        printf "%-11s %d refs in %.2f s CPU = %.1f M refs/s", label, n, s, n / s / 1e6
        if (d != "" && label != "Dinero IV:")
            printf " (%.1fx Dinero IV)", d / s
        printf "\n"
    }'
}
echo "CPU time, best of 3 ($nrefs references of sort.lackey.gz; 64-entry 4-way LRU L1 TLB):"
[ -z "$t_din" ] || report "din text:" "$t_din"
[ -z "$t_mmt" ] || report "mmt binary:" "$t_mmt"
[ -z "$t_dinero" ] || report "Dinero IV:" "$t_dinero"
echo "commands (in $dir):"
echo "  $mmusim trace --format din --stats none $tlb sort.din"
[ $run_mmt -eq 0 ] || echo "  $mmusim trace --format mmt --stats none $tlb sort.mmt"
echo "  $dinero_cmd < sort.din"
exit $fail
