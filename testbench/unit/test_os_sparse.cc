// test_os_sparse.cc - untouched memory costs nothing (issue 11): a 1 TiB
// mapping, shared or private, anonymous or of a small file, holds frames,
// page tables and per-page bookkeeping only for the pages touched, and
// every call over it (msync, munmap, fork, exit, os_check) works on those
// pages alone.  Also the sparse page map under the file store
// (csrc/pagemap.h) by itself.
//
// The counts below come from the semantics: one frame per page touched,
// zero-filled or read from the file (docs/os.md); none from running the
// implementation.

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "os_fixture.h"
#include "pagemap.h"

namespace {

using namespace os_harness;

constexpr uint64_t kTiB = 1ull << 40;
constexpr uint64_t kShared = 1ull << 44;  // 16 TiB: far inside Sv48's 128 TiB user space
constexpr uint64_t kPrivate = 2ull << 44; // 32 TiB
constexpr unsigned kTouches = 10;
constexpr uint64_t kLen = 64;             // bytes of pattern per touched page

// Offset of touched page k of a 1 TiB area: nine spread a tenth apart, the
// tenth the last page, so the touches meet both ends and every level of the tables.
uint64_t touch_off(unsigned k)
{
    return k + 1 < kTouches ? (kTiB / 10 * k) & ~(PG - 1) : kTiB - PG;
}

// Offset of an untouched page next to touched page k (before it for the last page).
uint64_t zero_off(unsigned k) { return k + 1 < kTouches ? touch_off(k) + PG : touch_off(k) - PG; }

class OsSparse : public OsTest {
protected:
    // Boots Sv48 and maps 1 TiB shared and 1 TiB private anonymous in process 1.
    void map_two_tib()
    {
        ASSERT_TRUE(boot({{"mode", "sv48"}}));
        spawn(1);
        map(1, kShared, kTiB, kRW, kSharedAnon | OS_MAP_FIXED);
        map(1, kPrivate, kTiB, kRW, kPrivAnon | OS_MAP_FIXED);
        EXPECT_EQ(0u, os_user_frames_used(os())); // nothing touched, nothing spent
    }

    // Stores pattern k (shared) and pattern k + kTouches (private) at touched page k, k * 8 bytes in.
    void touch_all()
    {
        for (unsigned k = 0; k < kTouches; k++) {
            store(1, kShared + touch_off(k) + k * 8, pattern(k, kLen));
            store(1, kPrivate + touch_off(k) + k * 8, pattern(k + kTouches, kLen));
        }
    }

    // pid sees the patterns at every touched page of both areas, except
    // pattern 99 at shared page `shared_changed` and 98 at private page `private_changed`.
    void expect_patterns(int pid, unsigned shared_changed = kTouches, unsigned private_changed = kTouches)
    {
        for (unsigned k = 0; k < kTouches; k++) {
            EXPECT_EQ(pattern(k == shared_changed ? 99 : k, kLen), load(pid, kShared + touch_off(k) + k * 8, kLen))
                << "pid " << pid << " shared page " << k;
            EXPECT_EQ(pattern(k == private_changed ? 98 : k + kTouches, kLen),
                      load(pid, kPrivate + touch_off(k) + k * 8, kLen))
                << "pid " << pid << " private page " << k;
        }
    }
};

TEST_F(OsSparse, TouchedPagesReadBackAndTheRestIsZero)
{
    map_two_tib();
    touch_all();
    EXPECT_EQ(2u * kTouches, os_user_frames_used(os()));
    expect_patterns(1);
    // Around the pattern, and on a neighbouring page, only zeros.
    const Bytes zeros(kLen, 0);
    for (unsigned k = 0; k < kTouches; k++) {
        EXPECT_EQ(zeros, load(1, kShared + touch_off(k) + 2048, kLen)) << "shared page " << k;
        EXPECT_EQ(zeros, load(1, kPrivate + touch_off(k) + 2048, kLen)) << "private page " << k;
        EXPECT_EQ(zeros, load(1, kShared + zero_off(k), kLen)) << "shared next to " << k;
        EXPECT_EQ(zeros, load(1, kPrivate + zero_off(k), kLen)) << "private next to " << k;
    }
    // Each load of a neighbour faulted in one zero-filled page: 20 + 20 frames.
    EXPECT_EQ(4u * kTouches, os_user_frames_used(os()));
    // 1 TiB mapped densely would need 2^28 / 512 level-0 tables; these touches need a few dozen.
    EXPECT_LT(os_table_frames_used(os()), 100u);
    exit_all({1});
}

TEST_F(OsSparse, MsyncMunmapForkAndExitOverATebibyte)
{
    map_two_tib();
    touch_all();
    EXPECT_EQ(0, os_msync(os(), 1, kShared, kTiB));
    ok("msync shared");
    EXPECT_EQ(0, os_msync(os(), 1, kPrivate, kTiB));
    ok("msync private");
    EXPECT_EQ(0u, os_stats(os())->writebacks); // an anonymous object has no file to write to

    fork(1, 2);
    expect_patterns(2);
    // A shared store is seen by the parent; a private one copies the page for the child alone.
    store(2, kShared + touch_off(3) + 3 * 8, pattern(99, kLen));
    store(2, kPrivate + touch_off(3) + 3 * 8, pattern(98, kLen));
    expect_patterns(1, 3);
    expect_patterns(2, 3, 3);

    // Cutting a page out of the middle splits each area; the rest is untouched by it.
    EXPECT_EQ(0, os_munmap(os(), 1, kShared + touch_off(5), PG));
    ok("munmap shared page");
    EXPECT_EQ(0, os_munmap(os(), 1, kPrivate + touch_off(5), PG));
    ok("munmap private page");
    EXPECT_EQ(pattern(6, kLen), load(1, kShared + touch_off(6) + 6 * 8, kLen));
    EXPECT_EQ(pattern(5, kLen), load(2, kShared + touch_off(5) + 5 * 8, kLen)); // the child keeps its mapping

    // The parent unmaps all that is left of its private area and dies
    // touching it; the child's view does not change.
    EXPECT_EQ(0, os_munmap(os(), 1, kPrivate, kTiB));
    ok("munmap private area");
    expect_killed(1, kPrivate + touch_off(0), ACC_LOAD, OS_KILL_SEGV_MAPERR, kPrivate + touch_off(0));
    expect_patterns(2, 3, 3);
    exit_all({2});
}

TEST_F(OsSparse, SmallFileMappedOverATebibyte)
{
    ASSERT_TRUE(boot({{"mode", "sv48"}}));
    Bytes data(64 * PG, 0); // mostly zero pages: a sparse disk
    data[10 * PG + 5] = 0x42;
    data.back() = 0x17;
    file("f", data);
    spawn(1);
    map(1, kShared, kTiB, kRW, OS_MAP_SHARED | OS_MAP_FIXED, "f", 0);
    map(1, kPrivate, kTiB, kRW, OS_MAP_PRIVATE | OS_MAP_FIXED, "f", 0);
    EXPECT_EQ(0x42, load1(1, kShared + 10 * PG + 5));
    EXPECT_EQ(0x17, load1(1, kPrivate + 64 * PG - 1));
    store1(1, kShared + 3 * PG, 0x33);       // a zero page on the disk gains data
    store1(1, kPrivate + 10 * PG + 5, 0x99); // copy-on-write: the file keeps 0x42
    EXPECT_EQ(0x42, load1(1, kShared + 10 * PG + 5));
    EXPECT_EQ(0, os_msync(os(), 1, kShared, kTiB));
    ok("msync");
    EXPECT_EQ(1u, os_stats(os())->writebacks);
    data[3 * PG] = 0x33;
    EXPECT_EQ(data, read_file("f"));
    // Past the end of the file, within the mapping: SIGBUS.
    expect_killed(1, kShared + kTiB / 2, ACC_LOAD, OS_KILL_BUS_ADRERR, kShared + kTiB / 2);
    expect_all_free();
    EXPECT_EQ(data, read_file("f"));
}

TEST(Pagemap, SparseIndicesVisitedInAscendingOrder)
{
    pagemap_t pm{};
    int v[6] = {};
    const uint64_t idx[6] = {0, 63, 64, 4095, 1ull << 40, (1ull << 51) + 7};
    // Set out of order, so the tree grows at the top over entries already set.
    for (int k : {3, 5, 0, 4, 1, 2})
        ASSERT_EQ(0, pagemap_set(&pm, idx[k], &v[k]));
    for (int k = 0; k < 6; k++)
        EXPECT_EQ(&v[k], pagemap_get(&pm, idx[k])) << "index " << idx[k];
    EXPECT_EQ(nullptr, pagemap_get(&pm, 1));
    EXPECT_EQ(nullptr, pagemap_get(&pm, 1ull << 41));
    EXPECT_EQ(nullptr, pagemap_get(&pm, UINT64_MAX));

    std::vector<uint64_t> seen;
    void *val;
    for (uint64_t i = 0; (val = pagemap_next(&pm, &i)); i++) {
        EXPECT_EQ(pagemap_get(&pm, i), val);
        seen.push_back(i);
    }
    EXPECT_EQ(std::vector<uint64_t>(idx, idx + 6), seen);

    // Clearing removes one entry; clearing where nothing is allocates nothing and succeeds.
    ASSERT_EQ(0, pagemap_set(&pm, idx[4], nullptr));
    ASSERT_EQ(0, pagemap_set(&pm, 1ull << 62, nullptr));
    EXPECT_EQ(nullptr, pagemap_get(&pm, idx[4]));
    uint64_t i = 65;
    EXPECT_EQ(&v[3], pagemap_next(&pm, &i));
    EXPECT_EQ(4095u, i);
    i = 4096;
    EXPECT_EQ(&v[5], pagemap_next(&pm, &i));
    EXPECT_EQ(idx[5], i);
    i = idx[5] + 1;
    EXPECT_EQ(nullptr, pagemap_next(&pm, &i));

    pagemap_free(&pm);
    i = 0;
    EXPECT_EQ(nullptr, pagemap_get(&pm, 0));
    EXPECT_EQ(nullptr, pagemap_next(&pm, &i));
}

} // namespace
