/*
 * ptw.h - the page-table walker as a step machine.  It never touches
 * memory itself: it names the next memory operation (or its result), the
 * caller performs it and feeds back the data.  The cycle-level MMU, the
 * functional path and the RTL harness therefore share one walk algorithm.
 */
#ifndef MMUSIM_PTW_H
#define MMUSIM_PTW_H

#include <stdint.h>

#include "config.h"
#include "xlate.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { PTW_READ, PTW_WRITE, PTW_DONE } ptw_action_t;

/* A pointer PTE read by the walk, kept to fill the walk cache on success. */
typedef struct {
    int level;
    uint64_t ppn;
    int global;
} ptw_ptr_t;

typedef struct {
    /* inputs, fixed for the walk */
    uint64_t va;
    acc_t acc;
    priv_t priv;
    int sum, mxr, levels;
    ad_policy_t ad;
    uint64_t dram_base, dram_size;
    /* progress */
    int level;           /* level of the PTE being read */
    uint64_t table;      /* physical address of the table at level */
    int global;          /* OR of G over the pointers read */
    ptw_ptr_t ptrs[MAX_LEVELS];
    int nptrs;
    /* the next action */
    ptw_action_t action;
    uint64_t addr;       /* READ/WRITE: PTE address */
    uint64_t wdata;      /* WRITE: the PTE with A/D set */
    /* the result, once action is PTW_DONE */
    fault_t fault;
    uint64_t pa;
    uint64_t leaf;       /* the leaf PTE as it is in memory after any A/D write */
    int leaf_level;
} ptw_walk_t;

/*
 * Starts a walk for va at level with the table at table_ppn (the root, or
 * the table a walk-cache entry supplied) and sets the first action.
 */
void ptw_begin(ptw_walk_t *w, const mmu_req_t *req, const mmu_csr_t *csr, int levels,
               ad_policy_t ad, uint64_t dram_base, uint64_t dram_size, int level,
               uint64_t table_ppn, int global);

/* Feeds the PTE read for action PTW_READ; sets the next action. */
void ptw_read_done(ptw_walk_t *w, uint64_t pte);

/* Acknowledges the write of action PTW_WRITE; the next action is PTW_DONE. */
void ptw_write_done(ptw_walk_t *w);

/*
 * 1 when a leaf with PTE flags may be used for acc at priv under SUM/MXR
 * (the U/S, R/W/X rules; A/D are not looked at).
 */
int ptw_perm_ok(uint64_t flags, acc_t acc, priv_t priv, int sum, int mxr);

/* Physical address of va through a leaf of ppn at level (superpage low bits from va). */
uint64_t ptw_leaf_pa(uint64_t va, uint64_t ppn, int level);

#ifdef __cplusplus
}
#endif
#endif
