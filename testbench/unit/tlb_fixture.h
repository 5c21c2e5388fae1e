// tlb_fixture.h - what the TLB suites (test_tlb*.cc) share: a tlb_t that
// frees itself, and the entries and configurations they build.
#ifndef MMUSIM_TLB_FIXTURE_H
#define MMUSIM_TLB_FIXTURE_H

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>

#include "ref_assoc.h"
#include "tlb.h"

namespace tlbtest {

constexpr uint8_t kV = (uint8_t)PTE_V;
constexpr uint8_t kG = (uint8_t)PTE_G;
constexpr uint8_t kRA = (uint8_t)(PTE_R | PTE_A);

struct TlbDeleter {
    void operator()(tlb_t *t) const { tlb_destroy(t); }
};
using TlbPtr = std::unique_ptr<tlb_t, TlbDeleter>;

// A structure's parameters; latency 1, which tlb.c does not use.
inline assoc_cfg_t make_cfg(unsigned entries, unsigned ways, repl_policy_t policy, uint32_t seed = 1)
{
    assoc_cfg_t c;
    c.entries = entries;
    c.ways = ways;
    c.policy = policy;
    c.latency = 1;
    c.seed = seed;
    return c;
}

// A TLB of that shape probing levels min_level..max_level; checked non-NULL.
inline TlbPtr make_tlb(unsigned entries, unsigned ways, repl_policy_t policy, uint32_t seed = 1, int min_level = 0,
                       int max_level = 3)
{
    assoc_cfg_t c = make_cfg(entries, ways, policy, seed);
    tlb_t *t = tlb_create(&c, min_level, max_level);
    EXPECT_NE(t, nullptr);
    return TlbPtr(t);
}

// An entry of `level` covering vpn, valid, with extra flags and G when global.
inline tlb_entry_t mk(uint64_t vpn, int level, uint64_t ppn, uint16_t asid, bool global = false, uint8_t extra = kRA)
{
    tlb_entry_t e;
    e.tag = vpn >> (9 * level);
    e.ppn = ppn;
    e.asid = asid;
    e.level = (uint8_t)level;
    e.flags = (uint8_t)(kV | extra | (global ? kG : 0));
    return e;
}

// The reference structure's view of a model entry.
inline RefEntry to_ref(const tlb_entry_t &e)
{
    RefEntry r;
    r.valid = (e.flags & kV) != 0;
    r.tag = e.tag;
    r.ppn = e.ppn;
    r.asid = e.asid;
    r.level = e.level;
    r.flags = e.flags;
    return r;
}

// "lru", "plru", "fifo", "random".
inline const char *policy_name(repl_policy_t p)
{
    switch (p) {
    case REPL_LRU: return "lru";
    case REPL_PLRU: return "plru";
    case REPL_FIFO: return "fifo";
    case REPL_RANDOM: return "random";
    }
    return "?";
}

} // namespace tlbtest

#endif
