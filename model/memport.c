/*
 * memport.c - the walker port's memory side for cycle-level runs.
 */
#include "memport.h"

#include <string.h>

#include "panic.h"

/* Bound on the cycles of one request: far above any legal walk. */
#define WATCHDOG_CYCLES 1000000ULL

int memport_init(memport_t *p, dram_t *dram, const dram_cfg_t *cfg, unsigned ready_pct, uint32_t seed)
{
    memset(p, 0, sizeof(*p));
    p->dram = dram;
    p->ready_pct = ready_pct;
    p->rng = seed ? seed : 1;
    p->timer = dram_timer_create(cfg);
    return p->timer ? 0 : -1;
}

void memport_fini(memport_t *p)
{
    dram_timer_destroy(p->timer);
    p->timer = NULL;
}

/* Next xorshift32 value. */
static uint32_t memport_rand(memport_t *p)
{
    uint32_t x = p->rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return p->rng = x;
}

void memport_drive(memport_t *p, uint64_t now, mmu_in_t *in)
{
    in->mem_req_ready = !p->busy && (p->ready_pct >= 100 || memport_rand(p) % 100 < p->ready_pct);
    in->mem_resp_valid = p->busy && p->due == now;
    in->mem_resp_rdata = in->mem_resp_valid ? p->rdata : 0;
}

void memport_clock(memport_t *p, uint64_t now, const mmu_out_t *out, const mmu_in_t *in)
{
    if (in->mem_resp_valid)
        p->busy = 0;
    if (!(out->mem_req_valid && in->mem_req_ready))
        return;
    p->due = now + dram_timer_access(p->timer, out->mem_req_addr, now, NULL);
    p->busy = 1;
    if (out->mem_req_we ? dram_write64(p->dram, out->mem_req_addr, out->mem_req_wdata)
                        : dram_read64(p->dram, out->mem_req_addr, &p->rdata))
        panic("walker access at %#llx outside DRAM", (unsigned long long)out->mem_req_addr);
}

/* One cycle: inputs, outputs, both clock edges.  Returns the outputs in out. */
static void memport_cycle(memport_t *p, mmu_t *m, mmu_in_t *in, mmu_out_t *out)
{
    uint64_t now = mmu_now(m);
    memport_drive(p, now, in);
    mmu_eval(m, in, out);
    memport_clock(p, now, out, in);
    mmu_clock(m, in);
}

fault_t memport_translate(memport_t *p, mmu_t *m, const mmu_req_t *req, mmu_resp_t *resp)
{
    mmu_in_t in;
    mmu_out_t out;
    uint64_t start = mmu_now(m);
    int accepted = 0;

    memset(&in, 0, sizeof(in));
    in.req = *req;
    for (;;) {
        in.req_valid = !accepted;
        memport_cycle(p, m, &in, &out);
        accepted |= out.req_ready;
        if (out.resp_valid) {
            *resp = out.resp;
            return resp->fault;
        }
        if (mmu_now(m) - start > WATCHDOG_CYCLES)
            panic("no response for va %#llx after %llu cycles", (unsigned long long)req->va,
                  (unsigned long long)WATCHDOG_CYCLES);
    }
}

void memport_sfence(memport_t *p, mmu_t *m, const mmu_sfence_t *f)
{
    mmu_in_t in;
    mmu_out_t out;

    memset(&in, 0, sizeof(in));
    in.sfence = *f;
    in.sfence.valid = 1;
    memport_cycle(p, m, &in, &out);
}
