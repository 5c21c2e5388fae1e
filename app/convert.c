/*
 * convert.c - `mmusim convert IN OUT`: reads any trace format through
 * tracefmt.h and writes din, lackey or mmt, optionally compressed.
 *
 * A reference the target format cannot hold (an sfence in lackey, a second
 * process in din, an address mmt cannot encode) stops the conversion with
 * the input record it came from: a converted trace is never silently
 * different from its source.
 */
#define _POSIX_C_SOURCE 200809L
#include "convert.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tracefmt_int.h"
#include "xlate.h"

#define TW_BUF (1u << 20)
/* Longest line or record one reference writes (a lackey line: 3 + 16 + 1 + 4 + 1). */
#define TW_MAX 64

typedef struct {
    const char *in, *out;
    trace_format_t fmt;
    int fd, own;     /* own: OUT is a file this converter created (removed on failure) */
    pid_t child;     /* the compressor, 0 when none */
    const char *tool;
    int fill_count;  /* mmt into a regular file: the header's count is written at the end */
    off_t header_at;
    uint64_t nrec;   /* mmt records written */
    uint32_t pid;    /* the process of the last mmt record */
    size_t len;
    uint8_t buf[TW_BUF + TW_MAX];
} tw_t;

static tw_t tw_writer; /* 1 MiB: not on the stack; trace_convert is not reentrant */

/*
 * The format and compressor named by OUT's suffixes (NAME.FMT[.gz|.zst]).
 * Returns the format (TF_AUTO when the name says none) and sets *tool.
 */
static trace_format_t tw_name_format(const char *out, const char **tool)
{
    static const char *const exts[] = {".din", ".lackey", ".mmt"};
    static const trace_format_t fmts[] = {TF_DIN, TF_LACKEY, TF_MMT};
    size_t len = strlen(out);

    *tool = NULL;
    if (len > 3 && !strcmp(out + len - 3, ".gz")) {
        *tool = "gzip";
        len -= 3;
    } else if (len > 4 && !strcmp(out + len - 4, ".zst")) {
        *tool = "zstd";
        len -= 4;
    }
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        size_t e = strlen(exts[i]);
        if (len > e && !strncmp(out + len - e, exts[i], e))
            return fmts[i];
    }
    return TF_AUTO;
}

/* Writes the buffer out.  Returns 0, or -1 after a message. */
static int tw_flush(tw_t *w)
{
    size_t done = 0;

    while (done < w->len) {
        ssize_t put = write(w->fd, w->buf + done, w->len - done);
        if (put < 0 && errno == EINTR)
            continue;
        if (put < 0) {
            fprintf(stderr, "%s: write error: %s\n", w->out, strerror(errno));
            return -1;
        }
        done += (size_t)put;
    }
    w->len = 0;
    return 0;
}

/* Appends v in lower-case hex, at least `width` digits.  Returns the new end. */
static uint8_t *tw_hex(uint8_t *p, uint64_t v, int width)
{
    static const char digits[] = "0123456789abcdef";
    int n = 1;

    while (n < 16 && v >> (4 * n))
        n++;
    if (n < width)
        n = width;
    for (int i = n - 1; i >= 0; i--)
        *p++ = (uint8_t)digits[(v >> (4 * i)) & 15];
    return p;
}

/* Appends v in decimal.  Returns the new end. */
static uint8_t *tw_dec(uint8_t *p, uint32_t v)
{
    uint8_t tmp[10];
    int n = 0;

    do
        tmp[n++] = (uint8_t)('0' + v % 10);
    while (v /= 10);
    while (n)
        *p++ = tmp[--n];
    return p;
}

/* Appends one 8-byte mmt record (the caller flushes). */
static void tw_mmt_record(tw_t *w, uint64_t x)
{
    tf_put_le64(w->buf + w->len, x);
    w->len += 8;
    w->nrec++;
}

/* 1 when va is its own sign extension from bit 47, as mmt stores it. */
static int tw_mmt_fits(uint64_t va)
{
    return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}

/*
 * Appends one reference in w's format; rec is the input record it came from.
 * Returns 0, or -1 after "IN:REC: FORMAT cannot express ...".
 */
static int tw_put(tw_t *w, const trace_ref_t *r, uint64_t rec)
{
    static const char *const lackey_kind[] = {" L ", " S ", "I  "};
    const char *name = trace_format_name(w->fmt);
    uint8_t *p = w->buf + w->len;

    if (w->fmt != TF_MMT && r->pid != 1) {
        fprintf(stderr, "%s:%llu: %s cannot express process %u (only process 1)\n", w->in,
                (unsigned long long)rec, name, r->pid);
        return -1;
    }
    switch (w->fmt) {
    case TF_DIN:
        /* Dinero reads every record as the 4 bytes at addr & ~3 */
        if (r->kind == TREF_ACCESS && ((r->va ^ (r->va + r->size - 1)) >> PAGE_SHIFT)) {
            fprintf(stderr, "%s:%llu: din cannot express an access that crosses a page (0x%llx, %u bytes)\n",
                    w->in, (unsigned long long)rec, (unsigned long long)r->va, r->size);
            return -1;
        }
        *p++ = (uint8_t)(r->kind == TREF_SFENCE ? '5' : '0' + r->acc);
        *p++ = ' ';
        p = tw_hex(p, r->va, 1);
        *p++ = '\n';
        break;
    case TF_LACKEY:
        if (r->kind == TREF_SFENCE) {
            fprintf(stderr, "%s:%llu: lackey cannot express an sfence\n", w->in, (unsigned long long)rec);
            return -1;
        }
        memcpy(p, lackey_kind[r->acc], 3);
        p = tw_hex(p + 3, r->va, 8); /* valgrind's %08lx */
        *p++ = ',';
        p = tw_dec(p, r->size);
        *p++ = '\n';
        break;
    default:
        if (!tw_mmt_fits(r->va)) {
            fprintf(stderr, "%s:%llu: mmt cannot express address 0x%llx (not sign-extended from bit 47)\n", w->in,
                    (unsigned long long)rec, (unsigned long long)r->va);
            return -1;
        }
        if (r->pid != w->pid) {
            tw_mmt_record(w, 1ULL << 63 | r->pid);
            w->pid = r->pid;
        }
        if (r->kind == TREF_SFENCE)
            tw_mmt_record(w, 0x81ULL << 56 | (r->va & 0xffffffffffffULL));
        else
            tw_mmt_record(w, (uint64_t)(r->size - 1) << 50 | (uint64_t)r->acc << 48 | (r->va & 0xffffffffffffULL));
        return w->len >= TW_BUF ? tw_flush(w) : 0;
    }
    w->len = (size_t)(p - w->buf);
    return w->len >= TW_BUF ? tw_flush(w) : 0;
}

/*
 * Opens OUT ("-": standard output) behind the compressor its name asks for
 * and starts an mmt header.  Returns 0, or -1 after a message.
 */
static int tw_open(tw_t *w, const char *tool)
{
    static const char *const gz[] = {"gzip", "-c", NULL}, *const zst[] = {"zstd", "-q", "-c", NULL};
    struct stat st;
    int p[2];

    if (!strcmp(w->out, "-")) {
        w->fd = 1;
    } else if ((w->fd = open(w->out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666)) < 0) {
        fprintf(stderr, "%s: cannot create: %s\n", w->out, strerror(errno));
        return -1;
    } else {
        w->own = 1;
    }
    if (tool) {
        if (pipe(p)) {
            fprintf(stderr, "%s: %s\n", w->out, strerror(errno));
            return -1;
        }
        fcntl(p[0], F_SETFD, FD_CLOEXEC);
        fcntl(p[1], F_SETFD, FD_CLOEXEC);
        w->tool = tool;
        w->child = tf_spawn(!strcmp(tool, "gzip") ? gz : zst, p[0], w->fd);
        close(p[0]);
        if (w->child < 0) {
            fprintf(stderr, "%s: cannot run %s: %s\n", w->out, tool, strerror(errno));
            w->child = 0;
            close(p[1]);
            return -1;
        }
        if (w->own)
            close(w->fd); /* the compressor holds it now */
        w->fd = p[1];
    } else if (w->fmt == TF_MMT && !fstat(w->fd, &st) && S_ISREG(st.st_mode) &&
               !(fcntl(w->fd, F_GETFL) & O_APPEND)) {
        w->header_at = lseek(w->fd, 0, SEEK_CUR);
        w->fill_count = w->header_at >= 0;
    }
    if (w->fmt == TF_MMT) {
        memcpy(w->buf, TF_MMT_MAGIC, 8);
        tf_put_le64(w->buf + 8, TF_MMT_VERSION);
        tf_put_le64(w->buf + 16, TF_MMT_UNKNOWN);
        tf_put_le64(w->buf + 24, 0);
        w->len = TF_MMT_HEADER;
    }
    return 0;
}

/*
 * Flushes, fills in an mmt header's count, closes OUT and waits for the
 * compressor.  Returns 0, or -1 after a message.
 */
static int tw_close(tw_t *w, int failed)
{
    int rc = failed ? -1 : tw_flush(w);

    if (!rc && w->fill_count) {
        uint8_t n[8];
        tf_put_le64(n, w->nrec);
        if (pwrite(w->fd, n, 8, w->header_at + 16) != 8) {
            fprintf(stderr, "%s: write error: %s\n", w->out, strerror(errno));
            rc = -1;
        }
    }
    if (w->own || w->child)
        close(w->fd);
    if (w->child && tf_reap(w->child, w->out, w->tool, failed))
        rc = -1;
    if (rc && w->own)
        unlink(w->out);
    return rc;
}

int trace_convert(const char *in, trace_format_t in_fmt, const char *out, trace_format_t out_fmt)
{
    tw_t *w = &tw_writer;
    trace_in_t *t = NULL;
    trace_ref_t r;
    const char *tool;
    trace_format_t named = tw_name_format(out, &tool);
    long got = 0;
    int rc = 2, opened = 0;

    if (out_fmt == TF_AUTO)
        out_fmt = named;
    if (!strcmp(out, "-"))
        tool = NULL;
    if (out_fmt == TF_AUTO) {
        fprintf(stderr, "%s: cannot tell the output format from the name (.din, .lackey, .mmt; or --to FORMAT)\n",
                out);
        return 2;
    }
    if (out_fmt == TF_CHAMPSIM || out_fmt == TF_CLOUDSUITE) {
        fprintf(stderr, "%s: %s is an input format only (write din, lackey or mmt)\n", out,
                trace_format_name(out_fmt));
        return 2;
    }
    memset(w, 0, offsetof(tw_t, buf));
    w->in = in;
    w->out = out;
    w->fmt = out_fmt;
    w->fd = -1;
    w->pid = 1;
    if (!(t = trace_open(in, in_fmt)))
        return 2;
    if (tw_open(w, tool))
        goto done;
    opened = 1;
    /* one reference per call, so that trace_record names the record of each */
    while ((got = trace_read(t, &r, 1)) > 0)
        if (tw_put(w, &r, trace_record(t)))
            goto done;
    if (got == 0)
        rc = 0;
done:
    if (trace_close(t, rc != 0))
        rc = 2;
    if (opened && tw_close(w, rc != 0))
        rc = 2;
    else if (!opened && w->own) {
        close(w->fd);
        unlink(out);
    }
    return rc;
}
