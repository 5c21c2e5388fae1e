/*
 * dram.h - the simulated DRAM: a sparse byte store plus a timing model.
 *
 * Storage grows with the 4 KiB pages touched, not with the configured
 * size; untouched bytes read as zero.  The timing model is separate from
 * the store so that the RTL harness can run its own DRAM image with the
 * same timing.
 */
#ifndef MMUSIM_DRAM_H
#define MMUSIM_DRAM_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct dram dram_t;

/* Creates an empty DRAM of [base, base+size); NULL when out of host memory. */
dram_t *dram_create(uint64_t base, uint64_t size);
void dram_destroy(dram_t *d);

uint64_t dram_base(const dram_t *d);
uint64_t dram_size(const dram_t *d);

/* 1 when [pa, pa+len) lies inside the DRAM. */
int dram_contains(const dram_t *d, uint64_t pa, uint64_t len);

/* Byte access for the operating-system side.  Return 0, or -1 when any byte is outside. */
int dram_read(dram_t *d, uint64_t pa, void *buf, size_t len);
int dram_write(dram_t *d, uint64_t pa, const void *buf, size_t len);

/* Aligned 64-bit little-endian word access.  Return 0, or -1 when outside or misaligned. */
int dram_read64(dram_t *d, uint64_t pa, uint64_t *value);
int dram_write64(dram_t *d, uint64_t pa, uint64_t value);

/* Host pages allocated so far (4 KiB each): the sparse store's footprint. */
size_t dram_pages_touched(const dram_t *d);

/*
 * Calls fn(ctx, pa) with the first address of every page written so far, in
 * no particular order; stops at, and returns, the first nonzero result of
 * fn, else 0.  fn must not write to d.
 */
int dram_each_page(const dram_t *d, int (*fn)(void *ctx, uint64_t pa), void *ctx);

/*
 * A tap sees every write that succeeds through dram_write or dram_write64,
 * after the store: its address, bytes (little-endian) and length.  The RTL
 * lockstep uses one to carry the operating system's writes to the RTL's
 * own DRAM image.  fn NULL removes the tap.
 */
typedef void (*dram_tap_fn)(void *ctx, uint64_t pa, const void *buf, size_t len);
void dram_set_tap(dram_t *d, dram_tap_fn fn, void *ctx);

/*
 * Timing model.  Fixed: every access takes dram.latency cycles.  DDR: the
 * address (relative to base) splits into | row | bank | column |, column
 * being log2(row_bytes) bits and bank log2(banks) bits; each bank keeps one
 * row open (open-page policy).  Latency of an access issued at cycle t:
 *   row hit       tCL
 *   bank closed   tRCD + tCL
 *   row conflict  wait + tRP + tRCD + tCL, wait = max(0, act + tRAS - t),
 *                 act being the cycle the open row was activated.
 * An activation happens at cycle t + (wait + tRP for a conflict).
 */
typedef enum { DRAM_ROW_HIT, DRAM_ROW_CLOSED, DRAM_ROW_CONFLICT, DRAM_ROW_FIXED } dram_row_event_t;

typedef struct dram_timer dram_timer_t;

/* Creates a timer for cfg (validated), all banks closed; NULL on no memory. */
dram_timer_t *dram_timer_create(const dram_cfg_t *cfg);
void dram_timer_destroy(dram_timer_t *t);
/* Back to all banks closed. */
void dram_timer_reset(dram_timer_t *t);

/*
 * Latency in cycles (>= 1) of an access to pa issued at cycle now, updating
 * the bank state; *event (may be NULL) says which case applied.
 */
unsigned dram_timer_access(dram_timer_t *t, uint64_t pa, uint64_t now, dram_row_event_t *event);

#ifdef __cplusplus
}
#endif
#endif
