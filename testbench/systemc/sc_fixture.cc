// sc_fixture.cc - the SystemC suites' shared set-up (see sc_fixture.h).
#include "sc_fixture.h"

using sc_core::sc_time;

namespace sctest {

ScContext::ScContext() : saved_(sc_core::sc_curr_simcontext), mine_(new sc_core::sc_simcontext)
{
    sc_core::sc_curr_simcontext = mine_;
    sc_core::sc_default_global_context = mine_;
}

ScContext::~ScContext()
{
    delete mine_;
    sc_core::sc_curr_simcontext = saved_;
    sc_core::sc_default_global_context = saved_;
}

namespace {

// What RecordReports has recorded (a report handler is a plain function).
std::vector<std::string> recorded;

// Records errors and fatal reports; hands the rest to the default handler.
void record_report(const sc_core::sc_report &rep, const sc_core::sc_actions &actions)
{
    if (rep.get_severity() >= sc_core::SC_ERROR)
        recorded.push_back(std::string(rep.get_msg_type()) + ": " + rep.get_msg());
    else
        sc_core::sc_report_handler::default_handler(rep, actions);
}

} // namespace

RecordReports::RecordReports() : saved_(sc_core::sc_report_handler::set_handler(record_report))
{
    recorded.clear();
}

RecordReports::~RecordReports() { sc_core::sc_report_handler::set_handler(saved_); }

const std::vector<std::string> &RecordReports::messages() const { return recorded; }

void expect_same_ext(const MmuXlateExt &a, const MmuXlateExt &b)
{
    EXPECT_EQ(a.acc, b.acc);
    EXPECT_EQ(a.priv, b.priv);
    EXPECT_EQ(a.asid, b.asid);
    EXPECT_EQ(a.replay, b.replay);
    EXPECT_EQ(a.fault, b.fault);
    EXPECT_EQ(a.pa, b.pa);
    EXPECT_EQ(a.arrival_cycle, b.arrival_cycle);
    EXPECT_EQ(a.accept_cycle, b.accept_cycle);
    EXPECT_EQ(a.resp_cycle, b.resp_cycle);
}

Bench::Bench(const sim_config_t &c, const sc_time &p, Memory mem, bool fast, Cpu port)
    : sim(c), pt(sim.dram, vm_levels(c.mode)), engine(sim.m, fast), mmu("mmu", engine, p), period(p)
{
    if (mem == Memory::kDramTlm) {
        dram = std::make_unique<DramTlm>("dram", sim.dram, c.dram, p);
        mmu.mem_socket.bind(dram->socket);
    }
    if (port == Cpu::kBench) {
        cpu = std::make_unique<CpuPort>("bench_cpu");
        cpu->socket.bind(mmu.cpu_socket);
    }
}

void Bench::csr(vm_mode_t mode, const sc_time &at, int sum, int mxr)
{
    mmu_csr_t c{mode, mmutest::kRoot >> PAGE_SHIFT, sum, mxr};
    sc_time delay = at;
    mmu.set_csr(c, delay);
    EXPECT_EQ(delay, at) << "a CSR write takes no time";
}

Xlate Bench::xlate(uint64_t va, acc_t acc, const sc_time &at, priv_t priv, uint16_t asid, bool replay)
{
    tlm::tlm_generic_payload gp;
    MmuXlateExt *x = new MmuXlateExt;
    x->acc = acc;
    x->priv = priv;
    x->asid = asid;
    x->replay = replay;
    gp.set_extension(x);
    gp.set_address(va);
    gp.set_command(tlm::TLM_IGNORE_COMMAND);
    gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    Xlate r;
    r.delay = at;
    cpu->socket->b_transport(gp, r.delay);
    r.x = *x;
    r.status = gp.get_response_status();
    return r;
}

void Bench::expect(const Xlate &r, const Want &w) const
{
    EXPECT_EQ(r.status, tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(r.x.fault, w.fault) << fault_name(r.x.fault) << " instead of " << fault_name(w.fault);
    EXPECT_EQ(r.x.pa, w.pa) << std::hex << r.x.pa << " instead of " << w.pa;
    EXPECT_EQ(r.x.arrival_cycle, w.arrival);
    EXPECT_EQ(r.x.accept_cycle, w.accept);
    EXPECT_EQ(r.x.resp_cycle, w.resp);
    EXPECT_EQ(r.x.latency(), w.resp - w.accept);
    EXPECT_EQ(r.delay, cyc(w.resp) - sc_core::sc_time_stamp()) << r.delay.to_string();
}

namespace {

// Kills, depth first, every live process among objs and their children but self.
void kill_processes(const std::vector<sc_core::sc_object *> &objs, const sc_core::sc_process_handle &self)
{
    for (sc_core::sc_object *o : objs) {
        kill_processes(o->get_child_objects(), self);
        sc_core::sc_process_handle h(o);
        if (h.valid() && !h.terminated() && h != self)
            h.kill();
    }
}

} // namespace

ThreadRunner::ThreadRunner(sc_core::sc_module_name name, std::function<void()> body, bool last)
    : sc_module(name), body_(std::move(body)), last_(last)
{
    SC_THREAD(run);
}

// Killing needs a running process: from sc_main, after sc_start, it crashes the 2.3.4 kernel.
void ThreadRunner::run()
{
    body_();
    if (last_)
        kill_processes(sc_core::sc_get_top_level_objects(), sc_core::sc_get_current_process_handle());
}

} // namespace sctest
