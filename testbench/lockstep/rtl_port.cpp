// rtl_port.cpp - mmu_in_t / mmu_out_t onto the ports of the verilated
// mmu_top (testbench/lockstep/rtl_port.h).
#include "rtl_port.h"

#include <cstring>

#include "Vmmu_top.h"

// Every input port from in and the held inputs; the encodings are the C
// enums' values (docs/rtl.md "One home for the encodings").
void RtlPort::drive(const mmu_in_t &in)
{
    top_->req_valid_i = in.req_valid;
    top_->req_va_i = in.req.va;
    top_->req_acc_i = in.req.acc;
    top_->req_priv_i = in.req.priv;
    top_->req_asid_i = in.req.asid;
    top_->req_replay_i = in.req.replay != 0;
    top_->mem_req_ready_i = in.mem_req_ready;
    top_->mem_resp_valid_i = in.mem_resp_valid;
    top_->mem_resp_rdata_i = in.mem_resp_rdata;
    top_->sfence_valid_i = in.sfence.valid;
    top_->sfence_use_va_i = in.sfence.use_va;
    top_->sfence_va_i = in.sfence.va;
    top_->sfence_use_asid_i = in.sfence.use_asid;
    top_->sfence_asid_i = in.sfence.asid;
    top_->satp_mode_i = csr_.mode;
    top_->satp_ppn_i = csr_.root_ppn;
    top_->sum_i = csr_.sum != 0;
    top_->mxr_i = csr_.mxr != 0;
    top_->adue_i = ad_ == AD_SVADU;
    top_->dram_base_i = dram_base_;
    top_->dram_size_i = dram_size_;
}

void RtlPort::reset()
{
    mmu_in_t idle;
    memset(&idle, 0, sizeof idle);
    drive(idle);
    top_->rst_ni = 0;
    for (int i = 0; i < 2; i++) {
        top_->clk_i = 0;
        top_->eval();
        top_->clk_i = 1;
        top_->eval();
    }
    top_->clk_i = 0;
    top_->eval();
    top_->rst_ni = 1;
    top_->eval();
}

void RtlPort::eval(const mmu_in_t &in, mmu_out_t *out)
{
    drive(in);
    top_->clk_i = 0;
    top_->eval();
    memset(out, 0, sizeof *out);
    out->req_ready = top_->req_ready_o;
    out->resp_valid = top_->resp_valid_o;
    out->resp.fault = (fault_t)top_->resp_fault_o;
    out->resp.pa = top_->resp_pa_o;
    out->mem_req_valid = top_->mem_req_valid_o;
    out->mem_req_we = top_->mem_req_we_o;
    out->mem_req_addr = top_->mem_req_addr_o;
    out->mem_req_wdata = top_->mem_req_wdata_o;
}

void RtlPort::clock()
{
    top_->clk_i = 1;
    top_->eval();
}
