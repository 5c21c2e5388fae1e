/*
 * mmusim.c - the command line.  All option knowledge is in one table;
 * each command is a function.  Exit status: 0 success, 1 a check failed,
 * 2 bad input or usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "stats.h"
#include "trace.h"
#include "vectors.h"
#include "workload.h"

typedef struct {
    sim_config_t cfg;
    stats_format_t stats;
    int cycle_level;
    int keys;
    int rtl_params;
    int refs;
    int check;
    char set_keys[64][64];  /* keys given with --set: they override a workload's set lines */
    int nset_keys;
} opts_t;

typedef struct {
    const char *name;
    const char *arg;        /* NULL: a flag */
    const char *help;
    const char *commands;   /* which commands take it */
} option_t;

static const option_t options[] = {
    { "--config", "FILE", "read a configuration file (docs/config.md)", "all" },
    { "--set", "KEY=VALUE", "override one key; repeatable, applied after --config in order", "all" },
    { "--stats", "table|json|csv|none", "statistics format (default table)", "trace, run" },
    { "--cycle", NULL, "drive the cycle-level ports instead of the functional path", "vectors, trace, run" },
    { "--refs", NULL, "FILE is a page-reference string, not a workload", "run" },
    { "--check", NULL, "check every OS invariant after each command (slow)", "run" },
    { "--keys", NULL, "list every key with its type, default and help", "config" },
    { "--rtl-params", NULL, "print the Verilator -G options that build rtl/ for the configuration", "config" },
    { "--help", NULL, "this help (also -h)", "all" },
};

typedef struct {
    const char *name;
    const char *args;
    const char *help;
} command_t;

static const command_t commands[] = {
    { "vectors", "FILE...", "run translation vectors, check expectations (docs/vectors.md)" },
    { "trace", "FILE", "run a valgrind lackey trace (.gz ok) and print statistics (docs/traces.md)" },
    { "run", "FILE", "run a multi-process workload through the OS and the MMU (docs/workload.md)" },
    { "config", "", "print the resolved configuration (or --keys: every key)" },
};

/* 1 when option o is taken by command cmd (its list is "all" or names cmd). */
static int option_takes(const option_t *o, const char *cmd)
{
    size_t n = strlen(cmd);

    if (!strcmp(o->commands, "all"))
        return 1;
    for (const char *p = o->commands; (p = strstr(p, cmd)); p += n)
        if ((p == o->commands || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
            return 1;
    return 0;
}

/* The command table entry named name, or NULL. */
static const command_t *find_command(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (!strcmp(name, commands[i].name))
            return &commands[i];
    return NULL;
}

/* Prints the usage text of command c, or of every command when c is NULL. */
static void usage(FILE *f, const command_t *c)
{
    if (c)
        fprintf(f, "usage: mmusim %s [OPTIONS]%s%s\n  %s\n", c->name, *c->args ? " " : "", c->args, c->help);
    else {
        fprintf(f, "usage: mmusim COMMAND [OPTIONS] [ARGS]   (mmusim COMMAND -h: one command)\n\ncommands:\n");
        for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
            fprintf(f, "  %-8s %-8s %s\n", commands[i].name, commands[i].args, commands[i].help);
    }
    fprintf(f, "\noptions:\n");
    for (size_t i = 0; i < sizeof options / sizeof *options; i++) {
        char head[40];
        if (c && !option_takes(&options[i], c->name))
            continue;
        snprintf(head, sizeof head, "%s%s%s", options[i].name, options[i].arg ? " " : "",
                 options[i].arg ? options[i].arg : "");
        fprintf(f, "  %-28s %s", head, options[i].help);
        fprintf(f, c ? "\n" : " (%s)\n", options[i].commands);
    }
    fprintf(f, "\nexit status: 0 ok, 1 a check failed, 2 bad input or usage\n"
               "docs: docs/config.md docs/vectors.md docs/traces.md docs/workload.md docs/os.md\n"
               "      docs/timing.md docs/stats.md\n");
}

/* The option table entry for arg, or NULL; -h is --help. */
static const option_t *find_option(const char *arg)
{
    if (!strcmp(arg, "-h"))
        arg = "--help";
    for (size_t i = 0; i < sizeof options / sizeof *options; i++)
        if (!strcmp(arg, options[i].name))
            return &options[i];
    return NULL;
}

/*
 * Parses options of cmd from argv, moving positional arguments to the
 * front of argv.  Returns the positional count, or -1 (message printed)
 * on bad usage, or -2 after printing help.
 */
static int parse_options(const char *cmd, int argc, char **argv, opts_t *o)
{
    char err[512];
    int npos = 0;

    config_defaults(&o->cfg);
    o->stats = STATS_TABLE;
    for (int i = 0; i < argc; i++) {
        const option_t *opt;
        const char *val;
        if (argv[i][0] != '-' || !strcmp(argv[i], "-")) {
            argv[npos++] = argv[i];
            continue;
        }
        opt = find_option(argv[i]);
        if (!opt || !option_takes(opt, cmd)) {
            fprintf(stderr, "mmusim %s: unknown option '%s' (see mmusim %s --help)\n", cmd, argv[i], cmd);
            return -1;
        }
        if (!strcmp(opt->name, "--help")) {
            usage(stdout, find_command(cmd));
            return -2;
        }
        if (!opt->arg) {
            *(!strcmp(opt->name, "--cycle") ? &o->cycle_level
              : !strcmp(opt->name, "--refs") ? &o->refs
              : !strcmp(opt->name, "--check") ? &o->check
              : !strcmp(opt->name, "--keys")  ? &o->keys
                                              : &o->rtl_params) = 1;
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "mmusim %s: %s needs %s\n", cmd, opt->name, opt->arg);
            return -1;
        }
        val = argv[++i];
        if (!strcmp(opt->name, "--set") && o->nset_keys < 64)
            snprintf(o->set_keys[o->nset_keys++], sizeof o->set_keys[0], "%.*s", (int)strcspn(val, "="), val);
        if (!strcmp(opt->name, "--config") ? config_load(&o->cfg, val, err, sizeof err)
            : !strcmp(opt->name, "--set")  ? config_set_assignment(&o->cfg, val, err, sizeof err)
                                           : stats_parse_format(val, &o->stats)) {
            if (!strcmp(opt->name, "--stats"))
                snprintf(err, sizeof err, "--stats: '%s' is not one of table, json, csv, none", val);
            fprintf(stderr, "%s%s\n", strcmp(opt->name, "--set") ? "" : "--set: ", err);
            return -1;
        }
    }
    if (config_validate(&o->cfg, err, sizeof err)) {
        fprintf(stderr, "mmusim %s: invalid configuration: %s\n", cmd, err);
        return -1;
    }
    return npos;
}

/*
 * Prints the parameters of rtl/mmu_top.v for cfg, one Verilator -G option a
 * line, with the C enums' values as the codes.  The DRAM range and the A/D
 * policy are inputs of the RTL and the DRAM timing belongs to the memory
 * side, so none of them is a parameter.
 */
static void write_rtl_params(const sim_config_t *c, FILE *out)
{
    const struct { const char *name; const assoc_cfg_t *a; } st[] = {
        { "L1", &c->l1 }, { "L2", &c->l2 }, { "Pwc", &c->pwc },
    };

    fprintf(out, "-GLevels=%d\n", vm_levels(c->mode));
    for (size_t i = 0; i < sizeof st / sizeof *st; i++)
        fprintf(out, "-G%sEntries=%u\n-G%sWays=%u\n-G%sPolicy=%d\n-G%sLatency=%u\n-G%sSeed=%u\n",
                st[i].name, st[i].a->entries, st[i].name, st[i].a->ways, st[i].name, (int)st[i].a->policy,
                st[i].name, st[i].a->latency, st[i].name, (unsigned)st[i].a->seed);
    fprintf(out, "-GL1Split=%d\n", c->l1_split);
}

/* `mmusim run FILE`: parse all of it, then run it. */
static int run_workload(const char *path, const opts_t *o)
{
    workload_t w;
    sim_config_t cfg = o->cfg;
    const char *skip[64];
    int rc = o->refs ? wl_parse_refs(path, &w) : wl_parse(path, &w);

    for (int i = 0; i < o->nset_keys; i++)
        skip[i] = o->set_keys[i];
    if (!rc)
        rc = wl_configure(&w, path, skip, o->nset_keys, &cfg);
    if (!rc)
        rc = wl_run(&w, &cfg, o->cycle_level, o->check, o->stats, path, stdout);
    wl_free(&w);
    return rc;
}

int main(int argc, char **argv)
{
    opts_t o;
    const char *cmd;
    int n, rc = 0;

    memset(&o, 0, sizeof o);
    if (argc < 2) {
        usage(stderr, NULL);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        if (argc > 2 && !find_command(argv[2])) {
            fprintf(stderr, "mmusim help: unknown command '%s' (commands: vectors trace run config)\n", argv[2]);
            return 2;
        }
        usage(stdout, argc > 2 ? find_command(argv[2]) : NULL);
        return 0;
    }
    cmd = argv[1];
    if (!find_command(cmd)) {
        fprintf(stderr, "mmusim: unknown command '%s'\n", cmd);
        usage(stderr, NULL);
        return 2;
    }
    n = parse_options(cmd, argc - 2, argv + 2, &o);
    if (n < 0)
        return n == -2 ? 0 : 2;
    argv += 2;
    if (!strcmp(cmd, "config")) {
        if (n) {
            fprintf(stderr, "mmusim config: unexpected argument '%s'\n", argv[0]);
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
    if (n == 0 || (strcmp(cmd, "vectors") && n != 1)) {
        fprintf(stderr, "mmusim %s: expected %s\n", cmd, strcmp(cmd, "vectors") ? "one FILE" : "FILE...");
        return 2;
    }
    if (!strcmp(cmd, "trace"))
        return trace_run(argv[0], &o.cfg, o.cycle_level, o.stats, stdout);
    if (!strcmp(cmd, "run"))
        return run_workload(argv[0], &o);
    for (int i = 0; i < n; i++) {
        int r = vectors_run(argv[i], &o.cfg, o.cycle_level, stdout);
        if (r > rc)
            rc = r;
        if (r == 2)
            break;
    }
    return rc;
}
