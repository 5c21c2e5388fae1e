// mmu_tlm.h - the MMU as a TLM-2.0 component (docs/systemc.md).
//
//   CPU / traffic generator --b_transport--> MmuTlm.cpu_socket
//                                            MmuTlm.mem_socket --b_transport--> DramTlm (or any target)
//
// A translation is a tlm_generic_payload whose address is the virtual
// address, carrying an MmuXlateExt with the access type, privilege, ASID
// and replay flag; the response (PA or fault, and the cycles) comes back in
// the same extension.  The component is loosely timed: b_transport runs the
// request through a cycle-level engine (the golden model's mmu_eval /
// mmu_clock, or the verilated RTL in testbench/systemc/) to its response,
// clock by clock, and the walker's PTE reads and A/D writes go out on
// mem_socket as 8-byte transactions whose annotated delays become the
// memory latency the engine sees.  The annotated delay of a translation
// runs from its arrival to its response cycle (timing diagram in
// docs/systemc.md).
#ifndef MMUSIM_MMU_TLM_H
#define MMUSIM_MMU_TLM_H

#include <cstdint>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "mmu.h"

// What a translation request carries and what its response returns.  The
// payload's command, data pointer and length are not used; its address is
// the VA.  Response status: TLM_OK_RESPONSE for every translation, faults
// included (a fault is an answer, not a bus error); TLM_COMMAND_ERROR_RESPONSE
// for a payload without this extension, or with an acc or priv outside the
// enums' values.
struct MmuXlateExt : tlm::tlm_extension<MmuXlateExt> {
    // request
    acc_t acc = ACC_LOAD;
    priv_t priv = PRIV_U;
    uint16_t asid = 0;
    bool replay = false;       // the same access again after its fault was handled
    // response
    fault_t fault = FAULT_NONE;
    uint64_t pa = 0;           // valid when fault == FAULT_NONE
    uint64_t arrival_cycle = 0; // the MMU cycle the request arrived in (its time, rounded up)
    uint64_t accept_cycle = 0;  // the handshake cycle: arrival, or later while the MMU was busy
    uint64_t resp_cycle = 0;    // the response cycle
    uint64_t latency() const { return resp_cycle - accept_cycle; }

    tlm::tlm_extension_base *clone() const override { return new MmuXlateExt(*this); }
    void copy_from(const tlm::tlm_extension_base &e) override { *this = static_cast<const MmuXlateExt &>(e); }
};

// One cycle-level MMU, golden or RTL, as MmuTlm drives it.  The ports are
// those of model/mmu.h (mmu_in_t / mmu_out_t); the CSR inputs are set
// between requests.
class MmuEngine {
public:
    virtual ~MmuEngine() = default;
    // The outputs of the current cycle for its inputs.  resp.cycle and
    // resp.latency need not be filled: MmuTlm counts cycles itself.
    virtual void eval(const mmu_in_t &in, mmu_out_t &out) = 0;
    // The clock edge that ends the current cycle.
    virtual void clock(const mmu_in_t &in) = 0;
    // The current cycle.
    virtual uint64_t now() const = 0;
    // CSR inputs (satp, SUM, MXR) and the A/D policy, for requests accepted from now on.
    virtual void set_csr(const mmu_csr_t &csr) = 0;
    virtual void set_ad(ad_policy_t ad) = 0;
    // While idle: cycles pass with no request.  handler: the CPU is in the
    // fault handler (the model books them as such, mmu_wait); otherwise
    // plain idle time.
    virtual void idle(uint64_t cycles, bool handler) = 0;
    // While idle, a shortcut an engine may take: when req would hit in its
    // L1 TLB, does exactly what the cycle-level path would (accept now,
    // respond, ready the cycle after) and returns true; else changes nothing.
    virtual bool translate_hit(const mmu_req_t &, mmu_resp_t &) { return false; }
};

// The golden model's cycle-level path as an engine.  The model must
// outlive the engine; fast: take the L1-hit shortcut (mmu_translate_hit,
// which the agreement test checks against the cycle-level path).
class GoldenEngine : public MmuEngine {
public:
    explicit GoldenEngine(mmu_t *m, bool fast = true) : m_(m), fast_(fast) {}
    void eval(const mmu_in_t &in, mmu_out_t &out) override { mmu_eval(m_, &in, &out); }
    void clock(const mmu_in_t &in) override { mmu_clock(m_, &in); }
    uint64_t now() const override { return mmu_now(m_); }
    void set_csr(const mmu_csr_t &csr) override { mmu_set_csr(m_, &csr); }
    void set_ad(ad_policy_t ad) override { mmu_set_ad(m_, ad); }
    void idle(uint64_t cycles, bool handler) override;
    bool translate_hit(const mmu_req_t &req, mmu_resp_t &resp) override
    {
        return fast_ && mmu_translate_hit(m_, &req, &resp);
    }
    mmu_t *model() { return m_; }

private:
    mmu_t *m_;
    bool fast_;
};

// Counters of the component itself (the MMU's own are the engine's).
struct MmuTlmCounters {
    uint64_t translations = 0;  // b_transport calls answered
    uint64_t shortcuts = 0;     // of which answered by the engine's hit shortcut
    uint64_t mem_reads = 0, mem_writes = 0;
    uint64_t idle_cycles = 0;   // cycles skipped waiting for a request's arrival
};

class MmuTlm : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<MmuTlm> cpu_socket;
    tlm_utils::simple_initiator_socket<MmuTlm> mem_socket;

    // engine must outlive the module.  cycle: the clock period; the engine's
    // cycle engine.now() at construction is the simulation time of
    // construction, and each later cycle one period on.
    MmuTlm(sc_core::sc_module_name name, MmuEngine &engine, const sc_core::sc_time &cycle);

    // Control, each at time sc_time_stamp() + delay, in the order called.
    // sfence.vma: one cycle with the fence (once the MMU is idle); delay is
    // advanced to the end of that cycle.
    void sfence(const mmu_sfence_t &f, sc_core::sc_time &delay);
    // satp / sstatus (SUM, MXR) and the A/D policy (menvcfg.ADUE): for
    // requests accepted after delay; they take no time.
    void set_csr(const mmu_csr_t &csr, sc_core::sc_time &delay);
    void set_ad(ad_policy_t ad, sc_core::sc_time &delay);
    // The CPU spends cycles in the fault handler; delay is advanced past them.
    void handler_wait(uint64_t cycles, sc_core::sc_time &delay);

    // The MMU cycle of simulation time t, rounded up; and the time of cycle c.
    uint64_t cycle_at(const sc_core::sc_time &t) const;
    sc_core::sc_time time_of(uint64_t cycle) const;
    const sc_core::sc_time &period() const { return period_; }
    const MmuTlmCounters &counters() const { return counters_; }

private:
    void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);
    uint64_t catch_up(const sc_core::sc_time &at);
    void run_cycle(mmu_in_t &in, mmu_out_t &out);
    sc_core::sc_time until(const sc_core::sc_time &t) const;
    void acquire();
    uint64_t begin(const sc_core::sc_time &delay);
    void release();
    bool run_request(const mmu_req_t &req, MmuXlateExt &x);
    void mem_transact(const mmu_out_t &out);

    MmuEngine &engine_;
    sc_core::sc_time period_, t0_;
    uint64_t c0_;
    MmuTlmCounters counters_;
    // one request (or control call) at a time, across initiator processes
    bool busy_ = false;
    unsigned waiters_ = 0;
    sc_core::sc_event free_;
    // the walker port's memory side: one transaction outstanding
    bool mem_busy_ = false;
    uint64_t mem_due_ = 0, mem_rdata_ = 0;
    tlm::tlm_generic_payload mem_gp_;
    uint8_t mem_buf_[8] = {};
};

#endif
