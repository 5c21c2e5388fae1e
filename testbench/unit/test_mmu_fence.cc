// test_mmu_fence.cc - sfence.vma and CSR changes while a request is in
// flight on the cycle-level path (docs/timing.md, "sfence.vma"): the request
// completes with its normal timing and result but installs nothing; a fence
// or change after the response cycle leaves the fill alone; req_ready and
// back-to-back accepts.  Cycles are worked out by hand beside each check.

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <vector>

#include "mmu_fixture.h"
#include "tlb.h"

namespace mmutest {
namespace {

// Puts f on the sfence port in cycles first..last.
CycleHook fence_in(uint64_t first, uint64_t last, const mmu_sfence_t &f)
{
    return [=](uint64_t now, mmu_in_t &in) {
        if (now >= first && now <= last)
            in.sfence = f;
    };
}

// Writes satp (root as a byte address), SUM and MXR of s at the start of cycle at.
CycleHook csr_at(Sim &s, uint64_t at, uint64_t root, int sum, int mxr)
{
    return [=, &s](uint64_t now, mmu_in_t &) {
        if (now == at)
            s.paging(root, sum, mxr);
    };
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
            OnePage s(c);
            uint64_t f = fc + 1;
            mmu_req_t q = make_req(kVa, ACC_LOAD, PRIV_S, 3);
            Flight fl = fly(s, &s.port.p, q, fence_in(f, f, make_fence(fm.use_va, fm.va, fm.use_asid, fm.asid)));
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
            Flight fl2 = fly(s, &s.port.p, q);
            EXPECT_EQ(fl2.accept, 66u);
            EXPECT_EQ(fl2.resp.cycle, 131u);
            EXPECT_EQ(s.st().mem_reads, 6u);
            EXPECT_EQ(s.valid(TLB_L1), 1u);
            EXPECT_EQ(s.pwc_valid(), 2u);
            // Installed this time: 132 -> 133.
            Flight fl3 = fly(s, &s.port.p, q);
            EXPECT_EQ(fl3.resp.cycle, 133u);
            EXPECT_EQ(s.st().cycles, 134u);
        }
    }
}

// The in-flight window ends with the response cycle r (docs/timing.md): the
// fill happens at the end of r, so an event in cycle r + 1 must leave it.
// Flies a load of kVa with a walk cache (accepted at 0, s = 0 + T1 + Tp = 2,
// three reads of 20 + 1: r = 65), runs cycle 66 = r + 1 idle with `event`,
// checks the fill is still there and serves the next request; returns the
// outputs of cycle 66.
mmu_out_t expect_fill_survives(const std::function<void(Sim &, mmu_in_t &)> &event)
{
    sim_config_t c = contract_config();
    c.pwc.entries = 4;
    OnePage s(c);
    mmu_req_t q = make_req(kVa, ACC_LOAD);
    Flight fl = fly(s, &s.port.p, q);
    EXPECT_EQ(fl.resp.cycle, 65u);
    EXPECT_EQ(mmu_now(s.m), 66u);
    mmu_in_t in{};
    event(s, in);
    mmu_out_t out = run_cycle(s.m, &s.port.p, in);
    EXPECT_EQ(s.valid(TLB_L1), 1u);
    EXPECT_EQ(s.pwc_valid(), 2u); // the pointers of levels 2 and 1
    // Accepted at 67: an L1 hit, r = 68, no second walk.
    fl = fly(s, &s.port.p, q);
    EXPECT_EQ(fl.accept, 67u);
    EXPECT_EQ(fl.resp.cycle, 68u);
    EXPECT_EQ(s.st().walks, 1u);
    return out;
}

TEST(MmuFence, FenceAfterResponseDoesNotBlockInstall)
{
    // A fence for another page in r + 1: it removes nothing it does not match,
    // and holds req_ready low in its own cycle.
    mmu_out_t out = expect_fill_survives(
        [](Sim &, mmu_in_t &in) { in.sfence = make_fence(1, 0x7000000ull, 0, 0); });
    EXPECT_EQ(out.req_ready, 0);
}

TEST(MmuFence, CsrChangeAfterResponseDoesNotBlockInstall)
{
    // SUM and MXR written in r + 1, while the MMU is idle again.
    mmu_out_t out = expect_fill_survives([](Sim &s, mmu_in_t &) { s.paging(kRoot, 1, 1); });
    EXPECT_EQ(out.req_ready, 1);
}

TEST(MmuFence, ReqReadyLowWithSfenceAndBackToBackAccept)
{
    OnePage s(contract_config());
    mmu_req_t q = make_req(kVa, ACC_LOAD);
    // Request offered from cycle 0, fence valid in cycles 0 and 1: accepted at 2.
    Flight fl = fly(s, &s.port.p, q, fence_in(0, 1, make_fence(0, 0, 0, 0)));
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
        mmu_out_t out = run_cycle(s.m, &s.port.p, in);
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
    EXPECT_EQ(accepts, (std::vector<uint64_t>{67, 69, 113}));
    EXPECT_EQ(resps, (std::vector<uint64_t>{68, 112, 114}));
    // req_ready: high at 67, low at 68 (responding), high at 69, low 70..112.
    ASSERT_GE(ready.size(), 112u - 67u + 1);
    EXPECT_EQ(ready[0], 1);
    EXPECT_EQ(ready[1], 0);
    EXPECT_EQ(ready[2], 1);
    for (size_t k = 3; k <= 112 - 67; k++)
        EXPECT_EQ(ready[k], 0) << "cycle " << 67 + k;
}

TEST(MmuFence, L2HitInFlightDoesNotFillL1)
{
    sim_config_t c = contract_config();
    c.l2 = {16, 4, REPL_LRU, 4, 1};
    OnePage s(c);
    mmu_req_t q = make_req(kVa, ACC_LOAD);
    Flight fl = fly(s, &s.port.p, q);
    EXPECT_EQ(fl.resp.cycle, 68u); // s = 5, + 63
    tlb_flush(mmu_tlb(s.m, TLB_L1), 0, 0, 0, 0);
    // Accept at 69, L2 hit, r = 69 + 5 = 74; a fence for another page at 72.
    fl = fly(s, &s.port.p, q, fence_in(72, 72, make_fence(1, 0x7000000ull, 0, 0)));
    EXPECT_EQ(fl.accept, 69u);
    EXPECT_EQ(fl.resp.cycle, 74u);
    EXPECT_EQ(fl.resp.pa, kPa | 0x567);
    EXPECT_EQ(s.valid(TLB_L1), 0u);
    EXPECT_EQ(s.valid(TLB_L2), 1u);
    // Again without a fence: L2 hit 75 -> 80, and now L1 is filled; 81 -> 82.
    fl = fly(s, &s.port.p, q);
    EXPECT_EQ(fl.resp.cycle, 80u);
    EXPECT_EQ(s.valid(TLB_L1), 1u);
    fl = fly(s, &s.port.p, q);
    EXPECT_EQ(fl.resp.cycle, 82u);
}

TEST(MmuFence, CsrChangeInFlightInstallsNothing)
{
    sim_config_t c = contract_config();
    c.pwc.entries = 4; // every walk here: s = a + T1 + Tp = a + 2, three reads: r = a + 65
    Sim s(c);
    // Two address spaces mapping the same VA to different pages.
    const uint64_t root_b = 0x80009000ull;
    PageTable pa_tab(s.dram, 3, kRoot, 0x80100000ull);
    PageTable pb_tab(s.dram, 3, root_b, 0x80200000ull);
    pa_tab.map(kVa, 0x80500000ull, kRW);
    pb_tab.map(kVa, 0x80600000ull, kRW);
    s.paging(kRoot);
    Port port(s.dram, c.dram);
    const mmu_req_t q = make_req(kVa, ACC_LOAD);

    // One request each, in this order; a request whose CSRs change between its
    // accept and its response inclusive answers with the CSRs of its accept
    // cycle and installs nothing.
    struct Step {
        const char *what;
        bool fence_first; // a functional sfence of everything (one cycle) before it
        uint64_t at;      // the cycle of the CSR write; 0: none
        int sum, mxr;     // written with root B
        uint64_t accept, resp, pa;
        unsigned l1;      // L1 entries after it
    } steps[] = {
        // satp A -> B at 20: the walk reads A's tables all the same.
        {"satp root in flight", false, 20, 0, 0, 0, 65, 0x80500567ull, 0},
        // Under B from the accept: a full walk of B's tables, installed.
        {"no change", false, 0, 0, 0, 66, 131, 0x80600567ull, 1},
        // The fence takes cycle 132; SUM 0 -> 1 at 140.
        {"SUM in flight", true, 140, 1, 0, 133, 198, 0x80600567ull, 0},
        // The fence takes cycle 199; MXR 0 -> 1 at 210.
        {"MXR in flight", true, 210, 1, 1, 200, 265, 0x80600567ull, 0},
        // SUM 1 -> 0 in the response cycle r = 331 itself still counts.
        {"SUM in the response cycle", false, 331, 0, 1, 266, 331, 0x80600567ull, 0},
        // Writing the values it already has is not a change.
        {"same values rewritten", false, 350, 0, 1, 332, 397, 0x80600567ull, 1},
    };
    for (const Step &k : steps) {
        SCOPED_TRACE(k.what);
        if (k.fence_first)
            s.fence_all();
        Flight fl = k.at ? fly(s, &port.p, q, csr_at(s, k.at, root_b, k.sum, k.mxr)) : fly(s, &port.p, q);
        EXPECT_EQ(fl.accept, k.accept);
        EXPECT_EQ(fl.resp.fault, FAULT_NONE);
        EXPECT_EQ(fl.resp.pa, k.pa);
        EXPECT_EQ(fl.resp.cycle, k.resp);
        EXPECT_EQ(s.valid(TLB_L1), k.l1);
        EXPECT_EQ(s.pwc_valid(), 2 * k.l1); // the walk cache is filled with the L1 or not at all
    }
}

} // namespace
} // namespace mmutest
