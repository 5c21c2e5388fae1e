// sc_pair.h - the golden model and the verilated RTL side by side on the
// TLM platform of app/systemc/, compared at the TLM boundary:
//
//              +--golden_socket--> MmuTlm (GoldenEngine) --> DramTlm (golden image)
//   ScPair ----+
//              +--rtl_socket-----> MmuTlm (RtlEngine)    --> DramTlm (RTL image)
//
// Every translation goes to both MMUs at the same time and must come back
// the same: response status, fault, PA, the extension's cycles (arrival,
// accept, response), the annotated delay, and the walker's traffic (reads
// and writes on each mem_socket).  Control calls (sfence, CSRs, handler
// time) go to both.  The two DRAM images are compared on request (at
// checkpoints) and must stay equal: each walker writes A/D bits into its
// own image, the harness's and the OS's writes go to both.  The first
// mismatch is reported with both sides, the request and the recent
// history, and the pair stays failed.
#ifndef MMUSIM_SC_PAIR_H
#define MMUSIM_SC_PAIR_H

#include <cstdint>
#include <memory>
#include <string>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "dram_pair.h"
#include "dram_tlm.h"
#include "history.h"
#include "mmu_tlm.h"
#include "rtl_engine.h"

class ScPair : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<ScPair> golden_socket, rtl_socket;

    // At elaboration: both sides for cfg (its DRAM range, timing and A/D
    // policy), one MMU cycle being period; vctx must outlive the pair.
    ScPair(sc_core::sc_module_name name, const sim_config_t &cfg, VerilatedContext *vctx,
           const sc_core::sc_time &period);
    ~ScPair() override;
    ScPair(const ScPair &) = delete;
    ScPair &operator=(const ScPair &) = delete;

    // Each at sc_time_stamp() + delay, as MmuTlm's calls, delay advanced as
    // they advance it; false on a mismatch (reported).  *resp: the RTL's
    // fault and PA, the cycles of the extension (what the OS acts on).
    bool translate(const mmu_req_t &req, sc_core::sc_time &delay, mmu_resp_t *resp);
    bool sfence(const mmu_sfence_t &f, sc_core::sc_time &delay);
    void set_csr(const mmu_csr_t &csr, sc_core::sc_time &delay);
    void set_ad(ad_policy_t ad, sc_core::sc_time &delay);
    bool handler_wait(uint64_t cycles, sc_core::sc_time &delay);

    // Both images: the harness's writes (page tables, a vector's `mem`).
    void write64(uint64_t pa, uint64_t v) { dram_pair_write64(golden_dram_, rtl_dram_, pa, v); }
    uint64_t read64_model(uint64_t pa) { return dram_word_at(golden_dram_, pa); }
    uint64_t read64_rtl(uint64_t pa) { return dram_word_at(rtl_dram_, pa); }
    // The page at pa, or every page either image holds, equal in both; false (reported) when not.
    bool compare_page(uint64_t pa);
    bool compare_images();
    // From now on every write to the golden image made outside an MMU call
    // (the OS's) is copied to the RTL's; the walkers' own stay on their side.
    void mirror_writes();

    dram_t *dram_model() { return golden_dram_; }
    mmu_t *model() { return golden_mmu_; }
    const sim_config_t &cfg() const { return cfg_; }
    // Named in a mismatch report: how to reproduce it.
    void set_context(const std::string &s) { context_ = s; }
    bool failed() const { return failed_; }
    uint64_t translations() const { return translations_; }
    uint64_t cycle() const { return golden_engine_->now(); }

private:
    struct Seen;  // one side's answer to a translation
    bool check_rtl_error();
    template <typename F> bool on_both(const char *what, sc_core::sc_time &delay, F call);
    void report(const std::string &what, const mmu_req_t *req, const Seen *g, const Seen *r);
    bool image_mismatch(const DramDiff &d);

    sim_config_t cfg_;
    dram_t *golden_dram_, *rtl_dram_;
    mmu_t *golden_mmu_;
    std::unique_ptr<GoldenEngine> golden_engine_;
    std::unique_ptr<RtlEngine> rtl_engine_;
    std::unique_ptr<MmuTlm> golden_tlm_, rtl_tlm_;
    std::unique_ptr<DramTlm> golden_mem_, rtl_mem_;
    tlm::tlm_generic_payload golden_gp_, rtl_gp_;
    MmuXlateExt &golden_ext_, &rtl_ext_;  // owned by the payloads, which free them
    mmu_csr_t csr_{};
    ad_policy_t ad_;
    bool in_mmu_ = false;  // an MMU call is running: its walker writes are its own
    DramMirror mirror_;
    bool failed_ = false;
    uint64_t translations_ = 0;
    History hist_;
    std::string context_;
};

#endif
