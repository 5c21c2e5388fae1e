// rtl_os.h - what the harnesses that run the operating system of csrc/ on
// an RTL/model pair share: the options of their `run` and `trace`
// commands (with `mmusim run` meanings) and the loading of a workload for
// an RTL built for one configuration.  Used by the lockstep
// (lockstep_os.cpp) and the SystemC testbench (testbench/systemc/).
#ifndef MMUSIM_RTL_OS_H
#define MMUSIM_RTL_OS_H

#include <cstdint>
#include <string>
#include <vector>

#include "config.h"
#include "stats.h"
#include "workload.h"

struct LsOsOptions {
    bool refs = false;             // run: FILE is a page-reference string
    bool check = false;            // run: os_check after every command
    stats_format_t fmt = STATS_NONE;
    uint64_t max_refs = UINT64_MAX; // trace: stop after this many references
    std::vector<std::string> cli_keys; // keys given with --set (they beat `set` lines)
};

// 1 when a pair built for one configuration may take key from a workload's
// `set` line or --set: dram.*, os.* and swap.*, the inputs of the RTL and
// of the software around it, never a parameter of the MMU.
bool rtl_key_settable(const char *key);

// `--set KEY=VALUE` of a harness: applies kv to *cfg and records its key
// (trimmed, as config_set_assignment reads it) in o->cli_keys, so that it
// beats the workload's `set` line.  false after printing why it was
// refused (a key the RTL built for built_for cannot take, or a bad value).
bool rtl_cli_set(const std::string &kv, const char *built_for, sim_config_t *cfg, LsOsOptions *o);

// Parses the workload (or reference string) at path into *w and applies
// its `set` lines to *cfg, whose keys must be settable (rtl_key_settable):
// the RTL is built for the configuration file built_for.  0, or 2 after
// printing "path:line: message" (*w is to be freed with wl_free either way).
int rtl_load_workload(const char *path, const LsOsOptions &o, const char *built_for, workload_t *w,
                      sim_config_t *cfg);

#endif
