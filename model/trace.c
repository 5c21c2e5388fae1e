/*
 * trace.c - `mmusim trace FILE`: a valgrind lackey memory trace through the
 * MMU (docs/traces.md).
 *
 * The trace's program had its own page tables, which the trace does not
 * record, so this runner builds Sv39/Sv48 tables on first touch: each
 * page fault maps the 4 KiB page (user, read/write/execute, A and D clear)
 * in frames taken in order from DRAM, or sets A/D under svade, fences the
 * page and replays the reference.  This is a stand-in pager for studies of
 * the MMU alone; the operating-system issue replaces it with csrc/.
 */
#define _POSIX_C_SOURCE 200809L
#include "trace.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "memport.h"
#include "panic.h"
#include "parse.h"

/* A reference needs at most: walk fault, A/D fault, then the translation. */
#define MAX_REPLAYS 4
#define TRACE_ASID 1

typedef struct {
    const sim_config_t *cfg;
    dram_t *dram;
    mmu_t *mmu;
    memport_t port;
    int cycle_level;
    uint64_t next_frame;   /* physical address of the next free frame */
    uint64_t frames;       /* frames handed out */
    uint64_t refs;
} tracer_t;

/* Allocates a zeroed frame; 0 when DRAM is exhausted. */
static uint64_t tracer_frame(tracer_t *t)
{
    uint64_t pa = t->next_frame;

    if (pa - t->cfg->dram.base >= t->cfg->dram.size)
        return 0;
    t->next_frame += PAGE_SIZE;
    t->frames++;
    return pa;
}

/*
 * Handles a page fault on va: maps the page, or sets A (and D on a store)
 * under svade.  Returns 0, or -1 when DRAM has no frame left.
 */
static int tracer_fault(tracer_t *t, uint64_t va, acc_t acc)
{
    const mmu_csr_t *csr = mmu_csr(t->mmu);
    uint64_t table = csr->root_ppn << PAGE_SHIFT, pte = 0, addr = 0;

    for (int level = vm_levels(csr->mode) - 1; level >= 0; level--) {
        addr = table + vm_vpn_index(va, level) * PTE_SIZE;
        if (dram_read64(t->dram, addr, &pte))
            panic("page table at %#llx outside DRAM", (unsigned long long)addr);
        if (!(pte & PTE_V)) {
            uint64_t frame = tracer_frame(t);
            if (!frame)
                return -1;
            pte = PTE_MAKE(frame >> PAGE_SHIFT, PTE_V | (level ? 0 : PTE_R | PTE_W | PTE_X | PTE_U));
            dram_write64(t->dram, addr, pte);
        }
        table = PTE_PPN(pte) << PAGE_SHIFT;
    }
    if (t->cfg->ad == AD_SVADE)
        dram_write64(t->dram, addr, pte | PTE_A | (acc == ACC_STORE ? PTE_D : 0));
    return 0;
}

/* One reference through the MMU, handling faults; 0, or -1 with *why set. */
static int tracer_ref(tracer_t *t, uint64_t va, acc_t acc, const char **why)
{
    mmu_req_t req = { va, acc, PRIV_U, TRACE_ASID, 0 };
    mmu_sfence_t fence = { 1, 1, va, 1, TRACE_ASID };
    mmu_resp_t resp;

    for (int i = 0; i < MAX_REPLAYS; i++) {
        fault_t f = t->cycle_level ? memport_translate(&t->port, t->mmu, &req, &resp)
                                   : mmu_translate(t->mmu, &req, &resp);
        if (f == FAULT_NONE)
            return 0;
        if (f != fault_page(acc) || !vm_canonical(va, vm_levels(t->cfg->mode))) {
            *why = f == fault_page(acc) ? "address is not canonical (try --set mode=sv48)"
                                        : "access fault";
            return -1;
        }
        if (tracer_fault(t, va, acc)) {
            *why = "simulated DRAM has no free frame (raise dram.size)";
            return -1;
        }
        if (t->cycle_level)
            memport_sfence(&t->port, t->mmu, &fence);
        else
            mmu_sfence(t->mmu, &fence);
        req.replay = 1;
    }
    panic("va %#llx still faulting after %d replays", (unsigned long long)va, MAX_REPLAYS);
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

    while (fgets(line, sizeof line, in)) {
        uint64_t va, size;
        acc_t acc[2];
        const char *why = NULL;
        int n;

        lineno++;
        n = tracer_parse(line, &va, acc, &size);
        if (n < 0) {
            fprintf(stderr, "%s:%lu: not a lackey line (expected 'I|L|S|M ADDR,SIZE')\n", path, lineno);
            return 2;
        }
        for (int i = 0; i < n; i++) {
            uint64_t last = (va + size - 1) & ~(PAGE_SIZE - 1);
            for (uint64_t page = va & ~(PAGE_SIZE - 1);; page += PAGE_SIZE) {
                if (tracer_ref(t, page == (va & ~(PAGE_SIZE - 1)) ? va : page, acc[i], &why)) {
                    fprintf(stderr, "%s:%lu: %s at 0x%llx\n", path, lineno, why, (unsigned long long)va);
                    return 2;
                }
                t->refs++;
                if (page == last)
                    break;
            }
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

int trace_run(const char *path, const sim_config_t *cfg, int cycle_level, stats_format_t fmt, FILE *out)
{
    tracer_t t;
    mmu_csr_t csr = { cfg->mode, 0, 0, 0 };
    FILE *in;
    int rc = 2, piped = 0;
    size_t len = strlen(path);

    memset(&t, 0, sizeof t);
    t.cfg = cfg;
    t.cycle_level = cycle_level;
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
    t.dram = dram_create(cfg->dram.base, cfg->dram.size);
    t.mmu = t.dram ? mmu_create(cfg, t.dram) : NULL;
    if (!t.mmu || (cycle_level && memport_init(&t.port, t.dram, &cfg->dram, 100, 1))) {
        fprintf(stderr, "mmusim: out of memory\n");
        goto done;
    }
    t.next_frame = cfg->dram.base;
    csr.root_ppn = tracer_frame(&t) >> PAGE_SHIFT;
    mmu_set_csr(t.mmu, &csr);
    rc = tracer_run(&t, in, path);
    if (piped && pclose(in) != 0 && rc == 0) {
        fprintf(stderr, "%s: gzip -dc failed\n", path);
        rc = 2;
    }
    in = NULL;
    if (rc == 0) {
        if (fmt == STATS_TABLE)
            fprintf(out, "%s: %llu references, %llu frames mapped (page tables included)\n", path,
                    (unsigned long long)t.refs, (unsigned long long)t.frames);
        stats_print(t.mmu, fmt, out);
    }
done:
    if (in)
        piped ? pclose(in) : fclose(in);
    if (cycle_level && t.mmu)
        memport_fini(&t.port);
    mmu_destroy(t.mmu);
    dram_destroy(t.dram);
    return rc;
}
