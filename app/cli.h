/*
 * cli.h - the command line shared by mmusim and mmusim-sc: one table of
 * options and commands, their parsing and their help text.  Exit status
 * convention: 0 success, 1 a check failed, 2 bad input or usage.
 */
#ifndef MMUSIM_CLI_H
#define MMUSIM_CLI_H

#include <stdio.h>

#include "config.h"
#include "stats.h"
#include "sweep.h"
#include "trace.h"
#include "workload.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MAX_WORDS 256 /* --set, --vary, --trace and pass-through words per command line */

/* Everything the options of one command line set. */
typedef struct {
    sim_config_t cfg;
    stats_format_t stats;
    trace_opts_t trace;
    int cycle_level;
    int keys;
    int rtl_params;
    int refs;
    int check;
    const char *to;         /* convert: output format */
    char set_keys[64][64];  /* keys given with --set: they override a workload's set lines */
    int nset_keys;
    sweep_opts_t sweep;
    char *traces[MAX_WORDS], *vary[MAX_WORDS], *pass[MAX_WORDS];
} cli_opts_t;

/*
 * Parses the command line of program prog, which takes the commands named
 * in takes (space-separated; NULL: every command): argv[1] is the command,
 * the rest its options and arguments.  On success returns the number of
 * positional arguments, moved to the front of *args (argv + 2), with *cmd
 * the command.  -1 after printing a usage error (exit 2), -2 after printing
 * help (exit 0).
 */
int cli_parse(const char *prog, const char *takes, int argc, char **argv, cli_opts_t *o, const char **cmd,
              char ***args);

/* Appends word to list (of MAX_WORDS, count *n); -1 after a message when it is full. */
int cli_push_word(char **list, int *n, char *word);

/*
 * `run FILE`: parses the workload (or page-reference string with --refs)
 * at path into w and resolves its configuration into cfg: o's, then the
 * workload's `set` lines except keys given with --set.  0, or 2 after
 * printing "path:line: message" (w is then freed).
 */
int cli_load_workload(const char *path, const cli_opts_t *o, workload_t *w, sim_config_t *cfg);

#ifdef __cplusplus
}
#endif
#endif
