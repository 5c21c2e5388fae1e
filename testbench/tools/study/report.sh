#!/bin/sh
# report.sh OUT RES HERE TRACES SWEEP_A SWEEP_B SECONDS CDF_L2
# Prints docs/results/README.md for testbench/tools/study.sh: what was run,
# the plots, and tables and readings whose numbers come from this run's CSVs.
set -eu
OUT=$1 RES=$2 HERE=$3 TRACES=$4 SWEEP_A=$5 SWEEP_B=$6 SECS=$7 CDF_L2=$8
A=$OUT/sweep_l1.csv
B=$OUT/sweep_l2.csv

# get CSV "KEY=V ..." "STAT ...": the statistics of the matching row
get() { awk -f "$HERE/csv.awk" -f "$HERE/get.awk" -v where="$2" -v stats="$3" "$1"; }
# fmt N: 3 significant digits (4 for numbers of 1000 and more: never an exponent)
fmt() { awk -v x="$1" 'BEGIN { if (x >= 1000) printf "%d", x + 0.5; else if (x >= 100) printf "%.0f", x; else if (x >= 10) printf "%.1f", x; else if (x >= 1) printf "%.2f", x; else printf "%.3g", x }'; }
info() { sed -n "s/^$2	//p" "$OUT/$1.info"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { r = b > 0 ? a / b : 0; if (b <= 0) print "-"; else if (r >= 10) printf "%.0f", r; else printf "%.1f", r }'; }
# sweepcmd "ARGS": the sweep's command line, a --vary a line
sweepcmd() {
    printf '    mmusim sweep'
    for t in $TRACES; do printf ' --trace %s.mmt' "$t"; done
    printf ' \\\n       '
    for w in $1; do
        if [ "$w" = --vary ]; then printf ' \\\n        --vary'; else printf ' %s' "$w"; fi
    done
    printf ' \\\n        -o FILE.csv\n'
}
link() { # a CSV in docs/results, whole or summary
    if [ -f "$RES/$1.csv" ]; then echo "[$1.csv]($1.csv)"; else echo "[$1.summary.csv]($1.summary.csv) (the whole CSV is over 200 KB: \`$OUT/$1.csv\`)"; fi
}
A1="tlb.l2.entries=0 pwc.entries=0"
B1="tlb.l1.entries=32 tlb.l1.ways=0 tlb.l1.policy=lru"

cat <<EOF
# TLB study: real programs through the MMU (\`make study\`)

How do the L1 TLB size, an L2 TLB, a page-walk cache or the replacement policy change TLB
misses and translation latency on real programs? \`make study\` captures three programs under
valgrind, runs two parameter sweeps over them with \`mmusim sweep\` (docs/studies.md) and plots
the results with gnuplot. Everything on this page, numbers included, is written by
\`testbench/tools/study.sh\`; its last run took $SECS s on $(nproc) cores (a trace that already
exists is kept, not captured again: the capture times below are from when the traces were made).

## What was run

### Traces

Each program ran under \`valgrind --tool=lackey --trace-mem=yes\` with a clean environment
(\`env -i PATH=/usr/bin:/bin LC_ALL=C PYTHONHASHSEED=0\`: the last one stops Python from
randomising its string hashes, which would change the trace from run to run) in \`build/study/inputs/\`, its trace piped straight
into mmusim's binary format, its own output discarded:

    valgrind --tool=lackey --trace-mem=yes --log-fd=3 PROGRAM ARGS 3>&1 >/dev/null |
        mmusim convert --format lackey --to mmt - build/study/NAME.mmt

| trace | program | command (in inputs/) | references | .mmt size | capture |
|---|---|---|---:|---:|---:|
EOF
for t in $TRACES; do
    cmd=$(info "$t" command | sed 's/^cd inputs && valgrind --tool=lackey --trace-mem=yes --log-fd=3 //; s/ 3>&1 >\/dev\/null$//')
    echo "| $t | $(info "$t" version) | \`$cmd\` | $(info "$t" references) | $(( $(info "$t" bytes) / 1048576 )) MiB | $(info "$t" seconds) s |"
done
cat <<EOF

valgrind: $(info sort valgrind). The inputs are generated, so every machine sorts and
compresses the same bytes: \`numbers.txt\` holds $(wc -l < "$OUT/inputs/numbers.txt" | tr -d ' ') numbers below 10^6 and \`words.txt\`
$(wc -c < "$OUT/inputs/words.txt" | tr -d ' ') bytes of text lines drawn from a 50-word vocabulary, both from the Park-Miller generator
(x = 16807 x mod 2^31-1, seed 1) in awk; \`dict.py\` (testbench/tools/study/dict.py) builds a
dict of string keys and looks half of them up. The reference counts above are what valgrind
recorded with these Debian 12 binaries; another
build of the programs or of valgrind gives other counts, and even here two captures can differ
by a few hundred references (under 0.01%: the environment's and the stack's layout move the
programs' string functions onto other paths). The traces stay in \`build/study/\`
(about $(( ( $(for t in $TRACES; do info "$t" bytes; done | awk '{ s += $1 } END { print s }') + 524288 ) / 1048576 )) MiB): they are never committed.

### Sweeps

Every run simulates a whole trace as process 1 of mmusim's operating system (docs/traces.md):
pages are demand-zeroed on first touch (\`page_faults\`), there is no swapping (all of DRAM
is available), and unless a sweep says otherwise the configuration is mmusim's default
(one-cycle L1, four-cycle L2, one-cycle walk cache, 20-cycle fixed DRAM; docs/config.md).

(a) L1 size x associativity x policy, no L2 TLB and no walk cache: $(link sweep_l1)

$(sweepcmd "$SWEEP_A")

(b) L2 size x walk cache x DRAM timing behind a 32-entry fully associative LRU L1: $(link sweep_l2)

$(sweepcmd "$SWEEP_B")

The CSVs have a column per configuration key and per statistic (docs/stats.md), a row per
run; the plots and tables below find their columns by name (testbench/tools/study/csv.awk).

EOF

# ---------------------------------------------------------------- plot 1
cat <<EOF
## L1 TLB misses vs L1 size

![L1 misses per 1000 references](l1_mpki.png)

[SVG](l1_mpki.svg). \`tlb.l1.mpki\` (L1 misses per 1000 references), log scale, from sweep (a);
colour = replacement policy, solid = fully associative, dashed = 4 ways.

| trace | L1 ways, policy | 16 | 32 | 64 | 128 | 256 |
|---|---|---:|---:|---:|---:|---:|
EOF
for t in $TRACES; do
    for c in "0 lru" "4 lru" "0 fifo" "0 plru" "0 random"; do
        set -- $c
        row="| $t | $([ "$1" = 0 ] && echo "full" || echo "$1-way"), $2 |"
        for e in 16 32 64 128 256; do
            row="$row $(fmt "$(get "$A" "trace=$t.mmt tlb.l1.entries=$e tlb.l1.ways=$1 tlb.l1.policy=$2" tlb.l1.mpki)") |"
        done
        echo "$row"
    done
done
m() { get "$A" "trace=$1.mmt tlb.l1.entries=$2 tlb.l1.ways=$3 tlb.l1.policy=$4" tlb.l1.mpki; }
p16=$(m python 16 0 lru); p256=$(m python 256 0 lru); p256w=$(m python 256 4 lru)
g32=$(m gzip 32 0 lru); g64=$(m gzip 64 0 lru); g64w=$(m gzip 64 4 lru); g64p=$(m gzip 64 0 plru)
s32=$(m sort 32 0 lru); s32f=$(m sort 32 0 fifo); s32w=$(m sort 32 4 lru)
cat <<EOF

Reading:

- The programs' working sets differ in size. gzip's fits between 32 and 64 pages: a
  fully associative LRU L1 goes from $(fmt "$g32") misses per 1000 references at 32 entries to
  $(fmt "$g64") at 64 ($(ratio "$g32" "$g64")x fewer). python keeps missing longest: $(fmt "$p16") at 16 entries,
  still $(fmt "$p256") at 256. sort is already at $(fmt "$s32") with 32 entries.
- Associativity matters most just at the knee: at 64 entries gzip misses $(fmt "$g64w") per
  1000 with 4 ways against $(fmt "$g64") fully associative; at 256 entries python misses $(fmt "$p256w") with
  4 ways against $(fmt "$p256").
- Among policies LRU is best or near it in every fully associative configuration; the gaps
  are largest where the working set just fits (sort at 32 entries: LRU $(fmt "$s32"), FIFO $(fmt "$s32f"),
  4-way LRU $(fmt "$s32w")). Tree pseudo-LRU over a whole 64-entry fully associative TLB is the
  outlier on gzip ($(fmt "$g64p") against LRU's $(fmt "$g64")): its tree approximates LRU poorly across that many ways.

EOF

# ---------------------------------------------------------------- plot 2
cat <<EOF
## Where the translation cycles go

![Translation latency per reference](latency.png)

[SVG](latency.svg). Mean translation latency per reference (\`latency.mean\`, cycles) split into
\`latency.l1 + latency.l2 + latency.pwc + latency.walk + latency.fault\`, for every
configuration of sweep (b) (bars: L2 entries / walk-cache entries / DRAM timing). Every
reference pays the one-cycle L1 lookup, the same in every bar: it is left out of the bars
(its value is in each panel's title and in the table) so that the rest can be seen.

| trace | L2 | walk cache | DRAM | walks | l1 | l2 | pwc | walk | fault | mean |
|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|
EOF
for t in $TRACES; do
    for c in "0 0" "0 32" "256 0" "256 32" "2048 0" "2048 32"; do
        set -- $c
        for d in fixed ddr; do
            [ "$d" = ddr ] && [ "$1" != 0 ] && continue
            v=$(get "$B" "trace=$t.mmt tlb.l2.entries=$1 pwc.entries=$2 dram.timing=$d" \
                "walks latency.l1 latency.l2 latency.pwc latency.walk latency.fault latency.mean")
            set -- $1 $2 $v
            echo "| $t | $1 | $2 | $d | $3 | $(fmt "$4") | $(fmt "$5") | $(fmt "$6") | $(fmt "$7") | $(fmt "$8") | $(fmt "$9") |"
            set -- $1 $2
        done
    done
done
l() { get "$B" "trace=$1.mmt tlb.l2.entries=$2 pwc.entries=$3 dram.timing=$4" "$5"; }
py0=$(l python 0 0 fixed latency.mean); py0w=$(l python 0 0 fixed latency.walk)
py32w=$(l python 0 32 fixed latency.walk); py8w=$(l python 0 8 fixed latency.walk); py256=$(l python 256 0 fixed latency.mean)
pyw0=$(l python 0 0 fixed walks); pyw256=$(l python 256 0 fixed walks); pyw2048=$(l python 2048 0 fixed walks)
gz0=$(l gzip 0 0 fixed latency.mean); gz256=$(l gzip 256 0 fixed latency.mean)
gzw0=$(l gzip 0 0 fixed walks); gzw256=$(l gzip 256 0 fixed walks)
pyf=$(l python 0 0 fixed latency.fault); pypf=$(l python 0 0 fixed page_faults)
cat <<EOF

Reading:

- Without an L2 TLB or a walk cache, python spends $(fmt "$py0") cycles per reference on
  translation, $(fmt "$py0w") of them walking ($pyw0 walks). A 256-entry L2 TLB cuts the walks to
  $pyw256 ($pyw2048 with 2048 entries) and the mean to $(fmt "$py256"); gzip's whole working set fits in
  it ($gzw0 walks become $gzw256, mean $(fmt "$gz0") -> $(fmt "$gz256") cycles).
- A walk cache alone does less but is much smaller: 32 entries cut python's walk cycles from
  $(fmt "$py0w") to $(fmt "$py32w") per reference (the walk then reads one PTE instead of three), and 8
  entries do almost as well ($(fmt "$py8w")): the walk cache holds pointers to page tables, each
  covering 2 MiB, and these programs touch few such regions.
- The fault-handler part (demand-zero page faults, $pypf for python, $(fmt "$pyf") cycles per
  reference) is the same in every configuration: the TLBs do not change which pages are touched.

EOF

# ---------------------------------------------------------------- plot 3
cat <<EOF
## Walk latency distribution

![Walk latency CDF](walk_cdf.png)

[SVG](walk_cdf.svg). Cumulative distribution of the walk latency (cycles from accept to response of
the requests that walked: the \`walk_latency.hist.N\` columns of sweep (b), N = cycles), with
$( [ "$CDF_L2" = 0 ] && echo "no L2 TLB" || echo "a $CDF_L2-entry L2 TLB" ), for fixed (solid) and DDR (dashed) DRAM timing, without and with a walk cache.

| trace | walk cache | DRAM | walks | mean | p50 | p99 | max |
|---|---:|---|---:|---:|---:|---:|---:|
EOF
for t in $TRACES; do
    for p in 0 32; do
        for d in fixed ddr; do
            v=$(get "$B" "trace=$t.mmt tlb.l2.entries=$CDF_L2 pwc.entries=$p dram.timing=$d" \
                "walks walk_latency.mean walk_latency.p50 walk_latency.p99 walk_latency.max")
            set -- $v
            echo "| $t | $p | $d | $1 | $(fmt "$2") | $3 | $4 | $5 |"
        done
    done
done
w() { get "$B" "trace=$1.mmt tlb.l2.entries=$CDF_L2 pwc.entries=$2 dram.timing=$3" "$4"; }
cat <<EOF

Reading:

- With fixed 20-cycle DRAM a walk without a walk cache takes $(w gzip 0 fixed walk_latency.p50) cycles (one cycle of
  lookup, then three PTE reads of 21 cycles, docs/stats.md); a walk-cache hit leaves one read:
  $(w gzip 32 fixed walk_latency.p50) cycles.
- DDR timing spreads the distribution by row-buffer state: sort's walks without a walk cache
  have a median of $(w sort 0 ddr walk_latency.p50) and a p99 of $(w sort 0 ddr walk_latency.p99) cycles (fixed: $(w sort 0 fixed walk_latency.p50)), while gzip's, whose page-table
  reads keep hitting open rows, take $(w gzip 0 ddr walk_latency.p50) (mean $(fmt "$(w gzip 0 ddr walk_latency.mean)")). With the walk cache the DDR median
  is $(w python 32 ddr walk_latency.p50) cycles for python, against $(w python 32 fixed walk_latency.p50) with fixed timing.

## Reproducing

    make study

installs what it needs on Debian 12 (\`testbench/tools/deps.sh study\`: valgrind, gnuplot-nox,
python3-minimal), builds mmusim, captures the traces into \`build/study/\` unless they are
already there (delete them to capture again), runs both sweeps and rewrites this folder: the
PNG and SVG plots, the CSVs and this page. The driver is \`testbench/tools/study.sh\`; the
gnuplot scripts and awk helpers are in \`testbench/tools/study/\`.
EOF
