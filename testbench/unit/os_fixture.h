// os_fixture.h - the fixture of the directed OS suites (test_os.cc,
// test_os_swap.cc): one Machine booted per test, and calls that check
// their own return codes and run os_check() after every step, naming the
// step in the failure.
#ifndef MMUSIM_TESTBENCH_OS_FIXTURE_H
#define MMUSIM_TESTBENCH_OS_FIXTURE_H

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "os_harness.h"

namespace os_harness {

constexpr uint64_t PG = PAGE_SIZE;
constexpr uint64_t kX = 0x40000000ull; // a fixed user address used throughout
constexpr int kRW = OS_PROT_READ | OS_PROT_WRITE;
constexpr int kPrivAnon = OS_MAP_PRIVATE | OS_MAP_ANON;
constexpr int kSharedAnon = OS_MAP_SHARED | OS_MAP_ANON;

using Keys = std::vector<std::pair<std::string, std::string>>;
using Bytes = std::vector<uint8_t>;

inline Bytes str_bytes(const std::string &s) { return Bytes(s.begin(), s.end()); }

// Byte i of the test pattern number n: distinct for different n and i.
inline uint8_t pat(unsigned n, uint64_t i) { return (uint8_t)((i * 131u + n * 29u + (i >> 8) * 7u + 1u) & 0xff); }
inline Bytes pattern(unsigned n, uint64_t len)
{
    Bytes b(len);
    for (uint64_t i = 0; i < len; i++)
        b[i] = pat(n, i);
    return b;
}

class OsTest : public ::testing::Test {
protected:
    Machine m;

    // Boots with keys; the test stops on failure.
    ::testing::AssertionResult boot(const Keys &keys = {}) { return m.boot(keys); }

    // The OS under test.
    os_t *os() { return m.os; }

    // os_check after a step, with the step named in the failure.
    void ok(const char *step)
    {
        std::string e = m.check();
        EXPECT_EQ("", e) << "os_check after " << step;
    }

    // os_mmap that must succeed (at addr exactly with OS_MAP_FIXED); returns the address.
    uint64_t map(int pid, uint64_t addr, uint64_t len, int prot, int flags, const char *file = nullptr,
                 uint64_t off = 0)
    {
        uint64_t out = 0;
        int r = os_mmap(os(), pid, addr, len, prot, flags, file, off, &out);
        EXPECT_EQ(0, r) << "mmap pid " << pid << " addr 0x" << std::hex << addr;
        if (flags & OS_MAP_FIXED) {
            EXPECT_EQ(addr, out);
        }
        ok("mmap");
        return out;
    }

    // len bytes at va of pid by an access of kind acc that must succeed; load1: one byte.
    Bytes load(int pid, uint64_t va, uint64_t len, acc_t acc = ACC_LOAD)
    {
        Bytes b(len, 0xee);
        int r = os_access(os(), pid, va, acc, b.data(), len);
        EXPECT_EQ(0, r) << "load pid " << pid << " va 0x" << std::hex << va;
        ok("load");
        return b;
    }
    uint8_t load1(int pid, uint64_t va) { return load(pid, va, 1)[0]; }

    // A store of b (store1: of the byte v) at va of pid that must succeed.
    void store(int pid, uint64_t va, const Bytes &b)
    {
        Bytes copy = b;
        int r = os_access(os(), pid, va, ACC_STORE, copy.data(), copy.size());
        EXPECT_EQ(0, r) << "store pid " << pid << " va 0x" << std::hex << va;
        ok("store");
    }
    void store1(int pid, uint64_t va, uint8_t v) { store(pid, va, Bytes{v}); }

    // Maps n private anonymous read/write pages in pid where the kernel
    // chooses, page i starting with pattern(i, len); returns their address.
    uint64_t map_patterned(int pid, uint64_t n, uint64_t len)
    {
        uint64_t a = map(pid, 0, n * PG, kRW, kPrivAnon);
        for (uint64_t i = 0; i < n; i++)
            store(pid, a + i * PG, pattern((unsigned)i, len));
        return a;
    }

    // Spawns process 1 with n private anonymous pages at kX, page i starting
    // with the byte first + i; returns kX.
    uint64_t spawn_with_pages(uint64_t n, uint8_t first)
    {
        spawn(1);
        uint64_t a = map(1, kX, n * PG, kRW, kPrivAnon | OS_MAP_FIXED);
        for (uint64_t i = 0; i < n; i++)
            store1(1, a + i * PG, (uint8_t)(first + i));
        return a;
    }

    // An access that must kill pid with why at kill_va: -EFAULT, one killed
    // callback, the process gone.
    void expect_killed(int pid, uint64_t va, acc_t acc, os_kill_t why, uint64_t kill_va, uint64_t len = 1)
    {
        Bytes b(len, 0x5a);
        m.kills.clear();
        EXPECT_EQ(-EFAULT, os_access(os(), pid, va, acc, b.data(), len));
        ok("killing access");
        ASSERT_EQ(1u, m.kills.size());
        EXPECT_EQ(pid, m.kills[0].pid);
        EXPECT_EQ(why, m.kills[0].why) << os_harness::kill_name(m.kills[0].why) << " instead of "
                                       << os_harness::kill_name(why);
        if (why != OS_KILL_OOM) {
            EXPECT_EQ(kill_va, m.kills[0].va);
        }
        EXPECT_EQ(0, os_alive(os(), pid));
        EXPECT_EQ(-ESRCH, os_access(os(), pid, va, ACC_LOAD, b.data(), 1));
        m.kills.clear();
    }

    // spawn, fork, exit and file creation that must succeed.
    void spawn(int pid)
    {
        EXPECT_EQ(0, os_spawn(os(), pid));
        ok("spawn");
    }
    void fork(int parent, int child)
    {
        EXPECT_EQ(0, os_fork(os(), parent, child));
        ok("fork");
    }
    void exit(int pid)
    {
        EXPECT_EQ(0, os_exit(os(), pid));
        ok("exit");
    }
    void file(const char *name, const Bytes &data)
    {
        EXPECT_EQ(0, os_file_create(os(), name, data.data(), data.size()));
        ok("file_create");
    }
    // The whole file as read() sees it (page cache included).
    Bytes read_file(const char *name)
    {
        int64_t size = os_file_size(os(), name);
        EXPECT_GE(size, 0);
        Bytes b((size_t)(size > 0 ? size : 0) + 64, 0xee);
        int64_t n = os_file_read(os(), name, 0, b.data(), b.size());
        EXPECT_EQ(size, n);
        b.resize((size_t)(n > 0 ? n : 0));
        ok("file_read");
        return b;
    }

    // No user frame, page-table page or swap slot in use.
    void expect_all_free()
    {
        EXPECT_EQ(0u, os_user_frames_used(os()));
        EXPECT_EQ(0u, os_table_frames_used(os()));
        EXPECT_EQ(0u, os_swap_slots_used(os()));
    }

    // Exits every process of pids in turn; then nothing may be left in use.
    void exit_all(std::initializer_list<int> pids)
    {
        for (int pid : pids)
            exit(pid);
        expect_all_free();
    }

    // The counters of pid, which must have existed.
    const os_stats_t &ps(int pid)
    {
        static os_stats_t none{};
        const os_stats_t *s = os_proc_stats(os(), pid);
        EXPECT_NE(nullptr, s) << "pid " << pid;
        return s ? *s : none;
    }
};

} // namespace os_harness

#endif
