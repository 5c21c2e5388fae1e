/*
 * tlb.c - the set-associative translation cache behind every TLB level and
 * the page-walk cache.  docs/tlb.md is the specification of indexing,
 * matching and the replacement policies; the RTL implements the same bits.
 *
 * The hardware compares the ways of a set in parallel; a model that scans
 * them is slow for the fully associative structures (one set of 32 or more
 * ways).  So the bookkeeping here differs from the hardware's, never the
 * results:
 *  - an exact index from (tag, level) to the valid entries with that key,
 *    each chain in ascending entry order, so that the first match along a
 *    chain is the first match in way order;
 *  - LRU as a recency ring per set instead of ages (a way's age is its
 *    position in the ring), with the touches of hits applied lazily;
 *  - a memo of lookups, valid until the contents change.
 */
#include "tlb.h"

#include <stdlib.h>
#include <string.h>

#include "panic.h"

#define NIL (-1)                                     /* end of an index chain */
#define HASH_MULTIPLIER UINT64_C(0x9E3779B97F4A7C15) /* Fibonacci hashing: keep the top bits */

typedef struct {
    int32_t prev, next;
} lru_link_t;

/*
 * hot (tlb.h) holds what a hit reads and writes:
 *  - memo: per (VPN, ASID) slot the result of the last probe and the
 *    generation it was made in.  The winner of a probe depends only on the
 *    contents, and every fill or flush bumps gen, so a slot of the current
 *    generation is the answer.
 *  - touch_log: LRU touches not yet applied to the rings, oldest first.
 *    Moving an entry to the front leaves the order of the others alone, so
 *    only the last touch of each entry in the log matters (touch_pos tells
 *    which that is), and a run of hits on a few entries costs one ring move
 *    per entry.  The log is applied before every victim choice.  A touch of
 *    last_touch, the entry the log ends with, is dropped: it moves nothing.
 */
struct tlb {
    tlb_hot_t hot;         /* first: the inline functions of tlb.h cast to it */
    unsigned sets, ways;
    uint64_t set_mask;
    repl_policy_t policy;
    int min_level, max_level;
    /* the index: valid entries only, each chain in ascending entry order */
    int32_t *bucket;       /* chain heads, 2^(64 - bucket_shift) of them */
    int32_t *chain;        /* per entry: the next entry of its bucket */
    unsigned bucket_shift;
    unsigned level_count[MAX_LEVELS]; /* valid entries per level */
    unsigned level_mask;   /* bit L set when level_count[L] > 0: probes skip empty levels */
    uint64_t *free_map;    /* per set, map_words words: bit w set = way w invalid */
    unsigned map_words;
    /*
     * lru: per set a ring of its entries, most recently used first, closed
     * by a sentinel node (set s: node sets * ways + s) so that moving an
     * entry to the front has no end cases.
     */
    lru_link_t *lru;
    uint8_t *tree;         /* plru: sets * (ways - 1) */
    uint16_t *fifo;        /* fifo: sets */
    uint16_t lfsr;         /* random */
};

/* Puts every way of every set in its initial state: invalid, ages w (way 0 newest). */
static void tlb_init_state(tlb_t *t)
{
    unsigned n = t->hot.n;

    for (unsigned i = 0; i < n; i++) {
        unsigned w = i % t->ways, s = i / t->ways;
        t->chain[i] = NIL;
        t->lru[i].prev = w == 0 ? (int32_t)(n + s) : (int32_t)i - 1;
        t->lru[i].next = w == t->ways - 1 ? (int32_t)(n + s) : (int32_t)i + 1;
    }
    for (unsigned s = 0; s < t->sets; s++) {
        t->lru[n + s].next = (int32_t)(s * t->ways);
        t->lru[n + s].prev = (int32_t)(s * t->ways + t->ways - 1);
        for (unsigned k = 0; k < t->map_words; k++) {
            unsigned left = t->ways - 64 * k;
            t->free_map[s * t->map_words + k] = left >= 64 ? ~0ULL : (1ULL << left) - 1;
        }
    }
    for (size_t b = 0; b < (size_t)1 << (64 - t->bucket_shift); b++)
        t->bucket[b] = NIL;
}

/* Allocates an empty structure; NULL on no memory (nothing leaked). */
tlb_t *tlb_create(const assoc_cfg_t *cfg, int min_level, int max_level)
{
    unsigned ways = assoc_cfg_ways(cfg);
    unsigned sets = cfg->entries / ways;
    unsigned n = sets * ways, log2_buckets = 1;
    tlb_t *t;

    if (min_level < 0 || max_level >= MAX_LEVELS || min_level > max_level)
        panic("levels %d..%d", min_level, max_level);
    t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    /* At least two buckets per entry keeps chains about one entry long. */
    while (((size_t)1 << log2_buckets) < 2 * (size_t)n)
        log2_buckets++;
    t->hot.gen = 1; /* the zeroed memo slots are stale */
    t->hot.n = n;
    t->hot.defer_touch = cfg->policy == REPL_LRU;
    t->hot.last_touch = -1;
    t->sets = sets;
    t->ways = ways;
    t->set_mask = sets - 1;
    t->policy = cfg->policy;
    t->min_level = min_level;
    t->max_level = max_level;
    t->lfsr = (uint16_t)cfg->seed;
    t->bucket_shift = 64 - log2_buckets;
    t->map_words = (ways + 63) / 64;
    t->hot.e = calloc(n, sizeof(*t->hot.e));
    t->hot.touch_pos = calloc(n, sizeof(*t->hot.touch_pos));
    t->bucket = calloc((size_t)1 << log2_buckets, sizeof(*t->bucket));
    t->chain = calloc(n, sizeof(*t->chain));
    t->free_map = calloc((size_t)sets * t->map_words, sizeof(*t->free_map));
    t->lru = calloc((size_t)n + sets, sizeof(*t->lru));
    t->tree = calloc(n, 1);
    t->fifo = calloc(sets, sizeof(*t->fifo));
    if (!t->hot.e || !t->hot.touch_pos || !t->bucket || !t->chain || !t->free_map || !t->lru ||
        !t->tree || !t->fifo)
        goto fail;
    tlb_init_state(t);
    return t;
fail:
    tlb_destroy(t);
    return NULL;
}

/* Frees t and everything it owns; NULL is fine. */
void tlb_destroy(tlb_t *t)
{
    if (!t)
        return;
    free(t->hot.e);
    free(t->hot.touch_pos);
    free(t->bucket);
    free(t->chain);
    free(t->free_map);
    free(t->lru);
    free(t->tree);
    free(t->fifo);
    free(t);
}

/* Panics for an entry index that tlb_lookup cannot have returned. */
void tlb_bad_index(int idx)
{
    panic("index %d out of range", idx);
}

/* The index bucket of key (tag, level). */
static inline size_t index_bucket(const tlb_t *t, uint64_t tag, int level)
{
    return (size_t)((((tag << 2) | (uint64_t)level) * HASH_MULTIPLIER) >> t->bucket_shift);
}

/* Adds valid entry i, way w of set, to the index, keeping its chain in entry order. */
static void index_insert(tlb_t *t, int32_t i, unsigned set, unsigned w)
{
    const tlb_entry_t *e = &t->hot.e[i];
    int32_t *link = &t->bucket[index_bucket(t, e->tag, e->level)];

    while (*link != NIL && *link < i)
        link = &t->chain[*link];
    t->chain[i] = *link;
    *link = i;
    t->level_count[e->level]++;
    t->level_mask |= 1u << e->level;
    t->free_map[set * t->map_words + w / 64] &= ~(1ULL << (w % 64));
}

/* Removes entry i, way w of set, from the index and makes it invalid. */
static void index_remove(tlb_t *t, int32_t i, unsigned set, unsigned w)
{
    tlb_entry_t *e = &t->hot.e[i];
    int32_t *link = &t->bucket[index_bucket(t, e->tag, e->level)];

    while (*link != i) {
        if (*link == NIL)
            panic("entry %d missing from its index chain", (int)i);
        link = &t->chain[*link];
    }
    *link = t->chain[i];
    if (--t->level_count[e->level] == 0)
        t->level_mask &= ~(1u << e->level);
    t->free_map[set * t->map_words + w / 64] |= 1ULL << (w % 64);
    e->flags = 0;
}

/* The probe of docs/tlb.md: levels upwards, ways in order, first match. */
static int tlb_probe(const tlb_t *t, uint64_t vpn, uint16_t asid)
{
    for (unsigned left = t->level_mask; left; left &= left - 1) {
        int level = __builtin_ctz(left);
        uint64_t tag = vpn >> (VPN_BITS * level);
        for (int32_t i = t->bucket[index_bucket(t, tag, level)]; i != NIL; i = t->chain[i]) {
            const tlb_entry_t *e = &t->hot.e[i];
            if (e->tag == tag && e->level == level && ((e->flags & PTE_G) || e->asid == asid))
                return i;
        }
    }
    return -1;
}

/* The memo missed: probe, and remember the answer in m (a slot of t's memo). */
int tlb_lookup_slow(tlb_t *t, tlb_memo_t *m, uint64_t vpn, uint16_t asid)
{
    m->gen = t->hot.gen;
    m->vpn = vpn;
    m->asid = asid;
    m->idx = tlb_probe(t, vpn, asid);
    return m->idx;
}

/*
 * LRU touch of entry i, in set.  docs/tlb.md defines LRU by ages (0 = most
 * recent); moving i to the front of the ring adds one to the age of exactly
 * the ways that were ahead of it, and makes its age 0.
 */
static void lru_move_front(tlb_t *t, unsigned set, int32_t i)
{
    lru_link_t *r = t->lru;
    int32_t head = (int32_t)(t->hot.n + set), first = r[head].next;

    if (first == i)
        return;
    r[r[i].prev].next = r[i].next;
    r[r[i].next].prev = r[i].prev;
    r[i].prev = head;
    r[i].next = first;
    r[first].prev = i;
    r[head].next = i;
}

/* Applies the deferred LRU touches to the rings, in order, and empties the log. */
static void lru_drain(tlb_t *t)
{
    tlb_hot_t *h = &t->hot;

    for (unsigned p = 0; p < h->touch_len; p++) {
        int32_t i = h->touch_log[p];
        if (h->touch_pos[i] == p)
            lru_move_front(t, t->sets == 1 ? 0 : (unsigned)i / t->ways, i);
    }
    h->touch_len = 0;
    h->last_touch = -1;
}

/* Updates the replacement state for a use of entry i, in set. */
static void repl_touch(tlb_t *t, unsigned set, int32_t i)
{
    switch (t->policy) {
    case REPL_LRU:
        if (t->hot.touch_len == TLB_TOUCH_LOG)
            lru_drain(t);
        t->hot.touch_pos[i] = t->hot.touch_len;
        t->hot.touch_log[t->hot.touch_len++] = i;
        t->hot.last_touch = i;
        break;
    case REPL_PLRU: {
        unsigned ways = t->ways;
        uint8_t *bit = &t->tree[set * (ways - 1)];
        unsigned n = (unsigned)i - set * ways + ways - 1;
        while (n > 0) {
            unsigned p = (n - 1) / 2;
            bit[p] = (n == 2 * p + 1);
            n = p;
        }
        break;
    }
    case REPL_FIFO:
    case REPL_RANDOM:
        break;
    }
}

/* The policy's victim way in a set whose ways are all valid; steps FIFO/LFSR state. */
static unsigned repl_victim(tlb_t *t, unsigned set)
{
    unsigned ways = t->ways;

    switch (t->policy) {
    case REPL_LRU:
        lru_drain(t);
        return (unsigned)t->lru[t->hot.n + set].prev - set * ways; /* the oldest: largest age */
    case REPL_PLRU: {
        const uint8_t *bit = &t->tree[set * (ways - 1)];
        unsigned n = 0;
        while (n < ways - 1)
            n = 2 * n + 1 + bit[n];
        return n - (ways - 1);
    }
    case REPL_FIFO: {
        unsigned v = t->fifo[set];
        t->fifo[set] = (uint16_t)((v + 1) % ways);
        return v;
    }
    case REPL_RANDOM: {
        uint16_t s = t->lfsr;
        uint16_t bit = (uint16_t)((s ^ (s >> 2) ^ (s >> 3) ^ (s >> 5)) & 1);
        t->lfsr = (uint16_t)((s >> 1) | (bit << 15));
        return t->lfsr % ways;
    }
    }
    panic("policy %d", (int)t->policy);
}

/* tlb_touch when the inline path cannot log it: other policies, a full log, a bad index. */
void tlb_touch_slow(tlb_t *t, int idx)
{
    if (idx < 0 || (unsigned)idx >= t->hot.n)
        tlb_bad_index(idx);
    repl_touch(t, t->sets == 1 ? 0 : (unsigned)idx / t->ways, idx);
}

/* The lowest invalid way of set, or ways when the set is full. */
static unsigned first_free_way(const tlb_t *t, unsigned set)
{
    const uint64_t *map = &t->free_map[set * t->map_words];

    for (unsigned k = 0; k < t->map_words; k++)
        if (map[k])
            return 64 * k + (unsigned)__builtin_ctzll(map[k]);
    return t->ways;
}

/* Installs e: in place over an overlapping copy, else invalid way, else victim. */
void tlb_fill(tlb_t *t, const tlb_entry_t *e)
{
    unsigned set, w;
    int32_t i;

    if (!(e->flags & PTE_V) || e->level < t->min_level || e->level > t->max_level)
        panic("bad entry (flags %#x, level %d)", e->flags, e->level);
    set = (unsigned)(e->tag & t->set_mask);
    /* Entries with e's tag and level are all in e's set: the chain holds that set's candidates. */
    for (i = t->bucket[index_bucket(t, e->tag, e->level)]; i != NIL; i = t->chain[i]) {
        const tlb_entry_t *x = &t->hot.e[i];
        if (x->tag == e->tag && x->level == e->level &&
            ((x->flags & PTE_G) || (e->flags & PTE_G) || x->asid == e->asid))
            break;
    }
    if (i != NIL) {
        t->hot.e[i] = *e; /* same key: the chain position stays right */
    } else {
        w = first_free_way(t, set);
        if (w == t->ways) {
            w = repl_victim(t, set);
            index_remove(t, (int32_t)(set * t->ways + w), set, w);
        }
        i = (int32_t)(set * t->ways + w);
        t->hot.e[i] = *e;
        index_insert(t, i, set, w);
    }
    repl_touch(t, set, i);
    t->hot.gen++;
}

/* 1 when a fence limited to asid (use_asid) leaves valid entry e alone. */
static inline int flush_spares(const tlb_entry_t *e, int use_asid, uint16_t asid)
{
    return use_asid && ((e->flags & PTE_G) || e->asid != asid);
}

/* sfence.vma over this structure; returns the number of entries removed. */
unsigned tlb_flush(tlb_t *t, int use_va, uint64_t vpn, int use_asid, uint16_t asid)
{
    unsigned removed = 0;

    if (use_va) {
        /* The entries whose region holds vpn are those of key (vpn >> 9L, L). */
        for (unsigned left = t->level_mask; left; left &= left - 1) {
            int level = __builtin_ctz(left);
            uint64_t tag = vpn >> (VPN_BITS * level);
            int32_t i = t->bucket[index_bucket(t, tag, level)];
            while (i != NIL) {
                const tlb_entry_t *e = &t->hot.e[i];
                int32_t next = t->chain[i];
                if (e->tag == tag && e->level == level && !flush_spares(e, use_asid, asid)) {
                    unsigned set = (unsigned)(tag & t->set_mask);
                    index_remove(t, i, set, (unsigned)i - set * t->ways);
                    removed++;
                }
                i = next;
            }
        }
    } else {
        for (unsigned i = 0; i < t->hot.n; i++) {
            const tlb_entry_t *e = &t->hot.e[i];
            if (!(e->flags & PTE_V) || flush_spares(e, use_asid, asid))
                continue;
            index_remove(t, (int32_t)i, i / t->ways, i % t->ways);
            removed++;
        }
    }
    t->hot.gen++;
    return removed;
}

/* Number of valid entries. */
unsigned tlb_count_valid(const tlb_t *t)
{
    unsigned n = 0;
    for (unsigned i = 0; i < t->hot.n; i++)
        n += (t->hot.e[i].flags & PTE_V) != 0;
    return n;
}
