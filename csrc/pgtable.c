/*
 * pgtable.c - the page tables the walker reads, in DRAM, in the real
 * Sv39/Sv48 format of riscv_vm.h.  The handler maps 4 KiB pages only, so
 * every leaf is at level 0 and every PTE above is a pointer.
 */
#include "kernel.h"

/* The PTE at pte_pa. */
uint64_t pt_read(os_t *os, uint64_t pte_pa)
{
    uint64_t pte;
    if (dram_read64(os->dram, pte_pa, &pte))
        panic("PTE address %#llx outside DRAM", (unsigned long long)pte_pa);
    return pte;
}

/* Stores pte at pte_pa. */
void pt_write(os_t *os, uint64_t pte_pa, uint64_t pte)
{
    if (dram_write64(os->dram, pte_pa, pte))
        panic("PTE address %#llx outside DRAM", (unsigned long long)pte_pa);
}

/* Address of the PTE for va in the table at table_pa, one level. */
static uint64_t pt_slot(uint64_t table_pa, uint64_t va, int level)
{
    return table_pa + vm_vpn_index(va, level) * PTE_SIZE;
}

/* Address of p's level-0 PTE for va, or 0 when a table on the way is missing. */
uint64_t pt_lookup(os_t *os, proc_t *p, uint64_t va)
{
    uint64_t table = p->root;

    for (int level = os->levels - 1; level > 0; level--) {
        uint64_t pte = pt_read(os, pt_slot(table, va, level));
        if (!(pte & PTE_V))
            return 0;
        table = PTE_PPN(pte) << PAGE_SHIFT;
    }
    return pt_slot(table, va, 0);
}

/*
 * Like pt_lookup, allocating (zeroed) missing tables.  0, or -ENOMEM (p is
 * to be OOM-killed); an allocation may reclaim, and OOM-kill another
 * process.
 */
int pt_alloc(os_t *os, proc_t *p, uint64_t va, uint64_t *pte_pa)
{
    uint64_t table = p->root;

    for (int level = os->levels - 1; level > 0; level--) {
        uint64_t slot = pt_slot(table, va, level), pte = pt_read(os, slot);
        if (!(pte & PTE_V)) {
            uint32_t f;
            int rc = frame_alloc(os, p, FR_TABLE, &f);
            if (rc)
                return rc;
            frame_zero(os, f);
            /* A pointer: R = W = X = 0; D, A, U reserved (zero). */
            pte = PTE_MAKE(frame_pa(os, f) >> PAGE_SHIFT, PTE_V);
            pt_write(os, slot, pte);
        }
        table = PTE_PPN(pte) << PAGE_SHIFT;
    }
    *pte_pa = pt_slot(table, va, 0);
    return 0;
}

/* Visits the non-zero leaves of [start, end) under the table at table_pa of level. */
static void pt_visit(os_t *os, proc_t *p, uint64_t table, int level, uint64_t start, uint64_t end,
                     pt_visit_fn fn, void *arg)
{
    uint64_t span = vm_page_bytes(level);

    for (uint64_t va = start; va < end;) {
        uint64_t next = (va & ~(span - 1)) + span, slot = pt_slot(table, va, level);
        uint64_t pte = pt_read(os, slot);
        if (next > end || next < va)
            next = end;
        if (level == 0) {
            if (pte)
                fn(os, p, va, slot, pte, arg);
        } else if (pte & PTE_V) {
            pt_visit(os, p, PTE_PPN(pte) << PAGE_SHIFT, level - 1, va, next, fn, arg);
        }
        va = next;
    }
}

/* Calls fn for every non-zero leaf PTE (present or swap) of p in [start, end). */
void pt_for_range(os_t *os, proc_t *p, uint64_t start, uint64_t end, pt_visit_fn fn, void *arg)
{
    pt_visit(os, p, p->root, os->levels - 1, start, end, fn, arg);
}

/* Frees the table at table_pa of level and every table below; leaves must be gone. */
static void pt_free_level(os_t *os, uint64_t table, int level)
{
    for (uint64_t i = 0; i < PAGE_SIZE / PTE_SIZE; i++) {
        uint64_t pte = pt_read(os, table + i * PTE_SIZE);
        if (!pte)
            continue;
        if (level == 0 || !(pte & PTE_V))
            panic("leaf %#llx left in table %#llx at teardown", (unsigned long long)pte,
                  (unsigned long long)table);
        pt_free_level(os, PTE_PPN(pte) << PAGE_SHIFT, level - 1);
    }
    frame_free(os, frame_of_pa(os, table));
}

/* Frees all of p's page tables, root included (every leaf must be unmapped). */
void pt_free_tables(os_t *os, proc_t *p)
{
    pt_free_level(os, p->root, os->levels - 1);
    p->root = 0;
}

/*
 * Leaf PTE bits for a page of area v: user, accessed (the handler maps a
 * page because it is being accessed), readable when the area is readable or
 * writable (W without R is a reserved encoding, and Linux on RISC-V maps
 * PROT_WRITE as read-write), writable only when the caller says the page
 * may be written in place.
 */
uint64_t pt_leaf_flags(const vma_t *v, int writable)
{
    uint64_t flags = PTE_V | PTE_U | PTE_A;

    if (v->prot & (OS_PROT_READ | OS_PROT_WRITE))
        flags |= PTE_R;
    if (writable && (v->prot & OS_PROT_WRITE))
        flags |= PTE_W;
    if (v->prot & OS_PROT_EXEC)
        flags |= PTE_X;
    return flags;
}

/* sfence.vma va, asid of p: the TLB shootdown after a PTE of p lost rights. */
void tlb_shootdown(os_t *os, proc_t *p, uint64_t va)
{
    mmu_sfence_t f = { 1, 1, va, 1, p->asid };

    os->hw.sfence(os->hw.ctx, &f);
    OS_COUNT(os, p, shootdowns, 1);
}

/*
 * Removes p's leaf pte (at pte_pa, for va): drops the frame reference or
 * the swap-slot reference it held, remembering D in the frame.  A dying
 * process's ASID is flushed as a whole when it is reused, so only live
 * processes get a shootdown per page.
 */
void pte_unmap(os_t *os, proc_t *p, uint64_t va, uint64_t pte_pa, uint64_t pte)
{
    pt_write(os, pte_pa, 0);
    if (PTE_IS_SWAP(pte)) {
        swap_put(os, PTE_SWAP_SLOT(pte));
        return;
    }
    if (!(pte & PTE_V))
        panic("pid %d va %#llx: unknown PTE %#llx", p->pid, (unsigned long long)va, (unsigned long long)pte);
    uint32_t f = frame_of_pa(os, PTE_PPN(pte) << PAGE_SHIFT);
    if (pte & PTE_D)
        os->frames[f].dirty = 1;
    rmap_del(os, f, p, va);
    if (p->alive)
        tlb_shootdown(os, p, va);
    frame_release(os, f);
}
