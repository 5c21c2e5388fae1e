// test_sc_agree.cc - MmuTlm on random streams against an independent
// golden MMU of the same configuration and page tables, driven through
// memport_translate (model/memport.h) with the same DRAM timing: every
// translation's fault, PA and cycles, and every annotated delay (request,
// fence, handler time), must be what the golden MMU's cycles say.  The
// streams (mmu_world.h) mix every PTE shape, ASIDs, replays, CSR values,
// fences of all four forms and Bare mode; the test adds the time between
// calls: arrivals in the previous response cycle, at the first free cycle,
// after gaps, at fractions of a cycle and in the past, and handler time
// after faults.
//
// The random tests print their seed; MMUSIM_SEED=<n> reruns with another.

#include <gtest/gtest.h>

#include <cinttypes>
#include <cstdint>
#include <cstring>
#include <random>

#include "mmu_world.h"
#include "sc_fixture.h"
#include "seed.h"

namespace sctest {
namespace {

using namespace mmutest;
using sc_core::sc_time;

constexpr uint64_t kSeed = 20240705; // MMUSIM_SEED's default for this suite

// The golden side: its own MMU and DRAM image holding the world, and an
// always-ready memport with the configuration's timing.
struct Golden {
    Sim sim;
    Port port;

    Golden(const sim_config_t &c, const World &w) : sim(c), port(sim.dram, c.dram) { load_world(sim.dram, w); }
    uint64_t now() const { return mmu_now(sim.m); }
    // Clocks idle cycles until cycle c; nothing when already there.
    void idle_to(uint64_t c)
    {
        while (now() < c)
            run_cycle(sim.m, &port.p, mmu_in_t{});
    }
    // n cycles in the fault handler, clocked, then booked as such.
    void handler(uint64_t n)
    {
        idle_to(now() + n);
        mmu_book_wait(sim.m, n);
    }
};

// The next call's time after the initiator's time t (the previous call's
// annotated time), at cycle period p.
sc_time next_arrival(std::mt19937_64 &rng, const sc_time &t, const sc_time &p)
{
    const uint64_t tv = t.value(), pv = p.value();
    switch (rng() % 10) {
    case 0: case 1: case 2: case 3:
        return t; // in the previous response cycle: the MMU is busy in it
    case 4: case 5:
        return sc_time::from_value(tv + pv);
    case 6: case 7:
        return sc_time::from_value(tv + pv * (2 + rng() % 60));
    case 8:
        return sc_time::from_value(tv + pv * (rng() % 4) + 1 + rng() % (pv - 1));
    default: // another initiator, behind in time
        return sc_time::from_value(tv > 30 * pv ? tv - pv * (rng() % 30) : 0);
    }
}

// Runs n operations of a random stream on configuration c through the
// component (at cycle period p; fast: the engine's hit shortcut allowed)
// and through the golden MMU; stops after a few disagreements.
void agree_run(const char *name, const sim_config_t &c, uint64_t seed, int n, const sc_time &p, bool fast)
{
    SCOPED_TRACE(testing::Message() << "config " << name << " seed " << seed << " period " << p.to_string()
                                    << (fast ? " fast" : " cycle path"));
    std::mt19937_64 rng(seed);
    World w = build_world(rng, vm_levels(c.mode), c.dram.base, c.dram.size);
    Golden g(c, w);
    ScContext own;
    Bench b(c, p, Bench::Memory::kDramTlm, fast);
    load_world(b.sim.dram, w);
    Stream stream(rng, w, c);

    sc_time t = sc_core::SC_ZERO_TIME;
    bool faulted = false;
    int failures = 0;
    uint64_t waits = 0, fences = 0, walks = 0;
    for (int i = 0; i < n && failures < 3; i++) {
        Op op = stream.next();
        SCOPED_TRACE(testing::Message() << "op " << i << ": " << describe(op));
        sc_time at = next_arrival(rng, t, p);
        g.idle_to(at.value() / p.value() + (at.value() % p.value() != 0));
        if (faulted && rng() % 2) {
            const uint64_t k = 1 + rng() % 200;
            b.mmu.handler_wait(k, at);
            g.handler(k);
            EXPECT_EQ(at, b.cyc(g.now())) << "handler_wait " << k;
            waits++;
        }
        const uint64_t arrival = at.value() / p.value() + (at.value() % p.value() != 0);
        sc_time d = at;
        b.mmu.set_csr(op.csr, d);
        mmu_set_csr(g.sim.m, &op.csr);
        if (op.fence) {
            b.mmu.sfence(op.f, d);
            memport_sfence(&g.port.p, g.sim.m, &op.f);
            EXPECT_EQ(d, b.cyc(g.now())) << "sfence";
            failures += d != b.cyc(g.now());
            t = d;
            fences++;
            continue;
        }
        const uint64_t gw = g.sim.st().walks;
        Xlate r = b.xlate(op.q.va, op.q.acc, at, op.q.priv, op.q.asid, op.q.replay != 0);
        mmu_resp_t gr{};
        memport_translate(&g.port.p, g.sim.m, &op.q, &gr);
        walks += g.sim.st().walks != gw;
        const MmuXlateExt &x = r.x;
        const bool ok = r.status == tlm::TLM_OK_RESPONSE && x.fault == gr.fault &&
                        (gr.fault != FAULT_NONE || x.pa == gr.pa) && x.arrival_cycle == arrival &&
                        x.accept_cycle == gr.cycle - gr.latency && x.resp_cycle == gr.cycle &&
                        r.delay == b.cyc(gr.cycle);
        EXPECT_TRUE(ok) << "component: " << fault_name(x.fault) << " pa " << std::hex << x.pa << std::dec
                        << " arrival " << x.arrival_cycle << " accept " << x.accept_cycle << " resp "
                        << x.resp_cycle << " delay " << r.delay.to_string() << "\ngolden:    "
                        << fault_name(gr.fault) << " pa " << std::hex << gr.pa << std::dec << " arrival "
                        << arrival << " accept " << gr.cycle - gr.latency << " resp " << gr.cycle;
        failures += !ok;
        stream.result(gr.fault);
        faulted = gr.fault != FAULT_NONE;
        t = r.delay;
    }
    // The engine's model booked everything as the golden one did.
    EXPECT_EQ(std::memcmp(&b.sim.st(), &g.sim.st(), sizeof(mmu_stats_t)), 0) << "statistics differ";
    EXPECT_GT(walks, 0u);
    EXPECT_GT(fences, 0u);
    EXPECT_GT(waits, 0u);
}

TEST(MmuTlmAgree, ContractConfigMatchesGolden)
{
    const uint64_t seed = test_seed(kSeed);
    agree_run("contract", contract_config(), seed, 10000, ns(1), true);
}

TEST(MmuTlmAgree, RandomConfigsMatchGolden)
{
    const uint64_t seed = test_seed(kSeed + 1);
    std::mt19937_64 rng(seed);
    const sc_time periods[] = {ns(1), ns(10), sc_time(750, sc_core::SC_PS)};
    for (int i = 0; i < 12; i++) {
        const sim_config_t c = random_config(rng);
        const std::string name = "random #" + std::to_string(i);
        agree_run(name.c_str(), c, rng(), 4000, periods[i % 3], i % 2 == 0);
    }
}

} // namespace
} // namespace sctest
