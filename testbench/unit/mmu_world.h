// mmu_world.h - the random inputs of the MMU agreement suite: page tables
// holding every legal and illegal PTE shape (World), configurations, and
// streams of requests, fences and CSR values over a world (Stream).
#ifndef MMUSIM_MMU_WORLD_H
#define MMUSIM_MMU_WORLD_H

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "mmu.h"
#include "ref_mmu.h"

namespace mmutest {

// Page tables written into a RefMem, and the VAs worth asking about.
struct World {
    int levels;
    uint64_t base, size, root;
    RefMem mem;                   // the page tables as written
    std::vector<uint64_t> tables; // every table page, root included
    struct PoolVa {
        uint64_t va;
        int level;    // region size for offsets
        uint64_t pte; // the leaf written for it, 0 when none
    };
    std::vector<PoolVa> pool;
    std::vector<uint64_t> canonical; // VAs usable as fence addresses
};

// A random world of `levels` levels in DRAM [base, base + size): mostly good
// mappings of every page size, with illegal pointers and leaves, tables and
// pages outside DRAM, unmapped and non-canonical VAs among them.
World build_world(std::mt19937_64 &rng, int levels, uint64_t base, uint64_t size);
// Writes the world's tables into d.
void load_world(dram_t *d, const World &w);

// A random valid configuration (every structure, policy and timing knob).
sim_config_t random_config(std::mt19937_64 &rng);

// One operation of a random stream: a fence, or a request under csr.
struct Op {
    bool fence;
    mmu_sfence_t f;
    mmu_req_t q;
    mmu_csr_t csr;
};

// Random operations over world w under configuration c (both must outlive it).
class Stream {
public:
    Stream(std::mt19937_64 &rng, const World &w, const sim_config_t &c) : rng_(rng), w_(w), c_(c)
    {
        for (int i = 0; i < 24; i++)
            ws_.push_back(rnd(w_.pool.size()));
    }
    // The next operation: a fence (1.5%), a replay of the last faulting request
    // (30% after one), or a request, mostly to a working set of 24 pool VAs.
    Op next();
    // Tells the stream how the last request ended, for its replays.
    void result(fault_t f) { last_faulted_ = f != FAULT_NONE; }

private:
    uint64_t rnd(uint64_t n) { return rng_() % n; }
    uint16_t asid()
    {
        static const uint16_t a[] = {0, 5, 0xffff};
        return a[rnd(3)];
    }
    std::mt19937_64 &rng_;
    const World &w_;
    const sim_config_t &c_;
    std::vector<size_t> ws_;
    mmu_req_t last_{};
    bool last_faulted_ = false;
};

// One line naming op, for failure messages.
std::string describe(const Op &op);

} // namespace mmutest

#endif
