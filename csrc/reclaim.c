/*
 * reclaim.c - page replacement: the resident list, the victim policies of
 * os.policy and eviction (drop, swap-out, write-back), and the OOM killer.
 *
 * The resident list is a circular list of the user frames.  New frames go
 * in just before the hand; for clock and fifo the hand is the next victim
 * candidate, so a new page takes the place of the one it replaced, as in
 * the textbook circular buffer.  lru, opt and random scan the whole list:
 * they are study policies and os.user_frames is small in studies.
 */
#include "kernel.h"

/* Puts user frame f in the resident list, just before the hand. */
void resident_add(os_t *os, uint32_t f)
{
    frame_t *fr = &os->frames[f];

    if (os->hand == NO_FRAME) {
        fr->prev = fr->next = f;
        os->hand = f;
        return;
    }
    fr->next = os->hand;
    fr->prev = os->frames[os->hand].prev;
    os->frames[fr->prev].next = f;
    os->frames[os->hand].prev = f;
}

/* Takes user frame f out of the resident list; the hand moves on if it was there. */
void resident_del(os_t *os, uint32_t f)
{
    frame_t *fr = &os->frames[f];

    if (fr->next == f) {
        os->hand = NO_FRAME;
        return;
    }
    os->frames[fr->prev].next = fr->next;
    os->frames[fr->next].prev = fr->prev;
    if (os->hand == f)
        os->hand = fr->next;
}

/* Level-0 PTE address of mapping r (which exists). */
static uint64_t rmap_pte(os_t *os, const rmap_t *r)
{
    uint64_t pte_pa = pt_lookup(os, r->proc, r->va);
    if (!pte_pa)
        panic("pid %d va %#llx: reverse map without a page table", r->proc->pid, (unsigned long long)r->va);
    return pte_pa;
}

/* Clock's second chance: 1 when some PTE of f has A set, clearing them all (with shootdowns). */
static int reclaim_referenced(os_t *os, uint32_t f)
{
    int referenced = 0;

    for (rmap_t *r = os->frames[f].rmap; r; r = r->next) {
        uint64_t pte_pa = rmap_pte(os, r), pte = pt_read(os, pte_pa);
        if (pte & PTE_A) {
            pt_write(os, pte_pa, pte & ~PTE_A);
            tlb_shootdown(os, r->proc, r->va);
            referenced = 1;
        }
    }
    return referenced;
}

/* Next reference of any mapping of f (os.policy opt); UINT64_MAX for none. */
static uint64_t reclaim_next_use(os_t *os, uint32_t f)
{
    uint64_t next = UINT64_MAX;

    if (!os->hw.next_use)
        panic("os.policy opt without a next_use callback");
    for (rmap_t *r = os->frames[f].rmap; r; r = r->next) {
        uint64_t n = os->hw.next_use(os->hw.user, r->proc->pid, r->va);
        next = n < next ? n : next;
    }
    return next;
}

/* The victim of os.policy among unpinned resident frames, or NO_FRAME. */
static uint32_t reclaim_choose(os_t *os)
{
    uint32_t f = os->hand, best = NO_FRAME, start;
    uint64_t best_key = 0;

    if (f == NO_FRAME)
        return NO_FRAME;
    switch (os->cfg.os.policy) {
    case OSP_CLOCK:
        /* Two turns clear every A bit, so an unpinned frame is found by then. */
        for (uint64_t n = 0; n <= 2 * os->user_used; n++) {
            f = os->hand;
            os->hand = os->frames[f].next;
            if (!os->frames[f].pinned && !reclaim_referenced(os, f))
                return f;
        }
        return NO_FRAME;
    case OSP_RANDOM:
        os->rng ^= os->rng << 13;
        os->rng ^= os->rng >> 17;
        os->rng ^= os->rng << 5;
        for (uint64_t k = os->rng % os->user_used; k; k--)
            f = os->frames[f].next;
        break;
    default:
        break;
    }
    start = f;
    do {
        frame_t *fr = &os->frames[f];
        if (!fr->pinned) {
            uint64_t key = os->cfg.os.policy == OSP_LRU   ? UINT64_MAX - fr->last_use
                           : os->cfg.os.policy == OSP_OPT ? reclaim_next_use(os, f)
                                                          : 1;
            if (best == NO_FRAME || key > best_key) {
                best = f;
                best_key = key;
            }
            if (os->cfg.os.policy == OSP_FIFO || os->cfg.os.policy == OSP_RANDOM)
                return best;
        }
        f = os->frames[f].next;
    } while (f != start);
    return best;
}

/* Replaces every PTE mapping f by pte_new (0 or a swap entry), with shootdowns; returns D of any. */
static int reclaim_unmap_all(os_t *os, uint32_t f, uint64_t pte_new)
{
    frame_t *fr = &os->frames[f];
    int dirty = fr->dirty;

    while (fr->rmap) {
        rmap_t *r = fr->rmap;
        uint64_t pte_pa = rmap_pte(os, r), pte = pt_read(os, pte_pa);
        dirty |= (pte & PTE_D) != 0;
        pt_write(os, pte_pa, pte_new);
        if (PTE_IS_SWAP(pte_new))
            os->slots[PTE_SWAP_SLOT(pte_new)].count++;
        tlb_shootdown(os, r->proc, r->va);
        rmap_del(os, f, r->proc, r->va);
    }
    return dirty;
}

/* 1 when some PTE mapping f has D set, or f is already known dirty. */
static int reclaim_dirty(os_t *os, uint32_t f)
{
    int dirty = os->frames[f].dirty;

    for (rmap_t *r = os->frames[f].rmap; r; r = r->next)
        dirty |= (pt_read(os, rmap_pte(os, r)) & PTE_D) != 0;
    return dirty;
}

/*
 * Moves the D bits of every PTE mapping f into the frame (Linux's
 * page_mkclean): each PTE is cleaned with a shootdown, so the next store
 * through any mapping sets D again.  1 when f is dirty.
 */
int frame_mkclean(os_t *os, uint32_t f)
{
    frame_t *fr = &os->frames[f];

    for (rmap_t *r = fr->rmap; r; r = r->next) {
        uint64_t pte_pa = rmap_pte(os, r), pte = pt_read(os, pte_pa);
        if (pte & PTE_D) {
            pt_write(os, pte_pa, pte & ~PTE_D);
            tlb_shootdown(os, r->proc, r->va);
            fr->dirty = 1;
        }
    }
    return fr->dirty;
}

/*
 * Evicts f for p: a clean page is dropped (a never-written anonymous page
 * is demand-zero again), a dirty anonymous page goes to a swap slot, a
 * dirty file page to its file.  0, or -ENOSPC when a slot is needed and
 * swap is full (nothing changed).
 */
static int reclaim_evict(os_t *os, proc_t *p, uint32_t f)
{
    frame_t *fr = &os->frames[f];
    uint32_t slot = fr->slot;

    if (fr->kind == FR_FILE) {
        if (reclaim_unmap_all(os, f, 0))
            fr->dirty = 1;
        if (fr->dirty)
            file_writeback(os, p, f);
        else
            OS_COUNT(os, p, dropped, 1);
        file_uncache(os, f);
        frame_free(os, f);
        return 0;
    }
    if (slot == NO_SLOT && reclaim_dirty(os, f)) {
        if (swap_alloc(os, &slot))
            return -ENOSPC;
        swap_write(os, slot, f);
        OS_COUNT(os, p, swap_outs, 1);
        os_charge(os, p, os->cfg.os.disk_latency);
    } else {
        OS_COUNT(os, p, dropped, 1);
    }
    reclaim_unmap_all(os, f, slot == NO_SLOT ? 0 : PTE_MAKE_SWAP(slot));
    if (fr->slot != NO_SLOT)
        swap_uncache(os, f);
    frame_free(os, f);
    return 0;
}

/* The running process with the most user frames mapped (lowest pid on a tie), or NULL. */
static proc_t *reclaim_oom_victim(os_t *os)
{
    proc_t *best = NULL;

    for (proc_t *q = os->proc_list; q; q = q->next)
        if (q->alive && q->rss && (!best || q->rss > best->rss || (q->rss == best->rss && q->pid < best->pid)))
            best = q;
    return best;
}

/*
 * Frees one user frame for p: evicts the policy's victim, passing over
 * victims that need a swap slot when swap is full; with no victim left,
 * OOM-kills the largest process.  0, or -ENOMEM when nothing can be freed
 * or p itself is the largest.  p is not torn down here: its fault (or the
 * fork building it) holds frames, a pinned copy source or a page-cache
 * page of a file p may be the last to map, and page-table entries that
 * the teardown would free under it.  The caller unwinds with -ENOMEM and
 * p is killed on the way out, as Linux's victim dies on its way back to
 * user space.
 */
int reclaim_one(os_t *os, proc_t *p)
{
    uint32_t skipped[64], nskipped = 0, f;
    int rc = -ENOMEM;

    while ((f = reclaim_choose(os)) != NO_FRAME) {
        if (!reclaim_evict(os, p, f)) {
            rc = 0;
            break;
        }
        if (nskipped == sizeof skipped / sizeof *skipped)
            break;
        os->frames[f].pinned = 1;
        skipped[nskipped++] = f;
    }
    while (nskipped)
        os->frames[skipped[--nskipped]].pinned = 0;
    if (rc) {
        proc_t *victim = reclaim_oom_victim(os);
        if (victim && victim != p) {
            os_kill(os, victim, OS_KILL_OOM, 0);
            rc = 0;
        }
    }
    return rc;
}
