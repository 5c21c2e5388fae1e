/*
 * mm.c - the memory system calls: mmap, munmap, mprotect, msync, brk, and
 * address-space teardown.  Errors follow Linux: EINVAL for bad arguments,
 * ENOMEM for a range that is not (or cannot be) mapped, EOVERFLOW for a
 * file range past the largest file, ENOENT for an unknown file (Linux says
 * EBADF: here files are named, not opened).
 */
#include "kernel.h"

/* First address past the user half of the address space (lower canonical half). */
uint64_t mm_user_top(const os_t *os)
{
    return 1ULL << (PAGE_SHIFT + VPN_BITS * os->levels - 1);
}

/* Linux's MAX_LFS_FILESIZE on a 64-bit kernel: no mapping of a file reaches past this byte. */
#define MAX_FILE_SIZE 0x7fffffffffffffffULL

/* Highest address mmap hands out: room for an 8 MiB stack and a gap below the top. */
static uint64_t mm_mmap_top(const os_t *os)
{
    return mm_user_top(os) - 0x10000000ULL;
}

/* Rounds len up to whole pages; 0 when len is 0 or the rounding overflows. */
static uint64_t mm_page_len(uint64_t len)
{
    uint64_t r = (len + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    return r < len ? 0 : r;
}

/* Checks a page-aligned range [addr, addr + len) inside user space; its end, or 0 when invalid. */
static uint64_t mm_range(const os_t *os, uint64_t addr, uint64_t len)
{
    uint64_t plen = mm_page_len(len);

    if ((addr & (PAGE_SIZE - 1)) || !plen || addr + plen < addr || addr + plen > mm_user_top(os))
        return 0;
    return addr + plen;
}

/* pt_for_range visitor: removes the leaf. */
static void mm_unmap_visit(os_t *os, proc_t *p, uint64_t va, uint64_t pte_pa, uint64_t pte, void *arg)
{
    (void)arg;
    pte_unmap(os, p, va, pte_pa, pte);
}

/* Unmaps [start, end) of p: pages first, then the areas (split at the edges). */
void mm_unmap_range(os_t *os, proc_t *p, uint64_t start, uint64_t end)
{
    if (vma_split(p, start) || vma_split(p, end))
        panic("no host memory to split an area");
    pt_for_range(os, p, start, end, mm_unmap_visit, NULL);
    for (size_t i = p->nvmas; i-- > 0;)
        if (p->vmas[i].start >= start && p->vmas[i].end <= end)
            vma_remove(os, p, i);
}

/* Tears down all of p's address space: pages, areas and page tables. */
void mm_teardown(os_t *os, proc_t *p)
{
    mm_unmap_range(os, p, 0, mm_user_top(os));
    pt_free_tables(os, p);
}

/* 1 when no area of p meets [start, end). */
static int mm_range_free(proc_t *p, uint64_t start, uint64_t end)
{
    for (size_t i = 0; i < p->nvmas; i++)
        if (p->vmas[i].start < end && p->vmas[i].end > start)
            return 0;
    return 1;
}

/* 1 when areas of p cover all of [start, end). */
static int mm_range_covered(proc_t *p, uint64_t start, uint64_t end)
{
    for (uint64_t a = start; a < end;) {
        vma_t *v = vma_find(p, a);
        if (!v)
            return 0;
        a = v->end;
    }
    return 1;
}

/*
 * The hint of an mmap without fixed, as Linux's round_hint_to_min takes it:
 * rounded down to its page before any placement code sees it (so not up,
 * as the generic placement's own rounding would suggest), then raised to
 * MMAP_MIN_ADDR unless it became 0, which is no hint.
 */
static uint64_t mm_round_hint(uint64_t hint)
{
    hint &= ~(PAGE_SIZE - 1);
    return hint && hint < MMAP_MIN_ADDR ? MMAP_MIN_ADDR : hint;
}

/*
 * The errors come in the order of Linux's do_mmap and get_unmapped_area:
 * bad arguments (EINVAL), a length that wraps or exceeds user space
 * (ENOMEM), a fixed range beyond user space (ENOMEM, even when the address
 * is also unaligned) or an unaligned one (EINVAL), a file range past the
 * largest file (EOVERFLOW).  Only then is anything replaced.
 */
int os_mmap(os_t *os, int pid, uint64_t addr, uint64_t len, int prot, int flags, const char *file,
            uint64_t offset, uint64_t *addr_out)
{
    proc_t *p = proc_get(os, pid);
    int share = flags & (OS_MAP_SHARED | OS_MAP_PRIVATE), anon = (flags & OS_MAP_ANON) != 0;
    uint64_t top = mm_user_top(os), plen = mm_page_len(len);
    /* Linux ignores the offset of an anonymous mapping: a shared one is a new object from its page 0 */
    vma_t v = { 0, 0, prot, share | (anon ? OS_MAP_ANON : 0), NULL, anon ? 0 : offset >> PAGE_SHIFT };
    int rc;

    if (!p)
        return -ESRCH;
    if (!len || (share != OS_MAP_SHARED && share != OS_MAP_PRIVATE) || (prot & ~7) || (flags & ~15) ||
        (offset & (PAGE_SIZE - 1)) || anon == (file != NULL))
        return -EINVAL;
    if (file && !(v.file = file_find(os, file)))
        return -ENOENT;
    if (!plen || plen > top)
        return -ENOMEM;
    if (flags & OS_MAP_FIXED) {
        /* beyond the top of user space, or wrapping around the address space */
        if (addr > top - plen)
            return -ENOMEM;
        if (addr & (PAGE_SIZE - 1))
            return -EINVAL;
    } else {
        addr = mm_round_hint(addr);
        if (!addr || addr > top - plen || !mm_range_free(p, addr, addr + plen)) {
            addr = vma_gap(p, plen, mm_mmap_top(os));
            if (!addr)
                return -ENOMEM;
        }
    }
    /*
     * Linux's file_mmap_ok: the last byte mapped must be a file position.
     * It also covers Linux's check that the page offset plus the pages does
     * not wrap, which a byte offset below 2^63 cannot do.
     */
    if (file && offset > MAX_FILE_SIZE - plen)
        return -EOVERFLOW;
    if (flags & OS_MAP_FIXED)
        mm_unmap_range(os, p, addr, addr + plen);
    if (anon && share == OS_MAP_SHARED && !(v.file = file_new(os, NULL, plen)))
        return -ENOMEM;
    v.start = addr;
    v.end = addr + plen;
    if ((rc = vma_insert(p, &v)))
        return rc;
    vma_merge(os, p);
    *addr_out = addr;
    return 0;
}

int os_munmap(os_t *os, int pid, uint64_t addr, uint64_t len)
{
    proc_t *p = proc_get(os, pid);
    uint64_t end = mm_range(os, addr, len);

    if (!p)
        return -ESRCH;
    if (!end)
        return -EINVAL;
    mm_unmap_range(os, p, addr, end);
    return 0;
}

/* pt_for_range visitor: applies the new protection of the area to a present leaf. */
static void mm_protect_visit(os_t *os, proc_t *p, uint64_t va, uint64_t pte_pa, uint64_t pte, void *arg)
{
    const vma_t *v = arg;
    uint64_t keep_w = (v->flags & OS_MAP_SHARED) || (pte & PTE_W);
    uint64_t npte = (pte & ~(uint64_t)(PTE_R | PTE_W | PTE_X)) | (pt_leaf_flags(v, (int)keep_w) & (PTE_R | PTE_W | PTE_X));

    if (!(pte & PTE_V) || npte == pte)
        return;
    pt_write(os, pte_pa, npte);
    tlb_shootdown(os, p, va);
}

/*
 * As Linux does, areas are changed in address order and a hole ends the
 * call with ENOMEM, keeping the changes made before it.
 */
int os_mprotect(os_t *os, int pid, uint64_t addr, uint64_t len, int prot)
{
    proc_t *p = proc_get(os, pid);
    uint64_t end;
    int rc = 0;

    if (!p)
        return -ESRCH;
    if ((addr & (PAGE_SIZE - 1)) || (prot & ~7))
        return -EINVAL;
    if (!len)
        return 0;
    if (!(end = mm_range(os, addr, len)))
        return -ENOMEM;
    for (uint64_t a = addr; a < end;) {
        vma_t *v = vma_find(p, a);
        if (!v || vma_split(p, a) || vma_split(p, end)) {
            rc = -ENOMEM;
            break;
        }
        v = vma_find(p, a);
        v->prot = prot;
        pt_for_range(os, p, v->start, v->end, mm_protect_visit, v);
        a = v->end;
    }
    vma_merge(os, p);
    return rc;
}

/*
 * pt_for_range visitor: writes back a page of a shared file mapping that
 * is dirty through any mapping, every PTE cleaned first.
 */
static void mm_sync_visit(os_t *os, proc_t *p, uint64_t va, uint64_t pte_pa, uint64_t pte, void *arg)
{
    uint32_t f;

    (void)va;
    (void)pte_pa;
    (void)arg;
    if (!(pte & PTE_V))
        return;
    f = frame_of_pa(os, PTE_PPN(pte) << PAGE_SHIFT);
    if (frame_mkclean(os, f))
        file_writeback(os, p, f);
}

/*
 * As Linux's msync: the length is rounded up to pages modulo 2^64, so one
 * that rounds to 0 syncs nothing and succeeds, and a range that then wraps
 * around the address space is ENOMEM.  Past the top of user space there are
 * no areas: that part is a hole.
 */
int os_msync(os_t *os, int pid, uint64_t addr, uint64_t len)
{
    proc_t *p = proc_get(os, pid);
    uint64_t end = addr + ((len + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1));

    if (!p)
        return -ESRCH;
    if (addr & (PAGE_SIZE - 1))
        return -EINVAL;
    if (end < addr)
        return -ENOMEM;
    if (end == addr)
        return 0;
    /* As Linux does, a hole in the range is ENOMEM, but the mapped parts are synced. */
    for (size_t i = 0; i < p->nvmas; i++) {
        vma_t *v = &p->vmas[i];
        uint64_t s = v->start > addr ? v->start : addr, e = v->end < end ? v->end : end;
        if (s < e && (v->flags & OS_MAP_SHARED) && v->file && v->file->name)
            pt_for_range(os, p, s, e, mm_sync_visit, NULL);
    }
    return mm_range_covered(p, addr, end) ? 0 : -ENOMEM;
}

int os_brk(os_t *os, int pid, uint64_t addr, uint64_t *brk_out)
{
    proc_t *p = proc_get(os, pid);
    uint64_t old_end, new_end;

    if (!p)
        return -ESRCH;
    *brk_out = p->brk;
    if (!addr)
        return 0;
    old_end = mm_page_len(p->brk);
    new_end = mm_page_len(addr);
    if (addr < p->brk_start || !new_end || new_end > mm_mmap_top(os))
        return -ENOMEM;
    if (new_end > old_end) {
        vma_t v = { old_end, new_end, OS_PROT_READ | OS_PROT_WRITE, OS_MAP_PRIVATE | OS_MAP_ANON, NULL, 0 };
        if (!mm_range_free(p, old_end, new_end) || vma_insert(p, &v))
            return -ENOMEM;
        vma_merge(os, p);
    } else if (new_end < old_end) {
        mm_unmap_range(os, p, new_end, old_end);
    }
    p->brk = *brk_out = addr;
    return 0;
}
