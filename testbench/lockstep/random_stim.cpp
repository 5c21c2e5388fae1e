// random_stim.cpp - the constrained-random stimulus of the RTL harnesses
// (testbench/lockstep/random_stim.h).
#include "random_stim.h"

#include "ptw.h"

RandomStim::RandomStim(const sim_config_t &cfg, uint64_t seed) : cfg_(cfg), rng_(seed)
{
    if (rng_.pct(20)) {
        cfg_.dram.base = (uint64_t)(1 + rng_.below(8)) << 28;
        cfg_.dram.size = (uint64_t)(1 + rng_.below(4)) << 24;
    }
    static const unsigned ready[] = { 100, 100, 90, 60, 30 };
    ready_pct_ = ready[rng_.below(5)];
    ad_ = rng_.pct(50) ? AD_SVADU : AD_SVADE;
    max_levels_ = vm_levels(cfg_.mode);
}

uint64_t RandomStim::frame()
{
    uint64_t pa = next_frame_;
    next_frame_ += 4096;
    frames_.push_back(pa);
    return pa;
}

uint64_t RandomStim::sext(uint64_t va, int levels)
{
    int width = 12 + 9 * levels;
    return (uint64_t)((int64_t)(va << (64 - width)) >> (64 - width));
}

// A VA whose VPN fields come from small ranges most of the time, so that
// mappings share tables (walk-cache hits) and collide in TLB sets.
uint64_t RandomStim::make_va(int levels)
{
    uint64_t va = rng_.next() & 0xfff;
    for (int l = 0; l < levels; l++) {
        uint64_t idx = rng_.pct(70) ? rng_.below(l == 0 ? 24 : 3) : rng_.below(512);
        if (l == levels - 1 && rng_.pct(15))
            idx = 511 - rng_.below(2); // upper half: sign-extended VAs
        va |= idx << (12 + 9 * l);
    }
    return sext(va, levels);
}

// A leaf of level with random permissions, A/D, G, RSW, and now and then
// every illegal encoding: W without R, reserved bits, V = 0, a misaligned
// superpage, a PPN outside DRAM.
uint64_t RandomStim::leaf_pte(int level)
{
    static const uint64_t perms[] = { PTE_R, PTE_R | PTE_W, PTE_X, PTE_R | PTE_X, PTE_R | PTE_W | PTE_X,
                                      PTE_R, PTE_R | PTE_W };
    uint64_t f = PTE_V | perms[rng_.below(7)];
    if (rng_.pct(50)) f |= PTE_U;
    if (rng_.pct(12)) f |= PTE_G;
    if (rng_.pct(80)) f |= PTE_A;
    if (rng_.pct(55)) f |= PTE_D;
    if (rng_.pct(10)) f |= (uint64_t)rng_.below(4) << 8; // RSW: ignored
    uint64_t span = 1ULL << (9 * level);
    uint64_t base_ppn = cfg_.dram.base >> 12, npages = cfg_.dram.size >> 12;
    uint64_t ppn;
    if (npages >= span) {
        uint64_t slots = npages / span;
        ppn = ((base_ppn + span - 1) / span + rng_.next() % (slots ? slots : 1)) * span;
        if (ppn + span > base_ppn + npages)
            ppn = ((base_ppn + span - 1) / span) * span;
    } else {
        ppn = base_ppn & ~(span - 1);
    }
    unsigned bad = rng_.below(100) * bad_div_;
    if (bad < 3) f = (f & ~PTE_R) | PTE_W;                      // W without R
    else if (bad < 5) f |= (uint64_t)(1 + rng_.below(1023)) << 54;  // reserved 63:54
    else if (bad < 7) f &= ~PTE_V;                             // invalid
    else if (bad < 12 && level > 0) ppn |= 1 + rng_.next() % (span - 1);  // misaligned
    else if (bad < 15) ppn = (rng_.pct(50) ? base_ppn + npages : 0) + (rng_.next() & 0xffff) * span; // outside
    return PTE_MAKE(ppn, f);
}

// A pointer to the table at ppn, now and then illegal (A/D/U set, W only,
// reserved bits, V = 0) or pointing outside DRAM, G now and then.
uint64_t RandomStim::pointer_pte(uint64_t ppn)
{
    uint64_t f = PTE_V;
    if (rng_.pct(15)) f |= PTE_G;
    if (rng_.pct(10)) f |= (uint64_t)rng_.below(4) << 8;
    unsigned bad = rng_.below(100) * bad_div_;
    if (bad < 2) f |= PTE_A;
    else if (bad < 3) f |= PTE_D;
    else if (bad < 4) f |= PTE_U;
    else if (bad < 5) f |= PTE_W;
    else if (bad < 6) f |= 1ULL << (54 + rng_.below(10));
    else if (bad < 7) f &= ~PTE_V;
    else if (bad < 9) ppn = (rng_.pct(50) ? (cfg_.dram.base + cfg_.dram.size) >> 12 : 1) + rng_.below(64);
    return PTE_MAKE(ppn, f);
}

// Builds the path to va in sp down to leaf_level as far as the existing
// entries allow (an existing leaf or an illegal pointer stops it).
void RandomStim::map(StimMemory &mem, const Space &sp, uint64_t va, int leaf_level, int levels)
{
    uint64_t table = sp.root_ppn << 12;
    for (int l = levels - 1; l >= 0; l--) {
        uint64_t addr = table + vm_vpn_index(va, l) * 8;
        uint64_t pte = mem.read64(addr);
        if (l == leaf_level) {
            if (pte == 0) {
                uint64_t v = (l == 0 && rng_.pct(2)) ? PTE_MAKE(rng_.next() & 0xfffff, PTE_V) // pointer at level 0
                                                     : leaf_pte(l);
                mem.write64(addr, v);
                leaves_.push_back(addr);
            }
            return;
        }
        if (pte == 0) {
            if (next_frame_ >= frame_end_)
                return;
            uint64_t f = frame();
            pte = pointer_pte(f >> 12);
            mem.write64(addr, pte);
        }
        bool legal = (pte & PTE_V) && !(pte & (PTE_R | PTE_W | PTE_X | PTE_A | PTE_D | PTE_U)) &&
                     !(pte & PTE_RESERVED_MASK) && PTE_PPN(pte) << 12 >= cfg_.dram.base &&
                     (PTE_PPN(pte) << 12) - cfg_.dram.base < cfg_.dram.size && PTE_PPN(pte) << 12 < frame_end_;
        if (!legal)
            return;
        table = PTE_PPN(pte) << 12;
    }
}

mmu_sfence_t RandomStim::random_fence()
{
    mmu_sfence_t f{};
    f.valid = 1;
    f.use_va = rng_.pct(70);
    f.use_asid = rng_.pct(50);
    if (!f.use_va && !f.use_asid && fence_pct_ < 4 && rng_.pct(70))
        f.use_va = 1; // capacity seeds: few full flushes
    if (!targets_.empty() && rng_.pct(90))
        f.va = targets_[rng_.below((unsigned)targets_.size())].va ^ (rng_.next() & 0xfff);
    else
        f.va = rng_.next();
    f.asid = spaces_[rng_.below((unsigned)spaces_.size())].asid;
    return f;
}

void RandomStim::switch_space()
{
    cur_space_ = (int)rng_.below((unsigned)spaces_.size());
    csr_.root_ppn = spaces_[cur_space_].root_ppn;
    if (rng_.pct(2)) // a root table outside DRAM: access fault at the top level
        csr_.root_ppn = ((cfg_.dram.base + cfg_.dram.size) >> 12) + rng_.below(16);
}

mmu_csr_t RandomStim::build(StimMemory &mem)
{
    uint64_t base = cfg_.dram.base, size = cfg_.dram.size;
    next_frame_ = base + ((size >= (64ULL << 20)) ? (1ULL << 20) : 0);
    frame_end_ = next_frame_ + (size >= (64ULL << 20) ? (8ULL << 20) : size / 2);
    // half the seeds fence rarely and use few illegal encodings, so that the
    // structures fill up and replacement decides (capacity seeds)
    bool capacity = rng_.pct(50);
    fence_pct_ = capacity ? 1 : 4;
    bad_div_ = capacity ? 4 : 1;
    unsigned nspaces = 1 + rng_.below(4);
    for (unsigned i = 0; i < nspaces; i++)
        spaces_.push_back(Space{ (uint16_t)(i == 0 ? rng_.below(3) : rng_.below(65536)), frame() >> 12 });
    // mappings: each space gets its own targets; Sv48 presets also use Sv39
    unsigned ntargets = capacity ? 48 + rng_.below(160) : 16 + rng_.below(48);
    // capacity seeds also crowd one TLB set: VAs equal in their low VPN bits
    uint64_t crowd = rng_.next() & 0xff000;
    for (unsigned i = 0; i < ntargets; i++) {
        const Space &sp = spaces_[rng_.below(nspaces)];
        int levels = max_levels_;
        uint64_t va = make_va(levels);
        if (capacity && rng_.pct(30))
            va = sext((va & ~0xff000ULL) | crowd, levels);
        unsigned r = rng_.below(100);
        int leaf = r < 65 ? 0 : r < 85 ? 1 : r < 95 ? 2 : (levels == 4 ? 3 : 2);
        map(mem, sp, va, leaf, levels);
        if (max_levels_ == 4) {
            uint64_t va39 = make_va(3);
            map(mem, sp, va39, leaf > 2 ? 2 : leaf, 3);
            targets_.push_back(Target{ va39, leaf });
        }
        targets_.push_back(Target{ va, leaf });
    }

    csr_.mode = max_levels_ == 4 ? VM_SV48 : VM_SV39;
    switch_space();
    asid_ = spaces_[cur_space_].asid;
    return csr_;
}

// Mostly a VA inside a target's mapping (its page, a random byte of its
// region, or the neighbour page), else a random canonical VA, a
// non-canonical one, or a physical-looking address at the DRAM's edges.
mmu_req_t RandomStim::random_req()
{
    mmu_req_t req{};
    unsigned r = rng_.below(100);
    if (r < 88 && !targets_.empty()) {
        const Target &t = targets_[rng_.below((unsigned)targets_.size())];
        uint64_t span = (1ULL << (12 + 9 * t.level)) - 1;
        req.va = rng_.pct(50) ? t.va : ((t.va & ~span) | (rng_.next() & span));
        if (rng_.pct(5)) req.va += 4096; // the neighbour page
    } else if (r < 94) {
        req.va = make_va(max_levels_);
    } else if (r < 97) {
        req.va = rng_.next(); // mostly non-canonical
    } else {
        req.va = cfg_.dram.base + (rng_.next() % (cfg_.dram.size + 8192)) - 4096; // Bare-mode style PAs, edges
    }
    req.acc = (acc_t)rng_.below(3);
    if (fence_pct_ < 4 && rng_.pct(20)) // capacity seeds: more fetches, for the instruction L1
        req.acc = ACC_FETCH;
    req.priv = rng_.pct(60) ? PRIV_S : PRIV_U;
    req.asid = rng_.pct(95) ? asid_ : (uint16_t)rng_.below(4);
    req.replay = rng_.pct(5);
    return req;
}

StimStep RandomStim::next(StimMemory &mem)
{
    StimStep s;
    // CSR and state changes between requests
    if (rng_.pct(12)) {
        switch_space();
        asid_ = spaces_[cur_space_].asid;
    }
    if (rng_.pct(6)) csr_.sum = !csr_.sum;
    if (rng_.pct(6)) csr_.mxr = !csr_.mxr;
    if (rng_.pct(2)) csr_.mode = VM_BARE;
    else if (csr_.mode == VM_BARE && rng_.pct(30)) csr_.mode = max_levels_ == 4 ? VM_SV48 : VM_SV39;
    if (max_levels_ == 4 && csr_.mode != VM_BARE && rng_.pct(3))
        csr_.mode = csr_.mode == VM_SV48 ? VM_SV39 : VM_SV48;
    if (rng_.pct(1)) {
        ad_ = ad_ == AD_SVADU ? AD_SVADE : AD_SVADU;
        s.flip_ad = true;
    }
    s.ad = ad_;
    s.csr = csr_;
    if (rng_.pct(3) && !leaves_.empty()) { // the OS rewrites a leaf
        uint64_t addr = leaves_[rng_.below((unsigned)leaves_.size())];
        uint64_t old = mem.read64(addr);
        uint64_t v = rng_.pct(50) ? (old ^ (1ULL << rng_.below(8))) : (old & ~(PTE_A | PTE_D));
        mem.write64(addr, v);
    }
    unsigned gap = rng_.pct(30) ? rng_.below(4) : 0;
    for (unsigned g = 0; g < gap; g++) {
        mmu_sfence_t f{};
        if (rng_.pct(6 * fence_pct_))
            f = random_fence();
        s.gap.push_back(f);
    }
    s.fence_before = rng_.pct(fence_pct_);
    if (s.fence_before)
        s.fence = random_fence();
    s.req = random_req();
    s.inflight_fence = random_fence();
    s.inflight_pct = rng_.pct(5) ? 3 : 0;
    // a CSR change right after (in flight of nothing) or between
    s.sum_after = rng_.pct(1);
    if (s.sum_after)
        csr_.sum = !csr_.sum;
    s.checkpoint = (steps_++ & 1023) == 1023;
    return s;
}
