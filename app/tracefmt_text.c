/*
 * tracefmt_text.c - the text trace decoders: valgrind lackey and Dinero IV
 * din (docs/traces.md has both line layouts).
 *
 * Both parse the buffer in place.  tf_fill keeps a '\n' after the data, so
 * every scan stops at a newline without a bounds check; reaching that
 * sentinel before the input has ended means the line is not all buffered
 * yet, and the decoder leaves it for the next fill.
 */
#include "tracefmt_int.h"

#include <string.h>

#include "xlate.h"

/* Hex digit value + 1; 0 for a character that is not a hex digit. */
static const uint8_t tf_hex[256] = {
    ['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8, ['8'] = 9,
    ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16, ['A'] = 11,
    ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

#define TF_LACKEY_BAD "not a lackey line (expected 'I|L|S|M ADDR,SIZE')"

/* Parses the size after a lackey comma (decimal, or hex after 0x).  Returns it, 0 when bad. */
static uint32_t tf_lackey_size(const uint8_t **pp)
{
    const uint8_t *p = *pp;
    uint32_t size = 0, d;

    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        p += 2;
        if (!tf_hex[*p])
            return 0;
        while ((d = tf_hex[*p]) && size <= 4096) {
            size = size << 4 | (d - 1);
            p++;
        }
    } else {
        if (*p < '0' || *p > '9')
            return 0;
        while (*p >= '0' && *p <= '9' && size <= 4096)
            size = size * 10 + (uint32_t)(*p++ - '0');
    }
    *pp = p;
    return size <= 4096 ? size : 0;
}

long tf_read_lackey(trace_in_t *t, trace_ref_t *r, long n)
{
    const uint8_t *buf = t->buf, *end = buf + t->end, *p = buf + t->pos;
    uint64_t rec = t->rec, last = t->last;
    long k = 0;

    while (k < n && p < end) {
        const uint8_t *line = p, *digits;
        uint64_t va = 0;
        uint32_t size, d;
        uint8_t acc, kind;

        if (p[0] == '\n' || p[0] == '#' || (p[0] == '=' && p[1] == '=') || (p[0] == '\r' && p[1] == '\n')) {
            p = memchr(p, '\n', (size_t)(end - p) + 1);
            if (p == end && !t->eof) {
                p = line;
                break;
            }
            p += p < end; /* at the end of the input the sentinel is not data */
            rec++;
            continue;
        }
        while (*p == ' ')
            p++;
        kind = p[0];
        switch (kind) {
        case 'I': acc = ACC_FETCH; break;
        case 'L': case 'M': acc = ACC_LOAD; break;
        case 'S': acc = ACC_STORE; break;
        default: goto bad;
        }
        if (p[1] != ' ')
            goto bad;
        for (p += 2; *p == ' '; p++)
            ;
        if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
            p += 2;
        for (digits = p; (d = tf_hex[*p]); p++)
            va = va << 4 | (d - 1);
        if (p == digits || p - digits > 16 || *p != ',')
            goto bad;
        p++;
        if (!(size = tf_lackey_size(&p)))
            goto bad;
        if (*p == '\r')
            p++;
        if (*p != '\n')
            goto bad;
        if (p == end && !t->eof) {
            p = line;
            break;
        }
        p += p < end;
        rec++;
        last = rec;
        r[k++] = (trace_ref_t){va, size, 1, acc, TREF_ACCESS};
        if (kind == 'M') {
            trace_ref_t st = {va, size, 1, ACC_STORE, TREF_ACCESS};
            if (k < n) {
                r[k++] = st;
            } else {
                t->pend[0] = st;
                t->npend = 1;
                t->ipend = 0;
                t->pend_rec = rec;
            }
        }
        continue;
    bad:
        /* the scan stopped at the sentinel: the rest of the line is still to come */
        if (!t->eof && !memchr(line, '\n', (size_t)(end - line))) {
            p = line;
            break;
        }
        tf_fail(t, rec + 1, TF_LACKEY_BAD);
        p = line;
        break;
    }
    t->pos = (size_t)(p - buf);
    t->rec = rec;
    t->last = last;
    return k;
}

/* What din labels 0..5 become: a reference of acc_t, or none (4), or an sfence (5). */
enum { DIN_NONE = 0xfe, DIN_SFENCE = 0xff };
static const uint8_t tf_din_label[6] = {ACC_LOAD, ACC_STORE, ACC_FETCH, ACC_LOAD, DIN_NONE, DIN_SFENCE};

/* 1 when the hex digits [p, q) hold more than 16 significant ones. */
static int tf_too_wide(const uint8_t *p, const uint8_t *q)
{
    while (p < q && *p == '0')
        p++;
    return q - p > 16;
}

long tf_read_din(trace_in_t *t, trace_ref_t *r, long n)
{
    const uint8_t *buf = t->buf, *end = buf + t->end, *p = buf + t->pos;
    uint64_t rec = t->rec, last = t->last;
    long k = 0;

    while (k < n && p < end) {
        const uint8_t *line = p, *digits;
        uint64_t label, va;
        uint32_t d;
        const char *what;

        while (*p == ' ' || *p == '\t')
            p++;
        if (p == end && t->eof)
            break; /* blanks after the last line */
        what = "short line";
        if (*p == '\n')
            goto bad;
        /* label: hex, usually one digit; Dinero also takes a 0x prefix */
        what = "label";
        if (!(d = tf_hex[*p]))
            goto bad_char;
        label = d - 1;
        p++;
        if (*p != ' ' && *p != '\t') {
            if ((*p == 'x' || *p == 'X') && label == 0)
                p++;
            for (digits = p; (d = tf_hex[*p]); p++)
                label = label << 4 | (d - 1);
            if (tf_too_wide(digits, p))
                label = UINT64_MAX;
            what = "short line";
            if (*p == '\n')
                goto bad;
            what = "label";
            if (*p != ' ' && *p != '\t')
                goto bad_char;
        }
        while (*p == ' ' || *p == '\t')
            p++;
        what = "short line";
        if (*p == '\n')
            goto bad;
        what = "address";
        digits = p;
        if (!(d = tf_hex[*p]))
            goto bad_char;
        va = d - 1;
        p++;
        if ((*p == 'x' || *p == 'X') && va == 0)
            digits = ++p;
        for (; (d = tf_hex[*p]); p++)
            va = va << 4 | (d - 1);
        if (p - digits > 16 && tf_too_wide(digits, p)) {
            what = "address longer than 64 bits";
            goto bad;
        }
        if (*p != '\n') {
            if (*p != ' ' && *p != '\t' && *p != '\r')
                goto bad_char;
            p = memchr(p, '\n', (size_t)(end - p) + 1); /* the rest is a comment */
        }
        if (p == end && !t->eof) {
            p = line;
            break;
        }
        p += p < end;
        rec++;
        if (label > 5) {
            tf_fail(t, rec, "din label %llx is not 0..5", (unsigned long long)label);
            p = line;
            rec--;
            break;
        }
        d = tf_din_label[label];
        if (d == DIN_NONE)
            continue; /* "copy back dirty lines": a TLB holds nothing to write back */
        last = rec;
        r[k++] = (trace_ref_t){va & ~3ULL, 4, 1, d == DIN_SFENCE ? ACC_LOAD : (uint8_t)d,
                               d == DIN_SFENCE ? TREF_SFENCE : TREF_ACCESS};
        continue;
    bad_char:
        if (p == end && !t->eof) {
            p = line;
            break;
        }
        if (*p == '\n') {
            what = "short line";
            goto bad;
        }
        tf_fail(t, rec + 1, "din %s has a character that is not a hex digit (0x%02x)", what, *p);
        p = line;
        break;
    bad:
        if (p == end && !t->eof) {
            p = line;
            break;
        }
        tf_fail(t, rec + 1, "din: %s", what);
        p = line;
        break;
    }
    t->pos = (size_t)(p - buf);
    t->rec = rec;
    t->last = last;
    return k;
}
