/*
 * tlb.c - the set-associative translation cache behind every TLB level and
 * the page-walk cache.  docs/tlb.md is the specification of indexing,
 * matching and the replacement policies; the RTL implements the same bits.
 */
#include "tlb.h"

#include <stdlib.h>
#include <string.h>

#include "panic.h"

/*
 * Lookups are memoised per (VPN, ASID) until the contents change: a
 * hit-dominated study would otherwise scan every way on every reference.
 * The memo never changes a result, because the winner of a probe depends
 * only on the contents, and any fill or flush bumps the generation.
 */
#define MEMO_SIZE 1024

typedef struct {
    uint64_t vpn;
    uint64_t gen;
    int32_t idx;
    uint16_t asid;
} memo_t;

struct tlb {
    unsigned sets, ways;
    uint64_t set_mask;
    repl_policy_t policy;
    int min_level, max_level;
    tlb_entry_t *e;      /* sets * ways, set-major */
    uint64_t *stamp;     /* lru: sets * ways, last-use times */
    uint64_t clock;      /* lru: last stamp handed out */
    uint8_t *tree;       /* plru: sets * (ways - 1) */
    uint16_t *fifo;      /* fifo: sets */
    uint16_t lfsr;       /* random */
    uint64_t gen;        /* bumped on every change of contents */
    memo_t memo[MEMO_SIZE];
};

/* Allocates an empty structure; NULL on no memory (nothing leaked). */
tlb_t *tlb_create(const assoc_cfg_t *cfg, int min_level, int max_level)
{
    unsigned ways = assoc_cfg_ways(cfg);
    unsigned sets = cfg->entries / ways;
    tlb_t *t = calloc(1, sizeof(*t));

    if (!t)
        return NULL;
    t->sets = sets;
    t->ways = ways;
    t->set_mask = sets - 1;
    t->policy = cfg->policy;
    t->min_level = min_level;
    t->max_level = max_level;
    t->lfsr = (uint16_t)cfg->seed;
    t->gen = 1;
    t->e = calloc((size_t)sets * ways, sizeof(*t->e));
    t->stamp = calloc((size_t)sets * ways, sizeof(*t->stamp));
    t->tree = calloc((size_t)sets * ways, 1);
    t->fifo = calloc(sets, sizeof(*t->fifo));
    if (!t->e || !t->stamp || !t->tree || !t->fifo)
        goto fail;
    /* age[w] = w initially: way 0 the most recent, so the largest stamp. */
    for (unsigned i = 0; i < sets * ways; i++)
        t->stamp[i] = ways - 1 - i % ways;
    t->clock = ways;
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
    free(t->e);
    free(t->stamp);
    free(t->tree);
    free(t->fifo);
    free(t);
}

/* 1 when e translates vpn under asid. */
static inline int entry_matches(const tlb_entry_t *e, uint64_t vpn, uint16_t asid)
{
    return (e->flags & PTE_V) && e->tag == vpn >> (VPN_BITS * e->level) &&
           ((e->flags & PTE_G) || e->asid == asid);
}

/* The probe of docs/tlb.md: levels upwards, ways in order, first match. */
static int tlb_probe(const tlb_t *t, uint64_t vpn, uint16_t asid)
{
    if (t->sets == 1) {
        int best = -1, best_level = t->max_level + 1;
        for (unsigned w = 0; w < t->ways; w++) {
            const tlb_entry_t *e = &t->e[w];
            if (e->level < best_level && entry_matches(e, vpn, asid)) {
                best = (int)w;
                best_level = e->level;
                if (best_level == t->min_level)
                    break;
            }
        }
        return best;
    }
    for (int level = t->min_level; level <= t->max_level; level++) {
        uint64_t set = (vpn >> (VPN_BITS * level)) & t->set_mask;
        const tlb_entry_t *row = &t->e[set * t->ways];
        for (unsigned w = 0; w < t->ways; w++)
            if (row[w].level == level && entry_matches(&row[w], vpn, asid))
                return (int)(set * t->ways + w);
    }
    return -1;
}

/* Index of the entry translating vpn under asid, or -1; no state change. */
int tlb_lookup(tlb_t *t, uint64_t vpn, uint16_t asid)
{
    memo_t *m = &t->memo[(vpn ^ ((uint64_t)asid << 5) ^ (vpn >> 10)) & (MEMO_SIZE - 1)];

    if (m->gen == t->gen && m->vpn == vpn && m->asid == asid)
        return m->idx;
    m->gen = t->gen;
    m->vpn = vpn;
    m->asid = asid;
    m->idx = tlb_probe(t, vpn, asid);
    return m->idx;
}

/* Updates the replacement state for a use of way w of set. */
static void repl_touch(tlb_t *t, unsigned set, unsigned w)
{
    unsigned ways = t->ways;

    switch (t->policy) {
    case REPL_LRU:
        /*
         * docs/tlb.md defines LRU by ages (0 = most recent); a way's age is
         * its rank by last-use stamp, so stamping is the same policy with
         * an O(1) touch.
         */
        t->stamp[set * ways + w] = ++t->clock;
        break;
    case REPL_PLRU: {
        uint8_t *bit = &t->tree[set * (ways - 1)];
        unsigned n = w + ways - 1;
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

/* The policy's victim in a set whose ways are all valid; steps FIFO/LFSR state. */
static unsigned repl_victim(tlb_t *t, unsigned set)
{
    unsigned ways = t->ways;

    switch (t->policy) {
    case REPL_LRU: {
        const uint64_t *stamp = &t->stamp[set * ways];
        unsigned v = 0;
        for (unsigned i = 1; i < ways; i++)
            if (stamp[i] < stamp[v])
                v = i;
        return v;
    }
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

/* Marks entry idx as used. */
void tlb_touch(tlb_t *t, int idx)
{
    if (idx < 0 || (unsigned)idx >= t->sets * t->ways)
        panic("index %d out of range", idx);
    repl_touch(t, (unsigned)idx / t->ways, (unsigned)idx % t->ways);
}

/* The entry at idx. */
const tlb_entry_t *tlb_entry(const tlb_t *t, int idx)
{
    if (idx < 0 || (unsigned)idx >= t->sets * t->ways)
        panic("index %d out of range", idx);
    return &t->e[idx];
}

/* Installs e: in place over an overlapping copy, else invalid way, else victim. */
void tlb_fill(tlb_t *t, const tlb_entry_t *e)
{
    unsigned set, w;
    tlb_entry_t *row;

    if (!(e->flags & PTE_V) || e->level < t->min_level || e->level > t->max_level)
        panic("bad entry (flags %#x, level %d)", e->flags, e->level);
    set = (unsigned)(e->tag & t->set_mask);
    row = &t->e[set * t->ways];
    unsigned invalid = t->ways;
    for (w = 0; w < t->ways; w++) {
        if (!(row[w].flags & PTE_V)) {
            if (invalid == t->ways)
                invalid = w;
        } else if (row[w].level == e->level && row[w].tag == e->tag &&
                   ((row[w].flags & PTE_G) || (e->flags & PTE_G) || row[w].asid == e->asid)) {
            goto place;
        }
    }
    w = invalid < t->ways ? invalid : repl_victim(t, set);
place:
    row[w] = *e;
    repl_touch(t, set, w);
    t->gen++;
}

/* sfence.vma over this structure; returns the number of entries removed. */
unsigned tlb_flush(tlb_t *t, int use_va, uint64_t vpn, int use_asid, uint16_t asid)
{
    unsigned removed = 0;

    for (unsigned i = 0; i < t->sets * t->ways; i++) {
        tlb_entry_t *e = &t->e[i];
        if (!(e->flags & PTE_V))
            continue;
        if (use_va && e->tag != vpn >> (VPN_BITS * e->level))
            continue;
        if (use_asid && ((e->flags & PTE_G) || e->asid != asid))
            continue;
        e->flags = 0;
        removed++;
    }
    t->gen++;
    return removed;
}

/* Number of valid entries. */
unsigned tlb_count_valid(const tlb_t *t)
{
    unsigned n = 0;
    for (unsigned i = 0; i < t->sets * t->ways; i++)
        n += (t->e[i].flags & PTE_V) != 0;
    return n;
}
