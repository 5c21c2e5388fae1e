# summary.awk (after csv.awk): the configuration and main statistics of a
# sweep CSV, for when the whole CSV is too big to keep in docs/results/.
BEGIN {
    n = split("run trace references tlb.l1.entries tlb.l1.ways tlb.l1.policy tlb.l2.entries tlb.l2.ways " \
              "pwc.entries dram.timing page_faults tlb.l1.misses tlb.l1.mpki tlb.l2.misses tlb.l2.mpki walks " \
              "pwc.misses latency.mean latency.l1 latency.l2 latency.pwc latency.walk latency.fault " \
              "walk_latency.mean walk_latency.p50 walk_latency.p99 walk_latency.max cycles_per_request", k, " ")
    for (i = 1; i <= n; i++) printf "%s%s", k[i], (i < n ? "," : "\n")
}
{ for (i = 1; i <= n; i++) printf "%s%s", col(k[i]), (i < n ? "," : "\n") }
