// test_mmu.cc - the MMU golden model: timing contract (docs/timing.md), walk
// rules (RISC-V privileged specification 20211203, section 4.3.2 / 4.4),
// fences in flight on the cycle-level path, and agreement of the functional
// path, the cycle-level path and an independent reference written here.
//
// Every expected number is either worked out by hand in the comment next to
// it (from docs/timing.md and the DRAM timing in dram.h / docs/dram.md), taken
// from the specification, or produced by the reference model further down,
// written from docs/timing.md, docs/tlb.md, docs/dram.md and the
// specification.  No expected value was obtained by running the model.
//
// The random tests print their seed; MMUSIM_SEED=<n> reruns with another.

#include <gtest/gtest.h>

#include <algorithm>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "config.h"
#include "dram.h"
#include "memport.h"
#include "mmu.h"
#include "tlb.h"

namespace {

constexpr uint64_t KiB = 1024;
constexpr uint64_t MiB = 1024 * KiB;
constexpr uint64_t GiB = 1024 * MiB;
constexpr uint64_t kBase = 0x80000000ull;
constexpr uint64_t kSize = 0x80000000ull;
constexpr uint64_t kRoot = 0x80001000ull;

// Leaf flag sets used throughout.
constexpr uint64_t kAD = PTE_A | PTE_D;
constexpr uint64_t kRW = PTE_V | PTE_R | PTE_W | kAD;
constexpr uint64_t kRWX = PTE_V | PTE_R | PTE_W | PTE_X | kAD;

uint64_t test_seed()
{
    uint64_t seed = 20240611;
    if (const char *s = std::getenv("MMUSIM_SEED"))
        seed = std::strtoull(s, nullptr, 0);
    std::printf("MMUSIM_SEED=%llu\n", (unsigned long long)seed);
    return seed;
}

// The configuration the timing contract's examples assume, every field set
// explicitly so that no test depends on config_defaults().
sim_config_t contract_config()
{
    sim_config_t c;
    config_defaults(&c);
    c.mode = VM_SV39;
    c.l1.entries = 32;
    c.l1.ways = 0;
    c.l1.policy = REPL_LRU;
    c.l1.latency = 1;
    c.l1.seed = 1;
    c.l1_split = 0;
    c.l2.entries = 0;
    c.l2.ways = 4;
    c.l2.policy = REPL_LRU;
    c.l2.latency = 4;
    c.l2.seed = 1;
    c.pwc.entries = 0;
    c.pwc.ways = 0;
    c.pwc.policy = REPL_LRU;
    c.pwc.latency = 1;
    c.pwc.seed = 1;
    c.ad = AD_SVADE;
    c.dram.base = kBase;
    c.dram.size = kSize;
    c.dram.timing = DRAM_FIXED;
    c.dram.latency = 20;
    c.dram.banks = 8;
    c.dram.row_bytes = 8192;
    c.dram.tcl = 14;
    c.dram.trcd = 14;
    c.dram.trp = 14;
    c.dram.tras = 33;
    return c;
}

mmu_req_t make_req(uint64_t va, acc_t acc, priv_t priv = PRIV_S, uint16_t asid = 0, int replay = 0)
{
    mmu_req_t q;
    std::memset(&q, 0, sizeof q);
    q.va = va;
    q.acc = acc;
    q.priv = priv;
    q.asid = asid;
    q.replay = replay;
    return q;
}

mmu_sfence_t make_fence(int use_va, uint64_t va, int use_asid, uint16_t asid)
{
    mmu_sfence_t f;
    std::memset(&f, 0, sizeof f);
    f.valid = 1;
    f.use_va = use_va;
    f.va = va;
    f.use_asid = use_asid;
    f.asid = asid;
    return f;
}

// One MMU with its own DRAM.
struct Sim {
    sim_config_t cfg;
    dram_t *dram = nullptr;
    mmu_t *m = nullptr;

    explicit Sim(const sim_config_t &c) : cfg(c)
    {
        char err[256] = "";
        EXPECT_EQ(config_validate(&cfg, err, sizeof err), 0) << err;
        dram = dram_create(cfg.dram.base, cfg.dram.size);
        EXPECT_NE(dram, nullptr);
        m = mmu_create(&cfg, dram);
        EXPECT_NE(m, nullptr);
    }
    ~Sim()
    {
        mmu_destroy(m);
        dram_destroy(dram);
    }
    Sim(const Sim &) = delete;
    Sim &operator=(const Sim &) = delete;

    void csr(vm_mode_t mode, uint64_t root, int sum = 0, int mxr = 0)
    {
        mmu_csr_t c;
        std::memset(&c, 0, sizeof c);
        c.mode = mode;
        c.root_ppn = root >> 12;
        c.sum = sum;
        c.mxr = mxr;
        mmu_set_csr(m, &c);
    }
    void paging(uint64_t root = kRoot, int sum = 0, int mxr = 0) { csr(cfg.mode, root, sum, mxr); }

    mmu_resp_t tr(uint64_t va, acc_t acc, priv_t priv = PRIV_S, uint16_t asid = 0, int replay = 0)
    {
        mmu_req_t q = make_req(va, acc, priv, asid, replay);
        mmu_resp_t r;
        std::memset(&r, 0, sizeof r);
        fault_t f = mmu_translate(m, &q, &r);
        EXPECT_EQ(f, r.fault);
        return r;
    }
    void fence_all()
    {
        mmu_sfence_t f = make_fence(0, 0, 0, 0);
        mmu_sfence(m, &f);
    }
    const mmu_stats_t &st() const { return *mmu_stats(m); }
    uint64_t peek(uint64_t pa)
    {
        uint64_t v = 0;
        EXPECT_EQ(dram_read64(dram, pa, &v), 0);
        return v;
    }
    void poke(uint64_t pa, uint64_t v) { EXPECT_EQ(dram_write64(dram, pa, v), 0); }
    unsigned valid(int which)
    {
        struct tlb *t = mmu_tlb(m, which);
        return t ? tlb_count_valid(t) : 0u;
    }
    unsigned pwc_valid()
    {
        struct tlb *t = mmu_pwc(m);
        return t ? tlb_count_valid(t) : 0u;
    }
};

// Page-table builder: writes PTEs with dram_write64.  Tables for pointers it
// creates come from a bump allocator starting at pool.
class PageTable {
public:
    PageTable(dram_t *d, int levels, uint64_t root = kRoot, uint64_t pool = 0x80100000ull)
        : d_(d), levels_(levels), root_(root), next_(pool)
    {
    }
    uint64_t root() const { return root_; }

    static uint64_t pte_addr(uint64_t table, uint64_t va, int level)
    {
        return table + vm_vpn_index(va, level) * PTE_SIZE;
    }

    uint64_t alloc()
    {
        uint64_t t = next_;
        next_ += PAGE_SIZE;
        return t;
    }

    // Address of the PTE of level on va's walk; missing pointers (V only) are created.
    uint64_t slot(uint64_t va, int level)
    {
        uint64_t table = root_;
        for (int i = levels_ - 1; i > level; i--) {
            uint64_t a = pte_addr(table, va, i);
            uint64_t pte = read(a);
            if (pte == 0) {
                uint64_t t = alloc();
                write(a, PTE_MAKE(t >> 12, PTE_V));
                table = t;
            } else {
                EXPECT_TRUE((pte & PTE_V) && !(pte & (PTE_R | PTE_W | PTE_X)))
                    << "builder: level " << i << " of va " << std::hex << va << " is not a pointer";
                table = PTE_PPN(pte) << 12;
            }
        }
        return pte_addr(table, va, level);
    }

    // A leaf of level for va mapping pa (flags as given); returns the PTE's address.
    uint64_t map(uint64_t va, uint64_t pa, uint64_t flags, int level = 0)
    {
        uint64_t a = slot(va, level);
        write(a, PTE_MAKE(pa >> 12, flags));
        return a;
    }
    // Raw PTE value at the slot of level for va.
    uint64_t set(uint64_t va, int level, uint64_t pte)
    {
        uint64_t a = slot(va, level);
        write(a, pte);
        return a;
    }

    void write(uint64_t a, uint64_t v) { EXPECT_EQ(dram_write64(d_, a, v), 0) << std::hex << a; }
    uint64_t read(uint64_t a)
    {
        uint64_t v = 0;
        EXPECT_EQ(dram_read64(d_, a, &v), 0) << std::hex << a;
        return v;
    }

private:
    dram_t *d_;
    int levels_;
    uint64_t root_, next_;
};

// A memport_t on a DRAM image.
struct Port {
    memport_t p;
    Port(dram_t *d, const dram_cfg_t &c, unsigned pct = 100, uint32_t seed = 1)
    {
        EXPECT_EQ(memport_init(&p, d, &c, pct, seed), 0);
    }
    ~Port() { memport_fini(&p); }
    Port(const Port &) = delete;
    Port &operator=(const Port &) = delete;
};

// One cycle of the cycle-level path: memory inputs, outputs, both clock edges.
mmu_out_t run_cycle(mmu_t *m, memport_t *p, mmu_in_t in)
{
    uint64_t now = mmu_now(m);
    mmu_out_t out;
    memport_drive(p, now, &in);
    mmu_eval(m, &in, &out);
    memport_clock(p, now, &out, &in);
    mmu_clock(m, &in);
    return out;
}

// ==================================================================== config

TEST(MmuConfig, DefaultsAreTheContractExamples)
{
    // docs/timing.md's examples and configs/default.cfg: L1 32 entries fully
    // associative lru latency 1, unified, no L2, no PWC, svade, fixed 20.
    sim_config_t d;
    config_defaults(&d);
    sim_config_t c = contract_config();
    EXPECT_EQ(d.mode, c.mode);
    EXPECT_EQ(d.l1.entries, 32u);
    EXPECT_EQ(d.l1.ways, 0u);
    EXPECT_EQ(d.l1.policy, REPL_LRU);
    EXPECT_EQ(d.l1.latency, 1u);
    EXPECT_EQ(d.l1_split, 0);
    EXPECT_EQ(d.l2.entries, 0u);
    EXPECT_EQ(d.pwc.entries, 0u);
    EXPECT_EQ(d.ad, AD_SVADE);
    EXPECT_EQ(d.dram.base, kBase);
    EXPECT_EQ(d.dram.size, kSize);
    EXPECT_EQ(d.dram.timing, DRAM_FIXED);
    EXPECT_EQ(d.dram.latency, 20u);
    char err[256] = "";
    EXPECT_EQ(config_validate(&c, err, sizeof err), 0) << err;
}

TEST(MmuConfig, FaultNamesAndCauses)
{
    // Privileged spec, scause: instruction access fault 1, load access fault 5,
    // store/AMO access fault 7, instruction page fault 12, load page fault 13,
    // store/AMO page fault 15.
    EXPECT_EQ(fault_cause_code(FAULT_FETCH_ACCESS), 1u);
    EXPECT_EQ(fault_cause_code(FAULT_LOAD_ACCESS), 5u);
    EXPECT_EQ(fault_cause_code(FAULT_STORE_ACCESS), 7u);
    EXPECT_EQ(fault_cause_code(FAULT_FETCH_PAGE), 12u);
    EXPECT_EQ(fault_cause_code(FAULT_LOAD_PAGE), 13u);
    EXPECT_EQ(fault_cause_code(FAULT_STORE_PAGE), 15u);
    EXPECT_EQ(fault_page(ACC_LOAD), FAULT_LOAD_PAGE);
    EXPECT_EQ(fault_page(ACC_STORE), FAULT_STORE_PAGE);
    EXPECT_EQ(fault_page(ACC_FETCH), FAULT_FETCH_PAGE);
    EXPECT_EQ(fault_access(ACC_LOAD), FAULT_LOAD_ACCESS);
    EXPECT_EQ(fault_access(ACC_STORE), FAULT_STORE_ACCESS);
    EXPECT_EQ(fault_access(ACC_FETCH), FAULT_FETCH_ACCESS);
    EXPECT_STREQ(fault_name(FAULT_NONE), "none");
    EXPECT_STREQ(fault_name(FAULT_LOAD_PAGE), "load-page");
    EXPECT_STREQ(fault_name(FAULT_STORE_ACCESS), "store-access");
    EXPECT_STREQ(acc_name(ACC_LOAD), "r");
    EXPECT_STREQ(acc_name(ACC_STORE), "w");
    EXPECT_STREQ(acc_name(ACC_FETCH), "x");
}

// ==================================================================== timing
//
// VA 0x40203567: VPN[2] = 1, VPN[1] = 1, VPN[0] = 3, offset 0x567.

constexpr uint64_t kVa = 0x40203567ull;
constexpr uint64_t kPa = 0x80100000ull;

TEST(MmuTiming, ColdWalkThenHitsPerAccessType)
{
    Sim s(contract_config());
    PageTable pt(s.dram, 3);
    pt.map(kVa, kPa, PTE_V | PTE_R | PTE_W | kAD); // no X
    s.paging();

    // Accept at 0; s = 0 + T1 = 1; three reads of 20 + 1: r = 1 + 63 = 64.
    mmu_resp_t r = s.tr(kVa, ACC_LOAD);
    EXPECT_EQ(r.fault, FAULT_NONE);
    EXPECT_EQ(r.pa, kPa | 0x567);
    EXPECT_EQ(r.cycle, 64u);
    EXPECT_EQ(r.latency, 64u);
    EXPECT_EQ(mmu_now(s.m), 65u);
    EXPECT_EQ(s.st().cycles, 65u);
    EXPECT_EQ(s.st().walks, 1u);
    EXPECT_EQ(s.st().mem_reads, 3u);
    EXPECT_EQ(s.st().mem_writes, 0u);
    EXPECT_EQ(s.st().walk_latency[64], 1u);
    EXPECT_EQ(s.st().walk_cycles, 64u);
    EXPECT_EQ(s.valid(TLB_L1), 1u);

    // Same page again, accepted at 65: L1 hit, r = 66.
    r = s.tr(kVa + 8, ACC_LOAD);
    EXPECT_EQ(r.fault, FAULT_NONE);
    EXPECT_EQ(r.pa, kPa | 0x56f);
    EXPECT_EQ(r.cycle, 66u);
    EXPECT_EQ(r.latency, 1u);
    // Store (D = 1, W = 1) accepted at 67: hit, r = 68.
    r = s.tr(kVa, ACC_STORE);
    EXPECT_EQ(r.fault, FAULT_NONE);
    EXPECT_EQ(r.cycle, 68u);
    EXPECT_EQ(r.latency, 1u);
    // Fetch accepted at 69: X = 0, a hit with a fault, r = 70.
    r = s.tr(kVa, ACC_FETCH);
    EXPECT_EQ(r.fault, FAULT_FETCH_PAGE);
    EXPECT_EQ(r.cycle, 70u);
    EXPECT_EQ(r.latency, 1u);

    const mmu_stats_t &st = s.st();
    EXPECT_EQ(st.requests, 4u);
    EXPECT_EQ(st.replays, 0u);
    EXPECT_EQ(st.tlb[TLB_L1].lookups[ACC_LOAD], 2u);
    EXPECT_EQ(st.tlb[TLB_L1].hits[ACC_LOAD], 1u);
    EXPECT_EQ(st.tlb[TLB_L1].misses[ACC_LOAD], 1u);
    EXPECT_EQ(st.tlb[TLB_L1].lookups[ACC_STORE], 1u);
    EXPECT_EQ(st.tlb[TLB_L1].hits[ACC_STORE], 1u);
    EXPECT_EQ(st.tlb[TLB_L1].misses[ACC_STORE], 0u);
    EXPECT_EQ(st.tlb[TLB_L1].lookups[ACC_FETCH], 1u);
    EXPECT_EQ(st.tlb[TLB_L1].hits[ACC_FETCH], 1u);
    EXPECT_EQ(st.tlb[TLB_L1].misses[ACC_FETCH], 0u);
    for (int a = 0; a < ACC_COUNT; a++)
        EXPECT_EQ(st.tlb_replay[TLB_L1].lookups[a], 0u);
    EXPECT_EQ(st.walks, 1u);
    EXPECT_EQ(st.mem_reads, 3u);
    EXPECT_EQ(st.faults[FAULT_FETCH_PAGE], 1u);
    uint64_t nfaults = 0;
    for (int f = 0; f < FAULT_COUNT; f++)
        nfaults += st.faults[f];
    EXPECT_EQ(nfaults, 1u);
    EXPECT_EQ(st.walk_cycles, 64u);
    uint64_t hist = 0;
    for (int b = 0; b < WALK_HIST_BUCKETS; b++)
        hist += st.walk_latency[b];
    EXPECT_EQ(hist, 1u);
    EXPECT_EQ(st.cycles, 71u);
    EXPECT_EQ(mmu_now(s.m), 71u);
}

TEST(MmuTiming, Sv48ColdWalkReadsFour)
{
    sim_config_t c = contract_config();
    c.mode = VM_SV48;
    Sim s(c);
    PageTable pt(s.dram, 4);
    uint64_t va = (5ull << 39) | kVa;
    pt.map(va, kPa, kRW);
    s.paging();
    // s = 1, four reads of 21: r = 1 + 84 = 85.
    mmu_resp_t r = s.tr(va, ACC_LOAD);
    EXPECT_EQ(r.fault, FAULT_NONE);
    EXPECT_EQ(r.pa, kPa | 0x567);
    EXPECT_EQ(r.cycle, 85u);
    EXPECT_EQ(s.st().mem_reads, 4u);
    EXPECT_EQ(s.st().walk_latency[85], 1u);
}

TEST(MmuTiming, SvaduAccessedAndDirtyWrites)
{
    sim_config_t c = contract_config();
    c.ad = AD_SVADU;
    Sim s(c);
    PageTable pt(s.dram, 3);
    uint64_t leaf = PTE_MAKE(kPa >> 12, PTE_V | PTE_R | PTE_W | (1ull << 8));
    uint64_t at = pt.set(kVa, 0, leaf);
    s.paging();

    // Load, A = 0: s = 1, three reads (63), one write of 20 + 1: r = 85.
    mmu_resp_t r = s.tr(kVa, ACC_LOAD);
    EXPECT_EQ(r.fault, FAULT_NONE);
    EXPECT_EQ(r.pa, kPa | 0x567);
    EXPECT_EQ(r.cycle, 85u);
    EXPECT_EQ(r.latency, 85u);
    EXPECT_EQ(s.peek(at), leaf | PTE_A); // D untouched on a load, RSW kept
    EXPECT_EQ(s.st().mem_reads, 3u);
    EXPECT_EQ(s.st().mem_writes, 1u);
    EXPECT_EQ(s.st().ad_updates, 1u);
    EXPECT_EQ(s.st().walk_latency[85], 1u);

    // Store accepted at 86 finds the entry with D = 0: a miss, walk, D write:
    // r = 86 + 1 + 63 + 21 = 171.
    r = s.tr(kVa, ACC_STORE);
    EXPECT_EQ(r.fault, FAULT_NONE);
    EXPECT_EQ(r.cycle, 171u);
    EXPECT_EQ(r.latency, 85u);
    EXPECT_EQ(s.peek(at), leaf | PTE_A | PTE_D);
    EXPECT_EQ(s.st().tlb[TLB_L1].lookups[ACC_STORE], 1u);
    EXPECT_EQ(s.st().tlb[TLB_L1].misses[ACC_STORE], 1u);
    EXPECT_EQ(s.st().tlb[TLB_L1].hits[ACC_STORE], 0u);
    EXPECT_EQ(s.st().walks, 2u);
    EXPECT_EQ(s.st().mem_reads, 6u);
    EXPECT_EQ(s.st().mem_writes, 2u);
    EXPECT_EQ(s.st().ad_updates, 2u);
    EXPECT_EQ(s.st().walk_latency[85], 2u);
    EXPECT_EQ(s.valid(TLB_L1), 1u); // the fill replaced the D = 0 entry in place

    // Now both hit: 172 -> 173, 174 -> 175.
    r = s.tr(kVa, ACC_STORE);
    EXPECT_EQ(r.cycle, 173u);
    r = s.tr(kVa, ACC_LOAD);
    EXPECT_EQ(r.cycle, 175u);
    EXPECT_EQ(s.st().mem_writes, 2u);

    // A fresh page with A = D = 0 and a store first: one write sets both.
    uint64_t va2 = kVa + 0x1000;
    uint64_t leaf2 = PTE_MAKE((kPa >> 12) + 1, PTE_V | PTE_R | PTE_W);
    uint64_t at2 = pt.set(va2, 0, leaf2);
    r = s.tr(va2, ACC_STORE); // accepted at 176: r = 176 + 85 = 261
    EXPECT_EQ(r.fault, FAULT_NONE);
    EXPECT_EQ(r.cycle, 261u);
    EXPECT_EQ(s.peek(at2), leaf2 | PTE_A | PTE_D);
    EXPECT_EQ(s.st().ad_updates, 3u);
}

TEST(MmuTiming, L2AndWalkCache)
{
    sim_config_t c = contract_config();
    c.l2.entries = 16;
    c.l2.ways = 4;
    c.l2.latency = 4;
    c.pwc.entries = 8;
    c.pwc.ways = 0;
    c.pwc.latency = 1;
    Sim s(c);
    PageTable pt(s.dram, 3);
    const uint64_t va_a = kVa;          // VPN 1/1/3
    const uint64_t va_b = 0x40204000ull; // VPN 1/1/4: same 2 MiB region
    const uint64_t va_c = 0x40600000ull; // VPN 1/3/0: same 1 GiB region
    pt.map(va_a, 0x80100000ull, kRW);
    pt.map(va_b, 0x80200000ull, kRW);
    pt.map(va_c, 0x80300000ull, kRW);
    s.paging();

    // Cold: s = 0 + T1 + T2 + Tp = 6, three reads: r = 69.
    mmu_resp_t r = s.tr(va_a, ACC_LOAD);
    EXPECT_EQ(r.fault, FAULT_NONE);
    EXPECT_EQ(r.pa, 0x80100567ull);
    EXPECT_EQ(r.cycle, 69u);
    EXPECT_EQ(s.valid(TLB_L1), 1u);
    EXPECT_EQ(s.valid(TLB_L2), 1u);
    EXPECT_EQ(s.pwc_valid(), 2u); // the pointers of levels 2 and 1

    // L1 hit: 70 -> 71.
    r = s.tr(va_a, ACC_LOAD);
    EXPECT_EQ(r.cycle, 71u);

    // Empty the L1 only: L1 miss, L2 hit: 72 + T1 + T2 = 77.
    tlb_flush(mmu_tlb(s.m, TLB_L1), 0, 0, 0, 0);
    r = s.tr(va_a, ACC_LOAD);
    EXPECT_EQ(r.fault, FAULT_NONE);
    EXPECT_EQ(r.pa, 0x80100567ull);
    EXPECT_EQ(r.cycle, 77u);
    EXPECT_EQ(r.latency, 5u);
    EXPECT_EQ(s.valid(TLB_L1), 1u); // filled from L2 at the end of 77
    r = s.tr(va_a, ACC_LOAD);       // 78 -> 79, L1 hit
    EXPECT_EQ(r.cycle, 79u);

    // B: walk cache hit on the level-1 pointer, one read: s = 80 + 6 = 86, r = 86 + 21 = 107.
    r = s.tr(va_b, ACC_LOAD);
    EXPECT_EQ(r.fault, FAULT_NONE);
    EXPECT_EQ(r.pa, 0x80200000ull);
    EXPECT_EQ(r.cycle, 107u);
    EXPECT_EQ(r.latency, 27u);
    EXPECT_EQ(s.st().pwc_hits[1], 1u);
    EXPECT_EQ(s.st().mem_reads, 4u);
    EXPECT_EQ(s.pwc_valid(), 2u); // no pointer was read

    // C: only the level-2 pointer matches, two reads: s = 108 + 6 = 114, r = 114 + 42 = 156.
    r = s.tr(va_c, ACC_LOAD);
    EXPECT_EQ(r.fault, FAULT_NONE);
    EXPECT_EQ(r.pa, 0x80300000ull);
    EXPECT_EQ(r.cycle, 156u);
    EXPECT_EQ(r.latency, 48u);
    EXPECT_EQ(s.st().pwc_hits[2], 1u);
    EXPECT_EQ(s.pwc_valid(), 3u); // C's level-1 pointer added

    const mmu_stats_t &st = s.st();
    EXPECT_EQ(st.requests, 6u);
    EXPECT_EQ(st.walks, 3u);
    EXPECT_EQ(st.mem_reads, 6u);
    EXPECT_EQ(st.pwc_lookups, 3u);
    EXPECT_EQ(st.pwc_misses, 1u);
    EXPECT_EQ(st.pwc_hits[1], 1u);
    EXPECT_EQ(st.pwc_hits[2], 1u);
    EXPECT_EQ(st.pwc_hits[0], 0u);
    EXPECT_EQ(st.pwc_hits[3], 0u);
    // L1: A miss, A hit, A miss, A hit, B miss, C miss.
    EXPECT_EQ(st.tlb[TLB_L1].lookups[ACC_LOAD], 6u);
    EXPECT_EQ(st.tlb[TLB_L1].hits[ACC_LOAD], 2u);
    EXPECT_EQ(st.tlb[TLB_L1].misses[ACC_LOAD], 4u);
    // L2: A miss, A hit, B miss, C miss.
    EXPECT_EQ(st.tlb[TLB_L2].lookups[ACC_LOAD], 4u);
    EXPECT_EQ(st.tlb[TLB_L2].hits[ACC_LOAD], 1u);
    EXPECT_EQ(st.tlb[TLB_L2].misses[ACC_LOAD], 3u);
    EXPECT_EQ(st.walk_latency[69], 1u);
    EXPECT_EQ(st.walk_latency[27], 1u);
    EXPECT_EQ(st.walk_latency[48], 1u);
    EXPECT_EQ(st.walk_cycles, 69u + 27u + 48u);
    EXPECT_EQ(st.cycles, 157u);
}

TEST(MmuTiming, OtherLatencies)
{
    // T1 = 2, no L2, Tp = 3, DRAM 5: cold walk s = 0 + 2 + 3 = 5, r = 5 + 3 * 6 = 23;
    // L1 hit at 24: r = 26; walk-cache hit at level 1 for the neighbour at 27:
    // s = 27 + 5 = 32, r = 32 + 6 = 38.
    sim_config_t c = contract_config();
    c.l1.latency = 2;
    c.pwc.entries = 4;
    c.pwc.latency = 3;
    c.dram.latency = 5;
    Sim s(c);
    PageTable pt(s.dram, 3);
    pt.map(kVa, kPa, kRW);
    pt.map(kVa + 0x1000, kPa + 0x1000, kRW);
    s.paging();
    EXPECT_EQ(s.tr(kVa, ACC_LOAD).cycle, 23u);
    EXPECT_EQ(s.tr(kVa, ACC_LOAD).cycle, 26u);
    mmu_resp_t r = s.tr(kVa + 0x1000, ACC_LOAD);
    EXPECT_EQ(r.cycle, 38u);
    EXPECT_EQ(r.latency, 11u);
    EXPECT_EQ(r.pa, (kPa + 0x1000) | 0x567);
}

TEST(MmuTiming, LongWalkInTheLastHistogramBucket)
{
    // DRAM latency 400: r = 1 + 3 * 401 = 1204, beyond the exact buckets 0..1022.
    sim_config_t c = contract_config();
    c.dram.latency = 400;
    Sim s(c);
    PageTable pt(s.dram, 3);
    pt.map(kVa, kPa, kRW);
    s.paging();
    mmu_resp_t r = s.tr(kVa, ACC_LOAD);
    EXPECT_EQ(r.cycle, 1204u);
    EXPECT_EQ(s.st().walk_latency[WALK_HIST_BUCKETS - 1], 1u);
    EXPECT_EQ(s.st().walk_cycles, 1204u);
    // A walk of exactly 1022 cycles goes to bucket 1022: latency 340 gives
    // 1 + 3 * 341 = 1024 (bucket 1023); latency 339 gives 1 + 3 * 340 = 1021.
    c.dram.latency = 339;
    Sim s2(c);
    PageTable pt2(s2.dram, 3);
    pt2.map(kVa, kPa, kRW);
    s2.paging();
    EXPECT_EQ(s2.tr(kVa, ACC_LOAD).latency, 1021u);
    EXPECT_EQ(s2.st().walk_latency[1021], 1u);
    EXPECT_EQ(s2.st().walk_latency[WALK_HIST_BUCKETS - 1], 0u);
}

TEST(MmuTiming, PteAddressOutsideDramAtRoot)
{
    Sim s(contract_config());
    // Roots whose first PTE is not in DRAM: far below, just above the end,
    // and just below the base.
    struct Case {
        uint64_t root;
        acc_t acc;
        fault_t want;
    } cases[] = {
        {0x1000ull, ACC_LOAD, FAULT_LOAD_ACCESS},
        {kBase + kSize, ACC_STORE, FAULT_STORE_ACCESS},
        {kBase - 0x1000, ACC_FETCH, FAULT_FETCH_ACCESS},
    };
    uint64_t a = 0;
    for (const Case &k : cases) {
        s.paging(k.root);
        // s = a + T1 = a + 1: the read is not issued, the fault is the response at s.
        mmu_resp_t r = s.tr(kVa, k.acc);
        EXPECT_EQ(r.fault, k.want);
        EXPECT_EQ(r.cycle, a + 1);
        EXPECT_EQ(r.latency, 1u);
        a = r.cycle + 1;
    }
    const mmu_stats_t &st = s.st();
    EXPECT_EQ(st.mem_reads, 0u);
    EXPECT_EQ(st.mem_writes, 0u);
    EXPECT_EQ(st.walks, 3u);
    EXPECT_EQ(st.faults[FAULT_LOAD_ACCESS], 1u);
    EXPECT_EQ(st.faults[FAULT_STORE_ACCESS], 1u);
    EXPECT_EQ(st.faults[FAULT_FETCH_ACCESS], 1u);
    EXPECT_EQ(st.walk_latency[1], 3u);
    EXPECT_EQ(st.cycles, 6u);
    EXPECT_EQ(s.valid(TLB_L1), 0u);

    // With a walk cache (Tp = 1) the response is at s = a + 2; with the
    // pointer at level 1 leading out of DRAM it comes after one read:
    // s + 21.
    sim_config_t c = contract_config();
    c.pwc.entries = 4;
    Sim s2(c);
    s2.paging(0x2000);
    mmu_resp_t r = s2.tr(kVa, ACC_LOAD);
    EXPECT_EQ(r.fault, FAULT_LOAD_ACCESS);
    EXPECT_EQ(r.cycle, 2u);
    PageTable pt(s2.dram, 3);
    pt.write(PageTable::pte_addr(kRoot, kVa, 2), PTE_MAKE(0x1234, PTE_V)); // table at 0x1234000
    s2.paging();
    r = s2.tr(kVa, ACC_STORE); // accepted at 3: s = 5, one read: r = 26
    EXPECT_EQ(r.fault, FAULT_STORE_ACCESS);
    EXPECT_EQ(r.cycle, 26u);
    EXPECT_EQ(s2.st().mem_reads, 1u);
    EXPECT_EQ(s2.pwc_valid(), 0u); // a faulting walk installs nothing
}

TEST(MmuTiming, DdrWalkByHand)
{
    sim_config_t c = contract_config();
    c.ad = AD_SVADU;
    c.dram.timing = DRAM_DDR;
    c.dram.banks = 8;
    c.dram.row_bytes = 8192;
    c.dram.tcl = 14;
    c.dram.trcd = 14;
    c.dram.trp = 14;
    c.dram.tras = 33;
    Sim s(c);
    // Address split relative to base: column 13 bits, bank 3 bits, row above:
    // bank = (off >> 13) & 7, row = off >> 16.
    //   root  0x80001000: off 0x01000 -> bank 0, row 0
    //   L1    0x80010000: off 0x10000 -> bank 0, row 1
    //   L0a   0x80011000: off 0x11000 -> bank 0, row 1
    //   L0b   0x80002000: off 0x02000 -> bank 1, row 0
    // (PTE offsets inside a table stay below 0x1000, so in the same bank/row.)
    const uint64_t l1 = 0x80010000ull, l0a = 0x80011000ull, l0b = 0x80002000ull;
    const uint64_t va1 = 0x5010ull;   // VPN 0/0/5
    const uint64_t va2 = 0x207000ull; // VPN 0/1/7
    PageTable pt(s.dram, 3);
    pt.write(kRoot + 0 * 8, PTE_MAKE(l1 >> 12, PTE_V));
    pt.write(l1 + 0 * 8, PTE_MAKE(l0a >> 12, PTE_V));
    pt.write(l1 + 1 * 8, PTE_MAKE(l0b >> 12, PTE_V));
    uint64_t leaf1 = PTE_MAKE(0x80200000ull >> 12, PTE_V | PTE_R | PTE_W); // A = 0
    uint64_t leaf2 = PTE_MAKE(0x80300000ull >> 12, PTE_V | PTE_R | PTE_W | PTE_A);
    pt.write(l0a + 5 * 8, leaf1);
    pt.write(l0b + 7 * 8, leaf2);
    s.paging();

    // Request 1 (load va1) accepted at 0, s = 1:
    //   read root  at 1:  bank 0 closed: tRCD + tCL = 28; act0 = 1; next 1 + 29 = 30
    //   read L1    at 30: bank 0 row 0 open, want row 1: conflict,
    //                     wait = max(0, 1 + 33 - 30) = 4, L = 4 + 14 + 14 + 14 = 46,
    //                     act0 = 30 + 4 + 14 = 48; next 30 + 47 = 77
    //   read L0a   at 77: bank 0 row 1: hit, 14; next 92
    //   A write    at 92: bank 0 row 1: hit, 14; next 107 = response
    mmu_resp_t r = s.tr(va1, ACC_LOAD);
    EXPECT_EQ(r.fault, FAULT_NONE);
    EXPECT_EQ(r.pa, 0x80200010ull);
    EXPECT_EQ(r.cycle, 107u);
    EXPECT_EQ(r.latency, 107u);
    EXPECT_EQ(s.peek(l0a + 5 * 8), leaf1 | PTE_A);

    // Request 2 (load va2) accepted at 108, s = 109:
    //   read root  at 109: bank 0 row 1 open, want row 0: conflict,
    //                      wait = max(0, 48 + 33 - 109) = 0, L = 42, act0 = 123; next 152
    //   read L1    at 152: bank 0 row 0 open, want row 1: conflict,
    //                      wait = 123 + 33 - 152 = 4, L = 46, act0 = 170; next 199
    //   read L0b   at 199: bank 1 closed: 28; next 228 = response (A already set)
    r = s.tr(va2, ACC_LOAD);
    EXPECT_EQ(r.fault, FAULT_NONE);
    EXPECT_EQ(r.pa, 0x80300000ull);
    EXPECT_EQ(r.cycle, 228u);
    EXPECT_EQ(r.latency, 120u);
    EXPECT_EQ(s.peek(l0b + 7 * 8), leaf2);

    const mmu_stats_t &st = s.st();
    EXPECT_EQ(st.mem_reads, 6u);
    EXPECT_EQ(st.mem_writes, 1u);
    EXPECT_EQ(st.ad_updates, 1u);
    EXPECT_EQ(st.walks, 2u);
    EXPECT_EQ(st.walk_latency[107], 1u);
    EXPECT_EQ(st.walk_latency[120], 1u);
    EXPECT_EQ(st.walk_cycles, 227u);
    EXPECT_EQ(st.cycles, 229u);

    // The cycle-level path on a second image gives the same cycles.
    Sim s2(c);
    PageTable pt2(s2.dram, 3);
    pt2.write(kRoot, PTE_MAKE(l1 >> 12, PTE_V));
    pt2.write(l1 + 0 * 8, PTE_MAKE(l0a >> 12, PTE_V));
    pt2.write(l1 + 1 * 8, PTE_MAKE(l0b >> 12, PTE_V));
    pt2.write(l0a + 5 * 8, leaf1);
    pt2.write(l0b + 7 * 8, leaf2);
    s2.paging();
    Port port(s2.dram, c.dram);
    mmu_req_t q = make_req(va1, ACC_LOAD);
    memport_translate(&port.p, s2.m, &q, &r);
    EXPECT_EQ(r.cycle, 107u);
    q = make_req(va2, ACC_LOAD);
    memport_translate(&port.p, s2.m, &q, &r);
    EXPECT_EQ(r.cycle, 228u);
    EXPECT_EQ(std::memcmp(&s.st(), &s2.st(), sizeof(mmu_stats_t)), 0);
}

TEST(MmuTiming, ReplaysCountSeparatelyAndSplitL1)
{
    sim_config_t c = contract_config();
    c.l1_split = 1;
    c.l1.entries = 8;
    Sim s(c);
    PageTable pt(s.dram, 3);
    pt.map(kVa, kPa, kRWX);
    s.paging();

    // Load: L1D miss, walk 0 -> 64.
    mmu_resp_t r = s.tr(kVa, ACC_LOAD);
    EXPECT_EQ(r.cycle, 64u);
    // Fetch of the same page: the instruction L1 is separate, so it walks: 65 -> 129.
    r = s.tr(kVa, ACC_FETCH);
    EXPECT_EQ(r.cycle, 129u);
    EXPECT_EQ(s.valid(TLB_L1I), 1u);
    EXPECT_EQ(s.valid(TLB_L1D), 1u);
    // Replayed fetch: L1I hit, 130 -> 131, counted in tlb_replay.
    r = s.tr(kVa, ACC_FETCH, PRIV_S, 0, 1);
    EXPECT_EQ(r.cycle, 131u);
    // Replayed store: L1D hit, 132 -> 133.
    r = s.tr(kVa, ACC_STORE, PRIV_S, 0, 1);
    EXPECT_EQ(r.cycle, 133u);
    // Replayed load of an unmapped page: L1D miss, walk: level-2 PTE read
    // (pointer), level-1 PTE read (V = 0): page fault at 134 + 1 + 42 = 177.
    r = s.tr(kVa + 0x200000, ACC_LOAD, PRIV_S, 0, 1);
    EXPECT_EQ(r.fault, FAULT_LOAD_PAGE);
    EXPECT_EQ(r.cycle, 177u);

    const mmu_stats_t &st = s.st();
    EXPECT_EQ(st.requests, 5u);
    EXPECT_EQ(st.replays, 3u);
    EXPECT_EQ(st.tlb[TLB_L1D].lookups[ACC_LOAD], 1u);
    EXPECT_EQ(st.tlb[TLB_L1D].misses[ACC_LOAD], 1u);
    EXPECT_EQ(st.tlb[TLB_L1I].lookups[ACC_FETCH], 1u);
    EXPECT_EQ(st.tlb[TLB_L1I].misses[ACC_FETCH], 1u);
    EXPECT_EQ(st.tlb[TLB_L1D].lookups[ACC_STORE], 0u);
    EXPECT_EQ(st.tlb[TLB_L1I].lookups[ACC_LOAD], 0u);
    EXPECT_EQ(st.tlb[TLB_L1D].lookups[ACC_FETCH], 0u);
    EXPECT_EQ(st.tlb_replay[TLB_L1I].lookups[ACC_FETCH], 1u);
    EXPECT_EQ(st.tlb_replay[TLB_L1I].hits[ACC_FETCH], 1u);
    EXPECT_EQ(st.tlb_replay[TLB_L1D].lookups[ACC_STORE], 1u);
    EXPECT_EQ(st.tlb_replay[TLB_L1D].hits[ACC_STORE], 1u);
    EXPECT_EQ(st.tlb_replay[TLB_L1D].lookups[ACC_LOAD], 1u);
    EXPECT_EQ(st.tlb_replay[TLB_L1D].misses[ACC_LOAD], 1u);
    EXPECT_EQ(st.tlb_replay[TLB_L1I].lookups[ACC_LOAD], 0u);
    EXPECT_EQ(st.walks, 3u);
    EXPECT_EQ(st.mem_reads, 8u);
    EXPECT_EQ(st.faults[FAULT_LOAD_PAGE], 1u);
    EXPECT_EQ(st.walk_latency[64], 2u);
    EXPECT_EQ(st.walk_latency[43], 1u);
}

TEST(MmuTiming, SuperpageHitsAndGlobalEntries)
{
    Sim s(contract_config());
    PageTable pt(s.dram, 3);
    // A 2 MiB leaf at VPN 1/1 and a 1 GiB leaf at VPN 2; the 1 GiB one global.
    pt.map(0x40200000ull, 0x80400000ull, kRW, 1);
    pt.map(0x80000000ull, 0xC0000000ull, kRW | PTE_G, 2);
    s.paging();
    // 2 MiB: cold walk of two reads, s = 1, r = 43.
    mmu_resp_t r = s.tr(0x40203567ull, ACC_LOAD, PRIV_S, 1);
    EXPECT_EQ(r.pa, 0x80403567ull);
    EXPECT_EQ(r.cycle, 43u);
    // Another 4 KiB page of the same 2 MiB page: L1 hit, 44 -> 45.
    r = s.tr(0x403ff008ull, ACC_STORE, PRIV_S, 1);
    EXPECT_EQ(r.pa, 0x805ff008ull);
    EXPECT_EQ(r.cycle, 45u);
    // Other ASID, not global: walks again, 46 -> 89.
    r = s.tr(0x40200000ull, ACC_LOAD, PRIV_S, 2);
    EXPECT_EQ(r.cycle, 89u);
    // 1 GiB global: one read, 90 -> 112; then another ASID hits: 113 -> 114.
    r = s.tr(0x80001234ull, ACC_LOAD, PRIV_S, 1);
    EXPECT_EQ(r.pa, 0xC0001234ull);
    EXPECT_EQ(r.cycle, 112u);
    r = s.tr(0xBFFFF000ull, ACC_LOAD, PRIV_S, 7);
    EXPECT_EQ(r.pa, 0xFFFFF000ull);
    EXPECT_EQ(r.cycle, 114u);
    // sfence * ASID 7 keeps the global entry: 115 (fence), hit 116 -> 117.
    mmu_sfence_t f = make_fence(0, 0, 1, 7);
    mmu_sfence(s.m, &f);
    EXPECT_EQ(s.st().cycles, 116u);
    r = s.tr(0x80000000ull, ACC_LOAD, PRIV_S, 7);
    EXPECT_EQ(r.cycle, 117u);
    // sfence VA removes it: 118, then a walk 119 -> 141.
    f = make_fence(1, 0x90000000ull, 0, 0);
    mmu_sfence(s.m, &f);
    r = s.tr(0x80000000ull, ACC_LOAD, PRIV_S, 7);
    EXPECT_EQ(r.cycle, 141u);
    EXPECT_EQ(s.st().sfences, 2u);
    EXPECT_EQ(s.st().cycles, 142u);
}

// ================================================================ walk rules
//
// mmu_translate only.  A configuration with L1, L2 and a walk cache so that
// "a faulting walk installs nothing" covers every structure.

class MmuWalk : public ::testing::Test {
protected:
    static sim_config_t rules_config(ad_policy_t ad = AD_SVADE, vm_mode_t mode = VM_SV39)
    {
        sim_config_t c = contract_config();
        c.mode = mode;
        c.ad = ad;
        c.l2.entries = 16;
        c.l2.ways = 4;
        c.pwc.entries = 8;
        return c;
    }
    void reset(const sim_config_t &c, uint64_t root = kRoot, uint64_t pool = 0x80100000ull)
    {
        pt_.reset();
        sim_.reset(new Sim(c));
        pt_.reset(new PageTable(sim_->dram, vm_levels(c.mode), root, pool));
        sim_->paging(root);
    }
    void SetUp() override { reset(rules_config()); }

    Sim &s() { return *sim_; }
    PageTable &pt() { return *pt_; }

    // Translates; a fault must leave every structure as it was.
    mmu_resp_t go(uint64_t va, acc_t acc, priv_t priv = PRIV_S, uint16_t asid = 0)
    {
        unsigned l1 = s().valid(TLB_L1), l1d = s().valid(TLB_L1D), l2 = s().valid(TLB_L2),
                 pwc = s().pwc_valid();
        mmu_resp_t r = s().tr(va, acc, priv, asid);
        if (r.fault != FAULT_NONE) {
            EXPECT_EQ(s().valid(TLB_L1), l1) << fault_name(r.fault) << " va " << std::hex << va;
            EXPECT_EQ(s().valid(TLB_L1D), l1d);
            EXPECT_EQ(s().valid(TLB_L2), l2);
            EXPECT_EQ(s().pwc_valid(), pwc) << fault_name(r.fault) << " va " << std::hex << va;
        }
        return r;
    }
    // Expects fault f for all three access types, with a fresh TLB each time.
    void expect_all(uint64_t va, bool page, const char *what)
    {
        for (int a = 0; a < ACC_COUNT; a++) {
            acc_t acc = (acc_t)a;
            s().fence_all();
            mmu_resp_t r = go(va, acc);
            EXPECT_EQ(r.fault, page ? fault_page(acc) : fault_access(acc)) << what << " acc " << acc_name(acc);
        }
    }

    std::unique_ptr<Sim> sim_;
    std::unique_ptr<PageTable> pt_;
};

TEST_F(MmuWalk, LeavesOfEveryLevelTranslate)
{
    pt().map(0x1000ull, 0x80005000ull, kRWX);                 // 4 KiB
    pt().map(0x40200000ull, 0x80400000ull, kRWX, 1);          // 2 MiB
    pt().map(0x80000000ull, 0xC0000000ull, kRWX, 2);          // 1 GiB
    pt().map(0xFFFFFFC000000000ull, 0x80000000ull, kRWX, 2);  // 1 GiB, top half
    EXPECT_EQ(go(0x1abcull, ACC_LOAD).pa, 0x80005abcull);
    EXPECT_EQ(go(0x403fedcbull, ACC_FETCH).pa, 0x805fedcbull);
    EXPECT_EQ(go(0xABCDEF01ull, ACC_STORE).pa, 0xEBCDEF01ull);
    mmu_resp_t r = go(0xFFFFFFC012345678ull, ACC_LOAD);
    EXPECT_EQ(r.fault, FAULT_NONE);
    EXPECT_EQ(r.pa, 0x92345678ull);
}

TEST_F(MmuWalk, InvalidAtEveryLevel)
{
    // Level 2 invalid (nothing mapped): page fault on the first read.
    expect_all(0x40000000ull, true, "V=0 at level 2");
    // Level 1 invalid.
    pt().slot(0x40000000ull, 1);
    expect_all(0x40000000ull, true, "V=0 at level 1");
    // Leaf with every bit but V set.
    pt().set(0x40000000ull, 0, PTE_MAKE(0x80005, 0x3fe));
    expect_all(0x40000000ull, true, "V=0 leaf");
    // The same leaf with V set works: nothing stale was cached.
    pt().set(0x40000000ull, 0, PTE_MAKE(0x80005, kRWX));
    EXPECT_EQ(go(0x40000000ull, ACC_LOAD).fault, FAULT_NONE);
    EXPECT_EQ(s().pwc_valid(), 2u);
}

TEST_F(MmuWalk, WriteWithoutReadIsReserved)
{
    pt().map(0x1000, 0x80005000ull, PTE_V | PTE_W | kAD);
    pt().map(0x2000, 0x80005000ull, PTE_V | PTE_W | PTE_X | kAD);
    pt().map(0x3000, 0x80005000ull, PTE_V | PTE_W | PTE_X | PTE_U | kAD);
    expect_all(0x1000, true, "W only");
    expect_all(0x2000, true, "W X");
    for (int a = 0; a < ACC_COUNT; a++) {
        s().fence_all();
        EXPECT_EQ(go(0x3000, (acc_t)a, PRIV_U).fault, fault_page((acc_t)a));
    }
    // W = 1 R = 0 as a would-be pointer (X = 0) is reserved too.
    pt().set(0x40000000ull, 1, PTE_MAKE(0x80123, PTE_V | PTE_W));
    expect_all(0x40000000ull, true, "W-only pointer");
}

TEST_F(MmuWalk, ReservedBits63To54)
{
    for (int bit = 54; bit <= 63; bit++) {
        uint64_t va = (uint64_t)(bit - 50) << 12; // a distinct 4 KiB page per bit
        pt().map(va, 0x80005000ull, kRWX);
        pt().write(pt().slot(va, 0), PTE_MAKE(0x80005, kRWX) | (1ull << bit));
        expect_all(va, true, "reserved bit in leaf");
        // In a pointer (level 1) too.
        uint64_t vb = 0x40000000ull + ((uint64_t)bit << 21);
        uint64_t t = pt().alloc();
        pt().set(vb, 1, PTE_MAKE(t >> 12, PTE_V) | (1ull << bit));
        pt().write(PageTable::pte_addr(t, vb, 0), PTE_MAKE(0x80005, kRWX));
        expect_all(vb, true, "reserved bit in pointer");
    }
}

TEST_F(MmuWalk, RswIsIgnored)
{
    uint64_t va = 0x40201000ull;
    uint64_t t = pt().alloc();
    pt().set(va, 1, PTE_MAKE(t >> 12, PTE_V | PTE_RSW_MASK));
    pt().write(PageTable::pte_addr(t, va, 0), PTE_MAKE(0x80005, kRWX | PTE_RSW_MASK));
    for (int a = 0; a < ACC_COUNT; a++) {
        s().fence_all();
        mmu_resp_t r = go(va + 0x10, (acc_t)a);
        EXPECT_EQ(r.fault, FAULT_NONE);
        EXPECT_EQ(r.pa, 0x80005010ull);
    }
}

TEST_F(MmuWalk, PointerAtLevelZero)
{
    uint64_t t = pt().alloc();
    pt().set(0x5000, 0, PTE_MAKE(t >> 12, PTE_V));
    pt().write(t + 5 * 8, PTE_MAKE(0x80005, kRWX));
    expect_all(0x5000, true, "pointer at level 0");
    // The same with G set.
    pt().set(0x5000, 0, PTE_MAKE(t >> 12, PTE_V | PTE_G));
    expect_all(0x5000, true, "global pointer at level 0");
}

TEST_F(MmuWalk, PointerWithAccessedDirtyOrUser)
{
    const uint64_t bits[] = {PTE_A, PTE_D, PTE_U};
    for (int i = 0; i < 3; i++) {
        uint64_t va = 0x40000000ull + ((uint64_t)i << 21);
        uint64_t t = pt().alloc();
        pt().set(va, 1, PTE_MAKE(t >> 12, PTE_V | bits[i]));
        pt().write(PageTable::pte_addr(t, va, 0), PTE_MAKE(0x80005, kRWX | PTE_U));
        expect_all(va, true, "reserved bit on pointer");
        // At level 2 as well.
        uint64_t vb = (uint64_t)(3 + i) << 30;
        uint64_t t1 = pt().alloc(), t0 = pt().alloc();
        pt().write(PageTable::pte_addr(kRoot, vb, 2), PTE_MAKE(t1 >> 12, PTE_V | bits[i]));
        pt().write(PageTable::pte_addr(t1, vb, 1), PTE_MAKE(t0 >> 12, PTE_V));
        pt().write(PageTable::pte_addr(t0, vb, 0), PTE_MAKE(0x80005, kRWX));
        expect_all(vb, true, "reserved bit on level-2 pointer");
    }
    // G on a pointer is allowed and makes the leaf global.
    uint64_t vg = 0x7ull << 30;
    uint64_t t1 = pt().alloc(), t0 = pt().alloc();
    pt().write(PageTable::pte_addr(kRoot, vg, 2), PTE_MAKE(t1 >> 12, PTE_V | PTE_G));
    pt().write(PageTable::pte_addr(t1, vg, 1), PTE_MAKE(t0 >> 12, PTE_V));
    pt().write(PageTable::pte_addr(t0, vg, 0), PTE_MAKE(0x80005, kRWX));
    s().fence_all();
    EXPECT_EQ(go(vg, ACC_LOAD, PRIV_S, 1).fault, FAULT_NONE);
    uint64_t reads = s().st().mem_reads;
    mmu_resp_t r = go(vg, ACC_LOAD, PRIV_S, 2); // other ASID: a hit on the global entry
    EXPECT_EQ(r.fault, FAULT_NONE);
    EXPECT_EQ(r.latency, 1u);
    EXPECT_EQ(s().st().mem_reads, reads);
}

TEST_F(MmuWalk, MisalignedSuperpages)
{
    // Level 1: PPN[0] != 0.
    pt().map(0x40200000ull, 0x80401000ull, kRWX, 1);
    expect_all(0x40200000ull, true, "misaligned 2 MiB");
    // Level 2: PPN[1] != 0, and PPN[0] != 0.
    pt().map(0x80000000ull, 0xC0200000ull, kRWX, 2);
    expect_all(0x80000000ull, true, "misaligned 1 GiB (PPN[1])");
    pt().map(0xC0000000ull, 0xC0001000ull, kRWX, 2);
    expect_all(0xC0000000ull, true, "misaligned 1 GiB (PPN[0])");
    // Aligned ones work.
    pt().map(0x40400000ull, 0x80400000ull, kRWX, 1);
    EXPECT_EQ(go(0x40412345ull, ACC_LOAD).pa, 0x80412345ull);
    pt().map(0x100000000ull, 0xC0000000ull, kRWX, 2);
    EXPECT_EQ(go(0x100012345ull, ACC_LOAD).pa, 0xC0012345ull);
}

TEST_F(MmuWalk, Sv48SuperpagesWithDramAtZero)
{
    // DRAM at 0 so that a 512 GiB page can land in it.
    sim_config_t c = rules_config(AD_SVADE, VM_SV48);
    c.dram.base = 0;
    c.dram.size = 2 * GiB;
    reset(c, 0x1000, 0x100000);
    const uint64_t va = (1ull << 39) + 0x12345678ull; // VPN[3] = 1
    pt().map(va, 0, kRWX, 3);
    mmu_resp_t r = go(va, ACC_LOAD);
    EXPECT_EQ(r.fault, FAULT_NONE);
    EXPECT_EQ(r.pa, 0x12345678ull);
    EXPECT_EQ(r.cycle, 1u + 4u + 1u + 21u); // s = a + T1 + T2 + Tp, one read
    // Misaligned 512 GiB: PPN[2:0] != 0, any of them.
    const uint64_t ppns[] = {1ull, 1ull << 9, 1ull << 18};
    for (int i = 0; i < 3; i++) {
        uint64_t vb = (uint64_t)(2 + i) << 39;
        pt().set(vb, 3, PTE_MAKE(ppns[i], kRWX));
        expect_all(vb, true, "misaligned 512 GiB");
    }
    // 512 GiB leaf mapping above DRAM: final PA outside DRAM.
    pt().map(6ull << 39, 1ull << 39, kRWX, 3);
    expect_all(6ull << 39, false, "512 GiB page outside DRAM");
    // Non-canonical for Sv48: bit 48 differing from bit 47.
    EXPECT_EQ(go(1ull << 48, ACC_LOAD).fault, FAULT_LOAD_PAGE);
    EXPECT_EQ(go(0xFFFF000000000000ull, ACC_STORE).fault, FAULT_STORE_PAGE);
    // Top half, canonical: 0xFFFF800000000000 has VPN[3] = 256.
    pt().map(0xFFFF800000000000ull, 0x40000000ull, kRWX, 2);
    r = go(0xFFFF800000001234ull, ACC_FETCH);
    EXPECT_EQ(r.fault, FAULT_NONE);
    EXPECT_EQ(r.pa, 0x40001234ull);
}

// flags, acc, priv, sum, mxr, allowed: RISC-V privileged spec 4.3.1 / 4.3.2 step 5.
struct PermCase {
    uint64_t perm;
    acc_t acc;
    priv_t priv;
    int sum, mxr;
    bool ok;
};
const PermCase kPermCases[] = {
    // U-mode needs U = 1 whatever SUM says.
    {PTE_R | PTE_W | PTE_X | PTE_U, ACC_LOAD, PRIV_U, 0, 0, true},
    {PTE_R | PTE_W | PTE_X | PTE_U, ACC_STORE, PRIV_U, 0, 0, true},
    {PTE_R | PTE_W | PTE_X | PTE_U, ACC_FETCH, PRIV_U, 0, 0, true},
    {PTE_R | PTE_W | PTE_X, ACC_LOAD, PRIV_U, 0, 0, false},
    {PTE_R | PTE_W | PTE_X, ACC_STORE, PRIV_U, 0, 0, false},
    {PTE_R | PTE_W | PTE_X, ACC_FETCH, PRIV_U, 0, 0, false},
    {PTE_R | PTE_W | PTE_X, ACC_LOAD, PRIV_U, 1, 0, false},
    // S-mode on U pages: loads/stores only with SUM, fetches never.
    {PTE_R | PTE_W | PTE_X | PTE_U, ACC_LOAD, PRIV_S, 0, 0, false},
    {PTE_R | PTE_W | PTE_X | PTE_U, ACC_LOAD, PRIV_S, 1, 0, true},
    {PTE_R | PTE_W | PTE_X | PTE_U, ACC_STORE, PRIV_S, 0, 0, false},
    {PTE_R | PTE_W | PTE_X | PTE_U, ACC_STORE, PRIV_S, 1, 0, true},
    {PTE_R | PTE_W | PTE_X | PTE_U, ACC_FETCH, PRIV_S, 0, 0, false},
    {PTE_R | PTE_W | PTE_X | PTE_U, ACC_FETCH, PRIV_S, 1, 0, false},
    {PTE_R | PTE_W | PTE_X | PTE_U, ACC_FETCH, PRIV_S, 1, 1, false},
    // S-mode on S pages.
    {PTE_R | PTE_W | PTE_X, ACC_FETCH, PRIV_S, 0, 0, true},
    {PTE_R | PTE_W, ACC_STORE, PRIV_S, 0, 0, true},
    {PTE_R, ACC_LOAD, PRIV_S, 0, 0, true},
    {PTE_R, ACC_STORE, PRIV_S, 0, 0, false},
    {PTE_R, ACC_FETCH, PRIV_S, 0, 0, false},
    {PTE_R | PTE_W, ACC_FETCH, PRIV_S, 0, 0, false},
    {PTE_R | PTE_X, ACC_LOAD, PRIV_S, 0, 0, true},
    {PTE_R | PTE_X, ACC_FETCH, PRIV_S, 0, 0, true},
    {PTE_R | PTE_X, ACC_STORE, PRIV_S, 0, 0, false},
    // MXR: execute-only pages become readable (loads only).
    {PTE_X, ACC_LOAD, PRIV_S, 0, 0, false},
    {PTE_X, ACC_LOAD, PRIV_S, 0, 1, true},
    {PTE_X, ACC_STORE, PRIV_S, 0, 1, false},
    {PTE_X, ACC_FETCH, PRIV_S, 0, 0, true},
    {PTE_X | PTE_U, ACC_LOAD, PRIV_U, 0, 0, false},
    {PTE_X | PTE_U, ACC_LOAD, PRIV_U, 0, 1, true},
    {PTE_X | PTE_U, ACC_LOAD, PRIV_S, 1, 1, true},
    {PTE_X | PTE_U, ACC_LOAD, PRIV_S, 0, 1, false},
    {PTE_X | PTE_U, ACC_FETCH, PRIV_S, 1, 1, false},
};

TEST_F(MmuWalk, Permissions)
{
    int i = 0;
    for (const PermCase &k : kPermCases) {
        uint64_t va = 0x10000000ull + ((uint64_t)i << 12);
        uint64_t pa = 0x80800000ull + ((uint64_t)i << 12);
        pt().map(va, pa, PTE_V | kAD | k.perm);
        s().paging(kRoot, k.sum, k.mxr);
        mmu_resp_t r = go(va + 0x44, k.acc, k.priv);
        if (k.ok) {
            EXPECT_EQ(r.fault, FAULT_NONE) << "case " << i;
            EXPECT_EQ(r.pa, pa + 0x44) << "case " << i;
        } else {
            EXPECT_EQ(r.fault, fault_page(k.acc)) << "case " << i;
        }
        // The same check on a TLB hit: put the page in the TLB with an
        // access that is allowed, then repeat the case.
        s().fence_all();
        s().paging(kRoot, 1, 1);
        mmu_resp_t warm = go(va, (k.perm & PTE_R) ? ACC_LOAD : ACC_FETCH, (k.perm & PTE_U) ? PRIV_U : PRIV_S);
        ASSERT_EQ(warm.fault, FAULT_NONE) << "case " << i;
        s().paging(kRoot, k.sum, k.mxr);
        uint64_t walks = s().st().walks;
        r = go(va + 0x44, k.acc, k.priv);
        EXPECT_EQ(s().st().walks, walks) << "case " << i; // a hit, with or without a fault
        EXPECT_EQ(r.latency, 1u) << "case " << i;
        EXPECT_EQ(r.fault, k.ok ? FAULT_NONE : fault_page(k.acc)) << "hit, case " << i;
        s().fence_all();
        i++;
    }
}

TEST_F(MmuWalk, NonCanonicalSv39)
{
    pt().map(0xFFFFFFC000000000ull, 0x80000000ull, kRWX, 2);
    const uint64_t bad[] = {1ull << 39, 0x0000004000000000ull, 0xFFFFFF8000000000ull,
                            0x8000000000000000ull, 0x7FFFFFC000000000ull};
    uint64_t reads = s().st().mem_reads, walks = s().st().walks;
    for (uint64_t va : bad) {
        for (int a = 0; a < ACC_COUNT; a++) {
            uint64_t now = mmu_now(s().m);
            mmu_resp_t r = go(va, (acc_t)a);
            EXPECT_EQ(r.fault, fault_page((acc_t)a)) << std::hex << va;
            EXPECT_EQ(r.cycle, now + 1); // a + T1, even with an L2 and a walk cache
        }
    }
    EXPECT_EQ(s().st().mem_reads, reads);
    EXPECT_EQ(s().st().walks, walks);
    EXPECT_EQ(go(0xFFFFFFC000000008ull, ACC_LOAD).pa, 0x80000008ull);
}

TEST_F(MmuWalk, PteAddressOutsideDram)
{
    // Root outside: access fault of the access type, no read.
    s().paging(0x10000);
    expect_all(0x1000, false, "root outside DRAM");
    s().paging(kBase + kSize);
    expect_all(0x1000, false, "root past the end");
    EXPECT_EQ(s().st().mem_reads, 0u);
    // A pointer at level 2 / level 1 to a table outside DRAM.
    s().paging(kRoot);
    pt().write(PageTable::pte_addr(kRoot, 0x40000000ull, 2), PTE_MAKE(0x7ffff, PTE_V)); // 0x7ffff000
    expect_all(0x40000000ull, false, "level-1 table below DRAM");
    pt().set(0x80000000ull, 1, PTE_MAKE((kBase + kSize) >> 12, PTE_V));
    expect_all(0x80000000ull, false, "level-0 table past DRAM");
    // The table in the last page of DRAM is fine.
    uint64_t last = kBase + kSize - PAGE_SIZE;
    pt().set(0xC0000000ull, 1, PTE_MAKE(last >> 12, PTE_V));
    pt().write(PageTable::pte_addr(last, 0xC01FF000ull, 0), PTE_MAKE(0x80005, kRWX));
    EXPECT_EQ(go(0xC01FF123ull, ACC_LOAD).pa, 0x80005123ull);
}

TEST_F(MmuWalk, FinalAddressOutsideDram)
{
    pt().map(0x1000, 0x10000000ull, kRWX);                 // below DRAM
    pt().map(0x2000, kBase + kSize, kRWX);                 // just past the end
    pt().map(0x3000, kBase + kSize - PAGE_SIZE, kRWX);     // last page: fine
    pt().map(0x40000000ull, 0x100000000ull, kRWX, 2);      // 1 GiB at 4 GiB: outside
    expect_all(0x1000, false, "PA below DRAM");
    expect_all(0x2000, false, "PA past DRAM");
    expect_all(0x40000000ull, false, "1 GiB PA past DRAM");
    mmu_resp_t r = go(0x3ff8, ACC_STORE);
    EXPECT_EQ(r.fault, FAULT_NONE);
    EXPECT_EQ(r.pa, kBase + kSize - 8);
    EXPECT_EQ(s().st().faults[FAULT_LOAD_ACCESS], 3u);
    EXPECT_EQ(s().st().faults[FAULT_STORE_ACCESS], 3u);
    EXPECT_EQ(s().st().faults[FAULT_FETCH_ACCESS], 3u);
}

TEST_F(MmuWalk, Svade)
{
    uint64_t leaf_a0 = PTE_MAKE(0x80005, PTE_V | PTE_R | PTE_W | PTE_X | PTE_D);
    uint64_t leaf_d0 = PTE_MAKE(0x80006, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A);
    uint64_t at_a0 = pt().set(0x1000, 0, leaf_a0);
    uint64_t at_d0 = pt().set(0x2000, 0, leaf_d0);
    expect_all(0x1000, true, "svade A = 0");
    EXPECT_EQ(s().peek(at_a0), leaf_a0);
    // D = 0: loads and fetches translate, stores fault.
    s().fence_all();
    EXPECT_EQ(go(0x2010, ACC_LOAD).pa, 0x80006010ull);
    EXPECT_EQ(go(0x2010, ACC_FETCH).fault, FAULT_NONE);
    // The store finds D = 0 in the TLB: a miss in L1 and L2, a walk, a page fault.
    uint64_t walks = s().st().walks;
    uint64_t l1_miss = s().st().tlb[TLB_L1].misses[ACC_STORE];
    uint64_t l2_miss = s().st().tlb[TLB_L2].misses[ACC_STORE];
    uint64_t l1_hit = s().st().tlb[TLB_L1].hits[ACC_STORE];
    unsigned l1 = s().valid(TLB_L1);
    mmu_resp_t r = go(0x2010, ACC_STORE);
    EXPECT_EQ(r.fault, FAULT_STORE_PAGE);
    EXPECT_EQ(s().st().walks, walks + 1);
    EXPECT_EQ(s().st().tlb[TLB_L1].misses[ACC_STORE], l1_miss + 1);
    EXPECT_EQ(s().st().tlb[TLB_L2].misses[ACC_STORE], l2_miss + 1);
    EXPECT_EQ(s().st().tlb[TLB_L1].hits[ACC_STORE], l1_hit);
    EXPECT_EQ(s().valid(TLB_L1), l1); // the D = 0 entry stays
    EXPECT_EQ(s().peek(at_d0), leaf_d0);
    EXPECT_EQ(s().st().mem_writes, 0u);
}

TEST_F(MmuWalk, Svadu)
{
    reset(rules_config(AD_SVADU));
    const uint64_t base = PTE_V | PTE_R | PTE_W | PTE_X | PTE_RSW_MASK;
    struct Case {
        uint64_t va, flags;
        acc_t acc;
        uint64_t set; // bits the walk must write
    } cases[] = {
        {0x1000, base, ACC_LOAD, PTE_A},
        {0x2000, base, ACC_FETCH, PTE_A},
        {0x3000, base, ACC_STORE, PTE_A | PTE_D},
        {0x4000, base | PTE_A, ACC_STORE, PTE_D},
        {0x5000, base | PTE_D, ACC_LOAD, PTE_A},
        {0x6000, base | PTE_G, ACC_STORE, PTE_A | PTE_D},
    };
    for (const Case &k : cases) {
        uint64_t leaf = PTE_MAKE(0x80005, k.flags);
        uint64_t at = pt().set(k.va, 0, leaf);
        uint64_t w = s().st().mem_writes;
        mmu_resp_t r = go(k.va, k.acc);
        EXPECT_EQ(r.fault, FAULT_NONE);
        EXPECT_EQ(s().peek(at), leaf | k.set) << std::hex << k.va;
        EXPECT_EQ(s().st().mem_writes, w + 1);
    }
    EXPECT_EQ(s().st().ad_updates, 6u);
    // Nothing to write: A (and D for a store) already set.
    uint64_t full = PTE_MAKE(0x80005, base | kAD);
    uint64_t at = pt().set(0x7000, 0, full);
    EXPECT_EQ(go(0x7000, ACC_STORE).fault, FAULT_NONE);
    EXPECT_EQ(s().peek(at), full);
    EXPECT_EQ(s().st().ad_updates, 6u);

    // No write when the walk faults before step 7: permission, misaligned
    // superpage, reserved bit, W without R.
    uint64_t ro = PTE_MAKE(0x80005, PTE_V | PTE_R);
    uint64_t at_ro = pt().set(0x8000, 0, ro);
    EXPECT_EQ(go(0x8000, ACC_STORE).fault, FAULT_STORE_PAGE);
    EXPECT_EQ(s().peek(at_ro), ro);
    uint64_t mis = PTE_MAKE(0x80401, PTE_V | PTE_R | PTE_W);
    uint64_t at_mis = pt().set(0x40200000ull, 1, mis);
    EXPECT_EQ(go(0x40200000ull, ACC_LOAD).fault, FAULT_LOAD_PAGE);
    EXPECT_EQ(s().peek(at_mis), mis);
    uint64_t res = PTE_MAKE(0x80005, PTE_V | PTE_R | PTE_W) | (1ull << 61);
    uint64_t at_res = pt().set(0x9000, 0, res);
    EXPECT_EQ(go(0x9000, ACC_LOAD).fault, FAULT_LOAD_PAGE);
    EXPECT_EQ(s().peek(at_res), res);
    uint64_t urs = PTE_MAKE(0x80005, PTE_V | PTE_R | PTE_U);
    uint64_t at_u = pt().set(0xa000, 0, urs);
    EXPECT_EQ(go(0xa000, ACC_LOAD, PRIV_S).fault, FAULT_LOAD_PAGE); // SUM = 0
    EXPECT_EQ(s().peek(at_u), urs);
    EXPECT_EQ(s().st().ad_updates, 6u);

    // Final PA outside DRAM: the A/D write happens, then the access fault
    // (docs/timing.md), at s + 3 * 21 + 21.
    uint64_t out = PTE_MAKE(0x10000, PTE_V | PTE_R | PTE_W);
    uint64_t at_out = pt().set(0xb000, 0, out);
    uint64_t now = mmu_now(s().m);
    s().fence_all(); // empties the walk cache too: a full walk
    mmu_resp_t r = go(0xb000, ACC_STORE);
    EXPECT_EQ(r.fault, FAULT_STORE_ACCESS);
    // a = now + 1; s = a + T1 + T2 + Tp = a + 6; r = s + 63 + 21.
    EXPECT_EQ(r.cycle, now + 1 + 6 + 63 + 21);
    EXPECT_EQ(s().peek(at_out), out | PTE_A | PTE_D);
    EXPECT_EQ(s().st().ad_updates, 7u);
}

TEST_F(MmuWalk, BareMode)
{
    s().csr(VM_BARE, kRoot);
    struct Case {
        uint64_t va;
        bool in;
    } cases[] = {
        {kBase, true}, {kBase + kSize - 1, true}, {0x80001234ull, true}, {kBase - 1, false},
        {kBase + kSize, false}, {0x1234, false}, {0xFFFFFFFF80001234ull, false},
    };
    for (const Case &k : cases) {
        for (int a = 0; a < ACC_COUNT; a++) {
            uint64_t now = mmu_now(s().m);
            mmu_resp_t r = go(k.va, (acc_t)a);
            EXPECT_EQ(r.cycle, now + 1) << std::hex << k.va; // a + T1
            if (k.in) {
                EXPECT_EQ(r.fault, FAULT_NONE);
                EXPECT_EQ(r.pa, k.va);
            } else {
                EXPECT_EQ(r.fault, fault_access((acc_t)a)) << std::hex << k.va;
            }
        }
    }
    EXPECT_EQ(s().st().mem_reads, 0u);
    EXPECT_EQ(s().st().walks, 0u);
    EXPECT_EQ(s().valid(TLB_L1), 0u);
    EXPECT_EQ(s().valid(TLB_L2), 0u);
    EXPECT_EQ(s().pwc_valid(), 0u);
}

TEST_F(MmuWalk, FaultInstallsNoPointers)
{
    // Two valid pointers, then a leaf with V = 0: the pointers read on the
    // way must not reach the walk cache; the next access walks from the root.
    uint64_t at = pt().set(0x40201000ull, 0, 0);
    EXPECT_EQ(go(0x40201000ull, ACC_LOAD).fault, FAULT_LOAD_PAGE);
    EXPECT_EQ(s().pwc_valid(), 0u);
    EXPECT_EQ(s().st().mem_reads, 3u);
    pt().write(at, PTE_MAKE(0x80005, kRWX));
    EXPECT_EQ(go(0x40201000ull, ACC_LOAD).fault, FAULT_NONE);
    EXPECT_EQ(s().st().mem_reads, 6u);
    EXPECT_EQ(s().st().pwc_misses, 2u);
    EXPECT_EQ(s().pwc_valid(), 2u);
}

// ========================================================= fences in flight

// Drives one request through the cycle-level ports, calling hook(now, in)
// before each cycle's evaluation.  Records the accept cycle, the response and
// req_ready of every cycle.
struct Flight {
    uint64_t accept = UINT64_MAX;
    bool done = false;
    mmu_resp_t resp{};
    std::map<uint64_t, int> ready; // cycle -> req_ready
};

Flight fly(Sim &s, memport_t *p, const mmu_req_t &q, const std::function<void(uint64_t, mmu_in_t &)> &hook)
{
    Flight fl;
    for (int guard = 0; guard < 100000 && !fl.done; guard++) {
        uint64_t now = mmu_now(s.m);
        mmu_in_t in{};
        in.req_valid = fl.accept == UINT64_MAX;
        in.req = q;
        hook(now, in);
        mmu_out_t out = run_cycle(s.m, p, in);
        fl.ready[now] = out.req_ready;
        if (in.req_valid && out.req_ready)
            fl.accept = now;
        if (out.resp_valid) {
            fl.done = true;
            fl.resp = out.resp;
        }
    }
    EXPECT_TRUE(fl.done);
    return fl;
}

TEST(MmuFence, FenceInFlightInstallsNothing)
{
    struct Form {
        int use_va;
        uint64_t va;
        int use_asid;
        uint16_t asid;
    } forms[] = {
        {0, 0, 0, 0},                // everything
        {1, kVa, 0, 0},              // the request's page
        {1, 0x7000000ull, 1, 9},     // another page, another ASID: still no install
        {0, 0, 1, 9},                // another ASID
    };
    const uint64_t fence_cycles[] = {1, 30, 63, 64}; // accept + 1 .. response cycle
    for (const Form &fm : forms) {
        for (uint64_t fc : fence_cycles) {
            sim_config_t c = contract_config();
            c.pwc.entries = 4; // Tp = 1: s = 2, r = 65
            Sim s(c);
            PageTable pt(s.dram, 3);
            pt.map(kVa, kPa, kRW);
            s.paging();
            Port port(s.dram, c.dram);
            uint64_t f = fc + 1;
            mmu_req_t q = make_req(kVa, ACC_LOAD, PRIV_S, 3);
            Flight fl = fly(s, &port.p, q, [&](uint64_t now, mmu_in_t &in) {
                if (now == f) {
                    in.sfence = make_fence(fm.use_va, fm.va, fm.use_asid, fm.asid);
                }
            });
            SCOPED_TRACE(testing::Message() << "fence form " << fm.use_va << fm.use_asid << " at " << f);
            EXPECT_EQ(fl.accept, 0u);
            EXPECT_EQ(fl.resp.fault, FAULT_NONE);
            EXPECT_EQ(fl.resp.pa, kPa | 0x567);
            EXPECT_EQ(fl.resp.cycle, 65u); // normal timing
            EXPECT_EQ(fl.resp.latency, 65u);
            for (uint64_t k = 1; k <= 65; k++)
                EXPECT_EQ(fl.ready[k], 0) << "cycle " << k;
            EXPECT_EQ(s.valid(TLB_L1), 0u);
            EXPECT_EQ(s.pwc_valid(), 0u);
            EXPECT_EQ(s.st().sfences, 1u);
            // The next request is accepted at 66 and walks again: r = 66 + 65 = 131.
            Flight fl2 = fly(s, &port.p, q, [](uint64_t, mmu_in_t &) {});
            EXPECT_EQ(fl2.accept, 66u);
            EXPECT_EQ(fl2.resp.cycle, 131u);
            EXPECT_EQ(s.st().mem_reads, 6u);
            EXPECT_EQ(s.valid(TLB_L1), 1u);
            EXPECT_EQ(s.pwc_valid(), 2u);
            // Installed this time: 132 -> 133.
            Flight fl3 = fly(s, &port.p, q, [](uint64_t, mmu_in_t &) {});
            EXPECT_EQ(fl3.resp.cycle, 133u);
            EXPECT_EQ(s.st().cycles, 134u);
        }
    }
}

TEST(MmuFence, FenceAfterResponseDoesNotBlockInstall)
{
    // A fence in cycle r + 1 is after the request: the entry is installed at
    // the end of r and then removed by a matching fence only.
    Sim s(contract_config());
    PageTable pt(s.dram, 3);
    pt.map(kVa, kPa, kRW);
    s.paging();
    Port port(s.dram, s.cfg.dram);
    mmu_req_t q = make_req(kVa, ACC_LOAD);
    Flight fl = fly(s, &port.p, q, [](uint64_t, mmu_in_t &) {});
    EXPECT_EQ(fl.resp.cycle, 64u);
    EXPECT_EQ(s.valid(TLB_L1), 1u);
    mmu_in_t in{};
    in.sfence = make_fence(1, 0x7000000ull, 0, 0); // another page
    mmu_out_t out = run_cycle(s.m, &port.p, in);
    EXPECT_EQ(out.req_ready, 0);
    EXPECT_EQ(s.valid(TLB_L1), 1u);
    fl = fly(s, &port.p, q, [](uint64_t, mmu_in_t &) {});
    EXPECT_EQ(fl.accept, 66u);
    EXPECT_EQ(fl.resp.cycle, 67u);
}

TEST(MmuFence, ReqReadyLowWithSfenceAndBackToBackAccept)
{
    Sim s(contract_config());
    PageTable pt(s.dram, 3);
    pt.map(kVa, kPa, kRW);
    s.paging();
    Port port(s.dram, s.cfg.dram);
    mmu_req_t q = make_req(kVa, ACC_LOAD);
    // Request offered from cycle 0, fence valid in cycles 0 and 1: accepted at 2.
    Flight fl = fly(s, &port.p, q, [](uint64_t now, mmu_in_t &in) {
        if (now <= 1)
            in.sfence = make_fence(0, 0, 0, 0);
    });
    EXPECT_EQ(fl.ready[0], 0);
    EXPECT_EQ(fl.ready[1], 0);
    EXPECT_EQ(fl.accept, 2u);
    EXPECT_EQ(fl.resp.cycle, 66u);
    EXPECT_EQ(s.st().sfences, 2u);
    EXPECT_EQ(s.valid(TLB_L1), 1u); // the fences were before the accept

    // Requests offered back to back: each accepted at the previous response + 1.
    std::vector<mmu_req_t> qs = {make_req(kVa, ACC_LOAD), make_req(kVa + 0x200000, ACC_LOAD),
                                 make_req(kVa, ACC_STORE)};
    size_t next = 0;
    std::vector<uint64_t> accepts, resps;
    std::vector<int> ready;
    for (int guard = 0; guard < 1000 && resps.size() < qs.size(); guard++) {
        uint64_t now = mmu_now(s.m);
        mmu_in_t in{};
        in.req_valid = next < qs.size();
        if (in.req_valid)
            in.req = qs[next];
        mmu_out_t out = run_cycle(s.m, &port.p, in);
        ready.push_back(out.req_ready);
        if (in.req_valid && out.req_ready) {
            accepts.push_back(now);
            next++;
        }
        if (out.resp_valid)
            resps.push_back(out.resp.cycle);
    }
    // 67 hit -> 68; 69 unmapped: level 2 read, level 1 read V = 0: 69 + 1 + 42 = 112;
    // 113 hit -> 114.
    ASSERT_EQ(accepts.size(), 3u);
    ASSERT_EQ(resps.size(), 3u);
    EXPECT_EQ(accepts[0], 67u);
    EXPECT_EQ(resps[0], 68u);
    EXPECT_EQ(accepts[1], 69u);
    EXPECT_EQ(resps[1], 112u);
    EXPECT_EQ(accepts[2], 113u);
    EXPECT_EQ(resps[2], 114u);
    // req_ready: high at 67, low at 68 (responding), high at 69, low 70..112.
    EXPECT_EQ(ready[0], 1);
    EXPECT_EQ(ready[1], 0);
    EXPECT_EQ(ready[2], 1);
    for (size_t k = 3; k <= 112 - 67; k++)
        EXPECT_EQ(ready[k], 0) << "cycle " << 67 + k;
}

TEST(MmuFence, L2HitInFlightDoesNotFillL1)
{
    sim_config_t c = contract_config();
    c.l2.entries = 16;
    c.l2.ways = 4;
    c.l2.latency = 4;
    Sim s(c);
    PageTable pt(s.dram, 3);
    pt.map(kVa, kPa, kRW);
    s.paging();
    Port port(s.dram, c.dram);
    mmu_req_t q = make_req(kVa, ACC_LOAD);
    Flight fl = fly(s, &port.p, q, [](uint64_t, mmu_in_t &) {});
    EXPECT_EQ(fl.resp.cycle, 68u); // s = 5, + 63
    tlb_flush(mmu_tlb(s.m, TLB_L1), 0, 0, 0, 0);
    // Accept at 69, L2 hit, r = 69 + 5 = 74; a fence for another page at 72.
    fl = fly(s, &port.p, q, [](uint64_t now, mmu_in_t &in) {
        if (now == 72)
            in.sfence = make_fence(1, 0x7000000ull, 0, 0);
    });
    EXPECT_EQ(fl.accept, 69u);
    EXPECT_EQ(fl.resp.cycle, 74u);
    EXPECT_EQ(fl.resp.pa, kPa | 0x567);
    EXPECT_EQ(s.valid(TLB_L1), 0u);
    EXPECT_EQ(s.valid(TLB_L2), 1u);
    // Again without a fence: L2 hit 75 -> 80, and now L1 is filled; 81 -> 82.
    fl = fly(s, &port.p, q, [](uint64_t, mmu_in_t &) {});
    EXPECT_EQ(fl.resp.cycle, 80u);
    EXPECT_EQ(s.valid(TLB_L1), 1u);
    fl = fly(s, &port.p, q, [](uint64_t, mmu_in_t &) {});
    EXPECT_EQ(fl.resp.cycle, 82u);
}

TEST(MmuFence, CsrChangeInFlightInstallsNothing)
{
    sim_config_t c = contract_config();
    c.pwc.entries = 4;
    Sim s(c);
    // Two address spaces mapping the same VA to different pages.
    const uint64_t root_b = 0x80009000ull;
    PageTable pa_tab(s.dram, 3, kRoot, 0x80100000ull);
    PageTable pb_tab(s.dram, 3, root_b, 0x80200000ull);
    pa_tab.map(kVa, 0x80500000ull, kRW);
    pb_tab.map(kVa, 0x80600000ull, kRW);
    s.paging(kRoot);
    Port port(s.dram, c.dram);
    mmu_req_t q = make_req(kVa, ACC_LOAD);
    // Accepted at 0 under root A; satp changes to B at cycle 20.
    Flight fl = fly(s, &port.p, q, [&](uint64_t now, mmu_in_t &) {
        if (now == 20)
            s.paging(root_b);
    });
    EXPECT_EQ(fl.accept, 0u);
    EXPECT_EQ(fl.resp.fault, FAULT_NONE);
    EXPECT_EQ(fl.resp.pa, 0x80500567ull); // the CSRs of the accept cycle
    EXPECT_EQ(fl.resp.cycle, 65u);
    EXPECT_EQ(s.valid(TLB_L1), 0u);
    EXPECT_EQ(s.pwc_valid(), 0u);
    // Under B, accepted at 66: a full walk of B's tables, 66 + 65 = 131.
    fl = fly(s, &port.p, q, [](uint64_t, mmu_in_t &) {});
    EXPECT_EQ(fl.accept, 66u);
    EXPECT_EQ(fl.resp.pa, 0x80600567ull);
    EXPECT_EQ(fl.resp.cycle, 131u);
    EXPECT_EQ(s.valid(TLB_L1), 1u);

    // SUM (and MXR) changing in flight counts as a CSR change too.
    s.fence_all(); // functional fence while idle: cycle 132
    fl = fly(s, &port.p, q, [&](uint64_t now, mmu_in_t &) {
        if (now == 140)
            s.paging(root_b, 1, 0);
    });
    EXPECT_EQ(fl.accept, 133u);
    EXPECT_EQ(fl.resp.cycle, 133u + 65u);
    EXPECT_EQ(s.valid(TLB_L1), 0u);
    s.fence_all();
    fl = fly(s, &port.p, q, [&](uint64_t now, mmu_in_t &) {
        if (now == 210)
            s.paging(root_b, 1, 1);
    });
    EXPECT_EQ(fl.resp.cycle, 200u + 65u);
    EXPECT_EQ(s.valid(TLB_L1), 0u);
    // A change in the response cycle r itself still counts: accepted at 266,
    // r = 331, SUM changes in cycle 331.
    s.paging(root_b, 0, 0);
    fl = fly(s, &port.p, q, [&](uint64_t now, mmu_in_t &) {
        if (now == 331)
            s.paging(root_b, 1, 0);
    });
    EXPECT_EQ(fl.accept, 266u);
    EXPECT_EQ(fl.resp.cycle, 331u);
    EXPECT_EQ(s.valid(TLB_L1), 0u);
    // Writing the same values is not a change: accepted at 332, installed.
    fl = fly(s, &port.p, q, [&](uint64_t now, mmu_in_t &) {
        if (now == 350)
            s.paging(root_b, 1, 0);
    });
    EXPECT_EQ(fl.accept, 332u);
    EXPECT_EQ(fl.resp.cycle, 397u);
    EXPECT_EQ(s.valid(TLB_L1), 1u);
    // A change in cycle r + 1 is after the request: the entry stays.
    s.fence_all(); // cycle 398
    fl = fly(s, &port.p, q, [&](uint64_t now, mmu_in_t &) {
        if (now == 464)
            s.paging(root_b, 0, 0);
    });
    EXPECT_EQ(fl.accept, 399u);
    EXPECT_EQ(fl.resp.cycle, 464u);
    EXPECT_EQ(s.valid(TLB_L1), 0u);
    s.fence_all(); // cycle 465
    fl = fly(s, &port.p, q, [&](uint64_t, mmu_in_t &) {});
    EXPECT_EQ(fl.resp.cycle, 466u + 65u);
    EXPECT_EQ(s.valid(TLB_L1), 1u);
    s.paging(root_b, 1, 1); // idle: no request affected
    fl = fly(s, &port.p, q, [&](uint64_t, mmu_in_t &) {});
    EXPECT_EQ(fl.resp.cycle, 533u); // L1 hit at 532
}

// ============================================ independent reference model
//
// Written from docs/timing.md, docs/tlb.md, dram.h and the privileged spec.

struct RefDram {
    dram_cfg_t c;
    struct Bank {
        bool open = false;
        uint64_t row = 0, act = 0;
    };
    std::vector<Bank> banks;
    unsigned col_bits = 0, bank_bits = 0;

    explicit RefDram(const dram_cfg_t &cfg) : c(cfg)
    {
        if (c.timing == DRAM_DDR) {
            while ((1u << col_bits) < c.row_bytes)
                col_bits++;
            while ((1u << bank_bits) < c.banks)
                bank_bits++;
            banks.resize(c.banks);
        }
    }
    uint64_t access(uint64_t pa, uint64_t t)
    {
        if (c.timing == DRAM_FIXED)
            return c.latency;
        uint64_t off = pa - c.base;
        Bank &b = banks[(off >> col_bits) & (c.banks - 1)];
        uint64_t row = off >> (col_bits + bank_bits);
        if (b.open && b.row == row)
            return c.tcl;
        if (!b.open) {
            b.open = true;
            b.row = row;
            b.act = t;
            return (uint64_t)c.trcd + c.tcl;
        }
        uint64_t wait = b.act + c.tras > t ? b.act + c.tras - t : 0;
        b.row = row;
        b.act = t + wait + c.trp;
        return wait + c.trp + c.trcd + c.tcl;
    }
};

struct RefEntry {
    bool valid = false;
    uint64_t tag = 0, ppn = 0;
    uint16_t asid = 0;
    int level = 0;
    uint8_t flags = 0;
};

class RefAssoc {
public:
    RefAssoc(const assoc_cfg_t &c, int min_level, int max_level)
        : ways_(c.ways ? c.ways : c.entries), sets_(c.entries / ways_), policy_(c.policy),
          min_(min_level), max_(max_level), lfsr_((uint16_t)c.seed), e_(c.entries), age_(c.entries),
          tree_(sets_ * std::max(1u, ways_ - 1), 0), fifo_(sets_, 0)
    {
        for (unsigned i = 0; i < c.entries; i++)
            age_[i] = i % ways_;
    }
    int lookup(uint64_t vpn, uint16_t asid) const
    {
        for (int L = min_; L <= max_; L++) {
            uint64_t tag = vpn >> (9 * L);
            unsigned set = (unsigned)(tag % sets_);
            for (unsigned w = 0; w < ways_; w++) {
                const RefEntry &x = e_[set * ways_ + w];
                if (x.valid && x.level == L && x.tag == tag && ((x.flags & PTE_G) || x.asid == asid))
                    return (int)(set * ways_ + w);
            }
        }
        return -1;
    }
    const RefEntry &at(int i) const { return e_[i]; }
    void touch(int idx)
    {
        unsigned set = idx / ways_, w = idx % ways_;
        if (policy_ == REPL_LRU) {
            unsigned *age = &age_[set * ways_];
            unsigned a = age[w];
            for (unsigned i = 0; i < ways_; i++)
                if (age[i] < a)
                    age[i]++;
            age[w] = 0;
        } else if (policy_ == REPL_PLRU) {
            uint8_t *t = &tree_[set * std::max(1u, ways_ - 1)];
            unsigned n = 0, lo = 0, hi = ways_;
            while (hi - lo > 1) {
                unsigned mid = (lo + hi) / 2;
                if (w < mid) {
                    t[n] = 1; // w on the left: point right
                    n = 2 * n + 1;
                    hi = mid;
                } else {
                    t[n] = 0;
                    n = 2 * n + 2;
                    lo = mid;
                }
            }
        }
    }
    unsigned victim(unsigned set)
    {
        switch (policy_) {
        case REPL_LRU: {
            unsigned v = 0;
            for (unsigned i = 1; i < ways_; i++)
                if (age_[set * ways_ + i] > age_[set * ways_ + v])
                    v = i;
            return v;
        }
        case REPL_PLRU: {
            const uint8_t *t = &tree_[set * std::max(1u, ways_ - 1)];
            unsigned n = 0, lo = 0, hi = ways_;
            while (hi - lo > 1) {
                unsigned mid = (lo + hi) / 2;
                if (t[n] == 0) {
                    n = 2 * n + 1;
                    hi = mid;
                } else {
                    n = 2 * n + 2;
                    lo = mid;
                }
            }
            return lo;
        }
        case REPL_FIFO: {
            unsigned v = fifo_[set];
            fifo_[set] = (v + 1) % ways_;
            return v;
        }
        case REPL_RANDOM: {
            uint16_t s = lfsr_;
            uint16_t bit = (uint16_t)((s ^ (s >> 2) ^ (s >> 3) ^ (s >> 5)) & 1);
            lfsr_ = (uint16_t)((s >> 1) | (bit << 15));
            return lfsr_ % ways_;
        }
        }
        return 0;
    }
    void fill(const RefEntry &n)
    {
        unsigned set = (unsigned)(n.tag % sets_);
        int way = -1;
        for (unsigned w = 0; w < ways_ && way < 0; w++) {
            const RefEntry &x = e_[set * ways_ + w];
            if (x.valid && x.level == n.level && x.tag == n.tag &&
                ((x.flags & PTE_G) || (n.flags & PTE_G) || x.asid == n.asid))
                way = (int)w;
        }
        for (unsigned w = 0; w < ways_ && way < 0; w++)
            if (!e_[set * ways_ + w].valid)
                way = (int)w;
        if (way < 0)
            way = (int)victim(set);
        e_[set * ways_ + way] = n;
        e_[set * ways_ + way].valid = true;
        touch((int)(set * ways_ + way));
    }
    void flush(bool use_va, uint64_t vpn, bool use_asid, uint16_t asid)
    {
        for (RefEntry &x : e_) {
            if (!x.valid)
                continue;
            if (use_va && x.tag != vpn >> (9 * x.level))
                continue;
            if (use_asid && ((x.flags & PTE_G) || x.asid != asid))
                continue;
            x.valid = false;
        }
    }
    unsigned count() const
    {
        unsigned n = 0;
        for (const RefEntry &x : e_)
            n += x.valid;
        return n;
    }

private:
    unsigned ways_, sets_;
    repl_policy_t policy_;
    int min_, max_;
    uint16_t lfsr_;
    std::vector<RefEntry> e_;
    std::vector<unsigned> age_;
    std::vector<uint8_t> tree_;
    std::vector<unsigned> fifo_;
};

using Mem = std::unordered_map<uint64_t, uint64_t>;

fault_t ref_page_fault(acc_t a)
{
    return a == ACC_LOAD ? FAULT_LOAD_PAGE : a == ACC_STORE ? FAULT_STORE_PAGE : FAULT_FETCH_PAGE;
}
fault_t ref_access_fault(acc_t a)
{
    return a == ACC_LOAD ? FAULT_LOAD_ACCESS : a == ACC_STORE ? FAULT_STORE_ACCESS : FAULT_FETCH_ACCESS;
}

// Privileged spec 4.3.1 (U bit, SUM), 4.3.2 step 5 (R/W/X, MXR).
bool ref_perm(uint64_t pte, acc_t acc, priv_t priv, int sum, int mxr)
{
    bool u = (pte & PTE_U) != 0;
    if (priv == PRIV_U && !u)
        return false;
    if (priv == PRIV_S && u && (acc == ACC_FETCH || !sum))
        return false;
    if (acc == ACC_LOAD)
        return (pte & PTE_R) || (mxr && (pte & PTE_X));
    if (acc == ACC_STORE)
        return (pte & PTE_W) != 0;
    return (pte & PTE_X) != 0;
}

struct RefWalk {
    fault_t fault = FAULT_NONE;
    uint64_t pa = 0, leaf = 0;
    int leaf_level = 0;
    bool global = false;
    struct Ptr {
        int level;
        uint64_t ppn;
        bool global;
    };
    std::vector<Ptr> ptrs;
};

// Privileged spec 4.3.2, starting at level with table (a walk-cache hit or the root).
// mem_op(addr, is_write) is called for every memory access (timing, counts).
RefWalk ref_walk(Mem &mem, uint64_t va, acc_t acc, priv_t priv, int sum, int mxr, ad_policy_t ad,
                 uint64_t base, uint64_t size, int level, uint64_t table, bool global,
                 const std::function<void(uint64_t, bool)> &mem_op)
{
    RefWalk w;
    w.global = global;
    auto in_dram = [&](uint64_t a, uint64_t len) { return a >= base && a - base <= size - len; };
    for (;;) {
        uint64_t a = table + ((va >> (12 + 9 * level)) & 511) * 8;
        if (!in_dram(a, 8)) {
            w.fault = ref_access_fault(acc);
            return w;
        }
        mem_op(a, false);
        uint64_t pte = mem.count(a) ? mem[a] : 0;
        bool v = pte & PTE_V, r = pte & PTE_R, wr = pte & PTE_W, x = pte & PTE_X;
        if (!v || (!r && wr) || (pte >> 54) != 0) {
            w.fault = ref_page_fault(acc);
            return w;
        }
        uint64_t ppn = (pte >> 10) & ((1ull << 44) - 1);
        if (!r && !x) {
            if (pte & (PTE_A | PTE_D | PTE_U)) {
                w.fault = ref_page_fault(acc);
                return w;
            }
            if (level == 0) {
                w.fault = ref_page_fault(acc);
                return w;
            }
            w.global = w.global || (pte & PTE_G);
            w.ptrs.push_back({level, ppn, w.global});
            table = ppn << 12;
            level--;
            continue;
        }
        w.global = w.global || (pte & PTE_G);
        if (!ref_perm(pte, acc, priv, sum, mxr)) {
            w.fault = ref_page_fault(acc);
            return w;
        }
        uint64_t low = (1ull << (9 * level)) - 1;
        if (ppn & low) {
            w.fault = ref_page_fault(acc);
            return w;
        }
        uint64_t need = PTE_A | (acc == ACC_STORE ? PTE_D : 0);
        if ((pte & need) != need) {
            if (ad == AD_SVADE) {
                w.fault = ref_page_fault(acc);
                return w;
            }
            pte |= need;
            mem_op(a, true);
            mem[a] = pte;
        }
        w.leaf = pte;
        w.leaf_level = level;
        w.pa = (((ppn & ~low) | ((va >> 12) & low)) << 12) | (va & 0xfff);
        w.fault = in_dram(w.pa, 1) ? FAULT_NONE : ref_access_fault(acc);
        return w;
    }
}

bool ref_canonical(uint64_t va, int levels)
{
    int width = 12 + 9 * levels;
    uint64_t top = va >> (width - 1);
    return top == 0 || top == (~0ull >> (width - 1));
}

// The whole MMU, functional, with statistics.
class RefMmu {
public:
    RefMmu(const sim_config_t &c, const Mem &mem) : cfg_(c), mem_(mem), dram_(c.dram)
    {
        std::memset(&st_, 0, sizeof st_);
        std::memset(&csr_, 0, sizeof csr_);
        csr_.mode = VM_BARE;
        tlb_[TLB_L1].reset(new RefAssoc(c.l1, 0, 3));
        if (c.l1_split)
            tlb_[TLB_L1D].reset(new RefAssoc(c.l1, 0, 3));
        if (c.l2.entries)
            tlb_[TLB_L2].reset(new RefAssoc(c.l2, 0, 3));
        if (c.pwc.entries)
            pwc_.reset(new RefAssoc(c.pwc, 1, 3));
    }
    void set_csr(const mmu_csr_t &c) { csr_ = c; }
    const mmu_stats_t &stats() const { return st_; }
    Mem &mem() { return mem_; }
    uint64_t now() const { return now_; }

    // no_install: a fence or CSR change happened while the request was in flight.
    mmu_resp_t translate(const mmu_req_t &q, bool no_install = false)
    {
        const uint64_t a = now_;
        const acc_t acc = q.acc;
        st_.requests++;
        st_.replays += q.replay != 0;
        tlb_counts_t *cnt = q.replay ? st_.tlb_replay : st_.tlb;
        int levels = csr_.mode == VM_SV39 ? 3 : csr_.mode == VM_SV48 ? 4 : 0;
        uint64_t t = a + cfg_.l1.latency;
        fault_t fault = FAULT_NONE;
        uint64_t pa = 0;
        bool walked = false;
        const uint64_t base = cfg_.dram.base, size = cfg_.dram.size;
        auto in_dram = [&](uint64_t p) { return p >= base && p - base < size; };

        if (levels == 0) {
            pa = q.va;
            fault = in_dram(q.va) ? FAULT_NONE : ref_access_fault(acc);
        } else if (!ref_canonical(q.va, levels)) {
            fault = ref_page_fault(acc);
        } else {
            const int which = cfg_.l1_split && acc != ACC_FETCH ? TLB_L1D : TLB_L1;
            const uint64_t vpn = (q.va >> 12) & ((1ull << (9 * levels)) - 1);
            RefEntry got;
            // 1 when structure T answers: a hit, with or without a permission fault.
            auto probe = [&](RefAssoc &T, tlb_counts_t &c) {
                c.lookups[acc]++;
                int idx = T.lookup(vpn, q.asid);
                if (idx < 0) {
                    c.misses[acc]++;
                    return false;
                }
                const RefEntry &e = T.at(idx);
                if (ref_perm(e.flags, acc, q.priv, csr_.sum, csr_.mxr)) {
                    if (acc == ACC_STORE && !(e.flags & PTE_D)) {
                        c.misses[acc]++;
                        return false;
                    }
                    uint64_t low = (1ull << (9 * e.level)) - 1;
                    pa = (((e.ppn & ~low) | (vpn & low)) << 12) | (q.va & 0xfff);
                    fault = in_dram(pa) ? FAULT_NONE : ref_access_fault(acc);
                } else {
                    fault = ref_page_fault(acc);
                }
                c.hits[acc]++;
                T.touch(idx);
                got = e;
                return true;
            };
            bool answered = probe(*tlb_[which], cnt[which]);
            if (!answered && tlb_[TLB_L2]) {
                t += cfg_.l2.latency;
                answered = probe(*tlb_[TLB_L2], cnt[TLB_L2]);
                if (answered && fault == FAULT_NONE && !no_install)
                    tlb_[which]->fill(got);
            }
            if (!answered) {
                walked = true;
                st_.walks++;
                int level = levels - 1;
                uint64_t table = csr_.root_ppn << 12;
                bool global = false;
                if (pwc_) {
                    t += cfg_.pwc.latency;
                    st_.pwc_lookups++;
                    int idx = pwc_->lookup(vpn, q.asid);
                    if (idx >= 0) {
                        const RefEntry &e = pwc_->at(idx);
                        pwc_->touch(idx);
                        st_.pwc_hits[e.level]++;
                        level = e.level - 1;
                        table = e.ppn << 12;
                        global = (e.flags & PTE_G) != 0;
                    } else {
                        st_.pwc_misses++;
                    }
                }
                uint64_t cyc = t;
                RefWalk w = ref_walk(mem_, q.va, acc, q.priv, csr_.sum, csr_.mxr, cfg_.ad, base, size,
                                     level, table, global, [&](uint64_t addr, bool wr) {
                                         cyc += dram_.access(addr, cyc) + 1;
                                         if (wr) {
                                             st_.mem_writes++;
                                             st_.ad_updates++;
                                         } else {
                                             st_.mem_reads++;
                                         }
                                     });
                t = cyc;
                fault = w.fault;
                pa = w.pa;
                if (fault == FAULT_NONE && !no_install) {
                    RefEntry e;
                    e.valid = true;
                    e.level = w.leaf_level;
                    e.tag = vpn >> (9 * w.leaf_level);
                    e.ppn = (w.leaf >> 10) & ((1ull << 44) - 1);
                    e.asid = q.asid;
                    e.flags = (uint8_t)((w.leaf & 0xff & ~PTE_G) | (w.global ? PTE_G : 0));
                    if (tlb_[TLB_L2])
                        tlb_[TLB_L2]->fill(e);
                    tlb_[which]->fill(e);
                    if (pwc_) {
                        for (const RefWalk::Ptr &p : w.ptrs) {
                            RefEntry pe;
                            pe.valid = true;
                            pe.level = p.level;
                            pe.tag = vpn >> (9 * p.level);
                            pe.ppn = p.ppn;
                            pe.asid = q.asid;
                            pe.flags = (uint8_t)(PTE_V | (p.global ? PTE_G : 0));
                            pwc_->fill(pe);
                        }
                    }
                }
            }
        }
        mmu_resp_t r;
        std::memset(&r, 0, sizeof r);
        r.fault = fault;
        r.pa = fault == FAULT_NONE ? pa : 0;
        r.cycle = t;
        r.latency = t - a;
        if (fault != FAULT_NONE)
            st_.faults[fault]++;
        if (walked) {
            st_.walk_cycles += r.latency;
            st_.walk_latency[std::min<uint64_t>(r.latency, WALK_HIST_BUCKETS - 1)]++;
        }
        st_.cycles = t + 1;
        now_ = t + 1;
        return r;
    }

    // A fence during the request just translated (its cycle is before the
    // response, so cycles does not move).
    void sfence_in_flight(const mmu_sfence_t &f)
    {
        flush(f);
        st_.sfences++;
    }

    void sfence(const mmu_sfence_t &f)
    {
        flush(f);
        st_.sfences++;
        st_.cycles = now_ + 1;
        now_++;
    }

    // The VPN of the fence's VA in the configured paging mode (the stream
    // only fences canonical VAs, and never by VA while satp is Bare, which
    // docs/tlb.md leaves open).
    void flush(const mmu_sfence_t &f)
    {
        int levels = cfg_.mode == VM_SV48 ? 4 : 3;
        uint64_t vpn = (f.va >> 12) & ((1ull << (9 * levels)) - 1);
        for (auto &t : tlb_)
            if (t)
                t->flush(f.use_va, vpn, f.use_asid, f.asid);
        if (pwc_)
            pwc_->flush(f.use_va, vpn, f.use_asid, f.asid);
    }

    unsigned count(int which) const { return tlb_[which] ? tlb_[which]->count() : 0u; }
    unsigned pwc_count() const { return pwc_ ? pwc_->count() : 0u; }

private:
    sim_config_t cfg_;
    Mem mem_;
    RefDram dram_;
    mmu_csr_t csr_;
    mmu_stats_t st_;
    uint64_t now_ = 0;
    std::unique_ptr<RefAssoc> tlb_[TLB_COUNT];
    std::unique_ptr<RefAssoc> pwc_;
};

// Field-by-field difference of two statistics blocks (empty when equal).
std::string stats_diff(const mmu_stats_t &a, const mmu_stats_t &b, bool timing)
{
    std::ostringstream o;
    auto f = [&](const char *n, uint64_t x, uint64_t y) {
        if (x != y)
            o << n << ": " << x << " vs " << y << "\n";
    };
    f("requests", a.requests, b.requests);
    f("replays", a.replays, b.replays);
    for (int t = 0; t < TLB_COUNT; t++)
        for (int k = 0; k < ACC_COUNT; k++) {
            std::string s = "[" + std::to_string(t) + "][" + std::to_string(k) + "]";
            f(("tlb.lookups" + s).c_str(), a.tlb[t].lookups[k], b.tlb[t].lookups[k]);
            f(("tlb.hits" + s).c_str(), a.tlb[t].hits[k], b.tlb[t].hits[k]);
            f(("tlb.misses" + s).c_str(), a.tlb[t].misses[k], b.tlb[t].misses[k]);
            f(("tlb_replay.lookups" + s).c_str(), a.tlb_replay[t].lookups[k], b.tlb_replay[t].lookups[k]);
            f(("tlb_replay.hits" + s).c_str(), a.tlb_replay[t].hits[k], b.tlb_replay[t].hits[k]);
            f(("tlb_replay.misses" + s).c_str(), a.tlb_replay[t].misses[k], b.tlb_replay[t].misses[k]);
        }
    f("walks", a.walks, b.walks);
    f("pwc_lookups", a.pwc_lookups, b.pwc_lookups);
    f("pwc_misses", a.pwc_misses, b.pwc_misses);
    for (int l = 0; l < MAX_LEVELS; l++)
        f(("pwc_hits[" + std::to_string(l) + "]").c_str(), a.pwc_hits[l], b.pwc_hits[l]);
    f("mem_reads", a.mem_reads, b.mem_reads);
    f("mem_writes", a.mem_writes, b.mem_writes);
    f("ad_updates", a.ad_updates, b.ad_updates);
    for (int k = 0; k < FAULT_COUNT; k++)
        f(("faults[" + std::to_string(k) + "]").c_str(), a.faults[k], b.faults[k]);
    f("sfences", a.sfences, b.sfences);
    if (timing) {
        f("cycles", a.cycles, b.cycles);
        f("walk_cycles", a.walk_cycles, b.walk_cycles);
        for (int k = 0; k < WALK_HIST_BUCKETS; k++)
            f(("walk_latency[" + std::to_string(k) + "]").c_str(), a.walk_latency[k], b.walk_latency[k]);
    }
    return o.str();
}

// ==================================================== random page tables

uint64_t sext(uint64_t va, int width)
{
    return (uint64_t)((int64_t)(va << (64 - width)) >> (64 - width));
}

struct World {
    int levels;
    uint64_t base, size, root;
    Mem mem;                      // the page tables as written
    std::vector<uint64_t> tables; // every table page, root included
    struct PoolVa {
        uint64_t va;
        int level;    // region size for offsets
        uint64_t pte; // the leaf written for it, 0 when none
    };
    std::vector<PoolVa> pool;
    std::vector<uint64_t> canonical; // VAs usable as fence addresses
};

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

void load_world(dram_t *d, const World &w)
{
    for (const auto &kv : w.mem)
        ASSERT_EQ(dram_write64(d, kv.first, kv.second), 0);
}

// ========================================================= agreement runs

struct NamedConfig {
    const char *name;
    sim_config_t cfg;
};

std::vector<NamedConfig> agreement_configs()
{
    std::vector<NamedConfig> v;
    sim_config_t c = contract_config();
    v.push_back({"default", c});

    c = contract_config();
    c.l1 = {16, 4, REPL_PLRU, 1, 1};
    c.l1_split = 1;
    c.l2 = {64, 4, REPL_LRU, 3, 1};
    c.pwc = {8, 0, REPL_FIFO, 2, 1};
    c.ad = AD_SVADU;
    c.dram.latency = 7;
    v.push_back({"split-l2-pwc-svadu", c});

    c = contract_config();
    c.mode = VM_SV48;
    c.l1 = {8, 2, REPL_RANDOM, 2, 0xACE1};
    c.l2 = {128, 8, REPL_PLRU, 5, 1};
    c.pwc = {16, 4, REPL_RANDOM, 1, 7};
    c.ad = AD_SVADE;
    c.dram.timing = DRAM_DDR;
    v.push_back({"sv48-random-ddr", c});

    c = contract_config();
    c.l1 = {4, 0, REPL_FIFO, 1, 1};
    c.l1_split = 1;
    c.pwc = {4, 0, REPL_LRU, 1, 1};
    c.ad = AD_SVADU;
    c.dram.timing = DRAM_DDR;
    c.dram.banks = 4;
    c.dram.row_bytes = 1024;
    c.dram.tcl = 5;
    c.dram.trcd = 7;
    c.dram.trp = 6;
    c.dram.tras = 20;
    v.push_back({"tiny-fifo-ddr-svadu", c});

    c = contract_config();
    c.mode = VM_SV48;
    c.l1 = {16, 0, REPL_RANDOM, 1, 3};
    c.l2 = {32, 1, REPL_FIFO, 2, 1};
    c.ad = AD_SVADU;
    c.dram.latency = 1;
    v.push_back({"sv48-direct-mapped-l2", c});

    c = contract_config();
    c.mode = VM_SV48;
    c.l1 = {64, 4, REPL_PLRU, 1, 1};
    c.l1_split = 1;
    c.l2 = {1536, 12, REPL_LRU, 9, 1};
    c.pwc = {32, 4, REPL_PLRU, 2, 1};
    c.ad = AD_SVADU;
    c.dram.size = 16 * GiB;
    c.dram.timing = DRAM_DDR;
    c.dram.banks = 16;
    c.dram.row_bytes = 8192;
    c.dram.tcl = 22;
    c.dram.trcd = 22;
    c.dram.trp = 22;
    c.dram.tras = 52;
    v.push_back({"server", c});

    c = contract_config();
    c.l1 = {2, 2, REPL_LRU, 3, 1};
    c.l2 = {8, 2, REPL_RANDOM, 1, 0xBEEF};
    c.pwc = {2, 2, REPL_PLRU, 4, 1};
    c.dram.latency = 3;
    v.push_back({"thrash", c});

    c = contract_config();
    c.l1 = {32, 8, REPL_PLRU, 1, 1};
    c.l1_split = 1;
    c.pwc = {16, 2, REPL_FIFO, 1, 1};
    c.ad = AD_SVADU;
    v.push_back({"split-plru-pwc-fifo", c});
    return v;
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

// One operation of a random stream.
struct Op {
    bool fence;
    mmu_sfence_t f;
    mmu_req_t q;
    mmu_csr_t csr;
};

class Stream {
public:
    Stream(std::mt19937_64 &rng, const World &w, const sim_config_t &c) : rng_(rng), w_(w), c_(c)
    {
        for (int i = 0; i < 24; i++)
            ws_.push_back(rnd(w_.pool.size()));
    }
    Op next()
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

bool same_resp(const mmu_resp_t &a, const mmu_resp_t &b)
{
    return a.fault == b.fault && a.pa == b.pa && a.cycle == b.cycle && a.latency == b.latency;
}

std::string resp_str(const mmu_resp_t &r)
{
    char b[128];
    std::snprintf(b, sizeof b, "{%s pa=%#" PRIx64 " cycle=%" PRIu64 " lat=%" PRIu64 "}", fault_name(r.fault), r.pa,
                  r.cycle, r.latency);
    return b;
}

// Runs n operations on the functional path, the cycle-level path (ready_pct),
// the reference and a TLB-less walk; compares as the test requires.
void agreement_run(const NamedConfig &nc, uint64_t seed, int n, unsigned ready_pct)
{
    SCOPED_TRACE(testing::Message() << "config " << nc.name << " seed " << seed << " ready_pct " << ready_pct);
    const sim_config_t &c = nc.cfg;
    std::mt19937_64 rng(seed);
    World w = WorldBuilder(rng, vm_levels(c.mode), c.dram.base, c.dram.size).build();

    Sim fs(c), cs(c);
    load_world(fs.dram, w);
    load_world(cs.dram, w);
    Port port(cs.dram, c.dram, ready_pct, (uint32_t)(seed | 1));
    RefMmu ref(c, w.mem);
    Mem pure = w.mem; // for the walk without any caching
    Stream stream(rng, w, c);
    const bool exact = ready_pct >= 100;

    int failures = 0;
    uint64_t walks = 0, faults = 0, fences = 0;
    for (int i = 0; i < n && failures < 5; i++) {
        Op op = stream.next();
        mmu_set_csr(fs.m, &op.csr);
        mmu_set_csr(cs.m, &op.csr);
        ref.set_csr(op.csr);
        if (op.fence) {
            mmu_sfence(fs.m, &op.f);
            memport_sfence(&port.p, cs.m, &op.f);
            ref.sfence(op.f);
            fences++;
            continue;
        }
        mmu_resp_t fr, cr;
        std::memset(&fr, 0, sizeof fr);
        std::memset(&cr, 0, sizeof cr);
        uint64_t fw = fs.st().walks;
        mmu_translate(fs.m, &op.q, &fr);
        memport_translate(&port.p, cs.m, &op.q, &cr);
        mmu_resp_t rr = ref.translate(op.q);
        walks += fs.st().walks - fw;
        faults += fr.fault != FAULT_NONE;
        stream.result(fr.fault);

        // The result without any TLB: a fresh walk on its own memory image.
        fault_t pf;
        uint64_t ppa = 0;
        int levels = vm_levels(op.csr.mode);
        if (levels == 0) {
            ppa = op.q.va;
            pf = op.q.va >= c.dram.base && op.q.va - c.dram.base < c.dram.size ? FAULT_NONE
                                                                               : ref_access_fault(op.q.acc);
        } else if (!ref_canonical(op.q.va, levels)) {
            pf = ref_page_fault(op.q.acc);
        } else {
            RefWalk pw = ref_walk(pure, op.q.va, op.q.acc, op.q.priv, op.csr.sum, op.csr.mxr, c.ad,
                                  c.dram.base, c.dram.size, levels - 1, op.csr.root_ppn << 12, false,
                                  [](uint64_t, bool) {});
            pf = pw.fault;
            ppa = pw.pa;
        }

        bool bad = false;
        std::ostringstream msg;
        if (exact ? !same_resp(fr, cr) : (fr.fault != cr.fault || fr.pa != cr.pa || cr.cycle < fr.cycle)) {
            bad = true;
            msg << " functional " << resp_str(fr) << " cycle-level " << resp_str(cr);
        }
        if (!same_resp(fr, rr) || (fr.fault == FAULT_NONE) != (rr.fault == FAULT_NONE)) {
            bad = true;
            msg << " functional " << resp_str(fr) << " reference " << resp_str(rr);
        }
        if (fr.fault != pf || (pf == FAULT_NONE && fr.pa != ppa)) {
            bad = true;
            msg << " functional " << resp_str(fr) << " uncached walk " << fault_name(pf) << " pa " << std::hex
                << ppa;
        }
        if (bad) {
            failures++;
            ADD_FAILURE() << "op " << i << ": " << describe(op) << msg.str();
        }
    }
    uint64_t l1h = 0, l2h = 0, pwch = 0;
    for (int a = 0; a < ACC_COUNT; a++) {
        l1h += fs.st().tlb[TLB_L1].hits[a] + fs.st().tlb[TLB_L1D].hits[a] + fs.st().tlb_replay[TLB_L1].hits[a] +
               fs.st().tlb_replay[TLB_L1D].hits[a];
        l2h += fs.st().tlb[TLB_L2].hits[a] + fs.st().tlb_replay[TLB_L2].hits[a];
    }
    for (int l = 0; l < MAX_LEVELS; l++)
        pwch += fs.st().pwc_hits[l];
    std::printf("  %-22s ready %3u%%: %d ops, %" PRIu64 " walks, %" PRIu64 " faults, %" PRIu64
                " fences, L1 hits %" PRIu64 ", L2 hits %" PRIu64 ", PWC hits %" PRIu64 ", A/D writes %" PRIu64
                ", %" PRIu64 " cycles\n",
                nc.name, ready_pct, n, walks, faults, fences, l1h, l2h, pwch, fs.st().ad_updates,
                fs.st().cycles);

    // Statistics: the two paths exactly equal; the reference too (with
    // back-pressure only the counters that do not depend on time).
    if (exact) {
        EXPECT_EQ(std::memcmp(&fs.st(), &cs.st(), sizeof(mmu_stats_t)), 0)
            << stats_diff(fs.st(), cs.st(), true);
    } else {
        EXPECT_EQ(stats_diff(fs.st(), cs.st(), false), "");
    }
    EXPECT_EQ(stats_diff(fs.st(), ref.stats(), true), "");
    EXPECT_EQ(mmu_now(fs.m), ref.now());
    if (exact) {
        EXPECT_EQ(mmu_now(fs.m), mmu_now(cs.m));
    }
    EXPECT_EQ(fs.valid(TLB_L1), ref.count(TLB_L1));
    EXPECT_EQ(fs.valid(TLB_L1D), ref.count(TLB_L1D));
    EXPECT_EQ(fs.valid(TLB_L2), ref.count(TLB_L2));
    EXPECT_EQ(fs.pwc_valid(), ref.pwc_count());

    // Every word of every table page: A/D writes identical everywhere.
    int diffs = 0;
    for (uint64_t t : w.tables) {
        for (uint64_t a = t; a < t + PAGE_SIZE && diffs < 5; a += 8) {
            uint64_t fv = 0, cv = 0;
            ASSERT_EQ(dram_read64(fs.dram, a, &fv), 0);
            ASSERT_EQ(dram_read64(cs.dram, a, &cv), 0);
            uint64_t rv = ref.mem().count(a) ? ref.mem()[a] : 0;
            uint64_t pv = pure.count(a) ? pure[a] : 0;
            if (fv != cv || fv != rv || fv != pv) {
                diffs++;
                ADD_FAILURE() << std::hex << "PTE at " << a << ": functional " << fv << " cycle-level " << cv
                              << " reference " << rv << " uncached " << pv;
            }
        }
    }
}

TEST(MmuAgreement, RandomStreamsAllConfigs)
{
    const uint64_t seed = test_seed();
    std::vector<NamedConfig> cfgs = agreement_configs();
    // 8 configurations x 3 page-table worlds x 25000 operations = 600k.
    for (size_t i = 0; i < cfgs.size(); i++)
        for (uint64_t world = 0; world < 3; world++)
            agreement_run(cfgs[i], seed * 1000003 + i * 16 + world, 25000, 100);
}

TEST(MmuAgreement, RandomStreamsRandomConfigs)
{
    const uint64_t seed = test_seed();
    std::mt19937_64 rng(seed ^ 0xc0f1c0f1ull);
    // 12 random configurations x 10000 operations.
    for (int i = 0; i < 12; i++) {
        NamedConfig nc = {"random-config", random_config(rng)};
        char name[32];
        std::snprintf(name, sizeof name, "random-config-%d", i);
        nc.name = name;
        agreement_run(nc, seed * 31337 + (uint64_t)i, 10000, 100);
    }
}

TEST(MmuAgreement, BackPressure)
{
    const uint64_t seed = test_seed();
    std::vector<NamedConfig> cfgs = agreement_configs();
    // DDR with a walk cache and svadu, and the fixed-latency split one.
    for (uint64_t world = 0; world < 2; world++) {
        agreement_run(cfgs[3], seed * 7919 + 1 + world * 16, 8000, 60);
        agreement_run(cfgs[1], seed * 7919 + 2 + world * 16, 8000, 60);
    }
}

// Fences and CSR changes while a request is in flight, on the cycle-level
// path, against the reference: normal result and timing, nothing installed.
TEST(MmuAgreement, InFlightEventsAgainstReference)
{
    const uint64_t seed = test_seed();
    std::vector<NamedConfig> cfgs = agreement_configs();
    for (size_t ci = 0; ci < cfgs.size(); ci++) {
        const NamedConfig &nc = cfgs[ci];
        const sim_config_t &c = nc.cfg;
        SCOPED_TRACE(nc.name);
        std::mt19937_64 rng(seed * 131 + ci);
        World w = WorldBuilder(rng, vm_levels(c.mode), c.dram.base, c.dram.size).build();
        Sim cs(c);
        load_world(cs.dram, w);
        Port port(cs.dram, c.dram);
        RefMmu ref(c, w.mem);
        Stream stream(rng, w, c);
        int failures = 0, events[3] = {0, 0, 0};
        for (int i = 0; i < 15000 && failures < 5; i++) {
            Op op = stream.next();
            mmu_set_csr(cs.m, &op.csr);
            ref.set_csr(op.csr);
            if (op.fence) {
                memport_sfence(&port.p, cs.m, &op.f);
                ref.sfence(op.f);
                continue;
            }
            // Maybe an event k cycles after the accept: 0 fence, 1 SUM/MXR/root
            // change, 2 the same CSR values written again (not a change).
            int ev = rng() % 100 < 25 ? (int)(rng() % 3) : -1;
            uint64_t k = 1 + rng() % (rng() % 2 ? 8 : 70);
            mmu_sfence_t f = make_fence((int)(rng() % 2), w.canonical[rng() % w.canonical.size()],
                                        (int)(rng() % 2), (uint16_t)(rng() % 2 ? 5 : 0));
            if (op.csr.mode == VM_BARE)
                f.use_va = 0; // a fence by VA under Bare is not specified (see RefMmu::flush)
            mmu_csr_t changed = op.csr;
            switch (rng() % 3) {
            case 0: changed.sum = !changed.sum; break;
            case 1: changed.mxr = !changed.mxr; break;
            default: changed.root_ppn ^= 1; break;
            }
            bool happened = false, accepted = false;
            uint64_t a = 0;
            mmu_resp_t cr;
            std::memset(&cr, 0, sizeof cr);
            for (int guard = 0; guard < 100000; guard++) {
                uint64_t now = mmu_now(cs.m);
                mmu_in_t in{};
                in.req_valid = !accepted;
                in.req = op.q;
                if (accepted && ev >= 0 && now == a + k && !mmu_idle(cs.m)) {
                    happened = true;
                    if (ev == 0) {
                        in.sfence = f;
                    } else if (ev == 1) {
                        mmu_set_csr(cs.m, &changed);
                    } else {
                        mmu_csr_t same = op.csr;
                        mmu_set_csr(cs.m, &same);
                    }
                }
                mmu_out_t out = run_cycle(cs.m, &port.p, in);
                if (!accepted && out.req_ready) {
                    accepted = true;
                    a = now;
                }
                if (out.resp_valid) {
                    cr = out.resp;
                    break;
                }
            }
            mmu_resp_t rr = ref.translate(op.q, happened && ev != 2);
            if (happened && ev == 0)
                ref.sfence_in_flight(f);
            if (happened)
                events[ev]++;
            if (!same_resp(cr, rr)) {
                failures++;
                ADD_FAILURE() << "op " << i << ": " << describe(op) << " event " << (happened ? ev : -1)
                              << " at accept+" << k << ": cycle-level " << resp_str(cr) << " reference "
                              << resp_str(rr);
            }
        }
        EXPECT_EQ(stats_diff(cs.st(), ref.stats(), true), "");
        EXPECT_EQ(cs.valid(TLB_L1), ref.count(TLB_L1));
        EXPECT_EQ(cs.valid(TLB_L1D), ref.count(TLB_L1D));
        EXPECT_EQ(cs.valid(TLB_L2), ref.count(TLB_L2));
        EXPECT_EQ(cs.pwc_valid(), ref.pwc_count());
        EXPECT_GT(events[0], 100);
        EXPECT_GT(events[1], 100);
        EXPECT_GT(events[2], 100);
        std::printf("  %-22s in-flight fences %d, CSR changes %d, CSR rewrites %d\n", nc.name, events[0],
                    events[1], events[2]);
    }
}

} // namespace
