// dram_tlm.h - the simulated DRAM (model/dram.h) as a TLM-2.0 memory
// target: its sparse store and its timing model, the latency of each access
// annotated on the transaction (docs/systemc.md).
#ifndef MMUSIM_DRAM_TLM_H
#define MMUSIM_DRAM_TLM_H

#include <cstdint>
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "config.h"
#include "dram.h"

// Reads and writes of any length inside [base, base + size), without byte
// enables; each adds the timing model's latency for its address, at the
// cycle of its time (sc_time_stamp() + delay, rounded up), to delay.
// Outside DRAM: TLM_ADDRESS_ERROR_RESPONSE; byte enables:
// TLM_BYTE_ENABLE_ERROR_RESPONSE; a streaming width below the length:
// TLM_BURST_ERROR_RESPONSE; commands other than read and write:
// TLM_COMMAND_ERROR_RESPONSE.  transport_dbg reads and writes with no time.
class DramTlm : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<DramTlm> socket;

    // dram must outlive the module; timing is validated (config_validate).
    // Cycle 0 of the timing model is simulation time 0.
    DramTlm(sc_core::sc_module_name name, dram_t *dram, const dram_cfg_t &timing, const sc_core::sc_time &cycle);
    ~DramTlm() override;
    DramTlm(const DramTlm &) = delete;
    DramTlm &operator=(const DramTlm &) = delete;

    dram_t *dram() { return dram_; }
    uint64_t accesses() const { return accesses_; }

private:
    void b_transport(tlm::tlm_generic_payload &gp, sc_core::sc_time &delay);
    unsigned int transport_dbg(tlm::tlm_generic_payload &gp);
    bool access(tlm::tlm_generic_payload &gp);

    dram_t *dram_;
    dram_timer_t *timer_;
    sc_core::sc_time period_;
    uint64_t accesses_ = 0;
};

#endif
