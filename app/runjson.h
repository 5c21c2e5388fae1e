/*
 * runjson.h - the run records behind `mmusim sweep` and `mmusim merge`
 * (docs/studies.md): runjson.c reads the JSON record of one run (what
 * `mmusim trace --stats json` prints); runtab.c gathers records into a
 * table and writes it as one CSV.
 *
 * A record is a flat JSON object of numbers and strings; a nested object
 * is a histogram of integer bucket -> count.  Nothing here knows a key in
 * advance: the table's columns are the union of the records' keys, first
 * seen first, and a histogram becomes one column per bucket of the union.
 * Values stay text: a number is its JSON token verbatim, so a CSV cell is
 * byte for byte what the run printed.
 */
#ifndef MMUSIM_RUNJSON_H
#define MMUSIM_RUNJSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One value of a record: a scalar's text, or a histogram's buckets. */
typedef struct {
    int present;        /* 0: the record lacks the key (an empty cell) */
    char *text;         /* scalar: number token, true/false, decoded string; NULL for null */
    int hist;           /* 1: a nested object of bucket -> count */
    uint64_t *bucket;   /* histogram: ascending, no repeats */
    char **count;       /* histogram: count token of each bucket */
    size_t n, cap;
} runval_t;

typedef struct {
    char *key;
    unsigned long line; /* where the key is, for messages */
    runval_t val;
} runfield_t;

/* A record: its fields in file order, keys distinct and never "run". */
typedef struct {
    runfield_t *field;
    size_t n;
} runrec_t;

/*
 * Reads the record in the file at path into r.  Returns 0, or -1 after
 * printing "path:line: message" with nothing left allocated.
 */
int runrec_read(const char *path, runrec_t *r);

/* Frees what r and its fields own (fields whose parts were moved out hold NULLs). */
void runrec_free(runrec_t *r);

void runval_free(runval_t *v);

/* Makes room in *array (n used of *cap elements of size bytes) for one more; 0 or -1. */
int run_grow(void *array, size_t *cap, size_t n, size_t size);

typedef struct runtab runtab_t;

/* An empty table; NULL when out of memory. */
runtab_t *runtab_new(void);

void runtab_free(runtab_t *t);

/*
 * Adds the record in the file at path as run number run.  Returns 0, or -1
 * after printing "path:line: message"; a malformed record (or a key that
 * is a value in one record and a histogram in another) adds nothing.
 */
int runtab_read(runtab_t *t, const char *path, unsigned long run);

/*
 * Writes the CSV: a header "run" and the columns, then one row per record
 * in run order (equal numbers in the order read).  A key a record lacks is
 * an empty cell; a bucket its histogram lacks is 0.  Strings are quoted
 * per RFC 4180 only when they hold a comma, a quote or a line break.
 * Returns 0, or -1 when out of memory.
 */
int runtab_write_csv(runtab_t *t, FILE *f);

#ifdef __cplusplus
}
#endif
#endif
