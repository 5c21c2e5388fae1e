/*
 * wlparse.c - the workload and reference-string readers (docs/workload.md).
 * Every error is "file:line: message" and exit status 2, found before
 * anything runs.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "os.h"
#include "parse.h"
#include "workload.h"

#define MAX_TOKENS 12
#define MAX_LINE 8192
#define MAX_FILE_BYTES (1ULL << 30)

typedef struct {
    const char *path;
    unsigned line;
    workload_t *w;
    char **files;           /* names a mmap or print may use */
    int nfiles;
} wlp_t;

/* Prints "path:line: message" and returns 2. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int wlp_err(const wlp_t *p, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    parse_report(p->path, p->line, fmt, ap);
    va_end(ap);
    return 2;
}

/* A number, 0x hex or decimal, optionally times K, M, G or T (powers of 1024).  0, or -1. */
static int wlp_num(const char *tok, uint64_t *v)
{
    return parse_size(tok, strlen(tok), 1, v) ? -1 : 0;
}

/* 1 when tok is a name: letters, digits, '.', '_', '-', not starting with a digit. */
static int wlp_word(const char *tok)
{
    if (!*tok || (*tok >= '0' && *tok <= '9'))
        return 0;
    for (const char *c = tok; *c; c++)
        if (!((*c | 32) >= 'a' && (*c | 32) <= 'z') && !(*c >= '0' && *c <= '9') && !strchr("._-", *c))
            return 0;
    return 1;
}

/* Index of s in tab[0..n), -1 if absent. */
static int wlp_index(char **tab, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(tab[i], s))
            return i;
    return -1;
}

/* Appends a copy of s to *tab; its index, or -1 on no memory. */
static int wlp_add(char ***tab, int *n, const char *s)
{
    char **t = realloc(*tab, (size_t)(*n + 1) * sizeof *t);

    if (!t)
        return -1;
    *tab = t;
    if (!(t[*n] = strdup(s)))
        return -1;
    return (*n)++;
}

/* Decodes \n \t \\ \xHH in s into a new buffer.  NULL on a bad escape or no memory. */
static uint8_t *wlp_unescape(const char *s, uint64_t *len)
{
    uint8_t *out = malloc(strlen(s) + 1), *o = out;

    if (!out)
        return NULL;
    for (; *s; s++) {
        unsigned hi, lo;
        if (*s != '\\') {
            *o++ = (uint8_t)*s;
            continue;
        }
        switch (*++s) {
        case 'n': *o++ = '\n'; break;
        case 't': *o++ = '\t'; break;
        case '\\': *o++ = '\\'; break;
        case 'x':
            if (sscanf(s + 1, "%1x%1x", &hi, &lo) != 2) {
                free(out);
                return NULL;
            }
            *o++ = (uint8_t)(hi << 4 | lo);
            s += 2;
            break;
        default: free(out); return NULL;
        }
    }
    *len = (uint64_t)(o - out);
    return out;
}

/* ADDR: a number, a bound NAME, or NAME+NUMBER. */
static int wlp_addr(wlp_t *p, const char *tok, wl_addr_t *a)
{
    char buf[256], *plus;

    a->name = -1;
    a->off = 0;
    if (!(a->tok = strdup(tok)))
        return wlp_err(p, "out of memory");
    if (!wlp_num(tok, &a->off))
        return 0;
    if (strlen(tok) >= sizeof buf)
        return wlp_err(p, "address too long: %s", tok);
    strcpy(buf, tok);
    if ((plus = strchr(buf, '+'))) {
        *plus = '\0';
        if (wlp_num(plus + 1, &a->off))
            return wlp_err(p, "bad offset in address %s", tok);
    }
    if (!wlp_word(buf))
        return wlp_err(p, "bad address %s (a number, NAME or NAME+NUMBER)", tok);
    if ((a->name = wlp_index(p->w->names, p->w->nnames, buf)) < 0)
        return wlp_err(p, "name %s is not bound by an earlier `as`", buf);
    return 0;
}

/* PROT: none, or letters from r, w, x. */
static int wlp_prot(wlp_t *p, const char *tok, int *prot)
{
    *prot = 0;
    if (!strcmp(tok, "none"))
        return 0;
    for (const char *c = tok; *c; c++) {
        int bit = *c == 'r' ? OS_PROT_READ : *c == 'w' ? OS_PROT_WRITE : *c == 'x' ? OS_PROT_EXEC : 0;
        if (!bit || (*prot & bit))
            return wlp_err(p, "bad PROT %s (none, or letters from r, w, x)", tok);
        *prot |= bit;
    }
    return *prot ? 0 : wlp_err(p, "empty PROT");
}

/* FLAGS: shared|private, then anon and/or fixed, comma-separated. */
static int wlp_flags(wlp_t *p, const char *tok, int *flags)
{
    char buf[64], *save, *w;

    if (strlen(tok) >= sizeof buf)
        return wlp_err(p, "bad FLAGS %s", tok);
    strcpy(buf, tok);
    w = strtok_r(buf, ",", &save);
    if (!w || (strcmp(w, "shared") && strcmp(w, "private")))
        return wlp_err(p, "FLAGS %s must start with shared or private", tok);
    *flags = !strcmp(w, "shared") ? OS_MAP_SHARED : OS_MAP_PRIVATE;
    while ((w = strtok_r(NULL, ",", &save))) {
        int bit = !strcmp(w, "anon") ? OS_MAP_ANON : !strcmp(w, "fixed") ? OS_MAP_FIXED : 0;
        if (!bit || (*flags & bit))
            return wlp_err(p, "bad flag %s in %s (anon, fixed)", w, tok);
        *flags |= bit;
    }
    return 0;
}

/* PID: 1..65535. */
static int wlp_pid(wlp_t *p, const char *tok, int *pid)
{
    uint64_t v;

    if (wlp_num(tok, &v) || v < 1 || v > 65535)
        return wlp_err(p, "bad PID %s (1 to 65535)", tok);
    *pid = (int)v;
    return 0;
}

/* Reads the contents of `file NAME ...` into c. */
static int wlp_file(wlp_t *p, char **t, int nt, const char *rest, wl_cmd_t *c)
{
    uint64_t fill = 0;

    if (nt < 3 || !wlp_word(t[1]))
        return wlp_err(p, "usage: file NAME size N [fill BYTE|seq] | text TEXT | host PATH");
    if (wlp_index(p->files, p->nfiles, t[1]) >= 0)
        return wlp_err(p, "file %s already created", t[1]);
    c->name = strdup(t[1]);
    if (!strcmp(t[2], "size")) {
        int seq = nt == 5 && !strcmp(t[4], "seq");
        if (nt < 4 || wlp_num(t[3], &c->dlen) || c->dlen > MAX_FILE_BYTES)
            return wlp_err(p, "bad size (at most 1G)");
        if (nt == 6 && !strcmp(t[4], "fill"))
            seq = !strcmp(t[5], "seq");
        if (nt == 6 && !seq && (strcmp(t[4], "fill") || wlp_num(t[5], &fill) || fill > 255))
            return wlp_err(p, "bad fill (fill BYTE, 0 to 255, or seq)");
        if (nt != 4 && nt != 6 && !seq)
            return wlp_err(p, "usage: file NAME size N [fill BYTE|seq]");
        /* calloc, and no pass over a zero fill: a big empty file costs the host nothing */
        if (!(c->data = calloc(1, c->dlen ? c->dlen : 1)))
            return wlp_err(p, "out of memory");
        for (uint64_t i = 0; (seq || fill) && i < c->dlen; i++)
            c->data[i] = (uint8_t)(seq ? i % 251 : fill);
    } else if (!strcmp(t[2], "text")) {
        if (!(c->data = wlp_unescape(rest, &c->dlen)))
            return wlp_err(p, "bad escape in text (\\n \\t \\\\ \\xHH)");
    } else if (!strcmp(t[2], "host") && nt == 4) {
        char err[512];
        if (os_host_read(t[3], MAX_FILE_BYTES, &c->data, &c->dlen, err, sizeof err))
            return wlp_err(p, "%s", err);
    } else {
        return wlp_err(p, "usage: file NAME size N [fill BYTE|seq] | text TEXT | host PATH");
    }
    return wlp_add(&p->files, &p->nfiles, t[1]) < 0 ? wlp_err(p, "out of memory") : 0;
}

/* Parses `[as NAME]` at t[i..nt): binds a new name. */
static int wlp_bind(wlp_t *p, char **t, int nt, int i, wl_cmd_t *c)
{
    if (nt == i)
        return 0;
    if (nt != i + 2 || strcmp(t[i], "as") || !wlp_word(t[i + 1]))
        return wlp_err(p, "unexpected arguments after %s (only `as NAME`)", t[i - 1]);
    c->bind = wlp_index(p->w->names, p->w->nnames, t[i + 1]);
    if (c->bind < 0 && (c->bind = wlp_add(&p->w->names, &p->w->nnames, t[i + 1])) < 0)
        return wlp_err(p, "out of memory");
    return 0;
}

/* `set KEY VALUE`: checked against the key table now, applied by wl_configure. */
static int wlp_set(wlp_t *p, char **t, int nt)
{
    workload_t *w = p->w;
    struct wl_set *s;
    sim_config_t scratch;
    char err[256];

    if (nt != 3)
        return wlp_err(p, "usage: set KEY VALUE");
    config_defaults(&scratch);
    if (config_set(&scratch, t[1], t[2], err, sizeof err))
        return wlp_err(p, "%s", err);
    if (!(s = realloc(w->sets, (w->nsets + 1) * sizeof *s)))
        return wlp_err(p, "out of memory");
    w->sets = s;
    s[w->nsets].key = strdup(t[1]);
    s[w->nsets].value = strdup(t[2]);
    s[w->nsets].line = p->line;
    w->nsets++;
    return 0;
}

/* Parses one command line (tokens t, rest[i] = the line after token i and one blank). */
static int wlp_command(wlp_t *p, char **t, int nt, const char **rest, wl_cmd_t *c)
{
    static const char *const ops[W_COUNT] = { "file", "spawn", "execve", "fork", "exit", "switch",
                                              "mmap", "munmap", "mprotect", "msync", "brk", "load",
                                              "fetch", "store", "put", "write", "print" };
    /* Tokens of each command without its optional `as NAME`; 0: checked by its own parser. */
    static const int ntok[W_COUNT] = { 0, 2, 3, 3, 2, 2, 0, 4, 5, 4, 3, 4, 4, 5, 0, 4, 2 };
    int op = -1, rc;

    for (int i = 0; i < W_COUNT; i++)
        if (!strcmp(t[0], ops[i]))
            op = i;
    if (op < 0)
        return wlp_err(p, "unknown command %s", t[0]);
    c->op = (wl_op_t)op;
    c->bind = -1;
    c->addr.name = -1;
    if (op == W_FILE)
        return wlp_file(p, t, nt, rest[2], c);
    if (ntok[op] && nt != ntok[op] && !((op == W_EXECVE || op == W_BRK) && nt == ntok[op] + 2))
        return wlp_err(p, "%s takes %d arguments", t[0], ntok[op] - 1);
    if (op == W_PRINT) {
        if (wlp_index(p->files, p->nfiles, t[1]) < 0)
            return wlp_err(p, "unknown file %s", t[1]);
        c->name = strdup(t[1]);
        return 0;
    }
    if (nt < 2 || (rc = wlp_pid(p, t[1], &c->pid)))
        return nt < 2 ? wlp_err(p, "%s needs a PID", t[0]) : rc;
    switch (c->op) {
    case W_SPAWN: case W_EXIT: case W_SWITCH:
        return 0;
    case W_FORK:
        return wlp_pid(p, t[2], &c->pid2);
    case W_EXECVE:
        if (!(c->name = strdup(t[2])) || wlp_add(&p->files, &p->nfiles, t[2]) < 0)
            return wlp_err(p, "out of memory");
        return wlp_bind(p, t, nt, 3, c);
    default:
        break;
    }
    if (nt < 3 || (rc = wlp_addr(p, t[2], &c->addr)))
        return nt < 3 ? wlp_err(p, "%s needs an ADDR", t[0]) : rc;
    if (c->op == W_BRK)
        return wlp_bind(p, t, nt, 3, c);
    if (c->op == W_PUT) {
        if (nt < 4 || !(c->data = wlp_unescape(rest[2], &c->dlen)))
            return wlp_err(p, "put needs TEXT (escapes \\n \\t \\\\ \\xHH)");
        return 0;
    }
    if (nt < 4 || wlp_num(t[3], &c->len))
        return wlp_err(p, "bad LEN/SIZE %s", nt > 3 ? t[3] : "(missing)");
    c->len_tok = strdup(t[3]);
    switch (c->op) {
    case W_LOAD: case W_FETCH:
        return c->len >= 1 && c->len <= 4096 ? 0 : wlp_err(p, "SIZE must be 1 to 4096");
    case W_STORE:
        if (c->len != 1 && c->len != 2 && c->len != 4 && c->len != 8)
            return wlp_err(p, "store SIZE must be 1, 2, 4 or 8");
        if (wlp_num(t[4], &c->value) || (c->len < 8 && c->value >> (8 * c->len)))
            return wlp_err(p, "bad VALUE %s for %llu bytes", t[4], (unsigned long long)c->len);
        return 0;
    case W_MPROTECT:
        return wlp_prot(p, t[4], &c->prot);
    case W_MMAP:
        break;
    default:
        return 0;
    }
    if (nt < 6)
        return wlp_err(p, "usage: mmap PID ADDR LEN PROT FLAGS [FILE OFFSET] [as NAME]");
    if ((rc = wlp_prot(p, t[4], &c->prot)) || (rc = wlp_flags(p, t[5], &c->flags)))
        return rc;
    if (c->flags & OS_MAP_ANON)
        return wlp_bind(p, t, nt, 6, c);
    if (nt < 8 || wlp_num(t[7], &c->offset))
        return wlp_err(p, "a file mapping needs FILE OFFSET");
    if (wlp_index(p->files, p->nfiles, t[6]) < 0)
        return wlp_err(p, "unknown file %s", t[6]);
    c->name = strdup(t[6]);
    return wlp_bind(p, t, nt, 8, c);
}

/*
 * The next line of f into buf (room for MAX_LINE characters and a NUL), without
 * its newline: its length; -1 at the end of the file; -2 when it is longer than
 * MAX_LINE; -3 when it holds a NUL byte, which would hide the rest of it from
 * every string function.
 */
static long wlp_getline(FILE *f, char *buf)
{
    long n = 0;
    int ch;

    while ((ch = getc(f)) != EOF && ch != '\n') {
        if (!ch)
            return -3;
        if (n == MAX_LINE)
            return -2;
        buf[n++] = (char)ch;
    }
    buf[n] = '\0';
    return ch == EOF && !n ? -1 : n;
}

/* Reads path line by line into w through fn (a command or a reference line). */
static int wlp_lines(const char *path, workload_t *w, int (*fn)(wlp_t *, char *, const char *))
{
    wlp_t p = { path, 0, w, NULL, 0 };
    char *line = malloc(MAX_LINE + 1), *orig = malloc(MAX_LINE + 1);
    FILE *f = fopen(path, "r");
    int rc = 0;
    long n;

    memset(w, 0, sizeof *w);
    if (!f) {
        fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
        rc = 2;
        goto out;
    }
    if (!line || !orig) {
        rc = wlp_err(&p, "out of memory");
        goto out;
    }
    while (!rc && (n = wlp_getline(f, line)) != -1) {
        p.line++;
        if (n < 0) {
            rc = n == -2 ? wlp_err(&p, "line longer than %d characters", MAX_LINE) : wlp_err(&p, "NUL byte in line");
            break;
        }
        n = (long)strcspn(line, "#\r");
        line[n] = '\0';
        while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
            line[--n] = '\0';
        strcpy(orig, line);
        rc = fn(&p, line, orig);
    }
    if (!rc && ferror(f))
        rc = wlp_err(&p, "read error");
out:
    if (f)
        fclose(f);
    for (int i = 0; i < p.nfiles; i++)
        free(p.files[i]);
    free(p.files);
    free(line);
    free(orig);
    return rc;
}

/* Makes room for element n of the array *arr of *cap elements of size bytes.  0, or 2 (reported). */
static int wlp_grow(wlp_t *p, void **arr, size_t *cap, size_t n, size_t size)
{
    void *a;
    size_t c = *cap ? *cap * 2 : 64;

    if (n < *cap)
        return 0;
    if (!(a = realloc(*arr, c * size)))
        return wlp_err(p, "out of memory");
    *arr = a;
    *cap = c;
    return 0;
}

/* One workload line: tokenized in line, TEXT arguments taken from orig. */
static int wlp_cmd_line(wlp_t *p, char *line, const char *orig)
{
    char *t[MAX_TOKENS + 1];
    const char *rest[MAX_TOKENS + 1];
    int nt = 0, rc;
    workload_t *w = p->w;

    for (char *s = strtok(line, " \t"); s; s = strtok(NULL, " \t")) {
        if (nt == MAX_TOKENS)
            return wlp_err(p, "too many arguments");
        t[nt] = s;
        rest[nt] = orig + (s - line) + strlen(s) + 1;
        nt++;
        /* TEXT runs to the end of the line: its words are not tokens. */
        if (nt == 4 && (!strcmp(t[0], "put") || (!strcmp(t[0], "file") && !strcmp(t[2], "text"))))
            break;
    }
    if (!nt)
        return 0;
    if (!strcmp(t[0], "set"))
        return wlp_set(p, t, nt);
    if (nt > 1)
        rest[nt - 1] = orig + strlen(orig);
    if (wlp_grow(p, (void **)&w->cmds, &w->cap, w->n, sizeof *w->cmds))
        return 2;
    memset(&w->cmds[w->n], 0, sizeof w->cmds[w->n]);
    w->cmds[w->n].line = p->line;
    rc = wlp_command(p, t, nt, rest, &w->cmds[w->n]);
    w->n++;
    return rc;
}

int wl_parse(const char *path, workload_t *w)
{
    return wlp_lines(path, w, wlp_cmd_line);
}

/* One reference-string line: page numbers. */
static int wlp_ref_line(wlp_t *p, char *line, const char *orig)
{
    workload_t *w = p->w;

    (void)orig;
    for (char *s = strtok(line, " \t"); s; s = strtok(NULL, " \t")) {
        uint64_t v;
        if (wlp_num(s, &v) || v >= (1ULL << 35))
            return wlp_err(p, "bad page number %s", s);
        if (wlp_grow(p, (void **)&w->refs, &w->refcap, w->nrefs, sizeof *w->refs))
            return 2;
        w->refs[w->nrefs++] = v;
    }
    return 0;
}

int wl_parse_refs(const char *path, workload_t *w)
{
    int rc = wlp_lines(path, w, wlp_ref_line);

    if (!rc && !w->nrefs) {
        fprintf(stderr, "%s: no page numbers\n", path);
        rc = 2;
    }
    return rc;
}

void wl_free(workload_t *w)
{
    for (size_t i = 0; i < w->n; i++) {
        free(w->cmds[i].addr.tok);
        free(w->cmds[i].len_tok);
        free(w->cmds[i].name);
        free(w->cmds[i].data);
    }
    free(w->cmds);
    for (int i = 0; i < w->nnames; i++)
        free(w->names[i]);
    free(w->names);
    free(w->refs);
    for (size_t i = 0; i < w->nsets; i++) {
        free(w->sets[i].key);
        free(w->sets[i].value);
    }
    free(w->sets);
    memset(w, 0, sizeof *w);
}

int wl_configure(const workload_t *w, const char *path, const char *const *skip, int nskip, sim_config_t *cfg)
{
    char err[256];

    for (size_t i = 0; i < w->nsets; i++) {
        int given = 0;
        for (int k = 0; k < nskip; k++)
            given |= !strcmp(skip[k], w->sets[i].key);
        if (!given && config_set(cfg, w->sets[i].key, w->sets[i].value, err, sizeof err)) {
            fprintf(stderr, "%s:%u: %s\n", path, w->sets[i].line, err);
            return 2;
        }
    }
    if (config_validate(cfg, err, sizeof err)) {
        fprintf(stderr, "%s: invalid configuration after its set lines: %s\n", path, err);
        return 2;
    }
    return 0;
}
