// test_os.cc - directed tests of the operating-system side (csrc/os.h): one
// test per CS:APP 9.8 mechanism (shared objects, private copy-on-write
// objects, fork, demand-zero, munmap / mprotect splitting, every signal).
// Swap, OOM, ASIDs and the calls' errors are in test_os_swap.cc, the
// page-replacement policies in test_os_replace.cc.
//
// Every expected value comes from the semantics (csrc/os.h, docs/os.md,
// docs/workload.md) or from the hand computations next to it; none was
// obtained by running the implementation.
//
// After every call the suite runs os_check(), which must return 0.

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdint>
#include <string>
#include <vector>

#include "os_fixture.h"

namespace {

using namespace os_harness;

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
    exit_all({1, 2});
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
    exit_all({1, 2});
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
    exit_all({2, 1});
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
    exit_all({2, 3, 4});
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
    exit_all({1, 2});
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
    exit_all({1, 2});
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
    exit_all({1, 2});
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
    exit_all({1, 2, 3});
}

// A page shared copy-on-write that was swapped out while shared.
TEST_F(OsTest, CowOfPageSwappedOutWhileShared)
{
    ASSERT_TRUE(boot({{"os.user_frames", "4"}, {"swap.slots", "64"}}));
    spawn(1);
    const uint64_t n = 16;
    uint64_t a = map_patterned(1, n, 64);
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
    exit_all({1, 2});
}

// A page swapped out while shared by parent and child: the first to fault
// reads it from swap, the second finds it in the swap cache (the same
// frame); then the first store copies and the second reuses.
TEST_F(OsTest, SwapCacheServesTheSecondSharer)
{
    ASSERT_TRUE(boot({{"os.user_frames", "4"}, {"swap.slots", "64"}, {"os.policy", "fifo"}}));
    spawn(1);
    uint64_t a = map_patterned(1, 8, 32); // FIFO, four frames: pages 0..3 end in swap
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
    exit_all({1, 2});
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
    exit_all({1, 2});
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
    exit_all({1});
}

// A driver that issues pid 1's translations itself and calls os_page_fault
// on each page fault, as a TLM initiator of its own does: the first store
// to a demand-zero page faults, the handler maps a zeroed frame, and the
// replay (replay set) succeeds on the same frame a later os_access sees.
TEST_F(OsTest, PageFaultEntryServesADriverOfItsOwn)
{
    ASSERT_TRUE(boot());
    spawn(1);
    uint64_t a = map(1, 0, 2 * PG, kRW, kPrivAnon);
    ASSERT_EQ(0, os_switch(os(), 1));
    mmu_req_t req = { a + 16, ACC_STORE, PRIV_U, (uint16_t)os_asid(os(), 1), 0 };
    mmu_resp_t resp;
    ASSERT_EQ(FAULT_STORE_PAGE, mmu_translate(m.mmu, &req, &resp));
    EXPECT_EQ(0, os_page_fault(os(), 1, req.va, ACC_STORE));
    ok("os_page_fault");
    EXPECT_EQ(1u, ps(1).zero_fills);
    EXPECT_EQ(1u, ps(1).replays);
    req.replay = 1;
    ASSERT_EQ(FAULT_NONE, mmu_translate(m.mmu, &req, &resp));
    ASSERT_EQ(0, dram_write(m.dram, resp.pa, "\x7e", 1));
    EXPECT_EQ(0x7e, load1(1, a + 16)); // the frame the replay reached is the page's
    EXPECT_EQ(Bytes(16, 0), load(1, a, 16));
    // No area there: the process is killed, as by an access of its own.
    m.kills.clear();
    EXPECT_EQ(-EFAULT, os_page_fault(os(), 1, a + 4 * PG, ACC_LOAD));
    ASSERT_EQ(1u, m.kills.size());
    EXPECT_EQ(OS_KILL_SEGV_MAPERR, m.kills[0].why);
    EXPECT_EQ(-ESRCH, os_page_fault(os(), 1, a, ACC_LOAD));
    expect_all_free();
}

// ---------------------------------------------------------------------------
// munmap and mprotect split areas.

TEST_F(OsTest, MunmapSplitsArea)
{
    ASSERT_TRUE(boot());
    uint64_t a = spawn_with_pages(4, 0x10);
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
    exit_all({1});
}

TEST_F(OsTest, MprotectSplitsArea)
{
    ASSERT_TRUE(boot());
    uint64_t a = spawn_with_pages(3, 0x20);
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
    exit_all({1});
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
    exit_all({4});
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

} // namespace
