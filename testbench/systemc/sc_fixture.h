// sc_fixture.h - what the SystemC suites (test_sc_*.cc) share: a simulation
// context of each test's own, the MMU component on the golden model with
// DramTlm (or a memory target the test binds), page tables written with
// mmu_fixture.h's builder, and one translation flown as a transaction.
//
// Times: a suite that never calls sc_start stays at simulation time 0, so an
// annotated delay is an absolute time and cycle n of the MMU is n periods.
#ifndef MMUSIM_SC_FIXTURE_H
#define MMUSIM_SC_FIXTURE_H

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "dram_tlm.h"
#include "mmu_fixture.h"
#include "mmu_tlm.h"

namespace sctest {

// A simulation context of its own, current from construction to
// destruction: modules built meanwhile belong to it and sc_start runs it.
// SystemC 2.3.4 forbids new modules once a context has started, so each
// test gets one; modules must be gone before it is.
class ScContext {
public:
    ScContext();
    ~ScContext();
    ScContext(const ScContext &) = delete;
    ScContext &operator=(const ScContext &) = delete;

private:
    sc_core::sc_simcontext *saved_, *mine_;
};

// The fixture of every SystemC suite: the test body runs in a fresh context.
class ScTest : public ::testing::Test {
private:
    ScContext ctx_;
};

// While the object lives, reports of severity SC_ERROR and above are
// recorded instead of acted on (the code that reported carries on), so that
// a fatal check can be seen to fire.  Neither abort nor throw: once a
// simulation has run, libsystemc's thread switches leave ASan's idea of the
// main stack wrong, and a C++ throw then trips a false report.
class RecordReports {
public:
    RecordReports();
    ~RecordReports();
    RecordReports(const RecordReports &) = delete;
    RecordReports &operator=(const RecordReports &) = delete;

    // "msg_type: message" of each report recorded, oldest first.
    const std::vector<std::string> &messages() const;

private:
    sc_core::sc_report_handler_proc saved_;
};

// n nanoseconds.
inline sc_core::sc_time ns(double n) { return sc_core::sc_time(n, sc_core::SC_NS); }

// One translation as its initiator saw it.
struct Xlate {
    MmuXlateExt x;          // the extension after b_transport
    sc_core::sc_time delay; // the annotated delay after b_transport
    tlm::tlm_response_status status;
};

// What a test works out by hand for one translation (pa 0 with a fault).
struct Want {
    fault_t fault;
    uint64_t pa, arrival, accept, resp;
};

// An initiator socket for Bench's translations: elaboration (sc_start)
// wants the MMU's cpu_socket bound.
struct CpuPort : sc_core::sc_module {
    tlm_utils::simple_initiator_socket<CpuPort> socket;
    explicit CpuPort(sc_core::sc_module_name name) : sc_module(name), socket("socket") {}
};

// Every field of a, request and response, equals b's.
void expect_same_ext(const MmuXlateExt &a, const MmuXlateExt &b);

// The component on one golden MMU: mmutest::Sim (configuration, DRAM,
// model), the page-table builder on that DRAM with root mmutest::kRoot,
// MmuTlm on a GoldenEngine, DramTlm on mem_socket unless the test binds its
// own target there (Memory::kForeign) before the first walk, and a CpuPort
// on cpu_socket unless the test binds its own initiator (Cpu::kForeign).
struct Bench {
    enum class Memory { kDramTlm, kForeign };
    enum class Cpu { kBench, kForeign };

    mmutest::Sim sim;
    mmutest::PageTable pt;
    GoldenEngine engine;
    MmuTlm mmu;
    std::unique_ptr<DramTlm> dram;
    std::unique_ptr<CpuPort> cpu;
    sc_core::sc_time period;

    // fast: the engine may take its L1-hit shortcut.
    explicit Bench(const sim_config_t &c, const sc_core::sc_time &period = ns(1), Memory mem = Memory::kDramTlm,
                   bool fast = true, Cpu port = Cpu::kBench);

    // Cycle n of the MMU (which started at time 0) as a time.
    sc_core::sc_time cyc(uint64_t n) const { return sc_core::sc_time::from_value(period.value() * n); }
    // satp, SUM, MXR through MmuTlm::set_csr at time `at`; root mmutest::kRoot.
    void csr(vm_mode_t mode, const sc_core::sc_time &at, int sum = 0, int mxr = 0);
    // Paging in the configured mode from time 0.
    void paging(int sum = 0, int mxr = 0) { csr(sim.cfg.mode, sc_core::SC_ZERO_TIME, sum, mxr); }
    // A b_transport of va through the CpuPort with annotated delay at; the payload owns its extension.
    Xlate xlate(uint64_t va, acc_t acc, const sc_core::sc_time &at, priv_t priv = PRIV_S, uint16_t asid = 0,
                bool replay = false);
    // Checks r against w: status OK, every response field, the cycles, and
    // the delay ending at the response cycle.
    void expect(const Xlate &r, const Want &w) const;
};

// An SC_THREAD that runs body once.  The last one to finish (last: the
// test knows which) ends the simulation cleanly: it kills every other
// process still alive, since the threads simple_target_socket spawns for
// nb_transport_fw wait forever and a deleted context would leak them.
class ThreadRunner : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(ThreadRunner);
    ThreadRunner(sc_core::sc_module_name name, std::function<void()> body, bool last = true);

private:
    void run();
    std::function<void()> body_;
    bool last_;
};

} // namespace sctest

#endif
