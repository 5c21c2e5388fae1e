/*
 * runjson.c - the JSON record of one run, read into a list of fields
 * (runjson.h).  Plain JSON (RFC 8259) at the top level; the only nested
 * object allowed is a histogram, whose keys are decimal bucket numbers.
 */
#define _XOPEN_SOURCE 700
#include "runjson.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

typedef struct {
    const char *path;
    const char *p, *end;
    unsigned long line;
} rj_parser_t;

int run_grow(void *a, size_t *cap, size_t n, size_t size)
{
    void **pa = a;
    size_t ncap = *cap ? 2 * *cap : 16;
    void *p;

    if (n < *cap)
        return 0;
    p = realloc(*pa, ncap * size);
    if (!p)
        return -1;
    *pa = p;
    *cap = ncap;
    return 0;
}

/* Finds v in the ascending a[0..n): 1 and its index, or 0 and where it would go. */
static int rj_bucket_find(const uint64_t *a, size_t n, uint64_t v, size_t *pos)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    *pos = lo;
    return lo < n && a[lo] == v;
}

void runval_free(runval_t *c)
{
    free(c->text);
    for (size_t i = 0; i < c->n; i++)
        free(c->count[i]);
    free(c->bucket);
    free(c->count);
}

/* Prints "path:line: message" at the parser's line; returns -1. */
static int rj_fail(const rj_parser_t *ps, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    parse_report(ps->path, ps->line, fmt, ap);
    va_end(ap);
    return -1;
}

static void rj_skip_ws(rj_parser_t *ps)
{
    for (; ps->p < ps->end && strchr(" \t\r\n", *ps->p) && *ps->p; ps->p++)
        if (*ps->p == '\n')
            ps->line++;
}

/* Consumes c after white space; 0, or -1 when the next character is not c. */
static int rj_expect(rj_parser_t *ps, char c)
{
    rj_skip_ws(ps);
    if (ps->p >= ps->end || *ps->p != c)
        return -1;
    ps->p++;
    return 0;
}

/* Reads 4 hex digits of a \u escape into *u; 0 or -1. */
static int rj_hex4(rj_parser_t *ps, unsigned *u)
{
    *u = 0;
    for (int i = 0; i < 4; i++, ps->p++) {
        char c = ps->p < ps->end ? *ps->p : 0;
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return rj_fail(ps, "bad \\u escape in a string");
        *u = *u << 4 | (unsigned)d;
    }
    return 0;
}

/* Appends code point u (below 0x110000) as UTF-8 at *o. */
static void rj_utf8(char **o, unsigned u)
{
    int more = u < 0x80 ? 0 : u < 0x800 ? 1 : u < 0x10000 ? 2 : 3;
    static const unsigned char lead[] = { 0x00, 0xc0, 0xe0, 0xf0 };

    *(*o)++ = (char)(lead[more] | u >> 6 * more);
    while (more--)
        *(*o)++ = (char)(0x80 | (u >> 6 * more & 0x3f));
}

/*
 * Reads a string at the opening quote and returns it decoded (malloc'd),
 * or NULL after a message.  A decoded string is never longer than its
 * escaped form, which sizes the buffer.
 */
static char *rj_string(rj_parser_t *ps)
{
    const char *close = ps->p + 1;
    char *s, *o;

    while (close < ps->end && *close != '"')
        close += *close == '\\' && close + 1 < ps->end ? 2 : 1;
    if (close >= ps->end) {
        rj_fail(ps, "unterminated string");
        return NULL;
    }
    s = o = malloc((size_t)(close - ps->p));
    if (!s) {
        rj_fail(ps, "out of memory");
        return NULL;
    }
    for (ps->p++; ps->p < close;) {
        unsigned char c = (unsigned char)*ps->p++;
        unsigned u, lo;
        if (c < 0x20) {
            rj_fail(ps, "control character in a string");
            goto bad;
        }
        if (c != '\\') {
            *o++ = (char)c;
            continue;
        }
        c = (unsigned char)*ps->p++;
        if (c != 'u') {
            const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t", *k = strchr(from, c);
            if (!c || !k) {
                rj_fail(ps, "bad escape '\\%c' in a string", c ? c : '0');
                goto bad;
            }
            *o++ = to[k - from];
            continue;
        }
        if (rj_hex4(ps, &u))
            goto bad;
        /* A high surrogate must be followed by \u and its low half. */
        if (u >= 0xd800 && u < 0xdc00 && close - ps->p >= 6 && ps->p[0] == '\\' && ps->p[1] == 'u') {
            ps->p += 2;
            if (rj_hex4(ps, &lo))
                goto bad;
            if (lo >= 0xdc00 && lo < 0xe000)
                u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
        }
        if (!u || (u >= 0xd800 && u < 0xe000)) {
            rj_fail(ps, u ? "lone surrogate in a string" : "NUL character in a string");
            goto bad;
        }
        rj_utf8(&o, u);
    }
    *o = '\0';
    ps->p = close + 1;
    return s;
bad:
    free(s);
    return NULL;
}

/* 1 when p (before e) points at a decimal digit; a function, so that p is read once. */
static int rj_digit(const char *p, const char *e)
{
    return p < e && *p >= '0' && *p <= '9';
}

/* Reads a JSON number and returns its token verbatim (malloc'd), or NULL after a message. */
static char *rj_number(rj_parser_t *ps)
{
    const char *s = ps->p, *p = s, *e = ps->end;
    char *tok;

    if (p < e && *p == '-')
        p++;
    if (p < e && *p == '0')
        p++;
    else if (rj_digit(p, e))
        while (rj_digit(p, e))
            p++;
    else
        goto bad;
    if (p < e && *p == '.') {
        if (!rj_digit(++p, e))
            goto bad;
        while (rj_digit(p, e))
            p++;
    }
    if (p < e && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < e && (*p == '+' || *p == '-'))
            p++;
        if (!rj_digit(p, e))
            goto bad;
        while (rj_digit(p, e))
            p++;
    }
    ps->p = p;
    tok = malloc((size_t)(p - s) + 1);
    if (!tok) {
        rj_fail(ps, "out of memory");
        return NULL;
    }
    memcpy(tok, s, (size_t)(p - s));
    tok[p - s] = '\0';
    return tok;
bad:
    rj_fail(ps, "expected a number");
    return NULL;
}

/* Reads a histogram object {"bucket": count, ...} at its brace into c; 0 or -1. */
static int rj_hist(rj_parser_t *ps, runval_t *c)
{
    c->hist = 1;
    ps->p++;
    rj_skip_ws(ps);
    if (ps->p < ps->end && *ps->p == '}') {
        ps->p++;
        return 0;
    }
    for (;;) {
        char *key, *count, **more;
        uint64_t b;
        size_t pos;
        rj_skip_ws(ps);
        if (ps->p >= ps->end || *ps->p != '"')
            return rj_fail(ps, "expected a bucket string in the histogram");
        if (!(key = rj_string(ps)))
            return -1;
        if (!*key || strspn(key, "0123456789") != strlen(key) || parse_u64(key, &b)) {
            rj_fail(ps, "histogram bucket '%s' is not a non-negative integer", key);
            free(key);
            return -1;
        }
        free(key);
        if (rj_expect(ps, ':'))
            return rj_fail(ps, "expected ':' after a histogram bucket");
        rj_skip_ws(ps);
        if (!(count = rj_number(ps)))
            return -1;
        if (rj_bucket_find(c->bucket, c->n, b, &pos)) {
            free(count);
            return rj_fail(ps, "histogram bucket %" PRIu64 " given twice", b);
        }
        /* count grows first: bucket's growth is what moves cap */
        if (!(more = realloc(c->count, (c->n + 1) * sizeof *c->count)) ||
            (c->count = more, run_grow(&c->bucket, &c->cap, c->n, sizeof *c->bucket))) {
            free(count);
            return rj_fail(ps, "out of memory");
        }
        memmove(c->bucket + pos + 1, c->bucket + pos, (c->n - pos) * sizeof *c->bucket);
        memmove(c->count + pos + 1, c->count + pos, (c->n - pos) * sizeof *c->count);
        c->bucket[pos] = b;
        c->count[pos] = count;
        c->n++;
        if (!rj_expect(ps, '}'))
            return 0;
        if (*ps->p != ',')
            return rj_fail(ps, "expected ',' or '}' in the histogram");
        ps->p++;
    }
}

/* Reads the value of a top-level key into c; 0 or -1. */
static int rj_value(rj_parser_t *ps, runval_t *c)
{
    static const char *const lit[] = { "true", "false", "null" };

    rj_skip_ws(ps);
    c->present = 1;
    if (ps->p < ps->end && *ps->p == '{')
        return rj_hist(ps, c);
    if (ps->p < ps->end && *ps->p == '"')
        return (c->text = rj_string(ps)) ? 0 : -1;
    for (int i = 0; i < 3; i++) {
        size_t n = strlen(lit[i]);
        if ((size_t)(ps->end - ps->p) >= n && !strncmp(ps->p, lit[i], n)) {
            ps->p += n;
            /* null is no value: an empty cell like a missing key */
            if (i < 2 && !(c->text = strdup(lit[i])))
                return rj_fail(ps, "out of memory");
            return 0;
        }
    }
    if (ps->p >= ps->end || !strchr("-0123456789", *ps->p) || !*ps->p)
        return rj_fail(ps, "expected a number, a string or a histogram object");
    return (c->text = rj_number(ps)) ? 0 : -1;
}

/* Parses the whole text into r; 0, or -1 after a message with nothing left allocated. */
static int rj_record(rj_parser_t *ps, runrec_t *r)
{
    runfield_t *f = NULL;
    size_t n = 0, cap = 0;

    rj_skip_ws(ps);
    if (ps->p >= ps->end) {
        rj_fail(ps, "empty file, not a JSON record (did the run fail?)");
        goto bad;
    }
    if (rj_expect(ps, '{')) {
        rj_fail(ps, "expected '{' to open a JSON record");
        goto bad;
    }
    if (!rj_expect(ps, '}'))
        goto done;
    for (;;) {
        rj_skip_ws(ps);
        if (ps->p >= ps->end || *ps->p != '"') {
            rj_fail(ps, ps->p >= ps->end ? "unexpected end of the record" : "expected a key string");
            goto bad;
        }
        if (run_grow(&f, &cap, n, sizeof *f)) {
            rj_fail(ps, "out of memory");
            goto bad;
        }
        memset(&f[n], 0, sizeof f[n]);
        f[n].line = ps->line;
        if (!(f[n].key = rj_string(ps)))
            goto bad;
        n++;
        for (size_t k = 0; k + 1 < n; k++)
            if (!strcmp(f[k].key, f[n - 1].key)) {
                rj_fail(ps, "key '%s' given twice", f[k].key);
                goto bad;
            }
        if (!strcmp(f[n - 1].key, "run")) {
            rj_fail(ps, "key 'run' is the CSV's run number column");
            goto bad;
        }
        if (rj_expect(ps, ':')) {
            rj_fail(ps, "expected ':' after key '%s'", f[n - 1].key);
            goto bad;
        }
        if (rj_value(ps, &f[n - 1].val))
            goto bad;
        if (!rj_expect(ps, '}'))
            break;
        if (ps->p >= ps->end || *ps->p != ',') {
            rj_fail(ps, ps->p >= ps->end ? "unexpected end of the record" : "expected ',' or '}'");
            goto bad;
        }
        ps->p++;
    }
done:
    rj_skip_ws(ps);
    if (ps->p < ps->end) {
        rj_fail(ps, "text after the end of the record");
        goto bad;
    }
    r->field = f;
    r->n = n;
    return 0;
bad:
    r->field = f;
    r->n = n;
    runrec_free(r);
    return -1;
}


int runrec_read(const char *path, runrec_t *r)
{
    rj_parser_t ps = { path, NULL, NULL, 1 };
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int rc = -1;

    r->field = NULL;
    r->n = 0;
    if (!f) {
        fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
        return -1;
    }
    while (!feof(f) && !ferror(f)) {
        if (run_grow(&buf, &cap, len, 1)) {
            rj_fail(&ps, "out of memory");
            goto out;
        }
        len += fread(buf + len, 1, cap - len, f);
    }
    if (ferror(f)) {
        fprintf(stderr, "%s: read error\n", path);
        goto out;
    }
    ps.p = buf;
    ps.end = buf + len;
    rc = rj_record(&ps, r);
out:
    free(buf);
    fclose(f);
    return rc;
}

void runrec_free(runrec_t *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->field[i].key);
        runval_free(&r->field[i].val);
    }
    free(r->field);
    r->field = NULL;
    r->n = 0;
}
