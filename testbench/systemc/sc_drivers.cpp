// sc_drivers.cpp - the initiators of the SystemC RTL testbench
// (testbench/systemc/sc_drivers.h).
#include "sc_drivers.h"

#include <cinttypes>
#include <cstdio>
#include <unistd.h>

#include "vecfile.h"

using sc_core::sc_time;

const sc_time kScPeriod(1, sc_core::SC_NS);

namespace {

// Translations between two comparisons of the whole DRAM images (OS runs).
const uint64_t kCheckpoint = 1024;

// The pair's configuration: the build's, over another DRAM range and A/D policy.
sim_config_t pair_cfg(const sim_config_t &cfg, uint64_t base, uint64_t size, ad_policy_t ad)
{
    sim_config_t c = cfg;
    c.dram.base = base;
    c.dram.size = size;
    c.ad = ad;
    return c;
}

// The initiator's local time moves to delay; synchronises once the quantum is used up.
void advance(tlm_utils::tlm_quantumkeeper &qk, const sc_time &delay)
{
    qk.set(delay);
    if (qk.need_sync())
        qk.sync();
}

}  // namespace

void tb_stop(const std::string &why)
{
    fprintf(stderr, "sc_rtl_tb: %s; stopped at the first mismatch\n", why.c_str());
    fflush(nullptr);
    // no unwinding through the OS's C frames nor the SystemC kernel's teardown
    _exit(1);
}

// ------------------------------------------------------------------ random
RandomDriver::RandomDriver(sc_core::sc_module_name name, const sim_config_t &cfg, uint64_t seed, unsigned requests,
                           VerilatedContext *vctx, const std::string &bin)
    : sc_module(name), stim_(cfg, seed), seed_(seed), requests_(requests)
{
    pair_ = std::make_unique<ScPair>("pair", pair_cfg(cfg, stim_.dram_base(), stim_.dram_size(), stim_.ad()), vctx,
                                     kScPeriod);
    pair_->set_context("reproduce: " + bin + " random --seed " + std::to_string(seed) + " --seeds 1 --requests " +
                       std::to_string(requests));
    SC_THREAD(run);
}

// The seed's steps as transactions: idle cycles become time between
// requests (a fence in one of them is a fence at that time), and the
// in-flight fences and CSR flips of a step are left out: a b_transport runs
// its request to the response with no other call in between.  Now and then
// a longer pause of the CPU, from a stream of its own (the steps stay those
// of the lockstep's seed): the MMUs catch up through idle cycles, and the
// DRAM timing sees its rows age (tRAS).
void RandomDriver::run()
{
    tlm_utils::tlm_quantumkeeper qk;
    Rng pauses(seed_ ^ 0x5ca1ab1e);
    PairMemory<ScPair> mem(*pair_);
    ScPair &p = *pair_;
    sc_time d = qk.get_local_time();

    p.set_csr(stim_.build(mem), d);
    for (unsigned n = 0; n < requests_; n++) {
        StimStep s = stim_.next(mem);
        if (s.flip_ad)
            p.set_ad(s.ad, d);
        p.set_csr(s.csr, d);
        for (const mmu_sfence_t &f : s.gap) {
            if (f.valid) {
                if (!p.sfence(f, d))
                    tb_stop("random seed " + std::to_string(seed_));
            } else {
                d += kScPeriod;
            }
        }
        if (s.fence_before && !p.sfence(s.fence, d))
            tb_stop("random seed " + std::to_string(seed_));
        if (pauses.pct(5))
            d += kScPeriod * (double)pauses.below(200);
        mmu_resp_t resp;
        if (!p.translate(s.req, d, &resp))
            tb_stop("random seed " + std::to_string(seed_));
        if (s.sum_after) {
            mmu_csr_t c = s.csr;
            c.sum = !c.sum;
            p.set_csr(c, d);
        }
        if (s.checkpoint)
            for (uint64_t f : stim_.frames())
                if (!p.compare_page(f))
                    tb_stop("random seed " + std::to_string(seed_));
        advance(qk, d);
        d = qk.get_local_time();
    }
    if (!p.compare_images())
        tb_stop("random seed " + std::to_string(seed_));
    qk.sync();
    done_ = true;
}

// ----------------------------------------------------------------- vectors
ScPair &TlmVecSides::cur()
{
    if (next_ == 0 || next_ > pairs_.size())
        tb_stop("vectors: a DRAM section the read-ahead did not see");
    return *pairs_[next_ - 1];
}

void TlmVecSides::restart(uint64_t base, uint64_t size)
{
    next_++;
    ScPair &p = cur();
    if (p.cfg().dram.base != base || p.cfg().dram.size != size)
        tb_stop("vectors: the read-ahead saw another DRAM range");
    sc_time d = qk_.get_local_time();
    p.set_ad(ad_, d);
    p.set_csr(csr_, d);
    p.mirror_writes();
}

void TlmVecSides::set_csr(const mmu_csr_t &csr)
{
    csr_ = csr;
    sc_time d = qk_.get_local_time();
    if (next_)
        cur().set_csr(csr, d);
}

void TlmVecSides::set_ad(ad_policy_t ad)
{
    ad_ = ad;
    sc_time d = qk_.get_local_time();
    if (next_)
        cur().set_ad(ad, d);
}

bool TlmVecSides::sfence(const mmu_sfence_t &f)
{
    sc_time d = qk_.get_local_time();
    bool ok = cur().sfence(f, d);
    advance(qk_, d);
    return ok;
}

bool TlmVecSides::translate(const mmu_req_t &req, mmu_resp_t *resp)
{
    sc_time d = qk_.get_local_time();
    bool ok = cur().translate(req, d, resp);
    advance(qk_, d);
    return ok;
}

bool TlmVecSides::failed() const
{
    for (auto &p : pairs_)
        if (p->failed())
            return true;
    return false;
}

VectorDriver::VectorDriver(sc_core::sc_module_name name, const sim_config_t &cfg, const std::string &path,
                           VerilatedContext *vctx)
    : sc_module(name), cfg_(cfg), path_(path)
{
    // The DRAM sections as vec_run_file will meet them: the build's range,
    // then one per valid `dram` line (an invalid one ends the run there).
    std::vector<std::unique_ptr<ScPair>> pairs;
    sim_config_t c = cfg;
    char err[256];
    auto add = [&]() {
        pairs.push_back(
            std::make_unique<ScPair>(("pair" + std::to_string(pairs.size())).c_str(), c, vctx, kScPeriod));
    };
    add();
    if (vecfile_t *f = vecfile_open(path.c_str())) {
        vec_rec_t r;
        while (vecfile_next(f, &r) == 1)
            if (r.kind == VEC_DRAM) {
                c.dram.base = r.a;
                c.dram.size = r.b;
                if (config_validate(&c, err, sizeof err))
                    break;
                add();
            }
        vecfile_close(f);
    }
    sides_ = std::make_unique<TlmVecSides>(std::move(pairs));
    SC_THREAD(run);
}

void VectorDriver::run()
{
    rc_ = vec_run_file(*sides_, cfg_, path_.c_str(), &counts_);
    if (sides_->failed())
        tb_stop("vectors " + path_);
    done_ = true;
}

// ---------------------------------------------------------------------- OS
OsDriver::OsDriver(sc_core::sc_module_name name, const sim_config_t &cfg, VerilatedContext *vctx,
                   std::function<int(const os_machine_t *)> body)
    : sc_module(name), pair_(std::make_unique<ScPair>("pair", cfg, vctx, kScPeriod)), body_(std::move(body))
{
    mach_.dram = pair_->dram_model();
    mach_.mmu = pair_->model();
    mach_.hw = os_hw_t{ this, hw_translate, hw_sfence, hw_set_csr, hw_wait, nullptr, nullptr, nullptr };
    SC_THREAD(run);
}

// The OS's writes go to the golden image and through the tap to the RTL's;
// the images are compared every kCheckpoint translations and at the end.
void OsDriver::run()
{
    pair_->mirror_writes();
    rc_ = body_(&mach_);
    qk_.sync();
    if (rc_ == 0 && !pair_->compare_images())
        tb_stop("the DRAM images at the end");
    done_ = true;
}

fault_t OsDriver::hw_translate(void *ctx, const mmu_req_t *req, mmu_resp_t *resp)
{
    OsDriver *o = static_cast<OsDriver *>(ctx);
    sc_time d = o->qk_.get_local_time();
    if (!o->pair_->translate(*req, d, resp))
        tb_stop("translation " + std::to_string(o->pair_->translations()));
    advance(o->qk_, d);
    if (++o->since_check_ == kCheckpoint) {
        o->since_check_ = 0;
        if (!o->pair_->compare_images())
            tb_stop("DRAM checkpoint");
    }
    return resp->fault;
}

void OsDriver::hw_sfence(void *ctx, const mmu_sfence_t *f)
{
    OsDriver *o = static_cast<OsDriver *>(ctx);
    sc_time d = o->qk_.get_local_time();
    if (!o->pair_->sfence(*f, d))
        tb_stop("sfence");
    advance(o->qk_, d);
}

void OsDriver::hw_set_csr(void *ctx, const mmu_csr_t *csr)
{
    OsDriver *o = static_cast<OsDriver *>(ctx);
    sc_time d = o->qk_.get_local_time();
    o->pair_->set_csr(*csr, d);
}

void OsDriver::hw_wait(void *ctx, uint64_t cycles)
{
    OsDriver *o = static_cast<OsDriver *>(ctx);
    sc_time d = o->qk_.get_local_time();
    if (!o->pair_->handler_wait(cycles, d))
        tb_stop("handler wait");
    advance(o->qk_, d);
}
