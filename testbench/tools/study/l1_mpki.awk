# l1_mpki.awk (after csv.awk): sweep (a) -> one data file per trace for
# l1_mpki.gp: a row per L1 size, a column of tlb.l1.mpki per policy x ways.
# -v dir=DIR. Writes DIR/l1_mpki_TRACE.dat (tab-separated, header first) and
# prints the trace names, one a line, in the order of the CSV.
NR == 2 { need("trace"); need("tlb.l1.entries"); need("tlb.l1.ways"); need("tlb.l1.policy"); need("tlb.l1.mpki") }
{
    t = col("trace"); sub(/\.mmt$/, "", t)
    if (!(t in seen_t)) { seen_t[t] = 1; traces[++nt] = t }
    e = col("tlb.l1.entries")
    if (!(e in seen_e)) { seen_e[e] = 1; ents[++ne] = e }
    c = col("tlb.l1.policy") " " (col("tlb.l1.ways") == 0 ? "full" : col("tlb.l1.ways") "-way")
    if (!(c in seen_c)) { seen_c[c] = 1; cfgs[++nc] = c }
    v[t, e, c] = col("tlb.l1.mpki")
}
END {
    for (i = 1; i <= nt; i++) {
        f = dir "/l1_mpki_" traces[i] ".dat"
        printf "entries" > f
        for (k = 1; k <= nc; k++) printf "\t%s", cfgs[k] > f
        printf "\n" > f
        for (j = 1; j <= ne; j++) {
            printf "%s", ents[j] > f
            for (k = 1; k <= nc; k++) printf "\t%s", v[traces[i], ents[j], cfgs[k]] > f
            printf "\n" > f
        }
        close(f)
        print traces[i]
    }
}
