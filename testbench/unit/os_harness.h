// os_harness.h - the machine the OS suites run on: the simulated DRAM, the
// golden MMU's functional path, and one os_t on top, wired through os_hw_t.
//
// Shared by the OS suites (test_os*.cc, through os_fixture.h for the
// directed ones) and test_exec.cc.  translate, sfence, set_csr
// and wait go to the golden model's functional path through the OS's own
// binding, os_hw_bind_model() of csrc/os_hw.h; the driver's callbacks come
// from the test: killed records every kill for the test to compare with
// what it predicted, next_use (os.policy = opt) asks a std::function the
// test sets.
#ifndef MMUSIM_TESTBENCH_OS_HARNESS_H
#define MMUSIM_TESTBENCH_OS_HARNESS_H

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "config.h"
#include "dram.h"
#include "mmu.h"
#include "os.h"

#include "os_hw.h"

namespace os_harness {

struct Kill {
    int pid;
    os_kill_t why;
    uint64_t va;
};

class Machine {
public:
    sim_config_t cfg{};
    dram_t *dram = nullptr;
    mmu_t *mmu = nullptr;
    os_t *os = nullptr;
    os_hw_t hw{};
    std::vector<Kill> kills;          // every hw.killed call, in order
    std::function<uint64_t(int, uint64_t)> next_use; // hw.next_use; empty: UINT64_MAX

    Machine() = default;
    Machine(const Machine &) = delete;
    Machine &operator=(const Machine &) = delete;
    ~Machine() { teardown(); }

    // config_defaults, then every key=value of keys through config_set, then
    // DRAM, MMU and OS.  A failure explains itself in the assertion result.
    ::testing::AssertionResult boot(const std::vector<std::pair<std::string, std::string>> &keys)
    {
        char err[256];
        config_defaults(&cfg);
        for (const auto &kv : keys)
            if (config_set(&cfg, kv.first.c_str(), kv.second.c_str(), err, sizeof err))
                return ::testing::AssertionFailure() << "config_set " << kv.first << "=" << kv.second << ": " << err;
        if (config_validate(&cfg, err, sizeof err))
            return ::testing::AssertionFailure() << "config_validate: " << err;
        dram = dram_create(cfg.dram.base, cfg.dram.size);
        if (!dram)
            return ::testing::AssertionFailure() << "dram_create";
        mmu = mmu_create(&cfg, dram);
        if (!mmu)
            return ::testing::AssertionFailure() << "mmu_create";
        model_.mmu = mmu;
        model_.port = nullptr; // the functional path
        os_hw_bind_model(&hw, &model_);
        hw.user = this;
        hw.next_use = next_use_cb;
        hw.killed = killed_cb;
        os = os_create(&cfg, dram, &hw);
        if (!os)
            return ::testing::AssertionFailure() << "os_create";
        return ::testing::AssertionSuccess();
    }

    void teardown()
    {
        if (os)
            os_destroy(os);
        if (mmu)
            mmu_destroy(mmu);
        if (dram)
            dram_destroy(dram);
        os = nullptr;
        mmu = nullptr;
        dram = nullptr;
    }

    // os_check: "" when every invariant holds, else its message.
    std::string check() const
    {
        char err[512] = "";
        if (os_check(os, err, sizeof err) == 0)
            return "";
        return err[0] ? std::string(err) : std::string("os_check failed without a message");
    }

    // Convenience accessors for the directed tests.
    int load(int pid, uint64_t va, void *buf, uint64_t len) { return os_access(os, pid, va, ACC_LOAD, buf, len); }
    int store(int pid, uint64_t va, const void *buf, uint64_t len)
    {
        return os_access(os, pid, va, ACC_STORE, const_cast<void *>(buf), len);
    }

private:
    os_hw_model_t model_{};

    static Machine *self(void *user) { return static_cast<Machine *>(user); }

    static uint64_t next_use_cb(void *user, int pid, uint64_t va)
    {
        Machine *m = self(user);
        return m->next_use ? m->next_use(pid, va) : UINT64_MAX;
    }
    static void killed_cb(void *user, int pid, os_kill_t why, uint64_t va)
    {
        self(user)->kills.push_back(Kill{pid, why, va});
    }
};

inline const char *kill_name(os_kill_t why)
{
    switch (why) {
    case OS_KILL_NONE: return "none";
    case OS_KILL_SEGV_MAPERR: return "SEGV_MAPERR";
    case OS_KILL_SEGV_ACCERR: return "SEGV_ACCERR";
    case OS_KILL_BUS_ADRERR: return "BUS_ADRERR";
    case OS_KILL_OOM: return "OOM";
    }
    return "?";
}

} // namespace os_harness

#endif
