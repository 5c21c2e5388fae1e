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

/*
 * Prints the statistics of m (with the configuration's structure names) in
 * format f; refs is the number of references behind them, for the per-
 * thousand rows (0: the requests that were not replays).
 */
void stats_print(const mmu_t *m, uint64_t refs, stats_format_t f, FILE *out);

/*
 * Building blocks for commands that add their own rows (mmusim run): a
 * document is begin, rows and headings (stats_mmu adds m's), end.  CSV is
 * one wide record: a header line of the row names and a line of values,
 * written by stats_end (rows are kept until then).
 */
typedef struct {
    stats_format_t f;
    FILE *out;
    int first;
    int csv_header;               /* CSV: write the names line (stats_begin sets it) */
    int csv_histogram;            /* CSV: histogram columns (stats_begin sets it) */
    FILE *csv_names, *csv_values; /* CSV: the two lines being built */
    char *csv_nbuf, *csv_vbuf;
    size_t csv_nlen, csv_vlen;
} stats_emitter_t;

/* Starts a document; 0, or -1 when the host is out of memory (CSV buffers). */
int stats_begin(stats_emitter_t *e, stats_format_t f, FILE *out);
void stats_u64(stats_emitter_t *e, const char *name, uint64_t v);
void stats_real(stats_emitter_t *e, const char *name, double v);
/* A string row (provenance: the trace's name, a configuration value); JSON and CSV only. */
void stats_str(stats_emitter_t *e, const char *name, const char *v);
/*
 * num / den as a rate (0 when den is 0).  The table rounds it to four
 * places but never to 1.0000 unless num == den, nor to 0.0000 unless num is 0.
 */
void stats_rate(stats_emitter_t *e, const char *name, uint64_t num, uint64_t den);
void stats_heading(stats_emitter_t *e, const char *title);
void stats_mmu(stats_emitter_t *e, const mmu_t *m, uint64_t refs);
/* stats_mmu on a block of counters (an interval's differences, say) of a configuration. */
void stats_counts(stats_emitter_t *e, const mmu_stats_t *s, const sim_config_t *cfg, uint64_t refs);
/* Writes s as one CSV field: quoted (RFC 4180, quotes doubled) only when it holds a comma, quote or line break. */
void stats_csv_field(FILE *f, const char *s);

/* Ends the document (closes the JSON object, writes the two CSV lines, frees). */
void stats_end(stats_emitter_t *e);

#ifdef __cplusplus
}
#endif
#endif
