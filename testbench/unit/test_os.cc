// test_os.cc - directed tests of the operating-system side (csrc/os.h): one
// test per CS:APP 9.8 mechanism (shared objects, private copy-on-write
// objects, fork, demand-zero, munmap / mprotect splitting, every signal),
// swap and OOM, ASID reuse, and the page-replacement policies against fault
// counts worked out by hand in the comments.
//
// Every expected value comes from the semantics (csrc/os.h, docs/os.md,
// docs/workload.md) or from the hand computations next to it; none was
// obtained by running the implementation.
//
// After every call the suite runs os_check(), which must return 0.

#include <gtest/gtest.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "os_harness.h"

namespace {

using os_harness::Machine;

constexpr uint64_t PG = PAGE_SIZE;
constexpr uint64_t kX = 0x40000000ull; // a fixed user address used throughout
constexpr int kRW = OS_PROT_READ | OS_PROT_WRITE;
constexpr int kPrivAnon = OS_MAP_PRIVATE | OS_MAP_ANON;
constexpr int kSharedAnon = OS_MAP_SHARED | OS_MAP_ANON;

using Keys = std::vector<std::pair<std::string, std::string>>;
using Bytes = std::vector<uint8_t>;

Bytes str_bytes(const std::string &s) { return Bytes(s.begin(), s.end()); }

// Byte i of the test pattern number n: distinct for different n and i.
uint8_t pat(unsigned n, uint64_t i) { return (uint8_t)((i * 131u + n * 29u + (i >> 8) * 7u + 1u) & 0xff); }
Bytes pattern(unsigned n, uint64_t len)
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

    os_t *os() { return m.os; }

    // os_check after a step, with the step named in the failure.
    void ok(const char *step)
    {
        std::string e = m.check();
        EXPECT_EQ("", e) << "os_check after " << step;
    }

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

    Bytes load(int pid, uint64_t va, uint64_t len, acc_t acc = ACC_LOAD)
    {
        Bytes b(len, 0xee);
        int r = os_access(os(), pid, va, acc, b.data(), len);
        EXPECT_EQ(0, r) << "load pid " << pid << " va 0x" << std::hex << va;
        ok("load");
        return b;
    }
    uint8_t load1(int pid, uint64_t va) { return load(pid, va, 1)[0]; }

    void store(int pid, uint64_t va, const Bytes &b)
    {
        Bytes copy = b;
        int r = os_access(os(), pid, va, ACC_STORE, copy.data(), copy.size());
        EXPECT_EQ(0, r) << "store pid " << pid << " va 0x" << std::hex << va;
        ok("store");
    }
    void store1(int pid, uint64_t va, uint8_t v) { store(pid, va, Bytes{v}); }

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

    void expect_all_free()
    {
        EXPECT_EQ(0u, os_user_frames_used(os()));
        EXPECT_EQ(0u, os_table_frames_used(os()));
        EXPECT_EQ(0u, os_swap_slots_used(os()));
    }

    const os_stats_t &ps(int pid)
    {
        static os_stats_t none{};
        const os_stats_t *s = os_proc_stats(os(), pid);
        EXPECT_NE(nullptr, s) << "pid " << pid;
        return s ? *s : none;
    }
};

// ---------------------------------------------------------------------------
// Shared objects (CS:APP 9.8.1): one file mapped MAP_SHARED by two processes.

TEST_F(OsTest, SharedFileWriteSeenByOtherProcessAndFile)
{
    ASSERT_TRUE(boot());
    file("data", str_bytes("hello, world\n")); // 13 bytes
    spawn(1);
    spawn(2);
    uint64_t a1 = map(1, 0, PG, kRW, OS_MAP_SHARED, "data", 0);
    uint64_t a2 = map(2, 0, PG, kRW, OS_MAP_SHARED, "data", 0);
    store1(2, a2, 'J'); // first touch of the page: read from the file
    EXPECT_EQ(str_bytes("Jello"), load(1, a1, 5)); // the same page-cache page
    EXPECT_EQ(str_bytes("Jello, world\n"), read_file("data")); // read() sees it at once
    EXPECT_EQ(1u, os_stats(os())->file_pageins);
    EXPECT_EQ(1u, os_stats(os())->cache_hits);
    EXPECT_EQ(1u, ps(2).file_pageins);
    EXPECT_EQ(1u, ps(1).cache_hits);

    // msync writes the one dirty page back; a second msync finds it clean.
    EXPECT_EQ(0, os_msync(os(), 2, a2, PG));
    ok("msync");
    EXPECT_EQ(1u, os_stats(os())->writebacks);
    EXPECT_EQ(0, os_msync(os(), 2, a2, PG));
    ok("msync");
    EXPECT_EQ(1u, os_stats(os())->writebacks);

    store(1, a1 + 7, str_bytes("W")); // dirty again, written back at unmap / exit
    EXPECT_EQ(0, os_munmap(os(), 1, a1, PG));
    ok("munmap");
    exit(1);
    exit(2);
    expect_all_free();
    EXPECT_EQ(13, os_file_size(os(), "data"));
    EXPECT_EQ(str_bytes("Jello, World\n"), read_file("data"));
}

// msync writes back the dirty pages of the file in the range, whichever
// process dirtied them (the page is one page-cache page): process 1's msync
// must write the page process 2 wrote through its own mapping, and then a
// second msync, by either, finds it clean.
TEST_F(OsTest, MsyncWritesPageDirtiedThroughAnotherMapping)
{
    ASSERT_TRUE(boot());
    file("data", str_bytes("hello, world\n"));
    spawn(1);
    spawn(2);
    uint64_t a1 = map(1, 0, PG, kRW, OS_MAP_SHARED, "data", 0);
    uint64_t a2 = map(2, 0, PG, kRW, OS_MAP_SHARED, "data", 0);
    EXPECT_EQ(str_bytes("hello"), load(1, a1, 5));
    store1(2, a2, 'J');
    EXPECT_EQ(0, os_msync(os(), 1, a1, PG));
    ok("msync");
    EXPECT_EQ(1u, os_stats(os())->writebacks) << "msync of 1 missed the page dirtied through 2's mapping";
    EXPECT_EQ(0, os_msync(os(), 2, a2, PG));
    ok("msync");
    EXPECT_EQ(1u, os_stats(os())->writebacks) << "the page was clean after the first msync";
    exit(1);
    exit(2);
    expect_all_free();
    EXPECT_EQ(str_bytes("Jello, world\n"), read_file("data"));
}

// docs/workload.md's example: the shared mapping is inherited by fork.
TEST_F(OsTest, SharedFileMappingInheritedByFork)
{
    ASSERT_TRUE(boot());
    file("data", str_bytes("hello, world\n"));
    spawn(1);
    uint64_t a = map(1, 0, PG, kRW, OS_MAP_SHARED, "data", 0);
    fork(1, 2);
    store(2, a, str_bytes("J"));
    EXPECT_EQ(str_bytes("Jello"), load(1, a, 5));
    EXPECT_EQ(str_bytes("Jello, world\n"), read_file("data"));
    exit(2);
    exit(1);
    expect_all_free();
    EXPECT_EQ(str_bytes("Jello, world\n"), read_file("data"));
}

// Shared anonymous memory stays shared across fork, both ways.
TEST_F(OsTest, SharedAnonymousSharedAcrossFork)
{
    ASSERT_TRUE(boot());
    spawn(1);
    uint64_t a = map(1, 0, 2 * PG, kRW, kSharedAnon);
    store1(1, a, 0x11);
    fork(1, 2);
    fork(2, 3); // a grandchild shares it too
    store1(2, a + PG + 5, 0x22); // a page nobody touched before the fork
    store1(3, a, 0x33);
    EXPECT_EQ(0x33, load1(1, a));
    EXPECT_EQ(0x22, load1(1, a + PG + 5));
    EXPECT_EQ(0x22, load1(3, a + PG + 5));
    // An unrelated process mapping shared anonymous memory gets a new object.
    spawn(4);
    uint64_t b = map(4, 0, PG, kRW, kSharedAnon);
    EXPECT_EQ(0, load1(4, b));
    exit(1);
    store1(3, a + 1, 0x44);
    EXPECT_EQ(0x44, load1(2, a + 1));
    exit(2);
    exit(3);
    exit(4);
    expect_all_free();
}

// ---------------------------------------------------------------------------
// Private copy-on-write objects (CS:APP 9.8.2).

// A private file mapping sees the file (including other processes' shared
// writes) until it writes a page; then that page is its own copy, and its
// writes never reach the file nor another process's shared mapping.
TEST_F(OsTest, PrivateFileMappingCopyOnWrite)
{
    ASSERT_TRUE(boot());
    Bytes content = pattern(1, 2 * PG + 100);
    file("f", content);
    spawn(1);
    spawn(2);
    uint64_t p = map(1, 0, 3 * PG, kRW, OS_MAP_PRIVATE, "f", 0);
    uint64_t s = map(2, 0, 3 * PG, kRW, OS_MAP_SHARED, "f", 0);
    EXPECT_EQ(Bytes(content.begin(), content.begin() + 64), load(1, p, 64));
    store1(2, s + 10, 0xA1); // before 1 writes: 1 sees it
    EXPECT_EQ(0xA1, load1(1, p + 10));
    store1(1, p + 20, 0xB2); // 1's own copy of page 0 from now on
    EXPECT_EQ(1u, ps(1).cow_copies);
    EXPECT_EQ(0xA1, load1(1, p + 10)); // copied at the time of the write
    EXPECT_EQ(0xB2, load1(1, p + 20));
    store1(2, s + 10, 0xC3); // no longer seen by 1
    EXPECT_EQ(0xA1, load1(1, p + 10));
    EXPECT_EQ(content[20], load1(2, s + 20)); // 1's write reached neither 2 ...
    // ... nor, page 1 still being unwritten by 1, does a write of 2 stay hidden.
    store1(2, s + PG + 1, 0xD4);
    EXPECT_EQ(0xD4, load1(1, p + PG + 1));
    // The tail of the last page reads zero in both.
    EXPECT_EQ(0, load1(1, p + 2 * PG + 100));
    EXPECT_EQ(0, load1(2, s + 2 * PG + 4095));
    EXPECT_EQ(0, os_msync(os(), 1, p, 3 * PG)); // msync of a private mapping writes nothing
    ok("msync");
    exit(1);
    exit(2);
    expect_all_free();
    Bytes expect = content;
    expect[10] = 0xC3;
    expect[PG + 1] = 0xD4;
    EXPECT_EQ(expect, read_file("f"));
}

// fork: the child's first write copies; then the parent, the only sharer
// left, writes without copying (reuse).  The other page: the parent writes
// first (copy), then the child reuses.
TEST_F(OsTest, CowCopyThenReuseAfterFork)
{
    ASSERT_TRUE(boot());
    spawn(1);
    uint64_t a = map(1, kX, 2 * PG, kRW, kPrivAnon | OS_MAP_FIXED);
    store1(1, a, 0x11);
    store1(1, a + PG, 0x55);
    EXPECT_EQ(2u, ps(1).zero_fills);
    fork(1, 2);
    EXPECT_EQ(0x11, load1(2, a));
    EXPECT_EQ(0x11, load1(1, a));
    store1(2, a, 0x22); // page 0 has two sharers: copy
    EXPECT_EQ(1u, ps(2).cow_copies);
    EXPECT_EQ(0u, ps(2).cow_reuses);
    store1(1, a, 0x33); // one sharer left: reuse
    EXPECT_EQ(0u, ps(1).cow_copies);
    EXPECT_EQ(1u, ps(1).cow_reuses);
    store1(1, a + PG, 0x66); // page 1: parent first: copy
    EXPECT_EQ(1u, ps(1).cow_copies);
    store1(2, a + PG, 0x77); // child: reuse
    EXPECT_EQ(1u, ps(2).cow_reuses);
    EXPECT_EQ(0x33, load1(1, a));
    EXPECT_EQ(0x22, load1(2, a));
    EXPECT_EQ(0x66, load1(1, a + PG));
    EXPECT_EQ(0x77, load1(2, a + PG));
    EXPECT_EQ(2u, os_stats(os())->cow_copies);
    EXPECT_EQ(2u, os_stats(os())->cow_reuses);

    // When the other sharer exits, the survivor reuses as well.
    fork(1, 3);
    exit(3);
    store1(1, a, 0x44);
    EXPECT_EQ(2u, ps(1).cow_reuses);
    EXPECT_EQ(1u, ps(1).cow_copies);
    EXPECT_EQ(0x44, load1(1, a));
    EXPECT_EQ(0x22, load1(2, a));
    // Four user frames: 1's two pages and 2's two pages.
    EXPECT_EQ(4u, os_user_frames_used(os()));
    exit(1);
    exit(2);
    expect_all_free();
}

// mprotect read-only and back to read-write after fork must not let the
// parent write into the frame the child still shares.
TEST_F(OsTest, CowSurvivesMprotectRoundTrip)
{
    ASSERT_TRUE(boot());
    spawn(1);
    uint64_t a = map(1, kX, PG, kRW, kPrivAnon | OS_MAP_FIXED);
    store1(1, a, 0xAA);
    fork(1, 2);
    EXPECT_EQ(0, os_mprotect(os(), 1, a, PG, OS_PROT_READ));
    ok("mprotect");
    EXPECT_EQ(0, os_mprotect(os(), 1, a, PG, kRW));
    ok("mprotect");
    store1(1, a, 0xBB);
    EXPECT_EQ(0xAA, load1(2, a));
    EXPECT_EQ(0xBB, load1(1, a));
    exit(1);
    exit(2);
    expect_all_free();
}

// The child gets a snapshot: later writes on either side are private.
TEST_F(OsTest, ForkSnapshotIsPrivate)
{
    ASSERT_TRUE(boot());
    spawn(1);
    uint64_t a = map(1, 0, 4 * PG, kRW, kPrivAnon);
    Bytes before = pattern(7, 4 * PG);
    store(1, a, before);
    fork(1, 2);
    store(1, a + 100, Bytes{1, 2, 3, 4, 5, 6, 7, 8});
    store(2, a + 3 * PG + 9, Bytes{9, 9});
    Bytes p1 = before, p2 = before;
    for (int i = 0; i < 8; i++)
        p1[100 + i] = (uint8_t)(i + 1);
    p2[3 * PG + 9] = p2[3 * PG + 10] = 9;
    EXPECT_EQ(p1, load(1, a, 4 * PG));
    EXPECT_EQ(p2, load(2, a, 4 * PG));
    // Untouched pages after fork are demand-zero in both.
    uint64_t b = map(1, 0, PG, kRW, kPrivAnon);
    fork(1, 3);
    EXPECT_EQ(0, load1(3, b + 77));
    EXPECT_EQ(p1, load(3, a, 4 * PG));
    exit(1);
    exit(2);
    exit(3);
    expect_all_free();
}

// A page shared copy-on-write that was swapped out while shared.
TEST_F(OsTest, CowOfPageSwappedOutWhileShared)
{
    ASSERT_TRUE(boot({{"os.user_frames", "4"}, {"swap.slots", "64"}}));
    spawn(1);
    const uint64_t n = 16;
    uint64_t a = map(1, 0, n * PG, kRW, kPrivAnon);
    for (uint64_t i = 0; i < n; i++)
        store(1, a + i * PG, pattern((unsigned)i, 64));
    fork(1, 2); // 12 of the 16 shared pages are in swap
    EXPECT_GT(os_swap_slots_used(os()), 0u);
    store(2, a, Bytes(64, 0xC0)); // page 0, written first: swapped out long ago
    for (uint64_t i = 0; i < n; i++) {
        EXPECT_EQ(pattern((unsigned)i, 64), load(1, a + i * PG, 64)) << "page " << i;
        EXPECT_EQ(i == 0 ? Bytes(64, 0xC0) : pattern((unsigned)i, 64), load(2, a + i * PG, 64)) << "page " << i;
    }
    for (uint64_t i = 0; i < n; i += 3)
        store(1, a + i * PG + 1, Bytes{0x99});
    for (uint64_t i = 0; i < n; i++) {
        Bytes e1 = pattern((unsigned)i, 64), e2 = i == 0 ? Bytes(64, 0xC0) : pattern((unsigned)i, 64);
        if (i % 3 == 0)
            e1[1] = 0x99;
        EXPECT_EQ(e1, load(1, a + i * PG, 64)) << "page " << i;
        EXPECT_EQ(e2, load(2, a + i * PG, 64)) << "page " << i;
    }
    exit(1);
    exit(2);
    expect_all_free();
}

// A page swapped out while shared by parent and child: the first to fault
// reads it from swap, the second finds it in the swap cache (the same
// frame); then the first store copies and the second reuses.
TEST_F(OsTest, SwapCacheServesTheSecondSharer)
{
    ASSERT_TRUE(boot({{"os.user_frames", "4"}, {"swap.slots", "64"}, {"os.policy", "fifo"}}));
    spawn(1);
    uint64_t a = map(1, 0, 8 * PG, kRW, kPrivAnon);
    for (uint64_t i = 0; i < 8; i++) // FIFO, four frames: pages 0..3 end in swap
        store(1, a + i * PG, pattern((unsigned)i, 32));
    EXPECT_EQ(4u, ps(1).swap_outs);
    fork(1, 2);
    EXPECT_EQ(pattern(0, 32), load(2, a, 32));
    EXPECT_EQ(1u, ps(2).swap_ins);
    EXPECT_EQ(pattern(0, 32), load(1, a, 32));
    EXPECT_EQ(0u, ps(1).swap_ins);
    EXPECT_EQ(1u, ps(1).swap_cache_hits);
    store(2, a + 1, Bytes{0xE1});
    EXPECT_EQ(1u, ps(2).cow_copies);
    store(1, a + 1, Bytes{0xE2});
    EXPECT_EQ(1u, ps(1).cow_reuses);
    EXPECT_EQ(0u, ps(1).cow_copies);
    Bytes e1 = pattern(0, 32), e2 = pattern(0, 32);
    e1[1] = 0xE2;
    e2[1] = 0xE1;
    EXPECT_EQ(e1, load(1, a, 32));
    EXPECT_EQ(e2, load(2, a, 32));
    exit(1);
    exit(2);
    expect_all_free();
}

// Shared anonymous pages evicted under pressure keep their contents without
// any swap (docs/os.md: they go to the object's own store).
TEST_F(OsTest, SharedAnonymousSurvivesEvictionWithoutSwap)
{
    ASSERT_TRUE(boot({{"os.user_frames", "4"}, {"swap.slots", "0"}}));
    spawn(1);
    const uint64_t n = 12;
    uint64_t a = map(1, 0, n * PG, kRW, kSharedAnon);
    fork(1, 2);
    for (uint64_t i = 0; i < n; i++)
        store(i % 2 ? 2 : 1, a + i * PG, pattern((unsigned)i, 64));
    for (uint64_t i = 0; i < n; i++) {
        EXPECT_EQ(pattern((unsigned)i, 64), load(1, a + i * PG, 64)) << "page " << i;
        EXPECT_EQ(pattern((unsigned)i, 64), load(2, a + i * PG, 64)) << "page " << i;
    }
    EXPECT_EQ(0u, os_stats(os())->oom_kills);
    exit(1);
    exit(2);
    expect_all_free();
}

// ---------------------------------------------------------------------------
// Demand-zero pages.

TEST_F(OsTest, DemandZeroCountsZeroFills)
{
    ASSERT_TRUE(boot());
    spawn(1);
    uint64_t a = map(1, 0, 8 * PG, kRW, kPrivAnon);
    EXPECT_EQ(0u, os_user_frames_used(os())); // mmap allocates nothing
    for (uint64_t i = 0; i < 4; i++)
        store(1, a + i * PG + 8, Bytes{(uint8_t)(i + 1)});
    EXPECT_EQ(4u, ps(1).zero_fills);
    EXPECT_EQ(4u, ps(1).page_faults);
    EXPECT_EQ(4u, os_user_frames_used(os()));
    for (uint64_t i = 0; i < 4; i++) {
        Bytes e(16, 0);
        e[8] = (uint8_t)(i + 1);
        EXPECT_EQ(e, load(1, a + i * PG, 16));
    }
    EXPECT_EQ(4u, ps(1).zero_fills); // present pages: no new fills
    for (uint64_t i = 4; i < 8; i++)
        EXPECT_EQ(Bytes(PG, 0), load(1, a + i * PG, PG)); // first read: zeros
    EXPECT_EQ(8u, ps(1).zero_fills);
    EXPECT_EQ(0u, ps(1).file_pageins);
    EXPECT_EQ(0u, ps(1).major_faults);
    exit(1);
    expect_all_free();
}

// ---------------------------------------------------------------------------
// munmap and mprotect split areas.

TEST_F(OsTest, MunmapSplitsArea)
{
    ASSERT_TRUE(boot());
    spawn(1);
    uint64_t a = map(1, kX, 4 * PG, kRW, kPrivAnon | OS_MAP_FIXED);
    for (uint64_t i = 0; i < 4; i++)
        store1(1, a + i * PG, (uint8_t)(0x10 + i));
    EXPECT_EQ(0, os_munmap(os(), 1, a + PG, PG)); // the middle: two areas left
    ok("munmap");
    EXPECT_EQ(3u, os_user_frames_used(os())); // the unmapped page's frame is free
    fork(1, 2);
    expect_killed(2, a + PG + 5, ACC_LOAD, OS_KILL_SEGV_MAPERR, a + PG + 5);
    EXPECT_EQ(0x10, load1(1, a));
    EXPECT_EQ(0x12, load1(1, a + 2 * PG));
    EXPECT_EQ(0x13, load1(1, a + 3 * PG));
    // Unmap across the hole and the start of the upper area.
    EXPECT_EQ(0, os_munmap(os(), 1, a + PG, 2 * PG));
    ok("munmap");
    fork(1, 3);
    expect_killed(3, a + 2 * PG, ACC_STORE, OS_KILL_SEGV_MAPERR, a + 2 * PG);
    EXPECT_EQ(0x10, load1(1, a));
    EXPECT_EQ(0x13, load1(1, a + 3 * PG));
    // The hole can take a new mapping: fresh zero pages, the rest unchanged.
    map(1, a + PG, 2 * PG, kRW, kPrivAnon | OS_MAP_FIXED);
    EXPECT_EQ(0, load1(1, a + 2 * PG));
    EXPECT_EQ(0x13, load1(1, a + 3 * PG));
    // MAP_FIXED over existing pages replaces them.
    map(1, a, PG, kRW, kPrivAnon | OS_MAP_FIXED);
    EXPECT_EQ(0, load1(1, a));
    exit(1);
    expect_all_free();
}

TEST_F(OsTest, MprotectSplitsArea)
{
    ASSERT_TRUE(boot());
    spawn(1);
    uint64_t a = map(1, kX, 3 * PG, kRW, kPrivAnon | OS_MAP_FIXED);
    for (uint64_t i = 0; i < 3; i++)
        store1(1, a + i * PG, (uint8_t)(0x20 + i));
    EXPECT_EQ(0, os_mprotect(os(), 1, a + PG, PG, OS_PROT_READ));
    ok("mprotect");
    fork(1, 2);
    expect_killed(2, a + PG + 3, ACC_STORE, OS_KILL_SEGV_ACCERR, a + PG + 3);
    store1(1, a, 0x30); // neighbours still writable
    store1(1, a + 2 * PG, 0x32);
    EXPECT_EQ(0x21, load1(1, a + PG)); // the faulting store changed nothing
    fork(1, 3);
    expect_killed(3, a + PG, ACC_STORE, OS_KILL_SEGV_ACCERR, a + PG);
    EXPECT_EQ(0, os_mprotect(os(), 1, a + PG, PG, kRW));
    ok("mprotect");
    store1(1, a + PG, 0x31);
    EXPECT_EQ(0x31, load1(1, a + PG));
    EXPECT_EQ(0, os_mprotect(os(), 1, a, 2 * PG, OS_PROT_NONE));
    ok("mprotect");
    fork(1, 4);
    expect_killed(4, a + PG + 8, ACC_LOAD, OS_KILL_SEGV_ACCERR, a + PG + 8);
    EXPECT_EQ(0x32, load1(1, a + 2 * PG));
    fork(1, 5);
    expect_killed(5, a, ACC_LOAD, OS_KILL_SEGV_ACCERR, a);
    EXPECT_EQ(0, os_mprotect(os(), 1, a, 3 * PG, kRW));
    ok("mprotect");
    EXPECT_EQ(0x30, load1(1, a));
    EXPECT_EQ(0x31, load1(1, a + PG));
    exit(1);
    expect_all_free();
}

// ---------------------------------------------------------------------------
// Signals: every kill reason, with the killed callback, os_alive and ESRCH.

TEST_F(OsTest, SegvMaperrOutsideAnyArea)
{
    ASSERT_TRUE(boot());
    spawn(1);
    map(1, kX, PG, kRW, kPrivAnon | OS_MAP_FIXED);
    expect_killed(1, kX + PG, ACC_LOAD, OS_KILL_SEGV_MAPERR, kX + PG);
    EXPECT_EQ(1u, os_stats(os())->signals);
    EXPECT_NE(nullptr, os_proc_stats(os(), 1)); // counters of an exited process remain
    expect_all_free();
}

TEST_F(OsTest, SegvMaperrAfterMunmapEvenWithTlbEntry)
{
    ASSERT_TRUE(boot());
    spawn(1);
    map(1, kX, PG, kRW, kPrivAnon | OS_MAP_FIXED);
    store1(1, kX, 7);
    EXPECT_EQ(7, load1(1, kX)); // the translation is in the TLB now
    EXPECT_EQ(0, os_munmap(os(), 1, kX, PG));
    ok("munmap");
    expect_killed(1, kX, ACC_LOAD, OS_KILL_SEGV_MAPERR, kX);
    expect_all_free();
}

TEST_F(OsTest, SegvAccerrStoreToReadOnlyLeavesPageUnchanged)
{
    ASSERT_TRUE(boot());
    spawn(1);
    uint64_t a = map(1, 0, PG, kRW, kSharedAnon);
    store1(1, a, 0x61);
    fork(1, 2);
    EXPECT_EQ(0, os_mprotect(os(), 2, a, PG, OS_PROT_READ));
    ok("mprotect");
    EXPECT_EQ(0x61, load1(2, a)); // readable
    expect_killed(2, a, ACC_STORE, OS_KILL_SEGV_ACCERR, a);
    EXPECT_EQ(0x61, load1(1, a));
    // A write-permission downgrade after the page was written: the stale
    // writable TLB entry must be gone.
    store1(1, a + 1, 0x62);
    EXPECT_EQ(0, os_mprotect(os(), 1, a, PG, OS_PROT_READ));
    ok("mprotect");
    expect_killed(1, a + 1, ACC_STORE, OS_KILL_SEGV_ACCERR, a + 1);
    EXPECT_EQ(2u, os_stats(os())->signals);
    expect_all_free();
}

TEST_F(OsTest, SegvAccerrFetchFromNonExec)
{
    ASSERT_TRUE(boot());
    spawn(1);
    uint64_t x = map(1, 0, PG, OS_PROT_READ | OS_PROT_EXEC, kPrivAnon);
    uint64_t d = map(1, 0, PG, kRW, kPrivAnon);
    EXPECT_EQ(Bytes(4, 0), load(1, x + 8, 4, ACC_FETCH)); // executable: fine
    store(1, d, Bytes{0x13, 0, 0, 0});
    expect_killed(1, d, ACC_FETCH, OS_KILL_SEGV_ACCERR, d, 4);
    expect_all_free();
}

TEST_F(OsTest, SegvAccerrProtNone)
{
    ASSERT_TRUE(boot());
    spawn(1);
    uint64_t a = map(1, 0, 2 * PG, OS_PROT_NONE, kPrivAnon);
    expect_killed(1, a + PG + 16, ACC_LOAD, OS_KILL_SEGV_ACCERR, a + PG + 16);
    expect_all_free();
}

// A file page wholly past end-of-file: SIGBUS; the tail of the last page
// reads zero, and writes to it never reach the file.
TEST_F(OsTest, BusAdrerrPastEndOfFileAndTailNeverWrittenBack)
{
    ASSERT_TRUE(boot());
    Bytes content = pattern(3, 100);
    file("small", content);
    spawn(1);
    uint64_t a = map(1, 0, 3 * PG, kRW, OS_MAP_SHARED, "small", 0);
    EXPECT_EQ(Bytes(content.begin() + 50, content.end()), load(1, a + 50, 50));
    EXPECT_EQ(Bytes(PG - 100, 0), load(1, a + 100, PG - 100));
    store(1, a + 200, Bytes{0x51, 0x52}); // the tail: allowed, never written back
    store1(1, a + 99, 0x77);              // the last byte of the file
    EXPECT_EQ(0, os_msync(os(), 1, a, 3 * PG));
    ok("msync");
    fork(1, 2);
    expect_killed(2, a + PG, ACC_LOAD, OS_KILL_BUS_ADRERR, a + PG);
    fork(1, 3);
    expect_killed(3, a + 2 * PG + 8, ACC_STORE, OS_KILL_BUS_ADRERR, a + 2 * PG + 8);
    // A private file mapping past end-of-file: SIGBUS as well.
    uint64_t p = map(1, 0, 2 * PG, kRW, OS_MAP_PRIVATE, "small", 0);
    expect_killed(1, p + PG + 1, ACC_STORE, OS_KILL_BUS_ADRERR, p + PG + 1);
    EXPECT_EQ(3u, os_stats(os())->signals);
    expect_all_free();
    Bytes expect = content;
    expect[99] = 0x77;
    EXPECT_EQ(100, os_file_size(os(), "small"));
    EXPECT_EQ(expect, read_file("small"));
    // Mapped again from scratch: the tail is zero.
    spawn(4);
    uint64_t b = map(4, 0, PG, OS_PROT_READ, OS_MAP_SHARED, "small", 0);
    EXPECT_EQ(Bytes(2, 0), load(4, b + 200, 2));
    EXPECT_EQ(0x77, load1(4, b + 99));
    exit(4);
    expect_all_free();
}

// A mapping that starts at a file offset: SIGBUS begins where the file ends.
TEST_F(OsTest, BusAdrerrWithFileOffset)
{
    ASSERT_TRUE(boot());
    Bytes content = pattern(4, 3 * PG); // exactly three pages
    file("three", content);
    spawn(1);
    uint64_t a = map(1, 0, 3 * PG, OS_PROT_READ, OS_MAP_PRIVATE, "three", PG);
    EXPECT_EQ(Bytes(content.begin() + 2 * PG, content.end()), load(1, a + PG, PG));
    expect_killed(1, a + 2 * PG, ACC_LOAD, OS_KILL_BUS_ADRERR, a + 2 * PG); // file offset 3 pages = size
    expect_all_free();
}

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
    uint64_t a = map(1, 0, n * PG, kRW, kPrivAnon);
    for (uint64_t i = 0; i < n; i++)
        store(1, a + i * PG, pattern((unsigned)i, PG));
    EXPECT_LE(os_user_frames_used(os()), 8u);
    EXPECT_GE(os_stats(os())->swap_outs, n - 8); // at most 8 resident
    for (int pass = 0; pass < 2; pass++)
        for (uint64_t i = 0; i < n; i++)
            EXPECT_EQ(pattern((unsigned)i, PG), load(1, a + i * PG, PG)) << "pass " << pass << " page " << i;
    EXPECT_GE(os_stats(os())->swap_ins, n - 8);
    EXPECT_LE(os_swap_slots_used(os()), n);
    exit(1);
    expect_all_free();
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
    exit(2);
    expect_all_free();
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
    exit(1);
    expect_all_free();
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
    exit(1);
    exit(2);
    expect_all_free();
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
    exit(10);
    exit(1);
    expect_all_free();
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
    exit(1);
    expect_all_free();
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
    exit(1);
    expect_all_free();
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

// ---------------------------------------------------------------------------
// Page replacement: one process, one private anonymous read/write area,
// one byte read from page v for each v of the string; page_faults counts
// the references that found their page absent.  next_use for opt is the
// index of the next reference to the page after the current one.

struct RefRun {
    uint64_t faults;
    std::string err;
};

RefRun run_refs(const std::vector<int> &refs, unsigned frames, const char *policy, const char *ad)
{
    Machine m;
    RefRun r{0, ""};
    ::testing::AssertionResult booted =
        m.boot({{"os.user_frames", std::to_string(frames)}, {"os.policy", policy}, {"ptw.ad", ad}, {"swap.slots", "16"}});
    if (!booted) {
        r.err = booted.message();
        return r;
    }
    int maxv = 0;
    for (int v : refs)
        maxv = std::max(maxv, v);
    uint64_t base = 0;
    size_t cur = 0;
    m.next_use = [&](int pid, uint64_t va) -> uint64_t {
        if (pid != 1 || va < base)
            return UINT64_MAX;
        int v = (int)((va - base) / PG);
        for (size_t j = cur + 1; j < refs.size(); j++)
            if (refs[j] == v)
                return j;
        return UINT64_MAX;
    };
    if (os_spawn(m.os, 1) ||
        os_mmap(m.os, 1, 0, (uint64_t)(maxv + 1) * PG, kRW, kPrivAnon, nullptr, 0, &base)) {
        r.err = "spawn/mmap failed";
        return r;
    }
    for (cur = 0; cur < refs.size(); cur++) {
        uint8_t b = 0xff;
        int rc = os_access(m.os, 1, base + (uint64_t)refs[cur] * PG + 17, ACC_LOAD, &b, 1);
        std::string e = m.check();
        if (rc || b != 0 || !e.empty()) {
            r.err = "reference " + std::to_string(cur) + ": rc " + std::to_string(rc) + " byte " +
                    std::to_string(b) + " os_check '" + e + "'";
            return r;
        }
    }
    r.faults = os_stats(m.os)->page_faults;
    if (os_exit(m.os, 1))
        r.err = "exit failed";
    return r;
}

// 7 0 1 2 0 3 0 4 2 3 0 3 2 1 2 0 1 7 0 1 (Silberschatz), three frames.
const std::vector<int> kTextbook = {7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1};
// 1 2 3 4 1 2 5 1 2 3 4 5: Belady's anomaly under FIFO.
const std::vector<int> kBelady = {1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5};

class OsReplacement : public ::testing::TestWithParam<const char *> {
protected:
    // The reference string refs with frames user frames under policy gives expected faults.
    void expect_faults(const std::vector<int> &refs, unsigned frames, const char *policy, uint64_t expected)
    {
        RefRun r = run_refs(refs, frames, policy, GetParam());
        EXPECT_EQ("", r.err);
        EXPECT_EQ(expected, r.faults) << policy << " with " << frames << " frames";
    }
};

// FIFO, textbook string, 3 frames (F = fault, frames oldest first):
//  7F[7] 0F[7 0] 1F[7 0 1] 2F[0 1 2] 0 3F[1 2 3] 0F[2 3 0] 4F[3 0 4]
//  2F[0 4 2] 3F[4 2 3] 0F[2 3 0] 3 2 1F[3 0 1] 2F[0 1 2] 0 1 7F[1 2 7]
//  0F[2 7 0] 1F[7 0 1]                                        = 15 faults
// Belady string, 3 frames:
//  1F 2F 3F[1 2 3] 4F[2 3 4] 1F[3 4 1] 2F[4 1 2] 5F[1 2 5] 1 2 3F[2 5 3]
//  4F[5 3 4] 5                                                 = 9 faults
// Belady string, 4 frames:
//  1F 2F 3F 4F[1 2 3 4] 1 2 5F[2 3 4 5] 1F[3 4 5 1] 2F[4 5 1 2] 3F[5 1 2 3]
//  4F[1 2 3 4] 5F[2 3 4 5]                                     = 10 faults
TEST_P(OsReplacement, Fifo)
{
    expect_faults(kTextbook, 3, "fifo", 15);
    expect_faults(kBelady, 3, "fifo", 9);
    expect_faults(kBelady, 4, "fifo", 10); // Belady's anomaly: more frames, more faults
}

// LRU, textbook string, 3 frames (victim = least recently used):
//  7F 0F 1F  2F(evict 7)[0 1 2]  0  3F(evict 1)[0 2 3]  0  4F(evict 2)[0 3 4]
//  2F(evict 3)[0 4 2]  3F(evict 0)[4 2 3]  0F(evict 4)[2 3 0]  3 2
//  1F(evict 0)[3 2 1]  2  0F(evict 3)[2 1 0]  1  7F(evict 2)[1 0 7]  0 1
//                                                               = 12 faults
// Belady string, 3 frames: 1F 2F 3F 4F(-1) 1F(-2) 2F(-3) 5F(-4) 1 2 3F(-5)
//  4F(-1) 5F(-2)                                                = 10 faults
// Belady string, 4 frames: 1F 2F 3F 4F 1 2 5F(-3) 1 2 3F(-4) 4F(-5) 5F(-1)
//                                                               = 8 faults
TEST_P(OsReplacement, Lru)
{
    expect_faults(kTextbook, 3, "lru", 12);
    expect_faults(kBelady, 3, "lru", 10);
    expect_faults(kBelady, 4, "lru", 8);
}

// OPT, textbook string, 3 frames (victim = page used farthest in future;
// positions 1-based):
//  7F 0F 1F  2F: 7 next at 18, 0 at 5, 1 at 14 -> evict 7 [0 1 2]  0
//  3F: 0@7 1@14 2@9 -> evict 1 [0 2 3]  0  4F: 0@11 2@9 3@10 -> evict 0
//  [2 3 4]  2 3  0F: 2@13 3@12 4 never -> evict 4 [2 3 0]  3 2
//  1F: 2@15 3 never 0@16 -> evict 3 [2 0 1]  2 0 1
//  7F: 2 never 0@19 1@20 -> evict 2 [0 1 7]  0 1                = 9 faults
// Belady string, 3 frames: 1F 2F 3F 4F(-3: 1@5 2@6 3@10) 1 2
//  5F(-4: 1@8 2@9 4@11) 1 2 3F(-1 or 2, neither used again) 4F(-the other or 3) 5
//                                                               = 7 faults
// Belady string, 4 frames: 1F 2F 3F 4F 1 2 5F(-4: 4@11 farthest) 1 2 3
//  4F(-1, 2 or 3: none used again) 5                            = 6 faults
TEST_P(OsReplacement, Opt)
{
    expect_faults(kTextbook, 3, "opt", 9);
    expect_faults(kBelady, 3, "opt", 7);
    expect_faults(kBelady, 4, "opt", 6);
}

// Clock (second chance), textbook string, 3 frames F0 F1 F2, hand h at F0.
// A newly loaded page has A = 1; a hit sets A; a fault with no free frame
// sweeps from h, clearing A = 1 frames, replaces the first A = 0 frame and
// leaves h just past it.  State after each reference as [pages] A=[bits] h:
//   1  7 F  [7 - -]  A=100  h0
//   2  0 F  [7 0 -]  A=110  h0
//   3  1 F  [7 0 1]  A=111  h0
//   4  2 F  clear F0 F1 F2, replace F0: [2 0 1] A=100 h1
//   5  0 .  [2 0 1]  A=110  h1
//   6  3 F  clear F1, replace F2: [2 0 3] A=101 h0
//   7  0 .  A=111
//   8  4 F  clear F0 F1 F2, replace F0: [4 0 3] A=100 h1
//   9  2 F  F1 A=0, replace: [4 2 3] A=110 h2
//  10  3 .  A=111
//  11  0 F  clear F2 F0 F1, replace F2: [4 2 0] A=001 h0
//  12  3 F  F0 A=0, replace: [3 2 0] A=101 h1
//  13  2 .  A=111
//  14  1 F  clear F1 F2 F0, replace F1: [3 1 0] A=010 h2
//  15  2 F  F2 A=0, replace: [3 1 2] A=011 h0
//  16  0 F  F0 A=0, replace: [0 1 2] A=111 h1
//  17  1 .  A=111
//  18  7 F  clear F1 F2 F0, replace F1: [0 7 2] A=010 h2
//  19  0 .  A=110
//  20  1 F  F2 A=0, replace: [0 7 1] A=111 h0
// Faults at 1 2 3 4 6 8 9 11 12 14 15 16 18 20              = 14 faults
// (between LRU's 12 and FIFO's 15).
TEST_P(OsReplacement, Clock)
{
    expect_faults(kTextbook, 3, "clock", 14);
}

// Random: no exact count, but never better than OPT (9) nor worse than one
// fault per reference; and it cannot miss the 6 compulsory faults.
TEST_P(OsReplacement, RandomBetweenOptAndAll)
{
    RefRun r = run_refs(kTextbook, 3, "random", GetParam());
    EXPECT_EQ("", r.err);
    EXPECT_GE(r.faults, 9u);
    EXPECT_LE(r.faults, kTextbook.size());
}

// With as many frames as distinct pages, every policy takes only the
// compulsory faults (6 distinct pages in the textbook string).
TEST_P(OsReplacement, CompulsoryOnlyWithEnoughFrames)
{
    for (const char *policy : {"clock", "fifo", "lru", "opt", "random"}) {
        RefRun r = run_refs(kTextbook, 6, policy, GetParam());
        EXPECT_EQ("", r.err) << policy;
        EXPECT_EQ(6u, r.faults) << policy;
    }
}

INSTANTIATE_TEST_SUITE_P(AdPolicies, OsReplacement, ::testing::Values("svade", "svadu"),
                         [](const ::testing::TestParamInfo<const char *> &i) { return std::string(i.param); });

} // namespace
