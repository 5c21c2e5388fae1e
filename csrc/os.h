/*
 * os.h - the operating-system side: processes, memory mapping, the page
 * fault handler, copy-on-write fork, execve and swap, against the
 * simulated DRAM and on page tables in the real Sv39/Sv48 format
 * (docs/os.md).
 *
 * The OS does not translate by itself: every access goes to the hardware
 * through os_hw_t (the golden model's functional or cycle-level path, or
 * the RTL), and a page fault coming back is handled here and the access
 * replayed.  All calls return 0 (or a value >= 0) on success and a negated
 * errno value (-EINVAL, -ENOMEM, ...) on failure.
 */
#ifndef MMUSIM_OS_H
#define MMUSIM_OS_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "dram.h"
#include "mmu.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { OS_PROT_NONE = 0, OS_PROT_READ = 1, OS_PROT_WRITE = 2, OS_PROT_EXEC = 4 };
enum { OS_MAP_SHARED = 1, OS_MAP_PRIVATE = 2, OS_MAP_ANON = 4, OS_MAP_FIXED = 8 };

/* Why a process was terminated. */
typedef enum {
    OS_KILL_NONE,
    OS_KILL_SEGV_MAPERR,  /* SIGSEGV: address in no area */
    OS_KILL_SEGV_ACCERR,  /* SIGSEGV: operation not allowed by the area */
    OS_KILL_BUS_ADRERR,   /* SIGBUS: file page past the end of the file */
    OS_KILL_OOM           /* neither a free frame nor a free swap slot */
} os_kill_t;

/*
 * The hardware the OS runs on.  translate: one request through the MMU to
 * its response.  sfence: one sfence.vma.  set_csr: a satp/sstatus write.
 * wait: the CPU spends cycles in the handler (charged to simulated time).
 * These four get ctx.  The driver's callbacks get user: next_use (may be
 * NULL): index of the next reference of (pid, page va) after the current
 * one, UINT64_MAX if none, needed by os.policy = opt; killed (may be
 * NULL): a process was terminated.
 */
typedef struct {
    void *ctx;
    fault_t (*translate)(void *ctx, const mmu_req_t *req, mmu_resp_t *resp);
    void (*sfence)(void *ctx, const mmu_sfence_t *f);
    void (*set_csr)(void *ctx, const mmu_csr_t *csr);
    void (*wait)(void *ctx, uint64_t cycles);
    void *user;
    uint64_t (*next_use)(void *user, int pid, uint64_t va);
    void (*killed)(void *user, int pid, os_kill_t why, uint64_t va);
} os_hw_t;

/* Counters; os_stats() gives the totals, os_proc_stats() one process's. */
typedef struct {
    uint64_t page_faults;    /* faults that brought a page in: zero fills + file page-ins + swap-ins */
    uint64_t minor_faults;   /* faults served without disk I/O (zero fill, page cache, COW, A/D, swap cache) */
    uint64_t major_faults;   /* faults that read the disk (file page-in, swap-in) */
    uint64_t zero_fills;
    uint64_t file_pageins;   /* pages read from a file into the page cache */
    uint64_t cache_hits;     /* file faults served by a page already in the page cache */
    uint64_t cow_copies, cow_reuses;
    uint64_t ad_faults;      /* svade: faults only setting A/D */
    uint64_t swap_ins, swap_outs;
    uint64_t swap_cache_hits;
    uint64_t writebacks;     /* dirty file pages written to their file */
    uint64_t dropped;        /* clean pages evicted without I/O */
    uint64_t shootdowns;     /* sfence.vma issued for a changed PTE */
    uint64_t signals;        /* SIGSEGV + SIGBUS */
    uint64_t oom_kills;
    uint64_t replays;        /* accesses replayed after a handled fault */
    uint64_t handler_cycles; /* cycles charged for fault handling */
} os_stats_t;

typedef struct os os_t;

/*
 * Creates the OS over dram (which the MMU of hw also reads), with the os.*
 * and swap.* keys of cfg (validated).  Takes all of DRAM: it allocates
 * frames and page tables there.  NULL on no host memory.
 */
os_t *os_create(const sim_config_t *cfg, dram_t *dram, const os_hw_t *hw);
/* Exits every process still running, then frees everything. */
void os_destroy(os_t *os);

/* Files.  Creates file name (a copy of data, size bytes); -EEXIST, -ENOMEM. */
int os_file_create(os_t *os, const char *name, const void *data, uint64_t size);
/* Reads len bytes at off of file name as read() would (page cache included); bytes read, or -ENOENT. */
int64_t os_file_read(os_t *os, const char *name, uint64_t off, void *buf, uint64_t len);
/* Size of file name, or -ENOENT. */
int64_t os_file_size(os_t *os, const char *name);

/* Processes.  pid is chosen by the caller, 1..65535; -EEXIST, -EINVAL, -EAGAIN (no ASID). */
int os_spawn(os_t *os, int pid);
/* Child becomes a copy-on-write copy of parent; -ESRCH, -EEXIST, -EAGAIN, -ENOMEM. */
int os_fork(os_t *os, int parent, int child);
/*
 * Replaces pid's image (created if new) by the ELF executable at host
 * path: PT_LOAD segments private copy-on-write from the file, bss, heap
 * and stack demand-zero; *entry gets the entry point.  -ENOENT (with the
 * host's reason in err), -ENOEXEC (with the reason in err), -ENOMEM.
 */
int os_execve(os_t *os, int pid, const char *path, uint64_t *entry, char *err, size_t errlen);

/*
 * The kernel reading len bytes at va of pid, as write() does: S-mode with
 * SUM set, faults handled, but an address the process cannot read gives
 * -EFAULT instead of a signal.  0, -ESRCH or -EFAULT.
 */
int os_copy_from_user(os_t *os, int pid, uint64_t va, void *buf, uint64_t len);
/* Tears pid's address space down; -ESRCH. */
int os_exit(os_t *os, int pid);
/* 1 when pid is running. */
int os_alive(const os_t *os, int pid);
/* The ASID the hardware sees for pid now (it may change at a switch); -ESRCH. */
int os_asid(const os_t *os, int pid);
/* Makes pid the process on the CPU (satp write); -ESRCH. */
int os_switch(os_t *os, int pid);

/* System calls of pid.  file is NULL for OS_MAP_ANON.  *addr_out gets the mapping's address. */
int os_mmap(os_t *os, int pid, uint64_t addr, uint64_t len, int prot, int flags, const char *file,
            uint64_t offset, uint64_t *addr_out);
int os_munmap(os_t *os, int pid, uint64_t addr, uint64_t len);
int os_mprotect(os_t *os, int pid, uint64_t addr, uint64_t len, int prot);
int os_msync(os_t *os, int pid, uint64_t addr, uint64_t len);
/* Sets the break to addr (0: query); *brk_out gets the break after the call. */
int os_brk(os_t *os, int pid, uint64_t addr, uint64_t *brk_out);

/*
 * len bytes at va of pid: acc ACC_LOAD/ACC_FETCH copies into buf,
 * ACC_STORE copies from buf.  Switches to pid if needed; every page
 * touched is translated by the hardware, faults are handled and the
 * access replayed.  buf NULL: the pages are translated (and faults
 * handled) with no data moved, as a trace's references are.  Returns 0;
 * -ESRCH; or -EFAULT when the process was killed by the access (signal or
 * OOM: reported through hw->killed).
 */
int os_access(os_t *os, int pid, uint64_t va, acc_t acc, void *buf, uint64_t len);

/*
 * The fault handler, for a driver that issues the process's translations
 * itself (a TLM initiator of its own, say): the hardware answered pid's
 * user access acc at va with the page fault of acc.  Switches to pid if
 * needed.  Returns 0 when the fault was served and the access is to be
 * replayed (with replay set); -ESRCH; or -EFAULT when the process was
 * killed (signal or OOM: reported through hw->killed).  The OS sees no
 * hits of such a driver: under os.policy = lru they do not count as uses.
 */
int os_page_fault(os_t *os, int pid, uint64_t va, acc_t acc);

/*
 * Reads host file path whole into *data (malloc'd, size *size), for the
 * files a workload brings in (execve images, `file NAME host`): refuses
 * what is not a regular file (a FIFO, which it opens without waiting for a
 * writer; a directory; a device; a /proc or /sys file, which reads other
 * than its size) and a file above max bytes.  0, or -ENOENT, -ENOEXEC or
 * -ENOMEM with the reason in err ("PATH: is a FIFO", ...) and *data NULL.
 */
int os_host_read(const char *path, uint64_t max, uint8_t **data, uint64_t *size, char *err, size_t errlen);

const os_stats_t *os_stats(const os_t *os);
/* Zeroes every counter, the totals and each process's (a trace's --warmup ends so). */
void os_stats_reset(os_t *os);
/* Counters of pid (running or exited); NULL if pid never existed. */
const os_stats_t *os_proc_stats(const os_t *os, int pid);

/* User frames in use (anonymous, file and swap-cache pages), page-table pages, swap slots in use. */
uint64_t os_user_frames_used(const os_t *os);
uint64_t os_table_frames_used(const os_t *os);
uint64_t os_swap_slots_used(const os_t *os);

/*
 * Checks every invariant: page tables <-> areas <-> reference counts <->
 * reverse map <-> swap slots <-> page cache (docs/os.md lists them).
 * Returns 0, or -1 with the first violation described in err.
 */
int os_check(const os_t *os, char *err, size_t errlen);

/* "SIGSEGV (maperr)", "OOM", ... */
const char *os_kill_name(os_kill_t why);

#ifdef __cplusplus
}
#endif
#endif
