// test_os_swap.cc - directed tests of the operating-system side (csrc/os.h)
// under memory pressure and at its edges: swap round trips, the OOM killer,
// file pages that never need swap, the fault counters, ASID reuse, the
// errors of the process, file and memory calls, kernel-chosen addresses,
// brk and page-crossing accesses.
//
// Every expected value comes from the semantics (csrc/os.h, docs/os.md)
// or from the hand computations next to it; os_check() runs after every call.

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "os_fixture.h"

namespace {

using namespace os_harness;

// ---------------------------------------------------------------------------
// Swap and out-of-memory.

TEST_F(OsTest, SwapRoundTripKeepsEveryByte)
{
    ASSERT_TRUE(boot({{"os.user_frames", "8"}, {"swap.slots", "64"}}));
    spawn(1);
    const uint64_t n = 40;
    // Pages only ever read are clean: evicting them writes nothing.
    uint64_t z = map(1, 0, n * PG, OS_PROT_READ, kPrivAnon);
    for (int pass = 0; pass < 2; pass++)
        for (uint64_t i = 0; i < n; i++)
            EXPECT_EQ(Bytes(64, 0), load(1, z + i * PG + 64 * (uint64_t)pass, 64));
    EXPECT_EQ(0u, os_stats(os())->swap_outs) << "clean zero pages were written to swap";
    EXPECT_GE(os_stats(os())->dropped, 2 * n - 8);
    EXPECT_EQ(0u, os_swap_slots_used(os()));
    // Dirty ones go to swap and come back intact.
    uint64_t a = map_patterned(1, n, PG);
    EXPECT_LE(os_user_frames_used(os()), 8u);
    EXPECT_GE(os_stats(os())->swap_outs, n - 8); // at most 8 resident
    for (int pass = 0; pass < 2; pass++)
        for (uint64_t i = 0; i < n; i++)
            EXPECT_EQ(pattern((unsigned)i, PG), load(1, a + i * PG, PG)) << "pass " << pass << " page " << i;
    EXPECT_GE(os_stats(os())->swap_ins, n - 8);
    EXPECT_LE(os_swap_slots_used(os()), n);
    exit_all({1});
}

// Four frames and two slots hold six dirty pages; the seventh kills.
TEST_F(OsTest, OomKillWhenNoFrameAndNoSlot)
{
    ASSERT_TRUE(boot({{"os.user_frames", "4"}, {"swap.slots", "2"}}));
    spawn(1);
    spawn(2);
    uint64_t a = map(1, 0, 8 * PG, kRW, kPrivAnon);
    for (uint64_t i = 0; i < 6; i++)
        store1(1, a + i * PG, (uint8_t)(i + 1));
    expect_killed(1, a + 6 * PG, ACC_STORE, OS_KILL_OOM, 0);
    EXPECT_EQ(1u, os_stats(os())->oom_kills);
    EXPECT_EQ(0u, os_stats(os())->signals);
    EXPECT_EQ(1, os_alive(os(), 2));
    EXPECT_EQ(0u, os_user_frames_used(os())); // everything of 1 went back
    EXPECT_EQ(0u, os_swap_slots_used(os()));
    // The memory is usable again: five dirty pages in four frames and two
    // slots leave one slot spare, so swapping them in and out again always
    // finds room.
    uint64_t b = map(2, 0, 5 * PG, kRW, kPrivAnon);
    for (uint64_t i = 0; i < 5; i++)
        store1(2, b + i * PG, (uint8_t)(0x40 + i));
    for (int pass = 0; pass < 3; pass++)
        for (uint64_t i = 0; i < 5; i++)
            EXPECT_EQ(0x40 + i, load1(2, b + i * PG)) << "pass " << pass << " page " << i;
    exit_all({2});
}

// os.policy = random must consider every unpinned frame.  Four frames hold
// four dirty pages; after fork the child writes the page loaded last, so the
// copy needs a frame while its source frame is pinned.  With 64 free swap
// slots any of the three other pages can go to swap: no process may be
// OOM-killed, whatever the seed of the random choice.
TEST(OsRandomPolicy, NeverOomKillsWithSwapFree)
{
    for (unsigned seed = 1; seed <= 32; seed++) {
        Machine m;
        ASSERT_TRUE(m.boot({{"os.user_frames", "4"},
                            {"swap.slots", "64"},
                            {"os.policy", "random"},
                            {"os.seed", std::to_string(seed)}}));
        uint64_t a = 0;
        ASSERT_EQ(0, os_spawn(m.os, 1));
        ASSERT_EQ(0, os_mmap(m.os, 1, 0, 4 * PG, kRW, kPrivAnon, nullptr, 0, &a));
        for (uint64_t i = 0; i < 4; i++) {
            uint8_t v = (uint8_t)(i + 1);
            ASSERT_EQ(0, os_access(m.os, 1, a + i * PG, ACC_STORE, &v, 1));
        }
        ASSERT_EQ(0, os_fork(m.os, 1, 2));
        uint8_t v = 0x77;
        EXPECT_EQ(0, os_access(m.os, 2, a + 3 * PG, ACC_STORE, &v, 1)) << "os.seed " << seed;
        for (const os_harness::Kill &k : m.kills)
            ADD_FAILURE() << "os.seed " << seed << ": pid " << k.pid << " killed by " << os_harness::kill_name(k.why)
                          << " with 64 swap slots free";
        EXPECT_EQ("", m.check());
        if (!m.kills.empty())
            continue;
        for (uint64_t i = 0; i < 4; i++) {
            uint8_t b1 = 0, b2 = 0;
            EXPECT_EQ(0, os_access(m.os, 1, a + i * PG, ACC_LOAD, &b1, 1));
            EXPECT_EQ(0, os_access(m.os, 2, a + i * PG, ACC_LOAD, &b2, 1));
            EXPECT_EQ(i + 1, b1);
            EXPECT_EQ(i == 3 ? 0x77u : i + 1, b2);
        }
    }
}

// Clean file pages are dropped and dirty shared file pages are written back
// under pressure: neither needs swap, so no OOM with zero swap slots.
TEST_F(OsTest, FilePagesNeverNeedSwap)
{
    ASSERT_TRUE(boot({{"os.user_frames", "4"}, {"swap.slots", "0"}}));
    const uint64_t n = 12;
    Bytes content = pattern(5, n * PG);
    file("big", content);
    spawn(1);
    uint64_t s = map(1, 0, n * PG, kRW, OS_MAP_SHARED, "big", 0);
    uint64_t r = map(1, 0, n * PG, OS_PROT_READ, OS_MAP_PRIVATE, "big", 0);
    for (uint64_t i = 0; i < n; i++) // clean: dropped, never written back
        EXPECT_EQ(content[i * PG + 9], load1(1, s + i * PG + 9));
    EXPECT_EQ(0u, os_stats(os())->writebacks);
    EXPECT_GE(os_stats(os())->dropped, n - 4);
    for (uint64_t i = 0; i < n; i++)
        store1(1, s + i * PG + 3, (uint8_t)(0x80 + i));
    for (uint64_t i = 0; i < n; i++) {
        EXPECT_EQ(0x80 + i, load1(1, r + i * PG + 3)) << "page " << i;
        EXPECT_EQ(content[i * PG + 4], load1(1, s + i * PG + 4)) << "page " << i;
    }
    EXPECT_GE(os_stats(os())->writebacks, n - 4);
    EXPECT_EQ(0u, os_stats(os())->swap_outs);
    exit_all({1});
    for (uint64_t i = 0; i < n; i++)
        content[i * PG + 3] = (uint8_t)(0x80 + i);
    EXPECT_EQ(content, read_file("big"));
}

// page_faults = zero fills + file page-ins + swap-ins; major = file + swap
// page-ins (os.h), in a run without read() calls.
TEST_F(OsTest, FaultCountersAddUp)
{
    ASSERT_TRUE(boot({{"os.user_frames", "6"}, {"swap.slots", "64"}}));
    file("f", pattern(6, 5 * PG));
    spawn(1);
    uint64_t a = map(1, 0, 10 * PG, kRW, kPrivAnon);
    uint64_t f = map(1, 0, 5 * PG, kRW, OS_MAP_SHARED, "f", 0);
    for (int round = 0; round < 3; round++) {
        for (uint64_t i = 0; i < 10; i++)
            store1(1, a + i * PG, (uint8_t)i);
        for (uint64_t i = 0; i < 5; i++)
            load1(1, f + i * PG);
    }
    fork(1, 2);
    for (uint64_t i = 0; i < 10; i++)
        store1(2, a + i * PG, 0xff);
    const os_stats_t *s = os_stats(os());
    EXPECT_EQ(s->zero_fills + s->file_pageins + s->swap_ins, s->page_faults);
    EXPECT_EQ(ps(1).page_faults + ps(2).page_faults, s->page_faults); // the totals are the sum
    EXPECT_EQ(ps(1).zero_fills + ps(2).zero_fills, s->zero_fills);
    EXPECT_EQ(ps(1).cow_copies + ps(2).cow_copies, s->cow_copies);
    EXPECT_EQ(s->file_pageins + s->swap_ins, s->major_faults);
    EXPECT_EQ(10u, s->zero_fills);
    EXPECT_GT(s->swap_ins, 0u);
    EXPECT_GT(s->replays, 0u);
    EXPECT_GT(s->handler_cycles, 0u);
    exit_all({1, 2});
}

// ---------------------------------------------------------------------------
// ASIDs: with os.asids = 3, ASIDs 1 and 2 go to processes (0 never does), so
// two processes at most run at once.  A long-lived process keeps one ASID;
// each short-lived one gets the other, a reused ASID every time.  Each maps
// the same virtual page X to different contents and reads it FIRST: a stale
// translation left from the previous owner of the ASID would return the
// previous content.

TEST_F(OsTest, AsidReuseLeavesNoStaleTranslations)
{
    ASSERT_TRUE(boot({{"os.asids", "3"}}));
    const unsigned cycles = 6;
    for (unsigned i = 0; i < cycles; i++) {
        Bytes b = pattern(100 + i, PG);
        std::string name = "f" + std::to_string(i);
        file(name.c_str(), b);
    }
    spawn(1);
    map(1, kX, PG, kRW, kPrivAnon | OS_MAP_FIXED);
    store(1, kX, pattern(50, 64));
    for (unsigned i = 0; i < cycles; i++) {
        int pid = 10 + (int)i;
        spawn(pid);
        EXPECT_EQ(-EAGAIN, os_spawn(os(), 99)) << "a third process with two ASIDs";
        EXPECT_EQ(-EAGAIN, os_fork(os(), 1, 99));
        ok("spawn without ASID");
        std::string name = "f" + std::to_string(i);
        if (i % 2 == 0) {
            map(pid, kX, PG, kRW, kPrivAnon | OS_MAP_FIXED);
            EXPECT_EQ(Bytes(64, 0), load(pid, kX, 64)) << "cycle " << i;
        } else {
            map(pid, kX, PG, kRW, OS_MAP_PRIVATE | OS_MAP_FIXED, name.c_str(), 0);
            EXPECT_EQ(pattern(100 + i, 64), load(pid, kX, 64)) << "cycle " << i;
        }
        EXPECT_EQ(pattern(50, 64), load(1, kX, 64)) << "cycle " << i;
        store(pid, kX, pattern(200 + i, 64));
        EXPECT_EQ(pattern(200 + i, 64), load(pid, kX, 64));
        EXPECT_EQ(pattern(50, 64), load(1, kX, 64));
        exit(pid);
    }
    // pids can be reused, and so can the ASID once more.
    spawn(10);
    map(10, kX, PG, OS_PROT_READ, kPrivAnon | OS_MAP_FIXED);
    EXPECT_EQ(Bytes(64, 0), load(10, kX, 64));
    exit_all({10, 1});
}

// ---------------------------------------------------------------------------
// Process and file bookkeeping errors.

TEST_F(OsTest, ErrorsOfProcessAndFileCalls)
{
    ASSERT_TRUE(boot());
    uint8_t b[16] = {0};
    EXPECT_EQ(-EINVAL, os_spawn(os(), 0));
    EXPECT_EQ(-EINVAL, os_spawn(os(), 65536));
    spawn(1);
    EXPECT_EQ(-EEXIST, os_spawn(os(), 1));
    EXPECT_EQ(-ESRCH, os_fork(os(), 2, 3));
    EXPECT_EQ(-EEXIST, os_fork(os(), 1, 1));
    EXPECT_EQ(-ESRCH, os_exit(os(), 2));
    EXPECT_EQ(-ESRCH, os_switch(os(), 2));
    EXPECT_EQ(0, os_switch(os(), 1));
    EXPECT_EQ(-ESRCH, os_access(os(), 2, kX, ACC_LOAD, b, 1));
    EXPECT_EQ(nullptr, os_proc_stats(os(), 2));
    EXPECT_EQ(0, os_alive(os(), 2));
    EXPECT_EQ(1, os_alive(os(), 1));
    ok("process errors");

    EXPECT_EQ(0, os_file_create(os(), "x", "abc", 3));
    EXPECT_EQ(-EEXIST, os_file_create(os(), "x", "abc", 3));
    EXPECT_EQ(-ENOENT, os_file_size(os(), "nope"));
    EXPECT_EQ(-ENOENT, os_file_read(os(), "nope", 0, b, 1));
    EXPECT_EQ(3, os_file_size(os(), "x"));
    EXPECT_EQ(2, os_file_read(os(), "x", 1, b, sizeof b));
    EXPECT_EQ(0, std::memcmp(b, "bc", 2));
    EXPECT_EQ(0, os_file_read(os(), "x", 3, b, sizeof b));
    EXPECT_EQ(0, os_file_read(os(), "x", 100, b, sizeof b));
    ok("file errors");

    uint64_t out = 0;
    EXPECT_EQ(-EINVAL, os_mmap(os(), 1, 0, 0, kRW, kPrivAnon, nullptr, 0, &out)); // length 0
    EXPECT_EQ(-EINVAL, os_mmap(os(), 1, 0, PG, kRW, OS_MAP_ANON, nullptr, 0, &out)); // neither shared nor private
    EXPECT_EQ(-EINVAL, os_mmap(os(), 1, 0, PG, kRW, OS_MAP_SHARED | OS_MAP_PRIVATE | OS_MAP_ANON, nullptr, 0, &out));
    EXPECT_EQ(-EINVAL, os_mmap(os(), 1, kX + 1, PG, kRW, kPrivAnon | OS_MAP_FIXED, nullptr, 0, &out)); // unaligned
    EXPECT_EQ(-EINVAL, os_mmap(os(), 1, 0, PG, kRW, OS_MAP_PRIVATE, "x", 100, &out)); // unaligned offset
    EXPECT_GT(0, os_mmap(os(), 1, 0, PG, kRW, OS_MAP_PRIVATE, "nope", 0, &out));      // no such file
    EXPECT_EQ(-ESRCH, os_mmap(os(), 7, 0, PG, kRW, kPrivAnon, nullptr, 0, &out));
    EXPECT_EQ(-ESRCH, os_munmap(os(), 7, kX, PG));
    EXPECT_EQ(-ESRCH, os_mprotect(os(), 7, kX, PG, kRW));
    ok("mmap errors");
    // munmap of a range holding no mapping is not an error (POSIX).
    EXPECT_EQ(0, os_munmap(os(), 1, kX, 4 * PG));
    ok("munmap of nothing");
    exit(1);
    EXPECT_NE(nullptr, os_proc_stats(os(), 1));
    spawn(1); // a pid can be reused after exit
    exit_all({1});
}

// Kernel-chosen addresses are page aligned, in the canonical user half and
// never overlap another area.
TEST_F(OsTest, KernelChosenAddressesDoNotOverlap)
{
    ASSERT_TRUE(boot());
    file("f", pattern(8, 5 * PG));
    spawn(1);
    std::vector<std::pair<uint64_t, uint64_t>> got;
    for (int i = 0; i < 12; i++) {
        uint64_t len = (uint64_t)(1 + i % 5) * PG;
        uint64_t a = i % 3 == 0 ? map(1, 0, len, kRW, OS_MAP_PRIVATE, "f", 0) : map(1, 0, len, kRW, kPrivAnon);
        EXPECT_EQ(0u, a % PG);
        EXPECT_NE(0u, a);
        EXPECT_LT(a + len, 1ull << 38) << "user half of Sv39";
        for (auto &g : got)
            EXPECT_TRUE(a + len <= g.first || g.first + g.second <= a) << std::hex << a << " overlaps " << g.first;
        got.emplace_back(a, len);
        store1(1, a + len - 1, (uint8_t)i);
    }
    for (size_t i = 0; i < got.size(); i++)
        EXPECT_EQ((uint8_t)i, load1(1, got[i].first + got[i].second - 1));
    // A free hint is taken as it is (docs/os.md); a taken one is not.
    EXPECT_EQ(kX, map(1, kX, 2 * PG, kRW, kPrivAnon));
    uint64_t other = map(1, kX + PG, PG, kRW, kPrivAnon);
    EXPECT_TRUE(other + PG <= kX || other >= kX + 2 * PG) << std::hex << other;
    exit_all({1});
}

// The program break: starts at 0x10000000, grows demand-zero, shrinks.
TEST_F(OsTest, BrkGrowsAndShrinks)
{
    ASSERT_TRUE(boot());
    spawn(1);
    uint64_t brk = 0;
    EXPECT_EQ(0, os_brk(os(), 1, 0, &brk));
    EXPECT_EQ(0x10000000u, brk);
    EXPECT_EQ(0, os_brk(os(), 1, 0x10000000 + 3 * PG, &brk));
    ok("brk");
    EXPECT_EQ(0x10000000u + 3 * PG, brk);
    EXPECT_EQ(0, load1(1, 0x10000000 + 2 * PG + 5));
    store1(1, 0x10000000 + PG, 0x42);
    EXPECT_EQ(0x42, load1(1, 0x10000000 + PG));
    EXPECT_EQ(0, os_brk(os(), 1, 0x10000000 + PG, &brk));
    ok("brk");
    EXPECT_EQ(0x10000000u + PG, brk);
    expect_killed(1, 0x10000000 + PG, ACC_LOAD, OS_KILL_SEGV_MAPERR, 0x10000000 + PG);
    expect_all_free();
}

// Page-crossing accesses: both pages translated, bytes in order.
TEST_F(OsTest, PageCrossingAccess)
{
    ASSERT_TRUE(boot({{"os.user_frames", "2"}, {"swap.slots", "16"}}));
    spawn(1);
    uint64_t a = map(1, kX, 4 * PG, kRW, kPrivAnon | OS_MAP_FIXED);
    Bytes v{1, 2, 3, 4, 5, 6, 7, 8};
    store(1, a + PG - 3, v);        // crosses page 0 -> 1
    store(1, a + 3 * PG - 5, v);    // crosses page 2 -> 3, evicting with two frames
    EXPECT_EQ(v, load(1, a + PG - 3, 8));
    EXPECT_EQ(v, load(1, a + 3 * PG - 5, 8));
    Bytes big = pattern(9, PG);
    store(1, a + 2 * PG + 100, big); // a page's worth across two pages
    EXPECT_EQ(big, load(1, a + 2 * PG + 100, PG));
    EXPECT_EQ(v, load(1, a + PG - 3, 8));
    // A crossing into nothing: killed at the first byte of the missing page.
    expect_killed(1, a + 4 * PG - 2, ACC_LOAD, OS_KILL_SEGV_MAPERR, a + 4 * PG, 4);
    expect_all_free();
}

} // namespace
