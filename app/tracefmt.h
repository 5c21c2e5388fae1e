/*
 * tracefmt.h - reading memory traces: valgrind lackey, Dinero IV din,
 * ChampSim and CloudSuite instruction traces, and mmusim's own binary mmt
 * (docs/traces.md describes every record layout).  One reader per format,
 * plain or compressed; the records come out as trace_ref_t whatever the format.
 */
#ifndef MMUSIM_TRACEFMT_H
#define MMUSIM_TRACEFMT_H

#include <stddef.h>
#include <stdint.h>

#include "xlate.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { TF_AUTO, TF_LACKEY, TF_DIN, TF_CHAMPSIM, TF_CLOUDSUITE, TF_MMT } trace_format_t;
/* TREF_ACCESS is 0: the access kind of mmu_ref_t. */
typedef enum { TREF_ACCESS, TREF_SFENCE } trace_kind_t;

/*
 * A record: the model's mmu_ref_t (model/xlate.h), so that runs of them go
 * to mmu_translate_refs as read.  size 1..4096 (an access may cross a
 * page); pid 1 unless the format carries a process id; acc an acc_t; kind
 * a trace_kind_t.
 */
typedef mmu_ref_t trace_ref_t;

typedef struct trace_in trace_in_t;

/* "lackey", "din", "champsim", "cloudsuite", "mmt", "auto" -> format; -1 otherwise. */
int trace_format_parse(const char *name, trace_format_t *f);
/* The name trace_format_parse accepts for f ("?" out of range). */
const char *trace_format_name(trace_format_t f);
/*
 * Opens path ("-" = standard input) in format fmt (TF_AUTO: guessed from the
 * content, after decompression).  Compressed input (gzip, xz, zstd, known by
 * its magic bytes) is read through `gzip -dc` / `xz -dc` / `zstd -dc`.
 * Returns a handle to pass to trace_close, or NULL after printing
 * "PATH: message" on stderr.
 */
trace_in_t *trace_open(const char *path, trace_format_t fmt);
/*
 * Reads up to n (>= 1) records into refs.  Returns the count (> 0), 0 at the
 * end of the trace, or -1 after printing "PATH:RECORD: message" on stderr
 * (RECORD: 1-based line for text formats, 1-based record for binary ones).
 * Records read before a malformed one are returned first.
 */
long trace_read(trace_in_t *t, trace_ref_t *refs, long n);
/* The RECORD (as in trace_read's messages) the last reference returned came from. */
uint64_t trace_record(const trace_in_t *t);
/* Records the whole trace holds when known without reading it (an mmt header; it counts
 * process switches too, so it is an estimate of references), else 0. */
uint64_t trace_total(const trace_in_t *t);
/* Fraction of the input consumed, 0..1 (of the compressed file for compressed input);
 * -1 when unknown (pipes). */
double trace_fraction(const trace_in_t *t);
/* The format being read (the guess for TF_AUTO). */
trace_format_t trace_in_format(const trace_in_t *t);
/*
 * Closes t and frees it.  Returns 0, or 2 after printing "PATH: ..." when the
 * decompressor failed.  early = 1 when the caller stops before the end (then
 * a decompressor killed by SIGPIPE is not an error).
 */
int trace_close(trace_in_t *t, int early);

#ifdef __cplusplus
}
#endif
#endif
