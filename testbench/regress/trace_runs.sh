#!/bin/sh
# trace_runs.sh MMUSIM : `mmusim trace` on a real trace (the start of traces/sort.lackey.gz)
# in every format, and the run options, each checked against a relation that does not
# depend on the simulator's numbers (docs/traces.md):
#
#   formats   the same references as lackey, din, ChampSim, mmt, each plain and compressed
#             (gzip, xz, zstd) and on standard input, give the same statistics, byte for
#             byte but for the "trace" row.  The din and ChampSim files are made here by awk,
#             not by convert.
#   --skip N --max-refs M   equals the run of lines N+1..N+M of the din file alone
#   --warmup W --max-refs M counts misses(W+M) - misses(W), each from a run of its own
#   --interval K            the intervals' references and misses add up to the whole run's
#   several traces          processes of their own (pid1, pid2); --quantum changes the
#             switching, not the pages each process touches
# Prints one line per failed check; exit 1 if any fails, 2 on bad usage.
set -u
if [ $# -ne 1 ]; then
    echo "usage: $0 MMUSIM" >&2
    exit 2
fi
sim=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
bad() {
    echo "FAIL: $*"
    fail=1
}

# json_get FILE KEY : the value of "KEY" in a flat JSON record.
json_get() {
    sed -n "s/^  \"$2\": \\(.*\\),\$/\\1/p" "$1" | head -1
}

# run NAME ARGS... : `mmusim trace --stats json ARGS` into $dir/NAME.json, the trace row dropped.
run() {
    name=$1
    shift
    if ! "$sim" trace --stats json "$@" >"$dir/$name.full" 2>"$dir/$name.err"; then
        bad "$name: exit status $?: $(head -3 "$dir/$name.err")"
        : >"$dir/$name.json"
        return
    fi
    grep -v '^  "trace": ' "$dir/$name.full" >"$dir/$name.json"
}

same() { # NAME1 NAME2
    cmp -s "$dir/$1.json" "$dir/$2.json" || bad "$1 and $2 differ: $(diff "$dir/$1.json" "$dir/$2.json" | head -4 | tr '\n' ' ')"
}

here=$(dirname "$0")
gzip -dc "$here/../../traces/sort.lackey.gz" | head -n 300000 >"$dir/t.lackey"
# din by awk (testbench/tools/lackey2din.awk), not by mmusim convert
awk -f "$here/../tools/lackey2din.awk" "$dir/t.lackey" >"$dir/t.din"

# ---- lackey in every container, and as mmt
"$sim" convert "$dir/t.lackey" "$dir/l.mmt" || bad "convert t.lackey l.mmt"
gzip -c "$dir/t.lackey" >"$dir/t.lackey.gz"
xz -c "$dir/t.lackey" >"$dir/t.lackey.xz"
zstd -q -c "$dir/l.mmt" >"$dir/l.mmt.zst"
run lackey "$dir/t.lackey"
for f in t.lackey.gz t.lackey.xz l.mmt l.mmt.zst; do
    run "$f" "$dir/$f"
    same lackey "$f"
done
run lackey-stdin - <"$dir/t.lackey.gz"
same lackey lackey-stdin

# ---- din, and what convert makes of it
"$sim" convert "$dir/t.din" "$dir/d.mmt" || bad "convert t.din d.mmt"
"$sim" convert "$dir/t.din" "$dir/d.lackey" || bad "convert t.din d.lackey"
"$sim" convert --to din "$dir/d.mmt" "$dir/d.mmt.din" || bad "convert d.mmt d.mmt.din"
gzip -c "$dir/t.din" >"$dir/t.din.gz"
run din "$dir/t.din"
for f in d.mmt d.lackey d.mmt.din t.din.gz; do
    run "$f" "$dir/$f"
    same din "$f"
done
run din-stdin --format din - <"$dir/t.din"
same din din-stdin
refs=$(json_get "$dir/din.json" references)
[ "$refs" = "$(wc -l <"$dir/t.din" | tr -d ' ')" ] || bad "din: $refs references, $(wc -l <"$dir/t.din") lines"

# ---- ChampSim: awk writes 64-byte input_instr records as ChampSim's inc/trace_instruction.h
# lays them out (ip; is_branch, branch_taken; 2 + 4 register bytes; 2 destination and 4 source
# addresses, little-endian) and the same references as din (fetch, the loads, the stores);
# both, and the ChampSim trace converted to mmt, give the same statistics.
LC_ALL=C awk -v bin="$dir/c.champsim" -v din="$dir/c.din" '
    function hex(s,   i, v) { v = 0; for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1; return v }
    function le64(v,   i) { for (i = 0; i < 8; i++) { printf "%c", v % 256 > bin; v = int(v / 256) } }
    function flush(   i) {
        if (ip == "") return
        le64(hex(ip)); for (i = 0; i < 8; i++) printf "%c", 0 > bin
        print "2 " ip > din
        for (i = 0; i < 2; i++) le64(i < nd ? hex(dst[i]) : 0)
        for (i = 0; i < 4; i++) le64(i < ns ? hex(src[i]) : 0)
        for (i = 0; i < ns; i++) print "0 " src[i] > din
        for (i = 0; i < nd; i++) print "1 " dst[i] > din
        ip = ""; ns = nd = 0
    }
    /^==/ { next }
    { split($2, a, ",") }
    $1 == "I" { flush(); ip = a[1]; next }
    ip == "" { next }
    ($1 == "L" || $1 == "M") && ns < 4 { src[ns++] = a[1] }
    ($1 == "S" || $1 == "M") && nd < 2 { dst[nd++] = a[1] }
    END { flush() }' "$dir/t.lackey"
"$sim" convert "$dir/c.champsim" "$dir/c.mmt" || bad "convert c.champsim c.mmt"
run champsim "$dir/c.champsim"
for f in c.din c.mmt; do
    run "$f" "$dir/$f"
    same champsim "$f"
done
xz -c "$dir/c.champsim" >"$dir/c.champsim.xz"
run champsim.xz --format champsim "$dir/c.champsim.xz"
same champsim champsim.xz

# ---- --skip and --max-refs: the same as the cut file, run cold
sed -n '100001,150000p' "$dir/t.din" >"$dir/cut.din"
run cut "$dir/cut.din"
run skip --skip 100000 --max-refs 50000 "$dir/t.din"
same cut skip

# ---- --warmup: the misses after a warm-up of W are those of W+M minus those of W
run w "$dir/t.din" --max-refs 100000
run wm "$dir/t.din" --max-refs 150000
run warm --warmup 100000 --max-refs 50000 "$dir/t.din"
for k in tlb.l1.misses tlb.l1.lookups walks os.zero_fills; do
    a=$(json_get "$dir/w.json" "$k") b=$(json_get "$dir/wm.json" "$k") c=$(json_get "$dir/warm.json" "$k")
    [ -n "$c" ] && [ "$((b - a))" = "$c" ] || bad "--warmup: $k = $c, expected $b - $a"
done
[ "$(json_get "$dir/warm.json" references)" = 50000 ] || bad "--warmup: references not 50000"

# ---- --interval: the records add up to the whole run (the last record, interval 0)
"$sim" trace --stats csv --interval 40000 "$dir/t.din" >"$dir/iv.csv" || bad "--interval: exit $?"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
         $col["interval"] > 0 { n++; r += $col["references"]; m += $col["tlb.l1.misses"]; next }
         { tr = $col["references"]; tm = $col["tlb.l1.misses"] }
         END { if (n < 2 || r != tr || m != tm) { printf "%d intervals: %d refs %d misses, whole %d %d\n", n, r, m, tr, tm; exit 1 } }' \
    "$dir/iv.csv" || bad "--interval: intervals do not add up"

# ---- several traces: a process each; --quantum moves the switches, not the pages
run two1 --quantum 1 "$dir/t.din" "$dir/d.mmt"
run twoq --quantum 1000000 "$dir/t.din" "$dir/d.mmt"
for r in two1 twoq; do
    [ "$(json_get "$dir/$r.json" references)" = "$((2 * refs))" ] || bad "$r: references not $((2 * refs))"
    for p in pid1 pid2; do
        [ "$(json_get "$dir/$r.json" $p.zero_fills)" = "$(json_get "$dir/din.json" os.zero_fills)" ] ||
            bad "$r: $p.zero_fills differs from the single run's"
    done
done
[ "$(json_get "$dir/two1.json" tlb.l1.misses)" -gt "$(json_get "$dir/twoq.json" tlb.l1.misses)" ] ||
    bad "--quantum 1 should miss more than one switch"

[ $fail = 0 ] && echo "trace runs: formats, containers, --skip, --warmup, --interval, several traces agree"
exit $fail
