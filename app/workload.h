/*
 * workload.h - `mmusim run`: workload files and page-reference strings
 * (docs/workload.md), parsed whole before anything runs, then executed
 * on the OS over the golden model.
 */
#ifndef MMUSIM_WORKLOAD_H
#define MMUSIM_WORKLOAD_H

#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "os.h"
#include "os_hw.h"
#include "stats.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    W_FILE, W_SPAWN, W_EXECVE, W_FORK, W_EXIT, W_SWITCH, W_MMAP, W_MUNMAP, W_MPROTECT, W_MSYNC,
    W_BRK, W_LOAD, W_FETCH, W_STORE, W_PUT, W_WRITE, W_PRINT, W_COUNT
} wl_op_t;

/* An address operand: name index (-1: none) plus offset, and the token as written. */
typedef struct {
    int name;
    uint64_t off;
    char *tok;
} wl_addr_t;

typedef struct {
    wl_op_t op;
    unsigned line;
    int pid, pid2;
    wl_addr_t addr;
    uint64_t len, value, offset;
    char *len_tok;          /* load/fetch SIZE as written */
    int prot, flags;
    char *name;             /* file name or execve path */
    uint8_t *data;          /* file contents, put text */
    uint64_t dlen;
    int bind;               /* name index bound by `as`, -1 none */
} wl_cmd_t;

typedef struct {
    wl_cmd_t *cmds;
    size_t n, cap;
    char **names;           /* names bound by `as` */
    int nnames;
    uint64_t *refs;         /* --refs: the page numbers */
    size_t nrefs, refcap;
    struct wl_set { char *key, *value; unsigned line; } *sets; /* `set KEY VALUE` lines */
    size_t nsets;
} workload_t;

/* Parses workload file path into w.  0, or 2 after printing "path:line: message". */
int wl_parse(const char *path, workload_t *w);
/* Parses a page-reference string file.  0, or 2 after printing "path:line: message". */
int wl_parse_refs(const char *path, workload_t *w);
void wl_free(workload_t *w);

/*
 * Applies the workload's `set` lines to cfg, except keys in skip[0..nskip)
 * (given on the command line, which wins), and validates the result.
 * 0, or 2 after printing "path:line: message".
 */
int wl_configure(const workload_t *w, const char *path, const char *const *skip, int nskip, sim_config_t *cfg);

/*
 * Runs w (parsed from path) on cfg, output on out, then the statistics in
 * fmt; check: os_check after every command.  Exit status: 0; 1 when an
 * invariant broke; 2 on bad input found while running (an execve of a
 * non-ELF file, a reference string that does not fit).
 */
int wl_run(const workload_t *w, const sim_config_t *cfg, int cycle_level, int check, stats_format_t fmt,
           const char *path, FILE *out);
/* wl_run on a machine the caller built (the RTL lockstep pair, say). */
int wl_run_on(const workload_t *w, const sim_config_t *cfg, const os_machine_t *mach, int check,
              stats_format_t fmt, const char *path, FILE *out);

#ifdef __cplusplus
}
#endif
#endif
