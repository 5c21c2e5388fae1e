// test_dram.cc - the sparse DRAM store and the DRAM timing model (docs/dram.md).
//
// Every expected value is worked out by hand from the contract in dram.h and
// docs/dram.md; the arithmetic is in the comments next to it.

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <random>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "dram.h"
#include "seed.h"

namespace {

constexpr uint64_t KiB = 1024;
constexpr uint64_t MiB = 1024 * KiB;
constexpr uint64_t GiB = 1024 * MiB;
constexpr uint64_t TiB = 1024 * GiB;
constexpr uint64_t kBase = 0x80000000ull;

constexpr uint64_t kSeed = 20240601; // MMUSIM_SEED's default for this suite

struct DramDeleter {
    void operator()(dram_t *d) const { dram_destroy(d); }
};
using DramPtr = std::unique_ptr<dram_t, DramDeleter>;

// A store of [base, base + size); checked non-NULL.
DramPtr make_dram(uint64_t base, uint64_t size)
{
    dram_t *d = dram_create(base, size);
    EXPECT_NE(d, nullptr);
    return DramPtr(d);
}

// Runs call in a child process and expects it to return 0 there: a call that
// crashes or aborts fails this test instead of ending the whole run, and call
// reports a broken result as a non-zero value.
void expect_returns_zero(const std::function<int()> &call)
{
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_EXIT(std::exit(call()), ::testing::ExitedWithCode(0), "");
}

// ------------------------------------------------------------------ store

TEST(DramStore, CreateReportsBaseAndSize)
{
    DramPtr d = make_dram(kBase, 2 * GiB);
    EXPECT_EQ(dram_base(d.get()), kBase);
    EXPECT_EQ(dram_size(d.get()), 2 * GiB);
    EXPECT_EQ(dram_pages_touched(d.get()), 0u);
}

// Like free(NULL): a no-op, so that an error path can destroy whatever it
// holds without checking; another store stays as it was.
TEST(DramStore, DestroyNullIsFine)
{
    DramPtr d = make_dram(kBase, 1 * MiB);
    ASSERT_EQ(dram_write64(d.get(), kBase + 8, 0x1234), 0);
    expect_returns_zero([&] {
        dram_destroy(nullptr);
        uint64_t v = 0;
        return dram_read64(d.get(), kBase + 8, &v) == 0 && v == 0x1234 ? 0 : 1;
    });
}

TEST(DramStore, UntouchedMemoryReadsZeroWithoutAllocating)
{
    DramPtr d = make_dram(kBase, 2 * GiB);
    uint64_t v = 0xdeadbeef;
    ASSERT_EQ(dram_read64(d.get(), kBase, &v), 0);
    EXPECT_EQ(v, 0u);
    v = 0xdeadbeef;
    ASSERT_EQ(dram_read64(d.get(), kBase + 2 * GiB - 8, &v), 0);
    EXPECT_EQ(v, 0u);
    std::vector<uint8_t> buf(3 * 4096 + 17, 0x5a);
    ASSERT_EQ(dram_read(d.get(), kBase + 1 * GiB + 100, buf.data(), buf.size()), 0);
    for (uint8_t b : buf)
        ASSERT_EQ(b, 0);
    EXPECT_EQ(dram_pages_touched(d.get()), 0u);
}

TEST(DramStore, Word64IsLittleEndian)
{
    DramPtr d = make_dram(kBase, 2 * GiB);
    ASSERT_EQ(dram_write64(d.get(), kBase + 8, 0x1122334455667788ull), 0);
    uint8_t b[8];
    ASSERT_EQ(dram_read(d.get(), kBase + 8, b, 8), 0);
    const uint8_t want[8] = {0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11};
    EXPECT_EQ(std::memcmp(b, want, 8), 0);

    // Bytes written one way come back as the little-endian word.
    const uint8_t in[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    ASSERT_EQ(dram_write(d.get(), kBase + 16, in, 8), 0);
    uint64_t v = 0;
    ASSERT_EQ(dram_read64(d.get(), kBase + 16, &v), 0);
    EXPECT_EQ(v, 0x0807060504030201ull);

    // Neighbouring words are untouched.
    ASSERT_EQ(dram_read64(d.get(), kBase, &v), 0);
    EXPECT_EQ(v, 0u);
    ASSERT_EQ(dram_read64(d.get(), kBase + 24, &v), 0);
    EXPECT_EQ(v, 0u);
}

TEST(DramStore, ReadBackAndOverwrite)
{
    DramPtr d = make_dram(kBase, 2 * GiB);
    ASSERT_EQ(dram_write64(d.get(), kBase + 0x1000, 0xffffffffffffffffull), 0);
    ASSERT_EQ(dram_write64(d.get(), kBase + 0x1000, 0x0123456789abcdefull), 0);
    uint64_t v = 0;
    ASSERT_EQ(dram_read64(d.get(), kBase + 0x1000, &v), 0);
    EXPECT_EQ(v, 0x0123456789abcdefull);
    // A byte write inside the word: byte 2 is 0xab (bytes ef cd ab 89 ...).
    const uint8_t zero = 0;
    ASSERT_EQ(dram_write(d.get(), kBase + 0x1002, &zero, 1), 0);
    ASSERT_EQ(dram_read64(d.get(), kBase + 0x1000, &v), 0);
    EXPECT_EQ(v, 0x012345678900cdefull);
}

TEST(DramStore, CrossPageReadWrite)
{
    DramPtr d = make_dram(kBase, 2 * GiB);
    // 16 bytes starting 5 bytes before the end of page 0: 5 in page 0, 11 in page 1.
    uint8_t in[16];
    for (int i = 0; i < 16; i++)
        in[i] = (uint8_t)(0xa0 + i);
    ASSERT_EQ(dram_write(d.get(), kBase + 4096 - 5, in, sizeof in), 0);
    EXPECT_EQ(dram_pages_touched(d.get()), 2u);

    uint8_t out[16] = {};
    ASSERT_EQ(dram_read(d.get(), kBase + 4096 - 5, out, sizeof out), 0);
    EXPECT_EQ(std::memcmp(in, out, 16), 0);

    // The word at base+4096 holds in[5..12] = a5 .. ac, little-endian.
    uint64_t v = 0;
    ASSERT_EQ(dram_read64(d.get(), kBase + 4096, &v), 0);
    EXPECT_EQ(v, 0xacabaaa9a8a7a6a5ull);
    // The word at base+4088 holds 3 zero bytes, then in[0..4] = a0 .. a4.
    ASSERT_EQ(dram_read64(d.get(), kBase + 4088, &v), 0);
    EXPECT_EQ(v, 0xa4a3a2a1a0000000ull);

    // A read spanning three pages, two of them untouched: zeros around the data.
    std::vector<uint8_t> big(3 * 4096, 0xee);
    ASSERT_EQ(dram_read(d.get(), kBase, big.data(), big.size()), 0);
    for (size_t i = 0; i < big.size(); i++) {
        uint8_t want = (i >= 4091 && i < 4091 + 16) ? (uint8_t)(0xa0 + (i - 4091)) : 0;
        ASSERT_EQ(big[i], want) << "byte " << i;
    }
    EXPECT_EQ(dram_pages_touched(d.get()), 2u);
}

TEST(DramStore, OutOfRange)
{
    const uint64_t size = 2 * GiB;
    DramPtr d = make_dram(kBase, size);
    uint64_t v = 0;
    uint8_t buf[16] = {};

    EXPECT_EQ(dram_read64(d.get(), kBase - 8, &v), -1);
    EXPECT_EQ(dram_read64(d.get(), kBase + size, &v), -1);
    EXPECT_EQ(dram_read64(d.get(), 0, &v), -1);
    EXPECT_EQ(dram_read64(d.get(), UINT64_MAX - 7, &v), -1);
    EXPECT_EQ(dram_read64(d.get(), kBase + size - 8, &v), 0);
    EXPECT_EQ(dram_write64(d.get(), kBase - 8, 1), -1);
    EXPECT_EQ(dram_write64(d.get(), kBase + size, 1), -1);

    EXPECT_EQ(dram_read(d.get(), kBase - 1, buf, 1), -1);
    EXPECT_EQ(dram_read(d.get(), kBase - 1, buf, 2), -1);       // straddles base
    EXPECT_EQ(dram_read(d.get(), kBase + size - 4, buf, 4), 0); // last 4 bytes
    EXPECT_EQ(dram_read(d.get(), kBase + size - 4, buf, 5), -1);
    EXPECT_EQ(dram_read(d.get(), kBase + size, buf, 1), -1);
    EXPECT_EQ(dram_write(d.get(), kBase + size - 1, buf, 2), -1);

    EXPECT_EQ(dram_contains(d.get(), kBase, size), 1);
    EXPECT_EQ(dram_contains(d.get(), kBase, size + 1), 0);
    EXPECT_EQ(dram_contains(d.get(), kBase + 1, size), 0);
    EXPECT_EQ(dram_contains(d.get(), kBase - 1, 1), 0);
    EXPECT_EQ(dram_contains(d.get(), kBase + size - 1, 1), 1);
    EXPECT_EQ(dram_pages_touched(d.get()), 0u);
}

TEST(DramStore, LengthWrapsAroundAddressSpace)
{
    DramPtr d = make_dram(kBase, 2 * GiB);
    uint8_t buf[16] = {};
    // pa + len = base + 8 + (2^64 - 8) wraps to base: must not look like a small range.
    EXPECT_EQ(dram_contains(d.get(), kBase + 8, UINT64_MAX - 7), 0);
    EXPECT_EQ(dram_contains(d.get(), kBase + 8, UINT64_MAX), 0);
    EXPECT_EQ(dram_read(d.get(), kBase + 8, buf, SIZE_MAX), -1);
    EXPECT_EQ(dram_write(d.get(), kBase + 8, buf, SIZE_MAX), -1);
    // pa near 2^64: pa + 16 wraps to 8.
    EXPECT_EQ(dram_read(d.get(), UINT64_MAX - 7, buf, 16), -1);
    EXPECT_EQ(dram_pages_touched(d.get()), 0u);
}

TEST(DramStore, DramAtTopOfAddressSpace)
{
    // [2^64 - 1 MiB, 2^64): the end is 2^64 itself, not representable.
    const uint64_t base = 0 - 1 * MiB;
    DramPtr d = make_dram(base, 1 * MiB);
    uint8_t buf[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    EXPECT_EQ(dram_contains(d.get(), UINT64_MAX, 1), 1);
    EXPECT_EQ(dram_contains(d.get(), UINT64_MAX, 2), 0);
    EXPECT_EQ(dram_contains(d.get(), 0, 1), 0);
    EXPECT_EQ(dram_write(d.get(), UINT64_MAX - 3, buf, 4), 0);
    EXPECT_EQ(dram_write(d.get(), UINT64_MAX - 3, buf, 5), -1);
    uint64_t v = 0;
    ASSERT_EQ(dram_read64(d.get(), UINT64_MAX - 7, &v), 0);
    EXPECT_EQ(v, 0x0403020100000000ull);
    EXPECT_EQ(dram_write64(d.get(), 0, 1), -1);
}

TEST(DramStore, SizeReachingPast2To64DoesNotWrapToZero)
{
    // base + size = 2^64 + 64 KiB: the part past 2^64 is not address 0.
    const uint64_t base = 0 - 64 * KiB;
    DramPtr d = make_dram(base, 128 * KiB);
    uint64_t v = 0;
    EXPECT_EQ(dram_contains(d.get(), 0, 1), 0);
    EXPECT_EQ(dram_read64(d.get(), 0, &v), -1);
    EXPECT_EQ(dram_write64(d.get(), 0, 1), -1);
    EXPECT_EQ(dram_contains(d.get(), base, 64 * KiB), 1);
    EXPECT_EQ(dram_contains(d.get(), base, 64 * KiB + 1), 0);
    EXPECT_EQ(dram_read64(d.get(), UINT64_MAX - 7, &v), 0);
}

TEST(DramStore, SizeNotMultipleOfEight)
{
    // [base, base + 4103): the word at base + 4096 would need bytes up to 4103.
    DramPtr d = make_dram(kBase, 4103);
    uint64_t v = 0;
    uint8_t buf[8] = {};
    EXPECT_EQ(dram_read64(d.get(), kBase + 4088, &v), 0);
    EXPECT_EQ(dram_read64(d.get(), kBase + 4096, &v), -1);
    EXPECT_EQ(dram_write64(d.get(), kBase + 4096, 1), -1);
    EXPECT_EQ(dram_read(d.get(), kBase + 4096, buf, 7), 0);
    EXPECT_EQ(dram_read(d.get(), kBase + 4096, buf, 8), -1);

    DramPtr tiny = make_dram(kBase, 7);
    EXPECT_EQ(dram_read64(tiny.get(), kBase, &v), -1);
    EXPECT_EQ(dram_contains(tiny.get(), kBase, 7), 1);
}

TEST(DramStore, Misaligned64)
{
    DramPtr d = make_dram(kBase, 2 * GiB);
    uint64_t v = 0;
    for (uint64_t k = 1; k < 8; k++) {
        EXPECT_EQ(dram_read64(d.get(), kBase + 8 + k, &v), -1) << k;
        EXPECT_EQ(dram_write64(d.get(), kBase + 8 + k, 1), -1) << k;
    }
    EXPECT_EQ(dram_pages_touched(d.get()), 0u);
}

TEST(DramStore, FailedWriteWritesNothing)
{
    const uint64_t size = 2 * GiB;
    DramPtr d = make_dram(kBase, size);
    uint8_t ff[8];
    std::memset(ff, 0xff, sizeof ff);
    // Page before the end already holds data; the write runs 4 bytes past the end.
    ASSERT_EQ(dram_write64(d.get(), kBase + size - 16, 0x1111111111111111ull), 0);
    ASSERT_EQ(dram_pages_touched(d.get()), 1u);
    EXPECT_EQ(dram_write(d.get(), kBase + size - 4, ff, 8), -1);
    EXPECT_EQ(dram_write(d.get(), kBase + size - 12, ff, 16), -1);
    uint64_t v = 0;
    ASSERT_EQ(dram_read64(d.get(), kBase + size - 8, &v), 0);
    EXPECT_EQ(v, 0u);
    ASSERT_EQ(dram_read64(d.get(), kBase + size - 16, &v), 0);
    EXPECT_EQ(v, 0x1111111111111111ull);
    // Straddling base: the in-range bytes are not written either.
    EXPECT_EQ(dram_write(d.get(), kBase - 4, ff, 8), -1);
    ASSERT_EQ(dram_read64(d.get(), kBase, &v), 0);
    EXPECT_EQ(v, 0u);
    EXPECT_EQ(dram_pages_touched(d.get()), 1u);
}

TEST(DramStore, ZeroLength)
{
    DramPtr d = make_dram(kBase, 2 * GiB);
    // No byte is accessed, so none is outside: success anywhere.
    EXPECT_EQ(dram_read(d.get(), kBase, nullptr, 0), 0);
    EXPECT_EQ(dram_write(d.get(), kBase, nullptr, 0), 0);
    EXPECT_EQ(dram_read(d.get(), 0, nullptr, 0), 0);
    EXPECT_EQ(dram_write(d.get(), 0, nullptr, 0), 0);
    EXPECT_EQ(dram_contains(d.get(), 0, 0), 1);
    EXPECT_EQ(dram_pages_touched(d.get()), 0u);
}

TEST(DramStore, PagesTouched)
{
    DramPtr d = make_dram(kBase, 2 * GiB);
    uint64_t v;
    uint8_t buf[64];
    ASSERT_EQ(dram_read64(d.get(), kBase, &v), 0);
    ASSERT_EQ(dram_read(d.get(), kBase + 4000, buf, sizeof buf), 0);
    EXPECT_EQ(dram_pages_touched(d.get()), 0u);

    ASSERT_EQ(dram_write64(d.get(), kBase, 1), 0);
    EXPECT_EQ(dram_pages_touched(d.get()), 1u);
    ASSERT_EQ(dram_write64(d.get(), kBase + 4088, 2), 0); // same page
    EXPECT_EQ(dram_pages_touched(d.get()), 1u);
    ASSERT_EQ(dram_write64(d.get(), kBase + 4096, 3), 0); // page 1
    EXPECT_EQ(dram_pages_touched(d.get()), 2u);

    // 4098 bytes from the last byte of page 2: pages 2, 3 and 4.
    std::vector<uint8_t> big(4098, 7);
    ASSERT_EQ(dram_write(d.get(), kBase + 3 * 4096 - 1, big.data(), big.size()), 0);
    EXPECT_EQ(dram_pages_touched(d.get()), 5u);

    // Reading untouched pages 5..9 leaves the footprint alone.
    std::vector<uint8_t> rd(5 * 4096);
    ASSERT_EQ(dram_read(d.get(), kBase + 5 * 4096, rd.data(), rd.size()), 0);
    EXPECT_EQ(dram_pages_touched(d.get()), 5u);
}

// Records what a tap sees.
struct TapLog {
    std::vector<std::pair<uint64_t, std::vector<uint8_t>>> writes;
    static void tap(void *ctx, uint64_t pa, const void *buf, size_t len)
    {
        const uint8_t *b = static_cast<const uint8_t *>(buf);
        static_cast<TapLog *>(ctx)->writes.emplace_back(pa, std::vector<uint8_t>(b, b + len));
    }
};

TEST(DramStore, TapSeesEverySuccessfulWriteOnce)
{
    DramPtr d = make_dram(kBase, 1 * MiB);
    TapLog log;
    dram_set_tap(d.get(), TapLog::tap, &log);
    const uint8_t bytes[5] = { 1, 2, 3, 4, 5 };
    ASSERT_EQ(dram_write(d.get(), kBase + 4094, bytes, 5), 0); // crosses a page: one call
    ASSERT_EQ(dram_write64(d.get(), kBase + 8, 0x0807060504030201ull), 0);
    EXPECT_EQ(dram_write64(d.get(), kBase + 1 * MiB, 1), -1); // outside: not seen
    EXPECT_EQ(dram_write64(d.get(), kBase + 4, 1), -1);       // misaligned: not seen
    EXPECT_EQ(dram_write(d.get(), kBase + 1 * MiB - 2, bytes, 5), -1);
    uint8_t rd[5];
    uint64_t v;
    ASSERT_EQ(dram_read(d.get(), kBase, rd, 5), 0); // reads: not seen
    ASSERT_EQ(dram_read64(d.get(), kBase, &v), 0);
    ASSERT_EQ(log.writes.size(), 2u);
    EXPECT_EQ(log.writes[0].first, kBase + 4094);
    EXPECT_EQ(log.writes[0].second, std::vector<uint8_t>(bytes, bytes + 5));
    EXPECT_EQ(log.writes[1].first, kBase + 8);
    // the word arrives as its little-endian bytes
    EXPECT_EQ(log.writes[1].second, (std::vector<uint8_t>{ 1, 2, 3, 4, 5, 6, 7, 8 }));
    dram_set_tap(d.get(), nullptr, nullptr);
    ASSERT_EQ(dram_write64(d.get(), kBase, 3), 0);
    EXPECT_EQ(log.writes.size(), 2u);
}

// Stops the walk at the page given as ctx, counting the pages seen.
struct PageWalk {
    std::unordered_set<uint64_t> seen;
    uint64_t stop_at = UINT64_MAX;
    static int visit(void *ctx, uint64_t pa)
    {
        PageWalk *w = static_cast<PageWalk *>(ctx);
        EXPECT_TRUE(w->seen.insert(pa).second) << "page " << pa << " seen twice";
        return pa == w->stop_at ? 7 : 0;
    }
};

TEST(DramStore, EachPageVisitsWrittenPagesOnly)
{
    DramPtr d = make_dram(kBase, 1 * GiB);
    std::unordered_set<uint64_t> want;
    uint64_t v;
    // 200 scattered pages (4099 is odd, so i * 4099 mod 2^18 never repeats):
    // the table grows past its initial 64 slots on the way
    for (uint64_t i = 0; i < 200; i++) {
        uint64_t page = kBase + (i * 4099 % (1 * GiB / 4096)) * 4096;
        ASSERT_EQ(dram_write64(d.get(), page + 8, i), 0);
        want.insert(page);
    }
    ASSERT_EQ(dram_read64(d.get(), kBase + 1 * GiB - 8, &v), 0); // a read allocates nothing
    PageWalk w;
    EXPECT_EQ(dram_each_page(d.get(), PageWalk::visit, &w), 0);
    EXPECT_EQ(w.seen, want);
    PageWalk stop;
    stop.stop_at = *want.begin();
    EXPECT_EQ(dram_each_page(d.get(), PageWalk::visit, &stop), 7);
    EXPECT_LE(stop.seen.size(), want.size());
    EXPECT_TRUE(stop.seen.count(stop.stop_at));
}

TEST(DramStore, OneTebibyteSparse)
{
    const uint64_t size = 1 * TiB;
    DramPtr d = make_dram(kBase, size);
    ASSERT_EQ(dram_size(d.get()), size);
    const uint64_t a0 = kBase, a1 = kBase + 512 * GiB + 0x238, a2 = kBase + size - 8;
    ASSERT_EQ(dram_write64(d.get(), a0, 0xa0), 0);
    ASSERT_EQ(dram_write64(d.get(), a1, 0xa1), 0);
    ASSERT_EQ(dram_write64(d.get(), a2, 0xa2), 0);
    EXPECT_EQ(dram_pages_touched(d.get()), 3u);

    uint64_t v = 0;
    ASSERT_EQ(dram_read64(d.get(), a0, &v), 0);
    EXPECT_EQ(v, 0xa0u);
    ASSERT_EQ(dram_read64(d.get(), a1, &v), 0);
    EXPECT_EQ(v, 0xa1u);
    ASSERT_EQ(dram_read64(d.get(), a2, &v), 0);
    EXPECT_EQ(v, 0xa2u);
    ASSERT_EQ(dram_read64(d.get(), kBase + 300 * GiB, &v), 0);
    EXPECT_EQ(v, 0u);
    EXPECT_EQ(dram_read64(d.get(), kBase + size, &v), -1);
    EXPECT_EQ(dram_pages_touched(d.get()), 3u);
}

TEST(DramStore, ManyRandomPagesAgainstShadow)
{
    std::mt19937_64 rng(test_seed(kSeed));
    const uint64_t size = 64 * GiB;
    const uint64_t pages = size / 4096;
    DramPtr d = make_dram(kBase, size);

    std::unordered_map<uint64_t, uint64_t> shadow; // pa -> word
    std::unordered_set<uint64_t> touched;          // page index
    const int writes = 100000;
    for (int i = 0; i < writes; i++) {
        uint64_t pa = kBase + (rng() % pages) * 4096 + (rng() % 512) * 8;
        uint64_t val = rng();
        ASSERT_EQ(dram_write64(d.get(), pa, val), 0);
        shadow[pa] = val;
        touched.insert((pa - kBase) / 4096);
    }
    EXPECT_EQ(dram_pages_touched(d.get()), touched.size());

    for (const auto &kv : shadow) {
        uint64_t v = ~kv.second;
        ASSERT_EQ(dram_read64(d.get(), kv.first, &v), 0);
        ASSERT_EQ(v, kv.second) << std::hex << "pa 0x" << kv.first;
    }
    // Random words not in the shadow read as zero (touched page or not).
    for (int i = 0; i < writes; i++) {
        uint64_t pa = kBase + (rng() % pages) * 4096 + (rng() % 512) * 8;
        if (shadow.count(pa))
            continue;
        uint64_t v = 1;
        ASSERT_EQ(dram_read64(d.get(), pa, &v), 0);
        ASSERT_EQ(v, 0u) << std::hex << "pa 0x" << pa;
    }
    EXPECT_EQ(dram_pages_touched(d.get()), touched.size());
}

TEST(DramStore, RandomByteRangesAgainstShadow)
{
    std::mt19937_64 rng(test_seed(kSeed) ^ 0x5eed);
    const uint64_t size = 64 * KiB; // 16 pages: ranges often cross pages
    DramPtr d = make_dram(kBase, size);
    std::vector<uint8_t> shadow(size, 0);
    std::vector<uint8_t> buf(3 * 4096 + 64);

    for (int i = 0; i < 20000; i++) {
        uint64_t off = rng() % (size + 64);          // sometimes past the end
        size_t len = (size_t)(rng() % buf.size());
        bool inside = off + len <= size;
        if (rng() & 1) {
            for (size_t k = 0; k < len; k++)
                buf[k] = (uint8_t)rng();
            ASSERT_EQ(dram_write(d.get(), kBase + off, buf.data(), len), inside ? 0 : -1);
            if (inside)
                std::memcpy(&shadow[off], buf.data(), len);
        } else {
            ASSERT_EQ(dram_read(d.get(), kBase + off, buf.data(), len), inside ? 0 : -1);
            if (inside) {
                ASSERT_EQ(len == 0 ? 0 : std::memcmp(&shadow[off], buf.data(), len), 0)
                    << "off " << off << " len " << len;
            }
        }
    }
    std::vector<uint8_t> all(size);
    ASSERT_EQ(dram_read(d.get(), kBase, all.data(), size), 0);
    EXPECT_EQ(all, shadow);
    EXPECT_LE(dram_pages_touched(d.get()), 16u);
}

// ------------------------------------------------------------------ timer

struct TimerDeleter {
    void operator()(dram_timer_t *t) const { dram_timer_destroy(t); }
};
using TimerPtr = std::unique_ptr<dram_timer_t, TimerDeleter>;

// The DDR timing of docs/dram.md's examples at base: 8 banks of 8 KiB rows,
// tCL = tRCD = tRP = 14, tRAS = 33.
dram_cfg_t ddr_cfg(uint64_t base = kBase)
{
    // {base, size, timing, latency, banks, row_bytes, tCL, tRCD, tRP, tRAS}
    return {base, 2 * GiB, DRAM_DDR, 20, 8, 8192, 14, 14, 14, 33};
}

TimerPtr make_timer(const dram_cfg_t &c)
{
    dram_timer_t *t = dram_timer_create(&c);
    EXPECT_NE(t, nullptr);
    return TimerPtr(t);
}

// One access: returns the latency and checks the event.
unsigned access(dram_timer_t *t, uint64_t pa, uint64_t now, dram_row_event_t want)
{
    dram_row_event_t ev = (dram_row_event_t)-1;
    unsigned lat = dram_timer_access(t, pa, now, &ev);
    EXPECT_EQ(ev, want) << std::hex << "pa 0x" << pa << std::dec << " at " << now;
    return lat;
}

TEST(DramTimer, Fixed)
{
    dram_cfg_t c = ddr_cfg();
    c.timing = DRAM_FIXED;
    c.latency = 20;
    TimerPtr t = make_timer(c);
    EXPECT_EQ(access(t.get(), kBase, 0, DRAM_ROW_FIXED), 20u);
    EXPECT_EQ(access(t.get(), kBase, 1, DRAM_ROW_FIXED), 20u);
    EXPECT_EQ(access(t.get(), kBase + 65536, 2, DRAM_ROW_FIXED), 20u);
    EXPECT_EQ(access(t.get(), kBase + 2 * GiB - 8, 1000, DRAM_ROW_FIXED), 20u);
    EXPECT_EQ(dram_timer_access(t.get(), kBase + 8, 5, nullptr), 20u);

    c.latency = 1;
    TimerPtr t1 = make_timer(c);
    EXPECT_EQ(access(t1.get(), kBase, 0, DRAM_ROW_FIXED), 1u);
}

TEST(DramTimer, ClosedHitConflictAfterTras)
{
    TimerPtr t = make_timer(ddr_cfg());
    // Bank 0 closed: tRCD + tCL = 14 + 14 = 28; row 0 activated at 100.
    EXPECT_EQ(access(t.get(), kBase, 100, DRAM_ROW_CLOSED), 28u);
    // Same row (offset 64 < 8192): tCL = 14.
    EXPECT_EQ(access(t.get(), kBase + 64, 130, DRAM_ROW_HIT), 14u);
    // base + 65536 = row 1 of bank 0.  act + tRAS = 133 <= 150: wait 0,
    // latency 0 + 14 + 14 + 14 = 42, row 1 activated at 150 + 0 + 14 = 164.
    EXPECT_EQ(access(t.get(), kBase + 65536, 150, DRAM_ROW_CONFLICT), 42u);
    // Row 1 stays open (open-page policy).
    EXPECT_EQ(access(t.get(), kBase + 65536 + 8, 200, DRAM_ROW_HIT), 14u);
}

TEST(DramTimer, ConflictWithinTras)
{
    TimerPtr t = make_timer(ddr_cfg());
    // Row 0 of bank 0 activated at 0.
    EXPECT_EQ(access(t.get(), kBase, 0, DRAM_ROW_CLOSED), 28u);
    // At 10: wait = 0 + 33 - 10 = 23, latency 23 + 42 = 65, row 1 activated at 10 + 23 + 14 = 47.
    EXPECT_EQ(access(t.get(), kBase + 65536, 10, DRAM_ROW_CONFLICT), 65u);
    // At 76 (the cycle after that response): wait = 47 + 33 - 76 = 4, latency 46,
    // row 0 activated at 76 + 4 + 14 = 94.
    EXPECT_EQ(access(t.get(), kBase, 76, DRAM_ROW_CONFLICT), 46u);
    // At 127: wait = 94 + 33 - 127 = 0 (exactly tRAS later): latency 42, act 141.
    EXPECT_EQ(access(t.get(), kBase + 65536, 127, DRAM_ROW_CONFLICT), 42u);
    // At 173: wait = 141 + 33 - 173 = 1: latency 43.
    EXPECT_EQ(access(t.get(), kBase, 173, DRAM_ROW_CONFLICT), 43u);
}

TEST(DramTimer, BanksAreIndependent)
{
    TimerPtr t = make_timer(ddr_cfg());
    EXPECT_EQ(access(t.get(), kBase, 0, DRAM_ROW_CLOSED), 28u);        // bank 0 row 0, act 0
    EXPECT_EQ(access(t.get(), kBase + 8192, 1, DRAM_ROW_CLOSED), 28u); // bank 1 row 0, act 1
    EXPECT_EQ(access(t.get(), kBase + 64, 2, DRAM_ROW_HIT), 14u);
    EXPECT_EQ(access(t.get(), kBase + 8192 + 100 * 8, 3, DRAM_ROW_HIT), 14u);
    // Bank 1 row 1 at 100: act 1 + 33 = 34 <= 100, latency 42.
    EXPECT_EQ(access(t.get(), kBase + 65536 + 8192, 100, DRAM_ROW_CONFLICT), 42u);
    // Bank 0 still has row 0 open.
    EXPECT_EQ(access(t.get(), kBase + 8, 101, DRAM_ROW_HIT), 14u);
    // Bank 1 now has row 1 open.
    EXPECT_EQ(access(t.get(), kBase + 65536 + 8192 + 16, 200, DRAM_ROW_HIT), 14u);
}

TEST(DramTimer, ResetClosesAllBanks)
{
    TimerPtr t = make_timer(ddr_cfg());
    EXPECT_EQ(access(t.get(), kBase, 0, DRAM_ROW_CLOSED), 28u);
    EXPECT_EQ(access(t.get(), kBase + 8192, 0, DRAM_ROW_CLOSED), 28u);
    dram_timer_reset(t.get());
    // A closed bank pays tRCD + tCL, even right after the old activation
    // (no tRAS wait: that belonged to the forgotten row).
    EXPECT_EQ(access(t.get(), kBase + 65536, 1, DRAM_ROW_CLOSED), 28u);
    EXPECT_EQ(access(t.get(), kBase + 8192, 2, DRAM_ROW_CLOSED), 28u);
    EXPECT_EQ(access(t.get(), kBase + 65536 + 8, 3, DRAM_ROW_HIT), 14u);
}

TEST(DramTimer, AddressSplit)
{
    // row_bytes 8192 -> 13 column bits; 8 banks -> 3 bank bits; row from bit 16.
    TimerPtr t = make_timer(ddr_cfg());
    EXPECT_EQ(access(t.get(), kBase, 0, DRAM_ROW_CLOSED), 28u);              // bank 0, row 0
    EXPECT_EQ(access(t.get(), kBase + 8191, 100, DRAM_ROW_HIT), 14u);        // last column of it
    EXPECT_EQ(access(t.get(), kBase + 8192, 100, DRAM_ROW_CLOSED), 28u);     // bank 1
    EXPECT_EQ(access(t.get(), kBase + 7 * 8192, 100, DRAM_ROW_CLOSED), 28u); // bank 7
    EXPECT_EQ(access(t.get(), kBase + 7 * 8192 + 8191, 100, DRAM_ROW_HIT), 14u);
    EXPECT_EQ(access(t.get(), kBase + 65536, 100, DRAM_ROW_CONFLICT), 42u);  // bank 0, row 1
    for (unsigned b = 2; b < 7; b++) // banks 2..6 were never used
        EXPECT_EQ(access(t.get(), kBase + 2 * 65536 + b * 8192, 200, DRAM_ROW_CLOSED), 28u) << b;
    // Bank 1 with row 2 (base + 2*65536 + 8192): row 0 opened at 100, 133 <= 300.
    EXPECT_EQ(access(t.get(), kBase + 2 * 65536 + 8192, 300, DRAM_ROW_CONFLICT), 42u);
    // A high row: offset 1 GiB = row 16384, bank 0.  Bank 0 has row 1 (act 114).
    EXPECT_EQ(access(t.get(), kBase + 1 * GiB, 400, DRAM_ROW_CONFLICT), 42u);
    EXPECT_EQ(access(t.get(), kBase + 1 * GiB + 4096, 500, DRAM_ROW_HIT), 14u);
}

TEST(DramTimer, SplitIsRelativeToBase)
{
    // base 0x80001000 is 4 KiB but not row aligned.  Relative to base,
    // base + 4096 is still column 4096 of bank 0 row 0 (absolute address
    // bits would have put it in bank 1).
    TimerPtr t = make_timer(ddr_cfg(0x80001000ull));
    EXPECT_EQ(access(t.get(), 0x80001000ull, 0, DRAM_ROW_CLOSED), 28u);
    EXPECT_EQ(access(t.get(), 0x80002000ull, 50, DRAM_ROW_HIT), 14u);
    EXPECT_EQ(access(t.get(), 0x80003000ull, 50, DRAM_ROW_CLOSED), 28u); // bank 1
    EXPECT_EQ(access(t.get(), 0x80011000ull, 100, DRAM_ROW_CONFLICT), 42u); // bank 0 row 1
}

TEST(DramTimer, SmallGeometry)
{
    // row_bytes 64 (6 column bits), 2 banks (1 bank bit), row from bit 7;
    // tCL 1, tRCD 2, tRP 3, tRAS 10.
    TimerPtr t = make_timer({0, 2 * GiB, DRAM_DDR, 20, 2, 64, 1, 2, 3, 10});
    EXPECT_EQ(access(t.get(), 0, 0, DRAM_ROW_CLOSED), 3u);     // bank 0 row 0, act 0
    EXPECT_EQ(access(t.get(), 56, 1, DRAM_ROW_HIT), 1u);
    EXPECT_EQ(access(t.get(), 64, 2, DRAM_ROW_CLOSED), 3u);    // bank 1 row 0, act 2
    // 128: bank 0 row 1.  wait = 0 + 10 - 4 = 6, latency 6 + 3 + 2 + 1 = 12, act 4 + 6 + 3 = 13.
    EXPECT_EQ(access(t.get(), 128, 4, DRAM_ROW_CONFLICT), 12u);
    EXPECT_EQ(access(t.get(), 128 + 63, 17, DRAM_ROW_HIT), 1u);
    // 0: bank 0 row 0 at 20.  wait = 13 + 10 - 20 = 3, latency 9, act 26.
    EXPECT_EQ(access(t.get(), 0, 20, DRAM_ROW_CONFLICT), 9u);
    // 192: bank 1 row 1 at 30.  act 2 + 10 = 12 <= 30: latency 6.
    EXPECT_EQ(access(t.get(), 192, 30, DRAM_ROW_CONFLICT), 6u);
}

TEST(DramTimer, DocWorkedExample)
{
    // The table of docs/dram.md, "Worked example".
    TimerPtr t = make_timer(ddr_cfg());
    EXPECT_EQ(access(t.get(), 0x80123458ull, 100, DRAM_ROW_CLOSED), 28u);
    EXPECT_EQ(access(t.get(), 0x80123460ull, 129, DRAM_ROW_HIT), 14u);
    EXPECT_EQ(access(t.get(), 0x80133458ull, 144, DRAM_ROW_CONFLICT), 42u);
    EXPECT_EQ(access(t.get(), 0x80123458ull, 187, DRAM_ROW_CONFLICT), 46u);
    EXPECT_EQ(access(t.get(), 0x80120458ull, 234, DRAM_ROW_CLOSED), 28u);
    // Bank 1 still holds row 0x12 (activated at 205).
    EXPECT_EQ(access(t.get(), 0x80122000ull, 263, DRAM_ROW_HIT), 14u);
}

TEST(DramTimer, NullEventAllowed)
{
    TimerPtr t = make_timer(ddr_cfg());
    EXPECT_EQ(dram_timer_access(t.get(), kBase, 0, nullptr), 28u);
    EXPECT_EQ(dram_timer_access(t.get(), kBase, 50, nullptr), 14u);
}

// Like free(NULL): a no-op; another timer keeps its open rows.
TEST(DramTimer, DestroyNullIsFine)
{
    TimerPtr t = make_timer(ddr_cfg());
    ASSERT_EQ(access(t.get(), kBase, 0, DRAM_ROW_CLOSED), 28u); // bank 0 row 0 opened
    expect_returns_zero([&] {
        dram_timer_destroy(nullptr);
        return dram_timer_access(t.get(), kBase + 64, 50, nullptr) == 14u ? 0 : 1; // still a row hit: tCL
    });
}

TEST(DramTimerDeathTest, BelowBasePanics)
{
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    TimerPtr t = make_timer(ddr_cfg());
    EXPECT_DEATH(dram_timer_access(t.get(), kBase - 8, 0, nullptr), "panic: .*below dram.base");
    dram_cfg_t c = ddr_cfg();
    c.timing = DRAM_FIXED;
    TimerPtr f = make_timer(c);
    EXPECT_DEATH(dram_timer_access(f.get(), 0, 0, nullptr), "panic: .*below dram.base");
}

TEST(DramTimerDeathTest, UnvalidatedConfigPanics)
{
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    dram_cfg_t c = ddr_cfg();
    c.banks = 6;
    EXPECT_DEATH(dram_timer_create(&c), "panic: .*dram.banks");
    c = ddr_cfg();
    c.row_bytes = 4;
    EXPECT_DEATH(dram_timer_create(&c), "panic: .*dram.row_bytes");
    c = ddr_cfg();
    c.timing = DRAM_FIXED;
    c.latency = 0;
    EXPECT_DEATH(dram_timer_create(&c), "panic: .*dram.latency");
}

} // namespace
