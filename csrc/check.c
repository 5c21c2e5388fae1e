/*
 * check.c - os_check: every invariant that ties page tables, areas,
 * reference counts, the reverse map, swap slots and the page cache
 * together (listed in docs/os.md).  Tests call it after every operation;
 * it recounts everything from the page tables up rather than trusting any
 * counter.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel.h"

typedef struct {
    const os_t *os;
    uint32_t *maps;      /* per frame: leaves found mapping it */
    uint8_t *table;      /* per frame: reached as a page table */
    uint32_t *holds;     /* per slot: swap leaves found */
    uint64_t tables;
    char *err;
    size_t errlen;
    int bad;
} check_t;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
/* Records the first violation. */
static void check_fail(check_t *c, const char *fmt, ...)
{
    va_list ap;

    if (c->bad++)
        return;
    va_start(ap, fmt);
    vsnprintf(c->err, c->errlen, fmt, ap);
    va_end(ap);
}

/* Checks one present leaf of p at va against its area and its frame. */
static void check_leaf(check_t *c, const proc_t *p, const vma_t *v, uint64_t va, uint64_t pte)
{
    const os_t *os = c->os;
    uint64_t pa = PTE_PPN(pte) << PAGE_SHIFT, f = (pa - os->cfg.dram.base) >> PAGE_SHIFT;
    uint64_t rights = pt_leaf_flags(v, 1) & (PTE_R | PTE_W | PTE_X);
    const frame_t *fr;
    int found = 0;

    if (pa < os->cfg.dram.base || f >= os->nframes) {
        check_fail(c, "pid %d va %#llx: PTE %#llx maps no allocated frame", p->pid, (unsigned long long)va,
                   (unsigned long long)pte);
        return;
    }
    fr = &os->frames[f];
    c->maps[f]++;
    if (fr->kind != FR_ANON && fr->kind != FR_FILE)
        check_fail(c, "pid %d va %#llx: maps frame %llu of kind %d", p->pid, (unsigned long long)va,
                   (unsigned long long)f, fr->kind);
    if (!(pte & PTE_U) || (pte & ~rights & (PTE_R | PTE_W | PTE_X)) || (pte & (PTE_RESERVED_MASK | PTE_G)))
        check_fail(c, "pid %d va %#llx: PTE %#llx grants more than prot %d", p->pid, (unsigned long long)va,
                   (unsigned long long)pte, v->prot);
    if ((pte & (PTE_R | PTE_X)) != (rights & (PTE_R | PTE_X)))
        check_fail(c, "pid %d va %#llx: PTE %#llx R/X differ from prot %d", p->pid, (unsigned long long)va,
                   (unsigned long long)pte, v->prot);
    if ((pte & PTE_W) && (v->flags & OS_MAP_PRIVATE) &&
        (fr->kind != FR_ANON || fr->mapcount != 1 || fr->slot != NO_SLOT))
        check_fail(c, "pid %d va %#llx: private page writable but shared (frame %llu)", p->pid,
                   (unsigned long long)va, (unsigned long long)f);
    if (fr->kind == FR_FILE &&
        (fr->file != v->file || fr->pgoff != v->pgoff + ((va - v->start) >> PAGE_SHIFT)))
        check_fail(c, "pid %d va %#llx: file page %llu is not the area's", p->pid, (unsigned long long)va,
                   (unsigned long long)fr->pgoff);
    for (const rmap_t *r = fr->rmap; r; r = r->next)
        found |= r->proc == p && r->va == va;
    if (!found)
        check_fail(c, "pid %d va %#llx: frame %llu has no reverse-map entry for it", p->pid,
                   (unsigned long long)va, (unsigned long long)f);
}

/* Checks the table at table of level of p, covering VAs from base. */
static void check_table(check_t *c, const proc_t *p, uint64_t table, int level, uint64_t base)
{
    const os_t *os = c->os;
    uint64_t f = (table - os->cfg.dram.base) >> PAGE_SHIFT;
    uint8_t raw[PAGE_SIZE];

    if (table < os->cfg.dram.base || f >= os->nframes || os->frames[f].kind != FR_TABLE || c->table[f]) {
        check_fail(c, "pid %d: table %#llx is not a page-table frame used once", p->pid, (unsigned long long)table);
        return;
    }
    c->table[f] = 1;
    c->tables++;
    /* One read of the whole table: the sparse DRAM's lookup is per call. */
    if (dram_read(os->dram, table, raw, sizeof raw))
        panic("table %#llx outside DRAM", (unsigned long long)table);
    for (uint64_t i = 0; i < PAGE_SIZE / PTE_SIZE && !c->bad; i++) {
        uint64_t pte = 0, va = base + (i << (PAGE_SHIFT + VPN_BITS * level));
        for (int b = PTE_SIZE - 1; b >= 0; b--)
            pte = pte << 8 | raw[i * PTE_SIZE + (unsigned)b];
        if (!pte)
            continue;
        if (level > 0) {
            if ((pte & ~(PTE_PPN_MASK << PTE_PPN_SHIFT)) != PTE_V)
                check_fail(c, "pid %d: pointer PTE %#llx at level %d", p->pid, (unsigned long long)pte, level);
            else
                check_table(c, p, PTE_PPN(pte) << PAGE_SHIFT, level - 1, va);
            continue;
        }
        const vma_t *v = vma_find((proc_t *)p, va);
        if (!v) {
            check_fail(c, "pid %d va %#llx: PTE %#llx outside every area", p->pid, (unsigned long long)va,
                       (unsigned long long)pte);
        } else if (PTE_IS_SWAP(pte)) {
            uint32_t s = PTE_SWAP_SLOT(pte);
            if (s >= os->nslots || !os->slots[s].count)
                check_fail(c, "pid %d va %#llx: swap entry of free slot %u", p->pid, (unsigned long long)va, s);
            else
                c->holds[s]++;
        } else if (pte & PTE_V) {
            check_leaf(c, p, v, va, pte);
        } else {
            check_fail(c, "pid %d va %#llx: unknown PTE %#llx", p->pid, (unsigned long long)va,
                       (unsigned long long)pte);
        }
    }
}

/* Areas of p: sorted, disjoint, page aligned, in user space, with valid rights and objects. */
static void check_areas(check_t *c, const proc_t *p)
{
    for (size_t i = 0; i < p->nvmas; i++) {
        const vma_t *v = &p->vmas[i];
        int share = v->flags & (OS_MAP_SHARED | OS_MAP_PRIVATE);
        if (v->start >= v->end || (v->start | v->end) & (PAGE_SIZE - 1) || v->end > mm_user_top(c->os) ||
            (i && v->start < p->vmas[i - 1].end) || (share != OS_MAP_SHARED && share != OS_MAP_PRIVATE) ||
            (v->prot & ~7) || (!v->file && share == OS_MAP_SHARED) || (v->file && !v->file->maps))
            check_fail(c, "pid %d: bad area %zu [%#llx, %#llx) prot %d flags %d", p->pid, i,
                       (unsigned long long)v->start, (unsigned long long)v->end, v->prot, v->flags);
    }
}

/*
 * The pages of file that have an entry (only those: a 1 TiB object costs
 * what is used of it): inside the file, holding data or a cached frame,
 * the frame pointing back.
 */
static void check_file(check_t *c, const file_t *file)
{
    const os_t *os = c->os;
    const fpage_t *fp;

    for (uint64_t pg = 0; !c->bad && (fp = pagemap_next(&file->pages, &pg)); pg++)
        if (pg >= file->npages || (!fp->data && fp->frame == NO_FRAME) ||
            (fp->frame != NO_FRAME && (fp->frame >= os->nframes || os->frames[fp->frame].file != file ||
                                       os->frames[fp->frame].pgoff != pg)))
            check_fail(c, "file %s page %llu: page entry broken", file->name ? file->name : "(anon)",
                       (unsigned long long)pg);
}

/* Frames, page cache, swap cache and slots against the counts found in the page tables. */
static void check_frames(check_t *c)
{
    const os_t *os = c->os;
    uint64_t user = 0, resident = 0, used_slots = 0;

    for (uint32_t f = 0; f < os->nframes && !c->bad; f++) {
        const frame_t *fr = &os->frames[f];
        if (fr->kind == FR_ANON || fr->kind == FR_FILE)
            user++;
        if (fr->kind == FR_TABLE && !c->table[f])
            check_fail(c, "frame %u: page table of no process", f);
        if (fr->mapcount != c->maps[f])
            check_fail(c, "frame %u: mapcount %u but %u PTEs map it", f, fr->mapcount, c->maps[f]);
        if (fr->kind == FR_ANON && !fr->mapcount)
            check_fail(c, "frame %u: anonymous and mapped by nobody", f);
        if (fr->kind == FR_FILE && (!fr->file || file_cached(fr->file, fr->pgoff) != f))
            check_fail(c, "frame %u: file page not in its page cache", f);
        if (fr->slot != NO_SLOT && (fr->kind != FR_ANON || fr->slot >= os->nslots || os->slots[fr->slot].frame != f))
            check_fail(c, "frame %u: swap-cache link to slot %u broken", f, fr->slot);
        if (fr->pinned)
            check_fail(c, "frame %u: still pinned", f);
    }
    if (os->hand != NO_FRAME) {
        uint32_t f = os->hand;
        do {
            if (os->frames[f].kind != FR_ANON && os->frames[f].kind != FR_FILE)
                check_fail(c, "resident list holds frame %u of kind %d", f, os->frames[f].kind);
            f = os->frames[f].next;
        } while (f != os->hand && ++resident <= user);
        resident++;
    }
    if (!c->bad && (user != os->user_used || resident != user || user > os->user_limit || c->tables != os->table_used))
        check_fail(c, "counts: user %llu (counter %llu, resident %llu, limit %llu), tables %llu (counter %llu)",
                   (unsigned long long)user, (unsigned long long)os->user_used, (unsigned long long)resident,
                   (unsigned long long)os->user_limit, (unsigned long long)c->tables,
                   (unsigned long long)os->table_used);
    for (uint32_t s = 0; s < os->nslots && !c->bad; s++) {
        const slot_t *sl = &os->slots[s];
        used_slots += sl->count != 0;
        if (sl->count != c->holds[s])
            check_fail(c, "slot %u: count %u but %u PTEs hold it", s, sl->count, c->holds[s]);
        if (sl->count && !sl->data)
            check_fail(c, "slot %u: in use without data", s);
        if (sl->frame != NO_FRAME && (!sl->count || os->frames[sl->frame].slot != s))
            check_fail(c, "slot %u: swap-cache link to frame %u broken", s, sl->frame);
    }
    if (!c->bad && used_slots != os->slots_used)
        check_fail(c, "slots: %llu in use, counter %u", (unsigned long long)used_slots, os->slots_used);
    for (const file_t *file = os->files; file && !c->bad; file = file->next)
        check_file(c, file);
}

int os_check(const os_t *os, char *err, size_t errlen)
{
    check_t c = { os, calloc(os->nframes + 1, sizeof *c.maps), calloc(os->nframes + 1, 1),
                  calloc(os->nslots + 1, sizeof *c.holds), 0, err, errlen, 0 };

    if (!c.maps || !c.table || !c.holds)
        panic("no host memory for the check");
    for (const proc_t *p = os->proc_list; p && !c.bad; p = p->next) {
        if (!p->alive)
            continue;
        if (!p->asid || p->asid >= os->cfg.os.asids || os->asid_used[p->asid] != 1)
            check_fail(&c, "pid %d: ASID %u not marked in use", p->pid, p->asid);
        for (const proc_t *q = p->next; q; q = q->next)
            if (q->alive && q->asid == p->asid)
                check_fail(&c, "pids %d and %d share ASID %u", q->pid, p->pid, p->asid);
        check_areas(&c, p);
        check_table(&c, p, p->root, os->levels - 1, 0);
    }
    if (!c.bad)
        check_frames(&c);
    free(c.maps);
    free(c.table);
    free(c.holds);
    return c.bad ? -1 : 0;
}
