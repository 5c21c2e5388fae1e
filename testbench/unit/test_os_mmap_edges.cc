// test_os_mmap_edges.cc - directed tests of mmap and msync at the edges of
// the address space and of a file, each rule as Linux has it (docs/os.md,
// "The edges of mmap and msync"):
//   msync rounds its length up to pages modulo 2^64 (mm/msync.c);
//   a fixed range beyond user space is ENOMEM (__get_unmapped_area);
//   a file range past the largest file is EOVERFLOW (file_mmap_ok);
//   a hint is rounded down to its page and raised to 0x10000 (round_hint_to_min).
// traces/diff/mmap_edges.wl checks the same rules against the host's kernel.
//
// Every expected value is worked out by hand next to it, for Sv39 unless a
// test boots Sv48: user space ends at 2^38 = 0x4000000000, and mmap without
// a usable hint takes the highest free gap below 2^38 - 256 MiB = 0x3ff0000000.

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdint>

#include "os_fixture.h"

namespace {

using namespace os_harness;

constexpr uint64_t kTopSv39 = 1ull << 38;
constexpr uint64_t kTopSv48 = 1ull << 47;
constexpr uint64_t kTopDown = 0x3ff0000000ull - PG; // the first page mmap chooses under Sv39
constexpr uint64_t kMaxFile = 0x7fffffffffffffffull; // 2^63 - 1: Linux's MAX_LFS_FILESIZE

// os_mmap's return code alone; *out is not looked at.
int mmap_rc(os_t *os, int pid, uint64_t addr, uint64_t len, int prot, int flags, const char *file = nullptr,
            uint64_t off = 0)
{
    uint64_t out = 0;
    return os_mmap(os, pid, addr, len, prot, flags, file, off, &out);
}

// ---------------------------------------------------------------------------
// msync: end = addr + PAGE_ALIGN(len), computed modulo 2^64.

TEST_F(OsTest, MsyncLengthRoundsModulo2To64)
{
    ASSERT_TRUE(boot());
    file("f", Bytes(PG, 0x66));
    spawn(1);
    uint64_t a = map(1, kX, PG, kRW, OS_MAP_SHARED | OS_MAP_FIXED, "f", 0);
    store1(1, a, 'J'); // a dirty page: any sync that runs writes it back

    // 0x40000000 + 0xfffffffff0000000 = 0x30000000 (mod 2^64): below the start.
    EXPECT_EQ(-ENOMEM, os_msync(os(), 1, a, 0xfffffffff0000000ull));
    // 0x40000000 + 0xfffffffffffff000 = 0x3ffff000: the one page short of wrapping back to a.
    EXPECT_EQ(-ENOMEM, os_msync(os(), 1, a, 0xfffffffffffff000ull));
    ok("msync wrapping");
    EXPECT_EQ(0u, os_stats(os())->writebacks) << "a wrapping range syncs nothing";

    // 0xffffffffffffffff + 0xfff = 2^64 + 0xffe, a page multiple 0: no range at all.
    EXPECT_EQ(0, os_msync(os(), 1, a, UINT64_MAX));
    // 0xfffffffffffff001 + 0xfff = 2^64: 0 again.
    EXPECT_EQ(0, os_msync(os(), 1, a, 0xfffffffffffff001ull));
    ok("msync of an empty range");
    EXPECT_EQ(0u, os_stats(os())->writebacks) << "an empty range syncs nothing";

    // Unaligned comes first: EINVAL, whatever the length.
    EXPECT_EQ(-EINVAL, os_msync(os(), 1, a + 1, 0xfffffffff0000000ull));

    // [a, 2^38) does not wrap: past the page it is a hole (ENOMEM), the page is synced.
    EXPECT_EQ(-ENOMEM, os_msync(os(), 1, a, kTopSv39 - a));
    ok("msync to the top");
    EXPECT_EQ(1u, os_stats(os())->writebacks);
    // So is a range past the top of user space: nothing is mapped there.
    EXPECT_EQ(-ENOMEM, os_msync(os(), 1, a, kTopSv39));
    EXPECT_EQ((uint8_t)'J', read_file("f").at(0));
    exit_all({1});
}

// ---------------------------------------------------------------------------
// mmap fixed: addr > top - len is ENOMEM, before the alignment is looked at.

TEST_F(OsTest, MmapFixedBeyondUserSpaceIsEnomem)
{
    ASSERT_TRUE(boot());
    spawn(1);
    const int fx = kPrivAnon | OS_MAP_FIXED;
    uint64_t a = map(1, kX, PG, kRW, fx);
    store1(1, a, 0x5a);

    EXPECT_EQ(-ENOMEM, mmap_rc(os(), 1, kTopSv39, PG, kRW, fx));          // starts at the top
    EXPECT_EQ(-ENOMEM, mmap_rc(os(), 1, kTopSv39 - PG, 2 * PG, kRW, fx)); // its last page past the top
    EXPECT_EQ(-ENOMEM, mmap_rc(os(), 1, 0, kTopSv39 + PG, kRW, fx));      // longer than user space
    // 2^64 - 4096 + (4096 + 0x40000000 + 4096) wraps to 0x40001000: it would cover kX.
    EXPECT_EQ(-ENOMEM, mmap_rc(os(), 1, 0ull - PG, 2 * PG + kX, kRW, fx));
    // Unaligned and beyond: the range is checked first.
    EXPECT_EQ(-ENOMEM, mmap_rc(os(), 1, kTopSv39 + 0x800, PG, kRW, fx));
    EXPECT_EQ(-EINVAL, mmap_rc(os(), 1, kX + 0x800, PG, kRW, fx));
    ok("fixed beyond user space");
    EXPECT_EQ(0x5a, load1(1, a)) << "a failed fixed mapping replaced nothing";

    // The last page of user space is user space.
    map(1, kTopSv39 - PG, PG, kRW, fx);
    EXPECT_EQ(0, load1(1, kTopSv39 - PG));
    exit_all({1});
}

// Under Sv48 the top is 2^47: 2^38 is an ordinary address.
TEST_F(OsTest, MmapFixedBeyondUserSpaceSv48)
{
    ASSERT_TRUE(boot({{"mode", "sv48"}}));
    spawn(1);
    const int fx = kPrivAnon | OS_MAP_FIXED;
    map(1, kTopSv39, PG, kRW, fx);
    EXPECT_EQ(-ENOMEM, mmap_rc(os(), 1, kTopSv48, PG, kRW, fx));
    EXPECT_EQ(-ENOMEM, mmap_rc(os(), 1, kTopSv48 - PG, 2 * PG, kRW, fx));
    ok("fixed beyond Sv48 user space");
    map(1, kTopSv48 - PG, PG, kRW, fx);
    exit_all({1});
}

// ---------------------------------------------------------------------------
// File mappings: offset + length <= 2^63 - 1, else EOVERFLOW, after the address checks.

TEST_F(OsTest, MmapFileRangePastLargestFileIsEoverflow)
{
    ASSERT_TRUE(boot());
    file("f", Bytes(PG, 0x66));
    spawn(1);
    const int r = OS_PROT_READ;

    // 0x7ffffffffffff000 + 0x1000 = 2^63 > 2^63 - 1.
    EXPECT_EQ(-EOVERFLOW, mmap_rc(os(), 1, 0, PG, r, OS_MAP_PRIVATE, "f", 0x7ffffffffffff000ull));
    // A length of 1 is a page: the same.
    EXPECT_EQ(-EOVERFLOW, mmap_rc(os(), 1, 0, 1, r, OS_MAP_SHARED, "f", 0x7ffffffffffff000ull));
    // 0x7fffffffffffe000 + 0x2000 = 2^63.
    EXPECT_EQ(-EOVERFLOW, mmap_rc(os(), 1, 0, 2 * PG, r, OS_MAP_SHARED, "f", 0x7fffffffffffe000ull));
    // Page offset 2^52 - 1: the offset alone is past the largest file.
    EXPECT_EQ(-EOVERFLOW, mmap_rc(os(), 1, 0, PG, r, OS_MAP_PRIVATE, "f", 0xfffffffffffff000ull));
    // A fixed range beyond user space is found first.
    EXPECT_EQ(-ENOMEM, mmap_rc(os(), 1, 0ull - PG, 2 * PG, r, OS_MAP_PRIVATE | OS_MAP_FIXED, "f",
                               0x7ffffffffffff000ull));
    ok("file range past the largest file");

    // A failed fixed file mapping replaced nothing.
    uint64_t a = map(1, kX, PG, kRW, kPrivAnon | OS_MAP_FIXED);
    store1(1, a, 0x5a);
    EXPECT_EQ(-EOVERFLOW, mmap_rc(os(), 1, kX, PG, r, OS_MAP_PRIVATE | OS_MAP_FIXED, "f", 0x7ffffffffffff000ull));
    EXPECT_EQ(0x5a, load1(1, a));

    // Ending at 0x7fffffffffffe000 + 0x1000 = 2^63 - 4096 <= 2^63 - 1 is allowed; the
    // page is past the end of the one-page file.
    uint64_t last = map(1, 0, PG, r, OS_MAP_PRIVATE, "f", 0x7fffffffffffe000ull);
    EXPECT_EQ(kTopDown, last);
    expect_killed(1, last, ACC_LOAD, OS_KILL_BUS_ADRERR, last);
    expect_all_free();
}

// An anonymous mapping has no file: Linux ignores its offset (a shared one starts at its page 0).
TEST_F(OsTest, MmapAnonIgnoresOffset)
{
    ASSERT_TRUE(boot());
    spawn(1);
    uint64_t s = map(1, kX, 2 * PG, kRW, kSharedAnon | OS_MAP_FIXED, nullptr, 0x7ffffffffffff000ull);
    uint64_t p = map(1, kX + 4 * PG, PG, kRW, kPrivAnon | OS_MAP_FIXED, nullptr, 0xfffffffffffff000ull);
    EXPECT_EQ(0, load1(1, s + PG)) << "page 1 of a 2-page shared object, not past its end";
    EXPECT_EQ(0, load1(1, p));
    exit_all({1});
}

// ---------------------------------------------------------------------------
// Hints: rounded down to their page, raised to 0x10000, used when free.

TEST_F(OsTest, MmapHintRoundedDownAndRaised)
{
    ASSERT_TRUE(boot());
    spawn(1);
    // 0x8000 is below 0x10000: raised; [0x10000, 0x12000) is free.
    EXPECT_EQ(0x10000u, map(1, 0x8000, 2 * PG, kRW, kPrivAnon));
    // 0x1000 raised to 0x10000, which is taken: top-down, 0x3ff0000000 - 0x1000.
    EXPECT_EQ(kTopDown, map(1, 0x1000, PG, kRW, kPrivAnon));
    // 0xfff rounds down to 0, which is no hint: top-down, below the last one.
    EXPECT_EQ(kTopDown - PG, map(1, 0xfff, PG, kRW, kPrivAnon));
    // 0x40000800 rounds down to 0x40000000, free: used.
    EXPECT_EQ(kX, map(1, kX + 0x800, PG, kRW, kPrivAnon));
    // 0x40000fff rounds down to 0x40000000, now taken: top-down, not 0x40001000.
    EXPECT_EQ(kTopDown - 2 * PG, map(1, kX + 0xfff, PG, kRW, kPrivAnon));
    // A hint whose range runs past the top of user space is not usable: top-down.
    EXPECT_EQ(kTopDown - 4 * PG, map(1, kTopSv39 - PG, 2 * PG, kRW, kPrivAnon));
    // 0x12345 rounds down to 0x12000, just above the first area: used.
    EXPECT_EQ(0x12000u, map(1, 0x12345, PG, kRW, kPrivAnon));
    // Nothing went below 0x10000.
    expect_killed(1, 0x8000, ACC_LOAD, OS_KILL_SEGV_MAPERR, 0x8000);
    expect_all_free();
}

} // namespace
