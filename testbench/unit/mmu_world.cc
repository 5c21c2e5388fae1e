// mmu_world.cc - random worlds, configurations and streams (see mmu_world.h).
#include "mmu_world.h"

#include <gtest/gtest.h>

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <set>

#include "mmu_fixture.h"

namespace mmutest {
namespace {

// va sign-extended from bit width - 1.
uint64_t sext(uint64_t va, int width)
{
    return (uint64_t)((int64_t)(va << (64 - width)) >> (64 - width));
}

// Builds one World from rng; see build_world().
class WorldBuilder {
public:
    WorldBuilder(std::mt19937_64 &rng, int levels, uint64_t base, uint64_t size) : rng_(rng)
    {
        w_.levels = levels;
        w_.base = base;
        w_.size = size;
        w_.root = base + 0x1000;
        used_.insert(w_.root);
        w_.tables.push_back(w_.root);
    }

    World build()
    {
        const int width = 12 + 9 * w_.levels;
        int ntop = 6, nmid = 5, nlow = 8;
        for (int i = 0; i < ntop; i++) {
            uint64_t top = sext((rng_() & ((1ull << (width - 30)) - 1)) << 30, width);
            for (int j = 0; j < nmid; j++) {
                uint64_t mid = top + ((rng_() % 512) << 21);
                for (int k = 0; k < nlow; k++) {
                    uint64_t va = mid + ((rng_() % 512) << 12);
                    int r = (int)(rng_() % 100);
                    int level = r < 75 ? 0 : r < 92 ? 1 : r < 98 ? 2 : (w_.levels == 4 ? 3 : 0);
                    va &= ~(vm_page_bytes(level) - 1);
                    va = sext(va, width);
                    uint64_t pte = add_mapping(va, level);
                    w_.pool.push_back({va & ~(vm_page_bytes(level) - 1), level, pte});
                    w_.canonical.push_back(va);
                }
            }
        }
        // Unmapped canonical VAs and non-canonical ones.
        for (int i = 0; i < 20; i++) {
            uint64_t va = sext(rng_() & ((1ull << width) - 1) & ~0xfffull, width);
            w_.pool.push_back({va, 0, 0});
            w_.canonical.push_back(va);
        }
        for (int i = 0; i < 8; i++) {
            uint64_t va = (rng_() & ~0xfffull) | (1ull << (width + (rng_() % (64 - width))));
            if (!ref_canonical(va, w_.levels))
                w_.pool.push_back({va, 0, 0});
        }
        return w_;
    }

private:
    uint64_t rnd(uint64_t n) { return rng_() % n; }
    bool chance(int per_mille) { return (int)rnd(1000) < per_mille; }

    uint64_t alloc_table()
    {
        for (;;) {
            uint64_t t = w_.base + 0x2000 + rnd(8192) * PAGE_SIZE; // first 32 MiB
            if (used_.insert(t).second) {
                w_.tables.push_back(t);
                return t;
            }
        }
    }
    void write(uint64_t a, uint64_t v) { w_.mem[a] = v; }
    uint64_t read(uint64_t a) const
    {
        auto it = w_.mem.find(a);
        return it == w_.mem.end() ? 0 : it->second;
    }
    bool good_pointer(uint64_t pte) const
    {
        uint64_t t = PTE_PPN(pte) << 12;
        return (pte & PTE_V) && !(pte & (PTE_R | PTE_W | PTE_X | PTE_A | PTE_D | PTE_U)) && !(pte >> 54) &&
               used_.count(t);
    }
    uint64_t random_dram_ppn(int level)
    {
        uint64_t bytes = vm_page_bytes(level);
        uint64_t n = w_.size / bytes;
        if (n == 0) // a 512 GiB page cannot sit in DRAM: put it at 0
            return 0;
        uint64_t first = (w_.base + bytes - 1) / bytes;
        uint64_t pa = (first + rnd(n)) * bytes;
        if (pa + bytes > w_.base + w_.size)
            pa = first * bytes;
        return pa >> 12;
    }

    // Adds a leaf for va at level, or deeper when a pointer is already there
    // (level is updated); returns the PTE va now leads to (0: none).
    uint64_t add_mapping(uint64_t va, int &level)
    {
        uint64_t table = w_.root;
        for (int i = w_.levels - 1; i > level; i--) {
            uint64_t a = table + vm_vpn_index(va, i) * 8;
            uint64_t pte = read(a);
            if (pte == 0) {
                if (chance(5)) {
                    // An illegal pointer: the subtree faults.
                    uint64_t t = alloc_table();
                    const uint64_t bad[] = {PTE_A, PTE_D, PTE_U, 1ull << (54 + rnd(10)), PTE_W};
                    uint64_t p = PTE_MAKE(t >> 12, PTE_V) | bad[rnd(5)];
                    if (chance(300))
                        p = PTE_MAKE(rnd(2) ? 0x1000 : (w_.base + w_.size) >> 12, PTE_V); // outside DRAM
                    if (chance(150))
                        p &= ~PTE_V;
                    write(a, p);
                    return 0;
                }
                uint64_t t = alloc_table();
                uint64_t f = PTE_V | (chance(50) ? PTE_G : 0) | (chance(100) ? (rnd(4) << 8) : 0);
                write(a, PTE_MAKE(t >> 12, f));
                table = t;
            } else if (good_pointer(pte)) {
                table = PTE_PPN(pte) << 12;
            } else {
                level = i;
                return pte; // a leaf or an illegal PTE is in the way: va goes there
            }
        }
        for (;;) {
            uint64_t a = table + vm_vpn_index(va, level) * 8;
            uint64_t pte = read(a);
            if (pte == 0) {
                uint64_t leaf = random_leaf(level);
                write(a, leaf);
                return leaf;
            }
            if (level == 0 || !good_pointer(pte))
                return pte;
            table = PTE_PPN(pte) << 12;
            level--;
        }
    }

    uint64_t random_leaf(int level)
    {
        if (level == 0 && chance(10)) // a pointer where a leaf must be
            return PTE_MAKE(w_.tables[rnd(w_.tables.size())] >> 12, PTE_V);
        if (chance(20)) // V = 0, other bits random
            return (rng_() & ~PTE_V) & ~(0x3ffull << 54);
        static const uint64_t perms[] = {PTE_R,         PTE_R | PTE_W, PTE_R | PTE_X, PTE_R | PTE_W | PTE_X,
                                         PTE_X,         PTE_R | PTE_W, PTE_R | PTE_W, PTE_R | PTE_W | PTE_X};
        uint64_t f = PTE_V | perms[rnd(8)];
        if (chance(8))
            f = PTE_V | (rnd(2) ? PTE_W : PTE_W | PTE_X); // W without R
        if (chance(350))
            f |= PTE_U;
        if (chance(100))
            f |= PTE_G;
        if (chance(750))
            f |= PTE_A;
        if (chance(550))
            f |= PTE_D;
        if (chance(100))
            f |= rnd(4) << 8;
        uint64_t ppn = random_dram_ppn(level);
        if (level > 0 && chance(15))
            ppn |= 1ull << rnd(9 * level); // misaligned superpage
        if (chance(12))
            ppn = rnd(2) ? rnd(0x80000) : ((w_.base + w_.size) >> 12) + rnd(1 << 20); // outside DRAM
        uint64_t pte = PTE_MAKE(ppn, f);
        if (chance(8))
            pte |= 1ull << (54 + rnd(10)); // reserved
        return pte;
    }

    std::mt19937_64 &rng_;
    World w_;
    std::set<uint64_t> used_;
};

} // namespace

World build_world(std::mt19937_64 &rng, int levels, uint64_t base, uint64_t size)
{
    return WorldBuilder(rng, levels, base, size).build();
}

void load_world(dram_t *d, const World &w)
{
    for (const auto &kv : w.mem)
        ASSERT_EQ(dram_write64(d, kv.first, kv.second), 0);
}

// A random valid configuration (every structure, policy and timing knob).
sim_config_t random_config(std::mt19937_64 &rng)
{
    auto rnd = [&](uint64_t n) { return rng() % n; };
    auto assoc = [&](unsigned max_log2, bool may_be_absent) {
        assoc_cfg_t a;
        a.entries = may_be_absent && rnd(3) == 0 ? 0u : 1u << rnd(max_log2 + 1);
        unsigned wl = 0;
        while ((1u << (wl + 1)) <= a.entries && rnd(2))
            wl++;
        a.ways = rnd(4) == 0 ? 0u : 1u << wl;
        a.policy = (repl_policy_t)rnd(4);
        a.latency = 1 + (unsigned)rnd(4);
        a.seed = 1 + (uint32_t)rnd(0xffff);
        return a;
    };
    for (;;) {
        sim_config_t c = contract_config();
        c.mode = rnd(2) ? VM_SV39 : VM_SV48;
        c.l1 = assoc(6, false);
        c.l1_split = (int)rnd(2);
        c.l2 = assoc(9, true);
        c.pwc = assoc(5, true);
        c.ad = rnd(2) ? AD_SVADU : AD_SVADE;
        if (rnd(2)) {
            c.dram.timing = DRAM_FIXED;
            c.dram.latency = 1 + (unsigned)rnd(40);
        } else {
            c.dram.timing = DRAM_DDR;
            c.dram.banks = 1u << rnd(5);
            c.dram.row_bytes = 8u << rnd(12);
            c.dram.tcl = 1 + (unsigned)rnd(25);
            c.dram.trcd = (unsigned)rnd(25);
            c.dram.trp = (unsigned)rnd(25);
            c.dram.tras = (unsigned)rnd(60);
        }
        char err[256];
        if (config_validate(&c, err, sizeof err) == 0)
            return c;
    }
}

Op Stream::next()
{
    Op op;
    std::memset(&op, 0, sizeof op);
    op.csr.mode = c_.mode;
    op.csr.root_ppn = w_.root >> 12;
    op.csr.sum = (int)rnd(2);
    op.csr.mxr = rnd(4) == 0;
    if (rnd(1000) < 15) {
        op.fence = true;
        int form = (int)rnd(4);
        uint64_t va = w_.canonical[rnd(w_.canonical.size())] + (rnd(2) ? rnd(4096) : 0);
        op.f = make_fence(form & 1, va, (form >> 1) & 1, asid());
        return op;
    }
    if (last_faulted_ && rnd(100) < 30) {
        op.q = last_;
        op.q.replay = 1;
        last_faulted_ = false;
        return op;
    }
    uint64_t va;
    if (rnd(100) < 3) {
        op.csr.mode = VM_BARE;
        va = rnd(2) ? c_.dram.base + rnd(c_.dram.size) : rng_();
    } else {
        size_t idx;
        if (rnd(100) < 80) {
            idx = ws_[rnd(ws_.size())];
        } else {
            idx = rnd(w_.pool.size());
            ws_[rnd(ws_.size())] = idx;
        }
        const World::PoolVa &p = w_.pool[idx];
        uint64_t span = p.level == 0 ? PAGE_SIZE : vm_page_bytes(p.level);
        va = p.va + (rnd(3) == 0 ? rnd(span) : rnd(PAGE_SIZE));
        if (p.pte && rnd(100) < 90) {
            // Mostly accesses the page allows, so that there are hits.
            priv_t priv = (p.pte & PTE_U) && rnd(4) ? PRIV_U : PRIV_S;
            if (priv == PRIV_S && (p.pte & PTE_U))
                op.csr.sum = 1;
            std::vector<acc_t> ok;
            if (p.pte & PTE_R)
                ok.push_back(ACC_LOAD);
            if ((p.pte & PTE_R) && (p.pte & PTE_W))
                ok.push_back(ACC_STORE);
            if ((p.pte & PTE_X) && !(priv == PRIV_S && (p.pte & PTE_U)))
                ok.push_back(ACC_FETCH);
            acc_t acc = ok.empty() ? (acc_t)rnd(3) : ok[rnd(ok.size())];
            op.q = make_req(va, acc, priv, asid(), rnd(10) == 0);
            last_ = op.q;
            return op;
        }
    }
    op.q = make_req(va, (acc_t)rnd(3), (priv_t)rnd(2), asid(), rnd(10) == 0);
    last_ = op.q;
    return op;
}

std::string describe(const Op &op)
{
    char b[256];
    if (op.fence)
        std::snprintf(b, sizeof b, "sfence use_va=%d va=%#" PRIx64 " use_asid=%d asid=%u", op.f.use_va, op.f.va,
                      op.f.use_asid, op.f.asid);
    else
        std::snprintf(b, sizeof b, "req va=%#" PRIx64 " %s priv=%d asid=%u replay=%d mode=%d sum=%d mxr=%d",
                      op.q.va, acc_name(op.q.acc), (int)op.q.priv, op.q.asid, op.q.replay, (int)op.csr.mode,
                      op.csr.sum, op.csr.mxr);
    return b;
}

} // namespace mmutest
