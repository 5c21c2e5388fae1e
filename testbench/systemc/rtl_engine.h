// rtl_engine.h - the verilated RTL (rtl/mmu_top.v) as the cycle-level
// engine of an MmuTlm (app/systemc/mmu_tlm.h), so that the TLM component
// can run with the RTL inside it exactly as with the golden model.
//
// The RTL is verilated as a plain C++ model (verilator --cc), not as a
// SystemC module (verilator --sc), on purpose: MmuTlm is loosely timed and
// already runs its engine clock by clock inside b_transport, so the engine
// needs only eval-and-clock calls, which the C++ model gives at its own
// speed; an --sc model would put a clock signal and a delta cycle per edge
// through the SystemC kernel, several times slower, for no extra accuracy:
// every cycle is still simulated, and the comparison with the golden model
// is made at the TLM boundary (per transaction), not on pins.
#ifndef MMUSIM_RTL_ENGINE_H
#define MMUSIM_RTL_ENGINE_H

#include <cstdint>
#include <memory>
#include <string>

#include "mmu_tlm.h"
#include "rtl_port.h"

class Vmmu_top;
class VerilatedContext;

class RtlEngine : public MmuEngine {
public:
    // A fresh RTL, reset, for DRAM [dram_base, dram_size) (its access-fault
    // check); ctx must outlive the engine.  Cycle 0 is the first after reset.
    RtlEngine(VerilatedContext *ctx, uint64_t dram_base, uint64_t dram_size);
    ~RtlEngine() override;
    RtlEngine(const RtlEngine &) = delete;
    RtlEngine &operator=(const RtlEngine &) = delete;

    void eval(const mmu_in_t &in, mmu_out_t &out) override;
    void clock(const mmu_in_t &in) override;
    uint64_t now() const override { return now_; }
    void set_csr(const mmu_csr_t &csr) override { port_.set_csr(csr); }
    void set_ad(ad_policy_t ad) override { port_.set_ad(ad); }
    // Clocks every cycle with idle inputs (the RTL has no statistics, so
    // handler time and plain idle time are the same to it), and checks that
    // the outputs stay idle: ready, no response, no memory request.
    void idle(uint64_t cycles, bool handler) override;

    // Empty, or what the RTL did while it should have been idle (the first
    // time only): the testbench reports it as a mismatch.
    const std::string &error() const { return error_; }

private:
    std::unique_ptr<Vmmu_top> top_;
    RtlPort port_;
    uint64_t now_ = 0;
    std::string error_;
};

#endif
