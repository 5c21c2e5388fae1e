// test_os_oom.cc - directed tests of the OOM killer choosing the very
// process whose fault needs the frame (docs/os.md, "Swap and replacement"):
// the fault fails, the process is killed once the fault has unwound, and
// nothing the fault held is freed under it.  One test per place a fault
// allocates: the copy of a private file page (the last mapper of the file:
// issue 11), the copy of an anonymous page, swap-in, file page-in, a
// page-table page, demand-zero (private and shared), and the kernel's own
// accesses (os_copy_from_user, os_page_fault).  Then the other side: a
// larger process is the victim and the fault completes.
//
// Memory is os.user_frames frames with swap.slots slots; page-table pages
// are not counted.  An anonymous page that was stored to is dirty: with no
// free slot it cannot be evicted, and a page being copied is pinned, so
// every fault below finds no frame and the OOM killer picks the running
// process with the most mapped user frames, lowest pid on a tie.  The
// expected outcomes come from that rule; os_check() runs after every step.

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdint>

#include "os_fixture.h"

namespace {

using namespace os_harness;

constexpr uint64_t kF = kX + 16 * PG;    // a file mapping, apart from the anonymous pages at kX
constexpr uint64_t kGiB = 0x40000000ull; // the span of one level-1 table under Sv39

Keys two_frames_no_swap() { return {{"os.user_frames", "2"}, {"swap.slots", "0"}}; }

// OsTest and the two memories most cases start from.
class OomTest : public OsTest {
protected:
    // Two user frames, no swap; process 1 with one dirty page at kX (0x11)
    // and the private file obj (one page of pattern n) at kF, untouched.
    void one_page_and_private_file(unsigned n)
    {
        ASSERT_TRUE(boot(two_frames_no_swap()));
        file("obj", pattern(n, PG));
        spawn_with_pages(1, 0x11);
        map(1, kF, PG, kRW, OS_MAP_PRIVATE | OS_MAP_FIXED, "obj", 0);
    }

    // Three user frames, no swap; process 1 with dirty pages at kX (first,
    // first + 1), process 2 with one at va2 (first + 2): rss 2 and 1.
    void two_pages_and_one(uint8_t first, uint64_t va2)
    {
        ASSERT_TRUE(boot({{"os.user_frames", "3"}, {"swap.slots", "0"}}));
        spawn_with_pages(2, first);
        spawn(2);
        map(2, va2, PG, kRW, kPrivAnon | OS_MAP_FIXED);
        store1(2, va2, (uint8_t)(first + 2));
    }
};

// Issue 11.  Frame 1: process 1's dirty page at kX.  The store to the
// private file page reads it into the page cache (frame 2), then needs a
// third frame for the copy: kX has no slot to go to and the page-cache page
// is the copy's pinned source.  Process 1 maps one frame, the only process
// with any: it is the victim.  Its teardown drops the last mapping of the
// file, which empties the page cache, and must not happen while the copy
// still holds the page.
TEST_F(OomTest, PrivateFileCopyOfTheLastMapperKillsIt)
{
    ASSERT_NO_FATAL_FAILURE(one_page_and_private_file(1));
    expect_killed(1, kF, ACC_STORE, OS_KILL_OOM, 0);
    EXPECT_EQ(1u, os_stats(os())->oom_kills);
    EXPECT_EQ(1u, os_stats(os())->file_pageins);
    EXPECT_EQ(0u, os_stats(os())->cow_copies);
    expect_all_free(); // the page-cache page went with the last mapping
    EXPECT_EQ(pattern(1, PG), read_file("obj")) << "a private store reached the file";
}

// The same after a read: the store finds the page-cache page mapped
// read-only and copies it through do_wp_page (rss 2 now, still the only
// process with frames).
TEST_F(OomTest, PrivateFileWriteAfterReadOfTheLastMapperKillsIt)
{
    ASSERT_NO_FATAL_FAILURE(one_page_and_private_file(1));
    EXPECT_EQ(pattern(1, 8), load(1, kF, 8));
    expect_killed(1, kF, ACC_STORE, OS_KILL_OOM, 0);
    EXPECT_EQ(0u, os_stats(os())->cow_copies);
    expect_all_free();
    EXPECT_EQ(pattern(1, PG), read_file("obj"));
}

// The same with a second mapper of the file: 2 maps it but touched nothing
// (rss 0), so 1 is the victim again, and the page-cache page stays, held
// by 2's area: one user frame in use, which 2 then maps.
TEST_F(OomTest, PrivateFileCopyKeepsThePageOfAnotherMapper)
{
    ASSERT_NO_FATAL_FAILURE(one_page_and_private_file(2));
    spawn(2);
    map(2, kF, PG, OS_PROT_READ, OS_MAP_PRIVATE | OS_MAP_FIXED, "obj", 0);
    EXPECT_EQ(pattern(2, 8), load(1, kF, 8));
    expect_killed(1, kF + 3, ACC_STORE, OS_KILL_OOM, 0);
    EXPECT_EQ(1, os_alive(os(), 2));
    EXPECT_EQ(1u, os_user_frames_used(os())); // the page-cache page, kept by 2's area
    EXPECT_EQ(pattern(2, PG), load(2, kF, PG));
    EXPECT_EQ(1u, ps(2).cache_hits);
    EXPECT_EQ(1u, os_stats(os())->file_pageins); // read once, by 1
    exit_all({2});
}

// Copy-on-write of an anonymous page: after fork, 1 and 2 both map kX and
// kX + PG (rss 2 each, both frames dirty, no swap).  1's store to kX needs
// a frame for the copy: the tie goes to the lower pid, the writer.  Only 1
// dies: its teardown leaves both frames mapped by 2, so freeing 1 gives no
// frame, but the fault no longer asks for one; 2 keeps its pages and, now
// their only mapper, writes kX in place.
TEST_F(OomTest, AnonymousCopyKillsOnlyTheWriter)
{
    ASSERT_TRUE(boot(two_frames_no_swap()));
    spawn_with_pages(2, 0x21);
    fork(1, 2);
    expect_killed(1, kX, ACC_STORE, OS_KILL_OOM, 0);
    EXPECT_EQ(1, os_alive(os(), 2)) << "the OOM killer went on to a second process";
    EXPECT_EQ(1u, os_stats(os())->oom_kills);
    EXPECT_EQ(2u, os_user_frames_used(os()));
    EXPECT_EQ(0x21, load1(2, kX));
    EXPECT_EQ(0x22, load1(2, kX + PG));
    store1(2, kX, 0x99);
    EXPECT_EQ(1u, ps(2).cow_reuses);
    EXPECT_EQ(0u, os_stats(os())->cow_copies);
    EXPECT_EQ(0x99, load1(2, kX));
    exit_all({2});
}

// Swap-in, os.policy = fifo, one slot.  1 writes kX and kX + PG, forks 2,
// and writes kX + 2 PG: fifo evicts the oldest frame, kX (dirty), to the
// slot, which both PTEs now hold.  1's load of kX needs a frame: kX + PG
// and kX + 2 PG are dirty and the slot is taken.  1 maps 2 frames, 2 maps
// 1: 1 is the victim.  Afterwards 2 holds the slot alone and kX + PG; its
// own swap-in of kX finds the frame 1 gave back and frees the slot.
TEST_F(OomTest, SwapInKillsTheFaultingProcess)
{
    ASSERT_TRUE(boot({{"os.user_frames", "2"}, {"swap.slots", "1"}, {"os.policy", "fifo"}}));
    spawn_with_pages(2, 0x31);
    fork(1, 2);
    map(1, kX + 2 * PG, PG, kRW, kPrivAnon | OS_MAP_FIXED);
    store1(1, kX + 2 * PG, 0x33);
    EXPECT_EQ(1u, os_stats(os())->swap_outs);
    EXPECT_EQ(1u, os_swap_slots_used(os()));
    expect_killed(1, kX, ACC_LOAD, OS_KILL_OOM, 0);
    EXPECT_EQ(0u, os_stats(os())->swap_ins);
    EXPECT_EQ(1u, os_user_frames_used(os())); // kX + PG, mapped by 2
    EXPECT_EQ(1u, os_swap_slots_used(os()));  // kX, held by 2's PTE
    EXPECT_EQ(0x31, load1(2, kX));
    EXPECT_EQ(1u, ps(2).swap_ins);
    EXPECT_EQ(0u, os_swap_slots_used(os()));
    EXPECT_EQ(0x32, load1(2, kX + PG));
    exit_all({2});
}

// File page-in: both frames hold 1's dirty pages; the load of a page of a
// file 1 and 2 map shared needs a third.  1 (rss 2) goes, before reading
// anything; 2 (rss 0) then reads the page itself.
TEST_F(OomTest, FilePageInKillsTheFaultingProcess)
{
    ASSERT_TRUE(boot(two_frames_no_swap()));
    file("f", pattern(3, 2 * PG));
    spawn(1);
    spawn(2);
    map(1, kX, 2 * PG, kRW, kPrivAnon | OS_MAP_FIXED);
    store1(1, kX, 1);
    store1(1, kX + PG, 2);
    map(1, kF, 2 * PG, kRW, OS_MAP_SHARED | OS_MAP_FIXED, "f", 0);
    map(2, kF, 2 * PG, kRW, OS_MAP_SHARED | OS_MAP_FIXED, "f", 0);
    expect_killed(1, kF + PG, ACC_LOAD, OS_KILL_OOM, 0);
    EXPECT_EQ(0u, ps(1).file_pageins);
    EXPECT_EQ(0u, os_user_frames_used(os()));
    EXPECT_EQ(pattern(3, 2 * PG), load(2, kF, 2 * PG));
    EXPECT_EQ(2u, os_stats(os())->file_pageins);
    exit_all({2});
}

// A page-table page needed half-way through setting up the walk.  DRAM is
// 17 frames, all of them usable for user pages.  Roots: 1 and 2 (2 frames).
// 2's page at kX: a level-1 and a level-0 table and the page (5 in use).
// 1's nine pages at kX: two tables and nine pages (16 in use).  1's store in
// the next gigabyte needs a level-1 table (frame 17, the last) and then a
// level-0 table: DRAM is full and every user page is dirty with no swap.
// 1 maps 9 frames, 2 one: 1 is the victim, and its teardown frees the
// level-1 table the fault had already linked in.  2 keeps its root, its two
// tables and its page.
TEST_F(OomTest, PageTableAllocationKillsTheFaultingProcess)
{
    ASSERT_TRUE(boot({{"dram.size", "68K"}, {"swap.slots", "0"}}));
    spawn(1);
    spawn(2);
    map(2, kX, PG, kRW, kPrivAnon | OS_MAP_FIXED);
    store1(2, kX, 0x42);
    map(1, kX, 9 * PG, kRW, kPrivAnon | OS_MAP_FIXED);
    for (uint64_t i = 0; i < 9; i++)
        store1(1, kX + i * PG, (uint8_t)i);
    EXPECT_EQ(6u, os_table_frames_used(os()));
    EXPECT_EQ(10u, os_user_frames_used(os()));
    map(1, kX + kGiB, PG, kRW, kPrivAnon | OS_MAP_FIXED);
    expect_killed(1, kX + kGiB, ACC_STORE, OS_KILL_OOM, 0);
    EXPECT_EQ(3u, os_table_frames_used(os()));
    EXPECT_EQ(1u, os_user_frames_used(os()));
    EXPECT_EQ(0x42, load1(2, kX));
    // The frames 1 gave back serve 2's own new gigabyte.
    map(2, kX + kGiB, PG, kRW, kPrivAnon | OS_MAP_FIXED);
    store1(2, kX + kGiB, 0x43);
    EXPECT_EQ(5u, os_table_frames_used(os()));
    exit_all({2});
}

// Demand-zero of a private page: three frames, 1 maps two dirty pages, 2
// one.  1's first touch of a third page needs a fourth frame: 1 goes, 2's
// page stays.
TEST_F(OomTest, DemandZeroKillsTheFaultingProcess)
{
    ASSERT_NO_FATAL_FAILURE(two_pages_and_one(0x51, kX));
    map(1, kX + 2 * PG, PG, kRW, kPrivAnon | OS_MAP_FIXED);
    expect_killed(1, kX + 2 * PG, ACC_LOAD, OS_KILL_OOM, 0);
    EXPECT_EQ(3u, os_stats(os())->zero_fills); // 1's two pages and 2's; the failed fault zeroed nothing
    EXPECT_EQ(1u, os_user_frames_used(os()));
    EXPECT_EQ(0x53, load1(2, kX));
    exit_all({2});
}

// Demand-zero of a shared anonymous page (a page of an unnamed object):
// the same choice, and the victim's teardown frees the object, which only
// 1 mapped, while its fault is still inside the object's page cache.
TEST_F(OomTest, SharedAnonymousZeroFillKillsTheFaultingProcess)
{
    ASSERT_NO_FATAL_FAILURE(two_pages_and_one(0x61, kX));
    map(1, kF, 2 * PG, kRW, kSharedAnon | OS_MAP_FIXED);
    expect_killed(1, kF + PG, ACC_STORE, OS_KILL_OOM, 0);
    EXPECT_EQ(1u, os_user_frames_used(os()));
    EXPECT_EQ(0x63, load1(2, kX));
    exit_all({2});
}

// The kernel's read of user memory (write(), os_copy_from_user): an address
// the process cannot read only fails the call, but running out of memory
// kills the process like a user access.  Here the read pages in a page of
// a private file mapping 1 is the last to map, with both frames dirty.
TEST_F(OomTest, KernelReadKillsTheProcessOnOom)
{
    ASSERT_TRUE(boot(two_frames_no_swap()));
    file("obj", pattern(4, PG));
    spawn_with_pages(2, 0x71);
    map(1, kF, PG, kRW, OS_MAP_PRIVATE | OS_MAP_FIXED, "obj", 0);
    Bytes b(16, 0xee);
    m.kills.clear();
    EXPECT_EQ(-EFAULT, os_copy_from_user(os(), 1, kX + 4 * PG, b.data(), b.size()));
    ok("os_copy_from_user of an unmapped address");
    EXPECT_TRUE(m.kills.empty()) << "a kernel access to nothing killed the process";
    EXPECT_EQ(-EFAULT, os_copy_from_user(os(), 1, kF, b.data(), b.size()));
    ok("os_copy_from_user out of memory");
    ASSERT_EQ(1u, m.kills.size());
    EXPECT_EQ(1, m.kills[0].pid);
    EXPECT_EQ(OS_KILL_OOM, m.kills[0].why);
    EXPECT_EQ(0, os_alive(os(), 1));
    EXPECT_EQ(-ESRCH, os_copy_from_user(os(), 1, kF, b.data(), b.size()));
    EXPECT_EQ(Bytes(16, 0xee), b) << "the failed read delivered bytes";
    expect_all_free();
    EXPECT_EQ(pattern(4, PG), read_file("obj"));
}

// os_page_fault, the fault handler of a driver that translates itself, on
// the copy of issue 11: -EFAULT, 1 killed by OOM, its memory all free.
TEST_F(OomTest, DriverFaultKillsTheFaultingProcess)
{
    ASSERT_NO_FATAL_FAILURE(one_page_and_private_file(5));
    m.kills.clear();
    EXPECT_EQ(-EFAULT, os_page_fault(os(), 1, kF, ACC_STORE));
    ok("os_page_fault");
    ASSERT_EQ(1u, m.kills.size());
    EXPECT_EQ(1, m.kills[0].pid);
    EXPECT_EQ(OS_KILL_OOM, m.kills[0].why);
    EXPECT_EQ(-ESRCH, os_page_fault(os(), 1, kF, ACC_STORE));
    expect_all_free();
}

// A child being forked is the process its page tables are for, and is not
// killed either: the fork fails.  DRAM is 9 frames, one slot, fifo.  Parent
// 2 writes kX + 2 MiB, then kX and kX + PG: the first goes to the slot.
// Its root, level-1 and two level-0 tables and two pages fill 6 frames; the
// child's root, level-1 and first level-0 table the other 3, and it maps
// both pages (rss 2 each, the tie to pid 1, the child).  The level-0 table
// for the swap entry at kX + 2 MiB finds DRAM full: -ENOMEM, nobody killed,
// and the child's frames go back.
TEST_F(OomTest, ForkedChildIsNotKilled)
{
    ASSERT_TRUE(boot({{"dram.size", "36K"}, {"os.user_frames", "2"}, {"swap.slots", "1"}, {"os.policy", "fifo"}}));
    const uint64_t mib2 = 0x200000;
    spawn(2);
    map(2, kX, mib2 + PG, kRW, kPrivAnon | OS_MAP_FIXED);
    store1(2, kX + mib2, 0xa2);
    store1(2, kX, 0xa0);
    store1(2, kX + PG, 0xa1);
    EXPECT_EQ(1u, os_swap_slots_used(os()));
    EXPECT_EQ(4u, os_table_frames_used(os()));
    m.kills.clear();
    EXPECT_EQ(-ENOMEM, os_fork(os(), 2, 1));
    ok("fork out of memory");
    EXPECT_TRUE(m.kills.empty()) << "pid " << m.kills[0].pid << " killed by " << kill_name(m.kills[0].why);
    EXPECT_EQ(0, os_alive(os(), 1));
    EXPECT_EQ(4u, os_table_frames_used(os()));
    EXPECT_EQ(2u, os_user_frames_used(os()));
    EXPECT_EQ(1u, os_swap_slots_used(os()));
    EXPECT_EQ(0xa0, load1(2, kX));
    EXPECT_EQ(0xa1, load1(2, kX + PG));
    exit_all({2});
}

// The other side: the victim is a larger process, so it is torn down at
// once and the fault completes with the frames it gave back.  Three frames:
// 1 maps two dirty pages, 2 and its child 3 share one.  2's store to the
// shared page needs a frame for the copy; 1 (rss 2) goes, not 2 (rss 1).
TEST_F(OomTest, AnotherVictimLetsTheFaultComplete)
{
    ASSERT_NO_FATAL_FAILURE(two_pages_and_one(0x91, kF));
    fork(2, 3);
    m.kills.clear();
    store1(2, kF, 0x9f);
    ASSERT_EQ(1u, m.kills.size());
    EXPECT_EQ(1, m.kills[0].pid);
    EXPECT_EQ(OS_KILL_OOM, m.kills[0].why);
    EXPECT_EQ(0, os_alive(os(), 1));
    EXPECT_EQ(1u, os_stats(os())->cow_copies);
    EXPECT_EQ(2u, os_user_frames_used(os()));
    EXPECT_EQ(0x9f, load1(2, kF));
    EXPECT_EQ(0x93, load1(3, kF));
    exit_all({2, 3});
}

} // namespace
