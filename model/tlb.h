/*
 * tlb.h - a set-associative translation cache, used for every TLB level
 * and for the page-walk cache.
 *
 * An entry maps one naturally aligned region of 2^(12 + 9*level) bytes.
 * The TLBs hold leaves of every level (4 KiB .. 512 GiB); the walk cache
 * holds pointer PTEs of levels 1 and up, an entry of level L standing for
 * "the table that VPN[top..L] leads to".  Indexing: a region of level L
 * lives in set (VPN >> 9*L) mod sets, so a 4 KiB page's set is the low bits
 * of its VPN and a superpage's set is the low bits of its own page number.
 * A lookup probes, for each level from 0 up, that level's set, and within a
 * set the ways in index order; the first match wins, so the smallest region
 * (for the walk cache: the deepest table) is preferred.
 */
#ifndef MMUSIM_TLB_H
#define MMUSIM_TLB_H

#include <stdint.h>

#include "config.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    uint64_t tag;      /* VPN >> (9 * level) */
    uint64_t ppn;      /* leaf: PPN from the PTE; walk cache: PPN of the next table */
    uint16_t asid;
    uint8_t level;
    uint8_t flags;     /* PTE bits 7:0 (V R W X U G A D); G = global along the walk */
} tlb_entry_t;

typedef struct tlb tlb_t;

/*
 * Creates an empty structure of cfg->entries entries (cfg validated) whose
 * lookups consider levels [min_level, max_level].  NULL on no memory.
 */
tlb_t *tlb_create(const assoc_cfg_t *cfg, int min_level, int max_level);
void tlb_destroy(tlb_t *t);

/*
 * Index of the entry translating vpn under asid (an entry matches when its
 * region holds vpn and it is global or has that asid), or -1.  Does not
 * change replacement state.
 */
int tlb_lookup(tlb_t *t, uint64_t vpn, uint16_t asid);

/* Marks entry idx as used (replacement state of a hit). */
void tlb_touch(tlb_t *t, int idx);

/* The entry at idx (from tlb_lookup). */
const tlb_entry_t *tlb_entry(const tlb_t *t, int idx);

/*
 * Installs e (e->flags has V set).  An entry with the same level, tag and
 * ASID scope in e's set is overwritten; otherwise the set's first invalid
 * way, else the policy's victim.  The installed way is touched.
 */
void tlb_fill(tlb_t *t, const tlb_entry_t *e);

/*
 * sfence.vma on this structure.  use_va: only entries whose region holds
 * vpn; use_asid: only non-global entries of asid.  Returns entries removed.
 */
unsigned tlb_flush(tlb_t *t, int use_va, uint64_t vpn, int use_asid, uint16_t asid);

/* Valid entries (for tests and statistics). */
unsigned tlb_count_valid(const tlb_t *t);

#ifdef __cplusplus
}
#endif
#endif
