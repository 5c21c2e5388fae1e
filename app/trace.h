/*
 * trace.h - running a valgrind lackey trace through the MMU (docs/traces.md).
 */
#ifndef MMUSIM_TRACE_H
#define MMUSIM_TRACE_H

#include <stdio.h>

#include <stdint.h>

#include "config.h"
#include "os_hw.h"
#include "stats.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Runs the trace at path (plain, or gzip-compressed when it ends in .gz)
 * under cfg, mapping pages on first touch, and prints the statistics in
 * fmt to out.  Returns the exit status: 0, or 2 after printing
 * "path:line: message" for a malformed trace or exhausted DRAM.
 */
int trace_run(const char *path, const sim_config_t *cfg, int cycle_level, stats_format_t fmt, FILE *out);
/*
 * trace_run on a machine the caller built (the RTL lockstep pair, say),
 * stopping after max_refs references.
 */
int trace_run_on(const char *path, const sim_config_t *cfg, const os_machine_t *mach, uint64_t max_refs,
                 stats_format_t fmt, FILE *out);

#ifdef __cplusplus
}
#endif
#endif
