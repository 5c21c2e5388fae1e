/*
 * cli.c - the command line of mmusim and mmusim-sc.  All option knowledge
 * is in one table; a program takes a subset of the commands, and its help
 * shows only what they take.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "parse.h"

typedef enum {
    OPT_CONFIG, OPT_SET, OPT_STATS, OPT_CYCLE, OPT_FORMAT, OPT_TO, OPT_SKIP, OPT_WARMUP, OPT_MAX_REFS,
    OPT_INTERVAL, OPT_QUANTUM, OPT_TRACE, OPT_VARY, OPT_JOBS, OPT_OUTPUT, OPT_JOBS_FILE, OPT_OUT_DIR,
    OPT_REFS, OPT_CHECK, OPT_KEYS, OPT_RTL_PARAMS, OPT_HELP
} option_id_t;

typedef struct {
    option_id_t id;
    const char *name;
    const char *arg;        /* NULL: a flag */
    const char *help;
    const char *commands;   /* which commands take it */
    int pass;               /* sweep hands it to every run */
} option_t;

static const option_t options[] = {
    { OPT_CONFIG, "--config", "FILE", "read a configuration file (docs/config.md)",
      "vectors, trace, run, sweep, config", 1 },
    { OPT_SET, "--set", "KEY=VALUE", "override one key; repeatable, applied after --config in order",
      "vectors, trace, run, sweep, config", 1 },
    { OPT_STATS, "--stats", "table|json|csv|none", "statistics format (default table)", "trace, run", 0 },
    { OPT_CYCLE, "--cycle", NULL, "drive the cycle-level ports instead of the functional path",
      "vectors, trace, run, sweep", 1 },
    { OPT_FORMAT, "--format", "FMT", "trace format: lackey, din, champsim, cloudsuite, mmt (default: guessed)",
      "trace, convert, sweep", 1 },
    { OPT_TO, "--to", "FMT", "output format: lackey, din, mmt (default: from OUT's name)", "convert", 0 },
    { OPT_SKIP, "--skip", "N", "read past the first N references without simulating them", "trace, sweep", 1 },
    { OPT_WARMUP, "--warmup", "N", "simulate N references, then restart the statistics", "trace, sweep", 1 },
    { OPT_MAX_REFS, "--max-refs", "N", "stop after N counted references (after skip and warm-up)",
      "trace, sweep", 1 },
    { OPT_INTERVAL, "--interval", "N", "also print a record of every N counted references", "trace", 0 },
    { OPT_QUANTUM, "--quantum", "N", "several traces: N references of one, then the next (default 10000)",
      "trace, sweep", 1 },
    { OPT_TRACE, "--trace", "FILE", "a trace to run every configuration on; repeatable", "sweep", 0 },
    { OPT_VARY, "--vary", "KEY=V1,V2,...", "values of one key; the sweep runs the cross product", "sweep", 0 },
    { OPT_JOBS, "-j", "N", "runs at a time (default: every core)", "sweep", 0 },
    { OPT_OUTPUT, "-o", "FILE", "write the CSV to FILE instead of standard output", "sweep, merge", 0 },
    { OPT_JOBS_FILE, "--jobs-file", "FILE", "write the runs as shell commands instead (needs --out)", "sweep", 0 },
    { OPT_OUT_DIR, "--out", "DIR", "where the jobs file's runs write their JSON records", "sweep", 0 },
    { OPT_REFS, "--refs", NULL, "FILE is a page-reference string, not a workload", "run", 0 },
    { OPT_CHECK, "--check", NULL, "check every OS invariant after each command (slow)", "run", 0 },
    { OPT_KEYS, "--keys", NULL, "list every key with its type, default and help", "config", 0 },
    { OPT_RTL_PARAMS, "--rtl-params", NULL, "print the Verilator -G options that build rtl/ for the configuration",
      "config", 0 },
    { OPT_HELP, "--help", NULL, "this help (also -h)", "all", 0 },
};

typedef struct {
    const char *name;
    const char *args;
    const char *help;
} command_t;

static const command_t commands[] = {
    { "vectors", "FILE...", "run translation vectors, check expectations (docs/vectors.md)" },
    { "trace", "FILE...", "run memory traces (lackey, din, ChampSim, mmt; - = stdin) (docs/traces.md)" },
    { "run", "FILE", "run a multi-process workload through the OS and the MMU (docs/workload.md)" },
    { "sweep", "[FILE...]", "run traces under the cross product of --vary lists, print CSV (docs/studies.md)" },
    { "merge", "JSON...", "the sweep CSV of JSON records from a jobs file's runs (docs/studies.md)" },
    { "convert", "IN OUT", "convert a trace between formats (docs/traces.md)" },
    { "config", "", "print the resolved configuration (or --keys: every key)" },
};

/* The program being parsed for: its name and the commands it takes (NULL: all). */
typedef struct {
    const char *name;
    const char *takes;
} prog_t;

/* 1 when word is one of the space- or comma-separated words of list. */
static int list_has(const char *list, const char *word)
{
    size_t n = strlen(word);

    for (const char *p = list; (p = strstr(p, word)); p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == ',' || p[n] == ' ' || p[n] == '\0'))
            return 1;
    return 0;
}

/* 1 when option o is taken by command cmd (its list is "all" or names cmd). */
static int option_takes(const option_t *o, const char *cmd)
{
    return !strcmp(o->commands, "all") || list_has(o->commands, cmd);
}

/* 1 when program p takes option o with some command of its. */
static int prog_takes_option(const prog_t *p, const option_t *o)
{
    if (!p->takes || !strcmp(o->commands, "all"))
        return 1;
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (list_has(p->takes, commands[i].name) && option_takes(o, commands[i].name))
            return 1;
    return 0;
}

/* The command table entry named name, or NULL when p does not take it. */
static const command_t *find_command(const prog_t *p, const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (!strcmp(name, commands[i].name) && (!p->takes || list_has(p->takes, name)))
            return &commands[i];
    return NULL;
}

/* Prints " (CMD, CMD)\n": the commands of p that take option o. */
static void print_option_commands(FILE *f, const prog_t *p, const option_t *o)
{
    const char *sep = " (";

    if (!strcmp(o->commands, "all")) {
        fprintf(f, " (all)\n");
        return;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (find_command(p, commands[i].name) && option_takes(o, commands[i].name)) {
            fprintf(f, "%s%s", sep, commands[i].name);
            sep = ", ";
        }
    fprintf(f, ")\n");
}

/* Prints p's usage text of command c, or of every command of p when c is NULL. */
static void usage(FILE *f, const prog_t *p, const command_t *c)
{
    if (c)
        fprintf(f, "usage: %s %s [OPTIONS]%s%s\n  %s\n", p->name, c->name, *c->args ? " " : "", c->args, c->help);
    else {
        fprintf(f, "usage: %s COMMAND [OPTIONS] [ARGS]   (%s COMMAND -h: one command)\n\ncommands:\n", p->name,
                p->name);
        for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
            if (find_command(p, commands[i].name))
                fprintf(f, "  %-8s %-9s %s\n", commands[i].name, commands[i].args, commands[i].help);
    }
    fprintf(f, "\noptions:\n");
    for (size_t i = 0; i < sizeof options / sizeof *options; i++) {
        char head[40];
        if (c ? !option_takes(&options[i], c->name) : !prog_takes_option(p, &options[i]))
            continue;
        snprintf(head, sizeof head, "%s%s%s", options[i].name, options[i].arg ? " " : "",
                 options[i].arg ? options[i].arg : "");
        fprintf(f, "  %-28s %s", head, options[i].help);
        if (c)
            fputc('\n', f);
        else
            print_option_commands(f, p, &options[i]);
    }
    fprintf(f, "\nexit status: 0 ok, 1 a check failed, 2 bad input or usage\n"
               "docs: docs/config.md docs/vectors.md docs/traces.md docs/workload.md docs/os.md\n"
               "      docs/timing.md docs/stats.md docs/studies.md docs/systemc.md\n");
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

/* Appends word to list (of MAX_WORDS); -1 after a message when it is full. */
int cli_push_word(char **list, int *n, char *word)
{
    if (*n == MAX_WORDS) {
        fprintf(stderr, "mmusim: more than %d --set, --vary, --trace or run options\n", MAX_WORDS);
        return -1;
    }
    list[(*n)++] = word;
    return 0;
}

/* A number of references given to opt; -1 after a message. */
static int parse_count(const option_t *opt, const char *val, uint64_t *out)
{
    if (parse_u64(val, out) == 0)
        return 0;
    fprintf(stderr, "%s: '%s' is not a number (decimal or 0x hex)\n", opt->name, val);
    return -1;
}

/* Applies option opt with value val (NULL for a flag) to o; 0, or -1 after a message. */
static int apply_option(const option_t *opt, char *val, cli_opts_t *o)
{
    char err[512];
    int jobs;

    switch (opt->id) {
    case OPT_CONFIG:
        if (!config_load(&o->cfg, val, err, sizeof err))
            return 0;
        fprintf(stderr, "%s\n", err);
        return -1;
    case OPT_SET: {
        /* the key as config_set_assignment reads it (blanks around it trimmed), to beat `set` lines */
        const char *key = val + strspn(val, " \t");
        int n = (int)strcspn(key, "=");
        while (n > 0 && (key[n - 1] == ' ' || key[n - 1] == '\t'))
            n--;
        if (o->nset_keys == (int)(sizeof o->set_keys / sizeof o->set_keys[0])) {
            fprintf(stderr, "--set: more than %d keys\n", o->nset_keys);
            return -1;
        }
        snprintf(o->set_keys[o->nset_keys++], sizeof o->set_keys[0], "%.*s", n, key);
        if (!config_set_assignment(&o->cfg, val, err, sizeof err))
            return 0;
        fprintf(stderr, "--set: %s\n", err);
        return -1;
    }
    case OPT_STATS:
        if (!stats_parse_format(val, &o->stats))
            return 0;
        fprintf(stderr, "--stats: '%s' is not one of table, json, csv, none\n", val);
        return -1;
    case OPT_FORMAT:
    case OPT_TO: {
        trace_format_t f;
        if (trace_format_parse(val, &f)) {
            fprintf(stderr, "%s: '%s' is not one of lackey, din, champsim, cloudsuite, mmt\n", opt->name, val);
            return -1;
        }
        if (opt->id == OPT_TO)
            o->to = val;
        else
            o->trace.format = f;
        return 0;
    }
    case OPT_SKIP: return parse_count(opt, val, &o->trace.skip);
    case OPT_WARMUP: return parse_count(opt, val, &o->trace.warmup);
    case OPT_MAX_REFS: return parse_count(opt, val, &o->trace.max_refs);
    case OPT_INTERVAL: return parse_count(opt, val, &o->trace.interval);
    case OPT_QUANTUM:
        if (parse_count(opt, val, &o->trace.quantum))
            return -1;
        if (o->trace.quantum)
            return 0;
        fprintf(stderr, "--quantum: must be at least 1\n");
        return -1;
    case OPT_TRACE: return cli_push_word(o->traces, &o->sweep.ntraces, val);
    case OPT_VARY: return cli_push_word(o->vary, &o->sweep.nvary, val);
    case OPT_JOBS:
        jobs = atoi(val);
        if (jobs >= 1 && jobs <= 1024 && strspn(val, "0123456789") == strlen(val)) {
            o->sweep.jobs = jobs;
            return 0;
        }
        fprintf(stderr, "-j: '%s' is not a number of jobs (1..1024)\n", val);
        return -1;
    case OPT_OUTPUT: o->sweep.out = val; return 0;
    case OPT_JOBS_FILE: o->sweep.jobs_file = val; return 0;
    case OPT_OUT_DIR: o->sweep.out_dir = val; return 0;
    case OPT_CYCLE: o->cycle_level = o->trace.cycle_level = 1; return 0;
    case OPT_REFS: o->refs = 1; return 0;
    case OPT_CHECK: o->check = 1; return 0;
    case OPT_KEYS: o->keys = 1; return 0;
    case OPT_RTL_PARAMS: o->rtl_params = 1; return 0;
    case OPT_HELP: break;
    }
    return 0;
}

/*
 * Parses options of cmd from argv, moving positional arguments to the
 * front of argv.  Returns the positional count, or -1 (message printed)
 * on bad usage, or -2 after printing help.
 */
static int parse_options(const prog_t *p, const char *cmd, int argc, char **argv, cli_opts_t *o)
{
    char err[512];
    int npos = 0;

    config_defaults(&o->cfg);
    o->stats = STATS_TABLE;
    trace_opts_default(&o->trace);
    o->sweep.traces = o->traces;
    o->sweep.vary = o->vary;
    o->sweep.pass = o->pass;
    for (int i = 0; i < argc; i++) {
        const option_t *opt;
        char *val = NULL;
        if (argv[i][0] != '-' || !strcmp(argv[i], "-")) {
            argv[npos++] = argv[i];
            continue;
        }
        opt = find_option(argv[i]);
        if (!opt || !option_takes(opt, cmd)) {
            fprintf(stderr, "%s %s: unknown option '%s' (see %s %s --help)\n", p->name, cmd, argv[i], p->name, cmd);
            return -1;
        }
        if (opt->id == OPT_HELP) {
            usage(stdout, p, find_command(p, cmd));
            return -2;
        }
        if (opt->arg) {
            if (i + 1 >= argc) {
                fprintf(stderr, "%s %s: %s needs %s\n", p->name, cmd, opt->name, opt->arg);
                return -1;
            }
            val = argv[++i];
        }
        if (apply_option(opt, val, o))
            return -1;
        if (opt->pass && !strcmp(cmd, "sweep") &&
            (cli_push_word(o->pass, &o->sweep.npass, argv[i - (val != NULL)]) ||
             (val && cli_push_word(o->pass, &o->sweep.npass, val))))
            return -1;
    }
    if (config_validate(&o->cfg, err, sizeof err)) {
        fprintf(stderr, "%s %s: invalid configuration: %s\n", p->name, cmd, err);
        return -1;
    }
    return npos;
}

int cli_parse(const char *prog, const char *takes, int argc, char **argv, cli_opts_t *o, const char **cmd,
              char ***args)
{
    const prog_t p = { prog, takes };
    const command_t *c;
    int n;

    memset(o, 0, sizeof *o);
    if (argc < 2) {
        usage(stderr, &p, NULL);
        return -1;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        if (argc > 2 && !find_command(&p, argv[2])) {
            fprintf(stderr, "%s help: unknown command '%s' (see %s help)\n", prog, argv[2], prog);
            return -1;
        }
        usage(stdout, &p, argc > 2 ? find_command(&p, argv[2]) : NULL);
        return -2;
    }
    c = find_command(&p, argv[1]);
    if (!c) {
        fprintf(stderr, "%s: unknown command '%s'\n", prog, argv[1]);
        usage(stderr, &p, NULL);
        return -1;
    }
    *cmd = c->name;
    *args = argv + 2;
    n = parse_options(&p, c->name, argc - 2, argv + 2, o);
    if (n >= 0 && !strcmp(c->name, "run") && n != 1) {
        fprintf(stderr, "%s run: expected FILE\n", prog);
        return -1;
    }
    if (n == 0 && (!strcmp(c->name, "trace") || !strcmp(c->name, "vectors"))) {
        fprintf(stderr, "%s %s: expected %s\n", prog, c->name, c->args);
        return -1;
    }
    return n;
}

int cli_load_workload(const char *path, const cli_opts_t *o, workload_t *w, sim_config_t *cfg)
{
    const char *skip[64];
    int rc = o->refs ? wl_parse_refs(path, w) : wl_parse(path, w);

    *cfg = o->cfg;
    for (int i = 0; i < o->nset_keys; i++)
        skip[i] = o->set_keys[i];
    if (!rc)
        rc = wl_configure(w, path, skip, o->nset_keys, cfg);
    if (rc)
        wl_free(w);
    return rc;
}
