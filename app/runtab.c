/*
 * runtab.c - the run table: records in, one CSV out (runjson.h), and
 * `mmusim merge` (sweep.h), which is nothing more.
 *
 * A record is read whole before it touches the table, so a malformed one
 * leaves no half-added columns behind.  The union of a histogram's buckets
 * is kept on its column; a row keeps its own buckets, both ascending, and
 * the writer walks the two together.
 */
#define _XOPEN_SOURCE 700
#include "runjson.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "stats.h"
#include "sweep.h"

typedef struct {
    char *name;
    int hist;
    uint64_t *bucket;   /* histogram: union over the records, ascending */
    size_t n;
} rcol_t;

typedef struct {
    unsigned long run;
    size_t seq;         /* read order: ties of run keep it */
    runval_t *val;      /* indexed by column; columns added after the row are absent */
    size_t nval;
} rrow_t;

struct runtab {
    rcol_t *col;
    size_t ncol, capcol;
    rrow_t *row;
    size_t nrow, caprow;
};

/* Prints "path:line: message"; returns -1. */
static int rt_fail(const char *path, unsigned long line, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    parse_report(path, line, fmt, ap);
    va_end(ap);
    return -1;
}

/* Index of the column named name, trying *hint first (records share their key order); or -1. */
static long rt_col_find(const runtab_t *t, const char *name, size_t *hint)
{
    size_t i = *hint;

    if (i >= t->ncol || strcmp(t->col[i].name, name))
        for (i = 0; i < t->ncol && strcmp(t->col[i].name, name); i++)
            ;
    if (i == t->ncol)
        return -1;
    *hint = i + 1;
    return (long)i;
}

/* Merges the ascending b[0..n) into c's bucket union; 0 or -1 (no memory). */
static int rt_col_union(rcol_t *c, const uint64_t *b, size_t n)
{
    uint64_t *u;
    size_t i = 0, k = 0, m = 0;

    if (!n)
        return 0;
    if (!(u = malloc((c->n + n) * sizeof *u)))
        return -1;
    while (i < c->n || k < n) {
        if (k == n || (i < c->n && c->bucket[i] < b[k]))
            u[m++] = c->bucket[i++];
        else if (i == c->n || b[k] < c->bucket[i])
            u[m++] = b[k++];
        else
            u[m++] = (i++, b[k++]);
    }
    free(c->bucket);
    c->bucket = u;
    c->n = m;
    return 0;
}

/*
 * Moves r's values into the table as a new row, adding columns and
 * buckets.  Checks first that no key changes between value and histogram,
 * so that failure adds nothing; 0 or -1 (message printed).
 */
static int rt_add(runtab_t *t, const char *path, runrec_t *r, unsigned long run)
{
    long *ci = malloc((r->n ? r->n : 1) * sizeof *ci);
    size_t hint = 0;
    rrow_t *row;

    if (!ci || run_grow(&t->row, &t->caprow, t->nrow, sizeof *t->row))
        goto oom;
    for (size_t i = 0; i < r->n; i++) {
        const runfield_t *f = &r->field[i];
        ci[i] = rt_col_find(t, f->key, &hint);
        if (ci[i] >= 0 && t->col[ci[i]].hist != f->val.hist) {
            rt_fail(path, f->line, "'%s' is %s here but %s in an earlier record", f->key,
                    f->val.hist ? "a histogram" : "a value", f->val.hist ? "a value" : "a histogram");
            free(ci);
            return -1;
        }
    }
    for (size_t i = 0; i < r->n; i++) {
        runfield_t *f = &r->field[i];
        if (ci[i] < 0) {
            if (run_grow(&t->col, &t->capcol, t->ncol, sizeof *t->col))
                goto oom;
            t->col[t->ncol] = (rcol_t){ f->key, f->val.hist, NULL, 0 };
            f->key = NULL;
            ci[i] = (long)t->ncol++;
        }
        if (rt_col_union(&t->col[ci[i]], f->val.bucket, f->val.n))
            goto oom;
    }
    row = &t->row[t->nrow];
    *row = (rrow_t){ run, t->nrow, calloc(t->ncol ? t->ncol : 1, sizeof *row->val), t->ncol };
    if (!row->val)
        goto oom;
    for (size_t i = 0; i < r->n; i++) {
        row->val[ci[i]] = r->field[i].val;
        memset(&r->field[i].val, 0, sizeof r->field[i].val);
    }
    t->nrow++;
    free(ci);
    return 0;
oom:
    free(ci);
    return rt_fail(path, 1, "out of memory");
}

runtab_t *runtab_new(void)
{
    return calloc(1, sizeof(runtab_t));
}

void runtab_free(runtab_t *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->ncol; i++) {
        free(t->col[i].name);
        free(t->col[i].bucket);
    }
    for (size_t i = 0; i < t->nrow; i++) {
        for (size_t k = 0; k < t->row[i].nval; k++)
            runval_free(&t->row[i].val[k]);
        free(t->row[i].val);
    }
    free(t->col);
    free(t->row);
    free(t);
}

int runtab_read(runtab_t *t, const char *path, unsigned long run)
{
    runrec_t r;
    int rc;

    if (runrec_read(path, &r))
        return -1;
    rc = rt_add(t, path, &r, run);
    runrec_free(&r);
    return rc;
}


/*
 * Writes the header of bucket b of histogram column name: "w.histogram"
 * gives "w.hist.B", another name "x" gives "x.B".  0, or -1 when out of memory.
 */
static int rt_csv_bucket_name(FILE *f, const char *name, uint64_t b)
{
    size_t n = strlen(name), sfx = strlen(".histogram");
    int hist = n >= sfx && !strcmp(name + n - sfx, ".histogram");
    char *h = malloc(n + 32);

    if (!h)
        return -1;
    snprintf(h, n + 32, "%.*s%s.%" PRIu64, (int)(hist ? n - sfx : n), name, hist ? ".hist" : "", b);
    stats_csv_field(f, h);
    free(h);
    return 0;
}

static int rt_row_cmp(const void *a, const void *b)
{
    const rrow_t *x = a, *y = b;

    if (x->run != y->run)
        return x->run < y->run ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Writes the cells of histogram column c for a row holding v (NULL: the row lacks it). */
static void rt_csv_hist(FILE *f, const rcol_t *c, const runval_t *v)
{
    size_t j = 0;

    for (size_t k = 0; k < c->n; k++) {
        fputc(',', f);
        if (!v || !v->present)
            continue;
        while (j < v->n && v->bucket[j] < c->bucket[k])
            j++;
        fputs(j < v->n && v->bucket[j] == c->bucket[k] ? v->count[j] : "0", f);
    }
}

int runtab_write_csv(runtab_t *t, FILE *f)
{
    qsort(t->row, t->nrow, sizeof *t->row, rt_row_cmp);
    fputs("run", f);
    for (size_t c = 0; c < t->ncol; c++) {
        if (!t->col[c].hist) {
            fputc(',', f);
            stats_csv_field(f, t->col[c].name);
        }
        for (size_t k = 0; k < t->col[c].n; k++) {
            fputc(',', f);
            if (rt_csv_bucket_name(f, t->col[c].name, t->col[c].bucket[k]))
                return -1;
        }
    }
    fputc('\n', f);
    for (size_t r = 0; r < t->nrow; r++) {
        const rrow_t *row = &t->row[r];
        fprintf(f, "%lu", row->run);
        for (size_t c = 0; c < t->ncol; c++) {
            const runval_t *v = c < row->nval ? &row->val[c] : NULL;
            if (t->col[c].hist) {
                rt_csv_hist(f, &t->col[c], v);
                continue;
            }
            fputc(',', f);
            if (v && v->text)
                stats_csv_field(f, v->text);
        }
        fputc('\n', f);
    }
    return 0;
}

/* The run number in a file name run-N.json (any folder), or 0 when the name is not one. */
static unsigned long rt_run_number(const char *path)
{
    const char *b = strrchr(path, '/');
    size_t digits;

    b = b ? b + 1 : path;
    if (strncmp(b, "run-", 4))
        return 0;
    digits = strspn(b + 4, "0123456789");
    if (!digits || digits > 9 || strcmp(b + 4 + digits, ".json"))
        return 0;
    return strtoul(b + 4, NULL, 10);
}

static int rt_ulong_cmp(const void *a, const void *b)
{
    unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

    return x < y ? -1 : x > y;
}

int merge_run(char **files, int nfiles, const char *out)
{
    unsigned long *num = calloc((size_t)nfiles + 1, sizeof *num), *sorted = calloc((size_t)nfiles + 1, sizeof *num);
    runtab_t *t = runtab_new();
    FILE *f = NULL;
    int named = 1, rc = 2;

    if (!num || !sorted || !t) {
        fprintf(stderr, "mmusim merge: out of memory\n");
        goto out;
    }
    if (!nfiles) {
        fprintf(stderr, "mmusim merge: no JSON files given\n");
        goto out;
    }
    /* run-N.json names (a jobs file's) number the rows; any other name makes them 1..n in order. */
    for (int i = 0; i < nfiles; i++)
        named &= (sorted[i] = num[i] = rt_run_number(files[i])) != 0;
    qsort(sorted, (size_t)nfiles, sizeof *sorted, rt_ulong_cmp);
    for (int i = 0; i < nfiles; i++) {
        if (!named)
            num[i] = (unsigned long)i + 1;
        else if (i && sorted[i] == sorted[i - 1]) {
            fprintf(stderr, "mmusim merge: run %lu given twice\n", sorted[i]);
            goto out;
        }
    }
    for (int i = 0; i < nfiles; i++)
        if (runtab_read(t, files[i], num[i]))
            goto out;
    if (out && !(f = fopen(out, "w"))) {
        fprintf(stderr, "mmusim merge: -o %s: %s\n", out, strerror(errno));
        goto out;
    }
    rc = runtab_write_csv(t, f ? f : stdout) ? 2 : 0;
    if ((f && fclose(f)) || fflush(stdout)) {
        fprintf(stderr, "mmusim merge: cannot write %s\n", out ? out : "the CSV");
        rc = 2;
    }
    f = NULL;
out:
    if (f)
        fclose(f);
    runtab_free(t);
    free(num);
    free(sorted);
    return rc;
}
