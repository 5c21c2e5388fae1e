/*
 * vecfile.c - reading the translation-vector format (docs/vectors.md) into
 * records.  Only the syntax is checked here, and everything that a single
 * line shows (field counts, numbers, names, widths); what depends on the
 * machine (is the address in DRAM?) is the executor's to report.
 */
#include "vecfile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

#define MAX_TOKENS 8

struct vecfile {
    const char *path;
    FILE *in;
    int line;
    char buf[4096];
};

vecfile_t *vecfile_open(const char *path)
{
    vecfile_t *f = calloc(1, sizeof *f);

    if (!f) {
        fprintf(stderr, "%s: out of memory\n", path);
        return NULL;
    }
    f->path = path;
    if (!(f->in = fopen(path, "r"))) {
        fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
        free(f);
        return NULL;
    }
    return f;
}

void vecfile_close(vecfile_t *f)
{
    if (!f)
        return;
    fclose(f->in);
    free(f);
}

const char *vecfile_path(const vecfile_t *f) { return f->path; }

int vecfile_error(const vecfile_t *f, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    parse_report(f->path, (unsigned long)f->line, fmt, ap);
    va_end(ap);
    return -1;
}

/* Parses number token tok into *out; -1 (reported) on a malformed one. */
static int vf_number(const vecfile_t *f, const char *tok, uint64_t *out)
{
    return parse_u64(tok, out) ? vecfile_error(f, "bad number '%s'", tok) : 0;
}

/* Parses an ASID token; -1 (reported) when malformed or wider than 16 bits. */
static int vf_asid(const vecfile_t *f, const char *tok, uint16_t *asid)
{
    uint64_t v;

    if (vf_number(f, tok, &v))
        return -1;
    if (v > SATP_ASID_MASK)
        return vecfile_error(f, "ASID 0x%llx wider than 16 bits", (unsigned long long)v);
    *asid = (uint16_t)v;
    return 0;
}

/* `t VA ACC [=> ok PA | => fault KIND]`. */
static int vf_translate(const vecfile_t *f, char **tok, int n, vec_rec_t *r)
{
    static const char *const accs[] = { "r", "w", "x" };
    int a;

    if (n != 3 && !(n == 6 && !strcmp(tok[3], "=>")))
        return vecfile_error(f, "usage: t VA r|w|x [=> ok PA | => fault KIND]");
    if (vf_number(f, tok[1], &r->a))
        return -1;
    for (a = 0; a < 3 && strcmp(tok[2], accs[a]); a++)
        ;
    if (a == 3)
        return vecfile_error(f, "access must be r, w or x, got '%s'", tok[2]);
    r->acc = (acc_t)a;
    if (n == 3)
        return 0;
    r->expect = 1;
    if (!strcmp(tok[4], "ok")) {
        r->expect_fault = FAULT_NONE;
        return vf_number(f, tok[5], &r->expect_value);
    }
    if (strcmp(tok[4], "fault"))
        return vecfile_error(f, "expected 'ok' or 'fault' after '=>', got '%s'", tok[4]);
    if (fault_parse(tok[5], &r->expect_fault) || r->expect_fault == FAULT_NONE)
        return vecfile_error(f, "unknown fault kind '%s' (load-page, store-page, fetch-page, "
                                "load-access, store-access, fetch-access)", tok[5]);
    return 0;
}

/* `sfence [VA|*] [ASID|*]`. */
static int vf_sfence(const vecfile_t *f, char **tok, int n, vec_rec_t *r)
{
    r->fence.valid = 1;
    if (n > 3)
        return vecfile_error(f, "usage: sfence [VA|*] [ASID|*]");
    if (n >= 2 && strcmp(tok[1], "*")) {
        if (vf_number(f, tok[1], &r->fence.va))
            return -1;
        r->fence.use_va = 1;
    }
    if (n == 3 && strcmp(tok[2], "*")) {
        if (vf_asid(f, tok[2], &r->fence.asid))
            return -1;
        r->fence.use_asid = 1;
    }
    return 0;
}

/* `satp bare` or `satp sv39|sv48 ASID ROOTPPN`. */
static int vf_satp(const vecfile_t *f, char **tok, int n, vec_rec_t *r)
{
    if (n == 2 && !strcmp(tok[1], "bare")) {
        r->mode = VM_BARE;
        return 0;
    }
    if (n != 4 || (strcmp(tok[1], "sv39") && strcmp(tok[1], "sv48")))
        return vecfile_error(f, "usage: satp bare | satp sv39|sv48 ASID ROOTPPN");
    r->mode = strcmp(tok[1], "sv39") ? VM_SV48 : VM_SV39;
    if (vf_asid(f, tok[2], &r->asid) || vf_number(f, tok[3], &r->a))
        return -1;
    if (r->a > SATP_PPN_MASK)
        return vecfile_error(f, "root PPN 0x%llx wider than 44 bits", (unsigned long long)r->a);
    return 0;
}

/* The one-word settings: `ad svade|svadu`, `priv u|s`, `sum 0|1`, `mxr 0|1`. */
static int vf_setting(const vecfile_t *f, char **tok, int n, vec_rec_t *r)
{
    static const struct {
        const char *name, *v0, *v1;
        vec_kind_t kind;
    } settings[] = {
        { "ad", "svade", "svadu", VEC_AD },
        { "priv", "u", "s", VEC_PRIV },
        { "sum", "0", "1", VEC_SUM },
        { "mxr", "0", "1", VEC_MXR },
    };

    for (size_t i = 0; i < sizeof settings / sizeof *settings; i++) {
        if (strcmp(tok[0], settings[i].name))
            continue;
        if (n != 2)
            return vecfile_error(f, "usage: %s %s|%s", tok[0], settings[i].v0, settings[i].v1);
        if (strcmp(tok[1], settings[i].v0) && strcmp(tok[1], settings[i].v1))
            return vecfile_error(f, "%s must be %s or %s, got '%s'", tok[0], settings[i].v0, settings[i].v1,
                                 tok[1]);
        r->kind = settings[i].kind;
        r->flag = !strcmp(tok[1], settings[i].v1);
        r->ad = r->flag ? AD_SVADU : AD_SVADE;
        r->priv = r->flag ? PRIV_S : PRIV_U;
        return 0;
    }
    return vecfile_error(f, "unknown directive '%s' (dram satp ad priv sum mxr mem t peek sfence)", tok[0]);
}

/* Fills r from the n tokens of one line. */
static int vf_directive(const vecfile_t *f, char **tok, int n, vec_rec_t *r)
{
    const char *d = tok[0];

    if (!strcmp(d, "t")) {
        r->kind = VEC_T;
        return vf_translate(f, tok, n, r);
    }
    if (!strcmp(d, "sfence")) {
        r->kind = VEC_SFENCE;
        return vf_sfence(f, tok, n, r);
    }
    if (!strcmp(d, "satp")) {
        r->kind = VEC_SATP;
        return vf_satp(f, tok, n, r);
    }
    if (!strcmp(d, "peek")) {
        r->kind = VEC_PEEK;
        if (n != 2 && !(n == 4 && !strcmp(tok[2], "=>")))
            return vecfile_error(f, "usage: peek PA [=> VALUE]");
        r->expect = n == 4;
        return vf_number(f, tok[1], &r->a) || (r->expect && vf_number(f, tok[3], &r->expect_value)) ? -1 : 0;
    }
    if (!strcmp(d, "mem") || !strcmp(d, "dram")) {
        r->kind = d[0] == 'm' ? VEC_MEM : VEC_DRAM;
        if (n != 3)
            return vecfile_error(f, "usage: %s", d[0] == 'm' ? "mem PA VALUE" : "dram BASE SIZE");
        return vf_number(f, tok[1], &r->a) || vf_number(f, tok[2], &r->b) ? -1 : 0;
    }
    return vf_setting(f, tok, n, r);
}

int vecfile_next(vecfile_t *f, vec_rec_t *r)
{
    while (fgets(f->buf, sizeof f->buf, f->in)) {
        char *tok[MAX_TOKENS + 1];
        int n;

        f->line++;
        if (!strchr(f->buf, '\n') && !feof(f->in))
            return vecfile_error(f, "line longer than %zu characters", sizeof f->buf - 2);
        n = parse_tokens(f->buf, tok, MAX_TOKENS + 1);
        if (n > MAX_TOKENS)
            return vecfile_error(f, "too many fields");
        if (n == 0)
            continue;
        memset(r, 0, sizeof *r);
        r->line = f->line;
        return vf_directive(f, tok, n, r) ? -1 : 1;
    }
    if (ferror(f->in)) {
        fprintf(stderr, "%s: read error\n", f->path);
        return -1;
    }
    return 0;
}

void vec_result_text(fault_t fault, uint64_t pa, char *buf, size_t len)
{
    if (fault == FAULT_NONE)
        snprintf(buf, len, "ok 0x%llx", (unsigned long long)pa);
    else
        snprintf(buf, len, "fault %s", fault_name(fault));
}

int vec_t_met(const vec_rec_t *r, fault_t fault, uint64_t pa)
{
    return fault == r->expect_fault && (fault != FAULT_NONE || pa == r->expect_value);
}
