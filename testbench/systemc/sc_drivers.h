// sc_drivers.h - the initiators of the SystemC RTL testbench
// (testbench/systemc/sc_rtl_tb.cpp), each an SC_THREAD driving ScPairs of
// its own (testbench/systemc/sc_pair.h) with a quantum keeper for its
// local time:
//
//   RandomDriver  one seed of constrained-random stimulus (random_stim.h)
//   VectorDriver  one vector file (vec_run.h), a pair per DRAM section
//   OsDriver      the OS of csrc/ running a workload or a trace (sc_rtl_os.cpp)
//
// Modules cannot be made once the simulation runs, so every pair a driver
// will use is built at elaboration: a random seed's DRAM range is drawn
// first, a vector file is read ahead for its `dram` lines.  Drivers are
// independent (no shared memory or MMU) and all start at time 0.  The
// first mismatch ends the program with status 1 (tb_stop).
#ifndef MMUSIM_SC_DRIVERS_H
#define MMUSIM_SC_DRIVERS_H

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm_utils/tlm_quantumkeeper.h>

#include "os_hw.h"
#include "random_stim.h"
#include "sc_pair.h"
#include "vec_run.h"

// The MMU clock of every pair.
extern const sc_core::sc_time kScPeriod;

// Ends the program with status 1 after a mismatch (already reported): the
// OS's C code in the middle of a call cannot be unwound, as in the lockstep.
[[noreturn]] void tb_stop(const std::string &why);

class RandomDriver : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(RandomDriver);
    // cfg: the build's; bin names the program in the reproduce line.
    RandomDriver(sc_core::sc_module_name name, const sim_config_t &cfg, uint64_t seed, unsigned requests,
                 VerilatedContext *vctx, const std::string &bin);
    const ScPair &pair() const { return *pair_; }
    bool done() const { return done_; }

private:
    void run();

    RandomStim stim_;
    uint64_t seed_;
    unsigned requests_;
    std::unique_ptr<ScPair> pair_;
    bool done_ = false;
};

// The pairs of one vector file as vec_run_file drives them.
class TlmVecSides : public VecSides {
public:
    TlmVecSides(std::vector<std::unique_ptr<ScPair>> pairs) : pairs_(std::move(pairs)) {}
    void restart(uint64_t base, uint64_t size) override;
    void set_csr(const mmu_csr_t &csr) override;
    void set_ad(ad_policy_t ad) override;
    void write64(uint64_t pa, uint64_t v) override { cur().write64(pa, v); }
    uint64_t read64_model(uint64_t pa) override { return cur().read64_model(pa); }
    uint64_t read64_rtl(uint64_t pa) override { return cur().read64_rtl(pa); }
    dram_t *dram_model() override { return cur().dram_model(); }
    bool sfence(const mmu_sfence_t &f) override;
    bool translate(const mmu_req_t &req, mmu_resp_t *resp) override;
    void set_context(const std::string &s) override { cur().set_context(s); }
    bool failed() const override;
    const std::vector<std::unique_ptr<ScPair>> &pairs() const { return pairs_; }

private:
    ScPair &cur();

    std::vector<std::unique_ptr<ScPair>> pairs_;
    size_t next_ = 0;  // pairs_[next_ - 1] is the current one
    tlm_utils::tlm_quantumkeeper qk_;
    mmu_csr_t csr_{};
    ad_policy_t ad_ = AD_SVADE;
};

class VectorDriver : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(VectorDriver);
    // Reads path ahead and builds a pair per DRAM section of it.
    VectorDriver(sc_core::sc_module_name name, const sim_config_t &cfg, const std::string &path,
                 VerilatedContext *vctx);
    const VecCounts &counts() const { return counts_; }
    const TlmVecSides &sides() const { return *sides_; }
    // The file's exit status once done: 0, 1 unmet expectation, 2 bad input.
    int rc() const { return rc_; }
    bool done() const { return done_; }

private:
    void run();

    sim_config_t cfg_;
    std::string path_;
    std::unique_ptr<TlmVecSides> sides_;
    VecCounts counts_;
    int rc_ = 2;
    bool done_ = false;
};

class OsDriver : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(OsDriver);
    // body runs the OS driver (wl_run_on, trace_run_on) on the machine it
    // is given and returns its exit status; cfg: the run's configuration.
    OsDriver(sc_core::sc_module_name name, const sim_config_t &cfg, VerilatedContext *vctx,
             std::function<int(const os_machine_t *)> body);
    const ScPair &pair() const { return *pair_; }
    int rc() const { return rc_; }
    bool done() const { return done_; }
    void set_context(const std::string &s) { pair_->set_context(s); }

private:
    void run();
    static fault_t hw_translate(void *ctx, const mmu_req_t *req, mmu_resp_t *resp);
    static void hw_sfence(void *ctx, const mmu_sfence_t *f);
    static void hw_set_csr(void *ctx, const mmu_csr_t *csr);
    static void hw_wait(void *ctx, uint64_t cycles);

    std::unique_ptr<ScPair> pair_;
    std::function<int(const os_machine_t *)> body_;
    os_machine_t mach_;
    tlm_utils::tlm_quantumkeeper qk_;
    uint64_t since_check_ = 0;
    int rc_ = 2;
    bool done_ = false;
};

#endif
