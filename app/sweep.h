/*
 * sweep.h - parameter studies (docs/studies.md): `mmusim sweep` runs the
 * cross product of configurations over traces and prints one CSV;
 * `mmusim merge` builds the same CSV from the JSON records of runs made
 * elsewhere (GNU parallel, a Slurm array) from a sweep's jobs file.
 */
#ifndef MMUSIM_SWEEP_H
#define MMUSIM_SWEEP_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    char **traces; int ntraces;      /* one run per trace and configuration */
    char **vary; int nvary;          /* "KEY=V1,V2,...": the cross product of all of them */
    char **pass; int npass;          /* words given to every run unchanged (--config F, --set K=V, ...) */
    int jobs;                        /* runs at a time; 0 = online CPUs */
    const char *out;                 /* CSV file, NULL = stdout */
    const char *jobs_file, *out_dir; /* both: write the runs as shell commands instead of running them */
    const char *self;                /* the mmusim binary (argv[0]); resolved to an absolute path */
} sweep_opts_t;

/*
 * Runs (or, with jobs_file, writes) every run of the study and prints its
 * CSV.  Returns 0; 1 when a run failed (its stderr was passed through, the
 * other rows printed); 2 on bad usage, before any run starts.
 */
int sweep_run(const sweep_opts_t *o);

/*
 * Prints the CSV of the JSON records in files (out NULL = stdout).  Files
 * named run-N.json give run numbers and row order; else the argument order
 * does.  Returns 0, or 2 after "FILE:LINE: message" for a malformed record.
 */
int merge_run(char **files, int nfiles, const char *out);

#ifdef __cplusplus
}
#endif
#endif
