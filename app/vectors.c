/*
 * vectors.c - `mmusim vectors FILE`: directed translation vectors
 * (docs/vectors.md) run on the golden model.  vecfile.c reads the records;
 * this file performs them on the functional path or the cycle-level ports,
 * prints each `t` and `peek` result and checks the expectations.
 */
#include "vectors.h"

#include <stdio.h>
#include <string.h>

#include "memport.h"
#include "vecfile.h"

typedef struct {
    vecfile_t *file;
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

/* (Re)creates DRAM and MMU for v->cfg, keeping the CSR state; -1 (reported) on failure. */
static int vec_setup(vec_t *v)
{
    char err[256];

    vec_teardown(v);
    if (config_validate(&v->cfg, err, sizeof err))
        return vecfile_error(v->file, "%s", err);
    v->dram = dram_create(v->cfg.dram.base, v->cfg.dram.size);
    v->mmu = v->dram ? mmu_create(&v->cfg, v->dram) : NULL;
    if (!v->mmu || (v->cycle_level && memport_init(&v->port, v->dram, &v->cfg.dram, 100, 1))) {
        if (v->cycle_level && v->mmu)
            memport_fini(&v->port);
        mmu_destroy(v->mmu);
        v->mmu = NULL;
        return vecfile_error(v->file, "out of memory");
    }
    mmu_set_csr(v->mmu, &v->csr);
    return 0;
}

/* Records the outcome of the check of record r. */
static void vec_check(vec_t *v, const vec_rec_t *r, int ok, const char *expected, const char *got)
{
    v->checks++;
    if (ok)
        return;
    v->failures++;
    fprintf(stderr, "%s:%d: expected %s, got %s\n", vecfile_path(v->file), r->line, expected, got);
}

/* Translates r's VA with the current state, prints the result and checks it. */
static void vec_translate(vec_t *v, const vec_rec_t *r)
{
    mmu_req_t req = { .va = r->a, .acc = r->acc, .priv = v->priv, .asid = v->asid };
    mmu_resp_t resp;
    char got[80], want[80];

    if (v->cycle_level)
        memport_translate(&v->port, v->mmu, &req, &resp);
    else
        mmu_translate(v->mmu, &req, &resp);
    vec_result_text(resp.fault, resp.pa, got, sizeof got);
    fprintf(v->out, "0x%llx %s %s\n", (unsigned long long)req.va, acc_name(req.acc), got);
    if (!r->expect)
        return;
    vec_result_text(r->expect_fault, r->expect_value, want, sizeof want);
    vec_check(v, r, vec_t_met(r, resp.fault, resp.pa), want, got);
}

/* Performs one record; -1 (reported) when the machine refuses it. */
static int vec_do(vec_t *v, const vec_rec_t *r)
{
    uint64_t value;
    char got[40], want[40];

    switch (r->kind) {
    case VEC_T:
        vec_translate(v, r);
        return 0;
    case VEC_PEEK:
        if (dram_read64(v->dram, r->a, &value))
            return vecfile_error(v->file, "peek address 0x%llx is not an 8-aligned DRAM address",
                                 (unsigned long long)r->a);
        fprintf(v->out, "0x%llx 0x%llx\n", (unsigned long long)r->a, (unsigned long long)value);
        if (r->expect) {
            snprintf(got, sizeof got, "0x%llx", (unsigned long long)value);
            snprintf(want, sizeof want, "0x%llx", (unsigned long long)r->expect_value);
            vec_check(v, r, value == r->expect_value, want, got);
        }
        return 0;
    case VEC_SFENCE:
        if (v->cycle_level)
            memport_sfence(&v->port, v->mmu, &r->fence);
        else
            mmu_sfence(v->mmu, &r->fence);
        return 0;
    case VEC_MEM:
        if (dram_write64(v->dram, r->a, r->b))
            return vecfile_error(v->file, "mem address 0x%llx is not an 8-aligned DRAM address",
                                 (unsigned long long)r->a);
        return 0;
    case VEC_DRAM:
        v->cfg.dram.base = r->a;
        v->cfg.dram.size = r->b;
        return vec_setup(v);
    case VEC_SATP:
        v->csr.mode = r->mode;
        v->csr.root_ppn = r->mode == VM_BARE ? 0 : r->a;
        v->asid = r->mode == VM_BARE ? 0 : r->asid;
        break;
    case VEC_AD:
        v->cfg.ad = r->ad;
        mmu_set_ad(v->mmu, r->ad);
        return 0;
    case VEC_PRIV:
        v->priv = r->priv;
        return 0;
    case VEC_SUM:
        v->csr.sum = r->flag;
        break;
    case VEC_MXR:
        v->csr.mxr = r->flag;
        break;
    }
    mmu_set_csr(v->mmu, &v->csr);
    return 0;
}

int vectors_run(const char *path, const sim_config_t *cfg, int cycle_level, FILE *out)
{
    vec_t v;
    vec_rec_t r;
    int rc = 2, got;

    memset(&v, 0, sizeof v);
    if (!(v.file = vecfile_open(path)))
        return 2;
    v.cfg = *cfg;
    v.cycle_level = cycle_level;
    v.priv = PRIV_S;
    v.csr.mode = VM_BARE;
    v.out = out;
    if (vec_setup(&v))
        goto done;
    while ((got = vecfile_next(v.file, &r)) == 1)
        if (vec_do(&v, &r))
            goto done;
    if (got < 0)
        goto done;
    fprintf(stderr, "%s: %u checks, %u passed, %u failed\n", path, v.checks, v.checks - v.failures, v.failures);
    rc = v.failures ? 1 : 0;
    if (!v.checks) {
        fprintf(stderr, "%s: nothing was checked: a vector file needs an expectation (`=>`, docs/vectors.md)\n",
                path);
        rc = 1;
    }
done:
    vec_teardown(&v);
    vecfile_close(v.file);
    return rc;
}
