// rtl_engine.cpp - the verilated RTL behind the MmuEngine interface
// (testbench/systemc/rtl_engine.h); the ports are driven by the lockstep's
// RtlPort, so both harnesses put the same inputs on the same pins.
#include "rtl_engine.h"

#include <cinttypes>
#include <cstring>

// Verilator's headers see SystemC (SYSTEMC_VERSION) and then call
// sc_time_stamp() unqualified, as <systemc.h> would allow.
using sc_core::sc_time_stamp;
#include "Vmmu_top.h"
#include "verilated.h"

RtlEngine::RtlEngine(VerilatedContext *ctx, uint64_t dram_base, uint64_t dram_size)
    : top_(new Vmmu_top(ctx)), port_(top_.get())
{
    port_.set_dram(dram_base, dram_size);
    port_.reset();
}

RtlEngine::~RtlEngine()
{
    top_->final();
}

void RtlEngine::eval(const mmu_in_t &in, mmu_out_t &out)
{
    port_.eval(in, &out);
}

void RtlEngine::clock(const mmu_in_t &)
{
    port_.clock();
    now_++;
}

void RtlEngine::idle(uint64_t cycles, bool)
{
    mmu_in_t in;
    mmu_out_t out;

    // the inputs MmuTlm drives in a cycle with nothing to do: memory ready
    memset(&in, 0, sizeof in);
    in.mem_req_ready = 1;
    for (uint64_t i = 0; i < cycles; i++) {
        port_.eval(in, &out);
        if (error_.empty() && (!out.req_ready || out.resp_valid || out.mem_req_valid)) {
            char b[200];
            snprintf(b, sizeof b,
                     "RTL not idle in idle cycle %" PRIu64 ": req_ready=%d resp_valid=%d mem_req_valid=%d", now_,
                     out.req_ready, out.resp_valid, out.mem_req_valid);
            error_ = b;
        }
        port_.clock();
        now_++;
    }
}
