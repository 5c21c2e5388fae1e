/*
 * report.h - the statistics record of a run: what produced it (mmusim's
 * version, the input, the references counted, every configuration key),
 * the OS's counters and the MMU's (docs/stats.md).
 */
#ifndef MMUSIM_REPORT_H
#define MMUSIM_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "os.h"
#include "stats.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The provenance of a record. */
typedef struct {
    const char *source_key;  /* "trace" or "workload": the name of the input's row */
    const char *source;      /* the input's file name(s) */
    uint64_t refs;           /* references behind the statistics; 0: requests minus replays */
    const sim_config_t *cfg;
} report_t;

/*
 * Prints one record in fmt: provenance (JSON and CSV only), the OS totals
 * (page_faults first), per process (pidN.*), then the MMU's.  Returns 0,
 * or 2 after a message when the host is out of memory.
 */
int report_print(const report_t *r, const os_t *os, const mmu_t *mmu, stats_format_t fmt, FILE *out);

/*
 * Prints the record of interval number k (1, 2, ...; 0: the whole run)
 * from counters (an interval's differences): the rows of report_print but
 * the per-process ones and, in CSV, the histogram columns, so that every
 * interval's row has the same columns (CSV: the header line only when
 * header is set).  Returns as report_print.
 */
int report_print_interval(const report_t *r, uint64_t k, int header, const os_stats_t *os,
                          const mmu_stats_t *mmu, stats_format_t fmt, FILE *out);

#ifdef __cplusplus
}
#endif
#endif
