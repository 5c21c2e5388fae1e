/*
 * vma.c - a process's areas: a sorted array of disjoint [start, end)
 * ranges.  Calls that change the array (insert, split, remove) keep it
 * sorted; merging of adjacent compatible areas is a separate pass so that
 * system calls can work on split pieces first.
 */
#include <stdlib.h>
#include <string.h>

#include "kernel.h"

/* Index of the first area of p whose end is above va (p->nvmas if none). */
static size_t vma_index(const proc_t *p, uint64_t va)
{
    size_t lo = 0, hi = p->nvmas;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (p->vmas[mid].end <= va)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The area of p holding va, or NULL. */
vma_t *vma_find(proc_t *p, uint64_t va)
{
    size_t i = vma_index(p, va);
    return i < p->nvmas && p->vmas[i].start <= va ? &p->vmas[i] : NULL;
}

/*
 * Inserts v, which overlaps no area of p, taking a reference on its file.
 * 0, or -ENOMEM.
 */
int vma_insert(proc_t *p, const vma_t *v)
{
    size_t i = vma_index(p, v->start);

    if (p->nvmas == p->capvmas) {
        size_t cap = p->capvmas ? p->capvmas * 2 : 16;
        vma_t *n = realloc(p->vmas, cap * sizeof *n);
        if (!n)
            return -ENOMEM;
        p->vmas = n;
        p->capvmas = cap;
    }
    if (i < p->nvmas && p->vmas[i].start < v->end)
        panic("pid %d: [%#llx, %#llx) overlaps an area", p->pid, (unsigned long long)v->start,
              (unsigned long long)v->end);
    memmove(&p->vmas[i + 1], &p->vmas[i], (p->nvmas - i) * sizeof *p->vmas);
    p->vmas[i] = *v;
    p->nvmas++;
    if (v->file)
        v->file->maps++;
    return 0;
}

/* Splits the area holding addr (if addr is strictly inside one) at addr.  0, or -ENOMEM. */
int vma_split(proc_t *p, uint64_t addr)
{
    vma_t *v = vma_find(p, addr), tail;

    if (!v || v->start == addr)
        return 0;
    tail = *v;
    tail.start = addr;
    tail.pgoff += (addr - v->start) >> PAGE_SHIFT;
    v->end = addr;
    if (vma_insert(p, &tail)) {
        v->end = tail.end;
        return -ENOMEM;
    }
    return 0;
}

/* Removes area i of p (its pages must be unmapped), dropping its file reference. */
void vma_remove(os_t *os, proc_t *p, size_t i)
{
    file_t *file = p->vmas[i].file;

    memmove(&p->vmas[i], &p->vmas[i + 1], (p->nvmas - i - 1) * sizeof *p->vmas);
    p->nvmas--;
    if (file)
        file_put(os, file);
}

/* 1 when b continues a: adjacent, same rights and kind, same object at the next page. */
static int vma_mergeable(const vma_t *a, const vma_t *b)
{
    return a->end == b->start && a->prot == b->prot && a->flags == b->flags && a->file == b->file &&
           (!a->file || a->pgoff + ((a->end - a->start) >> PAGE_SHIFT) == b->pgoff);
}

/* Merges every run of adjacent compatible areas of p into one. */
void vma_merge(os_t *os, proc_t *p)
{
    for (size_t i = 0; i + 1 < p->nvmas;) {
        if (vma_mergeable(&p->vmas[i], &p->vmas[i + 1])) {
            p->vmas[i].end = p->vmas[i + 1].end;
            vma_remove(os, p, i + 1);
        } else {
            i++;
        }
    }
}

/* Highest address a with [a, a + len) free and a + len <= top, or 0 when there is none. */
uint64_t vma_gap(const proc_t *p, uint64_t len, uint64_t top)
{
    uint64_t end = top;

    for (size_t i = p->nvmas; i-- > 0;) {
        const vma_t *v = &p->vmas[i];
        if (v->start >= end)
            continue;
        if (v->end <= end && end - v->end >= len)
            return end - len;
        end = v->start < end ? v->start : end;
    }
    return end >= MMAP_MIN_ADDR + len ? end - len : 0;
}
