// os_tlm.cpp - the OS's hardware calls as transactions of a CPU initiator.
#include "os_tlm.h"

using sc_core::sc_time;

OsTlmCpu::OsTlmCpu(sc_core::sc_module_name name, MmuTlm &mmu, dram_t *dram, mmu_t *stats_mmu)
    : sc_module(name), socket("socket"), mmu_(mmu), ext_(*new MmuXlateExt)
{
    mach_.dram = dram;
    mach_.mmu = stats_mmu;
    mach_.hw = os_hw_t{ this, hw_translate, hw_sfence, hw_set_csr, hw_wait, nullptr, nullptr, nullptr };
    gp_.set_extension(&ext_);
    gp_.set_data_ptr(nullptr);
    gp_.set_data_length(0);
    gp_.set_streaming_width(0);
}

// The CPU's local time moves to delay; synchronises when the quantum is used up.
void OsTlmCpu::advance(const sc_time &delay)
{
    qk_.set(delay);
    if (qk_.need_sync())
        qk_.sync();
}

fault_t OsTlmCpu::translate(const mmu_req_t &req, mmu_resp_t &resp)
{
    sc_time delay = qk_.get_local_time();

    ext_.acc = req.acc;
    ext_.priv = req.priv;
    ext_.asid = req.asid;
    ext_.replay = req.replay != 0;
    gp_.set_address(req.va);
    gp_.set_command(req.acc == ACC_STORE ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    gp_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    socket->b_transport(gp_, delay);
    if (gp_.is_response_error())
        SC_REPORT_FATAL("mmusim/OsTlmCpu", gp_.get_response_string().c_str());
    advance(delay);
    resp.fault = ext_.fault;
    resp.pa = ext_.pa;
    resp.cycle = ext_.resp_cycle;
    resp.latency = ext_.latency();
    return resp.fault;
}

fault_t OsTlmCpu::hw_translate(void *ctx, const mmu_req_t *req, mmu_resp_t *resp)
{
    return static_cast<OsTlmCpu *>(ctx)->translate(*req, *resp);
}

void OsTlmCpu::hw_sfence(void *ctx, const mmu_sfence_t *f)
{
    OsTlmCpu *c = static_cast<OsTlmCpu *>(ctx);
    sc_time delay = c->qk_.get_local_time();
    c->mmu_.sfence(*f, delay);
    c->advance(delay);
}

void OsTlmCpu::hw_set_csr(void *ctx, const mmu_csr_t *csr)
{
    OsTlmCpu *c = static_cast<OsTlmCpu *>(ctx);
    sc_time delay = c->qk_.get_local_time();
    c->mmu_.set_csr(*csr, delay);
}

void OsTlmCpu::hw_wait(void *ctx, uint64_t cycles)
{
    OsTlmCpu *c = static_cast<OsTlmCpu *>(ctx);
    sc_time delay = c->qk_.get_local_time();
    c->mmu_.handler_wait(cycles, delay);
    c->advance(delay);
}
