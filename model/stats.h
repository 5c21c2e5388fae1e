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

typedef enum { STATS_TABLE, STATS_JSON, STATS_CSV } stats_format_t;

/* Parses "table", "json" or "csv"; -1 otherwise. */
int stats_parse_format(const char *s, stats_format_t *f);

/* Prints the statistics of m (with the configuration's structure names) in format f. */
void stats_print(const mmu_t *m, stats_format_t f, FILE *out);

#ifdef __cplusplus
}
#endif
#endif
