/*
 * trace.h - running memory traces through the OS and the MMU
 * (docs/traces.md: formats, options and how pages get mapped).
 */
#ifndef MMUSIM_TRACE_H
#define MMUSIM_TRACE_H

#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "os_hw.h"
#include "stats.h"
#include "tracefmt.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What `mmusim trace` takes besides the configuration. */
typedef struct {
    trace_format_t format;  /* TF_AUTO: guessed per file */
    uint64_t skip;          /* references read past, not simulated */
    uint64_t warmup;        /* then simulated, after which the statistics restart */
    uint64_t max_refs;      /* then at most this many counted; 0 = to the end */
    uint64_t interval;      /* a record of each interval of this many counted references; 0 = none */
    uint64_t quantum;       /* several traces: references of one before switching to the next */
    int cycle_level;        /* drive the cycle-level ports */
    stats_format_t fmt;
} trace_opts_t;

/* The defaults: auto format, no skip or warm-up, to the end, quantum 10000, table. */
void trace_opts_default(trace_opts_t *o);

/*
 * Runs the traces at paths[0..n) ("-" is standard input) under cfg, each
 * trace (and each process id within one) a process of its own with one
 * area over all of user space, and prints the statistics to out.  Returns
 * the exit status: 0, or 2 after printing "PATH:RECORD: message" for a
 * malformed trace or a reference that could not be served.
 */
int trace_run(char *const *paths, int n, const sim_config_t *cfg, const trace_opts_t *o, FILE *out);

/* trace_run on a machine the caller built (the RTL lockstep pair, say). */
int trace_run_on(char *const *paths, int n, const sim_config_t *cfg, const os_machine_t *mach,
                 const trace_opts_t *o, FILE *out);

#ifdef __cplusplus
}
#endif
#endif
