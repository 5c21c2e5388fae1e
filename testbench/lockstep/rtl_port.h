// rtl_port.h - the verilated rtl/mmu_top.v behind the golden model's port
// structs (model/mmu.h: mmu_in_t / mmu_out_t), for every harness that drives
// the RTL: the cycle-by-cycle lockstep (lockstep.cpp) and the SystemC
// testbench's RtlEngine (testbench/systemc/rtl_engine.h).  The inputs the
// model takes through calls rather than ports (satp, SUM, MXR, the A/D
// policy, the DRAM range) are held here and driven every cycle.
#ifndef MMUSIM_RTL_PORT_H
#define MMUSIM_RTL_PORT_H

#include <cstdint>

#include "mmu.h"

class Vmmu_top;

class RtlPort {
public:
    // top must outlive the port.
    explicit RtlPort(Vmmu_top *top) : top_(top) {}

    // Inputs held between cycles, driven from the next eval on.
    void set_csr(const mmu_csr_t &csr) { csr_ = csr; }
    void set_ad(ad_policy_t ad) { ad_ = ad; }
    void set_dram(uint64_t base, uint64_t size)
    {
        dram_base_ = base;
        dram_size_ = size;
    }
    const mmu_csr_t &csr() const { return csr_; }
    ad_policy_t ad() const { return ad_; }
    uint64_t dram_base() const { return dram_base_; }
    uint64_t dram_size() const { return dram_size_; }

    // Two cycles with rst_ni low and idle inputs; leaves the clock low and
    // the RTL out of reset, ready for the first eval.
    void reset();
    // The first half of a cycle: in (and the held inputs) on the ports, the
    // clock low, the outputs of the cycle into *out.
    void eval(const mmu_in_t &in, mmu_out_t *out);
    // The clock edge that ends the cycle (inputs as the last eval left them).
    void clock();

private:
    void drive(const mmu_in_t &in);

    Vmmu_top *top_;
    mmu_csr_t csr_{};
    ad_policy_t ad_ = AD_SVADE;
    uint64_t dram_base_ = 0, dram_size_ = 0;
};

#endif
