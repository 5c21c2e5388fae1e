/*
 * stats.h - the MMU statistics as named rows, printed as a table, JSON or
 * CSV.  docs/stats.md describes every name.
 */
#ifndef MMUSIM_STATS_H
#define MMUSIM_STATS_H

#include <stdio.h>

#include "mmu.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { STATS_TABLE, STATS_JSON, STATS_CSV, STATS_NONE } stats_format_t;

/* Parses "table", "json", "csv" or "none"; -1 otherwise. */
int stats_parse_format(const char *s, stats_format_t *f);

/* Prints the statistics of m (with the configuration's structure names) in format f. */
void stats_print(const mmu_t *m, stats_format_t f, FILE *out);

/*
 * Building blocks for commands that add their own rows (mmusim run): a
 * document is begin, rows and headings (stats_mmu adds m's), end.
 */
typedef struct {
    stats_format_t f;
    FILE *out;
    int first;
} stats_emitter_t;

void stats_begin(stats_emitter_t *e, stats_format_t f, FILE *out);
void stats_u64(stats_emitter_t *e, const char *name, uint64_t v);
void stats_real(stats_emitter_t *e, const char *name, double v);
void stats_heading(stats_emitter_t *e, const char *title);
void stats_mmu(stats_emitter_t *e, const mmu_t *m);
void stats_end(stats_emitter_t *e);

#ifdef __cplusplus
}
#endif
#endif
