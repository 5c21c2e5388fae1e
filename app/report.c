/*
 * report.c - a run's statistics record: provenance, OS counters, MMU
 * counters, in the formats of model/stats.c.
 */
#include "report.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#ifndef MMUSIM_VERSION
#define MMUSIM_VERSION "unknown" /* the Makefile passes `git describe` */
#endif

/*
 * The OS counters as rows under prefix.  page_faults of the totals stands
 * at the top level (prefix "os." for the others).
 */
static void report_os_rows(stats_emitter_t *e, const char *prefix, const os_stats_t *s)
{
    int totals = !strcmp(prefix, "os.");

    static const struct { const char *name; size_t off; } rows[] = {
#define ROW(f) { #f, offsetof(os_stats_t, f) }
        ROW(page_faults), ROW(minor_faults), ROW(major_faults), ROW(zero_fills), ROW(file_pageins),
        ROW(cache_hits), ROW(cow_copies), ROW(cow_reuses), ROW(ad_faults), ROW(swap_ins), ROW(swap_outs),
        ROW(swap_cache_hits), ROW(writebacks), ROW(dropped), ROW(shootdowns), ROW(signals), ROW(oom_kills),
        ROW(replays), ROW(handler_cycles),
#undef ROW
    };
    char name[96];

    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        uint64_t v;
        memcpy(&v, (const char *)s + rows[i].off, sizeof v);
        snprintf(name, sizeof name, "%s%s", totals && i == 0 ? "" : prefix, rows[i].name);
        stats_u64(e, name, v);
    }
}

/*
 * What produced the record, for a study that reads it alone: version,
 * input, references, then every configuration key (numbers bare in JSON).
 */
static void report_provenance(stats_emitter_t *e, const report_t *r, uint64_t refs)
{
    char val[64];

    if (e->f == STATS_TABLE)
        return; /* the table is read by a person who typed the command */
    stats_str(e, "mmusim.version", MMUSIM_VERSION);
    stats_str(e, r->source_key, r->source);
    stats_u64(e, "references", refs);
    for (unsigned i = 0; i < config_key_count(); i++) {
        const char *name;
        if (config_key(r->cfg, i, &name, val, sizeof val))
            stats_u64(e, name, strtoull(val, NULL, 10));
        else
            stats_str(e, name, val);
    }
}

/* References behind mmu's counters: the driver's count, else requests that were not replays. */
static uint64_t report_refs(const report_t *r, const mmu_stats_t *s)
{
    return r->refs ? r->refs : s->requests - s->replays;
}

int report_print(const report_t *r, const os_t *os, const mmu_t *mmu, stats_format_t fmt, FILE *out)
{
    stats_emitter_t e;
    uint64_t refs = report_refs(r, mmu_stats(mmu));
    char prefix[32];

    if (stats_begin(&e, fmt, out)) {
        fprintf(stderr, "mmusim: out of memory\n");
        return 2;
    }
    report_provenance(&e, r, refs);
    stats_heading(&e, "operating system");
    report_os_rows(&e, "os.", os_stats(os));
    stats_u64(&e, "os.user_frames_used", os_user_frames_used(os));
    stats_u64(&e, "os.table_frames_used", os_table_frames_used(os));
    stats_u64(&e, "os.swap_slots_used", os_swap_slots_used(os));
    for (int pid = 1; pid <= 65535; pid++) {
        const os_stats_t *s = os_proc_stats(os, pid);
        if (!s)
            continue;
        snprintf(prefix, sizeof prefix, "pid%d", pid);
        stats_heading(&e, prefix);
        snprintf(prefix, sizeof prefix, "pid%d.", pid);
        report_os_rows(&e, prefix, s);
    }
    stats_mmu(&e, mmu, refs);
    stats_end(&e);
    return 0;
}

int report_print_interval(const report_t *r, uint64_t k, int header, const os_stats_t *os,
                          const mmu_stats_t *mmu, stats_format_t fmt, FILE *out)
{
    stats_emitter_t e;
    uint64_t refs = report_refs(r, mmu);
    char title[48];

    if (stats_begin(&e, fmt, out)) {
        fprintf(stderr, "mmusim: out of memory\n");
        return 2;
    }
    e.csv_header = header;
    e.csv_histogram = 0;
    snprintf(title, sizeof title, k ? "interval %" PRIu64 : "whole run", k);
    stats_heading(&e, title);
    stats_u64(&e, "interval", k);
    report_provenance(&e, r, refs);
    report_os_rows(&e, "os.", os);
    stats_counts(&e, mmu, r->cfg, refs);
    stats_end(&e);
    return 0;
}
