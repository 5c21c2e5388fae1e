/*
 * sweep.c - `mmusim sweep` (docs/studies.md); `mmusim merge` is in runtab.c.
 *
 * A sweep is a list of runs, each one command line:
 *     SELF trace --stats json PASS... --set K1=V1 ... --set Kn=Vn TRACE
 * (the varied keys after the pass-through words, so they override a
 * --config).  Run r is trace r / C of configuration r % C, C being the
 * number of valid configurations, the first --vary varying slowest.  The
 * local sweep executes these very command lines as child processes of the
 * mmusim binary itself and merges their JSON records exactly as `merge`
 * does; the jobs file writes them as shell commands, one a line, in the
 * same order.  The two paths therefore print the same CSV byte for byte,
 * whatever the number of parallel jobs.
 */
#define _XOPEN_SOURCE 700
#include "sweep.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "runjson.h"

/* One --vary: a key and its values (pointers into buf, a copy of the argument). */
typedef struct {
    char *buf;
    const char *key;
    char **val;
    int nval;
} sw_axis_t;

typedef struct {
    const sweep_opts_t *o;
    char self[PATH_MAX];    /* absolute path of the mmusim binary */
    char cwd[PATH_MAX];     /* where the runs start: relative paths in PASS and traces resolve here */
    sw_axis_t *axis;
    int naxis;
    char **set;             /* "K=V" words: configuration c's are set[c * naxis ...] */
    int nconf;
    int nrun;
    const char **argv;      /* scratch for one run's command line */
} sweep_t;

/* Prints "mmusim sweep: message" on stderr; returns 2, the bad-usage status. */
static int sw_usage(const char *fmt, ...)
{
    va_list ap;

    fputs("mmusim sweep: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 2;
}

/*
 * Resolves the binary named self (argv[0]) to an absolute path in out: a
 * path is made absolute, a bare name looked up in PATH as the shell did;
 * /proc/self/exe is the last resort.  0, or -1.
 */
static int sw_resolve_self(const char *self, char *out)
{
    char cand[PATH_MAX];
    const char *path = getenv("PATH");
    ssize_t n;

    if (strchr(self, '/'))
        return realpath(self, out) ? 0 : -1;
    while (path && *path) {
        size_t len = strcspn(path, ":");
        snprintf(cand, sizeof cand, "%.*s%s%s", (int)len, path, len ? "/" : "", self);
        if (!access(cand, X_OK) && realpath(cand, out))
            return 0;
        path += len + (path[len] == ':');
    }
    n = readlink("/proc/self/exe", out, PATH_MAX - 1);
    if (n <= 0)
        return -1;
    out[n] = '\0';
    return 0;
}

/*
 * The configuration every run starts from: the defaults, then the --config
 * and --set words of PASS in order, as the runs themselves will apply
 * them.  0, or 2 after a message.
 */
static int sw_base_config(const sweep_opts_t *o, sim_config_t *c)
{
    char err[512];

    config_defaults(c);
    for (int i = 0; i < o->npass; i++) {
        int is_cfg = !strcmp(o->pass[i], "--config"), is_set = !strcmp(o->pass[i], "--set");
        if (!strcmp(o->pass[i], "--stats"))
            return sw_usage("--stats is the sweep's to set (json)");
        if (!is_cfg && !is_set)
            continue;
        if (++i >= o->npass)
            return sw_usage("%s needs a value", o->pass[i - 1]);
        if (is_cfg ? config_load(c, o->pass[i], err, sizeof err)
                   : config_set_assignment(c, o->pass[i], err, sizeof err))
            return sw_usage("%s%s", is_set ? "--set: " : "", err);
    }
    return 0;
}

/* Splits spec "KEY=V1,V2,..." into a, checking each value on base; 0, or 2 after a message. */
static int sw_axis_parse(const char *spec, sw_axis_t *a, const sim_config_t *base)
{
    char err[512], *eq, *v;
    int cap = 1;

    if (!(a->buf = strdup(spec)))
        return sw_usage("out of memory");
    if (!(eq = strchr(a->buf, '=')) || eq == a->buf || !eq[1])
        return sw_usage("--vary '%s': expected KEY=V1,V2,...", spec);
    *eq = '\0';
    a->key = a->buf;
    for (v = eq + 1; *v; v++)
        cap += *v == ',';
    if (!(a->val = malloc((size_t)cap * sizeof *a->val)))
        return sw_usage("out of memory");
    for (v = eq + 1; v; ) {
        char *comma = strchr(v, ',');
        sim_config_t scratch = *base;
        if (comma)
            *comma = '\0';
        if (!*v)
            return sw_usage("--vary '%s': an empty value", spec);
        if (config_set(&scratch, a->key, v, err, sizeof err))
            return sw_usage("--vary: %s", err);
        a->val[a->nval++] = v;
        v = comma ? comma + 1 : NULL;
    }
    return 0;
}

/*
 * Builds the configurations: the cross product of the axes, the last one
 * varying fastest.  A product config_validate rejects is left out with a
 * warning, from the local runs and the jobs file alike.  0, or 2 (no memory,
 * or nothing left).
 */
static int sw_plan(sweep_t *sw, const sim_config_t *base)
{
    long total = 1;
    int *idx = calloc((size_t)sw->naxis + 1, sizeof *idx);
    char err[512];
    int rc = 2;

    for (int k = 0; k < sw->naxis; k++)
        total *= sw->axis[k].nval;
    if (!idx || !(sw->set = calloc((size_t)(total * sw->naxis) + 1, sizeof *sw->set)))
        goto out;
    for (long n = 0; n < total; n++) {
        sim_config_t c = *base;
        char **set = &sw->set[sw->nconf * sw->naxis];
        for (int k = sw->naxis - 1, carry = n > 0; k >= 0 && carry; k--) {
            carry = ++idx[k] == sw->axis[k].nval;
            if (carry)
                idx[k] = 0;
        }
        /* every value passed config_set on the base in sw_axis_parse: only relations can fail */
        for (int k = 0; k < sw->naxis; k++)
            config_set(&c, sw->axis[k].key, sw->axis[k].val[idx[k]], err, sizeof err);
        for (int k = 0; k < sw->naxis; k++) {
            size_t len = strlen(sw->axis[k].key) + strlen(sw->axis[k].val[idx[k]]) + 2;
            if (!(set[k] = malloc(len)))
                goto out;
            snprintf(set[k], len, "%s=%s", sw->axis[k].key, sw->axis[k].val[idx[k]]);
        }
        if (!config_validate(&c, err, sizeof err)) {
            sw->nconf++;
            continue;
        }
        fputs("mmusim sweep: skipped", stderr);
        for (int k = 0; k < sw->naxis; k++) {
            fprintf(stderr, " %s", set[k]);
            free(set[k]);
            set[k] = NULL;
        }
        fprintf(stderr, ": %s\n", err);
    }
    sw->nrun = sw->nconf * sw->o->ntraces;
    if (!sw->nconf) {
        fprintf(stderr, "mmusim sweep: no valid configuration to run\n");
        goto out;
    }
    sw->argv = calloc((size_t)(sw->o->npass + 2 * sw->naxis + 6), sizeof *sw->argv);
    rc = sw->argv ? 0 : sw_usage("out of memory");
out:
    free(idx);
    return rc;
}

/* Fills sw->argv with run r's command line (NULL-terminated); returns its trace. */
static const char *sw_argv(sweep_t *sw, int r)
{
    const char *trace = sw->o->traces[r / sw->nconf];
    char **set = &sw->set[(r % sw->nconf) * sw->naxis];
    int n = 0;

    sw->argv[n++] = sw->self;
    sw->argv[n++] = "trace";
    sw->argv[n++] = "--stats";
    sw->argv[n++] = "json";
    for (int i = 0; i < sw->o->npass; i++)
        sw->argv[n++] = sw->o->pass[i];
    for (int k = 0; k < sw->naxis; k++) {
        sw->argv[n++] = "--set";
        sw->argv[n++] = set[k];
    }
    sw->argv[n++] = trace;
    sw->argv[n] = NULL;
    return trace;
}

/*
 * Writes w as one sh word: bare when every character is plainly safe (and
 * force is 0), else in single quotes with each ' written as '\''.
 */
static void sw_quote(FILE *f, const char *w, int force)
{
    static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+=.,:/@%";

    if (!force && *w && !w[strspn(w, safe)]) {
        fputs(w, f);
        return;
    }
    fputc('\'', f);
    for (; *w; w++)
        if (*w == '\'')
            fputs("'\\''", f);
        else
            fputc(*w, f);
    fputc('\'', f);
}

/* Writes run r's command line as sh words, the binary always quoted. */
static void sw_write_cmd(FILE *f, sweep_t *sw, int r)
{
    sw_argv(sw, r);
    for (int i = 0; sw->argv[i]; i++) {
        if (i)
            fputc(' ', f);
        sw_quote(f, sw->argv[i], i == 0);
    }
}

/* Digits of the run numbers in file names: zero-padded so that a shell glob sorts them. */
static int sw_width(const sweep_t *sw)
{
    int w = 1;

    for (int n = sw->nrun; n >= 10; n /= 10)
        w++;
    return w < 4 ? 4 : w;
}

/* Warns when dir already holds run files of an earlier study: a merge of the folder would take them in. */
static void sw_warn_stale(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    if (!d)
        return;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        n += !strncmp(e->d_name, "run-", 4) && len > 9 && !strcmp(e->d_name + len - 5, ".json");
    }
    closedir(d);
    if (n)
        fprintf(stderr, "mmusim sweep: warning: %s already holds %d run-*.json files; "
                "merge them only with this study's runs\n", dir, n);
}

/*
 * Writes the jobs file: line r is `cd CWD && COMMAND > DIR/run-R.json`,
 * runnable by sh on any host that sees the same paths.  0, or 2.
 */
static int sw_write_jobs(sweep_t *sw)
{
    const sweep_opts_t *o = sw->o;
    char dir[PATH_MAX];
    FILE *f;
    int w = sw_width(sw);

    if (mkdir(o->out_dir, 0777) && errno != EEXIST)
        return sw_usage("--out %s: %s", o->out_dir, strerror(errno));
    if (!realpath(o->out_dir, dir))
        return sw_usage("--out %s: %s", o->out_dir, strerror(errno));
    sw_warn_stale(dir);
    if (!(f = fopen(o->jobs_file, "w")))
        return sw_usage("--jobs-file %s: %s", o->jobs_file, strerror(errno));
    for (int r = 0; r < sw->nrun; r++) {
        char out[PATH_MAX + 32];
        if (snprintf(out, sizeof out, "%s/run-%0*d.json", dir, w, r + 1) >= (int)sizeof out) {
            fclose(f);
            return sw_usage("--out %s: path too long", o->out_dir);
        }
        fputs("cd ", f);
        sw_quote(f, sw->cwd, 1);
        fputs(" && ", f);
        sw_write_cmd(f, sw, r);
        fputs(" > ", f);
        sw_quote(f, out, 1);
        fputc('\n', f);
    }
    if (fclose(f))
        return sw_usage("--jobs-file %s: %s", o->jobs_file, strerror(errno));
    fprintf(stderr, "mmusim sweep: %d runs written to %s; after them: mmusim merge %s/*.json\n",
            sw->nrun, o->jobs_file, o->out_dir);
    return 0;
}

/* The local runs in flight and done. */
typedef struct {
    char dir[PATH_MAX];     /* temporary folder of the runs' stdout and stderr */
    pid_t *pid;             /* per slot (-j of them); 0 = free */
    int *slot_run;
    int started, running, done, failed;
    int tty;                /* stderr is a terminal: show progress */
    struct timespec t0;
} sw_exec_t;

/* Rewrites the progress line (tty only); clear: erase it for another message. */
static void sw_progress(const sweep_t *sw, const sw_exec_t *x, int clear)
{
    struct timespec now;
    double el;

    if (!x->tty)
        return;
    fputs("\r\033[K", stderr);
    if (clear)
        return;
    clock_gettime(CLOCK_MONOTONIC, &now);
    el = (double)(now.tv_sec - x->t0.tv_sec) + (double)(now.tv_nsec - x->t0.tv_nsec) / 1e9;
    fprintf(stderr, "mmusim sweep: %d/%d runs, %d running", x->done, sw->nrun, x->running);
    if (x->done)
        fprintf(stderr, ", ETA %.0f s", el * (sw->nrun - x->done) / x->done);
}

static void sw_tmp(char *buf, size_t len, const sw_exec_t *x, int r, const char *ext)
{
    snprintf(buf, len, "%s/run-%d.%s", x->dir, r + 1, ext);
}

/* Starts run r in slot s: the child's stdout and stderr go to files. 0, or -1 (fork failed, reported). */
static int sw_start(sweep_t *sw, sw_exec_t *x, int r, int s)
{
    char out[PATH_MAX + 32], err[PATH_MAX + 32];
    pid_t pid;

    sw_argv(sw, r);
    sw_tmp(out, sizeof out, x, r, "json");
    sw_tmp(err, sizeof err, x, r, "err");
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0666), fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        if (fo < 0 || fe < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0)
            _exit(127);
        execv(sw->self, (char *const *)sw->argv);
        fprintf(stderr, "cannot run %s: %s\n", sw->self, strerror(errno));
        _exit(127);
    }
    if (pid < 0) {
        sw_progress(sw, x, 1);
        fprintf(stderr, "mmusim sweep: run %d: fork: %s\n", r + 1, strerror(errno));
        return -1;
    }
    x->pid[s] = pid;
    x->slot_run[s] = r;
    x->running++;
    return 0;
}

/*
 * Ends run r after its wait status st: passes its stderr through (after
 * its command line), adds its record to t, removes its files.  Returns 0,
 * or 1 when the run failed or printed no valid record.
 */
static int sw_finish(sweep_t *sw, sw_exec_t *x, int r, int st, runtab_t *t)
{
    char out[PATH_MAX + 32], err[PATH_MAX + 32], *line = NULL;
    size_t cap = 0;
    int ok = WIFEXITED(st) && WEXITSTATUS(st) == 0;
    FILE *f;

    sw_tmp(out, sizeof out, x, r, "json");
    sw_tmp(err, sizeof err, x, r, "err");
    f = fopen(err, "r");
    if (!ok || (f && getc(f) != EOF)) {
        sw_progress(sw, x, 1);
        fprintf(stderr, "mmusim sweep: run %d", r + 1);
        if (WIFEXITED(st) && !ok)
            fprintf(stderr, " failed (exit %d)", WEXITSTATUS(st));
        else if (WIFSIGNALED(st))
            fprintf(stderr, " failed (signal %d)", WTERMSIG(st));
        fputs(": ", stderr);
        sw_write_cmd(stderr, sw, r);
        fputc('\n', stderr);
        if (f)
            rewind(f);
        while (f && getline(&line, &cap, f) > 0)
            fprintf(stderr, "run %d: %s%s", r + 1, line, line[strlen(line) - 1] == '\n' ? "" : "\n");
    }
    if (f)
        fclose(f);
    free(line);
    if (ok && runtab_read(t, out, (unsigned long)r + 1)) {
        fprintf(stderr, "mmusim sweep: run %d printed no valid JSON record: ", r + 1);
        sw_write_cmd(stderr, sw, r);
        fputc('\n', stderr);
        ok = 0;
    }
    unlink(out);
    unlink(err);
    return !ok;
}

/*
 * Runs every run, at most o->jobs (0: the online CPUs) at a time, adding
 * each record to t.  Returns 0, 1 when some run failed, or 2 when the
 * temporary folder cannot be made.
 */
static int sw_exec_all(sweep_t *sw, runtab_t *t)
{
    sw_exec_t x = { .tty = isatty(2) };
    const char *tmp = getenv("TMPDIR");
    long jobs = sw->o->jobs ? sw->o->jobs : sysconf(_SC_NPROCESSORS_ONLN);
    int rc = 2;

    jobs = jobs < 1 ? 1 : jobs > sw->nrun ? sw->nrun : jobs;
    snprintf(x.dir, sizeof x.dir, "%s/mmusim-sweep.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    x.pid = calloc((size_t)jobs, sizeof *x.pid);
    x.slot_run = calloc((size_t)jobs, sizeof *x.slot_run);
    if (!x.pid || !x.slot_run || !mkdtemp(x.dir)) {
        fprintf(stderr, "mmusim sweep: cannot make a temporary folder %s: %s\n", x.dir, strerror(errno));
        goto out;
    }
    clock_gettime(CLOCK_MONOTONIC, &x.t0);
    while (x.done < sw->nrun) {
        int st, s;
        pid_t pid;
        for (s = 0; s < jobs && x.started < sw->nrun; s++) {
            if (x.pid[s])
                continue;
            if (sw_start(sw, &x, x.started++, s)) {
                x.done++;
                x.failed++;
            }
        }
        sw_progress(sw, &x, 0);
        if (!x.running)
            continue;
        pid = waitpid(-1, &st, 0);
        if (pid < 0 && errno == EINTR)
            continue;
        if (pid < 0) {
            fprintf(stderr, "mmusim sweep: wait: %s\n", strerror(errno));
            break;
        }
        for (s = 0; s < jobs && x.pid[s] != pid; s++)
            ;
        if (s == jobs)
            continue;
        x.pid[s] = 0;
        x.running--;
        x.failed += sw_finish(sw, &x, x.slot_run[s], st, t);
        x.done++;
    }
    sw_progress(sw, &x, 1);
    rmdir(x.dir);
    rc = x.failed || x.done < sw->nrun;
out:
    free(x.pid);
    free(x.slot_run);
    return rc;
}

/* Checks the options that need no configuration; 0, or 2 after a message. */
static int sw_check(const sweep_opts_t *o)
{
    if (!o->ntraces)
        return sw_usage("no --trace given");
    if (o->jobs < 0)
        return sw_usage("-j %d: expected a positive number of jobs", o->jobs);
    if (!o->jobs_file != !o->out_dir)
        return sw_usage("--jobs-file and --out go together");
    if (o->jobs_file && o->out)
        return sw_usage("-o: a jobs file makes no CSV (mmusim merge does, after the runs)");
    for (int i = 0; i < o->ntraces; i++)
        if (access(o->traces[i], R_OK))
            return sw_usage("--trace %s: %s", o->traces[i], strerror(errno));
    for (int i = 0; i < o->nvary; i++)
        for (int k = 0; k < i; k++) {
            size_t n = strcspn(o->vary[i], "=");
            if (n == strcspn(o->vary[k], "=") && !strncmp(o->vary[i], o->vary[k], n))
                return sw_usage("--vary %.*s given twice", (int)n, o->vary[i]);
        }
    return 0;
}

int sweep_run(const sweep_opts_t *o)
{
    sweep_t sw = { .o = o };
    sim_config_t base;
    runtab_t *t = NULL;
    FILE *out = NULL;
    int rc;

    if ((rc = sw_check(o)) || (rc = sw_base_config(o, &base)))
        return rc;
    if (sw_resolve_self(o->self, sw.self) || !getcwd(sw.cwd, sizeof sw.cwd))
        return sw_usage("cannot find the mmusim binary '%s' or the current folder", o->self);
    if (!(sw.axis = calloc((size_t)o->nvary + 1, sizeof *sw.axis))) {
        rc = sw_usage("out of memory");
        goto out;
    }
    for (; sw.naxis < o->nvary; sw.naxis++)
        if ((rc = sw_axis_parse(o->vary[sw.naxis], &sw.axis[sw.naxis], &base))) {
            sw.naxis++;
            goto out;
        }
    if ((rc = sw_plan(&sw, &base)))
        goto out;
    if (o->jobs_file) {
        rc = sw_write_jobs(&sw);
        goto out;
    }
    if (o->out && !(out = fopen(o->out, "w"))) {
        rc = sw_usage("-o %s: %s", o->out, strerror(errno));
        goto out;
    }
    if (!(t = runtab_new())) {
        rc = sw_usage("out of memory");
        goto out;
    }
    rc = sw_exec_all(&sw, t);
    if (rc < 2 && runtab_write_csv(t, out ? out : stdout)) {
        fprintf(stderr, "mmusim sweep: out of memory writing the CSV\n");
        rc = 1;
    }
    if ((out && fclose(out)) || fflush(stdout)) {
        fprintf(stderr, "mmusim sweep: cannot write %s\n", o->out ? o->out : "the CSV");
        rc = rc ? rc : 1;
    }
    out = NULL;
out:
    if (out)
        fclose(out);
    runtab_free(t);
    for (int k = 0; k < sw.naxis; k++) {
        free(sw.axis[k].buf);
        free(sw.axis[k].val);
    }
    for (int i = 0; sw.set && i < sw.nconf * sw.naxis; i++)
        free(sw.set[i]);
    free(sw.set);
    free(sw.axis);
    free(sw.argv);
    return rc;
}
