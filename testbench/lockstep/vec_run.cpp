// vec_run.cpp - vector files on an RTL/model pair (testbench/lockstep/vec_run.h).
//
// docs/vectors.md, read by app/vecfile.c like `mmusim vectors` reads it: every
// `t` and `peek` is compared between the sides by the harness and checked
// against the file's expectation.  An Sv39-only RTL (Levels = 3) has no Sv48:
// satp.MODE is WARL and would never hold it.  On such a build exactly the `t`
// lines under `satp sv48` skip the pair and run on a model of their own
// (same configuration, sharing the pair's memory), whose svadu A/D writes
// reach both DRAM images as the operating system's writes do; so the `peek`s
// and translations after them still hold, and every expectation is checked.
#include "vec_run.h"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>

#include "vecfile.h"

// The model alone, for the Sv48 translations of an Sv39 RTL build.
class Sv48Alone {
public:
    ~Sv48Alone() { mmu_destroy(m_); }
    // Forgets the structures (a `dram` line recreates the pair).
    void reset()
    {
        mmu_destroy(m_);
        m_ = nullptr;
    }
    // CSR and A/D state, kept for a model created later.
    void set_csr(const mmu_csr_t &csr)
    {
        csr_ = csr;
        if (m_)
            mmu_set_csr(m_, &csr_);
    }
    void set_ad(ad_policy_t ad)
    {
        ad_ = ad;
        if (m_)
            mmu_set_ad(m_, ad_);
    }
    void sfence(const mmu_sfence_t &f)
    {
        if (m_)
            mmu_sfence(m_, &f);
    }
    // Translates req on the model alone, created on first use over dram.
    mmu_resp_t translate(const sim_config_t &cfg, dram_t *dram, const mmu_req_t &req)
    {
        mmu_resp_t resp;
        if (!m_) {
            if (!(m_ = mmu_create(&cfg, dram))) {
                fprintf(stderr, "vectors: out of memory\n");
                exit(2);
            }
            mmu_set_csr(m_, &csr_);
            mmu_set_ad(m_, ad_);
        }
        mmu_translate(m_, &req, &resp);
        return resp;
    }

private:
    mmu_t *m_ = nullptr;
    mmu_csr_t csr_{};
    ad_policy_t ad_ = AD_SVADE;
};

// 1 when pa is the address of an aligned 8-byte word of the DRAM of cfg.
bool vec_dram_word(const sim_config_t &cfg, uint64_t pa)
{
    return pa % 8 == 0 && pa >= cfg.dram.base && pa - cfg.dram.base <= cfg.dram.size - 8;
}

int vec_run_file(VecSides &sides, const sim_config_t &cfg0, const char *path, VecCounts *n)
{
    vecfile_t *f = vecfile_open(path);
    if (!f)
        return 2;
    sim_config_t cfg = cfg0;
    mmu_csr_t csr{ VM_BARE, 0, 0, 0 };
    uint16_t asid = 0;
    priv_t priv = PRIV_S;
    sides.set_ad(cfg.ad);
    sides.set_csr(csr);
    sides.restart(cfg.dram.base, cfg.dram.size);
    Sv48Alone alone;
    alone.set_ad(cfg.ad);
    int rc = 0, got;
    vec_rec_t r;
    char err[256];
    while (rc == 0 && (got = vecfile_next(f, &r)) == 1) {
        char ctx[600];
        snprintf(ctx, sizeof ctx, "vector %s:%d", path, r.line);
        sides.set_context(ctx);
        switch (r.kind) {
        case VEC_DRAM:
            cfg.dram.base = r.a;
            cfg.dram.size = r.b;
            if (config_validate(&cfg, err, sizeof err)) {
                rc = 2, vecfile_error(f, "%s", err);
                break;
            }
            sides.restart(r.a, r.b);
            alone.reset();
            break;
        case VEC_SATP:
            csr.mode = r.mode;
            csr.root_ppn = r.mode == VM_BARE ? 0 : r.a;
            asid = r.mode == VM_BARE ? 0 : r.asid;
            sides.set_csr(csr);
            alone.set_csr(csr);
            break;
        case VEC_AD:
            sides.set_ad(r.ad);
            alone.set_ad(r.ad);
            break;
        case VEC_PRIV:
            priv = r.priv;
            break;
        case VEC_SUM:
        case VEC_MXR:
            (r.kind == VEC_SUM ? csr.sum : csr.mxr) = r.flag;
            sides.set_csr(csr);
            alone.set_csr(csr);
            break;
        case VEC_MEM:
            if (!vec_dram_word(cfg, r.a))
                rc = 2, vecfile_error(f, "mem address %#" PRIx64 " is not an 8-aligned DRAM address", r.a);
            else
                sides.write64(r.a, r.b);
            break;
        case VEC_PEEK: {
            if (!vec_dram_word(cfg, r.a)) {
                rc = 2, vecfile_error(f, "peek address %#" PRIx64 " is not an 8-aligned DRAM address", r.a);
                break;
            }
            uint64_t vm = sides.read64_model(r.a), vr = sides.read64_rtl(r.a);
            n->checks++;
            if (vm != vr || (r.expect && r.expect_value != vr)) {
                vecfile_error(f, "peek %#" PRIx64 ": expected %#" PRIx64 ", model %#" PRIx64 ", rtl %#" PRIx64, r.a,
                              r.expect ? r.expect_value : vm, vm, vr);
                rc = 1;
            }
            break;
        }
        case VEC_SFENCE:
            alone.sfence(r.fence);
            if (!sides.sfence(r.fence))
                rc = 1;
            break;
        case VEC_T: {
            mmu_req_t req{};
            req.va = r.a;
            req.acc = r.acc;
            req.priv = priv;
            req.asid = asid;
            mmu_resp_t resp;
            bool skip = csr.mode == VM_SV48 && cfg0.mode == VM_SV39;
            if (skip) {
                n->skipped++;
                resp = alone.translate(cfg, sides.dram_model(), req);
            } else if (!sides.translate(req, &resp)) {
                rc = 1;
                break;
            }
            n->checks++;
            if (r.expect && !vec_t_met(&r, resp.fault, resp.pa)) {
                char want[80], gotx[80];
                vec_result_text(r.expect_fault, r.expect_value, want, sizeof want);
                vec_result_text(resp.fault, resp.pa, gotx, sizeof gotx);
                vecfile_error(f, "expected %s, got %s (%s)", want, gotx, skip ? "the model alone" : "both sides");
                rc = 1;
            }
            break;
        }
        }
    }
    if (got < 0)
        rc = 2;
    vecfile_close(f);
    return sides.failed() ? 1 : rc;
}

