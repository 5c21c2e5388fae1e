// lockstep_main.cpp - stimulus for the RTL/model lockstep (testbench/lockstep/lockstep.h):
//
//   lockstep_PRESET random [--seed S] [--seeds N] [--requests M]
//   lockstep_PRESET fill          (directed: testbench/lockstep/lockstep_fill.cpp)
//   lockstep_PRESET vectors FILE...
//   lockstep_PRESET trace FILE [--max-refs N] [--stats FMT]
//   lockstep_PRESET run [--refs] [--check] [--stats FMT] FILE
//   common options: --set KEY=VALUE (dram.* timing, os.*, swap.*: the MMU is
//                   fixed by the build), --wave FILE.fst, --wave-from CYCLE,
//                   --cov FILE (functional coverage points)
//
// trace and run go through the operating system's fault handler (csrc/, see
// testbench/lockstep/lockstep_os.cpp); their output is that of `mmusim trace/run`
// with the statistics of the model's side, and the summary goes to stderr.
//
// The binary is built for one configuration (LOCKSTEP_CONFIG, the same file
// `mmusim config --rtl-params` turned into the RTL's parameters).  Exit status: 0 no
// mismatch, 1 a mismatch (reported with the seed to reproduce it), 2 usage.
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "lockstep.h"
#include "parse.h"
#include "ptw.h"
#include "vecfile.h"

#ifndef LOCKSTEP_CONFIG
#error "build with -DLOCKSTEP_CONFIG=\"configs/NAME.cfg\""
#endif

// ------------------------------------------------------------------ random
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

// ---------------------------------------------- constrained-random stimulus
struct Space {
    uint16_t asid;
    uint64_t root_ppn;
};

struct Target {
    uint64_t va;     // a VA inside the mapping
    int level;       // intended leaf level (region size)
};

class RandomRun {
public:
    RandomRun(Lockstep &ls, const sim_config_t &cfg, uint64_t seed, unsigned requests)
        : ls_(ls), cfg_(cfg), rng_(seed), seed_(seed), requests_(requests)
    {
    }
    bool run();

private:
    uint64_t frame();
    uint64_t sext(uint64_t va, int levels);
    uint64_t make_va(int levels);
    uint64_t leaf_pte(int level);
    uint64_t pointer_pte(uint64_t ppn);
    void map(const Space &sp, uint64_t va, int leaf_level, int levels);
    mmu_sfence_t random_fence();
    void switch_space();

    Lockstep &ls_;
    sim_config_t cfg_;
    Rng rng_;
    uint64_t seed_;
    unsigned requests_;
    uint64_t next_frame_ = 0, frame_end_ = 0;
    std::vector<uint64_t> frames_;
    std::vector<Space> spaces_;
    std::vector<Target> targets_;
    std::vector<uint64_t> leaves_;   // PTE addresses of leaves written
    int levels_ = 3, cur_space_ = 0;
    // per-seed knobs: how often fences come and how often encodings are illegal
    unsigned fence_pct_ = 4, bad_div_ = 1;
    mmu_csr_t csr_{};
};

uint64_t RandomRun::frame()
{
    uint64_t pa = next_frame_;
    next_frame_ += 4096;
    frames_.push_back(pa);
    return pa;
}

uint64_t RandomRun::sext(uint64_t va, int levels)
{
    int width = 12 + 9 * levels;
    return (uint64_t)((int64_t)(va << (64 - width)) >> (64 - width));
}

// A VA whose VPN fields come from small ranges most of the time, so that
// mappings share tables (walk-cache hits) and collide in TLB sets.
uint64_t RandomRun::make_va(int levels)
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
uint64_t RandomRun::leaf_pte(int level)
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
uint64_t RandomRun::pointer_pte(uint64_t ppn)
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
void RandomRun::map(const Space &sp, uint64_t va, int leaf_level, int levels)
{
    uint64_t table = sp.root_ppn << 12;
    for (int l = levels - 1; l >= 0; l--) {
        uint64_t addr = table + vm_vpn_index(va, l) * 8;
        uint64_t pte = ls_.read64_model(addr);
        if (l == leaf_level) {
            if (pte == 0) {
                uint64_t v = (l == 0 && rng_.pct(2)) ? PTE_MAKE(rng_.next() & 0xfffff, PTE_V) // pointer at level 0
                                                     : leaf_pte(l);
                ls_.write64(addr, v);
                leaves_.push_back(addr);
            }
            return;
        }
        if (pte == 0) {
            if (next_frame_ >= frame_end_)
                return;
            uint64_t f = frame();
            pte = pointer_pte(f >> 12);
            ls_.write64(addr, pte);
        }
        bool legal = (pte & PTE_V) && !(pte & (PTE_R | PTE_W | PTE_X | PTE_A | PTE_D | PTE_U)) &&
                     !(pte & PTE_RESERVED_MASK) && PTE_PPN(pte) << 12 >= cfg_.dram.base &&
                     (PTE_PPN(pte) << 12) - cfg_.dram.base < cfg_.dram.size && PTE_PPN(pte) << 12 < frame_end_;
        if (!legal)
            return;
        table = PTE_PPN(pte) << 12;
    }
}

mmu_sfence_t RandomRun::random_fence()
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

void RandomRun::switch_space()
{
    cur_space_ = (int)rng_.below((unsigned)spaces_.size());
    csr_.root_ppn = spaces_[cur_space_].root_ppn;
    if (rng_.pct(2)) // a root table outside DRAM: access fault at the top level
        csr_.root_ppn = ((cfg_.dram.base + cfg_.dram.size) >> 12) + rng_.below(16);
}

bool RandomRun::run()
{
    int max_levels = vm_levels(cfg_.mode);
    char ctx[512];

    // DRAM range: the preset's, or now and then a small one at another base
    uint64_t base = cfg_.dram.base, size = cfg_.dram.size;
    if (rng_.pct(20)) {
        base = (uint64_t)(1 + rng_.below(8)) << 28;
        size = (uint64_t)(1 + rng_.below(4)) << 24;
    }
    cfg_.dram.base = base;
    cfg_.dram.size = size;
    static const unsigned ready[] = { 100, 100, 90, 60, 30 };
    unsigned ready_pct = ready[rng_.below(5)];
    ls_.reset(base, size, ready_pct, (uint32_t)(seed_ * 2654435761u) | 1);
    ls_.set_ad(rng_.pct(50) ? AD_SVADU : AD_SVADE);
    snprintf(ctx, sizeof ctx, "reproduce: %s random --seed %" PRIu64 " --seeds 1 --requests %u", LOCKSTEP_BIN,
             seed_, requests_);
    ls_.set_context(ctx);

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
        int levels = max_levels;
        uint64_t va = make_va(levels);
        if (capacity && rng_.pct(30))
            va = sext((va & ~0xff000ULL) | crowd, levels);
        unsigned r = rng_.below(100);
        int leaf = r < 65 ? 0 : r < 85 ? 1 : r < 95 ? 2 : (levels == 4 ? 3 : 2);
        map(sp, va, leaf, levels);
        if (max_levels == 4) {
            uint64_t va39 = make_va(3);
            map(sp, va39, leaf > 2 ? 2 : leaf, 3);
            targets_.push_back(Target{ va39, leaf });
        }
        targets_.push_back(Target{ va, leaf });
    }

    csr_.mode = max_levels == 4 ? VM_SV48 : VM_SV39;
    switch_space();
    ls_.set_csr(csr_);
    uint16_t asid = spaces_[cur_space_].asid;
    uint32_t frng = (uint32_t)seed_ | 1;

    for (unsigned n = 0; n < requests_; n++) {
        // CSR and state changes between requests
        if (rng_.pct(12)) {
            switch_space();
            asid = spaces_[cur_space_].asid;
        }
        if (rng_.pct(6)) csr_.sum = !csr_.sum;
        if (rng_.pct(6)) csr_.mxr = !csr_.mxr;
        if (rng_.pct(2)) csr_.mode = VM_BARE;
        else if (csr_.mode == VM_BARE && rng_.pct(30)) csr_.mode = max_levels == 4 ? VM_SV48 : VM_SV39;
        if (max_levels == 4 && csr_.mode != VM_BARE && rng_.pct(3))
            csr_.mode = csr_.mode == VM_SV48 ? VM_SV39 : VM_SV48;
        if (rng_.pct(1))
            ls_.set_ad(ls_.ad() == AD_SVADU ? AD_SVADE : AD_SVADU);
        ls_.set_csr(csr_);
        if (rng_.pct(3) && !leaves_.empty()) { // the OS rewrites a leaf
            uint64_t addr = leaves_[rng_.below((unsigned)leaves_.size())];
            uint64_t old = ls_.read64_model(addr);
            uint64_t v = rng_.pct(50) ? (old ^ (1ULL << rng_.below(8))) : (old & ~(PTE_A | PTE_D));
            ls_.write64(addr, v);
        }
        unsigned gap = rng_.pct(30) ? rng_.below(4) : 0;
        for (unsigned g = 0; g < gap; g++) {
            Stim s;
            if (rng_.pct(6 * fence_pct_))
                s.sfence = random_fence();
            if (!ls_.cycle(s))
                return false;
        }
        if (rng_.pct(fence_pct_) && !ls_.sfence(random_fence()))
            return false;

        mmu_req_t req{};
        unsigned r = rng_.below(100);
        if (r < 88 && !targets_.empty()) {
            const Target &t = targets_[rng_.below((unsigned)targets_.size())];
            uint64_t span = (1ULL << (12 + 9 * t.level)) - 1;
            req.va = rng_.pct(50) ? t.va : ((t.va & ~span) | (rng_.next() & span));
            if (rng_.pct(5)) req.va += 4096; // the neighbour page
        } else if (r < 94) {
            req.va = make_va(max_levels);
        } else if (r < 97) {
            req.va = rng_.next(); // mostly non-canonical
        } else {
            req.va = base + (rng_.next() % (size + 8192)) - 4096; // Bare-mode style PAs, edges
        }
        req.acc = (acc_t)rng_.below(3);
        if (fence_pct_ < 4 && rng_.pct(20)) // capacity seeds: more fetches, for the instruction L1
            req.acc = ACC_FETCH;
        req.priv = rng_.pct(60) ? PRIV_S : PRIV_U;
        req.asid = rng_.pct(95) ? asid : (uint16_t)rng_.below(4);
        req.replay = rng_.pct(5);
        mmu_sfence_t fence = random_fence();
        mmu_resp_t resp;
        unsigned fence_pct = rng_.pct(5) ? 3 : 0;
        if (!ls_.translate(req, &resp, fence_pct, &frng, &fence))
            return false;
        if (rng_.pct(1)) { // a CSR change right after (in flight of nothing) or between
            csr_.sum = !csr_.sum;
            ls_.set_csr(csr_);
        }
        if ((n & 1023) == 1023)
            for (uint64_t f : frames_)
                if (!ls_.compare_page(f))
                    return false;
    }
    for (uint64_t f : frames_)
        if (!ls_.compare_page(f))
            return false;
    return true;
}

// -------------------------------------------------------------- vectors
// docs/vectors.md, read by app/vecfile.c like `mmusim vectors` reads it: every
// `t` and `peek` is compared between the sides by the lockstep and checked
// against the file's expectation.  An Sv39-only RTL (Levels = 3) has no Sv48:
// satp.MODE is WARL and would never hold it.  On such a build exactly the `t`
// lines under `satp sv48` skip the pair and run on a model of their own
// (same configuration, sharing the pair's memory), whose svadu A/D writes
// reach both DRAM images as the operating system's writes do; so the `peek`s
// and translations after them still hold, and every expectation is checked.
struct VecCounts {
    unsigned checks = 0, skipped = 0;
};

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
                fprintf(stderr, "lockstep: out of memory\n");
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
static bool dram_word(const sim_config_t &cfg, uint64_t pa)
{
    return pa % 8 == 0 && pa >= cfg.dram.base && pa - cfg.dram.base <= cfg.dram.size - 8;
}

static int run_vectors(Lockstep &ls, const sim_config_t &cfg0, const char *path, VecCounts *n)
{
    vecfile_t *f = vecfile_open(path);
    if (!f)
        return 2;
    sim_config_t cfg = cfg0;
    mmu_csr_t csr{ VM_BARE, 0, 0, 0 };
    uint16_t asid = 0;
    priv_t priv = PRIV_S;
    ls.set_ad(cfg.ad);
    ls.set_csr(csr);
    ls.reset(cfg.dram.base, cfg.dram.size, 100, 1);
    ls.mirror_writes();
    Sv48Alone alone;
    alone.set_ad(cfg.ad);
    int rc = 0, got;
    vec_rec_t r;
    char err[256];
    while (rc == 0 && (got = vecfile_next(f, &r)) == 1) {
        char ctx[600];
        snprintf(ctx, sizeof ctx, "vector %s:%d", path, r.line);
        ls.set_context(ctx);
        switch (r.kind) {
        case VEC_DRAM:
            cfg.dram.base = r.a;
            cfg.dram.size = r.b;
            if (config_validate(&cfg, err, sizeof err)) {
                rc = 2, vecfile_error(f, "%s", err);
                break;
            }
            ls.reset(r.a, r.b, 100, 1);
            ls.mirror_writes();
            alone.reset();
            break;
        case VEC_SATP:
            csr.mode = r.mode;
            csr.root_ppn = r.mode == VM_BARE ? 0 : r.a;
            asid = r.mode == VM_BARE ? 0 : r.asid;
            ls.set_csr(csr);
            alone.set_csr(csr);
            break;
        case VEC_AD:
            ls.set_ad(r.ad);
            alone.set_ad(r.ad);
            break;
        case VEC_PRIV:
            priv = r.priv;
            break;
        case VEC_SUM:
        case VEC_MXR:
            (r.kind == VEC_SUM ? csr.sum : csr.mxr) = r.flag;
            ls.set_csr(csr);
            alone.set_csr(csr);
            break;
        case VEC_MEM:
            if (!dram_word(cfg, r.a))
                rc = 2, vecfile_error(f, "mem address %#" PRIx64 " is not an 8-aligned DRAM address", r.a);
            else
                ls.write64(r.a, r.b);
            break;
        case VEC_PEEK: {
            if (!dram_word(cfg, r.a)) {
                rc = 2, vecfile_error(f, "peek address %#" PRIx64 " is not an 8-aligned DRAM address", r.a);
                break;
            }
            uint64_t vm = ls.read64_model(r.a), vr = ls.read64_rtl(r.a);
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
            if (!ls.sfence(r.fence))
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
                resp = alone.translate(cfg, ls.dram_model(), req);
            } else if (!ls.translate(req, &resp)) {
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
    return ls.failed() ? 1 : rc;
}

// ----------------------------------------------------------- coverage file
static void write_cov(const Lockstep &ls, const char *path)
{
    FILE *f = fopen(path, "a");
    if (!f)
        return;
    for (auto &p : ls.cov.points)
        fprintf(f, "%s %" PRIu64 "\n", p.first.c_str(), p.second);
    fclose(f);
}

// The usage text on out; the status a caller should exit with (0 for --help).
static int usage(FILE *out = stderr)
{
    fprintf(out,
            "usage: %s COMMAND [OPTIONS]   (the RTL built for %s in lockstep with the model)\n"
            "  random [--seed S] [--seeds N] [--requests M]   constrained-random page tables and requests\n"
            "  fill                                           every way of every TLB filled and hit\n"
            "  vectors FILE...                                vector files (docs/vectors.md)\n"
            "  trace FILE [--max-refs N] [--stats FMT]        a lackey trace through the OS of csrc/\n"
            "  run [--refs] [--check] [--stats FMT] FILE      a workload (docs/workload.md) through it\n"
            "options: --set KEY=VALUE (dram.*, os.*, swap.*)  --wave FILE.fst  --wave-from CYCLE\n"
            "         --cov FILE (functional coverage points)  --help\n"
            "exit status: 0 no mismatch, 1 mismatch, 2 bad usage or input; docs/rtl.md\n",
            LOCKSTEP_BIN, LOCKSTEP_CONFIG);
    return out == stderr ? 2 : 0;
}

int main(int argc, char **argv)
{
    sim_config_t cfg;
    char err[512];
    if (!lockstep_load_config(&cfg))
        return 2;
    if (argc < 2)
        return usage();
    std::string cmd = argv[1];
    if (cmd == "--help" || cmd == "-h")
        return usage(stdout);
    uint64_t seed = 1, seeds = 1, requests = 10000, wave_from = 0;
    LsOsOptions os;
    std::string wave, cov;
    std::vector<std::string> files;
    for (int i = 2; i < argc; i++) {
        std::string a = argv[i];
        auto val = [&](uint64_t *v) {
            if (i + 1 >= argc || parse_u64(argv[i + 1], v)) {
                fprintf(stderr, "%s: needs a number\n", a.c_str());
                exit(2);
            }
            i++;
        };
        if (a == "--seed") val(&seed);
        else if (a == "--seeds") val(&seeds);
        else if (a == "--requests") val(&requests);
        else if (a == "--max-refs") val(&os.max_refs);
        else if (a == "--refs") os.refs = true;
        else if (a == "--check") os.check = true;
        else if (a == "--cycle") continue; // `mmusim run` spelling: the pair is always cycle-level
        else if (a == "--stats" && i + 1 < argc) {
            if (stats_parse_format(argv[++i], &os.fmt)) {
                fprintf(stderr, "--stats: '%s' is not one of table, json, csv, none\n", argv[i]);
                return 2;
            }
        }
        else if (a == "--wave-from") val(&wave_from);
        else if (a == "--wave" && i + 1 < argc) wave = argv[++i];
        else if (a == "--cov" && i + 1 < argc) cov = argv[++i];
        else if (a == "--set" && i + 1 < argc) {
            std::string kv = argv[++i];
            err[0] = '\0';
            if ((kv.compare(0, 5, "dram.") && kv.compare(0, 3, "os.") && kv.compare(0, 5, "swap.")) ||
                config_set_assignment(&cfg, kv.c_str(), err, sizeof err)) {
                fprintf(stderr, "--set %s: only dram.*, os.* and swap.* may change (the RTL is built for %s) %s\n",
                        kv.c_str(), LOCKSTEP_CONFIG, err);
                return 2;
            }
            os.cli_keys.push_back(kv.substr(0, kv.find('=')));
        } else if (a == "--help") return usage(stdout);
        else if (a[0] == '-') return usage();
        else files.push_back(a);
    }
    if (config_validate(&cfg, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }

    Lockstep ls(cfg);
    ls.cov_on = !cov.empty();
    if (ls.cov_on)
        ls.declare_cov();
    if (!wave.empty())
        ls.open_wave(wave, wave_from);
    int rc = 0;
    auto t0 = std::chrono::steady_clock::now();
    if (cmd == "fill") {
        rc = lockstep_run_fill(ls, cfg);
    } else if (cmd == "random") {
        for (uint64_t s = seed; s < seed + seeds; s++) {
            RandomRun r(ls, cfg, s, (unsigned)requests);
            if (!r.run()) {
                fprintf(stderr, "random seed %" PRIu64 ": FAILED\n", s);
                rc = 1;
                break;
            }
        }
        printf("lockstep %s random: seeds %" PRIu64 "..%" PRIu64 ", %" PRIu64 " requests, %" PRIu64
               " cycles, %s\n",
               LOCKSTEP_CONFIG, seed, seed + seeds - 1, ls.requests(), ls.now(), rc ? "MISMATCH" : "0 mismatches");
    } else if (cmd == "vectors") {
        VecCounts counts;
        for (auto &f : files) {
            rc = run_vectors(ls, cfg, f.c_str(), &counts);
            if (rc)
                break;
        }
        char alone[96] = "";
        if (cfg.mode == VM_SV39)
            snprintf(alone, sizeof alone, ", of which %u Sv48 translations on the model alone (Sv39 RTL)",
                     counts.skipped);
        printf("lockstep %s vectors: %zu files, %u checks%s, %" PRIu64 " requests, %s\n", LOCKSTEP_CONFIG,
               files.size(), counts.checks, alone, ls.requests(), rc ? "FAILED" : "0 mismatches");
    } else if (cmd == "trace" || cmd == "run") {
        if (files.size() != 1)
            return usage();
        rc = cmd == "trace" ? lockstep_run_trace(ls, cfg, os, files[0].c_str())
                            : lockstep_run_workload(ls, cfg, os, files[0].c_str());
        fprintf(stderr, "lockstep %s %s %s: %" PRIu64 " requests, %" PRIu64 " cycles, %s\n", LOCKSTEP_CONFIG,
                cmd.c_str(), files[0].c_str(), ls.requests(), ls.now(),
                rc == 0 ? "0 mismatches" : rc == 1 ? "FAILED" : "bad input");
    } else {
        return usage();
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    fprintf(cmd == "trace" || cmd == "run" ? stderr : stdout, "lockstep %s %s: %.2f s, %.2f M cycles/s\n",
            LOCKSTEP_CONFIG, cmd.c_str(), secs, secs > 0 ? ls.now() / secs / 1e6 : 0.0);
    if (!cov.empty()) {
        write_cov(ls, cov.c_str());
        ls.write_line_coverage(cov + "." + cmd + ".dat");
    }
    return rc;
}
