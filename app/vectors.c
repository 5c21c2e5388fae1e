/*
 * vectors.c - `mmusim vectors FILE`: directed translation vectors
 * (docs/vectors.md).  Each line is one directive; `t` and `peek` print a
 * result and may carry an expectation after `=>`.
 */
#include "vectors.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "memport.h"
#include "parse.h"

#define MAX_TOKENS 8

typedef struct {
    const char *path;
    int line;
    sim_config_t cfg;
    dram_t *dram;
    mmu_t *mmu;
    memport_t port;
    int cycle_level;
    mmu_csr_t csr;
    uint16_t asid;
    priv_t priv;
    unsigned checks, failures;
    FILE *out;
} vec_t;

/* Reports a malformed line; returns -1 for the caller to unwind. */
static int vec_error(vec_t *v, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s:%d: ", v->path, v->line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return -1;
}

/* Parses a number token; -1 (reported) on a malformed one. */
static int vec_number(vec_t *v, const char *tok, uint64_t *out)
{
    if (parse_u64(tok, out))
        return vec_error(v, "bad number '%s'", tok);
    return 0;
}

/* Frees the DRAM and MMU of v. */
static void vec_teardown(vec_t *v)
{
    if (v->cycle_level && v->mmu)
        memport_fini(&v->port);
    mmu_destroy(v->mmu);
    dram_destroy(v->dram);
    v->mmu = NULL;
    v->dram = NULL;
}

/* (Re)creates DRAM and MMU for v->cfg, keeping the CSR state. */
static int vec_setup(vec_t *v)
{
    char err[256];

    vec_teardown(v);
    if (config_validate(&v->cfg, err, sizeof err))
        return vec_error(v, "%s", err);
    v->dram = dram_create(v->cfg.dram.base, v->cfg.dram.size);
    v->mmu = v->dram ? mmu_create(&v->cfg, v->dram) : NULL;
    if (!v->mmu || (v->cycle_level && memport_init(&v->port, v->dram, &v->cfg.dram, 100, 1))) {
        if (v->cycle_level && v->mmu)
            memport_fini(&v->port);
        mmu_destroy(v->mmu);
        v->mmu = NULL;
        return vec_error(v, "out of memory");
    }
    mmu_set_csr(v->mmu, &v->csr);
    return 0;
}

/* Parses "0|1" into *flag. */
static int vec_bool(vec_t *v, const char *tok, int *flag)
{
    if (strcmp(tok, "0") && strcmp(tok, "1"))
        return vec_error(v, "expected 0 or 1, got '%s'", tok);
    *flag = tok[0] == '1';
    return 0;
}

/* Records the outcome of one check. */
static void vec_check(vec_t *v, int ok, const char *expected, const char *got)
{
    v->checks++;
    if (ok)
        return;
    v->failures++;
    fprintf(stderr, "%s:%d: expected %s, got %s\n", v->path, v->line, expected, got);
}

/* `t VA ACC [=> ok PA | => fault KIND]`. */
static int vec_translate(vec_t *v, char **tok, int n)
{
    static const char *const accs[] = { "r", "w", "x" };
    mmu_req_t req = { 0 };
    mmu_resp_t resp;
    char got[80], want[80];
    int a;

    if (n != 3 && !(n == 6 && !strcmp(tok[3], "=>")))
        return vec_error(v, "usage: t VA r|w|x [=> ok PA | => fault KIND]");
    if (vec_number(v, tok[1], &req.va))
        return -1;
    for (a = 0; a < 3 && strcmp(tok[2], accs[a]); a++)
        ;
    if (a == 3)
        return vec_error(v, "access must be r, w or x, got '%s'", tok[2]);
    req.acc = (acc_t)a;
    req.priv = v->priv;
    req.asid = v->asid;
    if (v->cycle_level)
        memport_translate(&v->port, v->mmu, &req, &resp);
    else
        mmu_translate(v->mmu, &req, &resp);
    if (resp.fault == FAULT_NONE)
        snprintf(got, sizeof got, "ok 0x%llx", (unsigned long long)resp.pa);
    else
        snprintf(got, sizeof got, "fault %s", fault_name(resp.fault));
    fprintf(v->out, "0x%llx %s %s\n", (unsigned long long)req.va, tok[2], got);
    if (n == 3)
        return 0;
    if (!strcmp(tok[4], "ok")) {
        uint64_t pa;
        if (vec_number(v, tok[5], &pa))
            return -1;
        snprintf(want, sizeof want, "ok 0x%llx", (unsigned long long)pa);
    } else if (!strcmp(tok[4], "fault")) {
        int f;
        for (f = 1; f < FAULT_COUNT && strcmp(tok[5], fault_name((fault_t)f)); f++)
            ;
        if (f == FAULT_COUNT)
            return vec_error(v, "unknown fault kind '%s' (load-page, store-page, fetch-page, "
                                "load-access, store-access, fetch-access)", tok[5]);
        snprintf(want, sizeof want, "fault %s", tok[5]);
    } else {
        return vec_error(v, "expected 'ok' or 'fault' after '=>', got '%s'", tok[4]);
    }
    vec_check(v, !strcmp(want, got), want, got);
    return 0;
}

/* `peek PA [=> VALUE]`. */
static int vec_peek(vec_t *v, char **tok, int n)
{
    uint64_t pa, value, want;
    char got[40], exp[40];

    if (n != 2 && !(n == 4 && !strcmp(tok[2], "=>")))
        return vec_error(v, "usage: peek PA [=> VALUE]");
    if (vec_number(v, tok[1], &pa))
        return -1;
    if (dram_read64(v->dram, pa, &value))
        return vec_error(v, "peek address 0x%llx is not an 8-aligned DRAM address", (unsigned long long)pa);
    fprintf(v->out, "0x%llx 0x%llx\n", (unsigned long long)pa, (unsigned long long)value);
    if (n == 2)
        return 0;
    if (vec_number(v, tok[3], &want))
        return -1;
    snprintf(got, sizeof got, "0x%llx", (unsigned long long)value);
    snprintf(exp, sizeof exp, "0x%llx", (unsigned long long)want);
    vec_check(v, value == want, exp, got);
    return 0;
}

/* `sfence [VA|*] [ASID|*]`. */
static int vec_sfence(vec_t *v, char **tok, int n)
{
    mmu_sfence_t f = { 1, 0, 0, 0, 0 };
    uint64_t asid;

    if (n > 3)
        return vec_error(v, "usage: sfence [VA|*] [ASID|*]");
    if (n >= 2 && strcmp(tok[1], "*")) {
        if (vec_number(v, tok[1], &f.va))
            return -1;
        f.use_va = 1;
    }
    if (n == 3 && strcmp(tok[2], "*")) {
        if (vec_number(v, tok[2], &asid))
            return -1;
        if (asid > SATP_ASID_MASK)
            return vec_error(v, "ASID 0x%llx wider than 16 bits", (unsigned long long)asid);
        f.use_asid = 1;
        f.asid = (uint16_t)asid;
    }
    if (v->cycle_level)
        memport_sfence(&v->port, v->mmu, &f);
    else
        mmu_sfence(v->mmu, &f);
    return 0;
}

/* `satp bare` or `satp sv39|sv48 ASID ROOTPPN`. */
static int vec_satp(vec_t *v, char **tok, int n)
{
    uint64_t asid, ppn;

    if (n == 2 && !strcmp(tok[1], "bare")) {
        v->csr.mode = VM_BARE;
        v->csr.root_ppn = 0;
        v->asid = 0;
    } else if (n == 4 && (!strcmp(tok[1], "sv39") || !strcmp(tok[1], "sv48"))) {
        if (vec_number(v, tok[2], &asid) || vec_number(v, tok[3], &ppn))
            return -1;
        if (asid > SATP_ASID_MASK)
            return vec_error(v, "ASID 0x%llx wider than 16 bits", (unsigned long long)asid);
        if (ppn > SATP_PPN_MASK)
            return vec_error(v, "root PPN 0x%llx wider than 44 bits", (unsigned long long)ppn);
        v->csr.mode = strcmp(tok[1], "sv39") ? VM_SV48 : VM_SV39;
        v->csr.root_ppn = ppn;
        v->asid = (uint16_t)asid;
    } else {
        return vec_error(v, "usage: satp bare | satp sv39|sv48 ASID ROOTPPN");
    }
    mmu_set_csr(v->mmu, &v->csr);
    return 0;
}

/* Executes one tokenised line. */
static int vec_directive(vec_t *v, char **tok, int n)
{
    const char *d = tok[0];
    uint64_t a, b;

    if (!strcmp(d, "t"))
        return vec_translate(v, tok, n);
    if (!strcmp(d, "peek"))
        return vec_peek(v, tok, n);
    if (!strcmp(d, "sfence"))
        return vec_sfence(v, tok, n);
    if (!strcmp(d, "satp"))
        return vec_satp(v, tok, n);
    if (!strcmp(d, "mem")) {
        if (n != 3)
            return vec_error(v, "usage: mem PA VALUE");
        if (vec_number(v, tok[1], &a) || vec_number(v, tok[2], &b))
            return -1;
        if (dram_write64(v->dram, a, b))
            return vec_error(v, "mem address 0x%llx is not an 8-aligned DRAM address", (unsigned long long)a);
        return 0;
    }
    if (!strcmp(d, "dram")) {
        if (n != 3)
            return vec_error(v, "usage: dram BASE SIZE");
        if (vec_number(v, tok[1], &v->cfg.dram.base) || vec_number(v, tok[2], &v->cfg.dram.size))
            return -1;
        return vec_setup(v);
    }
    if (strcmp(d, "ad") && strcmp(d, "priv") && strcmp(d, "sum") && strcmp(d, "mxr"))
        return vec_error(v, "unknown directive '%s' (dram satp ad priv sum mxr mem t peek sfence)", d);
    if (n != 2)
        return vec_error(v, "usage: %s VALUE", d);
    if (!strcmp(d, "ad")) {
        if (strcmp(tok[1], "svade") && strcmp(tok[1], "svadu"))
            return vec_error(v, "ad must be svade or svadu, got '%s'", tok[1]);
        mmu_set_ad(v->mmu, tok[1][4] == 'u' ? AD_SVADU : AD_SVADE);
        v->cfg.ad = tok[1][4] == 'u' ? AD_SVADU : AD_SVADE;
        return 0;
    }
    if (!strcmp(d, "priv")) {
        if (strcmp(tok[1], "u") && strcmp(tok[1], "s"))
            return vec_error(v, "priv must be u or s, got '%s'", tok[1]);
        v->priv = tok[1][0] == 'u' ? PRIV_U : PRIV_S;
        return 0;
    }
    if (vec_bool(v, tok[1], d[0] == 's' ? &v->csr.sum : &v->csr.mxr))
        return -1;
    mmu_set_csr(v->mmu, &v->csr);
    return 0;
}

int vectors_run(const char *path, const sim_config_t *cfg, int cycle_level, FILE *out)
{
    vec_t v;
    char buf[4096];
    int rc = 2;
    FILE *in = fopen(path, "r");

    if (!in) {
        fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
        return 2;
    }
    memset(&v, 0, sizeof v);
    v.path = path;
    v.cfg = *cfg;
    v.cycle_level = cycle_level;
    v.priv = PRIV_S;
    v.csr.mode = VM_BARE;
    v.out = out;
    if (vec_setup(&v))
        goto done;
    while (fgets(buf, sizeof buf, in)) {
        char *tok[MAX_TOKENS + 1];
        int n;
        v.line++;
        if (!strchr(buf, '\n') && !feof(in)) {
            vec_error(&v, "line longer than %zu characters", sizeof buf - 2);
            goto done;
        }
        n = parse_tokens(buf, tok, MAX_TOKENS + 1);
        if (n > MAX_TOKENS) {
            vec_error(&v, "too many fields");
            goto done;
        }
        if (n > 0 && vec_directive(&v, tok, n))
            goto done;
    }
    if (ferror(in)) {
        fprintf(stderr, "%s: read error\n", path);
        goto done;
    }
    fprintf(stderr, "%s: %u checks, %u passed, %u failed\n", path, v.checks, v.checks - v.failures,
            v.failures);
    rc = v.failures ? 1 : 0;
done:
    vec_teardown(&v);
    fclose(in);
    return rc;
}
