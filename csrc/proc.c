/*
 * proc.c - processes: creation, fork, exit and signals, ASIDs, context
 * switches, and the access path that sends every reference through the
 * hardware and the fault handler.
 *
 * ASIDs: a fresh ASID is handed out while there is one; after that a
 * process gets the ASID of an exited one, whose TLB entries may still be
 * there, so reuse starts with an sfence by that ASID.  ASID 0 is kept for
 * the kernel.
 */
#include <stdlib.h>
#include <string.h>

#include "kernel.h"

/* An access crosses at most: swap-in or zero fill, COW, A/D, one stale TLB entry. */
#define MAX_REPLAYS 8
#define ASID_FREE 0
#define ASID_IN_USE 1
#define ASID_STALE 2    /* used before: its TLB entries need a flush */
#define SPAWN_BRK 0x10000000ULL

/* The running process pid, or NULL. */
proc_t *proc_get(const os_t *os, int pid)
{
    proc_t *p = pid >= 1 && pid <= MAX_PID ? os->procs[pid] : NULL;
    return p && p->alive ? p : NULL;
}

/* An ASID for p: a fresh one, else a stale one after flushing it.  0, or -EAGAIN. */
static int proc_asid(os_t *os, proc_t *p)
{
    unsigned stale = 0;

    for (unsigned a = 1; a < os->cfg.os.asids; a++) {
        if (os->asid_used[a] == ASID_FREE) {
            os->asid_used[a] = ASID_IN_USE;
            p->asid = (uint16_t)a;
            return 0;
        }
        if (os->asid_used[a] == ASID_STALE && !stale)
            stale = a;
    }
    if (!stale)
        return -EAGAIN;
    {
        mmu_sfence_t f = { 1, 0, 0, 1, (uint16_t)stale };
        os->hw.sfence(os->hw.ctx, &f);
        OS_COUNT(os, p, shootdowns, 1);
    }
    os->asid_used[stale] = ASID_IN_USE;
    p->asid = (uint16_t)stale;
    return 0;
}

/*
 * Creates process pid with an empty address space (a zeroed root table, an
 * ASID).  0, -EINVAL (pid out of range), -EEXIST, -EAGAIN (no ASID), -ENOMEM.
 */
int proc_new(os_t *os, int pid, proc_t **out)
{
    proc_t *p;
    uint32_t root;
    int rc;

    if (pid < 1 || pid > MAX_PID)
        return -EINVAL;
    if (proc_get(os, pid))
        return -EEXIST;
    p = os->procs[pid];
    if (!p) {
        if (!(p = os->procs[pid] = calloc(1, sizeof *p)))
            return -ENOMEM;
        p->next = os->proc_list;
        os->proc_list = p;
    }
    p->nvmas = 0;
    p->brk = p->rss = 0;
    memset(&p->stats, 0, sizeof p->stats);
    p->pid = pid;
    if ((rc = proc_asid(os, p)))
        return rc;
    p->alive = 1;
    if ((rc = frame_alloc(os, p, FR_TABLE, &root))) {
        p->alive = 0;
        os->asid_used[p->asid] = ASID_STALE;
        return rc;
    }
    frame_zero(os, root);
    p->root = frame_pa(os, root);
    p->brk_start = p->brk = SPAWN_BRK;
    *out = p;
    return 0;
}

/* Ends p: its address space is torn down; its ASID becomes stale. */
static void proc_exit(os_t *os, proc_t *p)
{
    p->alive = 0;
    mm_teardown(os, p);
    os->asid_used[p->asid] = ASID_STALE;
    if (os->current == p)
        os->current = NULL;
}

/* Terminates p for why (at va), counts it and reports it through hw->killed. */
void os_kill(os_t *os, proc_t *p, os_kill_t why, uint64_t va)
{
    if (why == OS_KILL_OOM)
        OS_COUNT(os, p, oom_kills, 1);
    else
        OS_COUNT(os, p, signals, 1);
    proc_exit(os, p);
    if (os->hw.killed)
        os->hw.killed(os->hw.user, p->pid, why, va);
}

int os_spawn(os_t *os, int pid)
{
    proc_t *p;
    return proc_new(os, pid, &p);
}

typedef struct {
    proc_t *parent, *child;
    const vma_t *vma;
    int failed;
} fork_ctx_t;

/*
 * pt_for_range visitor of fork: gives the child the parent's PTE.  A
 * private writable page becomes read-only in both (copy-on-write), which
 * takes a shootdown in the parent; a swap entry gains a holder.
 */
static void fork_visit(os_t *os, proc_t *parent, uint64_t va, uint64_t pte_pa, uint64_t pte, void *arg)
{
    fork_ctx_t *fc = arg;
    uint64_t child_pa;

    (void)pte;
    if (fc->failed)
        return;
    /* The table allocation may reclaim, even this very page: read the PTE after it. */
    if (pt_alloc(os, fc->child, va, &child_pa) || !parent->alive) {
        fc->failed = 1;
        return;
    }
    pte = pt_read(os, pte_pa);
    if (!pte)
        return;
    if (PTE_IS_SWAP(pte)) {
        os->slots[PTE_SWAP_SLOT(pte)].count++;
    } else {
        if ((fc->vma->flags & OS_MAP_PRIVATE) && (pte & PTE_W)) {
            pte &= ~PTE_W;
            pt_write(os, pte_pa, pte);
            tlb_shootdown(os, parent, va);
        }
        rmap_add(os, frame_of_pa(os, PTE_PPN(pte) << PAGE_SHIFT), fc->child, va);
    }
    pt_write(os, child_pa, pte);
}

int os_fork(os_t *os, int parent, int child)
{
    proc_t *p = proc_get(os, parent), *c;
    fork_ctx_t fc;
    int rc;

    if (!p)
        return -ESRCH;
    if ((rc = proc_new(os, child, &c)))
        return rc;
    c->brk_start = p->brk_start;
    c->brk = p->brk;
    fc = (fork_ctx_t){ p, c, NULL, 0 };
    for (size_t i = 0; i < p->nvmas && !fc.failed; i++) {
        if (vma_insert(c, &p->vmas[i])) {
            fc.failed = 1;
            break;
        }
        fc.vma = &p->vmas[i];
        pt_for_range(os, p, p->vmas[i].start, p->vmas[i].end, fork_visit, &fc);
    }
    if (fc.failed) {
        proc_exit(os, c);
        return -ENOMEM;
    }
    return 0;
}

int os_exit(os_t *os, int pid)
{
    proc_t *p = proc_get(os, pid);

    if (!p)
        return -ESRCH;
    proc_exit(os, p);
    return 0;
}

int os_alive(const os_t *os, int pid)
{
    return proc_get(os, pid) != NULL;
}

int os_switch(os_t *os, int pid)
{
    proc_t *p = proc_get(os, pid);
    mmu_csr_t csr = { (vm_mode_t)os->cfg.mode, 0, 0, 0 };

    if (!p)
        return -ESRCH;
    csr.root_ppn = p->root >> PAGE_SHIFT;
    os->hw.set_csr(os->hw.ctx, &csr);
    os->current = p;
    return 0;
}

/*
 * Serves a page fault of p at va for acc, which the hardware reported: 0
 * when the access is to be replayed, or -EFAULT when it cannot be served:
 * then a user access kills p (a kernel one, S-mode with SUM set by the
 * caller, just fails, unless it is out of memory).
 */
static int proc_fault(os_t *os, proc_t *p, uint64_t va, acc_t acc, int kernel)
{
    os_kill_t why;
    int rc = do_page_fault(os, p, va, acc, &why);

    if (!p->alive)
        panic("pid %d was torn down inside its own fault at %#llx", p->pid, (unsigned long long)va);
    if (rc) {
        if (!kernel || why == OS_KILL_OOM)
            os_kill(os, p, why, va);
        return -EFAULT;
    }
    OS_COUNT(os, p, replays, 1);
    return 0;
}

/*
 * Translates va of p for acc through the hardware, handling faults; the PA,
 * or -EFAULT: a user access kills p, a kernel one (S-mode, SUM set by the
 * caller) just fails.
 */
static int proc_translate(os_t *os, proc_t *p, uint64_t va, acc_t acc, int kernel, uint64_t *pa)
{
    mmu_req_t req = { va, acc, kernel ? PRIV_S : PRIV_U, p->asid, 0 };
    mmu_resp_t resp;

    for (int i = 0; i < MAX_REPLAYS; i++) {
        fault_t f = os->hw.translate(os->hw.ctx, &req, &resp);
        if (f == FAULT_NONE) {
            *pa = resp.pa;
            os->frames[frame_of_pa(os, resp.pa)].last_use = ++os->tick;
            return 0;
        }
        if (f != fault_page(acc))
            panic("pid %d va %#llx: %s fault: the handler maps DRAM only", p->pid, (unsigned long long)va,
                  fault_name(f));
        if (proc_fault(os, p, va, acc, kernel))
            return -EFAULT;
        req.replay = 1;
    }
    panic("pid %d va %#llx (%s): still faulting after %d replays", p->pid, (unsigned long long)va, acc_name(acc),
          MAX_REPLAYS);
}

/*
 * Copies len bytes between buf and va of p, page by page through
 * proc_translate; buf NULL translates (and faults) without moving data.
 */
static int proc_copy(os_t *os, proc_t *p, uint64_t va, acc_t acc, int kernel, void *buf, uint64_t len)
{
    uint64_t done = 0;

    while (done < len) {
        uint64_t a = va + done, pa;
        uint64_t n = PAGE_SIZE - (a & (PAGE_SIZE - 1));
        int rc;
        if (n > len - done)
            n = len - done;
        if (proc_translate(os, p, a, acc, kernel, &pa))
            return -EFAULT;
        if (!buf) {
            done += n;
            continue;
        }
        rc = acc == ACC_STORE ? dram_write(os->dram, pa, (const uint8_t *)buf + done, n)
                              : dram_read(os->dram, pa, (uint8_t *)buf + done, n);
        if (rc)
            panic("pa %#llx outside DRAM", (unsigned long long)pa);
        done += n;
    }
    return 0;
}

int os_access(os_t *os, int pid, uint64_t va, acc_t acc, void *buf, uint64_t len)
{
    proc_t *p = proc_get(os, pid);

    if (!p)
        return -ESRCH;
    if (os->current != p)
        os_switch(os, pid);
    return proc_copy(os, p, va, acc, 0, buf, len);
}

int os_page_fault(os_t *os, int pid, uint64_t va, acc_t acc)
{
    proc_t *p = proc_get(os, pid);

    if (!p)
        return -ESRCH;
    if (os->current != p)
        os_switch(os, pid);
    return proc_fault(os, p, va, acc, 0);
}

int os_copy_from_user(os_t *os, int pid, uint64_t va, void *buf, uint64_t len)
{
    proc_t *p = proc_get(os, pid);
    mmu_csr_t csr = { (vm_mode_t)os->cfg.mode, 0, 1, 0 };
    int rc;

    if (!p)
        return -ESRCH;
    os_switch(os, pid);
    csr.root_ppn = p->root >> PAGE_SHIFT;
    os->hw.set_csr(os->hw.ctx, &csr);
    rc = proc_copy(os, p, va, ACC_LOAD, 1, buf, len);
    if (p->alive)
        os_switch(os, pid);
    return rc;
}

os_t *os_create(const sim_config_t *cfg, dram_t *dram, const os_hw_t *hw)
{
    os_t *os = calloc(1, sizeof *os);
    uint64_t frames = cfg->dram.size >> PAGE_SHIFT;

    if (!os)
        return NULL;
    os->cfg = *cfg;
    os->dram = dram;
    os->hw = *hw;
    os->levels = vm_levels((vm_mode_t)cfg->mode);
    os->dram_frames = frames > NO_FRAME - 1 ? NO_FRAME - 1 : (uint32_t)frames;
    os->user_limit = cfg->os.user_frames ? cfg->os.user_frames : os->dram_frames;
    os->hand = NO_FRAME;
    os->rng = cfg->os.seed;
    os->asid_used = calloc(cfg->os.asids, 1);
    if (!os->asid_used) {
        free(os);
        return NULL;
    }
    return os;
}

void os_destroy(os_t *os)
{
    if (!os)
        return;
    for (proc_t *p = os->proc_list; p; p = p->next)
        if (p->alive)
            proc_exit(os, p);
    while (os->proc_list) {
        proc_t *p = os->proc_list;
        os->proc_list = p->next;
        free(p->vmas);
        free(p);
    }
    files_fini(os);
    swap_fini(os);
    frames_fini(os);
    free(os->asid_used);
    free(os);
}

int os_asid(const os_t *os, int pid)
{
    const proc_t *p = pid >= 1 && pid <= MAX_PID ? os->procs[pid] : NULL;
    return p && p->alive ? (int)p->asid : -ESRCH;
}

const os_stats_t *os_stats(const os_t *os)
{
    return &os->stats;
}

void os_stats_reset(os_t *os)
{
    memset(&os->stats, 0, sizeof os->stats);
    for (int pid = 1; pid <= MAX_PID; pid++)
        if (os->procs[pid])
            memset(&os->procs[pid]->stats, 0, sizeof os->procs[pid]->stats);
}

const os_stats_t *os_proc_stats(const os_t *os, int pid)
{
    return pid >= 1 && pid <= MAX_PID && os->procs[pid] ? &os->procs[pid]->stats : NULL;
}

uint64_t os_user_frames_used(const os_t *os)
{
    return os->user_used;
}

uint64_t os_table_frames_used(const os_t *os)
{
    return os->table_used;
}

uint64_t os_swap_slots_used(const os_t *os)
{
    return os->slots_used;
}

const char *os_kill_name(os_kill_t why)
{
    static const char *const names[] = { "none", "SIGSEGV (maperr)", "SIGSEGV (accerr)", "SIGBUS (adrerr)", "OOM" };
    return why <= OS_KILL_OOM ? names[why] : "?";
}
