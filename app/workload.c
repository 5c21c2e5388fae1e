/*
 * workload.c - `mmusim run`: executes a parsed workload or reference
 * string on the OS over the golden model and prints what it asks for, then
 * the statistics (docs/workload.md, docs/stats.md).
 */
#include "workload.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "os_hw.h"
#include "report.h"

typedef struct {
    const workload_t *w;
    const sim_config_t *cfg;
    FILE *out;
    int check;              /* os_check after every command */
    os_t *os;
    uint64_t *vals;         /* values of the names bound by `as` */
    const wl_cmd_t *cur;    /* the command running, for kill reports */
    /* --refs with os.policy opt: per distinct page, the index of its next reference */
    uint64_t *pages, *upcoming, *next;
    size_t npages;
} runner_t;

/* The errno name Linux would print ("EINVAL"), for a negated errno value. */
static const char *run_errname(int rc)
{
    static const struct { int e; const char *name; } names[] = {
        { EINVAL, "EINVAL" }, { ENOMEM, "ENOMEM" }, { EEXIST, "EEXIST" }, { ENOENT, "ENOENT" },
        { ESRCH, "ESRCH" }, { EAGAIN, "EAGAIN" }, { EFAULT, "EFAULT" }, { ENOEXEC, "ENOEXEC" },
        { ENOSPC, "ENOSPC" }, { EOVERFLOW, "EOVERFLOW" },
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (names[i].e == -rc)
            return names[i].name;
    return "EIO";
}

/* Value of address operand a. */
static uint64_t run_addr(const runner_t *r, const wl_addr_t *a)
{
    return (a->name >= 0 ? r->vals[a->name] : 0) + a->off;
}

/* os_hw_t.killed: "PID: killed by ... at ADDR", ADDR spelled relative to the command's operand. */
static void run_killed(void *ctx, int pid, os_kill_t why, uint64_t va)
{
    runner_t *r = ctx;
    const wl_addr_t *a = r->cur ? &r->cur->addr : NULL;

    if (why == OS_KILL_OOM || !a || !a->tok) {
        fprintf(r->out, "%d: killed by %s\n", pid, os_kill_name(why));
        return;
    }
    fprintf(r->out, "%d: killed by %s at ", pid, os_kill_name(why));
    if (va == run_addr(r, a))
        fprintf(r->out, "%s\n", a->tok);
    else if (a->name >= 0)
        fprintf(r->out, "%s+0x%llx\n", r->w->names[a->name], (unsigned long long)(va - r->vals[a->name]));
    else
        fprintf(r->out, "0x%llx\n", (unsigned long long)va);
}

/* Index of page v among the distinct pages of the reference string. */
static size_t run_page_index(const runner_t *r, uint64_t v)
{
    size_t lo = 0, hi = r->npages;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (r->pages[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* os_hw_t.next_use for --refs: the next reference of the page of va. */
static uint64_t run_next_use(void *ctx, int pid, uint64_t va)
{
    runner_t *r = ctx;
    size_t i = run_page_index(r, va >> PAGE_SHIFT);

    (void)pid;
    return i < r->npages && r->pages[i] == va >> PAGE_SHIFT ? r->upcoming[i] : UINT64_MAX;
}

/* Prints "PID: op: ERRNAME" for a failed call; returns rc. */
static int run_report(runner_t *r, const char *op, int rc)
{
    if (rc < 0 && rc != -EFAULT)
        fprintf(r->out, "%d: %s: %s\n", r->cur->pid, op, run_errname(rc));
    return rc;
}

/* Runs one command.  0, or 2 after a "file:line:" error that stops the run. */
static int run_command(runner_t *r, const wl_cmd_t *c, const char *path)
{
    static const char *const names[W_COUNT] = { "file", "spawn", "execve", "fork", "exit", "switch",
                                                "mmap", "munmap", "mprotect", "msync", "brk", "load",
                                                "fetch", "store", "put", "write", "print" };
    os_t *os = r->os;
    uint64_t a = run_addr(r, &c->addr), got = 0;
    uint8_t buf[4096];
    char err[256];
    int rc;

    r->cur = c;
    if (c->op != W_FILE && c->op != W_PRINT && c->op != W_SPAWN && c->op != W_EXECVE && !os_alive(os, c->pid)) {
        fprintf(r->out, "%d: ESRCH\n", c->pid);
        return 0;
    }
    switch (c->op) {
    case W_FILE:
        if ((rc = os_file_create(os, c->name, c->data, c->dlen))) {
            fprintf(stderr, "%s:%u: file %s: %s\n", path, c->line, c->name, run_errname(rc));
            return 2;
        }
        break;
    case W_SPAWN: run_report(r, names[c->op], os_spawn(os, c->pid)); break;
    case W_EXECVE:
        if ((rc = os_execve(os, c->pid, c->name, &got, err, sizeof err))) {
            fprintf(stderr, "%s:%u: execve: %s\n", path, c->line, rc == -ENOMEM ? "out of memory" : err);
            return 2;
        }
        if (c->bind >= 0)
            r->vals[c->bind] = got;
        break;
    case W_FORK: run_report(r, names[c->op], os_fork(os, c->pid, c->pid2)); break;
    case W_EXIT: os_exit(os, c->pid); break;
    case W_SWITCH: os_switch(os, c->pid); break;
    case W_MMAP:
        rc = run_report(r, names[c->op], os_mmap(os, c->pid, a, c->len, c->prot, c->flags, c->name, c->offset, &got));
        if (!rc && c->bind >= 0)
            r->vals[c->bind] = got;
        break;
    case W_MUNMAP: run_report(r, names[c->op], os_munmap(os, c->pid, a, c->len)); break;
    case W_MPROTECT: run_report(r, names[c->op], os_mprotect(os, c->pid, a, c->len, c->prot)); break;
    case W_MSYNC: run_report(r, names[c->op], os_msync(os, c->pid, a, c->len)); break;
    case W_BRK:
        rc = run_report(r, names[c->op], os_brk(os, c->pid, a, &got));
        if (!rc && c->bind >= 0)
            r->vals[c->bind] = got;
        break;
    case W_LOAD:
    case W_FETCH:
        if (!os_access(os, c->pid, a, c->op == W_LOAD ? ACC_LOAD : ACC_FETCH, buf, c->len)) {
            fprintf(r->out, "%d: %s %s %s:", c->pid, names[c->op], c->addr.tok, c->len_tok);
            for (uint64_t i = 0; i < c->len; i++)
                fprintf(r->out, " %02x", buf[i]);
            fputc('\n', r->out);
        }
        break;
    case W_STORE:
        for (uint64_t i = 0; i < c->len; i++)
            buf[i] = (uint8_t)(c->value >> (8 * i));
        os_access(os, c->pid, a, ACC_STORE, buf, c->len);
        break;
    case W_PUT: os_access(os, c->pid, a, ACC_STORE, c->data, c->dlen); break;
    case W_WRITE:
        for (uint64_t done = 0; done < c->len; done += sizeof buf) {
            uint64_t n = c->len - done < sizeof buf ? c->len - done : sizeof buf;
            if ((rc = os_copy_from_user(os, c->pid, a + done, buf, n))) {
                if (!done)
                    fprintf(r->out, "%d: write: %s\n", c->pid, run_errname(rc));
                break;
            }
            fwrite(buf, 1, n, r->out);
        }
        break;
    case W_PRINT: {
        int64_t size = os_file_size(os, c->name);
        for (int64_t off = 0; off < size; off += (int64_t)sizeof buf) {
            int64_t n = os_file_read(os, c->name, (uint64_t)off, buf, sizeof buf);
            fwrite(buf, 1, (size_t)n, r->out);
        }
        break;
    }
    default: break;
    }
    if (r->check && os_check(os, err, sizeof err)) {
        fprintf(stderr, "%s:%u: invariant broken after this command: %s\n", path, c->line, err);
        return 1;
    }
    return 0;
}

/* The reference string: process 1, one anonymous area over the pages named, one read each. */
static int run_refs(runner_t *r, const char *path)
{
    const workload_t *w = r->w;
    uint64_t lo = UINT64_MAX, hi = 0, got;
    uint8_t byte;
    char err[256];

    for (size_t i = 0; i < w->nrefs; i++) {
        lo = w->refs[i] < lo ? w->refs[i] : lo;
        hi = w->refs[i] > hi ? w->refs[i] : hi;
    }
    if (os_spawn(r->os, 1) || os_mmap(r->os, 1, lo << PAGE_SHIFT, (hi - lo + 1) << PAGE_SHIFT,
                                      OS_PROT_READ | OS_PROT_WRITE, OS_MAP_PRIVATE | OS_MAP_ANON | OS_MAP_FIXED,
                                      NULL, 0, &got)) {
        fprintf(stderr, "%s: pages 0x%llx..0x%llx do not fit the user address space (try --set mode=sv48)\n",
                path, (unsigned long long)lo, (unsigned long long)hi);
        return 2;
    }
    for (size_t i = 0; i < w->nrefs; i++) {
        if (r->upcoming)
            r->upcoming[run_page_index(r, w->refs[i])] = r->next[i];
        if (os_access(r->os, 1, w->refs[i] << PAGE_SHIFT, ACC_LOAD, &byte, 1)) {
            fprintf(stderr, "%s: reference %zu: process killed (swap.slots too small?)\n", path, i + 1);
            return 2;
        }
        if (r->check && os_check(r->os, err, sizeof err)) {
            fprintf(stderr, "%s: invariant broken after reference %zu: %s\n", path, i + 1, err);
            return 1;
        }
    }
    return 0;
}

/* Compares two page numbers for qsort. */
static int run_cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* For os.policy opt: the distinct pages and, per reference, the index of the next one to its page. */
static int run_future(runner_t *r)
{
    const workload_t *w = r->w;

    r->pages = malloc(w->nrefs * sizeof *r->pages);
    r->next = malloc(w->nrefs * sizeof *r->next);
    r->upcoming = malloc(w->nrefs * sizeof *r->upcoming);
    if (!r->pages || !r->next || !r->upcoming)
        return -1;
    memcpy(r->pages, w->refs, w->nrefs * sizeof *r->pages);
    qsort(r->pages, w->nrefs, sizeof *r->pages, run_cmp_u64);
    for (size_t i = 0; i < w->nrefs; i++)
        if (!r->npages || r->pages[r->npages - 1] != r->pages[i])
            r->pages[r->npages++] = r->pages[i];
    for (size_t i = 0; i < r->npages; i++)
        r->upcoming[i] = UINT64_MAX;
    for (size_t i = w->nrefs; i-- > 0;) {
        size_t p = run_page_index(r, w->refs[i]);
        r->next[i] = r->upcoming[p];
        r->upcoming[p] = i;
    }
    return 0;
}

int wl_run_on(const workload_t *w, const sim_config_t *cfg, const os_machine_t *mach, int check,
              stats_format_t fmt, const char *path, FILE *out)
{
    runner_t r = { w, cfg, out, check, NULL, NULL, NULL, NULL, NULL, NULL, 0 };
    os_hw_t hw = mach->hw;
    int rc = 2;

    if (cfg->os.policy == OSP_OPT && !w->nrefs) {
        fprintf(stderr, "%s: os.policy = opt needs the future: use mmusim run --refs\n", path);
        return 2;
    }
    r.vals = calloc((size_t)w->nnames + 1, sizeof *r.vals);
    if (!r.vals || (w->nrefs && cfg->os.policy == OSP_OPT && run_future(&r))) {
        fprintf(stderr, "mmusim: out of memory\n");
        goto out;
    }
    hw.user = &r;
    hw.killed = run_killed;
    hw.next_use = run_next_use;
    if (!(r.os = os_create(cfg, mach->dram, &hw))) {
        fprintf(stderr, "mmusim: out of memory\n");
        goto out;
    }
    rc = 0;
    if (w->nrefs)
        rc = run_refs(&r, path);
    for (size_t i = 0; i < w->n && !rc; i++)
        rc = run_command(&r, &w->cmds[i], path);
    if (!rc) {
        report_t rep = { "workload", path, 0, cfg };
        rc = report_print(&rep, r.os, mach->mmu, fmt, out);
    }
out:
    os_destroy(r.os);
    free(r.vals);
    free(r.pages);
    free(r.next);
    free(r.upcoming);
    return rc;
}

int wl_run(const workload_t *w, const sim_config_t *cfg, int cycle_level, int check, stats_format_t fmt,
           const char *path, FILE *out)
{
    os_model_machine_t mm;
    int rc;

    if (os_model_machine_create(&mm, cfg, cycle_level)) {
        fprintf(stderr, "mmusim: out of memory\n");
        return 2;
    }
    rc = wl_run_on(w, cfg, &mm.m, check, fmt, path, out);
    os_model_machine_destroy(&mm);
    return rc;
}
