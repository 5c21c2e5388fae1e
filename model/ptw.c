/*
 * ptw.c - the Sv39/Sv48 walk, step by step as the privileged specification
 * writes it (section 4.3.2, "Virtual Address Translation Process"):
 *
 *  1. a = satp.ppn * PAGESIZE, i = LEVELS - 1 (or the walk cache's level).
 *  2. pte = mem[a + va.vpn[i] * PTESIZE]; a PMA violation is an access
 *     fault of the original access type.
 *  3. pte.v = 0, or pte.r = 0 and pte.w = 1, or a reserved bit set: page fault.
 *  4. R = X = 0: a pointer.  i = i - 1; i < 0 is a page fault; D, A, U set
 *     on a pointer are reserved: page fault.  a = pte.ppn * PAGESIZE, go to 2.
 *  5. A leaf: the permission check (R/W/X, U with SUM and MXR).
 *  6. i > 0 and pte.ppn[i-1:0] != 0: misaligned superpage, page fault.
 *  7. A = 0, or a store and D = 0: svade raises a page fault; svadu writes
 *     the PTE with A (and D on a store) set.
 *  8. pa = pte.ppn[LEVELS-1:i] : va.vpn[i-1:0] : va.offset; then the PMA
 *     check of pa (an access fault).
 */
#include "ptw.h"

#include "panic.h"

/* Sets the result and makes the walk done. */
static void ptw_finish(ptw_walk_t *w, fault_t fault)
{
    w->action = PTW_DONE;
    w->fault = fault;
}

/* Step 2: issue the read of the PTE of the current level, or fault on the PMA. */
static void ptw_issue_read(ptw_walk_t *w)
{
    uint64_t addr = w->table + vm_vpn_index(w->va, w->level) * PTE_SIZE;

    if (addr < w->dram_base || addr - w->dram_base > w->dram_size - PTE_SIZE) {
        ptw_finish(w, fault_access(w->acc));
        return;
    }
    w->action = PTW_READ;
    w->addr = addr;
}

void ptw_begin(ptw_walk_t *w, const mmu_req_t *req, const mmu_csr_t *csr, int levels,
               ad_policy_t ad, uint64_t dram_base, uint64_t dram_size, int level,
               uint64_t table_ppn, int global)
{
    w->va = req->va;
    w->acc = req->acc;
    w->priv = req->priv;
    w->sum = csr->sum;
    w->mxr = csr->mxr;
    w->levels = levels;
    w->ad = ad;
    w->dram_base = dram_base;
    w->dram_size = dram_size;
    w->level = level;
    w->table = table_ppn << PAGE_SHIFT;
    w->global = global;
    w->nptrs = 0;
    w->fault = FAULT_NONE;
    w->pa = 0;
    w->leaf = 0;
    w->leaf_level = 0;
    ptw_issue_read(w);
}

int ptw_perm_ok(uint64_t flags, acc_t acc, priv_t priv, int sum, int mxr)
{
    if (priv == PRIV_U && !(flags & PTE_U))
        return 0;
    if (priv == PRIV_S && (flags & PTE_U) && (acc == ACC_FETCH || !sum))
        return 0;
    switch (acc) {
    case ACC_LOAD:
        return (flags & PTE_R) || (mxr && (flags & PTE_X));
    case ACC_STORE:
        return (flags & PTE_W) != 0;
    case ACC_FETCH:
        return (flags & PTE_X) != 0;
    case ACC_COUNT:
        break;
    }
    return 0;
}

uint64_t ptw_leaf_pa(uint64_t va, uint64_t ppn, int level)
{
    uint64_t low = (1ULL << (VPN_BITS * level)) - 1;
    uint64_t pa_ppn = (ppn & ~low) | ((va >> PAGE_SHIFT) & low);
    return (pa_ppn << PAGE_SHIFT) | (va & (PAGE_SIZE - 1));
}

/* Step 8: the physical address and its PMA check. */
static void ptw_translate(ptw_walk_t *w)
{
    w->pa = ptw_leaf_pa(w->va, PTE_PPN(w->leaf), w->level);
    if (w->pa < w->dram_base || w->pa - w->dram_base >= w->dram_size)
        ptw_finish(w, fault_access(w->acc));
    else
        ptw_finish(w, FAULT_NONE);
}

void ptw_read_done(ptw_walk_t *w, uint64_t pte)
{
    fault_t page = fault_page(w->acc);
    uint64_t need;

    if (!(pte & PTE_V) || (!(pte & PTE_R) && (pte & PTE_W)) || (pte & PTE_RESERVED_MASK)) {
        ptw_finish(w, page);
        return;
    }
    if (!PTE_IS_LEAF(pte)) {
        if ((pte & (PTE_D | PTE_A | PTE_U)) || w->level == 0) {
            ptw_finish(w, page);
            return;
        }
        w->global |= (pte & PTE_G) != 0;
        w->ptrs[w->nptrs++] = (ptw_ptr_t){ w->level, PTE_PPN(pte), w->global };
        w->table = PTE_PPN(pte) << PAGE_SHIFT;
        w->level--;
        ptw_issue_read(w);
        return;
    }
    w->leaf = pte;
    w->leaf_level = w->level;
    w->global |= (pte & PTE_G) != 0;
    if (!ptw_perm_ok(pte, w->acc, w->priv, w->sum, w->mxr) ||
        (PTE_PPN(pte) & ((1ULL << (VPN_BITS * w->level)) - 1))) {
        ptw_finish(w, page);
        return;
    }
    need = PTE_A | (w->acc == ACC_STORE ? PTE_D : 0);
    if ((pte & need) == need) {
        ptw_translate(w);
    } else if (w->ad == AD_SVADE) {
        ptw_finish(w, page);
    } else {
        w->action = PTW_WRITE;
        w->wdata = pte | need;
    }
}

void ptw_write_done(ptw_walk_t *w)
{
    if (w->action != PTW_WRITE)
        panic("no write outstanding (action %d)", (int)w->action);
    w->leaf = w->wdata;
    ptw_translate(w);
}
