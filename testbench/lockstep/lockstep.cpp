// lockstep.cpp - the cycle-by-cycle comparison of rtl/mmu_top.v (verilated)
// with the golden model's cycle-level ports.  See testbench/lockstep/lockstep.h.
#include "lockstep.h"

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "Vmmu_top.h"
#include "Vmmu_top___024root.h"
#include "verilated.h"
#include "verilated_fst_c.h"
#if VM_COVERAGE
#include "verilated_cov.h"
#endif

void FuncCov::declare(const std::string &name)
{
    for (auto &p : points)
        if (p.first == name)
            return;
    points.emplace_back(name, 0);
}

void FuncCov::hit(const std::string &name)
{
    for (auto &p : points)
        if (p.first == name) {
            p.second++;
            return;
        }
    points.emplace_back(name, 1);
}

Lockstep::Lockstep(const sim_config_t &cfg) : cfg_(cfg), ctx_(new VerilatedContext)
{
    ctx_->randReset(2); // randomise initial values: an unreset valid bit shows up
    top_ = new Vmmu_top(ctx_.get());
    port_.reset(new RtlPort(top_));
    port_->set_ad(cfg.ad);
}

Lockstep::~Lockstep()
{
    close_wave();
    teardown();
    top_->final();
    delete top_;
}

void Lockstep::teardown()
{
    if (ports_) {
        memport_fini(&pm_);
        memport_fini(&pr_);
        ports_ = false;
    }
    mmu_destroy(m_);
    dram_destroy(dm_);
    dram_destroy(dr_);
    m_ = nullptr;
    dm_ = dr_ = nullptr;
}

void Lockstep::reset(uint64_t dram_base, uint64_t dram_size, unsigned ready_pct, uint32_t seed)
{
    teardown();
    cfg_.dram.base = dram_base;
    cfg_.dram.size = dram_size;
    port_->set_dram(dram_base, dram_size);
    dm_ = dram_create(dram_base, dram_size);
    dr_ = dram_create(dram_base, dram_size);
    m_ = (dm_ && dr_) ? mmu_create(&cfg_, dm_) : nullptr;
    if (!m_ || memport_init(&pm_, dm_, &cfg_.dram, ready_pct, seed) ||
        memport_init(&pr_, dr_, &cfg_.dram, ready_pct, seed)) {
        fprintf(stderr, "lockstep: out of memory\n");
        exit(2);
    }
    ports_ = true;
    mmu_set_csr(m_, &port_->csr());
    mmu_set_ad(m_, port_->ad());
    port_->reset();
}

void Lockstep::set_csr(const mmu_csr_t &csr)
{
    port_->set_csr(csr);
    if (m_)
        mmu_set_csr(m_, &csr);
}

void Lockstep::set_ad(ad_policy_t ad)
{
    port_->set_ad(ad);
    if (m_)
        mmu_set_ad(m_, ad);
}

void Lockstep::note(const std::string &s)
{
    hist_.add(now_, s);
}

void Lockstep::close_wave()
{
    if (tfp_) {
        tfp_->close();
        delete tfp_;
        tfp_ = nullptr;
    }
}

void Lockstep::open_wave(const std::string &path, uint64_t from)
{
    Verilated::traceEverOn(true);
    tfp_ = new VerilatedFstC;
    top_->trace(tfp_, 99);
    tfp_->open(path.c_str());
    wave_from_ = from;
}

static std::string fmt_out(const mmu_out_t &o)
{
    char b[256];
    snprintf(b, sizeof b,
             "req_ready=%d resp_valid=%d fault=%s pa=%#" PRIx64 " mem_req_valid=%d we=%d addr=%#" PRIx64
             " wdata=%#" PRIx64,
             o.req_ready, o.resp_valid, fault_name(o.resp.fault), o.resp.pa, o.mem_req_valid, o.mem_req_we,
             o.mem_req_addr, o.mem_req_wdata);
    return b;
}

void Lockstep::report(const char *what, const mmu_out_t &om, const mmu_out_t &orr)
{
    failed_ = true;
    fprintf(stderr, "\nLOCKSTEP MISMATCH at cycle %" PRIu64 ": %s\n", now_, what);
    fprintf(stderr, "  model: %s\n", fmt_out(om).c_str());
    fprintf(stderr, "  rtl:   %s\n", fmt_out(orr).c_str());
    const mmu_csr_t &csr = port_->csr();
    fprintf(stderr, "  csr: mode=%d root_ppn=%#" PRIx64 " sum=%d mxr=%d ad=%s dram=[%#" PRIx64 ", +%#" PRIx64 ")\n",
            (int)csr.mode, csr.root_ppn, csr.sum, csr.mxr, port_->ad() == AD_SVADU ? "svadu" : "svade",
            port_->dram_base(), port_->dram_size());
    hist_.print(stderr);
    if (!context_.empty())
        fprintf(stderr, "  %s\n", context_.c_str());
    fprintf(stderr, "  waveform of the failing window: add  --wave fail.fst --wave-from %" PRIu64
                    "  and open it with  gtkwave fail.fst\n",
            now_ > 200 ? now_ - 200 : 0);
}

bool Lockstep::cycle(const Stim &s)
{
    in_cycle_ = true;
    bool ok = step(s);
    in_cycle_ = false;
    return ok;
}

bool Lockstep::step(const Stim &s)
{
    mmu_in_t im, ir;
    mmu_out_t om, orr;

    memset(&im, 0, sizeof im);
    im.req_valid = s.req_valid;
    im.req = s.req;
    im.sfence = s.sfence;
    ir = im;
    memport_drive(&pm_, now_, &im);
    memport_drive(&pr_, now_, &ir);
    mmu_eval(m_, &im, &om);
    port_->eval(ir, &orr);
    if (tfp_ && now_ >= wave_from_)
        tfp_->dump(2 * now_);

    const char *bad = nullptr;
    if (im.mem_req_ready != ir.mem_req_ready || im.mem_resp_valid != ir.mem_resp_valid ||
        im.mem_resp_rdata != ir.mem_resp_rdata)
        bad = "memory side differs (an earlier walker transaction differed, or the DRAM images)";
    else if (om.req_ready != orr.req_ready)
        bad = "req_ready";
    else if (om.resp_valid != orr.resp_valid)
        bad = "resp_valid (response cycle)";
    else if (om.resp_valid && (om.resp.fault != orr.resp.fault || om.resp.pa != orr.resp.pa))
        bad = "response (fault cause or PA)";
    else if (om.mem_req_valid != orr.mem_req_valid)
        bad = "mem_req_valid (walker transaction cycle)";
    else if (om.mem_req_valid && (om.mem_req_we != orr.mem_req_we || om.mem_req_addr != orr.mem_req_addr ||
                                  om.mem_req_wdata != orr.mem_req_wdata))
        bad = "walker transaction (address, we or data)";
    if (bad) {
        report(bad, om, orr);
        if (tfp_) {
            port_->clock();
            tfp_->dump(2 * now_ + 1);
            tfp_->flush();
        }
        return false;
    }
    last_accept_ = om.req_ready && s.req_valid;
    last_resp_valid_ = om.resp_valid;
    // The CPU, and the OS behind it, act on the RTL's answer; the model only
    // checks it.  The cycle and latency, which the RTL has no port for, are
    // the model's (the response cycles were compared above).
    last_resp_ = om.resp;
    last_resp_.fault = orr.resp.fault;
    last_resp_.pa = orr.resp.pa;
    if (cov_on)
        observe_cov(ir, orr);
    if (om.req_ready && s.req_valid) {
        char b[160];
        snprintf(b, sizeof b, "accept va=%#" PRIx64 " acc=%s priv=%c asid=%u%s", s.req.va, acc_name(s.req.acc),
                 s.req.priv == PRIV_S ? 'S' : 'U', s.req.asid, s.req.replay ? " replay" : "");
        note(b);
        requests_++;
    }
    if (s.sfence.valid) {
        char b[128];
        snprintf(b, sizeof b, "sfence use_va=%d va=%#" PRIx64 " use_asid=%d asid=%u", s.sfence.use_va,
                 s.sfence.va, s.sfence.use_asid, s.sfence.asid);
        note(b);
    }
    if (om.mem_req_valid && im.mem_req_ready) {
        char b[128];
        snprintf(b, sizeof b, "mem %s addr=%#" PRIx64 " wdata=%#" PRIx64, om.mem_req_we ? "write" : "read",
                 om.mem_req_addr, om.mem_req_wdata);
        note(b);
    }
    if (om.resp_valid) {
        char b[128];
        snprintf(b, sizeof b, "response fault=%s pa=%#" PRIx64, fault_name(om.resp.fault), om.resp.pa);
        note(b);
    }
    memport_clock(&pm_, now_, &om, &im);
    memport_clock(&pr_, now_, &orr, &ir);
    mmu_clock(m_, &im);
    port_->clock();
    if (tfp_ && now_ >= wave_from_)
        tfp_->dump(2 * now_ + 1);
    now_++;
    return true;
}

bool Lockstep::translate(const mmu_req_t &req, mmu_resp_t *resp, unsigned fence_pct, uint32_t *rng,
                         const mmu_sfence_t *fence)
{
    Stim s;
    bool accepted = false;
    uint64_t start = now_;

    s.req = req;
    for (;;) {
        s.req_valid = !accepted;
        s.sfence = mmu_sfence_t{};
        if (fence_pct && rng && fence) {
            uint32_t x = *rng;
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            *rng = x;
            if (x % 100 < fence_pct) {
                s.sfence = *fence;
                s.sfence.valid = 1;
            }
            // now and then a CSR write in flight (SUM flips): the walk must not install
            if ((x >> 8) % 100 < fence_pct && accepted) {
                mmu_csr_t c = port_->csr();
                c.sum = !c.sum;
                set_csr(c);
            }
        }
        if (!cycle(s))
            return false;
        accepted |= last_accept_;
        if (last_resp_valid_) {
            *resp = last_resp_;
            return true;
        }
        if (now_ - start > 2000000) {
            fprintf(stderr, "lockstep: no response after 2M cycles (deadlock)\n");
            failed_ = true;
            return false;
        }
    }
}

bool Lockstep::idle(uint64_t cycles)
{
    Stim s;
    for (uint64_t i = 0; i < cycles; i++)
        if (!cycle(s))
            return false;
    // the model's statistics then count them as handler time, as the golden
    // model's own mmu_wait does
    mmu_book_wait(m_, cycles);
    return true;
}

bool Lockstep::sfence(const mmu_sfence_t &f)
{
    Stim s;
    s.sfence = f;
    s.sfence.valid = 1;
    return cycle(s);
}

// Reports d as a mismatch; false.
bool Lockstep::image_mismatch(const DramDiff &d)
{
    failed_ = true;
    fprintf(stderr, "\nLOCKSTEP MISMATCH at cycle %" PRIu64 ": DRAM images differ at %#" PRIx64 ": model %#" PRIx64
                    ", rtl %#" PRIx64 "\n",
            now_, d.pa, d.model, d.rtl);
    if (!context_.empty())
        fprintf(stderr, "  %s\n", context_.c_str());
    return false;
}

bool Lockstep::compare_page(uint64_t pa)
{
    DramDiff d;
    return dram_page_equal(dm_, dr_, pa, &d) || image_mismatch(d);
}

bool Lockstep::compare_images()
{
    DramDiff d;
    return dram_images_equal(dm_, dr_, &d) || image_mismatch(d);
}

void Lockstep::mirror_writes()
{
    mirror_.attach(dm_, dr_, &in_cycle_);
}

// Functional coverage points, sampled from the RTL side every cycle (the
// signals are public only in coverage builds: testbench/lockstep/lockstep_cov.vlt).
void Lockstep::declare_cov()
{
    int levels = vm_levels(cfg_.mode);
    const assoc_cfg_t l1d = config_l1d(&cfg_); // the data L1 has a geometry of its own
    for (int t = 0; t < (cfg_.l1_split ? 2 : 1); t++) {
        const char *name = cfg_.l1_split ? (t ? "l1d" : "l1i") : "l1";
        unsigned l1w = assoc_cfg_ways(t ? &l1d : &cfg_.l1);
        for (unsigned w = 0; w < l1w; w++)
            cov.declare(std::string("hit ") + name + " way " + std::to_string(w));
        for (int l = 0; l < levels; l++)
            cov.declare(std::string("hit ") + name + " page level " + std::to_string(l));
    }
    if (cfg_.l2.entries) {
        for (unsigned w = 0; w < assoc_cfg_ways(&cfg_.l2); w++)
            cov.declare("hit l2 way " + std::to_string(w));
        for (int l = 0; l < levels; l++)
            cov.declare("hit l2 page level " + std::to_string(l));
        cov.declare("l2 hit copied into l1");
    }
    if (cfg_.pwc.entries)
        for (int l = 1; l < levels; l++)
            cov.declare("pwc hit level " + std::to_string(l));
    for (int f = FAULT_NONE + 1; f < FAULT_COUNT; f++)
        for (int l = 0; l < levels; l++)
            cov.declare(std::string("walk fault ") + fault_name((fault_t)f) + " at level " +
                        std::to_string(l));
    cov.declare("a/d update write (A)");
    cov.declare("a/d update write (A and D)");
    cov.declare("sfence all");
    cov.declare("sfence va");
    cov.declare("sfence asid");
    cov.declare("sfence va asid");
    cov.declare("walk in flight hit by sfence (fills dropped)");
    cov.declare("walk in flight with a csr change (fills dropped)");
}

void Lockstep::observe_cov(const mmu_in_t &in, const mmu_out_t &out)
{
#ifdef LOCKSTEP_COV
    const unsigned st_walk = 2;  // mmu_top's StWalk: a walk in flight
    Vmmu_top___024root *r = top_->rootp;
    const char *l1i = cfg_.l1_split ? "l1i" : "l1";
    if (r->mmu_top__DOT__touch_l1i) {
        cov.hit(std::string("hit ") + l1i + " way " + std::to_string(r->mmu_top__DOT__l1i_way));
        cov.hit(std::string("hit ") + l1i + " page level " + std::to_string(r->mmu_top__DOT__l1i_level));
    }
    if (r->mmu_top__DOT__touch_l1d) {
        cov.hit("hit l1d way " + std::to_string(r->mmu_top__DOT__l1d_way));
        cov.hit("hit l1d page level " + std::to_string(r->mmu_top__DOT__l1d_level));
    }
    if (r->mmu_top__DOT__touch_l2) {
        cov.hit("hit l2 way " + std::to_string(r->mmu_top__DOT__l2_way));
        cov.hit("hit l2 page level " + std::to_string(r->mmu_top__DOT__l2_level));
    }
    if (r->mmu_top__DOT__l2c_fill)
        cov.hit("l2 hit copied into l1");
    if (r->mmu_top__DOT__touch_pw)
        cov.hit("pwc hit level " + std::to_string(r->mmu_top__DOT__pw_level));
    if (r->mmu_top__DOT__u_ptw__DOT__done_o && out.resp.fault != FAULT_NONE)
        cov.hit(std::string("walk fault ") + fault_name(out.resp.fault) + " at level " +
                std::to_string(r->mmu_top__DOT__u_ptw__DOT__level_q));
    if (out.mem_req_valid && out.mem_req_we && in.mem_req_ready)
        cov.hit((out.mem_req_wdata & PTE_D) ? "a/d update write (A and D)" : "a/d update write (A)");
    if (in.sfence.valid)
        cov.hit(in.sfence.use_va ? (in.sfence.use_asid ? "sfence va asid" : "sfence va")
                                 : (in.sfence.use_asid ? "sfence asid" : "sfence all"));
    if (r->mmu_top__DOT__state_q == st_walk && in.sfence.valid)
        cov.hit("walk in flight hit by sfence (fills dropped)");
    if (r->mmu_top__DOT__state_q == st_walk && r->mmu_top__DOT__csr_changed)
        cov.hit("walk in flight with a csr change (fills dropped)");
#else
    (void)in;
    (void)out;
#endif
}

void Lockstep::write_line_coverage(const std::string &path)
{
#if VM_COVERAGE
    ctx_->coveragep()->write(path.c_str());
#else
    (void)path;
#endif
}
