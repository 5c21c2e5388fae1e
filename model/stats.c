/*
 * stats.c - statistics output.  Every counter is emitted as a row with a
 * dotted name, so the three formats cannot disagree; derived figures are
 * computed here, next to the counters they come from.
 */
#define _POSIX_C_SOURCE 200809L /* open_memstream */
#include "stats.h"

#include <inttypes.h>
#include <stdlib.h>
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

void stats_csv_field(FILE *f, const char *s)
{
    if (!s[strcspn(s, ",\"\r\n")]) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* Starts a JSON member or a CSV column named name; the caller writes the value. */
static FILE *stats_member(stats_emitter_t *e, const char *name)
{
    FILE *f = e->out;

    if (e->f == STATS_JSON) {
        fprintf(f, "%s\n  \"%s\": ", e->first ? "{" : ",", name);
    } else {
        if (!e->first) {
            fputc(',', e->csv_names);
            fputc(',', e->csv_values);
        }
        stats_csv_field(e->csv_names, name);
        f = e->csv_values;
    }
    e->first = 0;
    return f;
}

void stats_u64(stats_emitter_t *e, const char *name, uint64_t v)
{
    if (e->f == STATS_NONE)
        return;
    if (e->f == STATS_TABLE)
        fprintf(e->out, "  %-34s %15" PRIu64 "\n", name, v);
    else
        fprintf(stats_member(e, name), "%" PRIu64, v);
}

void stats_real(stats_emitter_t *e, const char *name, double v)
{
    if (e->f == STATS_NONE)
        return;
    if (e->f == STATS_TABLE)
        fprintf(e->out, "  %-34s %15.4f\n", name, v);
    else
        fprintf(stats_member(e, name), "%.6g", v);
}

void stats_str(stats_emitter_t *e, const char *name, const char *v)
{
    FILE *f;

    if (e->f != STATS_JSON && e->f != STATS_CSV)
        return;
    f = stats_member(e, name);
    if (e->f == STATS_CSV) {
        stats_csv_field(f, v);
        return;
    }
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

static double ratio(uint64_t a, uint64_t b) { return b ? (double)a / (double)b : 0.0; }

void stats_rate(stats_emitter_t *e, const char *name, uint64_t num, uint64_t den)
{
    double r = ratio(num, den);

    /* four places would show 0.99996 as 1.0000: a study reading the table would see no misses */
    if (e->f == STATS_TABLE && num < den && r > 0.99995)
        r = 0.9999;
    if (e->f == STATS_TABLE && num > 0 && r < 0.00005)
        r = 0.0001;
    stats_real(e, name, r);
}

/* A table section heading (other formats have none). */
void stats_heading(stats_emitter_t *e, const char *title)
{
    if (e->f == STATS_TABLE)
        fprintf(e->out, "%s\n", title);
}

/* Rows of one TLB's counters under prefix (e.g. "tlb.l1d"); refs for the misses per thousand. */
static void emit_tlb(stats_emitter_t *e, const char *prefix, const tlb_counts_t *c, const tlb_counts_t *r,
                     uint64_t refs)
{
    static const char *const acc[] = { "load", "store", "fetch" };
    char name[64];
    uint64_t lookups = 0, hits = 0, misses = 0;

    for (int a = 0; a < ACC_COUNT; a++) {
        snprintf(name, sizeof name, "%s.%s.lookups", prefix, acc[a]);
        stats_u64(e, name, c->lookups[a]);
        snprintf(name, sizeof name, "%s.%s.hits", prefix, acc[a]);
        stats_u64(e, name, c->hits[a]);
        snprintf(name, sizeof name, "%s.%s.misses", prefix, acc[a]);
        stats_u64(e, name, c->misses[a]);
        lookups += c->lookups[a];
        hits += c->hits[a];
        misses += c->misses[a];
    }
    snprintf(name, sizeof name, "%s.lookups", prefix);
    stats_u64(e, name, lookups);
    snprintf(name, sizeof name, "%s.misses", prefix);
    stats_u64(e, name, misses);
    snprintf(name, sizeof name, "%s.hit_rate", prefix);
    stats_rate(e, name, hits, lookups);
    snprintf(name, sizeof name, "%s.mpki", prefix);
    stats_real(e, name, ratio(misses * 1000, refs));
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

/*
 * Where the cycles went: total cycles by structure (`cycles.*`, which add up
 * to `cycles`), and the same per reference (`latency.*`, the translation
 * latency a reference saw on average, fault handling included).
 */
static void emit_cycles(stats_emitter_t *e, const mmu_stats_t *s, const sim_config_t *cfg, uint64_t refs)
{
    const struct { const char *name; uint64_t v; int shown; } part[] = {
        { "l1", s->cycles_l1, 1 },
        { "l2", s->cycles_l2, cfg->l2.entries != 0 },
        { "pwc", s->cycles_pwc, cfg->pwc.entries != 0 },
        { "walk", s->cycles_walk, 1 },
        { "fault", s->cycles_wait, 1 },
    };
    uint64_t total = s->cycles - s->cycle0, sum = 0;
    char name[64];

    for (size_t i = 0; i < sizeof part / sizeof *part; i++) {
        sum += part[i].v;
        if (!part[i].shown)
            continue;
        snprintf(name, sizeof name, "cycles.%s", part[i].name);
        stats_u64(e, name, part[i].v);
    }
    /* the cycle between a response and the next accept, and fences */
    stats_u64(e, "cycles.other", total - sum);
    stats_real(e, "latency.mean", ratio(sum, refs));
    for (size_t i = 0; i < sizeof part / sizeof *part; i++) {
        if (!part[i].shown)
            continue;
        snprintf(name, sizeof name, "latency.%s", part[i].name);
        stats_real(e, name, ratio(part[i].v, refs));
    }
}

/* The walker's rows: walks by the page size they ended at, memory traffic, latency. */
static void emit_walker(stats_emitter_t *e, const mmu_stats_t *s, const sim_config_t *cfg)
{
    static const char *const size[MAX_LEVELS] = { "4k", "2m", "1g", "512g" };
    uint64_t leaves = 0;
    char name[64];

    stats_heading(e, "walker");
    stats_u64(e, "walks", s->walks);
    for (int l = 0; l < vm_levels(cfg->mode); l++) {
        snprintf(name, sizeof name, "walks.%s", size[l]);
        stats_u64(e, name, s->walks_leaf[l]);
        leaves += s->walks_leaf[l];
    }
    stats_u64(e, "walks.fault", s->walks - leaves);
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
    stats_real(e, "walk_latency.lookups", ratio(s->walk_lookup_cycles, s->walks));
    stats_real(e, "walk_latency.walk", ratio(s->walk_cycles - s->walk_lookup_cycles, s->walks));
    stats_u64(e, "walk_latency.p50", walk_percentile(s, 0.50));
    stats_u64(e, "walk_latency.p99", walk_percentile(s, 0.99));
    stats_u64(e, "walk_latency.max", s->walks ? walk_percentile(s, 1.0) : 0);
}

/* The exact walk-latency histogram: a JSON object, or CSV columns walk_latency.hist.N. */
static void emit_histogram(stats_emitter_t *e, const mmu_stats_t *s)
{
    char name[64];
    int first = 1;

    if (e->f == STATS_CSV) {
        for (int i = 0; i < WALK_HIST_BUCKETS && e->csv_histogram; i++)
            if (s->walk_latency[i]) {
                snprintf(name, sizeof name, "walk_latency.hist.%d", i);
                stats_u64(e, name, s->walk_latency[i]);
            }
        return;
    }
    if (e->f != STATS_JSON)
        return;
    fputs("{", stats_member(e, "walk_latency.histogram"));
    for (int i = 0; i < WALK_HIST_BUCKETS; i++)
        if (s->walk_latency[i]) {
            fprintf(e->out, "%s\"%d\": %" PRIu64, first ? "" : ", ", i, s->walk_latency[i]);
            first = 0;
        }
    fputs("}", e->out);
}

void stats_mmu(stats_emitter_t *e, const mmu_t *m, uint64_t refs)
{
    stats_counts(e, mmu_stats(m), mmu_config(m), refs);
}

void stats_counts(stats_emitter_t *e, const mmu_stats_t *s, const sim_config_t *cfg, uint64_t refs)
{
    char name[64];

    if (!refs)
        refs = s->requests - s->replays;
    stats_heading(e, "requests");
    stats_u64(e, "requests", s->requests);
    stats_u64(e, "replays", s->replays);
    stats_u64(e, "cycles", s->cycles - s->cycle0);
    stats_real(e, "cycles_per_request", ratio(s->cycles - s->cycle0, s->requests));
    emit_cycles(e, s, cfg, refs);
    stats_heading(e, "tlbs");
    if (cfg->l1_split) {
        emit_tlb(e, "tlb.l1i", &s->tlb[TLB_L1I], &s->tlb_replay[TLB_L1I], refs);
        emit_tlb(e, "tlb.l1d", &s->tlb[TLB_L1D], &s->tlb_replay[TLB_L1D], refs);
    } else {
        emit_tlb(e, "tlb.l1", &s->tlb[TLB_L1], &s->tlb_replay[TLB_L1], refs);
    }
    if (cfg->l2.entries)
        emit_tlb(e, "tlb.l2", &s->tlb[TLB_L2], &s->tlb_replay[TLB_L2], refs);
    emit_walker(e, s, cfg);
    stats_heading(e, "faults");
    for (int i = 1; i < FAULT_COUNT; i++) {
        snprintf(name, sizeof name, "faults.%s", fault_name((fault_t)i));
        stats_u64(e, name, s->faults[i]);
    }
    stats_u64(e, "sfences", s->sfences);
    emit_histogram(e, s);
}

int stats_begin(stats_emitter_t *e, stats_format_t f, FILE *out)
{
    memset(e, 0, sizeof *e);
    e->f = f;
    e->out = out;
    e->first = 1;
    e->csv_header = e->csv_histogram = 1;
    if (f != STATS_CSV)
        return 0;
    e->csv_names = open_memstream(&e->csv_nbuf, &e->csv_nlen);
    e->csv_values = open_memstream(&e->csv_vbuf, &e->csv_vlen);
    if (e->csv_names && e->csv_values)
        return 0;
    if (e->csv_names)
        fclose(e->csv_names);
    if (e->csv_values)
        fclose(e->csv_values);
    free(e->csv_nbuf);
    free(e->csv_vbuf);
    e->f = STATS_NONE;
    return -1;
}

void stats_end(stats_emitter_t *e)
{
    if (e->f == STATS_JSON)
        fprintf(e->out, e->first ? "{}\n" : "\n}\n");
    if (e->f != STATS_CSV)
        return;
    fclose(e->csv_names);
    fclose(e->csv_values);
    if (e->csv_header)
        fprintf(e->out, "%s\n", e->csv_nbuf);
    fprintf(e->out, "%s\n", e->csv_vbuf);
    free(e->csv_nbuf);
    free(e->csv_vbuf);
    e->f = STATS_NONE;
}

void stats_print(const mmu_t *m, uint64_t refs, stats_format_t f, FILE *out)
{
    stats_emitter_t e;

    if (stats_begin(&e, f, out))
        return;
    stats_mmu(&e, m, refs);
    stats_end(&e);
}
