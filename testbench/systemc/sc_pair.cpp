// sc_pair.cpp - the golden model and the RTL compared at the TLM boundary
// (testbench/systemc/sc_pair.h).
#include "sc_pair.h"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>

using sc_core::sc_time;

// One side's answer to a translation, as the initiator sees it.
struct ScPair::Seen {
    tlm::tlm_response_status status;
    MmuXlateExt x;
    sc_time delay;
    uint64_t reads, writes;  // the walker's transactions on mem_socket for this request
};

namespace {

// Dies on host memory exhaustion at elaboration: nothing to compare then.
template <typename T> T *need(T *p)
{
    if (!p) {
        fprintf(stderr, "sc_rtl_tb: out of memory\n");
        exit(2);
    }
    return p;
}

std::string fmt_seen(const MmuXlateExt &x, const sc_time &delay, tlm::tlm_response_status st, uint64_t reads,
                     uint64_t writes)
{
    char b[300];
    snprintf(b, sizeof b,
             "status=%d fault=%s pa=%#" PRIx64 " arrival=%" PRIu64 " accept=%" PRIu64 " resp=%" PRIu64
             " delay=%s walker reads=%" PRIu64 " writes=%" PRIu64,
             (int)st, fault_name(x.fault), x.pa, x.arrival_cycle, x.accept_cycle, x.resp_cycle,
             delay.to_string().c_str(), reads, writes);
    return b;
}

}  // namespace

ScPair::ScPair(sc_core::sc_module_name name, const sim_config_t &cfg, VerilatedContext *vctx, const sc_time &period)
    : sc_module(name), golden_socket("golden_socket"), rtl_socket("rtl_socket"), cfg_(cfg),
      golden_dram_(need(dram_create(cfg.dram.base, cfg.dram.size))),
      rtl_dram_(need(dram_create(cfg.dram.base, cfg.dram.size))), golden_mmu_(need(mmu_create(&cfg, golden_dram_))),
      golden_ext_(*new MmuXlateExt), rtl_ext_(*new MmuXlateExt), ad_(cfg.ad)
{
    golden_engine_ = std::make_unique<GoldenEngine>(golden_mmu_);
    rtl_engine_ = std::make_unique<RtlEngine>(vctx, cfg.dram.base, cfg.dram.size);
    rtl_engine_->set_ad(cfg.ad);
    golden_tlm_ = std::make_unique<MmuTlm>("golden_mmu", *golden_engine_, period);
    rtl_tlm_ = std::make_unique<MmuTlm>("rtl_mmu", *rtl_engine_, period);
    golden_mem_ = std::make_unique<DramTlm>("golden_dram", golden_dram_, cfg.dram, period);
    rtl_mem_ = std::make_unique<DramTlm>("rtl_dram", rtl_dram_, cfg.dram, period);
    golden_socket.bind(golden_tlm_->cpu_socket);
    rtl_socket.bind(rtl_tlm_->cpu_socket);
    golden_tlm_->mem_socket.bind(golden_mem_->socket);
    rtl_tlm_->mem_socket.bind(rtl_mem_->socket);
    for (tlm::tlm_generic_payload *gp : { &golden_gp_, &rtl_gp_ }) {
        gp->set_data_ptr(nullptr);
        gp->set_data_length(0);
        gp->set_streaming_width(0);
    }
    golden_gp_.set_extension(&golden_ext_);
    rtl_gp_.set_extension(&rtl_ext_);
}

ScPair::~ScPair()
{
    golden_mem_.reset();
    rtl_mem_.reset();
    golden_tlm_.reset();
    rtl_tlm_.reset();
    golden_engine_.reset();
    rtl_engine_.reset();
    mmu_destroy(golden_mmu_);
    dram_destroy(golden_dram_);
    dram_destroy(rtl_dram_);
}

// The RTL did something while it should have been idle: a mismatch.
bool ScPair::check_rtl_error()
{
    if (rtl_engine_->error().empty())
        return true;
    report(rtl_engine_->error(), nullptr, nullptr, nullptr);
    return false;
}

bool ScPair::translate(const mmu_req_t &req, sc_time &delay, mmu_resp_t *resp)
{
    Seen g, r;
    struct Side {
        tlm_utils::simple_initiator_socket<ScPair> &socket;
        tlm::tlm_generic_payload &gp;
        MmuXlateExt &x;
        const MmuTlm &mmu;
        Seen &seen;
    } sides[] = { { golden_socket, golden_gp_, golden_ext_, *golden_tlm_, g },
                  { rtl_socket, rtl_gp_, rtl_ext_, *rtl_tlm_, r } };

    in_mmu_ = true;
    for (Side &s : sides) {
        uint64_t reads = s.mmu.counters().mem_reads, writes = s.mmu.counters().mem_writes;
        s.x.acc = req.acc;
        s.x.priv = req.priv;
        s.x.asid = req.asid;
        s.x.replay = req.replay != 0;
        s.gp.set_address(req.va);
        s.gp.set_command(req.acc == ACC_STORE ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
        s.gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        s.seen.delay = delay;
        s.socket->b_transport(s.gp, s.seen.delay);
        s.seen.status = s.gp.get_response_status();
        s.seen.x = s.x;
        s.seen.reads = s.mmu.counters().mem_reads - reads;
        s.seen.writes = s.mmu.counters().mem_writes - writes;
    }
    in_mmu_ = false;
    translations_++;
    char b[200];
    snprintf(b, sizeof b,
             "t va=%#" PRIx64 " %s %c asid=%u%s -> %s pa=%#" PRIx64 " accept %" PRIu64 " resp %" PRIu64
             " (%" PRIu64 "r %" PRIu64 "w)",
             req.va, acc_name(req.acc), req.priv == PRIV_S ? 'S' : 'U', req.asid, req.replay ? " replay" : "",
             fault_name(g.x.fault), g.x.pa, g.x.accept_cycle, g.x.resp_cycle, g.reads, g.writes);
    hist_.add(g.x.arrival_cycle, b);

    const char *bad = nullptr;
    if (g.status != r.status)
        bad = "response status";
    else if (g.x.fault != r.x.fault || g.x.pa != r.x.pa)
        bad = "response (fault cause or PA)";
    else if (g.x.arrival_cycle != r.x.arrival_cycle || g.x.accept_cycle != r.x.accept_cycle)
        bad = "arrival or accept cycle";
    else if (g.x.resp_cycle != r.x.resp_cycle)
        bad = "response cycle";
    else if (g.delay != r.delay)
        bad = "annotated delay";
    else if (g.reads != r.reads || g.writes != r.writes)
        bad = "walker traffic (PTE reads or A/D writes)";
    if (bad) {
        report(bad, &req, &g, &r);
        return false;
    }
    delay = r.delay;
    resp->fault = r.x.fault;
    resp->pa = r.x.pa;
    resp->cycle = r.x.resp_cycle;
    resp->latency = r.x.latency();
    return check_rtl_error();
}

// Runs call on each side's MmuTlm from delay; both must advance it alike.
template <typename F> bool ScPair::on_both(const char *what, sc_time &delay, F call)
{
    sc_time dg = delay, dr = delay;
    in_mmu_ = true;
    call(*golden_tlm_, dg);
    call(*rtl_tlm_, dr);
    in_mmu_ = false;
    if (dg != dr) {
        report(std::string(what) + ": annotated delay " + dg.to_string() + " (golden) vs " + dr.to_string() +
                   " (rtl)",
               nullptr, nullptr, nullptr);
        return false;
    }
    delay = dg;
    return check_rtl_error();
}

bool ScPair::sfence(const mmu_sfence_t &f, sc_time &delay)
{
    char b[128];
    snprintf(b, sizeof b, "sfence use_va=%d va=%#" PRIx64 " use_asid=%d asid=%u", f.use_va, f.va, f.use_asid,
             f.asid);
    hist_.add(golden_tlm_->cycle_at(sc_core::sc_time_stamp() + delay), b);
    return on_both("sfence", delay, [&](MmuTlm &m, sc_time &d) { m.sfence(f, d); });
}

void ScPair::set_csr(const mmu_csr_t &csr, sc_time &delay)
{
    if (csr.mode != csr_.mode || csr.root_ppn != csr_.root_ppn || csr.sum != csr_.sum || csr.mxr != csr_.mxr) {
        char b[128];
        snprintf(b, sizeof b, "csr mode=%d root_ppn=%#" PRIx64 " sum=%d mxr=%d", (int)csr.mode, csr.root_ppn,
                 csr.sum, csr.mxr);
        hist_.add(golden_tlm_->cycle_at(sc_core::sc_time_stamp() + delay), b);
    }
    csr_ = csr;
    golden_tlm_->set_csr(csr, delay);
    rtl_tlm_->set_csr(csr, delay);
}

void ScPair::set_ad(ad_policy_t ad, sc_time &delay)
{
    hist_.add(golden_tlm_->cycle_at(sc_core::sc_time_stamp() + delay), ad == AD_SVADU ? "ad svadu" : "ad svade");
    ad_ = ad;
    golden_tlm_->set_ad(ad, delay);
    rtl_tlm_->set_ad(ad, delay);
}

bool ScPair::handler_wait(uint64_t cycles, sc_time &delay)
{
    return on_both("handler wait", delay, [&](MmuTlm &m, sc_time &d) { m.handler_wait(cycles, d); });
}

void ScPair::report(const std::string &what, const mmu_req_t *req, const Seen *g, const Seen *r)
{
    if (failed_)
        return;
    failed_ = true;
    fprintf(stderr, "\nSYSTEMC RTL MISMATCH in %s at translation %" PRIu64 " (golden cycle %" PRIu64 "): %s\n",
            name(), translations_, golden_engine_->now(), what.c_str());
    if (req)
        fprintf(stderr, "  request: va=%#" PRIx64 " acc=%s priv=%c asid=%u%s\n", req->va, acc_name(req->acc),
                req->priv == PRIV_S ? 'S' : 'U', req->asid, req->replay ? " replay" : "");
    if (g && r) {
        fprintf(stderr, "  golden: %s\n", fmt_seen(g->x, g->delay, g->status, g->reads, g->writes).c_str());
        fprintf(stderr, "  rtl:    %s\n", fmt_seen(r->x, r->delay, r->status, r->reads, r->writes).c_str());
    }
    fprintf(stderr, "  csr: mode=%d root_ppn=%#" PRIx64 " sum=%d mxr=%d ad=%s dram=[%#" PRIx64 ", +%#" PRIx64 ")\n",
            (int)csr_.mode, csr_.root_ppn, csr_.sum, csr_.mxr, ad_ == AD_SVADU ? "svadu" : "svade", cfg_.dram.base,
            cfg_.dram.size);
    hist_.print(stderr);
    if (!context_.empty())
        fprintf(stderr, "  %s\n", context_.c_str());
}

// Reports d as a mismatch; false.
bool ScPair::image_mismatch(const DramDiff &d)
{
    char b[160];
    snprintf(b, sizeof b, "DRAM images differ at %#" PRIx64 ": golden %#" PRIx64 ", rtl %#" PRIx64, d.pa, d.model,
             d.rtl);
    report(b, nullptr, nullptr, nullptr);
    return false;
}

bool ScPair::compare_page(uint64_t pa)
{
    DramDiff d;
    return dram_page_equal(golden_dram_, rtl_dram_, pa, &d) || image_mismatch(d);
}

bool ScPair::compare_images()
{
    DramDiff d;
    return dram_images_equal(golden_dram_, rtl_dram_, &d) || image_mismatch(d);
}

void ScPair::mirror_writes()
{
    mirror_.attach(golden_dram_, rtl_dram_, &in_mmu_);
}
