/*
 * trace.c - `mmusim trace FILE`: a valgrind lackey memory trace through the
 * MMU (docs/traces.md).
 *
 * The trace's program had its own page tables, which the trace does not
 * record.  It runs here as process 1 of the operating-system side (csrc/)
 * with one private anonymous area over the whole user address space: the
 * real fault handler demand-zeroes each page on first touch, sets A/D under
 * svade, and swaps under os.user_frames pressure.
 */
#define _POSIX_C_SOURCE 200809L
#include "trace.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "os_hw.h"
#include "parse.h"
#include "workload.h"

#define TRACE_PID 1
/* Where the area starts: page 0 and its neighbours stay unmapped, as on Linux. */
#define TRACE_LOW 0x10000ULL

typedef struct {
    const sim_config_t *cfg;
    const os_machine_t *mach;
    os_t *os;
    uint64_t refs, max_refs;
    uint8_t buf[4096];
} tracer_t;

/* os_hw_t.killed: the traced process can only die of an access outside its area or of OOM. */
static void tracer_killed(void *user, int pid, os_kill_t why, uint64_t va)
{
    (void)user;
    (void)pid;
    fprintf(stderr, "mmusim: traced process killed by %s at 0x%llx%s\n", os_kill_name(why), (unsigned long long)va,
            why == OS_KILL_OOM ? " (raise os.user_frames or swap.slots)" : " (address outside user space: try --set mode=sv48)");
}

/*
 * Parses one lackey line into up to two references (M is a load then a
 * store).  Returns the count, 0 for a line to skip, -1 for a malformed one.
 */
static int tracer_parse(char *line, uint64_t *va, acc_t acc[2], uint64_t *size)
{
    char *comma, *p = line, kind;

    if (!strncmp(line, "==", 2) || line[0] == '\n' || line[0] == '#')
        return 0;
    while (*p == ' ')
        p++;
    kind = p[0];
    switch (kind) {
    case 'I': acc[0] = ACC_FETCH; break;
    case 'L': acc[0] = ACC_LOAD; break;
    case 'S': acc[0] = ACC_STORE; break;
    case 'M': acc[0] = ACC_LOAD; acc[1] = ACC_STORE; break;
    default: return -1;
    }
    if (p[1] != ' ')
        return -1;
    p += 2;
    while (*p == ' ')
        p++;
    comma = strchr(p, ',');
    if (!comma)
        return -1;
    *comma = '\0';
    comma[1 + strcspn(comma + 1, "\r\n")] = '\0';
    {
        char hex[32];
        if (strlen(p) > 16)
            return -1;
        snprintf(hex, sizeof hex, "0x%s", p);
        if (parse_u64(hex, va) || parse_u64(comma + 1, size) || *size == 0 || *size > 4096)
            return -1;
    }
    return kind == 'M' ? 2 : 1;
}

/* Runs every reference of in; returns 0, or 2 after reporting path:line. */
static int tracer_run(tracer_t *t, FILE *in, const char *path)
{
    char line[256];
    unsigned long lineno = 0;
    int progress = isatty(2);

    while (t->refs < t->max_refs && fgets(line, sizeof line, in)) {
        uint64_t va, size;
        acc_t acc[2];
        int n;

        lineno++;
        n = tracer_parse(line, &va, acc, &size);
        if (n < 0) {
            fprintf(stderr, "%s:%lu: not a lackey line (expected 'I|L|S|M ADDR,SIZE')\n", path, lineno);
            return 2;
        }
        for (int i = 0; i < n && t->refs < t->max_refs; i++) {
            if (os_access(t->os, TRACE_PID, va, acc[i], t->buf, size)) {
                fprintf(stderr, "%s:%lu: the reference at 0x%llx could not be served\n", path, lineno,
                        (unsigned long long)va);
                return 2;
            }
            t->refs++;
        }
        if (progress && (lineno & 0xfffff) == 0)
            fprintf(stderr, "\r%s: %lu lines", path, lineno);
    }
    if (progress)
        fprintf(stderr, "\r%*s\r", 60, "");
    if (ferror(in)) {
        fprintf(stderr, "%s: read error\n", path);
        return 2;
    }
    return 0;
}

/* Process 1 with one area over all of user space, as the traced program's memory. */
static int tracer_start(tracer_t *t)
{
    uint64_t top = 1ULL << (PAGE_SHIFT + VPN_BITS * vm_levels(t->cfg->mode) - 1), got;
    os_hw_t hw = t->mach->hw;

    hw.killed = tracer_killed;
    if (!(t->os = os_create(t->cfg, t->mach->dram, &hw)))
        return -1;
    return os_spawn(t->os, TRACE_PID) ||
           os_mmap(t->os, TRACE_PID, TRACE_LOW, top - TRACE_LOW, OS_PROT_READ | OS_PROT_WRITE | OS_PROT_EXEC,
                   OS_MAP_PRIVATE | OS_MAP_ANON | OS_MAP_FIXED, NULL, 0, &got)
               ? -1
               : 0;
}

int trace_run_on(const char *path, const sim_config_t *cfg, const os_machine_t *mach, uint64_t max_refs,
                 stats_format_t fmt, FILE *out)
{
    static tracer_t t;
    FILE *in;
    int rc = 2, piped = 0;
    size_t len = strlen(path);

    memset(&t, 0, sizeof t);
    t.cfg = cfg;
    t.mach = mach;
    t.max_refs = max_refs;
    if (cfg->os.policy == OSP_OPT) {
        fprintf(stderr, "%s: os.policy = opt needs the future: use mmusim run --refs\n", path);
        return 2;
    }
    if (len > 3 && !strcmp(path + len - 3, ".gz")) {
        char cmd[4200];
        if (access(path, R_OK)) {
            fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
            return 2;
        }
        if (strchr(path, '\'') || len > 4000) {
            fprintf(stderr, "%s: unsupported file name\n", path);
            return 2;
        }
        snprintf(cmd, sizeof cmd, "gzip -dc '%s'", path);
        in = popen(cmd, "r");
        piped = 1;
    } else {
        in = fopen(path, "r");
    }
    if (!in) {
        fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
        return 2;
    }
    if (tracer_start(&t)) {
        fprintf(stderr, "mmusim: out of memory\n");
        goto done;
    }
    rc = tracer_run(&t, in, path);
    /* a prefix (max_refs) leaves gzip writing into a closed pipe: not an error */
    if (piped && t.refs < max_refs) {
        int st = pclose(in);
        if (st != 0 && rc == 0) {
            fprintf(stderr, "%s: gzip -dc failed\n", path);
            rc = 2;
        }
        in = NULL;
    }
    if (rc == 0) {
        if (fmt == STATS_TABLE)
            fprintf(out, "%s: %llu references\n", path, (unsigned long long)t.refs);
        wl_stats_print(t.os, mach->mmu, fmt, out);
    }
done:
    if (in)
        piped ? pclose(in) : fclose(in);
    os_destroy(t.os);
    return rc;
}

int trace_run(const char *path, const sim_config_t *cfg, int cycle_level, stats_format_t fmt, FILE *out)
{
    os_model_machine_t mm;
    int rc;

    if (os_model_machine_create(&mm, cfg, cycle_level)) {
        fprintf(stderr, "mmusim: out of memory\n");
        return 2;
    }
    rc = trace_run_on(path, cfg, &mm.m, UINT64_MAX, fmt, out);
    os_model_machine_destroy(&mm);
    return rc;
}
