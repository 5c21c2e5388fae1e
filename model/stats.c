/*
 * stats.c - statistics output.  Every counter is emitted as a row with a
 * dotted name, so the three formats cannot disagree; derived figures are
 * computed here, next to the counters they come from.
 */
#include "stats.h"

#include <inttypes.h>
#include <string.h>

int stats_parse_format(const char *s, stats_format_t *f)
{
    static const char *const names[] = { "table", "json", "csv", "none" };
    for (int i = 0; i < 4; i++)
        if (!strcmp(s, names[i])) {
            *f = (stats_format_t)i;
            return 0;
        }
    return -1;
}

/* Emits one integer row. */
void stats_u64(stats_emitter_t *e, const char *name, uint64_t v)
{
    switch (e->f) {
    case STATS_NONE:
        return;
    case STATS_TABLE:
        fprintf(e->out, "  %-34s %15" PRIu64 "\n", name, v);
        break;
    case STATS_JSON:
        fprintf(e->out, "%s\n  \"%s\": %" PRIu64, e->first ? "{" : ",", name, v);
        break;
    case STATS_CSV:
        fprintf(e->out, "%s,%" PRIu64 "\n", name, v);
        break;
    }
    e->first = 0;
}

/* Emits one derived (real) row. */
void stats_real(stats_emitter_t *e, const char *name, double v)
{
    switch (e->f) {
    case STATS_NONE:
        return;
    case STATS_TABLE:
        fprintf(e->out, "  %-34s %15.4f\n", name, v);
        break;
    case STATS_JSON:
        fprintf(e->out, "%s\n  \"%s\": %.6g", e->first ? "{" : ",", name, v);
        break;
    case STATS_CSV:
        fprintf(e->out, "%s,%.6g\n", name, v);
        break;
    }
    e->first = 0;
}

/* A table section heading (other formats have none). */
void stats_heading(stats_emitter_t *e, const char *title)
{
    if (e->f == STATS_TABLE)
        fprintf(e->out, "%s\n", title);
}

static double ratio(uint64_t a, uint64_t b) { return b ? (double)a / (double)b : 0.0; }

/* Rows of one TLB's counters under prefix (e.g. "tlb.l1d"). */
static void emit_tlb(stats_emitter_t *e, const char *prefix, const tlb_counts_t *c, const tlb_counts_t *r)
{
    char name[64];
    uint64_t lookups = 0, hits = 0;

    for (int a = 0; a < ACC_COUNT; a++) {
        static const char *const acc[] = { "load", "store", "fetch" };
        snprintf(name, sizeof name, "%s.%s.lookups", prefix, acc[a]);
        stats_u64(e, name, c->lookups[a]);
        snprintf(name, sizeof name, "%s.%s.hits", prefix, acc[a]);
        stats_u64(e, name, c->hits[a]);
        snprintf(name, sizeof name, "%s.%s.misses", prefix, acc[a]);
        stats_u64(e, name, c->misses[a]);
        lookups += c->lookups[a];
        hits += c->hits[a];
    }
    snprintf(name, sizeof name, "%s.hit_rate", prefix);
    stats_real(e, name, ratio(hits, lookups));
    lookups = hits = 0;
    for (int a = 0; a < ACC_COUNT; a++) {
        lookups += r->lookups[a];
        hits += r->hits[a];
    }
    snprintf(name, sizeof name, "%s.replay.lookups", prefix);
    stats_u64(e, name, lookups);
    snprintf(name, sizeof name, "%s.replay.hits", prefix);
    stats_u64(e, name, hits);
}

/* The smallest latency at or below which fraction q of the walks completed. */
static uint64_t walk_percentile(const mmu_stats_t *s, double q)
{
    uint64_t need = (uint64_t)((double)s->walks * q + 0.999999), seen = 0;
    for (uint64_t i = 0; i < WALK_HIST_BUCKETS; i++) {
        seen += s->walk_latency[i];
        if (need && seen >= need)
            return i;
    }
    return 0;
}

/* Rows of m's counters (with the configuration's structure names). */
void stats_mmu(stats_emitter_t *e, const mmu_t *m)
{
    const mmu_stats_t *s = mmu_stats(m);
    const sim_config_t *cfg = mmu_config(m);
    char name[64];

    stats_heading(e, "requests");
    stats_u64(e, "requests", s->requests);
    stats_u64(e, "replays", s->replays);
    stats_u64(e, "cycles", s->cycles);
    stats_real(e, "cycles_per_request", ratio(s->cycles, s->requests));
    stats_heading(e, "tlbs");
    if (cfg->l1_split) {
        emit_tlb(e, "tlb.l1i", &s->tlb[TLB_L1I], &s->tlb_replay[TLB_L1I]);
        emit_tlb(e, "tlb.l1d", &s->tlb[TLB_L1D], &s->tlb_replay[TLB_L1D]);
    } else {
        emit_tlb(e, "tlb.l1", &s->tlb[TLB_L1], &s->tlb_replay[TLB_L1]);
    }
    if (cfg->l2.entries)
        emit_tlb(e, "tlb.l2", &s->tlb[TLB_L2], &s->tlb_replay[TLB_L2]);
    stats_heading(e, "walker");
    stats_u64(e, "walks", s->walks);
    if (cfg->pwc.entries) {
        stats_u64(e, "pwc.lookups", s->pwc_lookups);
        stats_u64(e, "pwc.misses", s->pwc_misses);
        for (int l = 1; l < vm_levels(cfg->mode); l++) {
            snprintf(name, sizeof name, "pwc.hits.level%d", l);
            stats_u64(e, name, s->pwc_hits[l]);
        }
    }
    stats_u64(e, "mem.reads", s->mem_reads);
    stats_u64(e, "mem.writes", s->mem_writes);
    stats_u64(e, "ad_updates", s->ad_updates);
    stats_real(e, "reads_per_walk", ratio(s->mem_reads, s->walks));
    stats_real(e, "walk_latency.mean", ratio(s->walk_cycles, s->walks));
    stats_u64(e, "walk_latency.p50", walk_percentile(s, 0.50));
    stats_u64(e, "walk_latency.p99", walk_percentile(s, 0.99));
    stats_u64(e, "walk_latency.max", s->walks ? walk_percentile(s, 1.0) : 0);
    stats_heading(e, "faults");
    for (int i = 1; i < FAULT_COUNT; i++) {
        snprintf(name, sizeof name, "faults.%s", fault_name((fault_t)i));
        stats_u64(e, name, s->faults[i]);
    }
    stats_u64(e, "sfences", s->sfences);
    if (e->f == STATS_JSON) {
        int first = 1;
        fprintf(e->out, ",\n  \"walk_latency.histogram\": {");
        for (int i = 0; i < WALK_HIST_BUCKETS; i++)
            if (s->walk_latency[i]) {
                fprintf(e->out, "%s\"%d\": %" PRIu64, first ? "" : ", ", i, s->walk_latency[i]);
                first = 0;
            }
        fprintf(e->out, "}");
    }
}

/* Starts a document: the CSV header. */
void stats_begin(stats_emitter_t *e, stats_format_t f, FILE *out)
{
    e->f = f;
    e->out = out;
    e->first = 1;
    if (f == STATS_CSV)
        fprintf(out, "stat,value\n");
}

/* Ends a document: closes the JSON object. */
void stats_end(stats_emitter_t *e)
{
    if (e->f == STATS_JSON)
        fprintf(e->out, e->first ? "{}\n" : "\n}\n");
}

void stats_print(const mmu_t *m, stats_format_t f, FILE *out)
{
    stats_emitter_t e;

    stats_begin(&e, f, out);
    stats_mmu(&e, m);
    stats_end(&e);
}
