// test_os_replace.cc - the page-replacement policies of the operating-system
// side (os.policy, docs/os.md) on reference strings, against fault counts
// and victims worked out by hand in the comments.

#include <gtest/gtest.h>

#include <algorithm>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "os_fixture.h"

namespace {

using os_harness::Machine;
using os_harness::PG;
using os_harness::kPrivAnon;
using os_harness::kRW;

// Page replacement: one process, one private anonymous read/write area,
// one byte read from page v for each v of the string; page_faults counts
// the references that found their page absent.  next_use for opt is the
// index of the next reference to the page after the current one.

// The pages resident after each reference of a string.
using Residents = std::vector<std::vector<int>>;

struct RefRun {
    uint64_t faults;
    std::string marks; // one per reference: 'F' it faulted, '.' its page was present
    std::string err;
};

// Runs refs with frames user frames under policy, ptw.ad = ad and os.seed =
// seed.  With resident, after reference i every page of (*resident)[i] is
// read again and must not fault, and no other page may hold a frame.  A
// probe is a reference: only for policies that ignore references (random).
RefRun run_refs(const std::vector<int> &refs, unsigned frames, const char *policy, const char *ad,
                uint32_t seed = 1, const Residents *resident = nullptr)
{
    Machine m;
    RefRun r{0, "", ""};
    ::testing::AssertionResult booted = m.boot({{"os.user_frames", std::to_string(frames)},
                                                {"os.policy", policy},
                                                {"os.seed", std::to_string(seed)},
                                                {"ptw.ad", ad},
                                                {"swap.slots", "16"}});
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
    // One byte of page v, which must read zero (the page is never written).
    auto read = [&](int v, const std::string &what) {
        uint8_t b = 0xff;
        int rc = os_access(m.os, 1, base + (uint64_t)v * PG + 17, ACC_LOAD, &b, 1);
        std::string e = m.check();
        if (rc || b != 0 || !e.empty())
            r.err = what + ": rc " + std::to_string(rc) + " byte " + std::to_string(b) + " os_check '" + e + "'";
        return r.err.empty();
    };
    for (cur = 0; cur < refs.size(); cur++) {
        uint64_t before = os_stats(m.os)->page_faults;
        if (!read(refs[cur], "reference " + std::to_string(cur)))
            return r;
        r.marks += os_stats(m.os)->page_faults > before ? 'F' : '.';
        if (!resident)
            continue;
        std::string after = "after reference " + std::to_string(cur) + ", ";
        for (int v : (*resident)[cur]) {
            before = os_stats(m.os)->page_faults;
            if (!read(v, after + "page " + std::to_string(v)))
                return r;
            if (os_stats(m.os)->page_faults != before) {
                r.err = after + "page " + std::to_string(v) + " was not resident";
                return r;
            }
        }
        if (os_user_frames_used(m.os) != (*resident)[cur].size()) {
            r.err = after + std::to_string(os_user_frames_used(m.os)) + " pages resident, expected " +
                    std::to_string((*resident)[cur].size());
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
    // refs with frames user frames under policy takes expected faults, at the references marked F in marks.
    void expect_faults(const std::vector<int> &refs, unsigned frames, const char *policy, uint64_t expected,
                       const std::string &marks)
    {
        RefRun r = run_refs(refs, frames, policy, GetParam());
        EXPECT_EQ("", r.err);
        EXPECT_EQ(expected, r.faults) << policy << " with " << frames << " frames";
        EXPECT_EQ(marks, r.marks) << policy << " with " << frames << " frames";
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
    expect_faults(kTextbook, 3, "fifo", 15, "FFFF.FFFFFF..FF..FFF");
    expect_faults(kBelady, 3, "fifo", 9, "FFFFFFF..FF.");
    expect_faults(kBelady, 4, "fifo", 10, "FFFF..FFFFFF"); // Belady's anomaly: more frames, more faults
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
    expect_faults(kTextbook, 3, "lru", 12, "FFFF.F.FFFF..F.F.F..");
    expect_faults(kBelady, 3, "lru", 10, "FFFFFFF..FFF");
    expect_faults(kBelady, 4, "lru", 8, "FFFF..F..FFF");
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
    expect_faults(kTextbook, 3, "opt", 9, "FFFF.F.F..F..F...F..");
    expect_faults(kBelady, 3, "opt", 7, "FFFF..F..FF.");
    expect_faults(kBelady, 4, "opt", 6, "FFFF..F...F.");
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
    expect_faults(kTextbook, 3, "clock", 14, "FFFF.F.FF.FF.FFF.F.F");
}

// xorshift32, the generator of os.policy = random (docs/os.md).
uint32_t xorshift32(uint32_t x)
{
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return x;
}

struct RandomRun {
    std::string marks;
    std::vector<int> victims; // the evicted page of each fault that found every frame taken
    Residents resident;
};

// os.policy = random on refs, from docs/os.md alone: the victim is the next
// xorshift32 of os.seed, modulo the resident frames, counted from the hand.
// Random never moves the hand itself; a new frame goes in just before it and
// the hand passes on when its own frame goes (csrc/reclaim.c's contract), so
// counted from the hand the frames are in the order they became resident.
RandomRun random_policy(const std::vector<int> &refs, unsigned frames, uint32_t seed)
{
    RandomRun run;
    std::vector<int> circle; // from the hand on: oldest first
    uint32_t x = seed;
    for (int v : refs) {
        bool hit = std::find(circle.begin(), circle.end(), v) != circle.end();
        run.marks += hit ? '.' : 'F';
        if (!hit && circle.size() == frames) {
            x = xorshift32(x);
            size_t k = x % circle.size();
            run.victims.push_back(circle[k]);
            circle.erase(circle.begin() + k);
        }
        if (!hit)
            circle.push_back(v);
        run.resident.push_back(circle);
    }
    return run;
}

// Random, textbook string, 3 frames, os.seed = 1.  x1 = xorshift32(1):
// 1 ^ 1 << 13 = 0x2001; ^ 0x2001 >> 17 (0) = 0x2001; ^ 0x2001 << 5 (0x40020)
// = 0x42021 = 270369.  x mod 3 by the digit sum.  Circle oldest first:
//  ref  page  circle     x            digit sum  mod 3  victim  circle after
//   4    2    [7 0 1]    270369           27       0      7     [0 1 2]
//   5    0    hit
//   6    3    [0 1 2]    67634689         49       1      1     [0 2 3]
//   7    0    hit
//   8    4    [0 2 3]    2647435461       42       0      0     [2 3 4]
//   9,10 2 3  hits
//  11    0    [2 3 4]    307599695        53       2      4     [2 3 0]
//  12,13 3 2  hits
//  14    1    [2 3 0]    2398689233       53       2      0     [2 3 1]
//  15    2    hit
//  16    0    [2 3 1]    745495504        43       1      3     [2 1 0]
//  17    1    hit
//  18    7    [2 1 0]    632435482        37       1      1     [2 0 7]
//  19    0    hit
//  20    1    [2 0 7]    435756210        33       0      2     [0 7 1]
// Faults at 1 2 3 4 6 8 11 14 16 18 20                      = 11 faults
// ("always the frame at the hand" would be FIFO's 15).
TEST_P(OsReplacement, RandomVictimsWorkedByHand)
{
    RandomRun want = random_policy(kTextbook, 3, 1);
    ASSERT_EQ((std::vector<int>{7, 1, 0, 4, 0, 3, 1, 2}), want.victims) << "the model disagrees with the table";
    ASSERT_EQ("FFFF.F.F..F..F.F.F.F", want.marks) << "the model disagrees with the table";
    RefRun r = run_refs(kTextbook, 3, "random", GetParam(), 1, &want.resident);
    EXPECT_EQ("", r.err);
    EXPECT_EQ(11u, r.faults);
    EXPECT_EQ(want.marks, r.marks);
}

// Random strings, frame counts and os.seed values against the model: every
// fault and every victim.  The seed is printed; MMUSIM_SEED overrides it.
TEST_P(OsReplacement, RandomVictimsOnRandomStrings)
{
    uint64_t seed = 20240617;
    if (const char *s = std::getenv("MMUSIM_SEED"))
        seed = std::strtoull(s, nullptr, 0);
    std::printf("OsReplacement.RandomVictimsOnRandomStrings MMUSIM_SEED=%" PRIu64 "\n", seed);
    std::mt19937_64 rng(seed);
    for (int run = 0; run < 24; run++) {
        unsigned frames = 2 + (unsigned)(rng() % 4);
        uint32_t os_seed = 1 + (uint32_t)(rng() % 0xffffffffu);
        std::vector<int> refs(20 + rng() % 40);
        for (int &v : refs)
            v = (int)(rng() % 9);
        RandomRun want = random_policy(refs, frames, os_seed);
        RefRun r = run_refs(refs, frames, "random", GetParam(), os_seed, &want.resident);
        EXPECT_EQ("", r.err) << "os.seed " << os_seed << ", " << frames << " frames, run " << run;
        EXPECT_EQ(want.marks, r.marks) << "os.seed " << os_seed << ", " << frames << " frames, run " << run;
    }
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
