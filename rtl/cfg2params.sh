#!/bin/sh
# cfg2params.sh MMUSIM CONFIG [--set KEY=VALUE]... : prints the Verilator -G
# options that build rtl/mmu_top.v for a configuration, one per line.  The
# values come from `mmusim config` (the model's own parser and defaults), so
# the RTL and the model are built from the same parameters.  DRAM range and
# A/D policy are inputs of the RTL (the harness drives them), and the DRAM
# timing belongs to the memory side: neither becomes a parameter.
set -eu
mmusim=$1 cfg=$2
shift 2
"$mmusim" config --config "$cfg" "$@" | awk -F' *= *' '
function pol(v) { return v == "lru" ? 0 : v == "plru" ? 1 : v == "fifo" ? 2 : v == "random" ? 3 : -1 }
{ sub(/[ \t]*#.*/, "", $2); v[$1] = $2 }
END {
    printf "-GLevels=%d\n", v["mode"] == "sv48" ? 4 : 3
    printf "-GL1Entries=%d\n-GL1Ways=%d\n-GL1Policy=%d\n-GL1Latency=%d\n-GL1Seed=%d\n-GL1Split=%d\n",
        v["tlb.l1.entries"], v["tlb.l1.ways"], pol(v["tlb.l1.policy"]), v["tlb.l1.latency"],
        v["tlb.l1.seed"], v["tlb.l1.split"]
    printf "-GL2Entries=%d\n-GL2Ways=%d\n-GL2Policy=%d\n-GL2Latency=%d\n-GL2Seed=%d\n",
        v["tlb.l2.entries"], v["tlb.l2.ways"], pol(v["tlb.l2.policy"]), v["tlb.l2.latency"], v["tlb.l2.seed"]
    printf "-GPwcEntries=%d\n-GPwcWays=%d\n-GPwcPolicy=%d\n-GPwcLatency=%d\n-GPwcSeed=%d\n",
        v["pwc.entries"], v["pwc.ways"], pol(v["pwc.policy"]), v["pwc.latency"], v["pwc.seed"]
}'
