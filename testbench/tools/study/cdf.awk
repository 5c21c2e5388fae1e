# cdf.awk (after csv.awk): the walk-latency CDF of the sweep-(b) rows with
# tlb.l2.entries = L2 (-v l2=N), one file per trace, walk cache and DRAM timing:
# DIR/cdf_TRACE_pwcP_TIMING.dat, lines "latency cumulative-fraction", from the
# walk_latency.hist.N columns (N = latency in cycles; an empty cell is 0).
NR == 2 {
    need("trace"); need("tlb.l2.entries"); need("pwc.entries"); need("dram.timing")
    nb = 0
    for (name in CSV_COL)
        if (name ~ /^walk_latency\.hist\.[0-9]+$/) { b = name; sub(/.*\./, "", b); bucket[++nb] = b + 0 }
    # ascending bucket order (insertion sort: a few hundred buckets at most)
    for (i = 2; i <= nb; i++) { x = bucket[i]; for (j = i - 1; j >= 1 && bucket[j] > x; j--) bucket[j + 1] = bucket[j]; bucket[j + 1] = x }
}
col("tlb.l2.entries") == l2 {
    t = col("trace"); sub(/\.mmt$/, "", t)
    f = dir "/cdf_" t "_pwc" col("pwc.entries") "_" col("dram.timing") ".dat"
    total = 0
    for (i = 1; i <= nb; i++) total += num("walk_latency.hist." bucket[i])
    if (total == 0) { print "0 0" > f; close(f); next }
    cum = 0; first = 1
    for (i = 1; i <= nb; i++) {
        n = num("walk_latency.hist." bucket[i])
        if (n == 0) continue
        if (first) { printf "%d 0\n", bucket[i] > f; first = 0 }
        cum += n
        printf "%d %.6f\n", bucket[i], cum / total > f
    }
    close(f)
}
