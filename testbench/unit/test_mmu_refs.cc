// test_mmu_refs.cc - a trace's inner loop (mmu_translate_refs) and the
// statistics a study reads: where the cycles went, walks by leaf size, the
// restart after a warm-up.  Expected values are worked out by hand from
// docs/timing.md and docs/tlb.md (LRU), never taken from a run.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "mmu_fixture.h"
#include "stats.h"

namespace mmutest {
namespace {

constexpr uint64_t kPage = 0x1000;
constexpr uint64_t kUser = PTE_V | PTE_R | PTE_W | PTE_X | PTE_U | kAD;

// A U-mode reference of one byte by pid 1, as a trace gives it.
mmu_ref_t ref(uint64_t va, acc_t acc = ACC_LOAD)
{
    return mmu_ref_t{ va, 1, 1, (uint8_t)acc, 0 };
}

// An MMU with a 4-entry fully associative LRU L1 alone, pages 0..7 of
// 0x10000 mapped to consecutive frames, paging on.
struct Four : Sim {
    PageTable pt;
    static sim_config_t config()
    {
        sim_config_t c = contract_config();
        c.l1 = { 4, 0, REPL_LRU, 1, 1 };
        return c;
    }
    Four() : Sim(config()), pt(dram, 3)
    {
        for (uint64_t i = 0; i < 8; i++)
            pt.map(0x10000 + i * kPage, 0x80200000ull + i * kPage, kUser);
        paging();
    }
    uint64_t va(int page) const { return 0x10000 + (uint64_t)page * kPage; }
    // References one at a time through the trace path; the functional path for those it declines.
    void run(const std::vector<mmu_ref_t> &rs)
    {
        for (const mmu_ref_t &r : rs)
            if (mmu_translate_refs(m, &r, 1, 1, 0) != 1)
                tr(r.va, (acc_t)r.acc, PRIV_U);
    }
    uint64_t misses() const { return st().tlb[TLB_L1].misses[ACC_LOAD]; }
};

// A repeat taken by the shortcut still makes its entry the most recent: with
// A the least recently used, a shortcut hit on A must save it from eviction.
TEST(MmuRefs, ShortcutHitUpdatesLru)
{
    Four s;
    // fills A B C D (4 misses); A is then hit once on the general path (its
    // page remembered), then B C D: LRU order D C B A, A oldest.
    s.run({ ref(s.va(0)), ref(s.va(1)), ref(s.va(2)), ref(s.va(3)), ref(s.va(0)), ref(s.va(1)), ref(s.va(2)),
            ref(s.va(3)) });
    ASSERT_EQ(s.misses(), 4u);
    // A again: no fill since A's hit, so the shortcut serves it; order A D C B.
    mmu_ref_t a = ref(s.va(0) + 8);
    ASSERT_EQ(mmu_translate_refs(s.m, &a, 1, 1, 0), 1u);
    // E misses and evicts B (not A); A then hits, B misses.
    s.run({ ref(s.va(4)), ref(s.va(0)) });
    EXPECT_EQ(s.misses(), 5u);
    s.run({ ref(s.va(1)) });
    EXPECT_EQ(s.misses(), 6u);
}

// Split L1 TLBs of their own geometry: 2 entries for fetches, 4 for data.
// Cycling over 4 pages twice, LRU: the data side keeps all four (second
// round hits), the instruction side keeps two and misses every time.
TEST(MmuRefs, SplitL1OfItsOwnGeometry)
{
    sim_config_t c = Four::config();
    c.l1 = { 2, 0, REPL_LRU, 1, 1 };
    c.l1_split = 1;
    c.l1d_entries = 4;
    c.l1d_ways = 0;
    Sim s(c);
    PageTable pt(s.dram, 3);
    for (uint64_t i = 0; i < 4; i++)
        pt.map(0x10000 + i * kPage, 0x80200000ull + i * kPage, kUser);
    s.paging();
    for (int round = 0; round < 2; round++)
        for (uint64_t i = 0; i < 4; i++) {
            s.tr(0x10000 + i * kPage, ACC_LOAD, PRIV_U);
            s.tr(0x10000 + i * kPage, ACC_FETCH, PRIV_U);
        }
    EXPECT_EQ(s.st().tlb[TLB_L1D].misses[ACC_LOAD], 4u);
    EXPECT_EQ(s.st().tlb[TLB_L1D].hits[ACC_LOAD], 4u);
    EXPECT_EQ(s.st().tlb[TLB_L1I].misses[ACC_FETCH], 8u);
    EXPECT_EQ(s.valid(TLB_L1I), 2u);
    EXPECT_EQ(s.valid(TLB_L1D), 4u);
}

// A run stops at what it cannot take: another pid, another kind, a page-crossing
// access, a miss; what it did take is booked exactly as the functional path would.
TEST(MmuRefs, RunStopsWhereTheGeneralPathIsNeeded)
{
    Four s;
    s.run({ ref(s.va(0)), ref(s.va(1)) }); // two fills
    uint64_t now = mmu_now(s.m);
    std::vector<mmu_ref_t> rs = { ref(s.va(0)), ref(s.va(1), ACC_STORE), ref(s.va(0) + 4, ACC_FETCH), ref(s.va(2)) };
    EXPECT_EQ(mmu_translate_refs(s.m, rs.data(), rs.size(), 1, 0), 3u); // page 2 misses
    // three one-cycle L1 hits, each followed by the ready cycle (docs/timing.md)
    EXPECT_EQ(mmu_now(s.m), now + 3 * 2);
    EXPECT_EQ(s.st().requests, 2u + 3u);
    EXPECT_EQ(s.st().tlb[TLB_L1].hits[ACC_STORE], 1u);
    EXPECT_EQ(s.st().tlb[TLB_L1].hits[ACC_FETCH], 1u);

    mmu_ref_t other_pid = ref(s.va(0));
    other_pid.pid = 2;
    mmu_ref_t other_kind = ref(s.va(0));
    other_kind.kind = 1;
    mmu_ref_t crossing = ref(s.va(1) - 2);
    crossing.size = 4;
    for (const mmu_ref_t &r : { other_pid, other_kind, crossing })
        EXPECT_EQ(mmu_translate_refs(s.m, &r, 1, 1, 0), 0u);
    // another ASID does not match the entries (not global)
    mmu_ref_t r0 = ref(s.va(0));
    EXPECT_EQ(mmu_translate_refs(s.m, &r0, 1, 1, 5), 0u);
    EXPECT_EQ(s.st().requests, 5u);
}

// A store on an entry without D, or a permission the entry lacks, is not a hit.
TEST(MmuRefs, HitsNeedTheEntrysPermissions)
{
    Four s;
    s.pt.map(0x20000, 0x80300000ull, PTE_V | PTE_R | PTE_U | PTE_A);           // read-only
    s.pt.map(0x21000, 0x80301000ull, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A); // clean
    s.run({ ref(0x20000), ref(0x21000) });
    mmu_ref_t st_ro = ref(0x20000, ACC_STORE), st_clean = ref(0x21000, ACC_STORE), fetch = ref(0x20000, ACC_FETCH);
    EXPECT_EQ(mmu_translate_refs(s.m, &st_ro, 1, 1, 0), 0u);
    EXPECT_EQ(mmu_translate_refs(s.m, &st_clean, 1, 1, 0), 0u);
    EXPECT_EQ(mmu_translate_refs(s.m, &fetch, 1, 1, 0), 0u);
    mmu_ref_t ld = ref(0x20008);
    EXPECT_EQ(mmu_translate_refs(s.m, &ld, 1, 1, 0), 1u);
}

// Where the cycles went, for the examples of docs/timing.md: a cold walk of
// three PTE reads (1 + 3 x 21 = 64 cycles) then a hit (1 cycle).
TEST(MmuRefs, CyclesSplitByStructure)
{
    sim_config_t c = contract_config();
    c.l2 = { 16, 4, REPL_LRU, 4, 1 };
    c.pwc = { 8, 0, REPL_LRU, 2, 1 };
    OnePage s(c);
    s.tr(kVa, ACC_LOAD);
    s.tr(kVa, ACC_LOAD);
    const mmu_stats_t &st = s.st();
    // miss: L1 (1) + L2 (4) + walk cache (2), then 3 PTE reads of 20 + 1
    EXPECT_EQ(st.cycles_l1, 2u);
    EXPECT_EQ(st.cycles_l2, 4u);
    EXPECT_EQ(st.cycles_pwc, 2u);
    EXPECT_EQ(st.cycles_walk, 3u * 21u);
    EXPECT_EQ(st.walk_lookup_cycles, 1u + 4u + 2u);
    EXPECT_EQ(st.walk_cycles, 1u + 4u + 2u + 63u);
    EXPECT_EQ(st.walks_leaf[0], 1u);
    // the rest: the ready cycle after each of the two responses
    EXPECT_EQ(st.cycles - (st.cycles_l1 + st.cycles_l2 + st.cycles_pwc + st.cycles_walk + st.cycles_wait), 2u);
    mmu_wait(s.m, 500);
    EXPECT_EQ(s.st().cycles_wait, 500u);
}

TEST(MmuRefs, WalksCountedByLeafSize)
{
    OnePage s(contract_config());
    s.pt.map(0x40400000ull, 0x80400000ull, kRW, 1); // a 2 MiB leaf
    s.pt.map(0xc0000000ull, 0xc0000000ull, kRW, 2); // a 1 GiB leaf
    s.tr(kVa, ACC_LOAD);
    s.tr(0x40400000ull, ACC_LOAD);
    s.tr(0xc0000000ull, ACC_LOAD);
    s.tr(0x1000, ACC_LOAD); // unmapped: the walk faults
    EXPECT_EQ(s.st().walks, 4u);
    EXPECT_EQ(s.st().walks_leaf[0], 1u);
    EXPECT_EQ(s.st().walks_leaf[1], 1u);
    EXPECT_EQ(s.st().walks_leaf[2], 1u);
}

// After a reset the counters start from zero, the time from now, the TLB stays warm.
TEST(MmuRefs, StatsResetKeepsTheStructures)
{
    OnePage s(contract_config());
    s.tr(kVa, ACC_LOAD);
    uint64_t now = mmu_now(s.m);
    mmu_stats_reset(s.m);
    EXPECT_EQ(s.st().requests, 0u);
    EXPECT_EQ(s.st().cycle0, now);
    s.tr(kVa, ACC_LOAD);
    EXPECT_EQ(s.st().tlb[TLB_L1].hits[ACC_LOAD], 1u);
    EXPECT_EQ(s.st().walks, 0u);
    EXPECT_EQ(s.st().cycles - s.st().cycle0, 2u);
}

// The printed record: rows by name (CSV header + one row), MPKI, and a table
// rate that does not round to 1 while a miss is left.
std::string print(const mmu_t *m, uint64_t refs, stats_format_t f)
{
    char *buf = nullptr;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    stats_print(m, refs, f, out);
    fclose(out);
    std::string s(buf, len);
    free(buf);
    return s;
}

// The CSV cell of column name.
std::string csv_cell(const std::string &csv, const std::string &name)
{
    size_t nl = csv.find('\n');
    std::string head = csv.substr(0, nl), row = csv.substr(nl + 1);
    size_t col = 0, p = 0, q = 0;
    for (size_t i = 0;; i++) {
        size_t e = head.find(',', p);
        if (head.substr(p, e - p) == name) {
            col = i;
            break;
        }
        if (e == std::string::npos)
            return "?";
        p = e + 1;
    }
    for (size_t i = 0; i < col; i++)
        q = row.find(',', q) + 1;
    return row.substr(q, row.find_first_of(",\n", q) - q);
}

TEST(MmuRefs, RecordRowsAndRates)
{
    OnePage s(contract_config());
    s.tr(kVa, ACC_LOAD); // one miss
    for (int i = 0; i < 29999; i++)
        s.tr(kVa, ACC_LOAD); // 29999 hits: hit rate 0.99997, four places would say 1.0000
    std::string csv = print(s.m, 30000, STATS_CSV);
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 2);
    EXPECT_EQ(csv_cell(csv, "tlb.l1.lookups"), "30000");
    EXPECT_EQ(csv_cell(csv, "tlb.l1.misses"), "1");
    EXPECT_EQ(csv_cell(csv, "tlb.l1.mpki"), "0.0333333"); // 1 * 1000 / 30000
    EXPECT_EQ(csv_cell(csv, "walks.4k"), "1");
    EXPECT_EQ(csv_cell(csv, "walk_latency.hist.64"), "1");
    std::string table = print(s.m, 30000, STATS_TABLE);
    size_t at = table.find("tlb.l1.hit_rate");
    ASSERT_NE(at, std::string::npos);
    std::string line = table.substr(at, table.find('\n', at) - at);
    EXPECT_EQ(line.substr(line.find_last_of(' ') + 1), "0.9999") << line;
    std::string json = print(s.m, 30000, STATS_JSON);
    EXPECT_NE(json.find("\"walk_latency.histogram\": {\"64\": 1}"), std::string::npos) << json;
}

} // namespace
} // namespace mmutest
