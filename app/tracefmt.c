/*
 * tracefmt.c - opening a trace: decompression, format guessing, the input
 * buffer and the dispatch to one decoder per format (tracefmt_text.c for
 * lackey and din, tracefmt_bin.c for ChampSim, CloudSuite and mmt).
 *
 * The reader is the simulator's hot loop, so data arrives by read(2) into a
 * 1 MiB buffer and the decoders parse it in place; nothing is allocated or
 * formatted per record.
 */
#define _POSIX_C_SOURCE 200809L
#include "tracefmt_int.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const tf_names[] = {"auto", "lackey", "din", "champsim", "cloudsuite", "mmt"};

int trace_format_parse(const char *name, trace_format_t *f)
{
    for (int i = 0; i < (int)(sizeof tf_names / sizeof tf_names[0]); i++)
        if (!strcmp(name, tf_names[i])) {
            *f = (trace_format_t)i;
            return 0;
        }
    return -1;
}

const char *trace_format_name(trace_format_t f)
{
    return (unsigned)f < sizeof tf_names / sizeof tf_names[0] ? tf_names[f] : "?";
}

void tf_fail(trace_in_t *t, uint64_t rec, const char *fmt, ...)
{
    va_list ap;
    int len;

    if (t->failed)
        return;
    len = snprintf(t->err, sizeof t->err, "%s:%llu: ", t->path, (unsigned long long)rec);
    if (len < 0 || (size_t)len >= sizeof t->err)
        len = 0;
    va_start(ap, fmt);
    vsnprintf(t->err + len, sizeof t->err - (size_t)len, fmt, ap);
    va_end(ap);
    t->failed = 1;
}

int tf_fill(trace_in_t *t)
{
    ssize_t got;

    if (t->end - t->pos == TF_BUF) {
        tf_fail(t, t->rec + 1, "line longer than %u bytes", TF_BUF);
        return -1;
    }
    if (t->pos) {
        memmove(t->buf, t->buf + t->pos, t->end - t->pos);
        t->end -= t->pos;
        t->pos = 0;
    }
    do
        got = read(t->fd, t->buf + t->end, TF_BUF - t->end);
    while (got < 0 && errno == EINTR);
    if (got < 0) {
        tf_fail(t, t->rec + 1, "read error: %s", strerror(errno));
        return -1;
    }
    if (got == 0)
        t->eof = 1;
    t->end += (size_t)got;
    t->buf[t->end] = '\n';
    return 0;
}

/* Sets FD_CLOEXEC on both ends of a new pipe, so no other child inherits them. */
static int tf_pipe(int p[2])
{
    if (pipe(p))
        return -1;
    fcntl(p[0], F_SETFD, FD_CLOEXEC);
    fcntl(p[1], F_SETFD, FD_CLOEXEC);
    return 0;
}

pid_t tf_spawn(const char *const argv[], int in_fd, int out_fd)
{
    int status[2], err = 0;
    pid_t pid;
    ssize_t got;

    /* exec failures come back through a close-on-exec pipe: empty means the exec worked */
    if (tf_pipe(status))
        return -1;
    pid = fork();
    if (pid == 0) {
        signal(SIGPIPE, SIG_DFL);
        if (dup2(in_fd, 0) >= 0 && dup2(out_fd, 1) >= 0)
            execvp(argv[0], (char *const *)argv);
        err = errno;
        if (write(status[1], &err, sizeof err) < 0)
            _exit(127);
        _exit(127);
    }
    close(status[1]);
    if (pid < 0) {
        close(status[0]);
        return -1;
    }
    do
        got = read(status[0], &err, sizeof err);
    while (got < 0 && errno == EINTR);
    close(status[0]);
    if (got > 0) {
        waitpid(pid, NULL, 0);
        errno = err;
        return -1;
    }
    return pid;
}

int tf_reap(pid_t pid, const char *path, const char *tool, int early)
{
    int st;

    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) {
            fprintf(stderr, "%s: %s: %s\n", path, tool, strerror(errno));
            return -1;
        }
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
        return 0;
    if (early && WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE)
        return 0;
    if (WIFEXITED(st))
        fprintf(stderr, "%s: %s failed (exit status %d)\n", path, tool, WEXITSTATUS(st));
    else
        fprintf(stderr, "%s: %s failed (signal %d)\n", path, tool, WTERMSIG(st));
    return -1;
}

/* The decompressor for data starting with p[0..n), from its magic bytes; NULL when plain. */
static const char *tf_compressor(const uint8_t *p, size_t n)
{
    if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
        return "gzip";
    if (n >= 6 && !memcmp(p, "\xfd" "7zXZ\0", 6))
        return "xz";
    if (n >= 4 && !memcmp(p, "\x28\xb5\x2f\xfd", 4))
        return "zstd";
    return NULL;
}

/*
 * Child: writes the bytes already read from standard input, then copies the
 * rest of it, into out (the decompressor's input).  Never returns.
 */
static void tf_feed(const uint8_t *p, size_t n, int in, int out)
{
    static uint8_t chunk[65536];
    ssize_t got;

    signal(SIGPIPE, SIG_DFL);
    for (;;) {
        while (n) {
            ssize_t put = write(out, p, n);
            if (put < 0 && errno == EINTR)
                continue;
            if (put <= 0)
                _exit(1);
            p += put;
            n -= (size_t)put;
        }
        got = read(in, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            _exit(1);
        if (got == 0)
            _exit(0);
        p = chunk;
        n = (size_t)got;
    }
}

/*
 * Puts t's input behind `TOOL -dc`: a regular file is handed to it directly
 * (rewound; its offset then measures progress), a pipe through a feeder child
 * that first replays the bytes already read.  Returns 0, or -1 after a message.
 */
static int tf_decompress(trace_in_t *t, const char *tool, int seekable)
{
    static const char *const tools[][2] = {{"gzip", "gzip -dc"}, {"xz", "xz -dc"}, {"zstd", "zstd -dc"}};
    const char *argv[] = {tool, "-dc", NULL};
    int out[2], feed[2] = {-1, -1}, in = t->fd;

    for (size_t i = 0; i < sizeof tools / sizeof tools[0]; i++)
        if (!strcmp(tools[i][0], tool))
            t->tool = tools[i][1];
    if (tf_pipe(out))
        goto fail;
    if (seekable) {
        if (lseek(t->fd, (off_t)t->start, SEEK_SET) < 0)
            goto fail_out;
    } else {
        if (tf_pipe(feed))
            goto fail_out;
        t->child[1] = fork();
        if (t->child[1] == 0) {
            close(feed[0]);
            close(out[0]);
            close(out[1]);
            tf_feed(t->buf, t->end, t->fd, feed[1]);
        }
        close(feed[1]);
        if (t->child[1] < 0)
            goto fail_feed;
        in = feed[0];
    }
    t->child[0] = tf_spawn(argv, in, out[1]);
    if (t->child[0] < 0)
        goto fail_feed;
    close(out[1]);
    if (feed[0] >= 0)
        close(feed[0]);
    if (seekable)
        t->src_fd = t->fd;
    else if (t->own_fd)
        close(t->fd);
    t->fd = out[0];
    t->own_fd = 1;
    t->pos = t->end = 0;
    t->eof = 0;
    return 0;

fail_feed:
    fprintf(stderr, "%s: cannot run %s: %s\n", t->path, t->tool, strerror(errno));
    if (feed[0] >= 0)
        close(feed[0]);
    close(out[0]);
    close(out[1]);
    return -1;
fail_out:
    close(out[0]);
    close(out[1]);
fail:
    fprintf(stderr, "%s: %s\n", t->path, strerror(errno));
    return -1;
}

/* Reads until n bytes are buffered or the input ends.  Returns 0, or -1 after a message. */
static int tf_fill_to(trace_in_t *t, size_t n)
{
    while (t->end - t->pos < n && !t->eof)
        if (tf_fill(t)) {
            fprintf(stderr, "%s\n", t->err);
            return -1;
        }
    return 0;
}

/* 1 when c can appear in a text trace line. */
static int tf_is_text(uint8_t c)
{
    return (c >= 0x20 && c < 0x7f) || c == '\t' || c == '\r';
}

/* 1 when c is a hex digit. */
static int tf_is_hex(uint8_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/*
 * The format of a trace that starts with p[0..n): "MMUTRACE" is mmt; text
 * is judged on its first line that is not a "==" or "#" comment or empty
 * (lackey "K ADDR,SIZE", din "HEX HEX"; other text is taken as lackey so that
 * its reader names the bad line); anything else is a ChampSim binary, or
 * CloudSuite when the file name says so.
 */
static trace_format_t tf_guess(const uint8_t *p, size_t n, const char *path)
{
    size_t i = 0, j;

    if (n >= 8 && !memcmp(p, TF_MMT_MAGIC, 8))
        return TF_MMT;
    while (i < n) {
        for (j = i; j < n && p[j] != '\n'; j++)
            if (!tf_is_text(p[j]))
                return strstr(path, "cloudsuite") ? TF_CLOUDSUITE : TF_CHAMPSIM;
        if (j == i || p[i] == '#' || p[i] == '\r' || (j - i >= 2 && p[i] == '=' && p[i + 1] == '=')) {
            i = j + 1;
            continue;
        }
        while (i < j && p[i] == ' ')
            i++;
        if (i + 2 < j && strchr("ILSM", p[i]) && p[i + 1] == ' ')
            return TF_LACKEY;
        while (i < j && (p[i] == ' ' || p[i] == '\t'))
            i++;
        if (i < j && tf_is_hex(p[i])) {
            while (i < j && (tf_is_hex(p[i]) || p[i] == 'x' || p[i] == 'X'))
                i++;
            if (i < j && (p[i] == ' ' || p[i] == '\t'))
                return TF_DIN;
        }
        return TF_LACKEY;
    }
    return TF_LACKEY;
}

trace_in_t *trace_open(const char *path, trace_format_t fmt)
{
    trace_in_t *t = calloc(1, sizeof *t);
    struct stat st;
    const char *tool;
    int seekable = 0;

    if (!t || !(t->path = strdup(path)) || !(t->buf = malloc(TF_BUF + 1))) {
        fprintf(stderr, "%s: out of memory\n", path);
        goto fail;
    }
    t->src_fd = -1;
    t->pid = 1;
    t->total = TF_MMT_UNKNOWN;
    if (!strcmp(path, "-")) {
        t->fd = 0;
    } else if ((t->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
        fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
        goto fail;
    } else {
        t->own_fd = 1;
    }
    if (fstat(t->fd, &st)) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        goto fail;
    }
    if (S_ISDIR(st.st_mode)) {
        fprintf(stderr, "%s: is a directory\n", path);
        goto fail;
    }
    if (S_ISREG(st.st_mode)) {
        off_t at = lseek(t->fd, 0, SEEK_CUR);
        if (at >= 0) {
            seekable = 1;
            t->start = (uint64_t)at;
            t->fsize = (uint64_t)st.st_size;
        }
    }
    if (tf_fill_to(t, 6))
        goto fail;
    tool = tf_compressor(t->buf, t->end);
    if (tool && (tf_decompress(t, tool, seekable) || tf_fill_to(t, 6)))
        goto fail;
    if (fmt == TF_AUTO) {
        if (tf_fill_to(t, 4096))
            goto fail;
        fmt = tf_guess(t->buf, t->end, path);
    }
    t->fmt = fmt;
    if (fmt == TF_MMT && (tf_fill_to(t, TF_MMT_HEADER) || tf_mmt_header(t)))
        goto fail;
    return t;

fail:
    if (t)
        trace_close(t, 1);
    return NULL;
}

/* Hands out up to n pending references of the last record read. */
static long tf_drain(trace_in_t *t, trace_ref_t *refs, long n)
{
    long k = 0;

    while (k < n && t->ipend < t->npend)
        refs[k++] = t->pend[t->ipend++];
    if (k)
        t->last = t->pend_rec;
    return k;
}

long trace_read(trace_in_t *t, trace_ref_t *refs, long n)
{
    long count = tf_drain(t, refs, n);

    while (count < n && !t->failed) {
        switch (t->fmt) {
        case TF_LACKEY: count += tf_read_lackey(t, refs + count, n - count); break;
        case TF_DIN: count += tf_read_din(t, refs + count, n - count); break;
        case TF_CHAMPSIM: count += tf_read_champsim(t, refs + count, n - count); break;
        case TF_CLOUDSUITE: count += tf_read_cloudsuite(t, refs + count, n - count); break;
        case TF_MMT: count += tf_read_mmt(t, refs + count, n - count); break;
        default: tf_fail(t, 0, "no reader for format %d", (int)t->fmt); break;
        }
        /* a record that did not fit left the rest of its references pending */
        count += tf_drain(t, refs + count, n - count);
        if (count == n || t->failed || (t->eof && t->pos == t->end))
            break;
        if (tf_fill(t))
            break;
    }
    if (count > 0)
        return count;
    if (t->failed) {
        /* printed once: the caller may read again after the error */
        if (t->err[0])
            fprintf(stderr, "%s\n", t->err);
        t->err[0] = '\0';
        return -1;
    }
    return 0;
}

uint64_t trace_record(const trace_in_t *t)
{
    return t->last;
}

uint64_t trace_total(const trace_in_t *t)
{
    return t->total == TF_MMT_UNKNOWN ? 0 : t->total;
}

double trace_fraction(const trace_in_t *t)
{
    off_t at;

    if (!t->fsize)
        return -1;
    if (t->src_fd >= 0) {
        at = lseek(t->src_fd, 0, SEEK_CUR);
    } else {
        at = lseek(t->fd, 0, SEEK_CUR);
        at -= (off_t)(t->end - t->pos);
    }
    if (at < 0)
        return -1;
    at -= (off_t)t->start;
    return at <= 0 ? 0 : (double)at >= (double)(t->fsize - t->start) ? 1 : (double)at / (double)(t->fsize - t->start);
}

trace_format_t trace_in_format(const trace_in_t *t)
{
    return t->fmt;
}

int trace_close(trace_in_t *t, int early)
{
    int rc = 0;

    if (!t)
        return 0;
    /* closing the pipe first lets a decompressor that is still writing die of SIGPIPE */
    if (t->own_fd)
        close(t->fd);
    if (t->src_fd >= 0 && t->src_fd != t->fd && t->src_fd != 0)
        close(t->src_fd);
    if (t->child[0] > 0 && tf_reap(t->child[0], t->path, t->tool, early))
        rc = 2;
    if (t->child[1] > 0 && tf_reap(t->child[1], t->path, "reading standard input", early || rc) && !rc)
        rc = 2;
    free(t->buf);
    free(t->path);
    free(t);
    return rc;
}
