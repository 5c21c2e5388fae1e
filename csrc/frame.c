/*
 * frame.c - physical frames of the simulated DRAM: allocation, reference
 * counts and the reverse map.
 *
 * Frame i is the 4 KiB page at dram.base + i * 4096.  The frame table
 * grows with the highest frame handed out, so a 64 GiB DRAM costs host
 * memory only for the frames used.  User pages (anonymous, file) count
 * against os.user_frames; page-table pages only against DRAM.
 */
#include <stdlib.h>
#include <string.h>

#include "kernel.h"

static const uint8_t zero_page[PAGE_SIZE];

/* Physical address of frame f. */
uint64_t frame_pa(const os_t *os, uint32_t f)
{
    return os->cfg.dram.base + (uint64_t)f * PAGE_SIZE;
}

/* Frame holding physical address pa (which must be inside DRAM). */
uint32_t frame_of_pa(const os_t *os, uint64_t pa)
{
    uint64_t f = (pa - os->cfg.dram.base) >> PAGE_SHIFT;
    if (pa < os->cfg.dram.base || f >= os->nframes)
        panic("pa %#llx is not an allocated frame", (unsigned long long)pa);
    return (uint32_t)f;
}

/* Takes a frame from the free list or from never-used DRAM; -ENOMEM when DRAM is full. */
static int frame_take(os_t *os, uint32_t *out)
{
    if (os->nfree) {
        *out = os->free_list[--os->nfree];
        return 0;
    }
    if (os->nframes == os->dram_frames)
        return -ENOMEM;
    if (os->nframes == os->capframes) {
        uint32_t cap = os->capframes ? os->capframes * 2 : 1024;
        frame_t *n;
        if (cap > os->dram_frames)
            cap = os->dram_frames;
        n = realloc(os->frames, (size_t)cap * sizeof *n);
        if (!n)
            return -ENOMEM;
        os->frames = n;
        os->capframes = cap;
    }
    *out = os->nframes++;
    return 0;
}

/*
 * Allocates a frame of kind for process p (charged to p when it reclaims).
 * A user frame beyond os.user_frames, or any frame when DRAM is full,
 * first evicts a victim, which may OOM-kill another process but never p
 * (reclaim_one).  The frame's content is undefined.  0, or -ENOMEM when
 * nothing could be freed or p is the OOM killer's choice: the caller
 * unwinds and p is killed.
 */
int frame_alloc(os_t *os, proc_t *p, frame_kind_t kind, uint32_t *out)
{
    int user = kind == FR_ANON || kind == FR_FILE;
    uint32_t f;

    while ((user && os->user_used >= os->user_limit) || frame_take(os, &f))
        if (reclaim_one(os, p))
            return -ENOMEM;
    memset(&os->frames[f], 0, sizeof os->frames[f]);
    os->frames[f].kind = (uint8_t)kind;
    os->frames[f].slot = NO_SLOT;
    os->frames[f].last_use = ++os->tick;
    if (user) {
        os->user_used++;
        resident_add(os, f);
    } else {
        os->table_used++;
    }
    *out = f;
    return 0;
}

/* Returns frame f, which nothing references any more, to the free list. */
void frame_free(os_t *os, uint32_t f)
{
    frame_t *fr = &os->frames[f];

    if (fr->kind == FR_FREE || fr->mapcount || fr->rmap || fr->pinned)
        panic("frame %u: kind %d mapcount %u pinned %d", f, fr->kind, fr->mapcount, fr->pinned);
    if (fr->kind == FR_TABLE) {
        os->table_used--;
    } else {
        resident_del(os, f);
        os->user_used--;
    }
    fr->kind = FR_FREE;
    if (os->nfree == os->capfree) {
        uint32_t cap = os->capfree ? os->capfree * 2 : 1024;
        uint32_t *n = realloc(os->free_list, (size_t)cap * sizeof *n);
        if (!n)
            panic("no host memory for the free list");
        os->free_list = n;
        os->capfree = cap;
    }
    os->free_list[os->nfree++] = f;
}

/*
 * Called when a mapping of f went away: an anonymous frame nobody maps is
 * freed (and leaves the swap cache: its slot's copy is still on disk).  A
 * file frame stays in the page cache until its file is unmapped by all.
 */
void frame_release(os_t *os, uint32_t f)
{
    frame_t *fr = &os->frames[f];

    if (fr->kind != FR_ANON || fr->mapcount)
        return;
    if (fr->slot != NO_SLOT)
        swap_uncache(os, f);
    frame_free(os, f);
}

/* Fills frame f with zeros. */
void frame_zero(os_t *os, uint32_t f)
{
    if (dram_write(os->dram, frame_pa(os, f), zero_page, PAGE_SIZE))
        panic("frame %u outside DRAM", f);
}

/* Copies frame src to frame dst. */
void frame_copy(os_t *os, uint32_t dst, uint32_t src)
{
    if (dram_read(os->dram, frame_pa(os, src), os->page, PAGE_SIZE) ||
        dram_write(os->dram, frame_pa(os, dst), os->page, PAGE_SIZE))
        panic("frame %u or %u outside DRAM", dst, src);
}

/* Records that p maps f at va. */
void rmap_add(os_t *os, uint32_t f, proc_t *p, uint64_t va)
{
    frame_t *fr = &os->frames[f];
    rmap_t *r = malloc(sizeof *r);

    if (!r)
        panic("no host memory for a reverse-map entry");
    r->proc = p;
    r->va = va;
    r->next = fr->rmap;
    fr->rmap = r;
    fr->mapcount++;
    p->rss++;
}

/* Forgets that p maps f at va (which it must). */
void rmap_del(os_t *os, uint32_t f, proc_t *p, uint64_t va)
{
    frame_t *fr = &os->frames[f];

    for (rmap_t **pp = &fr->rmap; *pp; pp = &(*pp)->next) {
        rmap_t *r = *pp;
        if (r->proc == p && r->va == va) {
            *pp = r->next;
            free(r);
            fr->mapcount--;
            p->rss--;
            return;
        }
    }
    panic("frame %u has no mapping by pid %d at %#llx", f, p->pid, (unsigned long long)va);
}

/* Frees the frame table (every process and file is gone). */
void frames_fini(os_t *os)
{
    for (uint32_t f = 0; f < os->nframes; f++)
        if (os->frames[f].rmap)
            panic("frame %u still mapped", f);
    free(os->frames);
    free(os->free_list);
}
