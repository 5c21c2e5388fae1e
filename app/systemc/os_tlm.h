// os_tlm.h - the operating system of csrc/ on a TLM platform: a CPU-side
// initiator whose os_hw_t calls become transactions.  A translation is a
// b_transport to the MMU's cpu_socket; an sfence, a CSR write and handler
// time are MmuTlm's control calls; the CPU's local time is kept by a
// quantum keeper and synchronised once the quantum is used up
// (docs/systemc.md).
#ifndef MMUSIM_OS_TLM_H
#define MMUSIM_OS_TLM_H

#include <cstdint>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/tlm_quantumkeeper.h>

#include "mmu_tlm.h"
#include "os_hw.h"

class OsTlmCpu : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<OsTlmCpu> socket;

    // mmu takes the control calls (it must outlive the CPU); dram is the
    // memory the OS manages and stats_mmu the MMU whose statistics a run
    // prints (the golden model behind mmu, normally).
    OsTlmCpu(sc_core::sc_module_name name, MmuTlm &mmu, dram_t *dram, mmu_t *stats_mmu);

    // The machine the OS drivers (wl_run_on, trace_run_on) run on; its
    // calls must come from an SC_THREAD (the quantum keeper may wait).  The
    // driver sets hw.user, hw.next_use and hw.killed.
    os_machine_t *machine() { return &mach_; }
    // One translation transaction on socket at the CPU's local time, which
    // then moves past its annotated delay (synchronising when the quantum
    // is used up); resp gets the extension's answer.  What the machine's
    // translate does, for a driver that issues its own requests and hands
    // page faults to os_page_fault (the example platform).
    fault_t translate(const mmu_req_t &req, mmu_resp_t &resp);
    tlm_utils::tlm_quantumkeeper &keeper() { return qk_; }
    // Simulation time of the CPU: sc_time_stamp() plus its local offset.
    sc_core::sc_time now() const { return qk_.get_current_time(); }

private:
    static fault_t hw_translate(void *ctx, const mmu_req_t *req, mmu_resp_t *resp);
    static void hw_sfence(void *ctx, const mmu_sfence_t *f);
    static void hw_set_csr(void *ctx, const mmu_csr_t *csr);
    static void hw_wait(void *ctx, uint64_t cycles);
    void advance(const sc_core::sc_time &delay);

    MmuTlm &mmu_;
    os_machine_t mach_;
    tlm_utils::tlm_quantumkeeper qk_;
    tlm::tlm_generic_payload gp_;
    MmuXlateExt &ext_;  // owned by gp_, which frees it
};

#endif
