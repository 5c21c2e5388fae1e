// test_sc_fence.cc - MmuTlm's control calls and request timing: the four
// sfence.vma forms of docs/tlb.md seen through translations (a removed
// entry costs a walk again, in the extension's latency and in the annotated
// delay), the cycle a fence takes, requests arriving after a gap or while
// the MMU is busy, handler time, CSR writes, and a payload without the
// extension.  Expected cycles are worked out from docs/timing.md.
//
// Configuration: the contract one of mmu_fixture.h (T1 = 1, fixed DRAM
// latency 20, no L2, no walk cache): a walk takes 64 cycles, an L1 hit 1.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sc_fixture.h"

namespace sctest {
namespace {

using namespace mmutest;
using sc_core::sc_time;

constexpr uint64_t kWalk = 64, kHit = 1;

// Three pages under one level-0 table: A and B non-global, G global.
constexpr uint64_t kA = 0x40203000ull, kB = 0x40204000ull, kG = 0x40205000ull;

// The bench with A, B and G mapped, paging on, and a CPU issuing each
// request or fence at the time the previous call annotated: after a
// response the MMU is busy for that cycle, so a request waits one cycle;
// after a fence it is idle.
class MmuTlmFence : public ScTest {
protected:
    MmuTlmFence() : b_(contract_config())
    {
        b_.pt.map(kA, 0x80200000ull, kRW);
        b_.pt.map(kB, 0x80201000ull, kRW);
        b_.pt.map(kG, 0x80202000ull, kRW | PTE_G);
        b_.paging();
    }

    // A load of va under asid; returns its latency after checking that it
    // is a translation and that the delay grew by the wait plus the latency.
    uint64_t load(uint64_t va, uint16_t asid)
    {
        Xlate r = b_.xlate(va | 0x10, ACC_LOAD, t_, PRIV_S, asid);
        EXPECT_EQ(r.x.fault, FAULT_NONE);
        EXPECT_EQ(r.x.accept_cycle, r.x.arrival_cycle + wait_);
        EXPECT_EQ(r.delay - t_, b_.cyc(wait_ + r.x.latency())) << std::hex << va;
        t_ = r.delay;
        wait_ = 1;
        return r.x.latency();
    }
    // Fills A and B under ASID 5, G (any ASID), and A under ASID 6; each walks once, then hits.
    void fill()
    {
        for (uint64_t va : {kA, kB, kG})
            EXPECT_EQ(load(va, 5), kWalk) << std::hex << va;
        EXPECT_EQ(load(kA, 6), kWalk);
        for (uint64_t va : {kA, kB, kG})
            EXPECT_EQ(load(va, 5), kHit) << std::hex << va;
        EXPECT_EQ(load(kA, 6), kHit);
        EXPECT_EQ(load(kG, 9), kHit) << "a global entry hits under any ASID";
    }
    // An sfence.vma at the current time: right after a response, the MMU is
    // idle from the next cycle, which the fence occupies.
    void fence(int use_va, uint64_t va, int use_asid, uint16_t asid)
    {
        sc_time d = t_;
        b_.mmu.sfence(make_fence(use_va, va, use_asid, asid), d);
        EXPECT_EQ(d - t_, b_.cyc(wait_ + 1));
        t_ = d;
        wait_ = 0;
    }

    Bench b_;
    sc_time t_ = sc_core::SC_ZERO_TIME;
    uint64_t wait_ = 0; // cycles from the next arrival to the MMU being idle
};

using MmuTlmTiming = ScTest;

// ================================================================= fences

TEST_F(MmuTlmFence, AllRemovesEveryEntry)
{
    fill();
    fence(0, 0, 0, 0);
    EXPECT_EQ(load(kA, 5), kWalk);
    EXPECT_EQ(load(kB, 5), kWalk);
    EXPECT_EQ(load(kG, 5), kWalk);
    EXPECT_EQ(load(kA, 6), kWalk);
    EXPECT_EQ(b_.sim.st().sfences, 1u);
}

// By VA: that page under every ASID, a global one too; nothing else.
TEST_F(MmuTlmFence, ByVaRemovesThatPageOnly)
{
    fill();
    fence(1, kA + 0x123, 0, 0);
    EXPECT_EQ(load(kA, 5), kWalk);
    EXPECT_EQ(load(kA, 6), kWalk);
    EXPECT_EQ(load(kB, 5), kHit);
    EXPECT_EQ(load(kG, 5), kHit);
    fence(1, kG, 0, 0);
    EXPECT_EQ(load(kG, 5), kWalk);
    EXPECT_EQ(load(kA, 5), kHit);
}

// By ASID: that ASID's non-global entries; globals and other ASIDs survive.
TEST_F(MmuTlmFence, ByAsidKeepsGlobalsAndOtherAsids)
{
    fill();
    fence(0, 0, 1, 5);
    EXPECT_EQ(load(kA, 5), kWalk);
    EXPECT_EQ(load(kB, 5), kWalk);
    EXPECT_EQ(load(kG, 5), kHit);
    EXPECT_EQ(load(kA, 6), kHit);
}

// By VA and ASID: that page of that ASID, never a global one.
TEST_F(MmuTlmFence, ByVaAndAsidRemovesOneEntry)
{
    fill();
    fence(1, kA, 1, 5);
    EXPECT_EQ(load(kA, 5), kWalk);
    EXPECT_EQ(load(kA, 6), kHit);
    EXPECT_EQ(load(kB, 5), kHit);
    fence(1, kG, 1, 5);
    EXPECT_EQ(load(kG, 5), kHit);
}

// ================================================================= timing

// A fence is one cycle of its own: at its arrival when the MMU is idle,
// else when it is next idle; the delay ends with that cycle.  Bare-mode
// loads (answer in T1) place the MMU in time.
TEST_F(MmuTlmTiming, SfenceTakesOneCycle)
{
    Bench b(contract_config());
    const mmu_sfence_t all = make_fence(0, 0, 0, 0);
    sc_time d = b.cyc(10);
    b.mmu.sfence(all, d); // idle from 0: fence in cycle 10
    EXPECT_EQ(d, b.cyc(11));
    Xlate r = b.xlate(kBase, ACC_LOAD, d);
    b.expect(r, {FAULT_NONE, kBase, 11, 11, 12});
    d = b.cyc(5); // in the past: the MMU is next idle in 13
    b.mmu.sfence(all, d);
    EXPECT_EQ(d, b.cyc(14));
    r = b.xlate(kBase, ACC_LOAD, d);
    b.expect(r, {FAULT_NONE, kBase, 14, 14, 15});
    EXPECT_EQ(b.sim.st().sfences, 2u);
}

// A 10 ns cycle.  A request's cycle is its time rounded up; one that arrives
// while the MMU is idle is accepted at once, one that arrives before the
// MMU is free (in or before the previous response cycle) when it is.
TEST_F(MmuTlmTiming, AcceptAtArrivalOrWhenFree)
{
    Bench b(contract_config(), ns(10));
    Xlate r = b.xlate(kBase, ACC_LOAD, ns(0));
    b.expect(r, {FAULT_NONE, kBase, 0, 0, 1});
    EXPECT_EQ(r.delay, ns(10));
    r = b.xlate(kBase, ACC_LOAD, ns(1005)); // cycle 100.5: 101, after a gap
    b.expect(r, {FAULT_NONE, kBase, 101, 101, 102});
    EXPECT_EQ(b.mmu.counters().idle_cycles, 101u - 2u);
    r = b.xlate(kBase, ACC_LOAD, ns(1020)); // the response cycle 102: free at 103
    b.expect(r, {FAULT_NONE, kBase, 102, 103, 104});
    r = b.xlate(kBase, ACC_LOAD, ns(1000)); // an earlier time still: accepted at 105
    b.expect(r, {FAULT_NONE, kBase, 100, 105, 106});
    r = b.xlate(kBase, ACC_LOAD, ns(1070)); // exactly cycle 107, the MMU idle since 107
    b.expect(r, {FAULT_NONE, kBase, 107, 107, 108});
    EXPECT_EQ(b.mmu.counters().idle_cycles, 99u);
}

// The same with walks: a request arriving in a walk's response cycle waits.
TEST_F(MmuTlmTiming, RequestInAWalksResponseCycleWaits)
{
    Bench b(contract_config());
    b.pt.map(kA, 0x80200000ull, kRW);
    b.pt.map(kB, 0x80201000ull, kRW);
    b.paging();
    Xlate r = b.xlate(kA, ACC_LOAD, b.cyc(3));
    b.expect(r, {FAULT_NONE, 0x80200000ull, 3, 3, 67});
    r = b.xlate(kB, ACC_LOAD, b.cyc(67));
    b.expect(r, {FAULT_NONE, 0x80201000ull, 67, 68, 132});
    r = b.xlate(kB, ACC_LOAD, b.cyc(140));
    b.expect(r, {FAULT_NONE, 0x80201000ull, 140, 140, 141});
}

// Handler time starts at the call's arrival (or when the MMU is idle), is
// booked as fault handling, and moves the delay past it.
TEST_F(MmuTlmTiming, HandlerWaitAdvancesTheDelay)
{
    Bench b(contract_config());
    Xlate r = b.xlate(kBase, ACC_LOAD, b.cyc(0));
    sc_time d = r.delay; // cycle 1; the MMU is idle from 2
    b.mmu.handler_wait(100, d);
    EXPECT_EQ(d, b.cyc(102));
    EXPECT_EQ(b.sim.st().cycles_wait, 100u);
    d = b.cyc(150); // 48 idle cycles first, not booked as handler time
    b.mmu.handler_wait(7, d);
    EXPECT_EQ(d, b.cyc(157));
    EXPECT_EQ(b.sim.st().cycles_wait, 107u);
    EXPECT_EQ(b.mmu.counters().idle_cycles, 48u);
    r = b.xlate(kBase, ACC_LOAD, d);
    b.expect(r, {FAULT_NONE, kBase, 157, 157, 158});
}

// A CSR write takes effect for the requests accepted after its time.
TEST_F(MmuTlmTiming, CsrWriteAppliesFromItsTime)
{
    Bench b(contract_config());
    b.pt.map(kA, 0x80200000ull, kRW);
    b.csr(VM_SV39, b.cyc(30));
    Xlate r = b.xlate(kA, ACC_LOAD, b.cyc(10)); // the engine is at 30 already
    b.expect(r, {FAULT_NONE, 0x80200000ull, 10, 30, 94});
    b.csr(VM_BARE, r.delay);
    r = b.xlate(kA, ACC_LOAD, r.delay); // Bare: PA = VA, outside DRAM
    b.expect(r, {FAULT_LOAD_ACCESS, 0, 94, 95, 96});
}

// No extension: a command error, and nothing happens at all.
TEST_F(MmuTlmTiming, PayloadWithoutExtensionIsACommandError)
{
    Bench b(contract_config());
    tlm::tlm_generic_payload gp;
    gp.set_address(kBase);
    gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_time d = b.cyc(50);
    b.cpu->socket->b_transport(gp, d);
    EXPECT_EQ(gp.get_response_status(), tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(d, b.cyc(50));
    EXPECT_EQ(mmu_now(b.sim.m), 0u);
    EXPECT_EQ(b.mmu.counters().translations, 0u);
    EXPECT_EQ(b.sim.st().requests, 0u);
}

// ACC_COUNT, the one value acc_t can hold that is no access type (any other
// would be undefined behaviour in the caller already): refused as a command
// error under either privilege, nothing happens.
TEST_F(MmuTlmTiming, OutOfRangeAccessIsACommandError)
{
    Bench b(contract_config());
    for (priv_t priv : {PRIV_U, PRIV_S}) {
        tlm::tlm_generic_payload gp;
        MmuXlateExt x;
        x.acc = ACC_COUNT;
        x.priv = priv;
        gp.set_extension(&x);
        gp.set_address(kBase);
        gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        sc_time d = b.cyc(50);
        b.cpu->socket->b_transport(gp, d);
        gp.clear_extension(&x);
        EXPECT_EQ(gp.get_response_status(), tlm::TLM_COMMAND_ERROR_RESPONSE) << priv;
        EXPECT_EQ(d, b.cyc(50));
    }
    EXPECT_EQ(mmu_now(b.sim.m), 0u);
    EXPECT_EQ(b.sim.st().requests, 0u);
}

// A cycle must take time: both modules refuse a zero period.
TEST_F(MmuTlmTiming, ZeroPeriodIsFatal)
{
    Sim s(contract_config());
    GoldenEngine engine(s.m);
    RecordReports reports;
    MmuTlm mmu("mmu", engine, sc_core::SC_ZERO_TIME);
    DramTlm dram("dram", s.dram, s.cfg.dram, sc_core::SC_ZERO_TIME);
    EXPECT_EQ(reports.messages(),
              std::vector<std::string>({"mmusim/MmuTlm: the cycle time must be above zero",
                                        "mmusim/DramTlm: the cycle time must be above zero"}));
}

} // namespace
} // namespace sctest
