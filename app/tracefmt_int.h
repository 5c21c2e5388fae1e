/*
 * tracefmt_int.h - what the trace readers (tracefmt*.c) and the converter
 * share behind tracefmt.h: the input handle, its buffer, the per-format
 * decoders and the child-process helper.  Not for other front ends.
 */
#ifndef MMUSIM_TRACEFMT_INT_H
#define MMUSIM_TRACEFMT_INT_H

#include <stdint.h>
#include <sys/types.h>

#include "tracefmt.h"

/* Input buffer: large enough that read(2) costs little per record. */
#define TF_BUF (1u << 20)
/* Most references one record yields: a CloudSuite fetch, 4 loads and 4 stores. */
#define TF_PEND 9
/* An mmt header: magic, version, flags, record count, reserved. */
#define TF_MMT_MAGIC "MMUTRACE"
#define TF_MMT_HEADER 32
#define TF_MMT_VERSION 1
#define TF_MMT_UNKNOWN UINT64_MAX

struct trace_in {
    char *path;
    trace_format_t fmt;
    int fd;           /* what the decoders read: the file, or a decompressor's output */
    int own_fd;       /* 1: fd is ours to close (not standard input) */
    int src_fd;       /* the compressed file the decompressor reads (shared offset), else -1 */
    const char *tool; /* "gzip -dc"... for messages, NULL when not compressed */
    pid_t child[2];   /* decompressor, feeder (compressed standard input); 0 when none */
    uint8_t *buf;     /* TF_BUF + 1 bytes: a '\n' sentinel always follows the data */
    size_t pos, end;  /* unconsumed data is buf[pos..end) */
    int eof;          /* read(2) returned 0: what is buffered is all there is */
    uint64_t start;   /* offset of the trace in a regular file */
    uint64_t fsize;   /* size of a regular file, 0 when not one */
    uint64_t rec;     /* lines or records consumed */
    uint64_t last;    /* record of the last reference returned */
    uint64_t total;   /* mmt header count, TF_MMT_UNKNOWN when it did not say */
    uint32_t pid;     /* the current process of an mmt trace */
    trace_ref_t pend[TF_PEND]; /* references of a record that did not fit the caller's array */
    int npend, ipend;
    uint64_t pend_rec;
    int failed;       /* 1: err holds the message, printed by the next trace_read */
    char err[512];
};

/*
 * A decoder turns buffered data into at most n references and returns their
 * count.  It stops early when the buffer holds no complete record (unless
 * t->eof: then it consumes everything or fails) or after tf_fail.
 */
long tf_read_lackey(trace_in_t *t, trace_ref_t *r, long n);
long tf_read_din(trace_in_t *t, trace_ref_t *r, long n);
long tf_read_champsim(trace_in_t *t, trace_ref_t *r, long n);
long tf_read_cloudsuite(trace_in_t *t, trace_ref_t *r, long n);
long tf_read_mmt(trace_in_t *t, trace_ref_t *r, long n);
/* Checks and consumes the mmt header at buf[pos].  Returns 0, or -1 after printing "PATH: ...". */
int tf_mmt_header(trace_in_t *t);

/* Records "PATH:REC: message" as t's error (printed by trace_read). */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
void tf_fail(trace_in_t *t, uint64_t rec, const char *fmt, ...);
/*
 * Moves the unconsumed data to the front and reads more after it.  Returns
 * 0 (t->eof set when the input ended), or -1 after tf_fail on a read error.
 */
int tf_fill(trace_in_t *t);

/*
 * Starts argv[0] (looked up in PATH) with in_fd as its standard input and
 * out_fd as its standard output, SIGPIPE at its default.  Returns its pid,
 * or -1 with errno set (a program that cannot be run included).
 */
pid_t tf_spawn(const char *const argv[], int in_fd, int out_fd);
/*
 * Waits for pid.  Returns 0 when it exited 0 (or, with early, was killed by
 * SIGPIPE), else -1 after printing "PATH: TOOL failed (...)".
 */
int tf_reap(pid_t pid, const char *path, const char *tool, int early);

/* The little-endian 64-bit value at p (one load on x86-64). */
static inline uint64_t tf_le64(const uint8_t *p)
{
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
           (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

/* Stores v little-endian at p[0..8). */
static inline void tf_put_le64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

#endif
