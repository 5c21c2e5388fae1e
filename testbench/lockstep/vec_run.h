// vec_run.h - vector files (docs/vectors.md) on a pair of MMUs, the RTL
// and the golden model, whatever harness joins them: the cycle-level
// lockstep (lockstep_main.cpp) or the SystemC testbench, where each side is
// an MmuTlm (testbench/systemc/sc_rtl_tb.cpp).  The file is read by
// app/vecfile.c, the one reader of the format.
#ifndef MMUSIM_VEC_RUN_H
#define MMUSIM_VEC_RUN_H

#include <cstdint>
#include <string>

#include "config.h"
#include "dram.h"
#include "mmu.h"

// The pair as a vector file drives it.  A translation or fence that
// returns false has found a mismatch between the sides, already reported.
class VecSides {
public:
    virtual ~VecSides() = default;
    // Fresh DRAM images of [base, base + size) and fresh MMUs with the CSR
    // and A/D policy set so far; from then on every write to the model's
    // image outside a translation (the file's `mem`) reaches the RTL's too.
    virtual void restart(uint64_t base, uint64_t size) = 0;
    virtual void set_csr(const mmu_csr_t &csr) = 0;
    virtual void set_ad(ad_policy_t ad) = 0;
    virtual void write64(uint64_t pa, uint64_t v) = 0;
    virtual uint64_t read64_model(uint64_t pa) = 0;
    virtual uint64_t read64_rtl(uint64_t pa) = 0;
    virtual dram_t *dram_model() = 0;
    virtual bool sfence(const mmu_sfence_t &f) = 0;
    // *resp: what the OS would act on (the RTL's fault and PA).
    virtual bool translate(const mmu_req_t &req, mmu_resp_t *resp) = 0;
    // What a mismatch report names as the place (file and line).
    virtual void set_context(const std::string &s) = 0;
    virtual bool failed() const = 0;
};

struct VecCounts {
    unsigned checks = 0, skipped = 0;
};

// 1 when pa is the address of an aligned 8-byte word of the DRAM of cfg.
bool vec_dram_word(const sim_config_t &cfg, uint64_t pa);

// Runs the vector file path on the pair built for cfg, counting into *n.
// 0; 1 on a mismatch or an unmet expectation (printed as FILE:LINE:); 2 on
// bad input.
int vec_run_file(VecSides &sides, const sim_config_t &cfg, const char *path, VecCounts *n);

#endif
