/*
 * dram.c - the sparse DRAM store and the DRAM timing model (docs/dram.md).
 *
 * Pages are 4 KiB host blocks found by physical page number (pa >> 12) in
 * an open-addressing, linear-probing hash table.  Page numbers, not offsets
 * from base, are the keys so that an aligned 8-byte word never straddles two
 * host pages whatever the base.  Pages are never freed before dram_destroy,
 * so the table needs no deletion and page pointers stay valid across table
 * growth, which is what makes the small page cache in front of the table
 * safe: a page number, once found, names the same host page for good.
 */
#include "dram.h"

#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "panic.h"

#define PAGE_SHIFT 12
#define PAGE_BYTES ((uint64_t)1 << PAGE_SHIFT)
#define PAGE_OFFSET_MASK (PAGE_BYTES - 1)

/* pa >> 12 is below 2^52, so this never names a real page. */
#define NO_PAGE UINT64_MAX

#define INITIAL_SLOTS_LOG2 6
#define RECENT_PAGES 64 /* page cache slots, a power of two */

/* Fibonacci hashing: consecutive page numbers land far apart. */
#define HASH_MULTIPLIER UINT64_C(0x9E3779B97F4A7C15)

typedef struct {
    uint64_t pn;      /* physical page number */
    uint8_t *data;    /* PAGE_BYTES bytes; NULL marks an empty slot */
} slot_t;

struct dram {
    uint64_t base, size;
    /*
     * Bytes of [base, base+size) that exist below 2^64: with span instead of
     * size, pa - base (mod 2^64) < span is the whole range check, because an
     * address below base wraps to at least 2^64 - base >= span.
     */
    uint64_t span;
    uint64_t word_span;   /* span - 7, or 0 when no word fits: off < word_span */
    /*
     * Direct-mapped by the low bits of pn: a walk reads one PTE from each
     * of a few table pages, and a study's tables are a few hundred pages.
     */
    struct {
        uint64_t pn;      /* NO_PAGE: empty */
        uint8_t *data;
    } recent[RECENT_PAGES];
    slot_t *slots;
    size_t mask;          /* slot count - 1; the count is a power of two */
    unsigned shift;       /* 64 - log2(slot count): the hash keeps the top bits */
    size_t count;         /* pages allocated */
    dram_tap_fn tap;      /* NULL: none */
    void *tap_ctx;
};

/* The home slot of pn; top bits of the product are the well-mixed ones. */
static inline size_t slot_home(uint64_t pn, unsigned shift)
{
    return (size_t)((pn * HASH_MULTIPLIER) >> shift);
}

/* Little-endian load/store; memcpy keeps it free of alignment and aliasing UB. */
static inline uint64_t load_le64(const uint8_t *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
#else
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
#endif
}

static inline void store_le64(uint8_t *p, uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(p, &v, sizeof v);
#else
    for (int i = 0; i < 8; i++, v >>= 8)
        p[i] = (uint8_t)v;
#endif
}

/* The host page of pn, or NULL when it was never written; never allocates. */
static inline uint8_t *page_find(dram_t *d, uint64_t pn)
{
    if (d->recent[pn & (RECENT_PAGES - 1)].pn == pn)
        return d->recent[pn & (RECENT_PAGES - 1)].data;
    size_t i = slot_home(pn, d->shift);
    for (;;) {
        const slot_t *s = &d->slots[i];
        if (s->data == NULL)
            return NULL; /* untouched pages are not cached: they may appear later */
        if (s->pn == pn) {
            d->recent[pn & (RECENT_PAGES - 1)].pn = pn;
            d->recent[pn & (RECENT_PAGES - 1)].data = s->data;
            return s->data;
        }
        i = (i + 1) & d->mask;
    }
}

/* Doubles the table; -1 (table unchanged) when out of host memory. */
static int table_grow(dram_t *d)
{
    size_t old_slots = d->mask + 1;
    if (old_slots > SIZE_MAX / 2 / sizeof(slot_t))
        return -1;
    size_t new_slots = old_slots * 2;
    slot_t *ns = calloc(new_slots, sizeof *ns);
    if (ns == NULL)
        return -1;
    unsigned shift = d->shift - 1;
    for (size_t j = 0; j < old_slots; j++) {
        const slot_t *s = &d->slots[j];
        if (s->data == NULL)
            continue;
        size_t i = slot_home(s->pn, shift);
        while (ns[i].data != NULL)
            i = (i + 1) & (new_slots - 1);
        ns[i] = *s;
    }
    free(d->slots);
    d->slots = ns;
    d->mask = new_slots - 1;
    d->shift = shift;
    return 0;
}

/* The host page of pn, allocated zero-filled on first use; NULL when out of host memory. */
static uint8_t *page_get(dram_t *d, uint64_t pn)
{
    uint8_t *p = page_find(d, pn);
    if (p != NULL)
        return p;
    /* Keep the load at most 5/8 so that probe sequences stay short. */
    if ((d->count + 1) * 8 > (d->mask + 1) * 5 && table_grow(d) != 0)
        return NULL;
    p = calloc(1, PAGE_BYTES);
    if (p == NULL)
        return NULL;
    size_t i = slot_home(pn, d->shift);
    while (d->slots[i].data != NULL)
        i = (i + 1) & d->mask;
    d->slots[i].pn = pn;
    d->slots[i].data = p;
    d->count++;
    d->recent[pn & (RECENT_PAGES - 1)].pn = pn;
    d->recent[pn & (RECENT_PAGES - 1)].data = p;
    return p;
}

dram_t *dram_create(uint64_t base, uint64_t size)
{
    dram_t *d = calloc(1, sizeof *d);
    if (d == NULL)
        return NULL;
    d->slots = calloc((size_t)1 << INITIAL_SLOTS_LOG2, sizeof *d->slots);
    if (d->slots == NULL) {
        free(d);
        return NULL;
    }
    d->base = base;
    d->size = size;
    /* 0 - base is 2^64 - base, except for base 0 where all of size fits. */
    d->span = (base != 0 && size > 0 - base) ? 0 - base : size;
    d->word_span = d->span >= 8 ? d->span - 7 : 0;
    for (size_t i = 0; i < RECENT_PAGES; i++)
        d->recent[i].pn = NO_PAGE;
    d->mask = ((size_t)1 << INITIAL_SLOTS_LOG2) - 1;
    d->shift = 64 - INITIAL_SLOTS_LOG2;
    d->count = 0;
    return d;
}

/* Frees every page and the table; NULL is accepted so that error paths stay simple. */
void dram_destroy(dram_t *d)
{
    if (d == NULL)
        return;
    for (size_t i = 0; i <= d->mask; i++)
        free(d->slots[i].data);
    free(d->slots);
    free(d);
}

/* The base as given to dram_create. */
uint64_t dram_base(const dram_t *d)
{
    return d->base;
}

/* The size as given to dram_create (bytes past 2^64, if any, are never reachable). */
uint64_t dram_size(const dram_t *d)
{
    return d->size;
}

/* An empty range has no byte outside, so len 0 gives 1 wherever pa is. */
int dram_contains(const dram_t *d, uint64_t pa, uint64_t len)
{
    if (len == 0)
        return 1;
    uint64_t off = pa - d->base; /* wraps past span for pa < base */
    return off < d->span && len <= d->span - off;
}

/* Untouched bytes read as zero without allocating, so reads never change the footprint. */
int dram_read(dram_t *d, uint64_t pa, void *buf, size_t len)
{
    if (!dram_contains(d, pa, len))
        return -1;
    uint8_t *out = buf;
    while (len > 0) {
        size_t in_page = (size_t)(PAGE_BYTES - (pa & PAGE_OFFSET_MASK));
        size_t n = len < in_page ? len : in_page;
        const uint8_t *p = page_find(d, pa >> PAGE_SHIFT);
        if (p != NULL)
            memcpy(out, p + (pa & PAGE_OFFSET_MASK), n);
        else
            memset(out, 0, n);
        out += n;
        pa += n;
        len -= n;
    }
    return 0;
}

/*
 * All pages are allocated before any byte is copied, so a failure (outside,
 * or -1 also when host memory runs out) leaves the contents unchanged.
 */
int dram_write(dram_t *d, uint64_t pa, const void *buf, size_t len)
{
    if (!dram_contains(d, pa, len))
        return -1;
    if (len == 0)
        return 0;
    uint64_t first = pa >> PAGE_SHIFT;
    uint64_t last = (pa + (len - 1)) >> PAGE_SHIFT;
    for (uint64_t pn = first; pn <= last; pn++)
        if (page_get(d, pn) == NULL)
            return -1;
    const uint8_t *in = buf;
    uint64_t pa0 = pa;
    size_t len0 = len;
    while (len > 0) {
        size_t in_page = (size_t)(PAGE_BYTES - (pa & PAGE_OFFSET_MASK));
        size_t n = len < in_page ? len : in_page;
        uint8_t *p = page_find(d, pa >> PAGE_SHIFT);
        memcpy(p + (pa & PAGE_OFFSET_MASK), in, n);
        in += n;
        pa += n;
        len -= n;
    }
    if (d->tap != NULL)
        d->tap(d->tap_ctx, pa0, buf, len0);
    return 0;
}

/* The walker's PTE read: no allocation, no division; the cached page usually hits. */
int dram_read64(dram_t *d, uint64_t pa, uint64_t *value)
{
    if ((pa & 7) != 0 || pa - d->base >= d->word_span)
        return -1;
    const uint8_t *p = page_find(d, pa >> PAGE_SHIFT);
    *value = p != NULL ? load_le64(p + (pa & PAGE_OFFSET_MASK)) : 0;
    return 0;
}

/* The walker's A/D update; -1 also when host memory runs out (nothing written). */
int dram_write64(dram_t *d, uint64_t pa, uint64_t value)
{
    if ((pa & 7) != 0 || pa - d->base >= d->word_span)
        return -1;
    uint8_t *p = page_get(d, pa >> PAGE_SHIFT);
    if (p == NULL)
        return -1;
    store_le64(p + (pa & PAGE_OFFSET_MASK), value);
    if (d->tap != NULL)
        d->tap(d->tap_ctx, pa, p + (pa & PAGE_OFFSET_MASK), 8);
    return 0;
}

/* Counts host pages, not bytes written: the footprint the sparse store promises. */
size_t dram_pages_touched(const dram_t *d)
{
    return d->count;
}

/* Walks the table, not the page cache: every allocated page is in the table once. */
int dram_each_page(const dram_t *d, int (*fn)(void *ctx, uint64_t pa), void *ctx)
{
    for (size_t i = 0; i <= d->mask; i++) {
        int rc;
        if (d->slots[i].data != NULL && (rc = fn(ctx, d->slots[i].pn << PAGE_SHIFT)) != 0)
            return rc;
    }
    return 0;
}

/* One tap at a time: the lockstep is the only user. */
void dram_set_tap(dram_t *d, dram_tap_fn fn, void *ctx)
{
    d->tap = fn;
    d->tap_ctx = ctx;
}

/* ---------------------------------------------------------------- timing */

typedef struct {
    int open;
    uint64_t row;   /* valid when open */
    uint64_t act;   /* cycle the open row was activated */
} bank_t;

struct dram_timer {
    dram_cfg_t cfg;
    unsigned col_bits;    /* log2(row_bytes) */
    unsigned row_shift;   /* log2(row_bytes) + log2(banks) */
    uint64_t bank_mask;   /* banks - 1 */
    unsigned nbanks;      /* 0 under fixed timing: no state to keep */
    bank_t *banks;
};

/* log2 of a power of two; anything else means config_validate was skipped. */
static unsigned log2_exact(unsigned v, const char *key)
{
    if (v == 0 || (v & (v - 1)) != 0)
        panic("%s = %u is not a power of two (configuration not validated)", key, v);
    unsigned n = 0;
    while ((v >> n) != 1)
        n++;
    return n;
}

/* cfg must have passed config_validate: a value it rejects is a panic here, not an error. */
dram_timer_t *dram_timer_create(const dram_cfg_t *cfg)
{
    unsigned col_bits = 0, bank_bits = 0, nbanks = 0;
    if (cfg->timing == DRAM_FIXED) {
        if (cfg->latency == 0)
            panic("dram.latency = 0 (configuration not validated)");
    } else if (cfg->timing == DRAM_DDR) {
        if (cfg->tcl == 0)
            panic("dram.tcl = 0 (configuration not validated)");
        col_bits = log2_exact(cfg->row_bytes, "dram.row_bytes");
        bank_bits = log2_exact(cfg->banks, "dram.banks");
        if (col_bits < 3)
            panic("dram.row_bytes = %u below 8 (configuration not validated)", cfg->row_bytes);
        nbanks = cfg->banks;
    } else {
        panic("unknown dram.timing %d", (int)cfg->timing);
    }
    /* calloc checks nbanks * sizeof(bank_t) for overflow (possible on 32-bit hosts). */
    bank_t *banks = nbanks != 0 ? calloc(nbanks, sizeof(bank_t)) : NULL;
    if (nbanks != 0 && banks == NULL)
        return NULL;
    dram_timer_t *t = malloc(sizeof *t);
    if (t == NULL) {
        free(banks);
        return NULL;
    }
    t->cfg = *cfg;
    t->col_bits = col_bits;
    t->row_shift = col_bits + bank_bits;
    t->bank_mask = nbanks != 0 ? (uint64_t)nbanks - 1 : 0;
    t->nbanks = nbanks;
    t->banks = banks;
    dram_timer_reset(t);
    return t;
}

/* NULL is accepted, like free. */
void dram_timer_destroy(dram_timer_t *t)
{
    if (t == NULL)
        return;
    free(t->banks);
    free(t);
}

/* Closing every bank forgets the activation times too: the next access to each bank pays tRCD. */
void dram_timer_reset(dram_timer_t *t)
{
    for (unsigned i = 0; i < t->nbanks; i++) {
        t->banks[i].open = 0;
        t->banks[i].row = 0;
        t->banks[i].act = 0;
    }
}

/* pa below base is a caller bug (the walker range-checks first), hence a panic. */
unsigned dram_timer_access(dram_timer_t *t, uint64_t pa, uint64_t now, dram_row_event_t *event)
{
    if (pa < t->cfg.base)
        panic("pa 0x%" PRIx64 " below dram.base 0x%" PRIx64, pa, t->cfg.base);
    dram_row_event_t ev;
    uint64_t lat;
    if (t->nbanks == 0) {
        ev = DRAM_ROW_FIXED;
        lat = t->cfg.latency;
    } else {
        uint64_t off = pa - t->cfg.base;
        uint64_t row = off >> t->row_shift;
        bank_t *b = &t->banks[(off >> t->col_bits) & t->bank_mask];
        if (b->open && b->row == row) {
            ev = DRAM_ROW_HIT;
            lat = t->cfg.tcl;
        } else if (!b->open) {
            ev = DRAM_ROW_CLOSED;
            lat = (uint64_t)t->cfg.trcd + t->cfg.tcl;
            b->open = 1;
            b->row = row;
            b->act = now;
        } else {
            /* The open row must have been active for tRAS before it may be precharged. */
            uint64_t ready = b->act + t->cfg.tras;
            uint64_t wait = ready > now ? ready - now : 0;
            ev = DRAM_ROW_CONFLICT;
            lat = wait + t->cfg.trp + t->cfg.trcd + t->cfg.tcl;
            b->row = row;
            b->act = now + wait + t->cfg.trp;
        }
    }
    if (lat > UINT_MAX)
        panic("latency %" PRIu64 " does not fit (cycle %" PRIu64 " before an activation?)", lat, now);
    if (event != NULL)
        *event = ev;
    return (unsigned)lat;
}
