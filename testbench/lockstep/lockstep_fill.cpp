// lockstep_fill.cpp - directed stimulus for the lockstep (testbench/lockstep/lockstep.h):
//
//   lockstep_PRESET fill
//
// Random requests seldom fill every way of one set before hitting there (a
// 32-way fully associative L1, a 12-way L2), and seldom meet an L2 hit on a
// 512 GiB page.  This run does both on purpose for each TLB of the
// configuration.  Ways, at each page level whose VPN space has enough pages
// in one set: from empty structures, more pages than ways are mapped into
// one set; the first `ways` of them are walked (way i takes page i: the
// first invalid way), each is hit again in a round-dependent order, then the
// extra pages make the policy choose victims after those touches and every
// page is read once more.  Levels: one page per page level and L1, walked,
// hit in the L1, pushed out of the L1 and hit in the L2 (a 12-way L2 of 128
// sets has only 4 Sv48 512 GiB pages per set: too few for its ways phase).
// For the L2 the pages are pushed out of the L1 first with pages of the same
// L1 set in other L2 sets, so that the L2 answers and its set stays as it
// was.  Three rounds vary the set, the orders, the ASID and the memory
// readiness.
//
// The lockstep comparison is the oracle of every response.  On top of it the
// run checks, from the model's statistics and structures, that each access
// went where it was aimed (a walk filled way i; the L1 or the L2 answered with
// no walker memory transaction) and that every way and level was hit, so that
// it fails when the stimulus stops doing what it claims.
#include <cinttypes>
#include <cstdarg>
#include <cstdio>
#include <string>
#include <vector>

#include "lockstep.h"
#include "tlb.h"

namespace {

// A mapped page: the VA requested, its VPN, its leaf level and the PA expected.
struct Page {
    uint64_t va, vpn, pa;
    int level;
};

// One TLB the run aims at, with what it saw hit (coverage point names).
struct Aim {
    const char *name = nullptr; // nullptr: absent
    acc_t acc = ACC_LOAD;       // the access type that reaches it
    unsigned sets = 0, ways = 0;
    std::vector<bool> way_hit, level_hit;
};

// Where an access is meant to be answered.
enum class Want { Walk, L1, L2, Any };

class FillRun {
public:
    FillRun(Lockstep &ls, const sim_config_t &cfg);
    bool run();
    void summary(bool ok);

private:
    bool fail(const char *fmt, ...) __attribute__((format(printf, 2, 3)));
    void begin(unsigned round, const char *phase);
    bool end_phase();
    // The L1 that serves acc (the model's TLB_L1I / TLB_L1D; TLB_L1 when unified).
    int l1_of(acc_t acc) const { return cfg_.l1_split && acc != ACC_FETCH ? TLB_L1D : TLB_L1; }
    int lookup(int which, const Page &p);
    int map(uint64_t tag, int level, Page *p);
    bool page_in_set(unsigned sets, unsigned set, int level, Page *p);
    bool access(const Page &p, acc_t acc, Want want);
    bool evict_l1(const Page &p, acc_t acc);
    bool fill_ways(int which, unsigned round, int level);
    bool fill_levels(unsigned round);

    Lockstep &ls_;
    sim_config_t cfg_;
    int levels_;
    Aim aim_[TLB_COUNT];
    std::vector<uint64_t> frames_;   // page-table pages of the current phase
    uint64_t next_frame_ = 0, frame_end_ = 0;
    uint64_t data_base_ = 0, data_pages_ = 0, data_next_ = 0;
    uint64_t thrash_next_ = 0;       // cursor of the pages evict_l1 uses
    uint16_t asid_ = 0;
    unsigned phases_ = 0;
};

// The index of round r's i-th visit among n items: forward, backward, evens then odds.
unsigned order(unsigned r, unsigned n, unsigned i)
{
    switch (r % 3) {
    case 0:
        return i;
    case 1:
        return n - 1 - i;
    default:
        return i < (n + 1) / 2 ? 2 * i : 2 * (i - (n + 1) / 2) + 1;
    }
}

// Sets up the aims from the configuration: the L1 (or L1I and L1D) and the L2.
FillRun::FillRun(Lockstep &ls, const sim_config_t &cfg) : ls_(ls), cfg_(cfg), levels_(vm_levels(cfg.mode))
{
    auto set_aim = [&](int which, const char *name, acc_t acc, const assoc_cfg_t &a) {
        Aim &x = aim_[which];
        x.name = name;
        x.acc = acc;
        x.ways = assoc_cfg_ways(&a);
        x.sets = a.entries / x.ways;
        x.way_hit.assign(x.ways, false);
        x.level_hit.assign(levels_, false);
    };
    if (cfg.l1_split) {
        set_aim(TLB_L1I, "l1i", ACC_FETCH, cfg.l1);
        set_aim(TLB_L1D, "l1d", ACC_LOAD, config_l1d(&cfg)); // tlb.l1d's geometry
    } else {
        set_aim(TLB_L1, "l1", ACC_LOAD, cfg.l1);
    }
    if (cfg.l2.entries)
        set_aim(TLB_L2, "l2", ACC_LOAD, cfg.l2);
}

// Reports a stimulus failure (the run no longer does what it claims) and returns false.
bool FillRun::fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "\nfill: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n  reproduce: %s fill\n", LOCKSTEP_BIN);
    va_end(ap);
    return false;
}

// Starts a phase from scratch: fresh DRAM images and structures on both
// sides, an empty root table, round-dependent readiness and ASID.
void FillRun::begin(unsigned round, const char *phase)
{
    static const unsigned ready[] = { 100, 70, 40 };
    const uint64_t base = cfg_.dram.base, size = cfg_.dram.size;
    char ctx[256];

    ls_.reset(base, size, ready[round % 3], 0x5eed + round);
    ls_.set_ad(cfg_.ad);
    snprintf(ctx, sizeof ctx, "fill round %u, %s; reproduce: %s fill", round, phase, LOCKSTEP_BIN);
    ls_.set_context(ctx);
    phases_++;
    // tables low in DRAM, the pages they map in its upper half
    frames_.clear();
    next_frame_ = base + (size >= (64ULL << 20) ? (1ULL << 20) : 0);
    frame_end_ = next_frame_ + (size >= (64ULL << 20) ? (16ULL << 20) : size / 4);
    data_base_ = base + size / 2;
    data_pages_ = size / 2 / PAGE_SIZE;
    data_next_ = 0;
    thrash_next_ = 0;
    asid_ = (uint16_t)round;
    frames_.push_back(next_frame_);
    next_frame_ += PAGE_SIZE;
    ls_.set_csr(mmu_csr_t{ cfg_.mode, frames_.back() >> PAGE_SHIFT, 0, 0 });
}

// Compares the phase's page-table pages between the two DRAM images.
bool FillRun::end_phase()
{
    for (uint64_t f : frames_)
        if (!ls_.compare_page(f))
            return false;
    return true;
}

// The model's entry index for p in structure which (set * ways + way), or -1.
// The model and the RTL fill and replace alike, so it names the RTL's way too.
int FillRun::lookup(int which, const Page &p)
{
    return tlb_lookup(mmu_tlb(ls_.model(), which), p.vpn, asid_);
}

// Maps the region of tag (its VPN >> 9 * level) with a leaf at level: R W X,
// A and D set (no A/D write, usable by every access in S mode), to the next
// data page; creates the tables on the way in both images.  Returns 1; 0
// when the region is taken (a leaf above it, or an entry at its level
// already); -1, reported, when the page-table frames run out.
int FillRun::map(uint64_t tag, int level, Page *p)
{
    uint64_t vpn = tag << (VPN_BITS * level), table = ls_.csr().root_ppn << PAGE_SHIFT;
    uint64_t span = vm_page_bytes(level);
    int width = PAGE_SHIFT + VPN_BITS * levels_;

    for (int l = levels_ - 1; l > level; l--) {
        uint64_t addr = table + ((vpn >> (VPN_BITS * l)) & VPN_MASK) * PTE_SIZE;
        uint64_t pte = ls_.read64_model(addr);
        if (pte == 0) {
            if (next_frame_ >= frame_end_) {
                fail("out of page-table frames");
                return -1;
            }
            frames_.push_back(next_frame_);
            next_frame_ += PAGE_SIZE;
            pte = PTE_MAKE(frames_.back() >> PAGE_SHIFT, PTE_V);
            ls_.write64(addr, pte);
        } else if (PTE_IS_LEAF(pte)) {
            return 0;
        }
        table = PTE_PPN(pte) << PAGE_SHIFT;
    }
    uint64_t addr = table + (tag & VPN_MASK) * PTE_SIZE;
    if (ls_.read64_model(addr) != 0)
        return 0;
    // A superpage leaf is aligned to its size (the PA may start below DRAM);
    // the VA's offset inside it lands on the data page.
    uint64_t pa = data_base_ + (data_next_ % data_pages_) * PAGE_SIZE + (data_next_ * 8 & 0xff8);
    data_next_++;
    ls_.write64(addr, PTE_MAKE((pa & ~(span - 1)) >> PAGE_SHIFT, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D));
    uint64_t va = (vpn << PAGE_SHIFT) | (pa & (span - 1));
    p->va = (uint64_t)((int64_t)(va << (64 - width)) >> (64 - width));
    p->vpn = vpn;
    p->pa = pa;
    p->level = level;
    return 1;
}

// Maps a new page of level whose entry lives in set of a structure of sets
// sets (docs/tlb.md: set = (VPN >> 9 * level) mod sets), the lowest free tag.
bool FillRun::page_in_set(unsigned sets, unsigned set, int level, Page *p)
{
    uint64_t tags = 1ULL << (VPN_BITS * (levels_ - level));
    for (uint64_t tag = set; tag < tags; tag += sets) {
        int r = map(tag, level, p);
        if (r)
            return r > 0;
    }
    return fail("no free level-%d page in set %u of %u", level, set, sets);
}

// Translates p with acc in lockstep (S mode, ASID of the round) and checks
// that it succeeded with p's PA and, unless want is Any, that the structure
// aimed at answered: a walk, or the L1 / the L2 with no walker memory
// transaction.  Marks the way and level of an L1 or L2 hit in its aim.
bool FillRun::access(const Page &p, acc_t acc, Want want)
{
    static const char *const wants[] = { "a walk", "an L1 hit", "an L2 hit" };
    int l1 = l1_of(acc);
    bool has_l2 = aim_[TLB_L2].name != nullptr;
    int i1 = lookup(l1, p), i2 = has_l2 ? lookup(TLB_L2, p) : -1;
    const mmu_stats_t *st = mmu_stats(ls_.model());
    uint64_t walks = st->walks, mem = st->mem_reads + st->mem_writes;
    uint64_t h1 = st->tlb[l1].hits[acc], h2 = st->tlb[TLB_L2].hits[acc];
    mmu_req_t req{ p.va, acc, PRIV_S, asid_, 0 };
    mmu_resp_t resp;

    if (!ls_.translate(req, &resp))
        return false;
    st = mmu_stats(ls_.model());
    bool quiet = st->walks == walks && st->mem_reads + st->mem_writes == mem;
    Want got = Want::Any; // Any here: none of the three
    if (st->walks != walks)
        got = Want::Walk;
    else if (quiet && st->tlb[l1].hits[acc] == h1 + 1)
        got = Want::L1;
    else if (quiet && has_l2 && st->tlb[TLB_L2].hits[acc] == h2 + 1)
        got = Want::L2;
    if (resp.fault != FAULT_NONE || resp.pa != p.pa)
        return fail("%s va %#" PRIx64 ": %s pa %#" PRIx64 ", mapped to pa %#" PRIx64, acc_name(acc), p.va,
                    fault_name(resp.fault), resp.pa, p.pa);
    if (got == Want::Any)
        return fail("%s va %#" PRIx64 ": neither a walk nor an L1 or L2 hit without memory traffic", acc_name(acc),
                    p.va);
    if (want != Want::Any && got != want)
        return fail("%s va %#" PRIx64 " (level %d) was meant to be %s, got %s", acc_name(acc), p.va, p.level,
                    wants[(int)want], wants[(int)got]);
    int idx = got == Want::L1 ? i1 : got == Want::L2 ? i2 : -1;
    if (idx >= 0) {
        Aim &a = aim_[got == Want::L1 ? l1 : TLB_L2];
        int level = tlb_entry(mmu_tlb(ls_.model(), got == Want::L1 ? l1 : TLB_L2), idx)->level;
        if (level != p.level)
            return fail("%s hit on va %#" PRIx64 " at level %d, mapped at level %d", a.name, p.va, level, p.level);
        a.way_hit[idx % a.ways] = true;
        a.level_hit[level] = true;
    }
    return true;
}

// Pushes p out of the L1 that serves acc and leaves p's L2 set alone: walks
// fresh level-0 pages of p's L1 set that live in other L2 sets (under the
// last root entry, away from the pages aimed at) until the model's L1 no
// longer holds p.  Fresh pages always miss: lru, plru and fifo evict p within
// `ways` of them, random (a fixed LFSR sequence) soon after.
bool FillRun::evict_l1(const Page &p, acc_t acc)
{
    const Aim &a1 = aim_[l1_of(acc)], &a2 = aim_[TLB_L2];
    uint64_t tag = p.vpn >> (VPN_BITS * p.level);
    uint64_t s1 = tag % a1.sets, s2 = tag % a2.sets;
    uint64_t base = (uint64_t)VPN_MASK << (VPN_BITS * (levels_ - 1)), top = 1ULL << (VPN_BITS * levels_);

    for (unsigned n = 0; lookup(l1_of(acc), p) >= 0; n++) {
        Page t;
        if (n > 16 * a1.ways + 16)
            return fail("%s still holds va %#" PRIx64 " after %u misses in its set", a1.name, p.va, n);
        for (;;) {
            uint64_t vpn = base + thrash_next_++ * a1.sets + s1;
            if (vpn >= top)
                return fail("out of pages to evict from %s", a1.name);
            int r = vpn % a2.sets != s2 ? map(vpn, 0, &t) : 0;
            if (r < 0)
                return false;
            if (r > 0)
                break;
        }
        if (!access(t, acc, Want::Walk))
            return false;
    }
    return true;
}

// The ways phase of structure which at level: fill one set from empty with
// `ways` pages, hit each (the L2 after an L1 eviction), then half as many
// pages again to make the policy pick victims after this round's touches,
// and read every page once more.  Skipped (true) when the level's VPN space
// below the last root entry (evict_l1's) has too few pages in that set.
bool FillRun::fill_ways(int which, unsigned round, int level)
{
    const Aim &a = aim_[which];
    bool l2 = which == TLB_L2;
    unsigned set = (3 + 5 * round) & (a.sets - 1), extra = a.ways > 1 ? a.ways / 2 : 1;
    uint64_t tags = (uint64_t)VPN_MASK << (VPN_BITS * (levels_ - 1 - level));
    std::vector<Page> pages(a.ways + extra);

    if (tags <= set || (tags - 1 - set) / a.sets + 1 < pages.size())
        return true;
    begin(round, (std::string(a.name) + " ways, level " + std::to_string(level)).c_str());
    for (Page &p : pages)
        if (!page_in_set(a.sets, set, level, &p))
            return false;
    for (unsigned i = 0; i < a.ways; i++) {
        if (!access(pages[i], a.acc, Want::Walk))
            return false;
        if (lookup(which, pages[i]) != (int)(set * a.ways + i))
            return fail("%s: page %u of set %u filled entry %d, not way %u (first invalid way)", a.name, i, set,
                        lookup(which, pages[i]), i);
    }
    for (unsigned i = 0; i < a.ways; i++) {
        const Page &p = pages[order(round, a.ways, i)];
        if ((l2 && !evict_l1(p, a.acc)) || !access(p, a.acc, l2 ? Want::L2 : Want::L1))
            return false;
    }
    for (unsigned i = a.ways; i < pages.size(); i++)
        if (!access(pages[i], a.acc, Want::Walk))
            return false;
    for (unsigned i = 0; i < pages.size(); i++) {
        const Page &p = pages[order(round, (unsigned)pages.size(), i)];
        if ((l2 && !evict_l1(p, a.acc)) || !access(p, a.acc, Want::Any))
            return false;
    }
    return end_phase();
}

// The levels phase: per page level and L1, a page walked, hit in the L1,
// then pushed out of the L1 and hit in the L2.
bool FillRun::fill_levels(unsigned round)
{
    begin(round, "levels");
    for (int level = 0; level < levels_; level++)
        for (int which : { TLB_L1I, TLB_L1D }) {
            const Aim &a = aim_[which];
            Page p;
            if (!a.name)
                continue;
            if (!page_in_set(a.sets, (1 + round) & (a.sets - 1), level, &p) || !access(p, a.acc, Want::Walk) ||
                !access(p, a.acc, Want::L1))
                return false;
            if (aim_[TLB_L2].name && (!evict_l1(p, a.acc) || !access(p, a.acc, Want::L2)))
                return false;
        }
    return end_phase();
}

// Three rounds of every phase; then every way and level of every aim must have been hit.
bool FillRun::run()
{
    for (int l1 : { TLB_L1I, TLB_L1D })
        if (aim_[TLB_L2].name && aim_[l1].name && aim_[TLB_L2].sets <= aim_[l1].sets)
            return fail("the L2 needs more sets than the %s (%u, %u) to be hit past it", aim_[l1].name,
                        aim_[TLB_L2].sets, aim_[l1].sets);
    for (unsigned round = 0; round < 3; round++) {
        for (int which = 0; which < TLB_COUNT; which++)
            for (int level = 0; aim_[which].name && level < levels_; level++)
                if (!fill_ways(which, round, level))
                    return false;
        if (!fill_levels(round))
            return false;
    }
    for (const Aim &a : aim_) {
        for (unsigned w = 0; a.name && w < a.ways; w++)
            if (!a.way_hit[w])
                return fail("%s way %u never hit", a.name, w);
        for (int l = 0; a.name && l < levels_; l++)
            if (!a.level_hit[l])
                return fail("%s never hit at page level %d", a.name, l);
    }
    return true;
}

// One line: what was hit per structure, requests, cycles, the verdict.
void FillRun::summary(bool ok)
{
    std::string hit;
    for (const Aim &a : aim_) {
        if (!a.name)
            continue;
        unsigned w = 0, l = 0;
        for (bool b : a.way_hit)
            w += b;
        for (bool b : a.level_hit)
            l += b;
        hit += std::string(hit.empty() ? "" : ", ") + a.name + " " + std::to_string(w) + "/" +
               std::to_string(a.ways) + " ways " + std::to_string(l) + "/" + std::to_string(levels_) + " levels";
    }
    printf("lockstep %s fill: %s hit; %u phases, %" PRIu64 " requests, %" PRIu64 " cycles, %s\n",
           LOCKSTEP_CONFIG, hit.c_str(), phases_, ls_.requests(), ls_.now(),
           ok ? "0 mismatches" : ls_.failed() ? "MISMATCH" : "FAILED");
}

} // namespace

int lockstep_run_fill(Lockstep &ls, const sim_config_t &cfg)
{
    FillRun f(ls, cfg);
    bool ok = f.run();
    f.summary(ok);
    return ok ? 0 : 1;
}
