/*
 * swap.c - the swap area (swap.slots pages on the simulated disk) and the
 * swap cache.
 *
 * A slot's count is the number of PTEs that hold it.  While a swapped page
 * is back in a frame and some PTE still holds the slot, the frame is in
 * the swap cache (slot->frame, frame->slot), so every process faulting on
 * the slot gets the same frame.  Such a frame is never mapped writable, so
 * it always equals its slot's copy and can be dropped without a write.
 */
#include <stdlib.h>

#include "kernel.h"

/* Allocates a free slot (count 0, to be raised by the caller).  0, or -ENOSPC when swap is full. */
int swap_alloc(os_t *os, uint32_t *slot)
{
    uint32_t s;

    if (os->slots_used >= os->cfg.os.swap_slots)
        return -ENOSPC;
    if (os->nfree_slots) {
        s = os->free_slots[--os->nfree_slots];
    } else {
        if (os->nslots == os->capslots) {
            uint32_t cap = os->capslots ? os->capslots * 2 : 256;
            slot_t *n = realloc(os->slots, (size_t)cap * sizeof *n);
            uint32_t *fl = realloc(os->free_slots, (size_t)cap * sizeof *fl);
            if (n)
                os->slots = n;
            if (fl)
                os->free_slots = fl;
            if (!n || !fl)
                return -ENOSPC;
            os->capslots = cap;
        }
        s = os->nslots++;
    }
    os->slots[s].count = 0;
    os->slots[s].frame = NO_FRAME;
    os->slots[s].data = NULL;
    os->slots_used++;
    *slot = s;
    return 0;
}

/*
 * Drops one PTE's hold on slot.  The last one frees the slot; a frame
 * still in its swap cache then holds the only copy, so it becomes dirty.
 */
void swap_put(os_t *os, uint32_t slot)
{
    slot_t *s = &os->slots[slot];

    if (slot >= os->nslots || s->count == 0)
        panic("slot %u is not in use", slot);
    if (--s->count)
        return;
    if (s->frame != NO_FRAME) {
        os->frames[s->frame].slot = NO_SLOT;
        os->frames[s->frame].dirty = 1;
    }
    free(s->data);
    s->data = NULL;
    s->frame = NO_FRAME;
    os->free_slots[os->nfree_slots++] = slot;
    os->slots_used--;
}

/* Writes frame f to slot (the disk latency is charged by the caller). */
void swap_write(os_t *os, uint32_t slot, uint32_t f)
{
    slot_t *s = &os->slots[slot];

    if (!s->data && !(s->data = malloc(PAGE_SIZE)))
        panic("no host memory for swap data");
    if (dram_read(os->dram, frame_pa(os, f), s->data, PAGE_SIZE))
        panic("frame %u outside DRAM", f);
}

/* Reads slot into frame f and puts f in the swap cache of slot. */
void swap_read(os_t *os, uint32_t slot, uint32_t f)
{
    slot_t *s = &os->slots[slot];

    if (!s->data || s->frame != NO_FRAME)
        panic("slot %u: no data, or already cached", slot);
    if (dram_write(os->dram, frame_pa(os, f), s->data, PAGE_SIZE))
        panic("frame %u outside DRAM", f);
    s->frame = f;
    os->frames[f].slot = slot;
}

/* Takes frame f out of the swap cache (its slot keeps the data). */
void swap_uncache(os_t *os, uint32_t f)
{
    frame_t *fr = &os->frames[f];

    if (fr->slot == NO_SLOT || os->slots[fr->slot].frame != f)
        panic("frame %u is not in the swap cache", f);
    os->slots[fr->slot].frame = NO_FRAME;
    fr->slot = NO_SLOT;
}

/* Frees the swap area (every slot must be free). */
void swap_fini(os_t *os)
{
    if (os->slots_used)
        panic("%u swap slots still in use", os->slots_used);
    free(os->slots);
    free(os->free_slots);
}
