// mmu_tlm.cpp - the MMU as a TLM-2.0 component: each b_transport runs one
// request through the engine cycle by cycle, the walker's memory port
// answered by transactions on mem_socket (docs/systemc.md).
#include "mmu_tlm.h"

#include <cstring>
#include <string>

using sc_core::sc_time;

namespace {

// Bound on the cycles of one request, as memport.c's: far above any legal walk.
const uint64_t kWatchdogCycles = 1000000;

}  // namespace

void GoldenEngine::idle(uint64_t cycles, bool handler)
{
    if (handler)
        mmu_wait(m_, cycles);
    else
        mmu_skip(m_, cycles);
}

MmuTlm::MmuTlm(sc_core::sc_module_name name, MmuEngine &engine, const sc_time &cycle)
    : sc_module(name), cpu_socket("cpu_socket"), mem_socket("mem_socket"), engine_(engine), period_(cycle),
      t0_(sc_core::sc_time_stamp()), c0_(engine.now())
{
    if (period_ == sc_core::SC_ZERO_TIME)
        SC_REPORT_FATAL("mmusim/MmuTlm", "the cycle time must be above zero");
    cpu_socket.register_b_transport(this, &MmuTlm::b_transport);
    mem_gp_.set_data_length(8);
    mem_gp_.set_streaming_width(8);
    mem_gp_.set_data_ptr(mem_buf_);
    mem_gp_.set_byte_enable_ptr(nullptr);
    mem_gp_.set_dmi_allowed(false);
}

uint64_t MmuTlm::cycle_at(const sc_time &t) const
{
    sc_time rel = t > t0_ ? t - t0_ : sc_core::SC_ZERO_TIME;
    uint64_t n = rel.value() / period_.value();
    return c0_ + n + (rel.value() % period_.value() != 0);
}

sc_time MmuTlm::time_of(uint64_t cycle) const
{
    return t0_ + sc_time::from_value(period_.value() * (cycle - c0_));
}

// Brings the idle engine forward to the cycle of time at, rounded up
// (nothing to do when it is already there or past it: the MMU was busy).
// Returns that cycle, the arrival cycle of a call made at time at.
uint64_t MmuTlm::catch_up(const sc_time &at)
{
    uint64_t arrival = cycle_at(at);
    if (arrival > engine_.now()) {
        counters_.idle_cycles += arrival - engine_.now();
        engine_.idle(arrival - engine_.now(), false);
    }
    return arrival;
}

// The time from now to t; zero when t has passed.
sc_time MmuTlm::until(const sc_time &t) const
{
    const sc_time now = sc_core::sc_time_stamp();
    return t > now ? t - now : sc_core::SC_ZERO_TIME;
}

// Waits while another process's request is in flight.  That can only
// happen when a memory target waits inside b_transport (an LT target that
// synchronises, an AT target behind a conversion) and a second initiator
// process calls in meanwhile; the MMU is blocking, so it waits its turn.
void MmuTlm::acquire()
{
    while (busy_) {
        waiters_++;
        sc_core::wait(free_);
        waiters_--;
    }
    busy_ = true;
}

// The start of every call: its time (sc_time_stamp() + delay, taken before
// any wait for its turn), its turn, and the idle engine brought to it.
// Returns the call's arrival cycle; release() ends the turn.
uint64_t MmuTlm::begin(const sc_time &delay)
{
    const sc_time at = sc_core::sc_time_stamp() + delay;
    acquire();
    return catch_up(at);
}

// Ends acquire(); wakes the processes waiting for their turn, if any.
void MmuTlm::release()
{
    busy_ = false;
    if (waiters_)
        free_.notify();
}

// Performs the walker's memory request of this cycle on mem_socket, at the
// time of this cycle; the response arrives when the transaction ends, its
// annotated delay (and any time the target waited) rounded up to whole
// cycles, and at least one (docs/timing.md: a response is never in its
// request's cycle).
void MmuTlm::mem_transact(const mmu_out_t &out)
{
    uint64_t now = engine_.now();
    const sc_time issue = time_of(now);
    sc_time delay = until(issue);

    mem_gp_.set_address(out.mem_req_addr);
    mem_gp_.set_command(out.mem_req_we ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
    mem_gp_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    for (int i = 0; i < 8; i++)
        mem_buf_[i] = static_cast<uint8_t>(out.mem_req_wdata >> (8 * i));
    mem_socket->b_transport(mem_gp_, delay);
    if (mem_gp_.is_response_error()) {
        // The walker checks every PTE address against the DRAM bounds, so a
        // failing access means the memory target and the configuration disagree.
        std::string msg = "walker access at " + std::to_string(out.mem_req_addr) + ": " +
                          mem_gp_.get_response_string();
        SC_REPORT_FATAL("mmusim/MmuTlm", msg.c_str());
    }
    out.mem_req_we ? counters_.mem_writes++ : counters_.mem_reads++;
    const sc_time done = sc_core::sc_time_stamp() + delay;
    const sc_time took = done > issue ? done - issue : sc_core::SC_ZERO_TIME;
    uint64_t cycles = took.value() / period_.value() + (took.value() % period_.value() != 0);
    mem_due_ = now + (cycles ? cycles : 1);
    mem_busy_ = true;
    mem_rdata_ = 0;
    for (int i = 7; i >= 0; i--)
        mem_rdata_ = mem_rdata_ << 8 | mem_buf_[i];
}

// One cycle: the memory inputs from the outstanding transaction, the
// engine's outputs, a new memory transaction on the handshake, the edge.
void MmuTlm::run_cycle(mmu_in_t &in, mmu_out_t &out)
{
    uint64_t now = engine_.now();
    in.mem_req_ready = !mem_busy_;
    in.mem_resp_valid = mem_busy_ && mem_due_ == now;
    in.mem_resp_rdata = in.mem_resp_valid ? mem_rdata_ : 0;
    engine_.eval(in, out);
    if (in.mem_resp_valid)
        mem_busy_ = false;
    if (out.mem_req_valid && in.mem_req_ready)
        mem_transact(out);
    engine_.clock(in);
}

// Runs req from the current cycle to its response, filling x's response
// fields; false when no response came within the watchdog bound.
bool MmuTlm::run_request(const mmu_req_t &req, MmuXlateExt &x)
{
    mmu_in_t in;
    mmu_out_t out;
    mmu_resp_t resp;
    uint64_t start = engine_.now();
    bool accepted = false;

    if (engine_.translate_hit(req, resp)) {
        counters_.shortcuts++;
        x.accept_cycle = start;
        x.resp_cycle = resp.cycle;
        x.fault = resp.fault;
        x.pa = resp.pa;
        return true;
    }
    std::memset(&in, 0, sizeof in);
    in.req = req;
    for (;;) {
        uint64_t now = engine_.now();
        in.req_valid = !accepted;
        run_cycle(in, out);
        if (!accepted && out.req_ready) {
            accepted = true;
            x.accept_cycle = now;
        }
        if (out.resp_valid) {
            x.resp_cycle = now;
            x.fault = out.resp.fault;
            x.pa = out.resp.fault == FAULT_NONE ? out.resp.pa : 0;
            return true;
        }
        if (now - start > kWatchdogCycles)
            return false;
    }
}

void MmuTlm::b_transport(tlm::tlm_generic_payload &gp, sc_time &delay)
{
    MmuXlateExt *x = gp.get_extension<MmuXlateExt>();

    // Out-of-range codes would index the model's per-access and
    // per-privilege tables: refused like a payload without the extension.
    if (!x || (unsigned)x->acc >= ACC_COUNT || (x->priv != PRIV_U && x->priv != PRIV_S)) {
        gp.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
        return;
    }
    x->arrival_cycle = begin(delay);
    mmu_req_t req = { gp.get_address(), x->acc, x->priv, x->asid, x->replay ? 1 : 0 };
    if (!run_request(req, *x)) {
        std::string msg = "no response for va " + std::to_string(req.va) + " after " +
                          std::to_string(kWatchdogCycles) + " cycles";
        SC_REPORT_FATAL("mmusim/MmuTlm", msg.c_str());
    }
    counters_.translations++;
    release();
    delay = until(time_of(x->resp_cycle));
    gp.set_response_status(tlm::TLM_OK_RESPONSE);
}

void MmuTlm::sfence(const mmu_sfence_t &f, sc_time &delay)
{
    mmu_in_t in;
    mmu_out_t out;

    begin(delay);
    std::memset(&in, 0, sizeof in);
    in.sfence = f;
    in.sfence.valid = 1;
    run_cycle(in, out);
    release();
    delay = until(time_of(engine_.now()));
}

void MmuTlm::set_csr(const mmu_csr_t &csr, sc_time &delay)
{
    begin(delay);
    engine_.set_csr(csr);
    release();
}

void MmuTlm::set_ad(ad_policy_t ad, sc_time &delay)
{
    begin(delay);
    engine_.set_ad(ad);
    release();
}

void MmuTlm::handler_wait(uint64_t cycles, sc_time &delay)
{
    begin(delay);
    engine_.idle(cycles, true);
    release();
    delay = until(time_of(engine_.now()));
}
