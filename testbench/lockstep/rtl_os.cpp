// rtl_os.cpp - loading a workload for an RTL/model pair (testbench/lockstep/rtl_os.h).
#include "rtl_os.h"

#include <cstdio>
#include <cstring>

bool rtl_key_settable(const char *key)
{
    return !strncmp(key, "dram.", 5) || !strncmp(key, "os.", 3) || !strncmp(key, "swap.", 5);
}

bool rtl_cli_set(const std::string &kv, const char *built_for, sim_config_t *cfg, LsOsOptions *o)
{
    size_t b = kv.find_first_not_of(" \t"), e = kv.find('=');
    std::string key = kv.substr(b == std::string::npos ? 0 : b, e == std::string::npos ? e : e - b);
    char err[512] = "";

    key.erase(key.find_last_not_of(" \t") + 1);
    if (!rtl_key_settable(key.c_str()) || config_set_assignment(cfg, kv.c_str(), err, sizeof err)) {
        fprintf(stderr, "--set %s: only dram.*, os.* and swap.* may change (the RTL is built for %s) %s\n",
                kv.c_str(), built_for, err);
        return false;
    }
    o->cli_keys.push_back(key);
    return true;
}

int rtl_load_workload(const char *path, const LsOsOptions &o, const char *built_for, workload_t *w,
                      sim_config_t *cfg)
{
    memset(w, 0, sizeof *w);
    int rc = o.refs ? wl_parse_refs(path, w) : wl_parse(path, w);
    // The RTL is built for one configuration: a scenario may change the
    // memory, the OS and the swap device around it, not the MMU.
    for (size_t i = 0; !rc && i < w->nsets; i++)
        if (!rtl_key_settable(w->sets[i].key)) {
            fprintf(stderr, "%s:%u: %s: the RTL is built for %s; a workload on it may set only dram.*, os.* and swap.*\n",
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
