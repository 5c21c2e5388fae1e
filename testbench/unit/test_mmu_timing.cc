// test_mmu_timing.cc - the timing contract (docs/timing.md) worked by hand:
// cold walks, TLB and walk-cache hits, svadu writes, DDR rows, histograms,
// statistics.  Every expected cycle is computed in the comment beside it from
// docs/timing.md and the DRAM timing of docs/dram.md; none was obtained by
// running the model.

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <cstring>

#include "mmu_fixture.h"
#include "tlb.h"

namespace mmutest {
namespace {

// A response as worked out by hand; pa is 0 with a fault.
struct Resp {
    fault_t fault;
    uint64_t pa, cycle, latency;
};

void expect_resp(const mmu_resp_t &r, const Resp &want)
{
    EXPECT_EQ(r.fault, want.fault);
    EXPECT_EQ(r.pa, want.pa);
    EXPECT_EQ(r.cycle, want.cycle);
    EXPECT_EQ(r.latency, want.latency);
}

// What a run of requests adds up to.
struct Totals {
    uint64_t requests, replays, walks, mem_reads, mem_writes;
};

void expect_totals(const mmu_stats_t &st, const Totals &want)
{
    EXPECT_EQ(st.requests, want.requests);
    EXPECT_EQ(st.replays, want.replays);
    EXPECT_EQ(st.walks, want.walks);
    EXPECT_EQ(st.mem_reads, want.mem_reads);
    EXPECT_EQ(st.mem_writes, want.mem_writes);
}

// Lookups, hits and misses of one access type.
struct Counts {
    uint64_t lookups, hits, misses;
};
// Per access type: load, store, fetch.
using PerAccess = std::array<Counts, ACC_COUNT>;

// The lookups, hits and misses of every access type in c.
void expect_counts(const tlb_counts_t &c, const PerAccess &want)
{
    for (int a = 0; a < ACC_COUNT; a++) {
        EXPECT_EQ(c.lookups[a], want[a].lookups) << "lookups " << acc_name((acc_t)a);
        EXPECT_EQ(c.hits[a], want[a].hits) << "hits " << acc_name((acc_t)a);
        EXPECT_EQ(c.misses[a], want[a].misses) << "misses " << acc_name((acc_t)a);
    }
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
// kVa = 0x40203567: VPN[2] = 1, VPN[1] = 1, VPN[0] = 3, offset 0x567.

TEST(MmuTiming, ColdWalkThenHitsPerAccessType)
{
    OnePage s(contract_config(), PTE_V | PTE_R | PTE_W | kAD); // no X

    // Accept at 0; s = 0 + T1 = 1; three reads of 20 + 1: r = 1 + 63 = 64.
    mmu_resp_t r = s.tr(kVa, ACC_LOAD);
    expect_resp(r, {FAULT_NONE, kPa | 0x567, 64, 64});
    EXPECT_EQ(mmu_now(s.m), 65u);
    EXPECT_EQ(s.st().cycles, 65u);
    expect_totals(s.st(), {1, 0, 1, 3, 0}); // requests, replays, walks, reads, writes
    EXPECT_EQ(s.st().walk_latency[64], 1u);
    EXPECT_EQ(s.st().walk_cycles, 64u);
    EXPECT_EQ(s.valid(TLB_L1), 1u);

    // Same page again, accepted at 65: L1 hit, r = 66.
    r = s.tr(kVa + 8, ACC_LOAD);
    expect_resp(r, {FAULT_NONE, kPa | 0x56f, 66, 1});
    // Store (D = 1, W = 1) accepted at 67: hit, r = 68.
    r = s.tr(kVa, ACC_STORE);
    expect_resp(r, {FAULT_NONE, kPa | 0x567, 68, 1});
    // Fetch accepted at 69: X = 0, a hit with a fault, r = 70.
    r = s.tr(kVa, ACC_FETCH);
    expect_resp(r, {FAULT_FETCH_PAGE, 0, 70, 1});

    const mmu_stats_t &st = s.st();
    expect_totals(st, {4, 0, 1, 3, 0});
    // {lookups, hits, misses} of load, store, fetch: the load missed then hit,
    // the store and the fetch hit; nothing was a replay.
    expect_counts(st.tlb[TLB_L1], {{{2, 1, 1}, {1, 1, 0}, {1, 1, 0}}});
    expect_counts(st.tlb_replay[TLB_L1], PerAccess{});
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
    expect_resp(r, {FAULT_NONE, kPa | 0x567, 85, 85});
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
    expect_resp(r, {FAULT_NONE, kPa | 0x567, 85, 85});
    EXPECT_EQ(s.peek(at), leaf | PTE_A); // D untouched on a load, RSW kept
    EXPECT_EQ(s.st().mem_reads, 3u);
    EXPECT_EQ(s.st().mem_writes, 1u);
    EXPECT_EQ(s.st().ad_updates, 1u);
    EXPECT_EQ(s.st().walk_latency[85], 1u);

    // Store accepted at 86 finds the entry with D = 0: a miss, walk, D write:
    // r = 86 + 1 + 63 + 21 = 171.
    r = s.tr(kVa, ACC_STORE);
    expect_resp(r, {FAULT_NONE, kPa | 0x567, 171, 85});
    EXPECT_EQ(s.peek(at), leaf | PTE_A | PTE_D);
    expect_counts(s.st().tlb[TLB_L1], {{{1, 0, 1}, {1, 0, 1}, {0, 0, 0}}}); // the load and the store missed
    expect_totals(s.st(), {2, 0, 2, 6, 2});
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
    expect_resp(r, {FAULT_NONE, (kPa + 0x1000) | 0x567, 261, 85});
    EXPECT_EQ(s.peek(at2), leaf2 | PTE_A | PTE_D);
    EXPECT_EQ(s.st().ad_updates, 3u);
}

TEST(MmuTiming, L2AndWalkCache)
{
    sim_config_t c = contract_config();
    c.l2 = {16, 4, REPL_LRU, 4, 1};
    c.pwc = {8, 0, REPL_LRU, 1, 1};
    OnePage s(c);                        // A = kVa, VPN 1/1/3, at 0x80100000
    const uint64_t va_a = kVa;
    const uint64_t va_b = 0x40204000ull; // VPN 1/1/4: same 2 MiB region
    const uint64_t va_c = 0x40600000ull; // VPN 1/3/0: same 1 GiB region
    s.pt.map(va_b, 0x80200000ull, kRW);
    s.pt.map(va_c, 0x80300000ull, kRW);

    // Cold: s = 0 + T1 + T2 + Tp = 6, three reads: r = 69.
    mmu_resp_t r = s.tr(va_a, ACC_LOAD);
    expect_resp(r, {FAULT_NONE, 0x80100567ull, 69, 69});
    EXPECT_EQ(s.valid(TLB_L1), 1u);
    EXPECT_EQ(s.valid(TLB_L2), 1u);
    EXPECT_EQ(s.pwc_valid(), 2u); // the pointers of levels 2 and 1

    // L1 hit: 70 -> 71.
    r = s.tr(va_a, ACC_LOAD);
    EXPECT_EQ(r.cycle, 71u);

    // Empty the L1 only: L1 miss, L2 hit: 72 + T1 + T2 = 77.
    tlb_flush(mmu_tlb(s.m, TLB_L1), 0, 0, 0, 0);
    r = s.tr(va_a, ACC_LOAD);
    expect_resp(r, {FAULT_NONE, 0x80100567ull, 77, 5});
    EXPECT_EQ(s.valid(TLB_L1), 1u); // filled from L2 at the end of 77
    r = s.tr(va_a, ACC_LOAD);       // 78 -> 79, L1 hit
    EXPECT_EQ(r.cycle, 79u);

    // B: walk cache hit on the level-1 pointer, one read: s = 80 + 6 = 86, r = 86 + 21 = 107.
    r = s.tr(va_b, ACC_LOAD);
    expect_resp(r, {FAULT_NONE, 0x80200000ull, 107, 27});
    EXPECT_EQ(s.st().pwc_hits[1], 1u);
    EXPECT_EQ(s.st().mem_reads, 4u);
    EXPECT_EQ(s.pwc_valid(), 2u); // no pointer was read

    // C: only the level-2 pointer matches, two reads: s = 108 + 6 = 114, r = 114 + 42 = 156.
    r = s.tr(va_c, ACC_LOAD);
    expect_resp(r, {FAULT_NONE, 0x80300000ull, 156, 48});
    EXPECT_EQ(s.st().pwc_hits[2], 1u);
    EXPECT_EQ(s.pwc_valid(), 3u); // C's level-1 pointer added

    const mmu_stats_t &st = s.st();
    expect_totals(st, {6, 0, 3, 6, 0});
    EXPECT_EQ(st.pwc_lookups, 3u);
    EXPECT_EQ(st.pwc_misses, 1u);
    EXPECT_EQ(st.pwc_hits[1], 1u);
    EXPECT_EQ(st.pwc_hits[2], 1u);
    EXPECT_EQ(st.pwc_hits[0], 0u);
    EXPECT_EQ(st.pwc_hits[3], 0u);
    // L1: A miss, A hit, A miss, A hit, B miss, C miss.
    expect_counts(st.tlb[TLB_L1], {{{6, 2, 4}, {0, 0, 0}, {0, 0, 0}}});
    // L2: A miss, A hit, B miss, C miss.
    expect_counts(st.tlb[TLB_L2], {{{4, 1, 3}, {0, 0, 0}, {0, 0, 0}}});
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
    OnePage s(c);
    s.pt.map(kVa + 0x1000, kPa + 0x1000, kRW);
    EXPECT_EQ(s.tr(kVa, ACC_LOAD).cycle, 23u);
    EXPECT_EQ(s.tr(kVa, ACC_LOAD).cycle, 26u);
    mmu_resp_t r = s.tr(kVa + 0x1000, ACC_LOAD);
    expect_resp(r, {FAULT_NONE, (kPa + 0x1000) | 0x567, 38, 11});
}

TEST(MmuTiming, LongWalkInTheLastHistogramBucket)
{
    // DRAM latency 400: r = 1 + 3 * 401 = 1204, beyond the exact buckets 0..1022.
    sim_config_t c = contract_config();
    c.dram.latency = 400;
    OnePage s(c);
    mmu_resp_t r = s.tr(kVa, ACC_LOAD);
    EXPECT_EQ(r.cycle, 1204u);
    EXPECT_EQ(s.st().walk_latency[WALK_HIST_BUCKETS - 1], 1u);
    EXPECT_EQ(s.st().walk_cycles, 1204u);
    // A walk of exactly 1022 cycles goes to bucket 1022: latency 340 gives
    // 1 + 3 * 341 = 1024 (bucket 1023); latency 339 gives 1 + 3 * 340 = 1021.
    c.dram.latency = 339;
    OnePage s2(c);
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
        expect_resp(r, {k.want, 0, a + 1, 1});
        a = r.cycle + 1;
    }
    const mmu_stats_t &st = s.st();
    expect_totals(st, {3, 0, 3, 0, 0});
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
    expect_resp(r, {FAULT_LOAD_ACCESS, 0, 2, 2});
    PageTable pt(s2.dram, 3);
    pt.write(PageTable::pte_addr(kRoot, kVa, 2), PTE_MAKE(0x1234, PTE_V)); // table at 0x1234000
    s2.paging();
    r = s2.tr(kVa, ACC_STORE); // accepted at 3: s = 5, one read: r = 26
    expect_resp(r, {FAULT_STORE_ACCESS, 0, 26, 23});
    EXPECT_EQ(s2.st().mem_reads, 1u);
    EXPECT_EQ(s2.pwc_valid(), 0u); // a faulting walk installs nothing
}

TEST(MmuTiming, DdrWalkByHand)
{
    sim_config_t c = contract_config();
    c.ad = AD_SVADU;
    // 8 banks of 8 KiB rows; tCL = tRCD = tRP = 14, tRAS = 33.
    c.dram = {kBase, kSize, DRAM_DDR, 20, 8, 8192, 14, 14, 14, 33};
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
    const uint64_t leaf1 = PTE_MAKE(0x80200000ull >> 12, PTE_V | PTE_R | PTE_W); // A = 0
    const uint64_t leaf2 = PTE_MAKE(0x80300000ull >> 12, PTE_V | PTE_R | PTE_W | PTE_A);
    // The same tables on the image of each path, then paging on.
    auto build = [&](Sim &sim) {
        PageTable pt(sim.dram, 3);
        pt.write(kRoot + 0 * 8, PTE_MAKE(l1 >> 12, PTE_V));
        pt.write(l1 + 0 * 8, PTE_MAKE(l0a >> 12, PTE_V));
        pt.write(l1 + 1 * 8, PTE_MAKE(l0b >> 12, PTE_V));
        pt.write(l0a + 5 * 8, leaf1);
        pt.write(l0b + 7 * 8, leaf2);
        sim.paging();
    };
    Sim s(c);
    build(s);

    // Request 1 (load va1) accepted at 0, s = 1:
    //   read root  at 1:  bank 0 closed: tRCD + tCL = 28; act0 = 1; next 1 + 29 = 30
    //   read L1    at 30: bank 0 row 0 open, want row 1: conflict,
    //                     wait = max(0, 1 + 33 - 30) = 4, L = 4 + 14 + 14 + 14 = 46,
    //                     act0 = 30 + 4 + 14 = 48; next 30 + 47 = 77
    //   read L0a   at 77: bank 0 row 1: hit, 14; next 92
    //   A write    at 92: bank 0 row 1: hit, 14; next 107 = response
    mmu_resp_t r = s.tr(va1, ACC_LOAD);
    expect_resp(r, {FAULT_NONE, 0x80200010ull, 107, 107});
    EXPECT_EQ(s.peek(l0a + 5 * 8), leaf1 | PTE_A);

    // Request 2 (load va2) accepted at 108, s = 109:
    //   read root  at 109: bank 0 row 1 open, want row 0: conflict,
    //                      wait = max(0, 48 + 33 - 109) = 0, L = 42, act0 = 123; next 152
    //   read L1    at 152: bank 0 row 0 open, want row 1: conflict,
    //                      wait = 123 + 33 - 152 = 4, L = 46, act0 = 170; next 199
    //   read L0b   at 199: bank 1 closed: 28; next 228 = response (A already set)
    r = s.tr(va2, ACC_LOAD);
    expect_resp(r, {FAULT_NONE, 0x80300000ull, 228, 120});
    EXPECT_EQ(s.peek(l0b + 7 * 8), leaf2);

    const mmu_stats_t &st = s.st();
    expect_totals(st, {2, 0, 2, 6, 1});
    EXPECT_EQ(st.ad_updates, 1u);
    EXPECT_EQ(st.walk_latency[107], 1u);
    EXPECT_EQ(st.walk_latency[120], 1u);
    EXPECT_EQ(st.walk_cycles, 227u);
    EXPECT_EQ(st.cycles, 229u);

    // The cycle-level path on a second image gives the same cycles.
    Sim s2(c);
    build(s2);
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
    OnePage s(c, kRWX);

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
    expect_resp(r, {FAULT_LOAD_PAGE, 0, 177, 43});

    const mmu_stats_t &st = s.st();
    expect_totals(st, {5, 3, 3, 8, 0});
    // {lookups, hits, misses} of load, store, fetch, each in its own L1: first
    // the load and the fetch missed; then the replays of the fetch and the
    // store hit and that of the unmapped load missed.
    expect_counts(st.tlb[TLB_L1D], {{{1, 0, 1}, {0, 0, 0}, {0, 0, 0}}});
    expect_counts(st.tlb[TLB_L1I], {{{0, 0, 0}, {0, 0, 0}, {1, 0, 1}}});
    expect_counts(st.tlb_replay[TLB_L1D], {{{1, 0, 1}, {1, 1, 0}, {0, 0, 0}}});
    expect_counts(st.tlb_replay[TLB_L1I], {{{0, 0, 0}, {0, 0, 0}, {1, 1, 0}}});
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
} // namespace
} // namespace mmutest
