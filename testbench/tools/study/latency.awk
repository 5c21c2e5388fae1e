# latency.awk (after csv.awk): sweep (b) -> DIR/latency_TRACE.dat for
# latency.gp: a row per configuration (label, then cycles per reference spent
# in the L1, the L2, the walk cache, the walk and the fault handler), with an
# empty row between L2 sizes so that the bars come in groups.
NR == 2 { need("trace"); need("tlb.l2.entries"); need("pwc.entries"); need("dram.timing"); need("latency.mean") }
{
    t = col("trace"); sub(/\.mmt$/, "", t)
    f = dir "/latency_" t ".dat"
    if (!(t in last)) { printf "config\tl1\tl2\tpwc\twalk\tfault\tmean\n" > f; last[t] = ""; files[t] = f }
    l2 = col("tlb.l2.entries")
    if (last[t] != "" && l2 != last[t]) printf " \t0\t0\t0\t0\t0\t0\n" > f
    last[t] = l2
    l1 = num("latency.l1")
    if (!(t in l1min) || l1 < l1min[t]) l1min[t] = l1
    if (!(t in l1max) || l1 > l1max[t]) l1max[t] = l1
    printf "%s/%s/%s\t%s\t%s\t%s\t%s\t%s\t%s\n", l2, col("pwc.entries"), col("dram.timing"),
        num("latency.l1"), num("latency.l2"), num("latency.pwc"), num("latency.walk"),
        num("latency.fault"), num("latency.mean") > f
}
END {
    for (t in files) {
        close(files[t])
        printf "%s %s\n", l1min[t], l1max[t] > (dir "/latency_" t ".l1")
        close(dir "/latency_" t ".l1")
    }
}
