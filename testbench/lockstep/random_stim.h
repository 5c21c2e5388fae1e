// random_stim.h - constrained-random page tables and requests for the
// harnesses that compare the RTL with the golden model: the cycle-level
// lockstep (`lockstep random`) and the SystemC testbench's random stream
// (testbench/systemc/sc_rtl_tb.cpp).  One seed gives one DRAM range, a few
// address spaces whose tables mix 4 KiB pages and superpages with every
// illegal PTE encoding now and then, and a stream of steps: CSR, A/D-policy
// and PTE changes, idle cycles, fences and one request each.  The harness
// applies the steps; the generator never sees the MMU, so two harnesses
// driving the same seed offer the same stimulus.
#ifndef MMUSIM_RANDOM_STIM_H
#define MMUSIM_RANDOM_STIM_H

#include <cstdint>
#include <vector>

#include "config.h"
#include "mmu.h"

// xorshift64: the stream every draw of a seed comes from.
struct Rng {
    uint64_t s;
    explicit Rng(uint64_t seed) : s(seed * 0x9e3779b97f4a7c15ULL + 0x1234567ULL) { next(); }
    uint64_t next()
    {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        return s;
    }
    unsigned below(unsigned n) { return (unsigned)(next() % n); }
    bool pct(unsigned p) { return below(100) < p; }
};

// The memory the generator writes tables to and the OS-side PTE rewrites
// go through: every DRAM image of the harness.  read64 of an unwritten
// word is 0.
class StimMemory {
public:
    virtual ~StimMemory() = default;
    virtual uint64_t read64(uint64_t pa) = 0;
    virtual void write64(uint64_t pa, uint64_t v) = 0;
};

// Both DRAM images of a pair (anything with read64_model and write64: the
// lockstep, the SystemC testbench's ScPair) as the generator's memory.
template <typename Pair> class PairMemory : public StimMemory {
public:
    explicit PairMemory(Pair &p) : p_(p) {}
    uint64_t read64(uint64_t pa) override { return p_.read64_model(pa); }
    void write64(uint64_t pa, uint64_t v) override { p_.write64(pa, v); }

private:
    Pair &p_;
};

// Everything around one request, in the order a harness applies it.
struct StimStep {
    mmu_csr_t csr{};                 // satp/SUM/MXR from this step on
    bool flip_ad = false;            // the A/D policy changes to ad first
    ad_policy_t ad = AD_SVADE;
    std::vector<mmu_sfence_t> gap;   // idle cycles; valid: a fence in that cycle
    bool fence_before = false;       // one fence cycle right before the request
    mmu_sfence_t fence{};
    mmu_req_t req{};
    // A cycle-level harness, while the request is in flight: each cycle with
    // chance inflight_pct percent the fence inflight_fence, and as often a
    // SUM flip once accepted (the walk must then install nothing).
    unsigned inflight_pct = 0;
    mmu_sfence_t inflight_fence{};
    bool sum_after = false;          // SUM flips right after the response
    bool checkpoint = false;         // compare the table frames after this step
};

class RandomStim {
public:
    // Draws the DRAM range (the preset's, or now and then a small one at
    // another base), the memory port's readiness and the A/D policy; cfg
    // is the build's configuration (its mode and DRAM range).
    RandomStim(const sim_config_t &cfg, uint64_t seed);

    uint64_t dram_base() const { return cfg_.dram.base; }
    uint64_t dram_size() const { return cfg_.dram.size; }
    unsigned ready_pct() const { return ready_pct_; }
    ad_policy_t ad() const { return ad_; }

    // Writes the page tables of every address space into mem, which must be
    // empty and cover the drawn DRAM range; returns the CSRs of the first step.
    mmu_csr_t build(StimMemory &mem);
    // The next step; may rewrite a leaf in mem first (the OS's write).
    StimStep next(StimMemory &mem);
    // The frames the tables live in, the pages a harness compares.
    const std::vector<uint64_t> &frames() const { return frames_; }

private:
    struct Space {
        uint16_t asid;
        uint64_t root_ppn;
    };
    struct Target {
        uint64_t va;  // a VA inside the mapping
        int level;    // intended leaf level (region size)
    };

    uint64_t frame();
    uint64_t sext(uint64_t va, int levels);
    uint64_t make_va(int levels);
    uint64_t leaf_pte(int level);
    uint64_t pointer_pte(uint64_t ppn);
    void map(StimMemory &mem, const Space &sp, uint64_t va, int leaf_level, int levels);
    mmu_sfence_t random_fence();
    void switch_space();
    mmu_req_t random_req();

    sim_config_t cfg_;
    Rng rng_;
    unsigned ready_pct_ = 100;
    ad_policy_t ad_ = AD_SVADE;
    int max_levels_ = 3;
    uint64_t next_frame_ = 0, frame_end_ = 0;
    std::vector<uint64_t> frames_;
    std::vector<Space> spaces_;
    std::vector<Target> targets_;
    std::vector<uint64_t> leaves_;  // PTE addresses of leaves written
    int cur_space_ = 0;
    uint16_t asid_ = 0;
    uint64_t steps_ = 0;
    // per-seed knobs: how often fences come and how often encodings are illegal
    unsigned fence_pct_ = 4, bad_div_ = 1;
    mmu_csr_t csr_{};
};

#endif
