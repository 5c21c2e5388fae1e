/*
 * bench.c - `make bench`: translations per second of the functional path
 * on a TLB-hit-dominated and a walk-dominated stream, and of the
 * cycle-level path.  Each figure is the median of five runs (the machine
 * is shared and noisy); callgrind gives repeatable instruction counts.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "bench_map.h"
#include "config.h"
#include "memport.h"
#include "mmu.h"

#define RUNS 5
#define PAGES 8192 /* mapped 4 KiB pages, all under one 32 MiB region */

typedef struct {
    sim_config_t cfg;
    dram_t *dram;
    mmu_t *mmu;
    memport_t port;
} bench_t;

static void bench_setup(bench_t *b)
{
    mmu_csr_t csr = { VM_SV39, 0, 0, 0 };
    config_defaults(&b->cfg);
    b->dram = dram_create(b->cfg.dram.base, b->cfg.dram.size);
    b->mmu = mmu_create(&b->cfg, b->dram);
    if (!b->mmu || memport_init(&b->port, b->dram, &b->cfg.dram, 100, 1)) {
        fprintf(stderr, "bench: out of memory\n");
        exit(1);
    }
    csr.root_ppn = b->cfg.dram.base >> 12;
    bench_map(b->dram, b->cfg.dram.base, PAGES);
    mmu_set_csr(b->mmu, &csr);
}

static void bench_teardown(bench_t *b)
{
    memport_fini(&b->port);
    mmu_destroy(b->mmu);
    dram_destroy(b->dram);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/*
 * Runs n requests, returns translations/s.  Request i is at page
 * (i * stride) mod span (stride < span), offset i & 0xff8, and is a store
 * when i mod 3 = 2, else a load.  The page and the access type are stepped
 * rather than divided out: at 100 M/s a division per request would be a
 * visible part of what is timed.
 */
static double bench_stream(uint64_t n, uint64_t span, uint64_t stride, int cycle_level, uint64_t *walks)
{
    bench_t b;
    mmu_resp_t resp;
    mmu_req_t req = { 0, ACC_LOAD, PRIV_S, 1, 0 };
    uint64_t page = 0;
    unsigned phase = 0; /* i mod 3 */
    double t0;

    if (stride >= span) {
        fprintf(stderr, "bench: stride %llu not below span %llu\n", (unsigned long long)stride,
                (unsigned long long)span);
        exit(1);
    }
    bench_setup(&b);
    t0 = now_s();
    for (uint64_t i = 0; i < n; i++) {
        req.va = page << 12 | (i & 0xff8);
        req.acc = phase == 2 ? ACC_STORE : ACC_LOAD;
        page = page + stride >= span ? page + stride - span : page + stride;
        phase = phase == 2 ? 0 : phase + 1;
        if (cycle_level)
            memport_translate(&b.port, b.mmu, &req, &resp);
        else
            mmu_translate(b.mmu, &req, &resp);
        if (resp.fault != FAULT_NONE) {
            fprintf(stderr, "bench: unexpected fault at %#llx\n", (unsigned long long)req.va);
            exit(1);
        }
    }
    t0 = now_s() - t0;
    *walks = mmu_stats(b.mmu)->walks;
    bench_teardown(&b);
    return (double)n / t0;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Prints the median and range of RUNS runs of one stream. */
static void bench_report(const char *name, uint64_t n, uint64_t span, uint64_t stride, int cycle_level)
{
    double r[RUNS];
    uint64_t walks = 0;
    for (int i = 0; i < RUNS; i++)
        r[i] = bench_stream(n, span, stride, cycle_level, &walks);
    qsort(r, RUNS, sizeof *r, cmp);
    printf("%-34s %8.1f M/s  (min %.1f, max %.1f; %.1f%% of requests walk)\n", name, r[RUNS / 2] / 1e6,
           r[0] / 1e6, r[RUNS - 1] / 1e6, 100.0 * (double)walks / (double)n);
}

int main(int argc, char **argv)
{
    uint64_t walks;

    /* `bench hit N` / `bench walk N`: one run, for valgrind --tool=callgrind. */
    if (argc == 3) {
        uint64_t n = strtoull(argv[2], NULL, 10);
        int walk = argv[1][0] == 'w';
        printf("%.1f M/s\n", bench_stream(n, walk ? PAGES : 16, walk ? 97 : 1, 0, &walks) / 1e6);
        return 0;
    }
    printf("mmusim bench: default config (32-entry FA LRU L1, no L2/PWC, fixed DRAM), median of %d runs\n", RUNS);
    bench_report("functional, TLB-hit-dominated", 50000000, 16, 1, 0);
    bench_report("functional, walk-dominated", 5000000, PAGES, 97, 0);
    bench_report("cycle-level, TLB-hit-dominated", 5000000, 16, 1, 1);
    bench_report("cycle-level, walk-dominated", 1000000, PAGES, 97, 1);
    return 0;
}
