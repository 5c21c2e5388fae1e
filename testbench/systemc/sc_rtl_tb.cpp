// sc_rtl_tb.cpp - the SystemC testbench of the RTL: the same requests go
// to two MmuTlm components (app/systemc/mmu_tlm.h), one driving the golden
// model (GoldenEngine) and one the verilated RTL (RtlEngine), each with a
// DramTlm and a DRAM image of its own, compared per transaction
// (testbench/systemc/sc_pair.h):
//
//   sc_tb random [--seed S] [--seeds N] [--requests M]   constrained-random tables and requests
//   sc_tb vectors FILE...                                vector files (docs/vectors.md)
//   sc_tb trace FILE [--max-refs N] [--stats FMT]        a lackey trace through the OS of csrc/
//   sc_tb run [--refs] [--check] [--stats FMT] FILE      a workload through it
//   common: --set KEY=VALUE (dram.*, os.*, swap.*: the MMU is fixed by the build)
//
// The binary is built for one configuration, like the lockstep's
// (SC_TB_CONFIG, whose `mmusim config --rtl-params` are the RTL's
// parameters).  trace and run print what `mmusim trace/run --cycle` prints
// (the golden side's statistics); summaries go to stderr there, to stdout
// for random and vectors.  Exit status: 0 no mismatch, 1 a mismatch or an
// unmet expectation, 2 usage or bad input.
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <systemc>

#include "parse.h"
#include "rtl_os.h"
#include "sc_drivers.h"
#include "trace.h"

// Verilator's headers see SystemC (SYSTEMC_VERSION) and then call
// sc_time_stamp() unqualified, as <systemc.h> would allow.
using sc_core::sc_time_stamp;
#include "verilated.h"

#ifndef SC_TB_CONFIG
#error "build with -DSC_TB_CONFIG=\"configs/NAME.cfg\" -DSC_TB_BIN=\"PATH\""
#endif

namespace {

// The usage text on out; the status a caller should exit with (0 for --help).
int usage(FILE *out = stderr)
{
    fprintf(out,
            "usage: %s COMMAND [OPTIONS]   (TLM golden model and RTL built for %s, compared per transaction)\n"
            "  random [--seed S] [--seeds N] [--requests M]   constrained-random page tables and requests\n"
            "  vectors FILE...                                vector files (docs/vectors.md)\n"
            "  trace FILE [--max-refs N] [--stats FMT]        a lackey trace through the OS of csrc/\n"
            "  run [--refs] [--check] [--stats FMT] FILE      a workload (docs/workload.md) through it\n"
            "options: --set KEY=VALUE (dram.*, os.*, swap.*)  --help\n"
            "exit status: 0 no mismatch, 1 mismatch, 2 bad usage or input\n",
            SC_TB_BIN, SC_TB_CONFIG);
    return out == stderr ? 2 : 0;
}

struct Args {
    std::string cmd;
    uint64_t seed = 1, seeds = 1, requests = 10000;
    LsOsOptions os;
    std::vector<std::string> files;
};

// Parses argv into *a and the --set assignments into *cfg: 0, 2 after
// printing the error, or -1 for --help (printed).
int parse_args(int argc, char **argv, Args *a, sim_config_t *cfg)
{
    char err[512];
    if (argc < 2)
        return usage();
    a->cmd = argv[1];
    if (a->cmd == "--help" || a->cmd == "-h")
        return usage(stdout) - 1;
    for (int i = 2; i < argc; i++) {
        std::string s = argv[i];
        bool bad_num = false;
        auto val = [&](uint64_t *v) {
            bad_num = i + 1 >= argc || parse_u64(argv[i + 1], v);
            i++;
        };
        if (s == "--seed") val(&a->seed);
        else if (s == "--seeds") val(&a->seeds);
        else if (s == "--requests") val(&a->requests);
        else if (s == "--max-refs") val(&a->os.max_refs);
        else if (s == "--refs") a->os.refs = true;
        else if (s == "--check") a->os.check = true;
        else if (s == "--cycle") continue; // `mmusim run` spelling: both sides are cycle-level
        else if (s == "--stats" && i + 1 < argc) {
            if (stats_parse_format(argv[++i], &a->os.fmt)) {
                fprintf(stderr, "--stats: '%s' is not one of table, json, csv, none\n", argv[i]);
                return 2;
            }
        } else if (s == "--set" && i + 1 < argc) {
            if (!rtl_cli_set(argv[++i], SC_TB_CONFIG, cfg, &a->os))
                return 2;
        } else if (s == "--help") return usage(stdout) - 1;
        else if (s[0] == '-') return usage();
        else a->files.push_back(s);
        if (bad_num) {
            fprintf(stderr, "%s: needs a number\n", s.c_str());
            return 2;
        }
    }
    if (config_validate(cfg, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    return 0;
}

// Runs the simulation to the end of every driver's thread.
double simulate()
{
    auto t0 = std::chrono::steady_clock::now();
    sc_core::sc_start();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int cmd_random(const Args &a, const sim_config_t &cfg, VerilatedContext *vctx)
{
    std::vector<std::unique_ptr<RandomDriver>> drivers;
    for (uint64_t s = a.seed; s < a.seed + a.seeds; s++)
        drivers.push_back(std::make_unique<RandomDriver>(("seed" + std::to_string(s)).c_str(), cfg, s,
                                                         (unsigned)a.requests, vctx, SC_TB_BIN));
    double secs = simulate();
    uint64_t n = 0, cycles = 0;
    for (auto &d : drivers) {
        if (!d->done())
            tb_stop(std::string(d->name()) + " did not finish");
        n += d->pair().translations();
        cycles += d->pair().cycle();
    }
    printf("sc_tb %s random: seeds %" PRIu64 "..%" PRIu64 ", %" PRIu64 " translations, %" PRIu64
           " cycles, 0 mismatches, %.2f s, %.0f translations/s\n",
           SC_TB_CONFIG, a.seed, a.seed + a.seeds - 1, n, cycles, secs, secs > 0 ? n / secs : 0.0);
    return 0;
}

int cmd_vectors(const Args &a, const sim_config_t &cfg, VerilatedContext *vctx)
{
    std::vector<std::unique_ptr<VectorDriver>> drivers;
    for (size_t i = 0; i < a.files.size(); i++)
        drivers.push_back(std::make_unique<VectorDriver>(("file" + std::to_string(i)).c_str(), cfg, a.files[i], vctx));
    double secs = simulate();
    int rc = 0;
    VecCounts total;
    uint64_t n = 0;
    for (auto &d : drivers) {
        if (!d->done())
            tb_stop(std::string(d->name()) + " did not finish");
        rc = rc ? rc : d->rc();
        total.checks += d->counts().checks;
        total.skipped += d->counts().skipped;
        for (auto &p : d->sides().pairs())
            n += p->translations();
    }
    char alone[96] = "";
    if (cfg.mode == VM_SV39)
        snprintf(alone, sizeof alone, ", of which %u Sv48 translations on the model alone (Sv39 RTL)", total.skipped);
    printf("sc_tb %s vectors: %zu files, %u checks%s, %" PRIu64 " translations, %s, %.2f s\n", SC_TB_CONFIG,
           a.files.size(), total.checks, alone, n, rc ? "FAILED" : "0 mismatches", secs);
    return rc;
}

// trace and run: the OS on the pair, the output on stdout.
int cmd_os(const Args &a, sim_config_t cfg, VerilatedContext *vctx)
{
    if (a.files.size() != 1)
        return usage();
    const char *path = a.files[0].c_str();
    workload_t w;
    std::function<int(const os_machine_t *)> body;
    std::string ctx;
    if (a.cmd == "run") {
        int rc = rtl_load_workload(path, a.os, SC_TB_CONFIG, &w, &cfg);
        if (rc) {
            wl_free(&w);
            return rc;
        }
        body = [&](const os_machine_t *m) { return wl_run_on(&w, &cfg, m, a.os.check, a.os.fmt, path, stdout); };
        ctx = "workload " + a.files[0] + "; reproduce: " SC_TB_BIN " run" + (a.os.refs ? " --refs " : " ") + path;
    } else {
        body = [&](const os_machine_t *m) {
            trace_opts_t to;
            trace_opts_default(&to);
            to.max_refs = a.os.max_refs;
            to.fmt = a.os.fmt;
            char *paths[] = { const_cast<char *>(path) };
            return trace_run_on(paths, 1, &cfg, m, &to, stdout);
        };
        ctx = "trace " + a.files[0] + "; reproduce: " SC_TB_BIN " trace " + path + " --max-refs " +
              std::to_string(a.os.max_refs);
    }
    int rc;
    {
        OsDriver d("os", cfg, vctx, body);
        d.set_context(ctx);
        double secs = simulate();
        if (!d.done())
            tb_stop("the OS did not finish");
        rc = d.rc();
        fprintf(stderr, "sc_tb %s %s %s: %" PRIu64 " translations, %" PRIu64 " cycles, %s, %.2f s\n", SC_TB_CONFIG,
                a.cmd.c_str(), path, d.pair().translations(), d.pair().cycle(),
                rc == 0 ? "0 mismatches" : rc == 1 ? "FAILED" : "bad input", secs);
    }
    if (a.cmd == "run")
        wl_free(&w);
    return rc;
}

}  // namespace

int sc_main(int argc, char **argv)
{
    sim_config_t cfg;
    char err[512];
    config_defaults(&cfg);
    if (config_load(&cfg, SC_TB_CONFIG, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    Args a;
    int rc = parse_args(argc, argv, &a, &cfg);
    if (rc)
        return rc < 0 ? 0 : rc;
    // Every RTL instance starts from random initial values: a valid bit
    // left unreset shows up as a difference from the golden model.
    VerilatedContext vctx;
    vctx.randReset(2);
    tlm::tlm_global_quantum::instance().set(sc_core::sc_time(1, sc_core::SC_US));
    if (a.cmd == "random")
        return cmd_random(a, cfg, &vctx);
    if (a.cmd == "vectors")
        return cmd_vectors(a, cfg, &vctx);
    if (a.cmd == "trace" || a.cmd == "run")
        return cmd_os(a, cfg, &vctx);
    return usage();
}

// Standard output is the run's alone: no SystemC banner.
int main(int argc, char **argv)
{
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    return sc_core::sc_elab_and_sim(argc, argv);
}
