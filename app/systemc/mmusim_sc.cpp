// mmusim_sc.cpp - mmusim-sc: `mmusim run` and `mmusim trace` on the TLM
// platform, inside a SystemC simulation:
//
//   OsTlmCpu (the OS of csrc/) --> MmuTlm (golden model, cycle level) --> DramTlm
//
// Same options and same output as `mmusim run --cycle` / `mmusim trace
// --cycle`, byte for byte (docs/systemc.md).
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include <systemc>

#include "cli.h"
#include "dram_tlm.h"
#include "mmu_tlm.h"
#include "os_tlm.h"

namespace {

// The platform of one run, built at elaboration from the resolved configuration.
struct Platform : sc_core::sc_module {
    SC_HAS_PROCESS(Platform);

    Platform(sc_core::sc_module_name name, const sim_config_t &cfg, const cli_opts_t &o, const char *cmd,
             char **args, int nargs, workload_t *w)
        : sc_module(name), cfg_(cfg), o_(o), cmd_(cmd), args_(args), nargs_(nargs), w_(w),
          dram_(dram_create(cfg.dram.base, cfg.dram.size)), mmu_(dram_ ? mmu_create(&cfg, dram_) : nullptr)
    {
        if (!mmu_)
            SC_REPORT_FATAL("mmusim-sc", "out of memory");
        const sc_core::sc_time period(1, sc_core::SC_NS);
        engine_ = std::make_unique<GoldenEngine>(mmu_);
        tlm_mmu_ = std::make_unique<MmuTlm>("mmu", *engine_, period);
        mem_ = std::make_unique<DramTlm>("dram", dram_, cfg.dram, period);
        cpu_ = std::make_unique<OsTlmCpu>("cpu", *tlm_mmu_, dram_, mmu_);
        cpu_->socket.bind(tlm_mmu_->cpu_socket);
        tlm_mmu_->mem_socket.bind(mem_->socket);
        SC_THREAD(run);
    }

    ~Platform() override
    {
        cpu_.reset();
        mem_.reset();
        tlm_mmu_.reset();
        engine_.reset();
        mmu_destroy(mmu_);
        dram_destroy(dram_);
    }

    // The command, as mmusim runs it on its own machine.
    void run()
    {
        os_machine_t *m = cpu_->machine();
        if (!strcmp(cmd_, "run")) {
            rc = wl_run_on(w_, &cfg_, m, o_.check, o_.stats, args_[0], stdout);
        } else {
            trace_opts_t t = o_.trace;
            t.fmt = o_.stats;
            rc = trace_run_on(args_, nargs_, &cfg_, m, &t, stdout);
        }
        cpu_->keeper().sync();
    }

    int rc = 2;

private:
    sim_config_t cfg_;
    const cli_opts_t &o_;
    const char *cmd_;
    char **args_;
    int nargs_;
    workload_t *w_;
    dram_t *dram_;
    mmu_t *mmu_;
    std::unique_ptr<GoldenEngine> engine_;
    std::unique_ptr<MmuTlm> tlm_mmu_;
    std::unique_ptr<DramTlm> mem_;
    std::unique_ptr<OsTlmCpu> cpu_;
};

}  // namespace

int sc_main(int argc, char **argv)
{
    static cli_opts_t o;  // large: its word lists
    const char *cmd;
    char **args;
    workload_t w;
    sim_config_t cfg;
    int n = cli_parse("mmusim-sc", "run trace", argc, argv, &o, &cmd, &args);

    if (n < 0)
        return n == -2 ? 0 : 2;
    cfg = o.cfg;
    if (!strcmp(cmd, "run") && cli_load_workload(args[0], &o, &w, &cfg))
        return 2;
    tlm::tlm_global_quantum::instance().set(sc_core::sc_time(1, sc_core::SC_US));
    int rc;
    {
        Platform p("platform", cfg, o, cmd, args, n, &w);
        sc_core::sc_start();  // returns when the run's thread ends
        rc = p.rc;
    }
    if (!strcmp(cmd, "run"))
        wl_free(&w);
    return rc;
}

// Standard output is the run's alone: no SystemC banner (printed when the
// kernel starts, before sc_main).
int main(int argc, char **argv)
{
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    return sc_core::sc_elab_and_sim(argc, argv);
}
