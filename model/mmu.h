/*
 * mmu.h - the MMU golden model: TLB L1 (unified or split) and optional L2,
 * page-walk cache, Sv39/Sv48 walker, statistics.
 *
 * Two ways to drive it, with the same results and the same cycle counts
 * (docs/timing.md is the contract):
 *  - cycle level: mmu_eval() gives the outputs of the current cycle and
 *    mmu_clock() takes the clock edge, with the ports the RTL has;
 *  - functional: mmu_translate() runs one request to its response at once,
 *    requests back to back and the memory port always ready.
 * Do not mix the two while a cycle-level request is in flight.
 */
#ifndef MMUSIM_MMU_H
#define MMUSIM_MMU_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "dram.h"
#include "riscv_vm.h"
#include "xlate.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    fault_t fault;     /* FAULT_NONE: pa is valid */
    uint64_t pa;
    uint64_t cycle;    /* cycle the response is valid */
    uint64_t latency;  /* cycle minus the accept cycle */
} mmu_resp_t;

/* sfence.vma: rs1 = x0 is use_va = 0, rs2 = x0 is use_asid = 0. */
typedef struct {
    int valid;
    int use_va;
    uint64_t va;
    int use_asid;
    uint16_t asid;
} mmu_sfence_t;

/* Inputs of one cycle. */
typedef struct {
    int req_valid;
    mmu_req_t req;
    mmu_sfence_t sfence;
    int mem_req_ready;
    int mem_resp_valid;
    uint64_t mem_resp_rdata;
} mmu_in_t;

/* Outputs of one cycle. */
typedef struct {
    int req_ready;
    int resp_valid;
    mmu_resp_t resp;
    int mem_req_valid;
    int mem_req_we;
    uint64_t mem_req_addr;
    uint64_t mem_req_wdata;
} mmu_out_t;

enum { TLB_L1, TLB_L1I = TLB_L1, TLB_L1D, TLB_L2, TLB_COUNT };
#define WALK_HIST_BUCKETS 1024 /* exact latencies 0..1022, then 1023 and above */

typedef struct {
    uint64_t lookups[ACC_COUNT], hits[ACC_COUNT], misses[ACC_COUNT];
} tlb_counts_t;

typedef struct {
    uint64_t requests;              /* accepted requests, replays included */
    uint64_t replays;               /* of which marked replay */
    tlb_counts_t tlb[TLB_COUNT];    /* first lookups; TLB_L1 when unified */
    tlb_counts_t tlb_replay[TLB_COUNT]; /* lookups of replayed requests */
    uint64_t walks;
    uint64_t pwc_lookups, pwc_misses;
    uint64_t pwc_hits[MAX_LEVELS];  /* by level of the pointer PTE supplied */
    uint64_t mem_reads, mem_writes;
    uint64_t ad_updates;            /* svadu PTE writes */
    uint64_t faults[FAULT_COUNT];
    uint64_t sfences;
    uint64_t cycles;                /* cycle count at the last response or fence */
    uint64_t cycle0;                /* cycle of the last mmu_stats_reset, 0 before */
    uint64_t walk_cycles;           /* sum of latencies of requests that walked */
    uint64_t walk_lookup_cycles;    /* of which before the walk started (TLB and walk-cache lookups) */
    uint64_t walk_latency[WALK_HIST_BUCKETS];
    uint64_t walks_leaf[MAX_LEVELS]; /* walks that ended at a leaf of each level (4K, 2M, 1G, 512G) */
    /* Where the cycles of translations went: each term is a part of some response's latency. */
    uint64_t cycles_l1, cycles_l2, cycles_pwc; /* lookups in each structure */
    uint64_t cycles_walk;           /* walker steps and memory accesses, walk start to response */
    uint64_t cycles_wait;           /* mmu_wait: the CPU in the fault handler */
} mmu_stats_t;

typedef struct mmu mmu_t;

/*
 * Creates an MMU for cfg (validated by config_validate) whose walker reads
 * dram in the functional path.  Cycle 0, CSRs Bare.  NULL on no memory.
 */
mmu_t *mmu_create(const sim_config_t *cfg, dram_t *dram);
void mmu_destroy(mmu_t *m);

void mmu_set_csr(mmu_t *m, const mmu_csr_t *csr);
/* Switches the A/D policy (menvcfg.ADUE of Svadu); affects walks accepted from now on. */
void mmu_set_ad(mmu_t *m, ad_policy_t ad);
const mmu_csr_t *mmu_csr(const mmu_t *m);
const mmu_stats_t *mmu_stats(const mmu_t *m);
/* Zeroes the statistics (a trace's --warmup ends so); the structures keep their contents. */
void mmu_stats_reset(mmu_t *m);
const sim_config_t *mmu_config(const mmu_t *m);
/* The current cycle. */
uint64_t mmu_now(const mmu_t *m);

/*
 * Functional path: accepts req at the current cycle, runs it to its
 * response with an always-ready memory port and the DRAM timing of cfg,
 * and leaves the MMU ready at the cycle after the response.  Returns
 * resp->fault.
 */
fault_t mmu_translate(mmu_t *m, const mmu_req_t *req, mmu_resp_t *resp);

/*
 * Functional path, its common case alone: when req hits in its L1 TLB with
 * the permissions it needs, does exactly what mmu_translate would and
 * returns 1; otherwise changes nothing and returns 0.  A trace driver calls
 * it before the OS, so that a hit costs no more than the lookup.
 */
int mmu_translate_hit(mmu_t *m, const mmu_req_t *req, mmu_resp_t *resp);

/*
 * Functional path, a trace's inner loop: translates refs[0..n) in U mode
 * under asid, each as mmu_translate_hit would, while they are accesses of
 * process pid that hit in their L1 TLB and stay within one page.  Returns
 * how many were done; the first one not done needs the general path.
 */
size_t mmu_translate_refs(mmu_t *m, const mmu_ref_t *refs, size_t n, uint32_t pid, uint16_t asid);

/* Functional path: an sfence.vma in the current cycle (one cycle). */
void mmu_sfence(mmu_t *m, const mmu_sfence_t *f);

/*
 * Either path, while idle: cycles pass with no request (the CPU is in the
 * page-fault handler).  Counted in the statistics' total cycles.
 */
void mmu_wait(mmu_t *m, uint64_t cycles);

/*
 * Either path, while idle: cycles pass with no request and nothing booked,
 * as that many mmu_clock edges with idle inputs would (a TLM initiator's
 * gap between requests).  They end up in the statistics' other cycles.
 */
void mmu_skip(mmu_t *m, uint64_t cycles);

/*
 * Cycle level, while idle: books cycles the caller has just clocked with no
 * request as fault-handling time, as mmu_wait would have.  For a harness
 * that clocks every cycle to compare them (the RTL lockstep).
 */
void mmu_book_wait(mmu_t *m, uint64_t cycles);

/* Cycle level: the outputs of the current cycle given its inputs. */
void mmu_eval(mmu_t *m, const mmu_in_t *in, mmu_out_t *out);
/* Cycle level: the clock edge ending the current cycle. */
void mmu_clock(mmu_t *m, const mmu_in_t *in);
/* 1 when no request is in flight. */
int mmu_idle(const mmu_t *m);

/* Direct access to the structures, for tests and the fault handler. */
struct tlb;
struct tlb *mmu_tlb(mmu_t *m, int which); /* NULL when absent */
struct tlb *mmu_pwc(mmu_t *m);            /* NULL when absent */

#ifdef __cplusplus
}
#endif
#endif
