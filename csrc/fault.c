/*
 * fault.c - the page-fault handler, in the shape of Linux's: one fault
 * context, one flat dispatch from "is the address in an area" through "is
 * the operation allowed" to demand-zero, page-cache read, copy-on-write and
 * swap-in.  Each handler leaves a PTE that lets the replayed access
 * through, or fails with -ENOMEM and the process is to be OOM-killed.
 * A fault never sees its own process torn down: the OOM killer leaves the
 * faulting process to the end of the fault (reclaim_one), so the frames
 * and the page-table entry a handler holds stay valid throughout.
 *
 * The handler installs pages with A set, and D set for a write, as Linux
 * does (pte_mkyoung, pte_mkdirty); under svade that is what the walker
 * needs, under svadu it saves the walker's own update.  Every change to a
 * present PTE is followed by an sfence of that page: a TLB entry that is
 * more permissive must go, and a less permissive one would fault again.
 */
#include "kernel.h"

typedef struct {
    os_t *os;
    proc_t *p;
    vma_t *vma;
    uint64_t va;        /* page of the faulting address */
    acc_t acc;
    uint64_t pte_pa, pte;
    uint64_t pgoff;     /* file mappings: page of the file */
} fault_ctx_t;

/* Charges cycles of handler time to p (may be NULL) and to the simulated time. */
void os_charge(os_t *os, proc_t *p, uint64_t cycles)
{
    if (!cycles)
        return;
    OS_COUNT(os, p, handler_cycles, cycles);
    if (os->hw.wait)
        os->hw.wait(os->hw.ctx, cycles);
}

/*
 * Installs frame f at the fault's page with flags, taking a mapping
 * reference.  D is set by a store, or up front under os.ad_on_fault (the
 * page then never takes an A/D fault: docs/os.md says which kernels do so).
 */
static void fault_map(fault_ctx_t *fc, uint32_t f, uint64_t flags)
{
    if ((flags & PTE_W) && (fc->acc == ACC_STORE || fc->os->cfg.os.ad_on_fault))
        flags |= PTE_D;
    fc->pte = PTE_MAKE(frame_pa(fc->os, f) >> PAGE_SHIFT, flags);
    pt_write(fc->os, fc->pte_pa, fc->pte);
    rmap_add(fc->os, f, fc->p, fc->va);
    fc->os->frames[f].last_use = ++fc->os->tick;
}

/* Rewrites the present PTE of the fault and flushes the page from the TLB. */
static void fault_update(fault_ctx_t *fc, uint64_t pte)
{
    fc->pte = pte;
    pt_write(fc->os, fc->pte_pa, pte);
    tlb_shootdown(fc->os, fc->p, fc->va);
}

/* 1 when the area's protection allows acc (write implies read, as on Linux/RISC-V). */
static int fault_allowed(const vma_t *v, acc_t acc)
{
    switch (acc) {
    case ACC_LOAD: return (v->prot & (OS_PROT_READ | OS_PROT_WRITE)) != 0;
    case ACC_STORE: return (v->prot & OS_PROT_WRITE) != 0;
    default: return (v->prot & OS_PROT_EXEC) != 0;
    }
}

/* Private anonymous page touched for the first time: a zeroed frame. */
static int do_anonymous_page(fault_ctx_t *fc)
{
    uint32_t f;
    int rc = frame_alloc(fc->os, fc->p, FR_ANON, &f);

    if (rc)
        return rc;
    frame_zero(fc->os, f);
    fault_map(fc, f, pt_leaf_flags(fc->vma, 1));
    OS_COUNT(fc->os, fc->p, zero_fills, 1);
    OS_COUNT(fc->os, fc->p, page_faults, 1);
    os_charge(fc->os, fc->p, fc->os->cfg.os.cost_zero);
    return 0;
}

/*
 * Replaces the fault's mapping of src (page cache or shared anonymous
 * frame, or none when mapped is 0) by a private copy, writable.  src is
 * pinned while the copy's frame is found, so that reclaim does not evict
 * it; the fault's mapping of src, or its area's hold on src's file, keeps
 * it alive, the faulting process being never torn down inside its fault.
 */
static int do_cow_copy(fault_ctx_t *fc, uint32_t src, int mapped)
{
    os_t *os = fc->os;
    uint32_t f;
    int rc;

    os->frames[src].pinned = 1;
    rc = frame_alloc(os, fc->p, FR_ANON, &f);
    os->frames[src].pinned = 0;
    if (rc)
        return rc;
    frame_copy(os, f, src);
    os->frames[f].dirty = 1;
    if (mapped) {
        rmap_del(os, src, fc->p, fc->va);
        fault_map(fc, f, pt_leaf_flags(fc->vma, 1));
        tlb_shootdown(os, fc->p, fc->va);
        frame_release(os, src);
    } else {
        fault_map(fc, f, pt_leaf_flags(fc->vma, 1));
    }
    OS_COUNT(os, fc->p, cow_copies, 1);
    os_charge(os, fc->p, os->cfg.os.cost_copy);
    return 0;
}

/* File (or shared anonymous) page not mapped yet: from the page cache; a private write copies it. */
static int do_file_page(fault_ctx_t *fc)
{
    int shared = (fc->vma->flags & OS_MAP_SHARED) != 0;
    uint32_t f;
    int rc = file_getpage(fc->os, fc->p, fc->vma->file, fc->pgoff, &f);

    if (rc)
        return rc;
    if (!shared && fc->acc == ACC_STORE)
        return do_cow_copy(fc, f, 0);
    fault_map(fc, f, pt_leaf_flags(fc->vma, shared));
    return 0;
}

/*
 * Write to a present read-only page of a writable area.  Shared: write
 * enable.  Private: reuse the frame when this PTE is its only reference
 * (no other mapping, no swap slot), else copy.
 */
static int do_wp_page(fault_ctx_t *fc)
{
    uint32_t f = frame_of_pa(fc->os, PTE_PPN(fc->pte) << PAGE_SHIFT);
    frame_t *fr = &fc->os->frames[f];

    if (fc->vma->flags & OS_MAP_SHARED) {
        fault_update(fc, fc->pte | PTE_W | PTE_A | PTE_D);
        return 0;
    }
    if (fr->kind == FR_ANON && fr->mapcount == 1 && fr->slot == NO_SLOT) {
        fault_update(fc, fc->pte | PTE_W | PTE_A | PTE_D);
        OS_COUNT(fc->os, fc->p, cow_reuses, 1);
        return 0;
    }
    return do_cow_copy(fc, f, 1);
}

/*
 * Swapped-out page: from the swap cache, or read from the slot.  The frame
 * is writable only when nothing else holds it; a write to a shared one
 * goes on to copy-on-write.
 */
static int do_swap_page(fault_ctx_t *fc)
{
    os_t *os = fc->os;
    uint32_t slot = PTE_SWAP_SLOT(fc->pte), f = os->slots[slot].frame;
    int rc, exclusive;

    if (f != NO_FRAME) {
        OS_COUNT(os, fc->p, swap_cache_hits, 1);
    } else {
        if ((rc = frame_alloc(os, fc->p, FR_ANON, &f)))
            return rc;
        swap_read(os, slot, f);
        OS_COUNT(os, fc->p, swap_ins, 1);
        OS_COUNT(os, fc->p, major_faults, 1);
        OS_COUNT(os, fc->p, page_faults, 1);
        os_charge(os, fc->p, os->cfg.os.disk_latency);
    }
    fc->pte = 0;
    swap_put(os, slot);
    exclusive = os->frames[f].mapcount == 0 && os->frames[f].slot == NO_SLOT;
    fault_map(fc, f, pt_leaf_flags(fc->vma, exclusive));
    if (fc->acc == ACC_STORE && !exclusive)
        return do_cow_copy(fc, f, 1);
    return 0;
}

/*
 * The PTE allows the access: under svade, A (or D for a write) was clear;
 * otherwise the TLB held a stale entry, which the sfence removes.
 */
static int do_access_flags(fault_ctx_t *fc)
{
    uint64_t need = PTE_A | (fc->acc == ACC_STORE ? PTE_D : 0);

    if ((fc->pte & need) != need)
        OS_COUNT(fc->os, fc->p, ad_faults, 1);
    fault_update(fc, fc->pte | need);
    return 0;
}

/*
 * Handles a page fault of p at va for acc.  0: the access can be replayed.
 * -EFAULT: the process must die of *why; p is still alive, its address
 * space as the fault left it.
 */
int do_page_fault(os_t *os, proc_t *p, uint64_t va, acc_t acc, os_kill_t *why)
{
    fault_ctx_t fc = { os, p, vma_find(p, va), va & ~(PAGE_SIZE - 1), acc, 0, 0, 0 };
    uint64_t majors = os->stats.major_faults;
    int rc;

    *why = OS_KILL_NONE;
    os_charge(os, p, os->cfg.os.cost_fault);
    if (!fc.vma) {
        *why = OS_KILL_SEGV_MAPERR;
        return -EFAULT;
    }
    if (!fault_allowed(fc.vma, acc)) {
        *why = OS_KILL_SEGV_ACCERR;
        return -EFAULT;
    }
    fc.pgoff = fc.vma->pgoff + ((fc.va - fc.vma->start) >> PAGE_SHIFT);
    if (fc.vma->file && fc.pgoff >= fc.vma->file->npages) {
        *why = OS_KILL_BUS_ADRERR;
        return -EFAULT;
    }
    if ((rc = pt_alloc(os, p, fc.va, &fc.pte_pa)))
        goto out;
    fc.pte = pt_read(os, fc.pte_pa);
    if (!fc.pte)
        rc = fc.vma->file ? do_file_page(&fc) : do_anonymous_page(&fc);
    else if (PTE_IS_SWAP(fc.pte))
        rc = do_swap_page(&fc);
    else if (acc == ACC_STORE && !(fc.pte & PTE_W))
        rc = do_wp_page(&fc);
    else
        rc = do_access_flags(&fc);
out:
    if (os->stats.major_faults == majors)
        OS_COUNT(os, p, minor_faults, 1);
    if (rc) {
        /* Nothing could be freed, or p is the OOM killer's choice: p is the one to go. */
        *why = OS_KILL_OOM;
    }
    return rc ? -EFAULT : 0;
}
