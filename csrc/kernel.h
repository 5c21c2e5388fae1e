/*
 * kernel.h - the operating-system side's internal objects and the calls
 * between its subsystems (frame, pgtable, vma, file, swap, reclaim, fault,
 * mm, proc, exec).  Only csrc/ includes this; users go through os.h.
 *
 * Reference counting, as in Linux: a frame's mapcount is the number of
 * PTEs that map it (one reverse-map entry each); a file page is also held
 * by the page cache and an anonymous page by the swap cache while its
 * swap slot lives.  A swap slot's count is the number of PTEs holding it.
 */
#ifndef MMUSIM_KERNEL_H
#define MMUSIM_KERNEL_H

#include <errno.h>
#include <stdint.h>

#include "os.h"
#include "pagemap.h"
#include "panic.h"

#define NO_FRAME UINT32_MAX
#define NO_SLOT UINT32_MAX
#define MAX_PID 65535
/*
 * Lowest address mmap hands out, Linux's mmap_min_addr (65536 on most
 * distributions): page 0 and its neighbours stay unmapped to catch NULL.
 */
#define MMAP_MIN_ADDR 0x10000ULL

/*
 * A PTE with V = 0 is ignored by the walker, so the handler keeps its own
 * information there.  A swapped-out page's PTE is V = 0, bit 1 set, and the
 * swap slot in the PPN field (bits 53:10).  An all-zero PTE is "none".
 */
#define PTE_SWAP (1ULL << 1)
#define PTE_IS_SWAP(pte) (((pte) & (PTE_V | PTE_SWAP)) == PTE_SWAP)
#define PTE_SWAP_SLOT(pte) ((uint32_t)PTE_PPN(pte))
#define PTE_MAKE_SWAP(slot) PTE_MAKE(slot, PTE_SWAP)

typedef enum { FR_FREE, FR_TABLE, FR_ANON, FR_FILE } frame_kind_t;

struct proc;
struct file;

/* One PTE mapping a frame: which process, which page. */
typedef struct rmap {
    struct proc *proc;
    uint64_t va;
    struct rmap *next;
} rmap_t;

typedef struct {
    uint8_t kind;           /* frame_kind_t */
    uint8_t dirty;          /* content not in its backing store (file, swap slot, or zero) */
    uint8_t pinned;         /* being worked on by the fault path: not a reclaim victim */
    uint32_t mapcount;      /* entries on rmap */
    rmap_t *rmap;
    struct file *file;      /* FR_FILE: page pgoff of file, in its page cache */
    uint64_t pgoff;
    uint32_t slot;          /* FR_ANON: the swap slot whose swap cache holds it, or NO_SLOT */
    uint32_t prev, next;    /* resident list of user frames (circular) */
    uint64_t last_use;      /* os.policy lru: tick of the latest reference */
} frame_t;

/* A virtual memory area: [start, end), page aligned. */
typedef struct {
    uint64_t start, end;
    int prot;               /* OS_PROT_* */
    int flags;              /* OS_MAP_SHARED or OS_MAP_PRIVATE, | OS_MAP_ANON */
    struct file *file;      /* file or shared anonymous object; NULL for private anonymous */
    uint64_t pgoff;         /* file page at start */
} vma_t;

typedef struct proc {
    int pid;
    int alive;
    uint16_t asid;
    uint64_t root;          /* physical address of the root page table */
    vma_t *vmas;            /* sorted by start, disjoint */
    size_t nvmas, capvmas;
    uint64_t brk_start, brk;
    uint64_t rss;           /* user frames mapped */
    os_stats_t stats;
    struct proc *next;      /* every process ever created, newest first */
} proc_t;

/* A page of a file that has data on the disk or a frame in the page cache (or both). */
typedef struct {
    uint8_t *data;          /* NULL = zeros */
    uint32_t frame;         /* in the page cache, or NO_FRAME */
} fpage_t;

/*
 * A file: its disk and its page cache, kept only for the pages that have
 * either, so that an object's cost follows the pages used, not its size.
 */
typedef struct file {
    char *name;             /* NULL: a shared anonymous object */
    uint64_t size;
    uint64_t npages;
    pagemap_t pages;        /* page number -> fpage_t; absent = zeros, not cached */
    uint32_t maps;          /* areas mapping it */
    struct file *next;
} file_t;

typedef struct {
    uint32_t count;         /* PTEs holding the slot; 0 = free */
    uint32_t frame;         /* swap cache: the frame holding the page, or NO_FRAME */
    uint8_t *data;
} slot_t;

struct os {
    sim_config_t cfg;
    dram_t *dram;
    os_hw_t hw;
    int levels;
    /* frame.c */
    frame_t *frames;
    uint32_t nframes, capframes, dram_frames;
    uint32_t *free_list;
    uint32_t nfree, capfree;
    uint32_t hand;          /* resident list: clock hand and insertion point */
    uint64_t user_used, table_used, user_limit;
    uint64_t tick;
    uint32_t rng;
    /* swap.c */
    slot_t *slots;
    uint32_t nslots, capslots, slots_used;
    uint32_t *free_slots;
    uint32_t nfree_slots;
    /* file.c */
    file_t *files;
    /* proc.c */
    proc_t *procs[MAX_PID + 1];
    proc_t *proc_list;
    proc_t *current;
    uint8_t *asid_used;     /* per ASID: 1 in use, 2 used before (needs a flush on reuse) */
    os_stats_t stats;
    uint8_t page[PAGE_SIZE]; /* bounce buffer for page copies */
};

/* Counts one event on the total and on process p (may be NULL). */
#define OS_COUNT(os, p, field, n)                                                                  \
    do {                                                                                           \
        (os)->stats.field += (n);                                                                  \
        if (p)                                                                                     \
            (p)->stats.field += (n);                                                               \
    } while (0)

/* frame.c */
uint64_t frame_pa(const os_t *os, uint32_t f);
uint32_t frame_of_pa(const os_t *os, uint64_t pa);
int frame_alloc(os_t *os, proc_t *p, frame_kind_t kind, uint32_t *out);
void frame_free(os_t *os, uint32_t f);
void frame_zero(os_t *os, uint32_t f);
void frame_copy(os_t *os, uint32_t dst, uint32_t src);
void rmap_add(os_t *os, uint32_t f, proc_t *p, uint64_t va);
void rmap_del(os_t *os, uint32_t f, proc_t *p, uint64_t va);
void frame_release(os_t *os, uint32_t f);
void frames_fini(os_t *os);

/* pgtable.c */
uint64_t pt_lookup(os_t *os, proc_t *p, uint64_t va);
int pt_alloc(os_t *os, proc_t *p, uint64_t va, uint64_t *pte_pa);
uint64_t pt_read(os_t *os, uint64_t pte_pa);
void pt_write(os_t *os, uint64_t pte_pa, uint64_t pte);
typedef void (*pt_visit_fn)(os_t *os, proc_t *p, uint64_t va, uint64_t pte_pa, uint64_t pte, void *arg);
void pt_for_range(os_t *os, proc_t *p, uint64_t start, uint64_t end, pt_visit_fn fn, void *arg);
void pt_free_tables(os_t *os, proc_t *p);
uint64_t pt_leaf_flags(const vma_t *v, int writable);
void tlb_shootdown(os_t *os, proc_t *p, uint64_t va);
void pte_unmap(os_t *os, proc_t *p, uint64_t va, uint64_t pte_pa, uint64_t pte);

/* vma.c */
vma_t *vma_find(proc_t *p, uint64_t va);
int vma_insert(proc_t *p, const vma_t *v);
int vma_split(proc_t *p, uint64_t addr);
void vma_remove(os_t *os, proc_t *p, size_t i);
void vma_merge(os_t *os, proc_t *p);
uint64_t vma_gap(const proc_t *p, uint64_t len, uint64_t top);

/* file.c */
file_t *file_find(os_t *os, const char *name);
file_t *file_new(os_t *os, const char *name, uint64_t size);
void file_put(os_t *os, file_t *file);
int file_getpage(os_t *os, proc_t *p, file_t *file, uint64_t pgoff, uint32_t *out);
void file_writeback(os_t *os, proc_t *p, uint32_t f);
void file_uncache(os_t *os, uint32_t f);
uint32_t file_cached(const file_t *file, uint64_t pgoff);
void files_fini(os_t *os);

/* swap.c */
int swap_alloc(os_t *os, uint32_t *slot);
void swap_put(os_t *os, uint32_t slot);
void swap_write(os_t *os, uint32_t slot, uint32_t f);
void swap_read(os_t *os, uint32_t slot, uint32_t f);
void swap_uncache(os_t *os, uint32_t f);
void swap_fini(os_t *os);

/* reclaim.c */
int reclaim_one(os_t *os, proc_t *p);
int frame_mkclean(os_t *os, uint32_t f);
void resident_add(os_t *os, uint32_t f);
void resident_del(os_t *os, uint32_t f);
void os_kill(os_t *os, proc_t *p, os_kill_t why, uint64_t va);

/* fault.c */
int do_page_fault(os_t *os, proc_t *p, uint64_t va, acc_t acc, os_kill_t *why);
void os_charge(os_t *os, proc_t *p, uint64_t cycles);

/* mm.c */
uint64_t mm_user_top(const os_t *os);
void mm_unmap_range(os_t *os, proc_t *p, uint64_t start, uint64_t end);
void mm_teardown(os_t *os, proc_t *p);

/* proc.c */
proc_t *proc_get(const os_t *os, int pid);
int proc_new(os_t *os, int pid, proc_t **out);

#endif
