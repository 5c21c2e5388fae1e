// test_sc_at.cc - MmuTlm under a running simulation: an approximately
// timed initiator (nb_transport_fw, which simple_target_socket turns into
// b_transport in a thread of its own) gets the loosely timed answers at the
// times they annotate, in the phases of the base protocol; and OsTlmCpu's
// os_hw_t calls come back as the MMU's answers with the CPU's time kept by
// its quantum keeper.
//
// Configuration: the contract one of mmu_fixture.h, 1 ns cycle: a walk
// takes 64 cycles, an L1 hit 1.

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include "os_tlm.h"
#include "sc_fixture.h"

namespace sctest {
namespace {

using namespace mmutest;
using sc_core::sc_time;

// Three pages: A and B readable and writable, X executable only.
constexpr uint64_t kA = 0x40203000ull, kB = 0x40204000ull, kX = 0x40205000ull;

// Maps them on b and turns paging on.
void map_pages(Bench &b)
{
    b.pt.map(kA, 0x80200000ull, kRW);
    b.pt.map(kB, 0x80201000ull, kRW);
    b.pt.map(kX, 0x80202000ull, PTE_V | PTE_X | PTE_A);
    b.paging();
}

// One request of the AT run: what, and how long after the previous
// response it arrives.
struct Req {
    uint64_t va;
    acc_t acc;
    double gap_ns;
};

// Arrivals in, and just after, the previous response cycle (accepted when
// the MMU is free), after gaps, at a fraction of a cycle; hits, walks, faults.
const Req kReqs[] = {
    {kA | 0x10, ACC_LOAD, 2},    {kA | 0x18, ACC_STORE, 0},  {kX, ACC_LOAD, 5},
    {kB | 0x20, ACC_LOAD, 3.5},  {kB | 0x20, ACC_STORE, 4},  {kX | 0x8, ACC_FETCH, 0.5},
    {0x7000000000ull, ACC_LOAD, 3},
};

// The AT initiator.  Request i goes out with BEGIN_REQ, its arrival given
// as the timing annotation; the answer must come as BEGIN_RESP on the
// backward path (standing for END_REQ as well, as the base protocol
// allows).  Even requests complete on that call; odd ones are accepted
// there and completed 3 ns later by END_RESP on the forward path.
class AtCpu : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<AtCpu> socket;
    std::vector<tlm::tlm_phase> bw_phases;
    std::vector<sc_time> resp_times;
    std::vector<MmuXlateExt> answers;

    explicit AtCpu(sc_core::sc_module_name name) : sc_module(name), socket("socket")
    {
        socket.register_nb_transport_bw(this, &AtCpu::nb_transport_bw);
    }

    // Sends every request at its time from arrivals; from a process.
    void run(const std::vector<sc_time> &arrivals)
    {
        for (size_t i = 0; i < arrivals.size(); i++) {
            tlm::tlm_generic_payload gp;
            MmuXlateExt *x = new MmuXlateExt;
            x->acc = kReqs[i].acc;
            x->priv = PRIV_S;
            gp.set_extension(x);
            gp.set_address(kReqs[i].va);
            gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
            complete_on_bw_ = i % 2 == 0;
            ASSERT_GE(arrivals[i], sc_core::sc_time_stamp()) << "request " << i;
            tlm::tlm_phase ph = tlm::BEGIN_REQ;
            sc_time t = arrivals[i] - sc_core::sc_time_stamp();
            EXPECT_EQ(socket->nb_transport_fw(gp, ph, t), tlm::TLM_ACCEPTED) << "request " << i;
            EXPECT_EQ(ph, tlm::BEGIN_REQ);
            sc_core::wait(answered_);
            EXPECT_EQ(gp.get_response_status(), tlm::TLM_OK_RESPONSE);
            answers.push_back(*x);
            if (!complete_on_bw_) {
                sc_core::wait(ns(3));
                ph = tlm::END_RESP;
                t = sc_core::SC_ZERO_TIME;
                EXPECT_EQ(socket->nb_transport_fw(gp, ph, t), tlm::TLM_COMPLETED) << "request " << i;
            }
        }
    }

private:
    // Records what the target sends back and when it takes effect; completes
    // the transaction now (even requests) or leaves it to run (odd ones).
    tlm::tlm_sync_enum nb_transport_bw(tlm::tlm_generic_payload &, tlm::tlm_phase &ph, sc_time &t)
    {
        bw_phases.push_back(ph);
        resp_times.push_back(sc_core::sc_time_stamp() + t);
        answered_.notify(t);
        return complete_on_bw_ ? tlm::TLM_COMPLETED : tlm::TLM_ACCEPTED;
    }

    bool complete_on_bw_ = true;
    sc_core::sc_event answered_;
};

using MmuTlmAt = ScTest;

TEST_F(MmuTlmAt, NonBlockingAnswersAsBlockingDoes)
{
    const size_t n = sizeof kReqs / sizeof kReqs[0];
    // The loosely timed run, in a context of its own: each arrival is the
    // previous answer's time plus the gap (plus the 3 ns of an END_RESP).
    std::vector<Xlate> lt;
    std::vector<sc_time> arrivals;
    {
        ScContext own;
        Bench b(contract_config());
        map_pages(b);
        sc_time t = sc_core::SC_ZERO_TIME;
        for (size_t i = 0; i < n; i++) {
            arrivals.push_back(t + ns(kReqs[i].gap_ns));
            lt.push_back(b.xlate(kReqs[i].va, kReqs[i].acc, arrivals.back()));
            t = lt.back().delay + (i % 2 ? ns(3) : sc_core::SC_ZERO_TIME);
        }
        // By hand: arrival 2, walk to 66; the store arrives in 66 and hits in 67..68.
        b.expect(lt[0], {FAULT_NONE, 0x80200010ull, 2, 2, 66});
        b.expect(lt[1], {FAULT_NONE, 0x80200018ull, 66, 67, 68});
    }

    Bench b(contract_config(), ns(1), Bench::Memory::kDramTlm, true, Bench::Cpu::kForeign);
    map_pages(b);
    AtCpu cpu("cpu");
    cpu.socket.bind(b.mmu.cpu_socket);
    ThreadRunner driver("driver", [&] { cpu.run(arrivals); });
    sc_core::sc_start();

    ASSERT_EQ(cpu.answers.size(), n);
    EXPECT_EQ(cpu.bw_phases, std::vector<tlm::tlm_phase>(n, tlm::BEGIN_RESP)) << "no END_REQ, one BEGIN_RESP each";
    for (size_t i = 0; i < n; i++) {
        SCOPED_TRACE(testing::Message() << "request " << i);
        EXPECT_EQ(cpu.resp_times[i], lt[i].delay);
        EXPECT_EQ(cpu.resp_times[i], b.cyc(cpu.answers[i].resp_cycle));
        expect_same_ext(cpu.answers[i], lt[i].x);
    }
}

// ================================================================ OsTlmCpu

// Sets the global quantum for the object's life (it is a process-wide singleton).
class Quantum {
public:
    explicit Quantum(const sc_time &q) : saved_(tlm::tlm_global_quantum::instance().get())
    {
        tlm::tlm_global_quantum::instance().set(q);
    }
    ~Quantum() { tlm::tlm_global_quantum::instance().set(saved_); }

private:
    sc_time saved_;
};

using OsTlmCpuTest = ScTest;

// The OS's calls, as the fault handler makes them, with a 10 ns quantum:
// the CPU's time is the MMU's answer, and the kernel's catches up with it
// once a quantum is used up.
TEST_F(OsTlmCpuTest, HardwareCallsAreTransactions)
{
    Quantum q(ns(10));
    Bench b(contract_config(), ns(1), Bench::Memory::kDramTlm, true, Bench::Cpu::kForeign);
    b.pt.map(kA, 0x80200000ull, kRW);
    OsTlmCpu cpu("cpu", b.mmu, b.sim.dram, b.sim.m);
    cpu.socket.bind(b.mmu.cpu_socket);
    ThreadRunner driver("driver", [&] {
        const os_hw_t &hw = cpu.machine()->hw;
        mmu_csr_t csr{VM_SV39, kRoot >> PAGE_SHIFT, 0, 0};
        hw.set_csr(hw.ctx, &csr);
        EXPECT_EQ(cpu.now(), ns(0));
        mmu_req_t q = make_req(kA | 0x30, ACC_LOAD, PRIV_S, 3);
        mmu_resp_t r{};
        EXPECT_EQ(hw.translate(hw.ctx, &q, &r), FAULT_NONE); // walk 0..64
        EXPECT_EQ(r.pa, 0x80200030ull);
        EXPECT_EQ(r.cycle, 64u);
        EXPECT_EQ(r.latency, 64u);
        EXPECT_EQ(cpu.now(), ns(64));
        EXPECT_EQ(sc_core::sc_time_stamp(), ns(64)) << "64 ns is past the quantum: synchronised";
        q.acc = ACC_STORE;
        q.replay = 1;
        EXPECT_EQ(hw.translate(hw.ctx, &q, &r), FAULT_NONE); // arrives in 64, hits in 65..66
        EXPECT_EQ(r.cycle, 66u);
        EXPECT_EQ(r.latency, 1u);
        EXPECT_EQ(cpu.now(), ns(66));
        EXPECT_EQ(sc_core::sc_time_stamp(), ns(64)) << "within the quantum (next sync at 70 ns)";
        hw.wait(hw.ctx, 100); // from 67, idle since
        EXPECT_EQ(cpu.now(), ns(167));
        mmu_sfence_t f = make_fence(0, 0, 0, 0);
        hw.sfence(hw.ctx, &f); // cycle 167
        EXPECT_EQ(cpu.now(), ns(168));
        q.replay = 0;
        EXPECT_EQ(hw.translate(hw.ctx, &q, &r), FAULT_NONE); // fenced: walks 168..232
        EXPECT_EQ(r.cycle, 232u);
        EXPECT_EQ(r.latency, 64u);
        cpu.keeper().sync();
        EXPECT_EQ(sc_core::sc_time_stamp(), ns(232));
    });
    sc_core::sc_start();
    EXPECT_EQ(b.sim.st().cycles_wait, 100u);
    EXPECT_EQ(b.sim.st().sfences, 1u);
    EXPECT_EQ(b.sim.st().replays, 1u);
    EXPECT_EQ(b.mmu.counters().translations, 3u);
}

} // namespace
} // namespace sctest
