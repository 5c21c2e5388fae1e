/*
 * encodings.c - `make lint-encodings`: the codes the RTL shares with the
 * golden model must be the same numbers on both sides.
 *
 *   encodings DEFS [PERM_TABLE]
 *
 * DEFS is rtl/mmu_defs.vh.  Every localparam there is compared by name with
 * its C counterpart from model/riscv_vm.h, model/xlate.h and model/config.h
 * (C PTE_PPN_SHIFT is RTL PtePpnShift: each word capitalised, underscores
 * dropped).  The RTL holds PTE bit positions where C holds masks (PteD = 7,
 * PTE_D = 1 << 7), and a contiguous C mask as Lo/Hi positions
 * (PTE_RESERVED_MASK: PteReservedLo, PteReservedHi).  A localparam with no C
 * counterpart must be in rtl_only[] below, a C constant of shared[] must be
 * in DEFS: a new code cannot slip past the check.  Widths are checked too: a
 * sized value must fit its declared range, and every C code must fit the
 * RTL's port width (AccW, FaultW, SatpModeW).
 *
 * PERM_TABLE is the truth table of the RTL's perm_ok (testbench/tools/
 * perm_ok_table.sv, verilated, prints one "perm_ok FLAGS ACC PRIV SUM MXR OK"
 * line per input): every input must be there once and agree with the
 * model's ptw_perm_ok.
 *
 * Prints each difference as "FILE:LINE: RTL X = a, C Y = b"; exit 1 if there
 * is one, 2 on bad usage or an unreadable file, 0 when everything agrees.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "ptw.h"
#include "riscv_vm.h"
#include "xlate.h"

/* How the RTL writes a C constant. */
typedef enum {
    SAME,      /* the same number */
    BIT,       /* C: a one-bit mask; RTL: its bit position */
    RANGE,     /* C: a contiguous mask; RTL: NameLo and NameHi, its bit positions */
    FITS,      /* C: a count of codes; RTL: a width in bits that holds codes 0..count-1 */
} form_t;

typedef struct {
    const char *c_name;
    uint64_t c_value;
    form_t form;
    const char *rtl_name;   /* NULL: derived from c_name */
} shared_t;

#define SHARED(name, form) { #name, (uint64_t)(name), form, NULL }

static const shared_t shared[] = {
    SHARED(PTE_V, BIT), SHARED(PTE_R, BIT), SHARED(PTE_W, BIT), SHARED(PTE_X, BIT),
    SHARED(PTE_U, BIT), SHARED(PTE_G, BIT), SHARED(PTE_A, BIT), SHARED(PTE_D, BIT),
    SHARED(PTE_RSW_MASK, RANGE),
    SHARED(PTE_PPN_SHIFT, SAME), SHARED(PTE_PPN_BITS, SAME),
    SHARED(PTE_RESERVED_MASK, RANGE),
    SHARED(ACC_LOAD, SAME), SHARED(ACC_STORE, SAME), SHARED(ACC_FETCH, SAME),
    { "ACC_COUNT", ACC_COUNT, FITS, "AccW" },
    SHARED(PRIV_U, SAME), SHARED(PRIV_S, SAME),
    SHARED(FAULT_NONE, SAME), SHARED(FAULT_LOAD_PAGE, SAME), SHARED(FAULT_STORE_PAGE, SAME),
    SHARED(FAULT_FETCH_PAGE, SAME), SHARED(FAULT_LOAD_ACCESS, SAME),
    SHARED(FAULT_STORE_ACCESS, SAME), SHARED(FAULT_FETCH_ACCESS, SAME),
    { "FAULT_COUNT", FAULT_COUNT, FITS, "FaultW" },
    SHARED(SATP_MODE_BARE, SAME), SHARED(SATP_MODE_SV39, SAME), SHARED(SATP_MODE_SV48, SAME),
    { "64 - SATP_MODE_SHIFT", 64 - SATP_MODE_SHIFT, SAME, "SatpModeW" },
    SHARED(AD_SVADE, SAME), SHARED(AD_SVADU, SAME),
    SHARED(REPL_LRU, SAME), SHARED(REPL_PLRU, SAME), SHARED(REPL_FIFO, SAME),
    SHARED(REPL_RANDOM, SAME),
};

/* localparams of the RTL alone (rtl/mmu_defs.vh says why each has no C twin). */
static const char *const rtl_only[] = { "FlagsW", "PtwResW", "PtwOk", "PtwPage", "PtwAccess" };

#define NSHARED (sizeof shared / sizeof *shared)
#define NRTL_ONLY (sizeof rtl_only / sizeof *rtl_only)
#define MAX_PARAMS 128

/* One localparam of DEFS. */
typedef struct {
    char name[64];
    int line;
    int known;          /* 1: value evaluated */
    uint64_t value;
    int used;           /* compared with C or listed in rtl_only */
} param_t;

static param_t params[MAX_PARAMS];
static int nparams;
static const char *defs_path;
static int errors;

/* Prints one difference as "DEFS:LINE: ..." (line 0: no line) and counts it. */
__attribute__((format(printf, 2, 3))) static void report(int line, const char *fmt, ...)
{
    va_list ap;
    if (line > 0)
        printf("%s:%d: ", defs_path, line);
    else
        printf("%s: ", defs_path);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    errors++;
}

/* The localparam called name, or NULL. */
static param_t *param_find(const char *name)
{
    for (int i = 0; i < nparams; i++)
        if (!strcmp(params[i].name, name))
            return &params[i];
    return NULL;
}

/* ------------------------------------------------------------- the parser */

/* The text of DEFS with comments blanked (newlines kept, so lines still count). */
static char *read_without_comments(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *s;
    long n;
    if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
        return NULL;
    s = malloc((size_t)n + 1);
    if (!s || fread(s, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        free(s);
        return NULL;
    }
    fclose(f);
    s[n] = '\0';
    for (char *p = s; *p; p++) {
        if (p[0] == '/' && p[1] == '/')
            while (*p && *p != '\n')
                *p++ = ' ';
        else if (p[0] == '/' && p[1] == '*')
            for (; *p && !(p[0] == '*' && p[1] == '/'); p++)
                if (*p != '\n')
                    *p = ' ';
        if (!*p)
            break;
    }
    return s;
}

typedef struct {
    const char *p;
    int line;
} cursor_t;

/* Moves past white space, counting lines. */
static void skip_space(cursor_t *c)
{
    while (isspace((unsigned char)*c->p)) {
        if (*c->p == '\n')
            c->line++;
        c->p++;
    }
}

/* Reads an identifier into buf; 0 when there is none. */
static int read_ident(cursor_t *c, char *buf, size_t len)
{
    size_t n = 0;
    skip_space(c);
    if (!isalpha((unsigned char)*c->p) && *c->p != '_')
        return 0;
    while (isalnum((unsigned char)*c->p) || *c->p == '_') {
        if (n + 1 < len)
            buf[n++] = *c->p;
        c->p++;
    }
    buf[n] = '\0';
    return 1;
}

/*
 * Evaluates a term: a number (123, 4'd9, 2'b10, 8'hff, 'd3) or the name of
 * an earlier localparam.  Sets *width to a sized number's width, else 0.
 * Returns 0 when the term is neither.
 */
static int eval_term(cursor_t *c, uint64_t *v, int *width)
{
    char name[64];
    skip_space(c);
    *width = 0;
    if (isdigit((unsigned char)*c->p) || *c->p == '\'') {
        char *end;
        uint64_t n = 0;
        int base = 10;
        if (*c->p != '\'') {
            n = strtoull(c->p, &end, 10);
            c->p = end;
        }
        if (*c->p != '\'') {
            *v = n;
            return 1;
        }
        *width = (int)n;
        c->p++;
        switch (tolower((unsigned char)*c->p++)) {
        case 'd': base = 10; break;
        case 'h': base = 16; break;
        case 'b': base = 2; break;
        case 'o': base = 8; break;
        default: return 0;
        }
        *v = strtoull(c->p, &end, base);
        if (end == c->p)
            return 0;
        c->p = end;
        return 1;
    }
    if (read_ident(c, name, sizeof name)) {
        param_t *q = param_find(name);
        if (!q || !q->known)
            return 0;
        *v = q->value;
        return 1;
    }
    return 0;
}

/*
 * Evaluates TERM {(+|-) TERM} up to ',', ';', ':' or ']' (what localparams
 * and their ranges use here).  Returns 0 when it cannot; the cursor is then
 * past the expression anyway.
 */
static int eval_expr(cursor_t *c, uint64_t *v, int *width)
{
    uint64_t t;
    int w, ok = eval_term(c, v, width);
    for (;;) {
        skip_space(c);
        if (*c->p == '+' || *c->p == '-') {
            char op = *c->p++;
            if (ok && eval_term(c, &t, &w)) {
                *v = op == '+' ? *v + t : *v - t;
                *width = 0;
            } else {
                ok = 0;
            }
            continue;
        }
        if (!*c->p || strchr(",;:]", *c->p))
            return ok;
        ok = 0;           /* something else: skip to the end of the expression */
        while (*c->p && !strchr(",;:]", *c->p)) {
            if (*c->p == '\n')
                c->line++;
            c->p++;
        }
    }
}

/* Records every localparam of s: name, line, value when it can be evaluated. */
static void parse_defs(const char *s)
{
    cursor_t c = { s, 1 };
    char word[64];
    while (*c.p) {
        if (!read_ident(&c, word, sizeof word)) {
            if (*c.p == '\n')
                c.line++;
            if (*c.p)
                c.p++;
            continue;
        }
        if (!strcmp(word, "function")) {    /* skip function bodies */
            const char *end = strstr(c.p, "endfunction");
            if (!end)
                return;
            for (; c.p < end; c.p++)
                c.line += *c.p == '\n';
            continue;
        }
        if (strcmp(word, "localparam"))
            continue;
        /* optional type: integer, or a range [MSB:LSB] that sets the width */
        int range_w = 0;
        cursor_t save = c;
        if (read_ident(&c, word, sizeof word) && strcmp(word, "integer"))
            c = save;
        skip_space(&c);
        if (*c.p == '[') {
            uint64_t msb, lsb;
            int w1, w2, ok;
            c.p++;
            ok = eval_expr(&c, &msb, &w1);
            if (*c.p == ':')
                c.p++;
            ok = eval_expr(&c, &lsb, &w2) && ok;
            if (*c.p == ']')
                c.p++;
            range_w = ok ? (int)(msb - lsb + 1) : -1;
        }
        for (;;) {
            param_t *q;
            int width;
            if (!read_ident(&c, word, sizeof word))
                break;
            if (param_find(word))
                report(c.line, "RTL %s is defined twice", word);
            if (nparams == MAX_PARAMS) {
                report(c.line, "more than %d localparams", MAX_PARAMS);
                return;
            }
            q = &params[nparams++];
            snprintf(q->name, sizeof q->name, "%s", word);
            q->line = c.line;
            skip_space(&c);
            if (*c.p == '=')
                c.p++;
            q->known = eval_expr(&c, &q->value, &width);
            /* what a tool would keep of the value */
            int keep = range_w > 0 ? range_w : width;
            if (q->known && keep > 0 && keep < 64 && (q->value >> keep) != 0)
                report(q->line, "RTL %s = %" PRIu64 " does not fit in its %d bits", q->name, q->value,
                       keep);
            if (*c.p != ',')
                break;
            c.p++;
        }
    }
}

/* ------------------------------------------------------------- the checks */

/* RTL name of a C name: PTE_PPN_SHIFT -> PtePpnShift (suffix appended). */
static void rtl_name_of(const char *c_name, const char *suffix, char *buf, size_t len)
{
    size_t n = 0;
    int start = 1;
    for (const char *p = c_name; *p && n + 1 < len; p++) {
        if (*p == '_') {
            start = 1;
            continue;
        }
        buf[n++] = start ? (char)toupper((unsigned char)*p) : (char)tolower((unsigned char)*p);
        start = 0;
    }
    buf[n] = '\0';
    snprintf(buf + n, len - n, "%s", suffix);
}

/* The localparam name, evaluated and marked used; NULL (reported) when absent or unknown. */
static param_t *rtl_param(const char *name, const shared_t *s)
{
    param_t *q = param_find(name);
    if (!q) {
        report(0, "RTL has no %s (C %s = %" PRIu64 ")", name, s->c_name, s->c_value);
        return NULL;
    }
    q->used = 1;
    if (!q->known) {
        report(q->line, "RTL %s: not a number this check can read (C %s = %" PRIu64 ")", name,
               s->c_name, s->c_value);
        return NULL;
    }
    return q;
}

/* Positions of the lowest and the highest bit set in m (64 and -1 for 0). */
static int lowest_bit(uint64_t m)
{
    int i = 0;
    while (i < 64 && !(m >> i & 1))
        i++;
    return i;
}

static int highest_bit(uint64_t m)
{
    int i = 63;
    while (i >= 0 && !(m >> i & 1))
        i--;
    return i;
}

/* Compares one C constant with its localparam(s), reporting any difference. */
static void check_shared(const shared_t *s)
{
    char name[80];
    param_t *q, *hi;
    if (s->form == RANGE) {
        char base[64], *cut;
        int lo_bit = lowest_bit(s->c_value), hi_bit = highest_bit(s->c_value);
        snprintf(base, sizeof base, "%s", s->c_name);
        if ((cut = strstr(base, "_MASK")))
            *cut = '\0';
        rtl_name_of(base, "Lo", name, sizeof name);
        q = rtl_param(name, s);
        rtl_name_of(base, "Hi", name, sizeof name);
        hi = rtl_param(name, s);
        if (q && q->value != (uint64_t)lo_bit)
            report(q->line, "RTL %s = %" PRIu64 ", C %s = 0x%" PRIx64 " (bits %d:%d)", q->name, q->value,
                   s->c_name, s->c_value, hi_bit, lo_bit);
        if (hi && hi->value != (uint64_t)hi_bit)
            report(hi->line, "RTL %s = %" PRIu64 ", C %s = 0x%" PRIx64 " (bits %d:%d)", hi->name,
                   hi->value, s->c_name, s->c_value, hi_bit, lo_bit);
        return;
    }
    if (s->rtl_name)
        snprintf(name, sizeof name, "%s", s->rtl_name);
    else
        rtl_name_of(s->c_name, "", name, sizeof name);
    if (!(q = rtl_param(name, s)))
        return;
    switch (s->form) {
    case SAME:
        if (q->value != s->c_value)
            report(q->line, "RTL %s = %" PRIu64 ", C %s = %" PRIu64, q->name, q->value, s->c_name,
                   s->c_value);
        break;
    case BIT:
        if (q->value >= 64 || (1ULL << q->value) != s->c_value)
            report(q->line, "RTL %s = %" PRIu64 ", C %s = 1 << %d", q->name, q->value, s->c_name,
                   lowest_bit(s->c_value));
        break;
    case FITS:
        if (q->value >= 64 || (s->c_value > 0 && ((s->c_value - 1) >> q->value) != 0))
            report(q->line, "RTL %s = %" PRIu64 " bits, C %s = %" PRIu64 " codes do not fit", q->name,
                   q->value, s->c_name, s->c_value);
        break;
    case RANGE:
        break;
    }
}

/* Checks every line of the perm_ok truth table against ptw_perm_ok; returns the rows read. */
static int check_perm(const char *path)
{
    enum { NFLAGS = 128, NACC = 4, NIN = NFLAGS * NACC * 8 };
    static unsigned char seen[NIN];
    char line[256];
    int rows = 0, lineno = 0, bad = 0;
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "encodings: %s: %s\n", path, strerror(errno));
        exit(2);
    }
    while (fgets(line, sizeof line, f)) {
        unsigned flags, acc, priv, sum, mxr, ok;
        lineno++;
        if (strncmp(line, "perm_ok ", 8))
            continue;       /* the simulator's own messages */
        if (sscanf(line + 8, "%u %u %u %u %u %u", &flags, &acc, &priv, &sum, &mxr, &ok) != 6 ||
            (flags & ~(0x7fu << 1)) || acc >= NACC || priv > 1 || sum > 1 || mxr > 1 || ok > 1) {
            printf("%s:%d: not a perm_ok row: %s", path, lineno, line);
            errors++;
            continue;
        }
        unsigned idx = (((flags >> 1) * NACC + acc) * 2 + priv) * 4 + sum * 2 + mxr;
        seen[idx]++;
        rows++;
        int c = ptw_perm_ok(flags, (acc_t)acc, (priv_t)priv, (int)sum, (int)mxr) != 0;
        if ((int)ok != c && bad++ < 10) {
            printf("%s:%d: RTL perm_ok(flags=0x%02x, acc=%u, priv=%u, sum=%u, mxr=%u) = %u, "
                   "C ptw_perm_ok = %d\n", path, lineno, flags, acc, priv, sum, mxr, ok, c);
        }
    }
    fclose(f);
    if (bad > 10)
        printf("%s: ... %d more perm_ok differences\n", path, bad - 10);
    errors += bad;
    for (unsigned i = 0; i < NIN; i++)
        if (seen[i] != 1) {
            printf("%s: perm_ok input %u appears %d times, not once (%d rows)\n", path, i, seen[i], rows);
            errors++;
            break;
        }
    return rows;
}

int main(int argc, char **argv)
{
    char *text;
    int rows = -1;
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: encodings DEFS [PERM_TABLE]\n");
        return 2;
    }
    defs_path = argv[1];
    if (!(text = read_without_comments(defs_path))) {
        fprintf(stderr, "encodings: %s: %s\n", defs_path, strerror(errno));
        return 2;
    }
    parse_defs(text);
    free(text);
    for (size_t i = 0; i < NSHARED; i++)
        check_shared(&shared[i]);
    for (size_t i = 0; i < NRTL_ONLY; i++) {
        param_t *q = param_find(rtl_only[i]);
        if (q)
            q->used = 1;
    }
    for (int i = 0; i < nparams; i++)
        if (!params[i].used)
            report(params[i].line, "RTL %s has no C counterpart: add it to shared[] (or rtl_only[]) "
                   "of testbench/tools/encodings.c", params[i].name);
    if (argc == 3)
        rows = check_perm(argv[2]);
    if (errors) {
        printf("encodings: %d difference(s) between %s and the model's headers\n", errors, defs_path);
        return 1;
    }
    printf("encodings: %d localparams of %s: %d agree with the model's %zu constants, %zu RTL only",
           nparams, defs_path, nparams - (int)NRTL_ONLY, NSHARED, NRTL_ONLY);
    if (rows >= 0)
        printf("; perm_ok = ptw_perm_ok on all %d inputs", rows);
    printf("\n");
    return 0;
}
