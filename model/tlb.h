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
 * change replacement state.  (Inline, below.)
 */
static inline int tlb_lookup(tlb_t *t, uint64_t vpn, uint16_t asid);

/* Marks entry idx as used (replacement state of a hit).  (Inline, below.) */
static inline void tlb_touch(tlb_t *t, int idx);

/* The generation of the contents: it changes with every fill or flush.  (Inline, below.) */
static inline uint64_t tlb_generation(const tlb_t *t);

/* The entry at idx (from tlb_lookup).  (Inline, below.) */
static inline const tlb_entry_t *tlb_entry(const tlb_t *t, int idx);

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

/*
 * ---- The hit path, inline: a TLB hit is the inner loop of every study.
 * tlb_hot_t is the first member of struct tlb, holding what a hit reads
 * and writes; tlb.c owns it and documents it, callers use only the three
 * functions above.
 */
#define TLB_MEMO_SIZE 1024 /* memoised (VPN, ASID) lookups */
#define TLB_TOUCH_LOG 64   /* deferred LRU touches */

typedef struct {
    uint64_t vpn;
    uint64_t gen;      /* the structure's generation when recorded */
    int32_t idx;
    uint16_t asid;
} tlb_memo_t;

typedef struct {
    uint64_t gen;             /* bumped on every change of contents */
    tlb_memo_t recent[2];     /* the last two memo answers: instruction and data streams alternate */
    unsigned recent_next;     /* the slot the next answer replaces */
    tlb_entry_t *e;           /* all entries, set-major */
    unsigned n;               /* number of entries */
    int defer_touch;          /* policy lru: touches wait in touch_log */
    int32_t last_touch;       /* the entry at the end of touch_log, -1 when none */
    unsigned touch_len;
    uint32_t *touch_pos;      /* per entry: its last position in touch_log */
    int32_t touch_log[TLB_TOUCH_LOG];
    tlb_memo_t memo[TLB_MEMO_SIZE];
} tlb_hot_t;

/* The slow halves of the inline functions, in tlb.c. */
int tlb_lookup_slow(tlb_t *t, tlb_memo_t *m, uint64_t vpn, uint16_t asid);
void tlb_touch_slow(tlb_t *t, int idx);
#if defined(__GNUC__)
__attribute__((noreturn))
#endif
void tlb_bad_index(int idx);

/* A struct tlb starts with its tlb_hot_t: the casts are to the first member. */
static inline int tlb_lookup(tlb_t *t, uint64_t vpn, uint16_t asid)
{
    tlb_hot_t *h = (tlb_hot_t *)(void *)t;
    tlb_memo_t *m;

    for (int i = 0; i < 2; i++)
        if (h->recent[i].vpn == vpn && h->recent[i].asid == asid && h->recent[i].gen == h->gen)
            return h->recent[i].idx;
    m = &h->memo[(vpn ^ ((uint64_t)asid << 5) ^ (vpn >> 10)) & (TLB_MEMO_SIZE - 1)];
    if (m->gen != h->gen || m->vpn != vpn || m->asid != asid)
        tlb_lookup_slow(t, m, vpn, asid);
    h->recent[h->recent_next] = *m;
    h->recent_next ^= 1;
    return m->idx;
}

static inline void tlb_touch(tlb_t *t, int idx)
{
    tlb_hot_t *h = (tlb_hot_t *)(void *)t;

    /* touching the most recent entry again changes no LRU order */
    if (idx == h->last_touch)
        return;
    if (h->defer_touch && h->touch_len < TLB_TOUCH_LOG && (unsigned)idx < h->n) {
        h->touch_pos[idx] = h->touch_len;
        h->touch_log[h->touch_len++] = idx;
        h->last_touch = idx;
        return;
    }
    tlb_touch_slow(t, idx);
}

static inline uint64_t tlb_generation(const tlb_t *t)
{
    return ((const tlb_hot_t *)(const void *)t)->gen;
}

static inline const tlb_entry_t *tlb_entry(const tlb_t *t, int idx)
{
    const tlb_hot_t *h = (const tlb_hot_t *)(const void *)t;

    if ((unsigned)idx >= h->n)
        tlb_bad_index(idx);
    return &h->e[idx];
}

#ifdef __cplusplus
}
#endif
#endif
