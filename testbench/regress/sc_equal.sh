#!/bin/sh
# sc_equal.sh MMUSIM MMUSIM_SC - mmusim-sc (the TLM platform of app/systemc/)
# against `mmusim --cycle`: the same standard output, standard error and
# exit status, byte for byte, on every workload of traces/ under every
# preset in every statistics format, the reference strings under each
# policy, a trace prefix with every trace option, several traces at once,
# standard input, and bad input (where only the program's name may differ).
set -u
if [ $# -ne 2 ]; then
    echo "usage: $0 MMUSIM MMUSIM_SC" >&2
    exit 2
fi
SIM=$1 SC=$2
DIR=$(dirname "$0")/../..
TMP=$(mktemp -d "${TMPDIR:-/tmp}/sc_equal.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT INT TERM
fail=0 n=0

# same CMD ARGS... : `mmusim CMD --cycle ARGS` and `mmusim-sc CMD ARGS` agree.
same() {
    cmd=$1
    shift
    n=$((n + 1))
    "$SIM" "$cmd" --cycle "$@" > "$TMP/a.out" 2> "$TMP/a.err" < "$TMP/stdin"
    a=$?
    "$SC" "$cmd" "$@" > "$TMP/b.out" 2> "$TMP/b.err" < "$TMP/stdin"
    b=$?
    sed -i 's/mmusim-sc\([ :]\)/mmusim\1/g' "$TMP/b.err"
    if [ $a -ne $b ] || ! cmp -s "$TMP/a.out" "$TMP/b.out" || ! cmp -s "$TMP/a.err" "$TMP/b.err"; then
        echo "FAIL $cmd $*: exit $a vs $b"
        diff "$TMP/a.out" "$TMP/b.out" | head -n 8 | sed 's/^/    out /'
        diff "$TMP/a.err" "$TMP/b.err" | head -n 4 | sed 's/^/    err /'
        fail=1
    fi
}

: > "$TMP/stdin"
for cfg in "$DIR"/configs/*.cfg; do
    for wl in "$DIR"/traces/*.wl; do
        for fmt in table json csv; do
            same run --config "$cfg" --stats "$fmt" "$wl"
        done
    done
    for p in fifo lru opt clock random; do
        same run --refs --config "$cfg" --set os.user_frames=3 --set os.policy=$p "$DIR/traces/textbook.refs"
    done
done
# the shortest memory latency there is: a response in the cycle after its request
same run --set dram.timing=fixed --set dram.latency=1 --stats json "$DIR/traces/swap.wl"
T=$DIR/traces/sort.lackey.gz
same trace --config "$DIR/configs/server.cfg" --set os.user_frames=96 --max-refs 200000 --stats json "$T"
same trace --set tlb.l1.entries=8 --skip 5000 --warmup 20000 --max-refs 100000 --interval 30000 --stats csv "$T"
same trace --max-refs 50000 --quantum 777 --stats table "$T" "$T"
gzip -dc "$T" | head -n 30000 > "$TMP/stdin"
same trace --stats json -
: > "$TMP/stdin"
# bad input: the messages of the shared readers, and exit 2
printf 'spawn 1\nload 1 0x1000 8 8\n' > "$TMP/bad.wl"
same run "$TMP/bad.wl"
same run "$DIR/traces/none.wl"
same trace --format din "$DIR/traces/swap.wl"
same run --set tlb.l1.entries=3 "$DIR/traces/swap.wl"
same trace --frob "$T"
if [ $fail -ne 0 ]; then
    echo "sc_equal: mmusim-sc differs from mmusim --cycle"
    exit 1
fi
echo "sc_equal: $n runs, mmusim-sc equals mmusim --cycle byte for byte"
