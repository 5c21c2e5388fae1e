// lockstep_os.cpp - the operating system of csrc/ running on the lockstep
// pair instead of on the golden model alone:
//
//   lockstep_PRESET run [--refs] [--check] [--stats FMT] [--set os.KEY=V] FILE
//   lockstep_PRESET trace FILE [--max-refs N] [--stats FMT]
//
// Every hardware call of the OS (os_hw_t) becomes cycles of the pair: a
// translation is offered to both sides and compared cycle by cycle, and the
// OS acts on the RTL's response (the model checks it), so a page fault the
// RTL reports goes to the C fault handler and the access is replayed on both; an sfence.vma and a satp write
// reach both; handler time is idle cycles of both.  The handler's writes go
// to the model's DRAM image and, through a tap, to the RTL's; the walkers'
// own A/D writes stay on their side.  The images are compared every
// kCheckpoint translations and at the end.  The workload's own output and
// statistics (the model's MMU) are printed as `mmusim run` prints them.
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "lockstep.h"
#include "trace.h"
#include "workload.h"

namespace {

const uint64_t kCheckpoint = 1024;

// The pair as the OS's hardware (os_hw_t.ctx).
struct Pair {
    Lockstep *ls;
    uint64_t since_check;
};

// The first mismatch ends the run: the report is already printed.
[[noreturn]] void pair_stop(Lockstep &ls)
{
    ls.close_wave();
    fprintf(stderr, "lockstep: stopped at the first mismatch\n");
    exit(1);
}

// os_hw_t.translate: one request through both sides to its response.
fault_t pair_translate(void *ctx, const mmu_req_t *req, mmu_resp_t *resp)
{
    Pair *p = static_cast<Pair *>(ctx);
    if (!p->ls->translate(*req, resp))
        pair_stop(*p->ls);
    if (++p->since_check == kCheckpoint) {
        p->since_check = 0;
        if (!p->ls->compare_images())
            pair_stop(*p->ls);
    }
    return resp->fault;
}

// os_hw_t.sfence: one cycle with the fence on both sides.
void pair_sfence(void *ctx, const mmu_sfence_t *f)
{
    Pair *p = static_cast<Pair *>(ctx);
    if (!p->ls->sfence(*f))
        pair_stop(*p->ls);
}

// os_hw_t.set_csr: satp/sstatus of both sides.
void pair_set_csr(void *ctx, const mmu_csr_t *csr)
{
    static_cast<Pair *>(ctx)->ls->set_csr(*csr);
}

// os_hw_t.wait: the handler's time as idle cycles, still compared.
void pair_wait(void *ctx, uint64_t cycles)
{
    Pair *p = static_cast<Pair *>(ctx);
    if (!p->ls->idle(cycles))
        pair_stop(*p->ls);
}

// Fresh pair for cfg (its DRAM range and A/D policy), the OS's writes
// mirrored, and the machine the OS drivers run on.
os_machine_t pair_machine(Lockstep &ls, const sim_config_t &cfg, Pair *p)
{
    ls.set_ad(cfg.ad);
    ls.reset(cfg.dram.base, cfg.dram.size, 100, 1);
    ls.mirror_writes();
    *p = Pair{ &ls, 0 };
    return os_machine_t{ ls.dram_model(), ls.model(),
                         os_hw_t{ p, pair_translate, pair_sfence, pair_set_csr, pair_wait, nullptr, nullptr,
                                  nullptr } };
}

} // namespace

int lockstep_run_workload(Lockstep &ls, sim_config_t cfg, const LsOsOptions &o, const char *path)
{
    workload_t w;
    int rc = rtl_load_workload(path, o, LOCKSTEP_CONFIG, &w, &cfg);
    if (!rc) {
        char ctx[600];
        snprintf(ctx, sizeof ctx, "workload %s; reproduce: %s run%s %s", path, LOCKSTEP_BIN, o.refs ? " --refs" : "",
                 path);
        ls.set_context(ctx);
        Pair p;
        os_machine_t m = pair_machine(ls, cfg, &p);
        rc = wl_run_on(&w, &cfg, &m, o.check, o.fmt, path, stdout);
        if (!rc && !ls.compare_images())
            rc = 1;
    }
    wl_free(&w);
    return rc;
}

int lockstep_run_trace(Lockstep &ls, const sim_config_t &cfg, const LsOsOptions &o, const char *path)
{
    char ctx[600];
    snprintf(ctx, sizeof ctx, "trace %s; reproduce: %s trace %s --max-refs %" PRIu64, path, LOCKSTEP_BIN, path,
             o.max_refs);
    ls.set_context(ctx);
    Pair p;
    os_machine_t m = pair_machine(ls, cfg, &p);
    trace_opts_t to;
    trace_opts_default(&to);
    to.max_refs = o.max_refs;
    to.fmt = o.fmt;
    char *paths[] = { const_cast<char *>(path) };
    int rc = trace_run_on(paths, 1, &cfg, &m, &to, stdout);
    if (!rc && !ls.compare_images())
        rc = 1;
    return rc;
}
