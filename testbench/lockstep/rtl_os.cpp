// rtl_os.cpp - loading a workload for an RTL/model pair (testbench/lockstep/rtl_os.h).
#include "rtl_os.h"

#include <cstdio>
#include <cstring>

int rtl_load_workload(const char *path, const LsOsOptions &o, const char *built_for, workload_t *w,
                      sim_config_t *cfg)
{
    memset(w, 0, sizeof *w);
    int rc = o.refs ? wl_parse_refs(path, w) : wl_parse(path, w);
    // The RTL is built for one configuration: a scenario may change only
    // what the OS and swap device are, not the MMU.
    for (size_t i = 0; !rc && i < w->nsets; i++)
        if (strncmp(w->sets[i].key, "os.", 3) && strncmp(w->sets[i].key, "swap.", 5)) {
            fprintf(stderr, "%s:%u: %s: the RTL is built for %s; a workload on it may set only os.* and swap.*\n",
                    path, w->sets[i].line, w->sets[i].key, built_for);
            rc = 2;
        }
    std::vector<const char *> skip;
    for (auto &k : o.cli_keys)
        skip.push_back(k.c_str());
    if (!rc)
        rc = wl_configure(w, path, skip.data(), (int)skip.size(), cfg);
    return rc;
}
