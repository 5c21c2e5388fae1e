/*
 * trace.c - `mmusim trace FILE...`: memory traces through the OS and the
 * MMU (docs/traces.md).
 *
 * A trace does not record its program's page tables.  Each trace (and
 * each process id a trace carries) runs as a process of the operating-
 * system side (csrc/) with one private anonymous area over the whole user
 * address space: the real fault handler demand-zeroes each page on first
 * touch, sets A/D under svade, and swaps under os.user_frames pressure.
 *
 * The per-reference loop is the hot path of every study.  On the golden
 * model's functional path a run of references that hit in their L1 TLB
 * goes to mmu_translate_refs() in one call: no OS call, no data bytes, no
 * allocation.  Everything else (a miss, a page-crossing access, a process
 * switch) goes through os_access(), which translates, takes the faults
 * and replays.
 */
#define _POSIX_C_SOURCE 200809L
#include "trace.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "report.h"

/* Where each process's area starts: page 0 and its neighbours stay unmapped, as on Linux. */
#define TRACE_LOW 0x10000ULL
#define TRACE_BATCH 1024 /* records read at a time */
#define TRACE_PROCS 65535 /* the OS's largest pid */

/* One input trace and its unread records. */
typedef struct {
    const char *path;
    trace_in_t *in;
    trace_ref_t *buf;
    long len, pos;
    int done;
} tr_input_t;

/* A process: the trace it comes from and the pid the trace gave it. */
typedef struct {
    int input;
    uint32_t pid;
} tr_proc_t;

typedef struct {
    const sim_config_t *cfg;
    const trace_opts_t *o;
    const os_machine_t *mach;
    FILE *out;
    os_t *os;
    mmu_t *mmu;
    int fast;                  /* runs of hits may go to mmu_translate_refs */
    tr_input_t *in;
    int nin;
    tr_proc_t *procs;          /* procs[i] is OS pid i + 1 */
    int nprocs;
    int cur;                   /* OS pid on the CPU, 0 before the first reference */
    uint16_t asid;             /* its ASID */
    int last_input, last_os_pid; /* the previous record's (input, pid) -> OS pid */
    uint32_t last_pid;
    uint64_t seen;             /* references read, skipped ones included */
    uint64_t counted;          /* references in the statistics */
    uint64_t interval_start;   /* counted at the start of the current interval */
    uint64_t intervals;
    mmu_stats_t mmu_base;      /* counters at the start of the current interval */
    os_stats_t os_base;
    char *names;               /* the traces' names, comma-separated */
    struct timespec t0, last_shown;
    int progress;              /* stderr is a terminal */
    int shown;                 /* a progress line is on the screen */
} tracer_t;

void trace_opts_default(trace_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->format = TF_AUTO;
    o->quantum = 10000;
    o->fmt = STATS_TABLE;
}

/* os_hw_t.killed: a traced process dies only of an access outside its area or of OOM. */
static void tracer_killed(void *user, int pid, os_kill_t why, uint64_t va)
{
    (void)user;
    fprintf(stderr, "mmusim: traced process %d killed by %s at 0x%llx%s\n", pid, os_kill_name(why),
            (unsigned long long)va,
            why == OS_KILL_OOM ? " (raise os.user_frames or swap.slots)"
                               : " (address outside user space: try --set mode=sv48)");
}

/* Seconds since t. */
static double tracer_since(const struct timespec *t)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) * 1e-9;
}

/*
 * The progress line, on a terminal only, once the run has taken a second:
 * references, percent and ETA when the length is known, rate.
 */
static void tracer_progress(tracer_t *t)
{
    double el = tracer_since(&t->t0), frac = 0, rate;
    char where[64] = "";
    int known = 1;

    if (el < 1.0 || tracer_since(&t->last_shown) < 0.25)
        return;
    clock_gettime(CLOCK_MONOTONIC, &t->last_shown);
    for (int i = 0; i < t->nin; i++) {
        double f = t->in[i].done ? 1.0 : trace_fraction(t->in[i].in);
        known &= f >= 0;
        frac += f / t->nin;
    }
    rate = (double)t->seen / el;
    if (known && frac > 0)
        snprintf(where, sizeof where, ", %.0f%%, ETA %.0f s", 100 * frac, el / frac - el);
    fprintf(stderr, "\rmmusim trace: %.1f M references%s, %.1f M/s   ", (double)t->seen / 1e6, where, rate / 1e6);
    t->shown = 1;
}

/* A new process for (input, pid): spawned, with its area over all of user space.  OS pid or -1. */
static int tracer_new_proc(tracer_t *t, int input, uint32_t pid)
{
    uint64_t top = 1ULL << (PAGE_SHIFT + VPN_BITS * vm_levels(t->cfg->mode) - 1), got;
    int os_pid = t->nprocs + 1;

    if (t->nprocs == TRACE_PROCS) {
        fprintf(stderr, "%s:%" PRIu64 ": more than %d processes\n", t->in[input].path,
                trace_record(t->in[input].in), TRACE_PROCS);
        return -1;
    }
    if (os_spawn(t->os, os_pid) ||
        os_mmap(t->os, os_pid, TRACE_LOW, top - TRACE_LOW, OS_PROT_READ | OS_PROT_WRITE | OS_PROT_EXEC,
                OS_MAP_PRIVATE | OS_MAP_ANON | OS_MAP_FIXED, NULL, 0, &got)) {
        fprintf(stderr, "%s: cannot start process %d (raise os.asids?)\n", t->in[input].path, os_pid);
        return -1;
    }
    t->procs[t->nprocs++] = (tr_proc_t){ input, pid };
    t->cur = 0;
    return os_pid;
}

/* The OS pid of (input, pid), a new process on first sight; -1 after a message. */
static int tracer_proc(tracer_t *t, int input, uint32_t pid)
{
    if (input == t->last_input && pid == t->last_pid)
        return t->last_os_pid;
    for (int i = 0; i < t->nprocs; i++)
        if (t->procs[i].input == input && t->procs[i].pid == pid) {
            t->last_os_pid = i + 1;
            goto found;
        }
    if ((t->last_os_pid = tracer_new_proc(t, input, pid)) < 0)
        return -1;
found:
    t->last_input = input;
    t->last_pid = pid;
    return t->last_os_pid;
}

/* Simulates one record of input on the general path (the OS); 0, or 2 after a message. */
static int tracer_ref(tracer_t *t, int input, const trace_ref_t *r)
{
    int os_pid = tracer_proc(t, input, r->pid);

    if (os_pid < 0)
        return 2;
    if (r->kind == TREF_SFENCE) {
        mmu_sfence_t f = { 1, 1, r->va, 0, 0 };
        t->mach->hw.sfence(t->mach->hw.ctx, &f);
        return 0;
    }
    if (os_access(t->os, os_pid, r->va, (acc_t)r->acc, NULL, r->size)) {
        fprintf(stderr, "%s:%" PRIu64 ": the reference at 0x%llx could not be served\n", t->in[input].path,
                trace_record(t->in[input].in), (unsigned long long)r->va);
        return 2;
    }
    /* the OS switched to os_pid if it was not on the CPU, maybe with a new ASID */
    t->cur = os_pid;
    t->asid = (uint16_t)os_asid(t->os, os_pid);
    return 0;
}

/* Restarts every counter: the end of the warm-up. */
static void tracer_reset(tracer_t *t)
{
    mmu_stats_reset(t->mmu);
    os_stats_reset(t->os);
    t->mmu_base = *mmu_stats(t->mmu);
    t->os_base = *os_stats(t->os);
}

/* Prints the record of the interval that ends now; 0, or 2. */
static int tracer_interval(tracer_t *t)
{
    mmu_stats_t d = *mmu_stats(t->mmu);
    os_stats_t od = *os_stats(t->os);
    uint64_t *dp = (uint64_t *)(void *)&d, *op = (uint64_t *)(void *)&od;
    const uint64_t *bp = (const uint64_t *)(const void *)&t->mmu_base,
                   *obp = (const uint64_t *)(const void *)&t->os_base;
    report_t rep = { "trace", t->names, t->counted - t->interval_start, t->cfg };

    /* both blocks are arrays of counters: the interval's are the differences */
    for (size_t i = 0; i < sizeof d / sizeof *dp; i++)
        dp[i] -= bp[i];
    for (size_t i = 0; i < sizeof od / sizeof *op; i++)
        op[i] -= obp[i];
    t->mmu_base = *mmu_stats(t->mmu);
    t->os_base = *os_stats(t->os);
    t->interval_start = t->counted;
    /* with intervals, JSON is an array of records: the intervals', then the whole run's */
    if (t->o->fmt == STATS_JSON)
        fputs(t->intervals ? "," : "[", t->out);
    t->intervals++;
    return report_print_interval(&rep, t->intervals, t->intervals == 1, &od, &d, t->o->fmt, t->out);
}

/* Reads the next batch of input i; 1, 0 at its end, or -1 after the reader's message. */
static int tracer_fill(tracer_t *t, int i)
{
    tr_input_t *in = &t->in[i];

    in->len = in->done ? 0 : trace_read(in->in, in->buf, TRACE_BATCH);
    in->pos = 0;
    if (in->len > 0)
        return 1;
    in->done = 1;
    return in->len < 0 ? -1 : 0;
}

/* Smaller of a and b. */
static uint64_t tracer_min(uint64_t a, uint64_t b) { return a < b ? a : b; }

/*
 * Accesses that may run before the next event: the end of the warm-up, of
 * an interval, of the run or of the slice, or a progress update.
 */
static uint64_t tracer_budget(const tracer_t *t, uint64_t slice, uint64_t warm_end, uint64_t end)
{
    uint64_t b = tracer_min(slice, end - t->seen);

    if (t->seen < warm_end)
        b = tracer_min(b, warm_end - t->seen);
    if (t->o->interval)
        b = tracer_min(b, t->o->interval - (t->counted - t->interval_start));
    if (t->progress)
        b = tracer_min(b, 0x100000 - (t->seen & 0xfffff));
    return b;
}

/*
 * Books n accesses just simulated (never across an event: tracer_budget)
 * and takes the event they reached; 0, or 2.
 */
static int tracer_account(tracer_t *t, uint64_t n, uint64_t warm_end)
{
    t->seen += n;
    if (t->seen == warm_end && t->o->warmup)
        tracer_reset(t);
    if (t->seen - n >= warm_end)
        t->counted += n;
    if (t->o->interval && t->counted - t->interval_start == t->o->interval && tracer_interval(t))
        return 2;
    if (t->progress && (t->seen & 0xfffff) == 0)
        tracer_progress(t);
    return 0;
}

/*
 * Runs input i for up to slice accesses: runs of L1 hits go to the MMU in
 * one call, the rest one record at a time.  1 when the slice ran out, 0 at
 * the input's end, -1 on a malformed record, 2 after a failed reference.
 */
static int tracer_slice(tracer_t *t, int i, uint64_t slice, uint64_t warm_end, uint64_t end)
{
    const trace_opts_t *o = t->o;
    tr_input_t *in = &t->in[i];
    int rc;

    while (slice && t->seen < end) {
        const trace_ref_t *r;
        int access;
        if (in->pos == in->len && (rc = tracer_fill(t, i)) != 1)
            return rc;
        r = &in->buf[in->pos];
        access = r->kind == TREF_ACCESS;
        if (t->seen < o->skip) {
            in->pos++;
            t->seen += access;
            slice -= access;
            continue;
        }
        if (t->fast && access && t->cur && tracer_proc(t, i, r->pid) == t->cur) {
            uint64_t n = tracer_min(tracer_budget(t, slice, warm_end, end), (uint64_t)(in->len - in->pos));
            size_t done = mmu_translate_refs(t->mmu, r, n, r->pid, t->asid);
            if (done) {
                in->pos += (long)done;
                slice -= done;
                if (tracer_account(t, done, warm_end))
                    return 2;
                continue;
            }
        }
        in->pos++;
        if (tracer_ref(t, i, r))
            return 2;
        if (!access)
            continue;
        slice--;
        if (tracer_account(t, 1, warm_end))
            return 2;
    }
    return 1;
}

/* Runs the inputs round robin, o->quantum accesses at a time; 0, or 2. */
static int tracer_loop(tracer_t *t)
{
    const trace_opts_t *o = t->o;
    uint64_t warm_end = o->skip + o->warmup < o->skip ? UINT64_MAX : o->skip + o->warmup;
    uint64_t end = o->max_refs && o->max_refs <= UINT64_MAX - warm_end ? warm_end + o->max_refs : UINT64_MAX;
    int live = t->nin;

    for (int i = 0; live && t->seen < end; i = (i + 1) % t->nin) {
        int rc;
        if (t->in[i].done && t->in[i].pos == t->in[i].len)
            continue;
        rc = tracer_slice(t, i, t->nin > 1 ? o->quantum : UINT64_MAX, warm_end, end);
        if (rc < 0 || rc == 2)
            return 2;
        live -= rc == 0;
    }
    if (o->interval && t->counted > t->interval_start)
        return tracer_interval(t);
    return 0;
}

/* Opens every input and joins their names; 0, or 2 after a message. */
static int tracer_open(tracer_t *t, char *const *paths, int n)
{
    size_t len = 1;

    t->in = calloc((size_t)n, sizeof *t->in);
    t->procs = calloc(TRACE_PROCS, sizeof *t->procs);
    for (int i = 0; i < n; i++)
        len += strlen(paths[i]) + 1;
    t->names = calloc(len, 1);
    if (!t->in || !t->procs || !t->names) {
        fprintf(stderr, "mmusim: out of memory\n");
        return 2;
    }
    t->nin = n;
    for (int i = 0; i < n; i++) {
        t->in[i].path = paths[i];
        for (int j = 0; j < i; j++)
            if (!strcmp(paths[i], "-") && !strcmp(paths[j], "-")) {
                fprintf(stderr, "mmusim trace: standard input given twice\n");
                return 2;
            }
        if (!(t->in[i].buf = malloc(TRACE_BATCH * sizeof *t->in[i].buf))) {
            fprintf(stderr, "mmusim: out of memory\n");
            return 2;
        }
        if (!(t->in[i].in = trace_open(paths[i], t->o->format)))
            return 2;
        if (i)
            strcat(t->names, ",");
        strcat(t->names, paths[i]);
    }
    return 0;
}

/* Closes the inputs; the run's status rc, or 2 when a decompressor failed. */
static int tracer_close_inputs(tracer_t *t, int rc)
{
    for (int i = 0; i < t->nin; i++) {
        if (t->in[i].in && trace_close(t->in[i].in, !t->in[i].done) && !rc)
            rc = 2;
        t->in[i].in = NULL;
    }
    return rc;
}

/*
 * Runs the traces on mach; fast: mach is the golden model's functional
 * path alone, so a reference may go to the MMU without the OS.
 */
static int tracer_run(char *const *paths, int n, const sim_config_t *cfg, const os_machine_t *mach,
                      const trace_opts_t *o, int fast, FILE *out)
{
    tracer_t t;
    os_hw_t hw = mach->hw;
    int rc;

    memset(&t, 0, sizeof t);
    t.cfg = cfg;
    t.o = o;
    t.mach = mach;
    t.out = out;
    t.mmu = mach->mmu;
    t.last_input = -1;
    if (cfg->os.policy == OSP_OPT) {
        fprintf(stderr, "%s: os.policy = opt needs the future: use mmusim run --refs\n", paths[0]);
        return 2;
    }
    hw.killed = tracer_killed;
    if ((rc = tracer_open(&t, paths, n)))
        goto done;
    if (!(t.os = os_create(cfg, mach->dram, &hw))) {
        fprintf(stderr, "mmusim: out of memory\n");
        rc = 2;
        goto done;
    }
    /* os.policy lru needs every reference's time, so then every reference goes to the OS */
    t.fast = fast && cfg->os.policy != OSP_LRU;
    t.progress = isatty(2);
    clock_gettime(CLOCK_MONOTONIC, &t.t0);
    rc = tracer_close_inputs(&t, tracer_loop(&t));
    if (t.shown)
        fprintf(stderr, "\r%*s\r", 79, "");
    if (!rc) {
        report_t rep = { "trace", t.names, t.counted, cfg };
        if (o->fmt == STATS_TABLE)
            fprintf(out, "%s: %" PRIu64 " references\n", t.names, t.counted);
        if (!o->interval) {
            rc = report_print(&rep, t.os, t.mmu, o->fmt, out);
        } else {
            /* record 0, the whole run, with the intervals' columns so that CSV stays one table */
            if (o->fmt == STATS_JSON)
                fputs(t.intervals ? "," : "[", out);
            rc = report_print_interval(&rep, 0, t.intervals == 0, os_stats(t.os), mmu_stats(t.mmu), o->fmt, out);
            if (o->fmt == STATS_JSON)
                fputs("]\n", out);
        }
    }
done:
    rc = tracer_close_inputs(&t, rc);
    for (int i = 0; i < t.nin; i++)
        free(t.in[i].buf);
    free(t.in);
    free(t.procs);
    free(t.names);
    os_destroy(t.os);
    return rc;
}

int trace_run_on(char *const *paths, int n, const sim_config_t *cfg, const os_machine_t *mach,
                 const trace_opts_t *o, FILE *out)
{
    return tracer_run(paths, n, cfg, mach, o, 0, out);
}

int trace_run(char *const *paths, int n, const sim_config_t *cfg, const trace_opts_t *o, FILE *out)
{
    os_model_machine_t mm;
    int rc;

    if (os_model_machine_create(&mm, cfg, o->cycle_level)) {
        fprintf(stderr, "mmusim: out of memory\n");
        return 2;
    }
    rc = tracer_run(paths, n, cfg, &mm.m, o, !o->cycle_level, out);
    os_model_machine_destroy(&mm);
    return rc;
}
