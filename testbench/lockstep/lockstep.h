// lockstep.h - the verilated RTL (rtl/mmu_top.v) and the golden model
// (model/mmu.h, cycle level) run side by side on the same inputs, compared
// every cycle at the MMU boundary.  Each side has its own DRAM image and a
// memory port with the same timing model (model/memport.c); back-pressure is
// drawn from one seed, so two correct sides see the same memory.
#ifndef MMUSIM_LOCKSTEP_H
#define MMUSIM_LOCKSTEP_H

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config.h"
#include "dram.h"
#include "dram_pair.h"
#include "history.h"
#include "memport.h"
#include "mmu.h"
#include "rtl_os.h"
#include "rtl_port.h"
#include "stats.h"

#ifdef LOCKSTEP_CONFIG
#include <cstdio>

// Loads the configuration the binary was built for (LOCKSTEP_CONFIG) into
// *cfg over the defaults; false after printing the error.
inline bool lockstep_load_config(sim_config_t *cfg)
{
    char err[512];
    config_defaults(cfg);
    if (config_load(cfg, LOCKSTEP_CONFIG, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return false;
    }
    return true;
}
#endif

class Vmmu_top;
class VerilatedContext;
class VerilatedFstC;

// Inputs a stimulus gives for one cycle (memory inputs come from the ports).
struct Stim {
    int req_valid = 0;
    mmu_req_t req{};
    mmu_sfence_t sfence{};
};

// Functional coverage points observed on the RTL side (see coverage_report).
struct FuncCov {
    std::vector<std::pair<std::string, uint64_t>> points;
    void hit(const std::string &name);
    void declare(const std::string &name);
};

class Lockstep {
public:
    explicit Lockstep(const sim_config_t &cfg);
    ~Lockstep();

    // Fresh DRAM images and structures on both sides (RTL reset), memory
    // port with ready_pct percent readiness and back-pressure seed.
    void reset(uint64_t dram_base, uint64_t dram_size, unsigned ready_pct, uint32_t seed);

    // CSR state driven to both sides from the next cycle on.
    void set_csr(const mmu_csr_t &csr);
    void set_ad(ad_policy_t ad);
    const mmu_csr_t &csr() const { return port_->csr(); }
    ad_policy_t ad() const { return port_->ad(); }

    // One cycle.  false on a mismatch (already reported).
    bool cycle(const Stim &s);

    // Runs req to its response: offered from this cycle on, with fences in
    // flight drawn with chance fence_pct per cycle (from rng).  false on a
    // mismatch; *resp is the RTL's response (its fault and PA, with the
    // model's cycle and latency), which is what the OS acts on.
    bool translate(const mmu_req_t &req, mmu_resp_t *resp, unsigned fence_pct = 0, uint32_t *rng = nullptr,
                   const mmu_sfence_t *fence = nullptr);
    bool sfence(const mmu_sfence_t &f);

    // Writes a word to both DRAM images (the operating system's writes).
    void write64(uint64_t pa, uint64_t v) { dram_pair_write64(dm_, dr_, pa, v); }
    uint64_t read64_model(uint64_t pa) { return dram_word_at(dm_, pa); }
    uint64_t read64_rtl(uint64_t pa) { return dram_word_at(dr_, pa); }
    // Compares the pages [pa, pa + 4096) of both images; false (reported) on a difference.
    bool compare_page(uint64_t pa);
    // Compares every page either image holds; false (reported) on a difference.
    bool compare_images();

    // The model's DRAM image, the one the operating system (csrc/) manages.
    // mirror_writes() (again after each reset) copies every write made to it
    // outside cycle(), i.e. the OS's, to the RTL's image; the walkers' own
    // writes stay on their side, where the comparison checks them.
    dram_t *dram_model() { return dm_; }
    void mirror_writes();
    // cycles idle cycles (the CPU in the fault handler), compared like any
    // other and counted in the model's statistics; false on a mismatch.
    bool idle(uint64_t cycles);
    // Ends the waveform properly: call before exiting on a mismatch.
    void close_wave();

    void note(const std::string &s);      // adds to the history
    void declare_cov();                   // every functional point, count 0
    void write_line_coverage(const std::string &path); // Verilator coverage.dat (coverage builds)
    void open_wave(const std::string &path, uint64_t from);
    void set_context(const std::string &s) { context_ = s; }

    uint64_t now() const { return now_; }
    uint64_t requests() const { return requests_; }
    bool failed() const { return failed_; }
    mmu_t *model() { return m_; }
    FuncCov cov;
    bool cov_on = false;

private:
    void report(const char *what, const mmu_out_t &om, const mmu_out_t &orr);
    void observe_cov(const mmu_in_t &in, const mmu_out_t &out);
    bool step(const Stim &s);
    void teardown();
    bool image_mismatch(const DramDiff &d);

    sim_config_t cfg_;
    std::unique_ptr<VerilatedContext> ctx_;
    Vmmu_top *top_ = nullptr;
    std::unique_ptr<RtlPort> port_;  // over top_, which is made in the constructor's body
    VerilatedFstC *tfp_ = nullptr;
    uint64_t wave_from_ = 0;
    mmu_t *m_ = nullptr;
    dram_t *dm_ = nullptr, *dr_ = nullptr;
    memport_t pm_{}, pr_{};
    bool ports_ = false;
    uint64_t now_ = 0, requests_ = 0;
    bool failed_ = false;
    bool in_cycle_ = false;  // the model's walker may be writing dm_
    DramMirror mirror_;
    bool last_accept_ = false, last_resp_valid_ = false;
    mmu_resp_t last_resp_{};
    History hist_;
    std::string context_;
    // coverage bookkeeping of the request in flight
    int cov_walk_ = 0, cov_fenced_ = 0, cov_reads_ = 0, cov_ad_ = 0, cov_level_ = 0;
    mmu_req_t cov_req_{};
};

// A workload (docs/workload.md) through the fault handler on the pair.
// Exit status: 0, 1 on a mismatch or a broken invariant, 2 on bad input.
int lockstep_run_workload(Lockstep &ls, sim_config_t cfg, const LsOsOptions &o, const char *path);
// A lackey trace as process 1 of the OS on the pair (as `mmusim trace`).
int lockstep_run_trace(Lockstep &ls, const sim_config_t &cfg, const LsOsOptions &o, const char *path);

// Directed stimulus: every way of one set, and every page level, hit in
// each TLB (testbench/lockstep/lockstep_fill.cpp).  0, or 1 on a mismatch or when the
// stimulus did not reach what it aims at.
int lockstep_run_fill(Lockstep &ls, const sim_config_t &cfg);

#endif
