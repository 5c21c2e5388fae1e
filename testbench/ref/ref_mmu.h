// ref_mmu.h - the reference MMU: page walk (privileged specification
// 20211203, 4.3.2 and 4.4), TLB levels and walk cache (ref_assoc.h), DRAM
// timing (ref_dram.h) and the timing contract of docs/timing.md, run
// functionally with the statistics of model/mmu.h.  Written from those pages,
// not from model/: the agreement suite compares both MMU paths with it.
#ifndef MMUSIM_REF_MMU_H
#define MMUSIM_REF_MMU_H

#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

#include "mmu.h"
#include "ref_assoc.h"
#include "ref_dram.h"

// Physical memory as 8-byte words by address; an absent word reads zero.
using RefMem = std::unordered_map<uint64_t, uint64_t>;

// The page fault / access fault of access type a (scause 12/13/15, 1/5/7).
fault_t ref_page_fault(acc_t a);
fault_t ref_access_fault(acc_t a);

// 1 when a leaf with pte's U/R/W/X allows acc at priv under SUM and MXR (4.3.1, 4.3.2 step 5).
bool ref_perm(uint64_t pte, acc_t acc, priv_t priv, int sum, int mxr);

// 1 when va's bits above the VA width of `levels` copy its top bit.
bool ref_canonical(uint64_t va, int levels);

// The outcome of one walk and what it read on the way.
struct RefWalk {
    fault_t fault = FAULT_NONE;
    uint64_t pa = 0, leaf = 0;
    int leaf_level = 0;
    bool global = false; // G of the leaf or of any pointer above it
    struct Ptr {
        int level;
        uint64_t ppn;
        bool global;
    };
    std::vector<Ptr> ptrs; // the pointer PTEs read, shallowest first
};

// The walk of 4.3.2 from `level` with `table` (the root, or a walk-cache hit
// whose G is `global`); mem_op(addr, is_write) hears every memory access, and
// an svadu A/D update is written into mem.
RefWalk ref_walk(RefMem &mem, uint64_t va, acc_t acc, priv_t priv, int sum, int mxr, ad_policy_t ad,
                 uint64_t base, uint64_t size, int level, uint64_t table, bool global,
                 const std::function<void(uint64_t, bool)> &mem_op);

// The whole MMU, functional, requests back to back with memory always ready.
class RefMmu {
public:
    RefMmu(const sim_config_t &c, const RefMem &mem);

    void set_csr(const mmu_csr_t &c) { csr_ = c; }
    const mmu_stats_t &stats() const { return st_; }
    RefMem &mem() { return mem_; }
    uint64_t now() const { return now_; }
    unsigned count_valid(int which) const { return tlb_[which] ? tlb_[which]->count_valid() : 0u; }
    unsigned pwc_count_valid() const { return pwc_ ? pwc_->count_valid() : 0u; }

    // Runs q from the current cycle to its response; no_install: a fence or a
    // CSR change happened while it was in flight, so it fills nothing.
    mmu_resp_t translate(const mmu_req_t &q, bool no_install = false);
    // An sfence.vma of its own cycle.
    void sfence(const mmu_sfence_t &f);
    // An sfence.vma during the request just translated: before its response,
    // so the cycle count does not move.
    void sfence_in_flight(const mmu_sfence_t &f);

private:
    bool probe(RefAssoc &t, tlb_counts_t &c, const mmu_req_t &q, uint64_t vpn, RefEntry &got, fault_t &fault,
               uint64_t &pa);
    uint64_t walk(const mmu_req_t &q, int levels, uint64_t vpn, int which, uint64_t t, bool no_install,
                  fault_t &fault, uint64_t &pa, uint64_t &start);
    void flush(const mmu_sfence_t &f);
    bool in_dram(uint64_t pa) const { return pa >= cfg_.dram.base && pa - cfg_.dram.base < cfg_.dram.size; }

    sim_config_t cfg_;
    RefMem mem_;
    RefDram dram_;
    mmu_csr_t csr_;
    mmu_stats_t st_;
    uint64_t now_ = 0;
    std::unique_ptr<RefAssoc> tlb_[TLB_COUNT];
    std::unique_ptr<RefAssoc> pwc_;
};

#endif
