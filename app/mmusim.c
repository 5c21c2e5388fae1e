/*
 * mmusim.c - the command line of mmusim: each command is a function; the
 * options are app/cli.c's.  Exit status: 0 success, 1 a check failed, 2 bad
 * input or usage.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "convert.h"
#include "vectors.h"

/*
 * Prints the parameters of rtl/mmu_top.v for cfg, one Verilator -G option a
 * line, with the C enums' values as the codes.  The DRAM range and the A/D
 * policy are inputs of the RTL and the DRAM timing belongs to the memory
 * side, so none of them is a parameter.  A split L1's data side gets its
 * own geometry (-GL1DEntries/-GL1DWays, resolved: never 0 when split).
 */
static void write_rtl_params(const sim_config_t *c, FILE *out)
{
    /* the data L1's geometry, resolved (tlb.l1d.* or tlb.l1's); 0 and 0 when not split */
    assoc_cfg_t l1d = config_l1d(c);
    const struct { const char *name; const assoc_cfg_t *a; } st[] = {
        { "L1", &c->l1 }, { "L2", &c->l2 }, { "Pwc", &c->pwc },
    };

    fprintf(out, "-GLevels=%d\n", vm_levels(c->mode));
    for (size_t i = 0; i < sizeof st / sizeof *st; i++)
        fprintf(out, "-G%sEntries=%u\n-G%sWays=%u\n-G%sPolicy=%d\n-G%sLatency=%u\n-G%sSeed=%u\n",
                st[i].name, st[i].a->entries, st[i].name, st[i].a->ways, st[i].name, (int)st[i].a->policy,
                st[i].name, st[i].a->latency, st[i].name, (unsigned)st[i].a->seed);
    fprintf(out, "-GL1Split=%d\n", c->l1_split);
    fprintf(out, "-GL1DEntries=%u\n-GL1DWays=%u\n", c->l1_split ? l1d.entries : 0, c->l1_split ? l1d.ways : 0);
}

/* `mmusim run FILE`: parse all of it, then run it. */
static int run_workload(const char *path, const cli_opts_t *o)
{
    workload_t w;
    sim_config_t cfg;
    int rc = cli_load_workload(path, o, &w, &cfg);

    if (rc)
        return rc;
    rc = wl_run(&w, &cfg, o->cycle_level, o->check, o->stats, path, stdout);
    wl_free(&w);
    return rc;
}

int main(int argc, char **argv)
{
    static cli_opts_t o; /* large: its word lists */
    const char *cmd;
    char **args;
    int n = cli_parse("mmusim", NULL, argc, argv, &o, &cmd, &args), rc = 0;

    if (n < 0)
        return n == -2 ? 0 : 2;
    if (!strcmp(cmd, "config")) {
        if (n) {
            fprintf(stderr, "mmusim config: unexpected argument '%s'\n", args[0]);
            return 2;
        }
        if (o.keys)
            config_write_keys(stdout);
        else if (o.rtl_params)
            write_rtl_params(&o.cfg, stdout);
        else
            config_write(&o.cfg, stdout);
        return 0;
    }
    if (!strcmp(cmd, "sweep")) {
        for (int i = 0; i < n; i++)
            if (cli_push_word(o.traces, &o.sweep.ntraces, args[i]))
                return 2;
        o.sweep.self = argv[0];
        return sweep_run(&o.sweep);
    }
    if (!strcmp(cmd, "merge"))
        return n ? merge_run(args, n, o.sweep.out) : (fprintf(stderr, "mmusim merge: expected JSON...\n"), 2);
    if (!strcmp(cmd, "convert")) {
        trace_format_t to = TF_AUTO;
        if (n != 2) {
            fprintf(stderr, "mmusim convert: expected IN OUT\n");
            return 2;
        }
        if (o.to)
            trace_format_parse(o.to, &to);
        return trace_convert(args[0], o.trace.format, args[1], to);
    }
    if (!strcmp(cmd, "trace")) {
        o.trace.fmt = o.stats;
        return trace_run(args, n, &o.cfg, &o.trace, stdout);
    }
    if (!strcmp(cmd, "run"))
        return run_workload(args[0], &o);
    for (int i = 0; i < n; i++) {
        int r = vectors_run(args[i], &o.cfg, o.cycle_level, stdout);
        if (r > rc)
            rc = r;
        if (r == 2)
            break;
    }
    return rc;
}
