// lockstep_main.cpp - stimulus for the RTL/model lockstep (testbench/lockstep/lockstep.h):
//
//   lockstep_PRESET random [--seed S] [--seeds N] [--requests M]
//   lockstep_PRESET fill          (directed: testbench/lockstep/lockstep_fill.cpp)
//   lockstep_PRESET vectors FILE...
//   lockstep_PRESET trace FILE [--max-refs N] [--stats FMT]
//   lockstep_PRESET run [--refs] [--check] [--stats FMT] FILE
//   common options: --set KEY=VALUE (dram.* timing, os.*, swap.*: the MMU is
//                   fixed by the build), --wave FILE.fst, --wave-from CYCLE,
//                   --cov FILE (functional coverage points)
//
// trace and run go through the operating system's fault handler (csrc/, see
// testbench/lockstep/lockstep_os.cpp); their output is that of `mmusim trace/run`
// with the statistics of the model's side, and the summary goes to stderr.
//
// The binary is built for one configuration (LOCKSTEP_CONFIG, the same file
// `mmusim config --rtl-params` turned into the RTL's parameters).  Exit status: 0 no
// mismatch, 1 a mismatch (reported with the seed to reproduce it), 2 usage.
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "lockstep.h"
#include "parse.h"
#include "random_stim.h"
#include "vec_run.h"

#ifndef LOCKSTEP_CONFIG
#error "build with -DLOCKSTEP_CONFIG=\"configs/NAME.cfg\""
#endif

// ---------------------------------------------- constrained-random stimulus
// testbench/lockstep/random_stim.h draws it; here it is applied cycle by
// cycle, fences and CSR changes in flight included.

// Compares the pages the tables live in; false (reported) on a difference.
static bool compare_frames(Lockstep &ls, const RandomStim &stim)
{
    for (uint64_t f : stim.frames())
        if (!ls.compare_page(f))
            return false;
    return true;
}

// One seed of `random`: requests steps on a fresh pair; false on a mismatch.
static bool run_random(Lockstep &ls, const sim_config_t &cfg, uint64_t seed, unsigned requests)
{
    char ctx[512];
    RandomStim stim(cfg, seed);
    PairMemory<Lockstep> mem(ls);

    ls.reset(stim.dram_base(), stim.dram_size(), stim.ready_pct(), (uint32_t)(seed * 2654435761u) | 1);
    ls.set_ad(stim.ad());
    snprintf(ctx, sizeof ctx, "reproduce: %s random --seed %" PRIu64 " --seeds 1 --requests %u", LOCKSTEP_BIN,
             seed, requests);
    ls.set_context(ctx);
    ls.set_csr(stim.build(mem));
    uint32_t frng = (uint32_t)seed | 1;

    for (unsigned n = 0; n < requests; n++) {
        StimStep s = stim.next(mem);
        if (s.flip_ad)
            ls.set_ad(s.ad);
        ls.set_csr(s.csr);
        for (const mmu_sfence_t &f : s.gap) {
            Stim c;
            c.sfence = f;
            if (!ls.cycle(c))
                return false;
        }
        if (s.fence_before && !ls.sfence(s.fence))
            return false;
        mmu_resp_t resp;
        if (!ls.translate(s.req, &resp, s.inflight_pct, &frng, &s.inflight_fence))
            return false;
        if (s.sum_after) {
            mmu_csr_t c = s.csr;
            c.sum = !c.sum;
            ls.set_csr(c);
        }
        if (s.checkpoint && !compare_frames(ls, stim))
            return false;
    }
    return compare_frames(ls, stim);
}

// -------------------------------------------------------------- vectors
// testbench/lockstep/vec_run.h runs the file; the lockstep is its pair.
class LockstepSides : public VecSides {
public:
    explicit LockstepSides(Lockstep &ls) : ls_(ls) {}
    void restart(uint64_t base, uint64_t size) override
    {
        ls_.reset(base, size, 100, 1);
        ls_.mirror_writes();
    }
    void set_csr(const mmu_csr_t &csr) override { ls_.set_csr(csr); }
    void set_ad(ad_policy_t ad) override { ls_.set_ad(ad); }
    void write64(uint64_t pa, uint64_t v) override { ls_.write64(pa, v); }
    uint64_t read64_model(uint64_t pa) override { return ls_.read64_model(pa); }
    uint64_t read64_rtl(uint64_t pa) override { return ls_.read64_rtl(pa); }
    dram_t *dram_model() override { return ls_.dram_model(); }
    bool sfence(const mmu_sfence_t &f) override { return ls_.sfence(f); }
    bool translate(const mmu_req_t &req, mmu_resp_t *resp) override { return ls_.translate(req, resp); }
    void set_context(const std::string &s) override { ls_.set_context(s); }
    bool failed() const override { return ls_.failed(); }

private:
    Lockstep &ls_;
};

// ----------------------------------------------------------- coverage file
static void write_cov(const Lockstep &ls, const char *path)
{
    FILE *f = fopen(path, "a");
    if (!f)
        return;
    for (auto &p : ls.cov.points)
        fprintf(f, "%s %" PRIu64 "\n", p.first.c_str(), p.second);
    fclose(f);
}

// The usage text on out; the status a caller should exit with (0 for --help).
static int usage(FILE *out = stderr)
{
    fprintf(out,
            "usage: %s COMMAND [OPTIONS]   (the RTL built for %s in lockstep with the model)\n"
            "  random [--seed S] [--seeds N] [--requests M]   constrained-random page tables and requests\n"
            "  fill                                           every way of every TLB filled and hit\n"
            "  vectors FILE...                                vector files (docs/vectors.md)\n"
            "  trace FILE [--max-refs N] [--stats FMT]        a lackey trace through the OS of csrc/\n"
            "  run [--refs] [--check] [--stats FMT] FILE      a workload (docs/workload.md) through it\n"
            "options: --set KEY=VALUE (dram.*, os.*, swap.*)  --wave FILE.fst  --wave-from CYCLE\n"
            "         --cov FILE (functional coverage points)  --help\n"
            "exit status: 0 no mismatch, 1 mismatch, 2 bad usage or input; docs/rtl.md\n",
            LOCKSTEP_BIN, LOCKSTEP_CONFIG);
    return out == stderr ? 2 : 0;
}

int main(int argc, char **argv)
{
    sim_config_t cfg;
    char err[512];
    if (!lockstep_load_config(&cfg))
        return 2;
    if (argc < 2)
        return usage();
    std::string cmd = argv[1];
    if (cmd == "--help" || cmd == "-h")
        return usage(stdout);
    uint64_t seed = 1, seeds = 1, requests = 10000, wave_from = 0;
    LsOsOptions os;
    std::string wave, cov;
    std::vector<std::string> files;
    for (int i = 2; i < argc; i++) {
        std::string a = argv[i];
        auto val = [&](uint64_t *v) {
            if (i + 1 >= argc || parse_u64(argv[i + 1], v)) {
                fprintf(stderr, "%s: needs a number\n", a.c_str());
                exit(2);
            }
            i++;
        };
        if (a == "--seed") val(&seed);
        else if (a == "--seeds") val(&seeds);
        else if (a == "--requests") val(&requests);
        else if (a == "--max-refs") val(&os.max_refs);
        else if (a == "--refs") os.refs = true;
        else if (a == "--check") os.check = true;
        else if (a == "--cycle") continue; // `mmusim run` spelling: the pair is always cycle-level
        else if (a == "--stats" && i + 1 < argc) {
            if (stats_parse_format(argv[++i], &os.fmt)) {
                fprintf(stderr, "--stats: '%s' is not one of table, json, csv, none\n", argv[i]);
                return 2;
            }
        }
        else if (a == "--wave-from") val(&wave_from);
        else if (a == "--wave" && i + 1 < argc) wave = argv[++i];
        else if (a == "--cov" && i + 1 < argc) cov = argv[++i];
        else if (a == "--set" && i + 1 < argc) {
            if (!rtl_cli_set(argv[++i], LOCKSTEP_CONFIG, &cfg, &os))
                return 2;
        } else if (a == "--help") return usage(stdout);
        else if (a[0] == '-') return usage();
        else files.push_back(a);
    }
    if (config_validate(&cfg, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }

    Lockstep ls(cfg);
    ls.cov_on = !cov.empty();
    if (ls.cov_on)
        ls.declare_cov();
    if (!wave.empty())
        ls.open_wave(wave, wave_from);
    int rc = 0;
    auto t0 = std::chrono::steady_clock::now();
    if (cmd == "fill") {
        rc = lockstep_run_fill(ls, cfg);
    } else if (cmd == "random") {
        for (uint64_t s = seed; s < seed + seeds; s++) {
            if (!run_random(ls, cfg, s, (unsigned)requests)) {
                fprintf(stderr, "random seed %" PRIu64 ": FAILED\n", s);
                rc = 1;
                break;
            }
        }
        printf("lockstep %s random: seeds %" PRIu64 "..%" PRIu64 ", %" PRIu64 " requests, %" PRIu64
               " cycles, %s\n",
               LOCKSTEP_CONFIG, seed, seed + seeds - 1, ls.requests(), ls.now(), rc ? "MISMATCH" : "0 mismatches");
    } else if (cmd == "vectors") {
        VecCounts counts;
        LockstepSides sides(ls);
        for (auto &f : files) {
            rc = vec_run_file(sides, cfg, f.c_str(), &counts);
            if (rc)
                break;
        }
        char alone[96] = "";
        if (cfg.mode == VM_SV39)
            snprintf(alone, sizeof alone, ", of which %u Sv48 translations on the model alone (Sv39 RTL)",
                     counts.skipped);
        printf("lockstep %s vectors: %zu files, %u checks%s, %" PRIu64 " requests, %s\n", LOCKSTEP_CONFIG,
               files.size(), counts.checks, alone, ls.requests(), rc ? "FAILED" : "0 mismatches");
    } else if (cmd == "trace" || cmd == "run") {
        if (files.size() != 1)
            return usage();
        rc = cmd == "trace" ? lockstep_run_trace(ls, cfg, os, files[0].c_str())
                            : lockstep_run_workload(ls, cfg, os, files[0].c_str());
        fprintf(stderr, "lockstep %s %s %s: %" PRIu64 " requests, %" PRIu64 " cycles, %s\n", LOCKSTEP_CONFIG,
                cmd.c_str(), files[0].c_str(), ls.requests(), ls.now(),
                rc == 0 ? "0 mismatches" : rc == 1 ? "FAILED" : "bad input");
    } else {
        return usage();
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    fprintf(cmd == "trace" || cmd == "run" ? stderr : stdout, "lockstep %s %s: %.2f s, %.2f M cycles/s\n",
            LOCKSTEP_CONFIG, cmd.c_str(), secs, secs > 0 ? ls.now() / secs / 1e6 : 0.0);
    if (!cov.empty()) {
        write_cov(ls, cov.c_str());
        ls.write_line_coverage(cov + "." + cmd + ".dat");
    }
    return rc;
}
