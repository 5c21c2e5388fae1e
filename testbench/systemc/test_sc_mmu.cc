// test_sc_mmu.cc - MmuTlm through b_transport: the extension's fields both
// ways, every fault kind, and the annotated delay of walks, hits, the L2,
// the walk cache and svadu writes worked out by hand from docs/timing.md
// (response cycles) and docs/dram.md (DRAM latencies).  No expected value was
// obtained by running the component.
//
// Unless a test says otherwise: the contract configuration of
// mmu_fixture.h (Sv39, L1 32 entries latency T1 = 1, no L2, no walk cache,
// svade, fixed DRAM latency L = 20), a 1 ns cycle, and kVa = 0x40203567
// (VPN[2] = 1, VPN[1] = 1, VPN[0] = 3).  A cold walk accepted in cycle a
// reads three PTEs: r = a + T1 + 3 * (L + 1) = a + 64.  A request whose
// annotated delay is the previous response's arrives in that response cycle
// and is accepted in the next one.

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "sc_fixture.h"

namespace sctest {
namespace {

using namespace mmutest;
using sc_core::sc_time;

using MmuTlmExt = ScTest;
using MmuTlmFault = ScTest;
using MmuTlmLatency = ScTest;

// An extension with every field away from its default.
MmuXlateExt filled_ext()
{
    MmuXlateExt x;
    x.acc = ACC_FETCH;
    x.priv = PRIV_U;
    x.asid = 0xbeef;
    x.replay = true;
    x.fault = FAULT_STORE_ACCESS;
    x.pa = 0x123456789abcull;
    x.arrival_cycle = 11;
    x.accept_cycle = 13;
    x.resp_cycle = 42;
    return x;
}

// ============================================================== extension

TEST_F(MmuTlmExt, CloneAndCopyFromCarryEveryField)
{
    const MmuXlateExt x = filled_ext();
    EXPECT_EQ(x.latency(), 42u - 13u);

    auto release = [](tlm::tlm_extension_base *e) { e->free(); }; // its destructor is protected
    std::unique_ptr<tlm::tlm_extension_base, decltype(release)> c(x.clone(), release);
    const MmuXlateExt *cx = dynamic_cast<const MmuXlateExt *>(c.get());
    ASSERT_NE(cx, nullptr);
    expect_same_ext(*cx, x);

    MmuXlateExt y;
    y.copy_from(x);
    expect_same_ext(y, x);

    // A payload copy clones the extension into a payload without one and
    // copies it into one that has it.
    tlm::tlm_generic_payload from, to;
    from.set_extension(new MmuXlateExt(x));
    to.deep_copy_from(from);
    ASSERT_NE(to.get_extension<MmuXlateExt>(), nullptr);
    expect_same_ext(*to.get_extension<MmuXlateExt>(), x);
    from.get_extension<MmuXlateExt>()->asid = 7;
    to.deep_copy_from(from);
    EXPECT_EQ(to.get_extension<MmuXlateExt>()->asid, 7u);
}

// acc: one read-only page, no X; the hits with a permission fault answer in T1.
TEST_F(MmuTlmExt, AccessTypeReachesTheMmu)
{
    Bench b(contract_config());
    b.pt.map(kVa, kPa, PTE_V | PTE_R | kAD);
    b.paging();
    Xlate r = b.xlate(kVa, ACC_LOAD, b.cyc(0));
    b.expect(r, {FAULT_NONE, kPa | 0x567, 0, 0, 64});
    r = b.xlate(kVa, ACC_STORE, r.delay); // hit, W = 0: 65 + 1
    b.expect(r, {FAULT_STORE_PAGE, 0, 64, 65, 66});
    r = b.xlate(kVa, ACC_FETCH, r.delay); // hit, X = 0
    b.expect(r, {FAULT_FETCH_PAGE, 0, 66, 67, 68});
    r = b.xlate(kVa + 8, ACC_LOAD, r.delay);
    b.expect(r, {FAULT_NONE, kPa | 0x56f, 68, 69, 70});
}

// priv: a U page faults in S mode without SUM; an S page faults in U mode.
TEST_F(MmuTlmExt, PrivilegeReachesTheMmu)
{
    Bench b(contract_config());
    const uint64_t user = 0x40204000ull, upa = 0x80200000ull;
    b.pt.map(kVa, kPa, kRW);
    b.pt.map(user, upa, kRW | PTE_U);
    b.paging();
    Xlate r = b.xlate(user, ACC_LOAD, b.cyc(0), PRIV_S); // walk, then the leaf's U check
    b.expect(r, {FAULT_LOAD_PAGE, 0, 0, 0, 64});
    r = b.xlate(user, ACC_LOAD, r.delay, PRIV_U); // the fault installed nothing: walks again
    b.expect(r, {FAULT_NONE, upa, 64, 65, 129});
    r = b.xlate(kVa, ACC_LOAD, r.delay, PRIV_U);
    b.expect(r, {FAULT_LOAD_PAGE, 0, 129, 130, 194});
    r = b.xlate(kVa, ACC_LOAD, r.delay, PRIV_S);
    b.expect(r, {FAULT_NONE, kPa | 0x567, 194, 195, 259});
}

// asid: an entry filled under ASID 5 hits under 5 only.
TEST_F(MmuTlmExt, AsidReachesTheMmu)
{
    Bench b(contract_config());
    b.pt.map(kVa, kPa, kRW);
    b.paging();
    Xlate r = b.xlate(kVa, ACC_LOAD, b.cyc(0), PRIV_S, 5);
    b.expect(r, {FAULT_NONE, kPa | 0x567, 0, 0, 64});
    r = b.xlate(kVa, ACC_LOAD, r.delay, PRIV_S, 6);
    b.expect(r, {FAULT_NONE, kPa | 0x567, 64, 65, 129});
    r = b.xlate(kVa, ACC_LOAD, r.delay, PRIV_S, 5);
    b.expect(r, {FAULT_NONE, kPa | 0x567, 129, 130, 131});
    r = b.xlate(kVa, ACC_LOAD, r.delay, PRIV_S, 0xffff);
    b.expect(r, {FAULT_NONE, kPa | 0x567, 131, 132, 196});
}

// replay: counted as such by the MMU (a replayed hit still takes T1).  The
// request fields come back as they went.
TEST_F(MmuTlmExt, ReplayReachesTheMmu)
{
    Bench b(contract_config());
    b.pt.map(kVa, kPa, kRW);
    b.paging();
    Xlate r = b.xlate(kVa, ACC_STORE, b.cyc(0), PRIV_S, 9);
    r = b.xlate(kVa, ACC_STORE, r.delay, PRIV_S, 9, true);
    b.expect(r, {FAULT_NONE, kPa | 0x567, 64, 65, 66});
    EXPECT_EQ(r.x.acc, ACC_STORE);
    EXPECT_EQ(r.x.priv, PRIV_S);
    EXPECT_EQ(r.x.asid, 9u);
    EXPECT_TRUE(r.x.replay);
    EXPECT_EQ(b.sim.st().requests, 2u);
    EXPECT_EQ(b.sim.st().replays, 1u);
    EXPECT_EQ(b.sim.st().tlb_replay[TLB_L1].hits[ACC_STORE], 1u);
}

// ================================================================= faults
//
// Tables from mmu_fixture's builder: root kRoot, kVa's level-1 table at
// 0x80100000 and level-0 table at 0x80101000.

// A walk of kVa accepted in cycle 0 that ends in a fault: the tables the
// row writes, the access, the answer worked out by hand, the PTE reads issued.
struct WalkFault {
    const char *name;
    std::function<void(PageTable &)> tables;
    acc_t acc;
    fault_t fault;
    uint64_t resp, reads;
};

const WalkFault kWalkFaults[] = {
    // s = 1; the root PTE (V = 0) read at 1 answers at 21; the fault at 22.
    {"LoadPageOnInvalidRootPte", [](PageTable &) {}, ACC_LOAD, FAULT_LOAD_PAGE, 22, 1},
    // Three reads, then the leaf's X = 0.
    {"FetchPageOnLeafWithoutX", [](PageTable &pt) { pt.map(kVa, kPa, kRW); }, ACC_FETCH, FAULT_FETCH_PAGE, 64, 3},
    // Root PTE read at 1, answer at 21; at 22 the level-1 table's PTE is
    // below DRAM: not issued, the access fault answers in that cycle.
    {"LoadAccessOnPteOutsideDram",
     [](PageTable &pt) { pt.set(kVa, 2, PTE_MAKE(0x1000 >> PAGE_SHIFT, PTE_V)); }, ACC_LOAD, FAULT_LOAD_ACCESS, 22,
     1},
    // Three reads; the leaf's PA is below DRAM.
    {"StoreAccessOnLeafOutsideDram", [](PageTable &pt) { pt.map(kVa, 0x10000000ull, kRW); }, ACC_STORE,
     FAULT_STORE_ACCESS, 64, 3},
    // Reads at 1 (answer 21) and 22 (answer 42); at 43 the level-0 PTE is outside.
    {"FetchAccessOnLeafTableOutsideDram",
     [](PageTable &pt) { pt.set(kVa, 1, PTE_MAKE(0x2000 >> PAGE_SHIFT, PTE_V)); }, ACC_FETCH, FAULT_FETCH_ACCESS,
     43, 2},
};

class MmuTlmWalkFault : public ScTest, public ::testing::WithParamInterface<WalkFault> {};

TEST_P(MmuTlmWalkFault, AnswersAtTheCycleOfItsCause)
{
    const WalkFault &f = GetParam();
    Bench b(contract_config());
    f.tables(b.pt);
    b.paging();
    Xlate r = b.xlate(kVa, f.acc, b.cyc(0));
    b.expect(r, {f.fault, 0, 0, 0, f.resp});
    EXPECT_EQ(b.mmu.counters().mem_reads, f.reads);
}

INSTANTIATE_TEST_SUITE_P(Kinds, MmuTlmWalkFault, ::testing::ValuesIn(kWalkFaults),
                         [](const ::testing::TestParamInfo<WalkFault> &i) { return std::string(i.param.name); });

TEST_F(MmuTlmFault, StorePageFaultOnReadOnlyLeafAndOnDirtyUnderSvade)
{
    Bench b(contract_config());
    b.pt.map(kVa, kPa, PTE_V | PTE_R | kAD);
    b.pt.map(kVa + PAGE_SIZE, kPa, PTE_V | PTE_R | PTE_W | PTE_A); // D = 0
    b.paging();
    Xlate r = b.xlate(kVa, ACC_STORE, b.cyc(0));
    b.expect(r, {FAULT_STORE_PAGE, 0, 0, 0, 64});
    r = b.xlate(kVa + PAGE_SIZE, ACC_STORE, r.delay);
    b.expect(r, {FAULT_STORE_PAGE, 0, 64, 65, 129});
    EXPECT_EQ(b.sim.peek(b.pt.slot(kVa + PAGE_SIZE, 0)) & PTE_D, 0u) << "svade never sets D";
}

TEST_F(MmuTlmFault, NonCanonicalVaIsAPageFaultAfterT1)
{
    sim_config_t c = contract_config();
    c.l1.latency = 2;
    Bench b(c);
    b.paging();
    const uint64_t va = 1ull << 38; // bit 38 set, bits 63:39 clear
    Xlate r = b.xlate(va, ACC_LOAD, b.cyc(0));
    b.expect(r, {FAULT_LOAD_PAGE, 0, 0, 0, 2});
    r = b.xlate(va, ACC_STORE, r.delay);
    b.expect(r, {FAULT_STORE_PAGE, 0, 2, 3, 5});
    r = b.xlate(va, ACC_FETCH, r.delay);
    b.expect(r, {FAULT_FETCH_PAGE, 0, 5, 6, 8});
    EXPECT_EQ(b.mmu.counters().mem_reads, 0u);
}

// satp Bare: PA = VA in T1, an access fault outside [kBase, kBase + kSize).
TEST_F(MmuTlmFault, BareModeAccessFaultOutsideDram)
{
    Bench b(contract_config());
    Xlate r = b.xlate(0x1000, ACC_LOAD, b.cyc(0));
    b.expect(r, {FAULT_LOAD_ACCESS, 0, 0, 0, 1});
    r = b.xlate(kBase + 0x40, ACC_FETCH, r.delay);
    b.expect(r, {FAULT_NONE, kBase + 0x40, 1, 2, 3});
    r = b.xlate(kBase + kSize, ACC_STORE, r.delay);
    b.expect(r, {FAULT_STORE_ACCESS, 0, 3, 4, 5});
    r = b.xlate(kBase + kSize - 8, ACC_STORE, r.delay);
    b.expect(r, {FAULT_NONE, kBase + kSize - 8, 5, 6, 7});
    r = b.xlate(~0xfffull, ACC_FETCH, r.delay);
    b.expect(r, {FAULT_FETCH_ACCESS, 0, 7, 8, 9});
}

// ================================================================ latency

TEST_F(MmuTlmLatency, ColdWalkThenL1Hit)
{
    Bench b(contract_config());
    b.pt.map(kVa, kPa, kRW);
    b.paging();
    Xlate r = b.xlate(kVa, ACC_LOAD, b.cyc(0));
    b.expect(r, {FAULT_NONE, kPa | 0x567, 0, 0, 64});
    r = b.xlate(kVa + 8, ACC_LOAD, r.delay);
    b.expect(r, {FAULT_NONE, kPa | 0x56f, 64, 65, 66});
    const MmuTlmCounters &n = b.mmu.counters();
    EXPECT_EQ(n.translations, 2u);
    EXPECT_EQ(n.shortcuts, 1u);
    EXPECT_EQ(n.mem_reads, 3u);
    EXPECT_EQ(n.mem_writes, 0u);
    EXPECT_EQ(b.dram->accesses(), 3u);
}

// The same without the engine's hit shortcut: the cycle-level path gives the same answer.
TEST_F(MmuTlmLatency, L1HitOnTheCyclePath)
{
    Bench b(contract_config(), ns(1), Bench::Memory::kDramTlm, false);
    b.pt.map(kVa, kPa, kRW);
    b.paging();
    Xlate r = b.xlate(kVa, ACC_LOAD, b.cyc(0));
    r = b.xlate(kVa + 8, ACC_LOAD, r.delay);
    b.expect(r, {FAULT_NONE, kPa | 0x56f, 64, 65, 66});
    EXPECT_EQ(b.mmu.counters().shortcuts, 0u);
}

// T1 = 2 with a 1-entry L1, L2 T2 = 3, walk cache Tp = 2, DRAM L = 7:
// every walk starts at s = a + 7 and each PTE read costs 8.
TEST_F(MmuTlmLatency, L2AndWalkCache)
{
    sim_config_t c = contract_config();
    c.l1 = {1, 0, REPL_LRU, 2, 1};
    c.l2 = {16, 4, REPL_LRU, 3, 1};
    c.pwc = {8, 0, REPL_LRU, 2, 1};
    c.dram.latency = 7;
    Bench b(c);
    const uint64_t vb = kVa + PAGE_SIZE, pb = 0x80200000ull; // same level-0 table
    b.pt.map(kVa, kPa, kRW);
    b.pt.map(vb, pb, kRW);
    b.paging();
    Xlate r = b.xlate(kVa, ACC_LOAD, b.cyc(0)); // 7 + 3 * 8
    b.expect(r, {FAULT_NONE, kPa | 0x567, 0, 0, 31});
    r = b.xlate(vb, ACC_LOAD, r.delay); // walk cache holds the level-0 table: 32 + 7 + 8
    b.expect(r, {FAULT_NONE, pb | 0x567, 31, 32, 47});
    r = b.xlate(kVa, ACC_LOAD, r.delay); // evicted from L1, L2 hit: 48 + 2 + 3
    b.expect(r, {FAULT_NONE, kPa | 0x567, 47, 48, 53});
    r = b.xlate(kVa, ACC_LOAD, r.delay); // L1 filled at the end of 53
    b.expect(r, {FAULT_NONE, kPa | 0x567, 53, 54, 56});
    EXPECT_EQ(b.mmu.counters().mem_reads, 4u);
}

// svadu switched on through MmuTlm::set_ad: a walk that must set A (and D
// on a store) adds one write of L + 1 = 21 cycles: r = a + 64 + 21.
TEST_F(MmuTlmLatency, SvaduWritesAddOneAccess)
{
    Bench b(contract_config());
    const uint64_t va_b = kVa + PAGE_SIZE, va_c = kVa + 2 * PAGE_SIZE;
    const uint64_t pte_a = b.pt.map(kVa, kPa, PTE_V | PTE_R | PTE_W);
    const uint64_t pte_b = b.pt.map(va_b, kPa, PTE_V | PTE_R | PTE_W | PTE_X);
    const uint64_t pte_c = b.pt.map(va_c, 0x10000000ull, PTE_V | PTE_X); // leaf outside DRAM
    b.pt.map(va_c + PAGE_SIZE, kPa, PTE_V | PTE_R | PTE_W | PTE_A);
    b.paging();
    sc_time d = b.cyc(0);
    b.mmu.set_ad(AD_SVADU, d);
    EXPECT_EQ(d, b.cyc(0)) << "set_ad takes no time";

    Xlate r = b.xlate(kVa, ACC_STORE, b.cyc(0));
    b.expect(r, {FAULT_NONE, kPa | 0x567, 0, 0, 85});
    EXPECT_EQ(b.sim.peek(pte_a) & kAD, kAD);
    r = b.xlate(va_b, ACC_LOAD, r.delay); // sets A only
    b.expect(r, {FAULT_NONE, kPa | 0x567, 85, 86, 171});
    EXPECT_EQ(b.sim.peek(pte_b) & kAD, PTE_A);
    r = b.xlate(va_b, ACC_STORE, r.delay); // L1 entry has D = 0: walks again and sets D
    b.expect(r, {FAULT_NONE, kPa | 0x567, 171, 172, 257});
    EXPECT_EQ(b.sim.peek(pte_b) & kAD, kAD);
    r = b.xlate(va_b, ACC_STORE, r.delay);
    b.expect(r, {FAULT_NONE, kPa | 0x567, 257, 258, 259});
    r = b.xlate(va_c, ACC_FETCH, r.delay); // A written, then the access fault
    b.expect(r, {FAULT_FETCH_ACCESS, 0, 259, 260, 345});
    EXPECT_EQ(b.sim.peek(pte_c) & PTE_A, PTE_A);
    EXPECT_EQ(b.mmu.counters().mem_writes, 4u);

    d = r.delay;
    b.mmu.set_ad(AD_SVADE, d);
    r = b.xlate(va_c + PAGE_SIZE, ACC_STORE, d); // D = 0 under svade: page fault, no write
    b.expect(r, {FAULT_STORE_PAGE, 0, 345, 346, 410});
    EXPECT_EQ(b.mmu.counters().mem_writes, 4u);
}

// docs/dram.md's DDR timing (8 banks, 8 KiB rows, tCL = tRCD = tRP = 14,
// tRAS = 33) behind DramTlm.  PTEs at 0x80001008 (bank 0, row 0),
// 0x80100008 and 0x80101018 (bank 0, row 0x10).
TEST_F(MmuTlmLatency, DdrWalkThroughDramTlm)
{
    sim_config_t c = contract_config();
    c.dram.timing = DRAM_DDR;
    Bench b(c);
    b.pt.map(kVa, kPa, kRW);
    b.paging();
    // 1: bank closed, 28 -> 29.  30: conflict, act 1, wait = 1 + 33 - 30 = 4,
    // 4 + 42 = 46 -> 76.  77: row hit, 14 -> 91.  Response at 92.
    Xlate r = b.xlate(kVa, ACC_LOAD, b.cyc(0));
    b.expect(r, {FAULT_NONE, kPa | 0x567, 0, 0, 92});
}

// A 10 ns cycle: the delay is the response cycle in periods, whatever the unit.
TEST_F(MmuTlmLatency, DelayScalesWithThePeriod)
{
    Bench b(contract_config(), ns(10));
    b.pt.map(kVa, kPa, kRW);
    b.paging();
    Xlate r = b.xlate(kVa, ACC_LOAD, ns(0));
    b.expect(r, {FAULT_NONE, kPa | 0x567, 0, 0, 64});
    EXPECT_EQ(r.delay, ns(640));
}

} // namespace
} // namespace sctest
