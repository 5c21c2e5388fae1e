// test_sc_target.cc - MmuTlm's walker on memory targets other than DramTlm:
// the latency the walk sees is each access's annotated delay in whole
// cycles, rounded up and at least one (docs/timing.md: a memory response
// never comes in its request's cycle), and the walk's cycles follow from
// docs/timing.md's r = s + sum(Li + 1) with those latencies, whether the
// target annotates its time or waits it out.  A target that answers with an
// error stops the simulation.
//
// Configuration: the contract one of mmu_fixture.h (T1 = 1, so s = 1 for a
// request accepted in cycle 0), kVa = 0x40203567 walked through 3 levels.

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <tlm_utils/simple_target_socket.h>

#include "sc_fixture.h"

namespace sctest {
namespace {

using namespace mmutest;
using sc_core::sc_time;

// A memory target on a DRAM image that answers an access starting at time
// `start` at time when(start), or with status when that is not OK; it
// records every start and counts writes.  How it spends the time: all of
// it annotated on the delay (the LT rule), or, synchronising first
// (wait() to the start), all of it waited, or half waited and the rest
// annotated.
class TimedTarget : public sc_core::sc_module {
public:
    using When = std::function<sc_time(const sc_time &start)>;
    enum class Sync { kAnnotate, kWait, kHalf };

    tlm_utils::simple_target_socket<TimedTarget> socket;
    std::vector<sc_time> starts;
    unsigned writes = 0;
    tlm::tlm_response_status status = tlm::TLM_OK_RESPONSE;

    TimedTarget(sc_core::sc_module_name name, dram_t *d, When when, Sync sync = Sync::kAnnotate)
        : sc_module(name), socket("socket"), d_(d), when_(std::move(when)), sync_(sync)
    {
        socket.register_b_transport(this, &TimedTarget::b_transport);
    }

private:
    void b_transport(tlm::tlm_generic_payload &gp, sc_time &delay)
    {
        const sc_time start = sc_core::sc_time_stamp() + delay;
        starts.push_back(start);
        if (status != tlm::TLM_OK_RESPONSE) {
            gp.set_response_status(status);
            return;
        }
        int rc;
        if (gp.is_write()) {
            writes++;
            rc = dram_write(d_, gp.get_address(), gp.get_data_ptr(), gp.get_data_length());
        } else {
            rc = dram_read(d_, gp.get_address(), gp.get_data_ptr(), gp.get_data_length());
        }
        EXPECT_EQ(rc, 0) << std::hex << gp.get_address();
        gp.set_response_status(tlm::TLM_OK_RESPONSE);
        const sc_time end = when_(start);
        if (sync_ != Sync::kAnnotate) {
            sc_core::wait(delay);
            sc_core::wait(sync_ == Sync::kWait ? end - start : (end - start) / 2);
        }
        delay = end - sc_core::sc_time_stamp();
    }

    dram_t *d_;
    When when_;
    Sync sync_;
};

// A target answering every access `took` after its start.
TimedTarget::When after(const sc_time &took)
{
    return [took](const sc_time &start) { return start + took; };
}

// The times of cycles c of period p.
std::vector<sc_time> times(const sc_time &p, std::initializer_list<uint64_t> c)
{
    std::vector<sc_time> v;
    for (uint64_t n : c)
        v.push_back(sc_time::from_value(p.value() * n));
    return v;
}

using ForeignTarget = ScTest;

// Seven cycles an access: reads issued at 1, 9, 17, each the cycle after
// the previous answer; response at 1 + 3 * 8 = 25.  Under svadu a store to
// the page (D = 0) walks again from 26: reads at 27, 35, 43, the D write at
// 51, response at 26 + 1 + 4 * 8 = 59.
TEST_F(ForeignTarget, ConstantSevenCycles)
{
    sim_config_t c = contract_config();
    c.ad = AD_SVADU;
    Bench b(c, ns(1), Bench::Memory::kForeign);
    TimedTarget mem("mem", b.sim.dram, after(ns(7)));
    b.mmu.mem_socket.bind(mem.socket);
    const uint64_t pte = b.pt.map(kVa, kPa, PTE_V | PTE_R | PTE_W | PTE_A);
    b.paging();
    Xlate r = b.xlate(kVa, ACC_LOAD, ns(0));
    b.expect(r, {FAULT_NONE, kPa | 0x567, 0, 0, 25});
    EXPECT_EQ(mem.starts, times(ns(1), {1, 9, 17}));
    mem.starts.clear();
    r = b.xlate(kVa, ACC_STORE, ns(26));
    b.expect(r, {FAULT_NONE, kPa | 0x567, 26, 26, 59});
    EXPECT_EQ(mem.starts, times(ns(1), {27, 35, 43, 51}));
    EXPECT_EQ(mem.writes, 1u);
    EXPECT_EQ(b.sim.peek(pte) & PTE_D, PTE_D);
}

// A delay of `took` at a 10 ns cycle counts as `cycles`.
struct Rounding {
    double took_ns;
    uint64_t cycles;
};

class ForeignRounding : public ScTest, public ::testing::WithParamInterface<Rounding> {};

TEST_P(ForeignRounding, DelayCountsInWholeCyclesAtLeastOne)
{
    const Rounding &p = GetParam();
    const uint64_t k = p.cycles + 1; // one PTE read, answer to next action
    Bench b(contract_config(), ns(10), Bench::Memory::kForeign);
    TimedTarget mem("mem", b.sim.dram, after(ns(p.took_ns)));
    b.mmu.mem_socket.bind(mem.socket);
    b.pt.map(kVa, kPa, kRW);
    b.paging();
    Xlate r = b.xlate(kVa, ACC_LOAD, ns(0));
    b.expect(r, {FAULT_NONE, kPa | 0x567, 0, 0, 1 + 3 * k});
    EXPECT_EQ(mem.starts, times(ns(10), {1, 1 + k, 1 + 2 * k}));
}

INSTANTIATE_TEST_SUITE_P(Delays, ForeignRounding,
                         ::testing::Values(Rounding{70, 7},      // exactly 7 cycles
                                           Rounding{62, 7},      // 6.2: up to 7
                                           Rounding{60.001, 7},  // 6.0001: up to 7
                                           Rounding{79.999, 8},  // 7.9999: up to 8
                                           Rounding{0.001, 1},   // 1 ps: one cycle
                                           Rounding{0, 1}));     // no delay: still one cycle

// A target that answers on a 16-cycle slot boundary, strictly after the
// start: it sees each access at its issue cycle (1, 17, 33), answers at 16,
// 32, 48; response at 49.
TEST_F(ForeignTarget, AnswerDependsOnTheStartTime)
{
    Bench b(contract_config(), ns(1), Bench::Memory::kForeign);
    const sc_time slot = ns(16);
    TimedTarget mem("mem", b.sim.dram, [slot](const sc_time &start) {
        return sc_time::from_value((start.value() / slot.value() + 1) * slot.value());
    });
    b.mmu.mem_socket.bind(mem.socket);
    b.pt.map(kVa, kPa, kRW);
    b.paging();
    Xlate r = b.xlate(kVa, ACC_LOAD, ns(0));
    b.expect(r, {FAULT_NONE, kPa | 0x567, 0, 0, 49});
    EXPECT_EQ(mem.starts, times(ns(1), {1, 17, 33}));
}

// DramTlm on a 2 ns clock under a 1 ns MMU: its 20 cycles are 40 of the
// MMU's; response at 1 + 3 * 41 = 124.
TEST_F(ForeignTarget, DramOnASlowerClock)
{
    Bench b(contract_config(), ns(1), Bench::Memory::kForeign);
    DramTlm mem("mem", b.sim.dram, b.sim.cfg.dram, ns(2));
    b.mmu.mem_socket.bind(mem.socket);
    b.pt.map(kVa, kPa, kRW);
    b.paging();
    Xlate r = b.xlate(kVa, ACC_LOAD, ns(0));
    b.expect(r, {FAULT_NONE, kPa | 0x567, 0, 0, 124});
}

// A target that spends its time in wait() (an LT target that synchronises)
// times the walk as one that annotates: reads at 1, 9, 17, response at 25.
// The call returns when the target does: after the last read has ended at
// 24 ns, or, half of each 7 ns waited, at 17 + 3.5 ns.  The rest, to the
// response cycle, is annotated.
TEST_F(ForeignTarget, TargetThatWaitsTimesTheSame)
{
    for (TimedTarget::Sync sync : {TimedTarget::Sync::kWait, TimedTarget::Sync::kHalf}) {
        const bool all = sync == TimedTarget::Sync::kWait;
        SCOPED_TRACE(all ? "waits" : "half waits");
        ScContext own;
        Bench b(contract_config(), ns(1), Bench::Memory::kForeign);
        TimedTarget mem("mem", b.sim.dram, after(ns(7)), sync);
        b.mmu.mem_socket.bind(mem.socket);
        b.pt.map(kVa, kPa, kRW);
        b.paging();
        ThreadRunner cpu("cpu", [&] {
            Xlate r = b.xlate(kVa, ACC_LOAD, ns(0));
            b.expect(r, {FAULT_NONE, kPa | 0x567, 0, 0, 25});
            EXPECT_EQ(sc_core::sc_time_stamp(), all ? ns(24) : ns(20.5));
        });
        sc_core::sc_start();
        EXPECT_EQ(mem.starts, times(ns(1), {1, 9, 17}));
    }
}

// Two initiator processes: a's walk is in flight, its target waiting, when
// b calls in at 5 ns; b waits its turn and is accepted when the MMU is free.
// a: accepted in 0, reads at 1, 9, 17, response 25.  b: accepted in 26,
// reads at 27, 35, 43, response 51.
TEST_F(ForeignTarget, SecondInitiatorWaitsItsTurn)
{
    Bench b(contract_config(), ns(1), Bench::Memory::kForeign);
    TimedTarget mem("mem", b.sim.dram, after(ns(7)), TimedTarget::Sync::kWait);
    b.mmu.mem_socket.bind(mem.socket);
    const uint64_t vb = kVa + PAGE_SIZE, pb = 0x80200000ull;
    b.pt.map(kVa, kPa, kRW);
    b.pt.map(vb, pb, kRW);
    b.paging();
    ThreadRunner cpu_a("cpu_a", [&] {
        Xlate r = b.xlate(kVa, ACC_LOAD, ns(0));
        b.expect(r, {FAULT_NONE, kPa | 0x567, 0, 0, 25});
    }, false);
    // b calls at 5 ns with 3 ns annotated, while a's walk is in flight: it
    // arrives at 8 (its own time, not the time its turn came), is accepted
    // when the MMU is free at 26 and answered at 51.
    ThreadRunner cpu_b("cpu_b", [&] {
        sc_core::wait(ns(5));
        Xlate r = b.xlate(vb, ACC_LOAD, ns(3));
        b.expect(r, {FAULT_NONE, pb | 0x567, 8, 26, 51});
        EXPECT_EQ(sc_core::sc_time_stamp() + r.delay, ns(51));
    });
    sc_core::sc_start();
    EXPECT_EQ(mem.starts, times(ns(1), {1, 9, 17, 27, 35, 43}));
}

// The walker only issues PTE addresses inside the configured DRAM, so an
// error response means the platform is wrong: a fatal report naming the access.
TEST_F(ForeignTarget, ErrorResponseIsFatal)
{
    Bench b(contract_config(), ns(1), Bench::Memory::kForeign);
    TimedTarget mem("mem", b.sim.dram, after(ns(7)));
    mem.status = tlm::TLM_ADDRESS_ERROR_RESPONSE;
    b.mmu.mem_socket.bind(mem.socket);
    b.paging();
    RecordReports reports;
    b.xlate(kVa, ACC_LOAD, ns(0)); // the handler returns: the walk goes on with nothing read
    ASSERT_FALSE(reports.messages().empty());
    const std::string &msg = reports.messages().front();
    EXPECT_EQ(msg.rfind("mmusim/MmuTlm: walker access at " + std::to_string(kRoot + 8), 0), 0u) << msg;
    EXPECT_NE(msg.find("TLM_ADDRESS_ERROR_RESPONSE"), std::string::npos) << msg;
}

} // namespace
} // namespace sctest
