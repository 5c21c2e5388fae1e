/*
 * memport.h - the memory side of the MMU's walker port for cycle-level
 * runs: a DRAM image with its timing model, one outstanding request,
 * optional random back-pressure.  Also drivers that run one request or one
 * fence through mmu_eval/mmu_clock.
 */
#ifndef MMUSIM_MEMPORT_H
#define MMUSIM_MEMPORT_H

#include <stdint.h>

#include "dram.h"
#include "mmu.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    dram_t *dram;
    dram_timer_t *timer;
    unsigned ready_pct;    /* chance in percent that mem_req_ready is high in a cycle */
    uint32_t rng;          /* xorshift32 state for back-pressure */
    int busy;              /* a response is pending */
    uint64_t due;          /* cycle of the pending response */
    uint64_t rdata;
} memport_t;

/* Sets up a port on dram with timing cfg; ready_pct 100 = never stalls.  -1 on no memory. */
int memport_init(memport_t *p, dram_t *dram, const dram_cfg_t *cfg, unsigned ready_pct, uint32_t seed);
void memport_fini(memport_t *p);

/* Drives the memory inputs of cycle now into in. */
void memport_drive(memport_t *p, uint64_t now, mmu_in_t *in);

/* The clock edge: performs a request handshaken in cycle now (out, in of that cycle). */
void memport_clock(memport_t *p, uint64_t now, const mmu_out_t *out, const mmu_in_t *in);

/*
 * Runs req through the cycle-level MMU until its response (the request is
 * offered from the current cycle on).  Panics if no response comes within
 * a bound: a deadlock is a model bug.  Returns resp->fault.
 */
fault_t memport_translate(memport_t *p, mmu_t *m, const mmu_req_t *req, mmu_resp_t *resp);

/* Runs one cycle with sfence valid (the MMU being idle). */
void memport_sfence(memport_t *p, mmu_t *m, const mmu_sfence_t *f);

#ifdef __cplusplus
}
#endif
#endif
