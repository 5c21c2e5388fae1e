// dram_tlm.cpp - the simulated DRAM as a TLM-2.0 memory target.
#include "dram_tlm.h"

using sc_core::sc_time;

DramTlm::DramTlm(sc_core::sc_module_name name, dram_t *dram, const dram_cfg_t &timing, const sc_time &cycle)
    : sc_module(name), socket("socket"), dram_(dram), timer_(dram_timer_create(&timing)), period_(cycle)
{
    if (!timer_)
        SC_REPORT_FATAL("mmusim/DramTlm", "out of memory");
    if (period_ == sc_core::SC_ZERO_TIME)
        SC_REPORT_FATAL("mmusim/DramTlm", "the cycle time must be above zero");
    socket.register_b_transport(this, &DramTlm::b_transport);
    socket.register_transport_dbg(this, &DramTlm::transport_dbg);
}

DramTlm::~DramTlm()
{
    dram_timer_destroy(timer_);
}

// Performs gp on the store, setting its response status; true when it succeeded.
bool DramTlm::access(tlm::tlm_generic_payload &gp)
{
    uint64_t pa = gp.get_address();
    unsigned len = gp.get_data_length();
    int rc;

    if (gp.get_byte_enable_ptr()) {
        gp.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
        return false;
    }
    if (gp.get_streaming_width() < len) {
        gp.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
        return false;
    }
    if (!dram_contains(dram_, pa, len ? len : 1)) {
        gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return false;
    }
    if (gp.is_read())
        rc = dram_read(dram_, pa, gp.get_data_ptr(), len);
    else if (gp.is_write())
        rc = dram_write(dram_, pa, gp.get_data_ptr(), len);
    else {
        gp.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
        return false;
    }
    gp.set_response_status(rc ? tlm::TLM_ADDRESS_ERROR_RESPONSE : tlm::TLM_OK_RESPONSE);
    return rc == 0;
}

void DramTlm::b_transport(tlm::tlm_generic_payload &gp, sc_time &delay)
{
    if (!access(gp))
        return;
    sc_time at = sc_core::sc_time_stamp() + delay;
    uint64_t cycle = at.value() / period_.value() + (at.value() % period_.value() != 0);
    unsigned lat = dram_timer_access(timer_, gp.get_address(), cycle, nullptr);
    accesses_++;
    delay += sc_time::from_value(period_.value() * lat);
}

unsigned int DramTlm::transport_dbg(tlm::tlm_generic_payload &gp)
{
    return access(gp) ? gp.get_data_length() : 0;
}
