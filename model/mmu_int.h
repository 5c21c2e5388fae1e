/*
 * mmu_int.h - the MMU's state, shared by mmu.c (requests, walks, the
 * cycle-level ports) and mmu_hit.c (the functional path's hit shortcuts).
 * Not for code outside the MMU: model/mmu.h is its interface.
 */
#ifndef MMUSIM_MMU_INT_H
#define MMUSIM_MMU_INT_H

#include "mmu.h"
#include "ptw.h"
#include "tlb.h"

typedef enum { ST_IDLE, ST_FRONT, ST_WALK_ACT, ST_WALK_WAIT } mmu_state_t;

/* A request in flight. */
typedef struct {
    mmu_req_t req;
    mmu_csr_t csr;
    uint64_t accept;
    uint64_t walk_start;   /* cycle the walk's first step issues, after every lookup */
    uint64_t ready;        /* ST_FRONT: response cycle; ST_WALK_ACT: action cycle */
    int which;             /* L1 that serves the request */
    int walked;
    int no_install;        /* a fence or CSR change happened in flight */
    int fill_l1;           /* an L2 hit to copy into L1 */
    tlb_entry_t l1_entry;
    fault_t fault;         /* ST_FRONT result */
    uint64_t pa;
    ptw_walk_t w;
} flight_t;

/*
 * The last hits of each access type in U mode, under one ASID: while its
 * TLB's contents (generation) and the CSRs stay the same, a reference to
 * the same 4 KiB page is the same hit, so mmu_translate_refs skips the
 * lookup and the checks.  The full page number also covers the
 * canonical check; a 4 KiB page of DRAM is wholly inside it.
 */
#define MMU_LAST_WAYS 4 /* code and data each move between a few pages */

typedef struct {
    uint64_t page;         /* va >> 12; UINT64_MAX: none */
    uint64_t gen;
    int32_t idx;
} mmu_last_t;

struct mmu {
    sim_config_t cfg;
    dram_t *dram;
    dram_timer_t *timer;   /* functional path's view of DRAM timing */
    tlb_t *tlb[TLB_COUNT];
    tlb_t *pwc;
    mmu_csr_t csr;
    /* The hit shortcut's view of csr and cfg, kept by mmu_set_csr and mmu_create. */
    int levels;            /* vm_levels(csr.mode): 0 under Bare */
    unsigned va_shift;     /* 64 - VA width: canonical means sign-extending from there is a no-op */
    uint64_t vpn_mask;     /* vm_vpn() of the mode is (va >> 12) & vpn_mask */
    int l1_which[ACC_COUNT]; /* the L1 serving each access type */
    uint64_t page_mask[MAX_LEVELS]; /* vm_page_bytes(level) - 1 */
    /*
     * [sum][mxr][acc][priv]: bit hit_flag_index(flags) is set when a hit on
     * an entry with those flags answers as it is: ptw_perm_ok holds, and a
     * store finds D set.  hit_ok points at the row of the current SUM/MXR.
     */
    uint32_t hit_ok_all[2][2][ACC_COUNT][2];
    const uint32_t (*hit_ok)[2];
    mmu_last_t last[ACC_COUNT][MMU_LAST_WAYS]; /* [acc][page mod MMU_LAST_WAYS], all of last_asid */
    uint16_t last_asid;
    mmu_stats_t st;
    uint64_t now;
    mmu_state_t state;
    flight_t x;
};

/* 1 when pa is a byte of DRAM. */
static inline int mmu_pa_ok(const mmu_t *m, uint64_t pa)
{
    return pa >= m->cfg.dram.base && pa - m->cfg.dram.base < m->cfg.dram.size;
}

/* Fills m->hit_ok_all from ptw_perm_ok (mmu_create). */
void mmu_build_hit_table(mmu_t *m);
/* Forgets the last hits of mmu_translate_refs (the CSRs or the ASID changed). */
void mmu_forget_hits(mmu_t *m);

#endif
