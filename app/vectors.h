/*
 * vectors.h - the directed test-vector runner (docs/vectors.md).
 */
#ifndef MMUSIM_VECTORS_H
#define MMUSIM_VECTORS_H

#include <stdio.h>

#include "config.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Runs the vector file path under cfg (functional path, or the cycle-level
 * ports when cycle_level), printing results to out and mismatches and
 * errors to stderr.  Returns the exit status: 0 all checks passed, 1 some
 * failed, 2 the file is malformed or unreadable.
 */
int vectors_run(const char *path, const sim_config_t *cfg, int cycle_level, FILE *out);

#ifdef __cplusplus
}
#endif
#endif
