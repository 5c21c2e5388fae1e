// sc_example.cpp - mmusim-sc-example: a small platform around the MMU
// component, meant to be copied (docs/systemc.md, "The example platform"):
//
//   Generator --> OsTlmCpu --> Monitor --> MmuTlm --> Monitor --> DramTlm
//   SC_THREAD     quantum                  golden                 model/dram.h
//                 keeper                   model                  and its timing
//
// The generator sets up one process through the OS API (csrc/os.h), then
// runs a short access pattern.  Each access is a translation transaction
// of its own; a page fault goes to the OS's fault handler (os_page_fault)
// and the access is replayed with replay = true.
//
// Options: --config FILE and --set KEY=VALUE as mmusim's (docs/config.md);
// --mem also prints the walker's memory transactions.
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include <systemc>

#include "dram_tlm.h"
#include "mmu_tlm.h"
#include "os_tlm.h"
#include "stats.h"

namespace {

using sc_core::sc_time;

const uint64_t kPage = 4096;

// A monitor on a TLM link: b_transport is a function call, so a module that
// forwards it sees each request with its response.  On the CPU-MMU link it
// prints a line per translation; on the MMU-memory link (unless quiet) a
// line per walker access, printed after its translation's line.
struct Monitor : sc_core::sc_module {
    tlm_utils::simple_target_socket<Monitor> in;
    tlm_utils::simple_initiator_socket<Monitor> out;
    std::string label;             // first column of the next translation line
    Monitor *report_to = nullptr;  // on the memory link: the monitor that prints its lines
    bool quiet = false;

    // mmu converts times to MMU cycles; it must outlive the monitor.
    Monitor(sc_core::sc_module_name name, const MmuTlm &mmu) : sc_module(name), in("in"), out("out"), mmu_(mmu)
    {
        in.register_b_transport(this, &Monitor::b_transport);
    }

private:
    // Forwards gp, then prints (or holds) its line: the result, its MMU
    // cycles, and the delay the target annotated in ns and in cycles.
    void b_transport(tlm::tlm_generic_payload &gp, sc_time &delay)
    {
        sc_time before = delay;
        char what[40], line[160];

        out->b_transport(gp, delay);
        if (quiet)
            return;
        sc_time d = delay - before;
        double ns = d.to_seconds() * 1e9;
        uint64_t cyc = d.value() / mmu_.period().value();
        if (report_to) {  // a walker access: issued in cycle h, answered d later
            uint64_t h = mmu_.cycle_at(sc_core::sc_time_stamp() + before), pa = gp.get_address();
            std::snprintf(what, sizeof what, "%s %#" PRIx64, gp.is_write() ? "write" : "read", pa);
            std::snprintf(line, sizeof line, "%14s%-12s%-21s%7" PRIu64 " %7s %7" PRIu64 " %6.0f ns %6" PRIu64 "\n", "",
                          "walker", what, h, "", h + cyc, ns, cyc);
            report_to->held_ += line;
            return;
        }
        const MmuXlateExt *x = gp.get_extension<MmuXlateExt>();
        if (!x)  // not a translation: MmuTlm answered it with an error status
            return;
        if (x->fault == FAULT_NONE)
            std::snprintf(what, sizeof what, "pa %#" PRIx64, x->pa);
        else
            std::snprintf(what, sizeof what, "%s fault", fault_name(x->fault));
        std::printf("%-26s%-21s%7" PRIu64 " %7" PRIu64 " %7" PRIu64 " %6.0f ns %6" PRIu64 "\n%s",
                    x->replay ? "              replay" : label.c_str(), what, x->arrival_cycle, x->accept_cycle,
                    x->resp_cycle, ns, cyc, held_.c_str());
        held_.clear();
    }

    const MmuTlm &mmu_;
    std::string held_;  // walker lines of the translation in flight
};

// The traffic generator: an LT initiator whose translations go out through
// cpu (whose quantum keeper holds the generator's local time), with the OS
// of csrc/ on cpu's machine serving its page faults.
struct Generator : sc_core::sc_module {
    SC_HAS_PROCESS(Generator);

    // cfg is validated; cpu and mon must outlive the generator.
    Generator(sc_core::sc_module_name name, const sim_config_t &cfg, OsTlmCpu &cpu, Monitor &mon)
        : sc_module(name), cfg_(cfg), cpu_(cpu), mon_(mon)
    {
        SC_THREAD(run);
    }

private:
    // Stops the simulation with what failed: an OS call returning -errno.
    static void check(int rc, const char *what)
    {
        if (rc < 0) {
            std::string msg = std::string(what) + ": " + std::strerror(-rc);
            SC_REPORT_FATAL("mmusim-sc-example", msg.c_str());
        }
    }

    // One access of pid 1: a translation transaction; on its page fault the
    // OS's handler maps the page and the access goes again, marked replay.
    // Then the CPU computes for think_.
    void access(const char *phase, uint64_t va, acc_t acc)
    {
        char label[32];
        mmu_req_t req = { va, acc, PRIV_U, (uint16_t)os_asid(os_, 1), 0 };
        mmu_resp_t resp;

        std::snprintf(label, sizeof label, "%-7s%-7s%#" PRIx64, phase, acc == ACC_STORE ? "store" : "load", va);
        mon_.label = label;
        while (cpu_.translate(req, resp) != FAULT_NONE) {
            // The handler maps user memory in DRAM only: any other fault is a bug here.
            if (resp.fault != fault_page(acc))
                SC_REPORT_FATAL("mmusim-sc-example", fault_name(resp.fault));
            check(os_page_fault(os_, 1, va, acc), "os_page_fault");
            req.replay = 1;
        }
        cpu_.keeper().inc(think_);
        if (cpu_.keeper().need_sync())
            cpu_.keeper().sync();
    }

    // The thread: set-up through the OS API, the access pattern, tear-down.
    void run()
    {
        // The OS manages the DRAM that DramTlm serves: it writes page tables
        // there directly (untimed: a kernel's own stores are not the
        // walker's business) and the walker reads them through mem_socket.
        // Its hardware calls are the CPU's: translations on its socket,
        // sfence, satp writes and handler time as MmuTlm's control calls.
        os_machine_t *m = cpu_.machine();
        const char text[] = "hello, world\n";
        uint64_t heap, file;

        os_ = os_create(&cfg_, m->dram, &m->hw);
        if (!os_)
            SC_REPORT_FATAL("mmusim-sc-example", "out of memory");
        check(os_file_create(os_, "greeting", text, sizeof text - 1), "os_file_create");
        check(os_spawn(os_, 1), "os_spawn");
        check(os_mmap(os_, 1, 0x20000000, 16 * kPage, OS_PROT_READ | OS_PROT_WRITE, OS_MAP_PRIVATE | OS_MAP_ANON,
                      nullptr, 0, &heap),
              "os_mmap");
        check(os_mmap(os_, 1, 0x30000000, kPage, OS_PROT_READ, OS_MAP_PRIVATE, "greeting", 0, &file), "os_mmap");
        check(os_switch(os_, 1), "os_switch");  // satp of pid 1, through MmuTlm::set_csr
        std::printf("pid 1 (asid %d): 16 pages anonymous rw at %#" PRIx64 ", file greeting r at %#" PRIx64 "\n\n",
                    os_asid(os_, 1), heap, file);
        std::printf("%-26s%-21s%7s %7s %7s %9s %6s\n", "phase  access va", "result", "arrival", "accept", "resp",
                    "delay", "cycles");

        // Sequential: two loads per page over three pages, a fault then a hit each.
        for (uint64_t i = 0; i < 6; i++)
            access("seq", heap + i * kPage / 2, ACC_LOAD);
        // Strided: every fourth page; page 0 hits in the L1 TLB.
        for (uint64_t i = 0; i < 4; i++)
            access("stride", heap + i * 4 * kPage, ACC_LOAD);
        // Stores: page 1 was mapped by a load, clean, so under svade the
        // store walks and faults for D; page 13 is new, mapped dirty.
        access("store", heap + kPage, ACC_STORE);
        access("store", heap + 13 * kPage, ACC_STORE);
        access("store", heap + 13 * kPage + 8, ACC_STORE);
        // The file: its page is read from the file store (a major fault).
        access("file", file, ACC_LOAD);
        access("file", file + 8, ACC_LOAD);
        // One page again and again, back to back: L1 hits (the engine's
        // shortcut), each offered in the cycle of the previous response and
        // so accepted in the cycle after it.
        think_ = sc_core::SC_ZERO_TIME;
        for (uint64_t i = 0; i < 3; i++)
            access("repeat", heap + 2 * kPage + 8 * i, ACC_LOAD);

        cpu_.keeper().sync();
        os_destroy(os_);
    }

    sim_config_t cfg_;
    OsTlmCpu &cpu_;
    Monitor &mon_;
    os_t *os_ = nullptr;
    sc_time think_ = sc_time(2, sc_core::SC_NS);  // the CPU's work between two accesses
};

// Reads the options into cfg and *mem; false after a message.
bool parse_options(int argc, char **argv, sim_config_t *cfg, bool *mem)
{
    char err[256] = "";
    bool ok = true;

    config_defaults(cfg);
    for (int i = 1; i < argc && ok; i++) {
        if (!std::strcmp(argv[i], "--mem"))
            *mem = true;
        else if (i + 1 == argc)
            ok = false;
        else if (!std::strcmp(argv[i], "--config"))
            ok = config_load(cfg, argv[++i], err, sizeof err) == 0;
        else if (!std::strcmp(argv[i], "--set"))
            ok = config_set_assignment(cfg, argv[++i], err, sizeof err) == 0;
        else
            ok = false;
    }
    if (ok)
        ok = config_validate(cfg, err, sizeof err) == 0;
    if (!ok)
        std::fprintf(stderr, "%s%susage: mmusim-sc-example [--config FILE] [--set KEY=VALUE]... [--mem]\n", err,
                     *err ? "\n" : "");
    return ok;
}

}  // namespace

// Builds the platform, runs the generator to its end, prints the statistics.
int sc_main(int argc, char **argv)
{
    sim_config_t cfg;
    bool mem = false;

    if (!parse_options(argc, argv, &cfg, &mem))
        return 2;
    // Declared first, destroyed last: the modules below point into them.
    std::unique_ptr<dram_t, void (*)(dram_t *)> dram(dram_create(cfg.dram.base, cfg.dram.size), dram_destroy);
    std::unique_ptr<mmu_t, void (*)(mmu_t *)> mmu(dram ? mmu_create(&cfg, dram.get()) : nullptr, mmu_destroy);
    if (!mmu) {
        std::fprintf(stderr, "mmusim-sc-example: out of memory\n");
        return 2;
    }

    // The cycle period is the platform's choice; 1 ns makes ns and cycles equal.
    const sc_time period(1, sc_core::SC_NS);
    tlm::tlm_global_quantum::instance().set(sc_time(1, sc_core::SC_US));
    GoldenEngine engine(mmu.get());
    MmuTlm mmu_tlm("mmu", engine, period);
    DramTlm dram_tlm("dram", dram.get(), cfg.dram, period);
    OsTlmCpu cpu("cpu", mmu_tlm, dram.get(), mmu.get());
    Monitor cpu_mon("cpu_monitor", mmu_tlm), mem_mon("mem_monitor", mmu_tlm);
    Generator gen("generator", cfg, cpu, cpu_mon);
    mem_mon.report_to = &cpu_mon;
    mem_mon.quiet = !mem;
    cpu.socket.bind(cpu_mon.in);
    cpu_mon.out.bind(mmu_tlm.cpu_socket);
    mmu_tlm.mem_socket.bind(mem_mon.in);  // any memory target will do: docs/systemc.md
    mem_mon.out.bind(dram_tlm.socket);
    sc_core::sc_start();

    std::printf("\n");
    stats_print(mmu.get(), 0, STATS_TABLE, stdout);
    const MmuTlmCounters &c = mmu_tlm.counters();
    auto row = [](const char *name, uint64_t v) { std::printf("  %-18s%10" PRIu64 "\n", name, v); };
    std::printf("platform\n");
    row("mmu.translations", c.translations);
    row("mmu.shortcuts", c.shortcuts);
    row("mmu.mem_reads", c.mem_reads);
    row("mmu.mem_writes", c.mem_writes);
    row("mmu.idle_cycles", c.idle_cycles);
    row("dram.accesses", dram_tlm.accesses());
    return 0;
}

// No SystemC banner: the output is the platform's log alone.
int main(int argc, char **argv)
{
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    return sc_core::sc_elab_and_sim(argc, argv);
}
