// test_tlb.cc - the set-associative TLB / page-walk cache (docs/tlb.md,
// model/tlb.h) in directed tests whose expected values are worked out by
// hand, with the arithmetic in the comments: each replacement policy bit for
// bit, superpage indexing, ASID and global matching, the four sfence.vma
// forms, replace in place and invalid-first fills, walk-cache levels.
// test_tlb_diff.cc checks the same structure against the reference model.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "ref_assoc.h"
#include "tlb_fixture.h"

namespace tlbtest {
namespace {

// Fills the entry mk() builds.
void fill(tlb_t *t, uint64_t vpn, int level, uint64_t ppn, uint16_t asid, bool global = false)
{
    tlb_entry_t e = mk(vpn, level, ppn, asid, global);
    tlb_fill(t, &e);
}

// Index of the valid entry whose ppn is ppn (ppns are unique in the directed tests), or -1.
int find_ppn(tlb_t *t, unsigned entries, uint64_t ppn)
{
    int found = -1;
    for (unsigned i = 0; i < entries; i++) {
        const tlb_entry_t *e = tlb_entry(t, (int)i);
        if ((e->flags & kV) && e->ppn == ppn) {
            EXPECT_EQ(found, -1) << "ppn " << ppn << " present twice";
            found = (int)i;
        }
    }
    return found;
}

// Ppn of the entry at idx; ~0 for idx -1 (a miss).
uint64_t ppn_at(tlb_t *t, int idx)
{
    if (idx < 0)
        return ~0ull;
    return tlb_entry(t, idx)->ppn;
}

// Fills a 4 KiB entry of ASID 0 for vpn with ppn, which must land at index idx.
void expect_lands(tlb_t *t, unsigned entries, uint64_t vpn, uint64_t ppn, int idx)
{
    fill(t, vpn, 0, ppn, 0);
    EXPECT_EQ(find_ppn(t, entries, ppn), idx) << "ppn " << ppn;
}

// The same, pushing out the entry whose ppn is gone.
void expect_evicts(tlb_t *t, unsigned entries, uint64_t vpn, uint64_t ppn, int idx, uint64_t gone)
{
    expect_lands(t, entries, vpn, ppn, idx);
    EXPECT_EQ(find_ppn(t, entries, gone), -1) << "ppn " << gone << " is still there";
}

// Looks vpn up and, on a hit, touches the entry (a hit that is used).
int use(tlb_t *t, uint64_t vpn, uint16_t asid)
{
    int i = tlb_lookup(t, vpn, asid);
    if (i >= 0)
        tlb_touch(t, i);
    return i;
}

// ====================================================================
// Directed tests, expected values by hand
// ====================================================================

// ---------------------------------------------------------------- lru

// Cycling over N + 1 pages in an N-entry fully associative LRU TLB: the page
// needed next is always the least recently used one, so every access misses.
TEST(TlbLru, LoopOverNPlusOnePagesAlwaysMisses)
{
    for (unsigned n : {4u, 8u, 16u, 32u}) {
        TlbPtr t = make_tlb(n, 0, REPL_LRU);
        unsigned misses = 0, accesses = 0;
        for (unsigned round = 0; round < 10; round++)
            for (unsigned page = 0; page <= n; page++) {
                uint64_t vpn = 0x1000 + page;
                accesses++;
                if (use(t.get(), vpn, 1) < 0) {
                    misses++;
                    fill(t.get(), vpn, 0, 0x500 + page, 1);
                }
            }
        EXPECT_EQ(misses, accesses) << n << " entries";
        EXPECT_EQ(tlb_count_valid(t.get()), n);
    }
}

// The same loop over N pages hits after the first round.
TEST(TlbLru, LoopOverNPagesHitsAfterFirstRound)
{
    TlbPtr t = make_tlb(8, 0, REPL_LRU);
    unsigned misses = 0;
    for (unsigned round = 0; round < 5; round++)
        for (unsigned page = 0; page < 8; page++)
            if (use(t.get(), 0x40 + page, 0) < 0) {
                misses++;
                fill(t.get(), 0x40 + page, 0, page, 0);
            }
    EXPECT_EQ(misses, 8u);
}

// tlb.c applies the touches of hits lazily, from a log of 64; long runs of
// hits with no fill in between (the log fills and drains several times)
// must leave exactly the ages of docs/tlb.md.  4 entries, pages A..D.
TEST(TlbLru, LongHitRunsKeepExactAges)
{
    TlbPtr t = make_tlb(4, 0, REPL_LRU);
    for (unsigned p = 0; p < 4; p++)
        fill(t.get(), 0xA + p, 0, 1 + p, 0); // A B C D in ways 0..3
    // 301 hits: D C B A repeated, then A C D B once more; B is the newest,
    // then D, C, and A the oldest.
    for (unsigned i = 0; i < 297; i++)
        EXPECT_EQ(use(t.get(), 0xD - i % 4, 0), (int)(3 - i % 4));
    for (uint64_t vpn : {0xAu, 0xCu, 0xDu, 0xBu})
        EXPECT_GE(use(t.get(), vpn, 0), 0);
    expect_lands(t.get(), 4, 0xE, 5, 0); // evicts A (way 0)
    expect_lands(t.get(), 4, 0xF, 6, 2); // then C (way 2)
    expect_lands(t.get(), 4, 0x10, 7, 3); // then D (way 3)
}

// Ages by hand, fully associative 4 entries; pages A..F have ppn 1..6.
TEST(TlbLru, AgesByHand)
{
    TlbPtr t = make_tlb(4, 0, REPL_LRU);
    // initial ages [0 1 2 3]
    fill(t.get(), 0xA, 0, 1, 0); // invalid way 0; touch w0 (age 0): [0 1 2 3]
    fill(t.get(), 0xB, 0, 2, 0); // way 1; ages < 1 +1: [1 0 2 3]
    fill(t.get(), 0xC, 0, 3, 0); // way 2; ages < 2 +1: [2 1 0 3]
    fill(t.get(), 0xD, 0, 4, 0); // way 3; ages < 3 +1: [3 2 1 0]
    EXPECT_EQ(find_ppn(t.get(), 4, 1), 0);
    EXPECT_EQ(find_ppn(t.get(), 4, 4), 3);
    EXPECT_EQ(use(t.get(), 0xB, 0), 1); // touch w1 (age 2): w2 1->2, w3 0->1: [3 0 2 1]
    EXPECT_EQ(use(t.get(), 0xA, 0), 0); // touch w0 (age 3): all +1: [0 1 3 2]
    // A lookup without touch changes nothing.
    EXPECT_EQ(tlb_lookup(t.get(), 0xC, 0), 2);
    fill(t.get(), 0xE, 0, 5, 0); // victim: largest age = w2 (C); touch w2: [1 2 0 3]
    EXPECT_EQ(find_ppn(t.get(), 4, 3), -1);
    EXPECT_EQ(find_ppn(t.get(), 4, 5), 2);
    fill(t.get(), 0xF, 0, 6, 0); // victim w3 (D); touch w3: [2 3 1 0]
    EXPECT_EQ(find_ppn(t.get(), 4, 4), -1);
    EXPECT_EQ(find_ppn(t.get(), 4, 6), 3);
    fill(t.get(), 0x10, 0, 7, 0); // victim w1 (B, age 3); touch w1: [3 0 2 1]
    EXPECT_EQ(find_ppn(t.get(), 4, 2), -1);
    EXPECT_EQ(find_ppn(t.get(), 4, 7), 1);
    fill(t.get(), 0x11, 0, 8, 0); // victim w0 (A, age 3)
    EXPECT_EQ(find_ppn(t.get(), 4, 1), -1);
    EXPECT_EQ(find_ppn(t.get(), 4, 8), 0);
}

// tlb_lookup alone does not change replacement state; tlb_touch does.
TEST(TlbLru, LookupDoesNotTouch)
{
    TlbPtr t = make_tlb(2, 0, REPL_LRU);
    fill(t.get(), 0x1, 0, 1, 0); // w0, ages [0 1]
    fill(t.get(), 0x2, 0, 2, 0); // w1, ages [1 0]
    EXPECT_EQ(tlb_lookup(t.get(), 0x1, 0), 0); // no touch
    fill(t.get(), 0x3, 0, 3, 0); // victim w0 (age 1): page 1 goes; ages [0 1]
    EXPECT_EQ(tlb_lookup(t.get(), 0x1, 0), -1);
    EXPECT_EQ(tlb_lookup(t.get(), 0x2, 0), 1);
    tlb_touch(t.get(), 1); // ages [1 0]
    fill(t.get(), 0x4, 0, 4, 0); // victim w0 (page 3)
    EXPECT_EQ(tlb_lookup(t.get(), 0x3, 0), -1);
    EXPECT_EQ(tlb_lookup(t.get(), 0x2, 0), 1);
    EXPECT_EQ(tlb_lookup(t.get(), 0x4, 0), 0);
}

// Sets keep separate ages: 2 ways x 2 sets.
TEST(TlbLru, SetsAreIndependent)
{
    TlbPtr t = make_tlb(4, 2, REPL_LRU);
    // even VPNs -> set 0 (idx 0, 1); odd VPNs -> set 1 (idx 2, 3)
    fill(t.get(), 0x10, 0, 1, 0); // idx 0
    fill(t.get(), 0x11, 0, 2, 0); // idx 2
    fill(t.get(), 0x12, 0, 3, 0); // idx 1
    fill(t.get(), 0x13, 0, 4, 0); // idx 3
    EXPECT_EQ(find_ppn(t.get(), 4, 1), 0);
    EXPECT_EQ(find_ppn(t.get(), 4, 2), 2);
    EXPECT_EQ(find_ppn(t.get(), 4, 3), 1);
    EXPECT_EQ(find_ppn(t.get(), 4, 4), 3);
    EXPECT_EQ(use(t.get(), 0x10, 0), 0); // set 0: w0 newest, w1 oldest
    expect_lands(t.get(), 4, 0x14, 5, 1); // set 0 victim w1 (ppn 3) -> idx 1
    expect_lands(t.get(), 4, 0x15, 6, 2); // set 1: w1 (0x13) newest, victim w0 (ppn 2) -> idx 2
    EXPECT_EQ(find_ppn(t.get(), 4, 1), 0);
    EXPECT_EQ(find_ppn(t.get(), 4, 4), 3);
}

// ---------------------------------------------------------------- plru

// 4-way tree PLRU, fully associative 4 entries; bits written (b0 b1 b2).
// Victim = b0 ? (b2 ? 3 : 2) : (b1 ? 1 : 0).
TEST(TlbPlru, FourWayWorkedExample)
{
    TlbPtr t = make_tlb(4, 0, REPL_PLRU);
    // bits start 000
    fill(t.get(), 0xA, 0, 1, 0); // invalid w0; touch w0: b0=1 (w0 left), b1=1 -> 110
    fill(t.get(), 0xB, 0, 2, 0); // invalid w1; touch w1: b0=1, b1=0 (w1 right of b1) -> 100
    fill(t.get(), 0xC, 0, 3, 0); // invalid w2; touch w2: b0=0 (w2 right), b2=1 -> 001
    fill(t.get(), 0xD, 0, 4, 0); // invalid w3; touch w3: b0=0, b2=0 -> 000
    for (int w = 0; w < 4; w++)
        EXPECT_EQ(find_ppn(t.get(), 4, (uint64_t)w + 1), w);
    EXPECT_EQ(use(t.get(), 0xA, 0), 0); // touch w0: b0=1, b1=1 -> 110
    // fill E: b0=1 -> right, b2=0 -> w2 (C; true LRU would evict B); touch w2: b0=0, b2=1 -> 011
    expect_evicts(t.get(), 4, 0xE, 5, 2, 3);
    // fill F: b0=0 -> left, b1=1 -> w1 (B); touch w1: b0=1, b1=0 -> 101
    expect_evicts(t.get(), 4, 0xF, 6, 1, 2);
    // fill G: b0=1 -> right, b2=1 -> w3 (D); touch w3: b0=0, b2=0 -> 100
    expect_evicts(t.get(), 4, 0x10, 7, 3, 4);
    // fill H: b0=0 -> left, b1=0 -> w0 (A); touch w0: b0=1, b1=1 -> 111
    expect_evicts(t.get(), 4, 0x11, 8, 0, 1);
    // hit on w3 (G): b0=0, b2=0 -> 010; fill I: b0=0 -> left, b1=1 -> w1 (F)
    EXPECT_EQ(use(t.get(), 0x10, 0), 3);
    expect_evicts(t.get(), 4, 0x12, 9, 1, 6);
    // final: w0 H, w1 I, w2 E, w3 G
    EXPECT_EQ(ppn_at(t.get(), 0), 8u);
    EXPECT_EQ(ppn_at(t.get(), 1), 9u);
    EXPECT_EQ(ppn_at(t.get(), 2), 5u);
    EXPECT_EQ(ppn_at(t.get(), 3), 7u);
}

// 2-way PLRU is exact LRU: one bit pointing away from the last used way.
TEST(TlbPlru, TwoWayIsLru)
{
    TlbPtr t = make_tlb(2, 0, REPL_PLRU);
    fill(t.get(), 1, 0, 1, 0); // w0, b0=1
    fill(t.get(), 2, 0, 2, 0); // w1, b0=0
    EXPECT_EQ(use(t.get(), 1, 0), 0); // b0=1
    expect_lands(t.get(), 2, 3, 3, 1); // victim w1
    expect_lands(t.get(), 2, 4, 4, 0); // b0=0 after touching w1 -> victim w0
}

// ---------------------------------------------------------------- fifo

TEST(TlbFifo, OrderAndPointerNotMovedByInvalidFills)
{
    TlbPtr t = make_tlb(4, 0, REPL_FIFO);
    // A B C D fill invalid ways 0..3: the pointer stays 0.
    fill(t.get(), 0xA, 0, 1, 0);
    fill(t.get(), 0xB, 0, 2, 0);
    fill(t.get(), 0xC, 0, 3, 0);
    fill(t.get(), 0xD, 0, 4, 0);
    EXPECT_EQ(use(t.get(), 0xA, 0), 0); // touch does nothing
    expect_lands(t.get(), 4, 0xE, 5, 0); // victim ptr 0 (A), ptr -> 1
    EXPECT_EQ(find_ppn(t.get(), 4, 1), -1);
    expect_lands(t.get(), 4, 0xF, 6, 1); // victim 1 (B), ptr -> 2
    // Invalidate C (way 2): the next fill takes the invalid way and leaves ptr at 2.
    EXPECT_EQ(tlb_flush(t.get(), 1, 0xC, 0, 0), 1u);
    expect_lands(t.get(), 4, 0x10, 7, 2); // G -> invalid w2, ptr stays 2
    expect_lands(t.get(), 4, 0x11, 8, 2); // H: victim ptr 2 = G, ptr -> 3
    EXPECT_EQ(find_ppn(t.get(), 4, 7), -1);
    expect_lands(t.get(), 4, 0x12, 9, 3); // I: victim 3 (D), ptr -> 0
    expect_lands(t.get(), 4, 0x13, 10, 0); // J: victim 0 (E), ptr -> 1
    EXPECT_EQ(find_ppn(t.get(), 4, 5), -1);
    // Replace in place does not move the pointer: refill F (way 1) with a new ppn.
    expect_lands(t.get(), 4, 0xF, 11, 1);
    EXPECT_EQ(tlb_count_valid(t.get()), 4u);
    expect_lands(t.get(), 4, 0x14, 12, 1); // K: victim still ptr 1 (F's slot)
}

// A full flush does not reset the pointer.
TEST(TlbFifo, PointerSurvivesFlush)
{
    TlbPtr t = make_tlb(2, 0, REPL_FIFO);
    fill(t.get(), 1, 0, 1, 0); // w0
    fill(t.get(), 2, 0, 2, 0); // w1
    fill(t.get(), 3, 0, 3, 0); // victim w0, ptr -> 1
    EXPECT_EQ(tlb_flush(t.get(), 0, 0, 0, 0), 2u);
    EXPECT_EQ(tlb_count_valid(t.get()), 0u);
    fill(t.get(), 4, 0, 4, 0); // invalid w0
    fill(t.get(), 5, 0, 5, 0); // invalid w1
    expect_lands(t.get(), 2, 6, 6, 1); // victim ptr 1
    EXPECT_EQ(find_ppn(t.get(), 2, 4), 0);
}

// ---------------------------------------------------------------- random

// Seed 1, 3 ways.  LFSR by hand (bit = s ^ s>>2 ^ s>>3 ^ s>>5, bit 0):
//   step 1: s = 0x0001: bit = 1^0^0^0 = 1, s = 0 | 1<<15 = 0x8000 = 32768,
//           32768 mod 3 = 2   (3 * 10922 = 32766)
//   step 2: s = 0x8000: bits 0,2,3,5 = 0, s = 0x4000 = 16384, mod 3 = 1 (3 * 5461 = 16383)
//   step 3: s = 0x2000 = 8192, mod 3 = 2 (3 * 2730 = 8190)
//   step 4: s = 0x1000 = 4096, mod 3 = 1 (3 * 1365 = 4095)
//   step 5: s = 0x0800 = 2048, mod 3 = 2 (3 * 682 = 2046)
// The LFSR steps only when a victim among valid ways is needed.
TEST(TlbRandom, Seed1VictimsByHand)
{
    TlbPtr t = make_tlb(3, 0, REPL_RANDOM, 1);
    fill(t.get(), 0xA, 0, 1, 0); // invalid ways, no step
    fill(t.get(), 0xB, 0, 2, 0);
    fill(t.get(), 0xC, 0, 3, 0);
    EXPECT_EQ(use(t.get(), 0xA, 0), 0); // touch: no step
    expect_lands(t.get(), 3, 0xD, 4, 2); // step 1 -> victim 2 (C)
    EXPECT_EQ(find_ppn(t.get(), 3, 3), -1);
    expect_lands(t.get(), 3, 0xD, 5, 2); // in place, no step
    EXPECT_EQ(tlb_flush(t.get(), 1, 0xA, 0, 0), 1u); // way 0 invalid
    expect_lands(t.get(), 3, 0xE, 6, 0); // invalid way 0, no step
    expect_lands(t.get(), 3, 0xF, 7, 1); // step 2 -> victim 1 (B)
    expect_lands(t.get(), 3, 0x10, 8, 2); // step 3 -> victim 2 (D)
    expect_lands(t.get(), 3, 0x11, 9, 1); // step 4 -> victim 1 (F)
    expect_lands(t.get(), 3, 0x12, 10, 2); // step 5 -> victim 2
    EXPECT_EQ(ppn_at(t.get(), 0), 6u);
}

// One LFSR per structure, shared by all sets: 3 ways x 2 sets, seed 1, the
// victims 2, 1, 2, 1 (see above) alternate between set 0 and set 1.
TEST(TlbRandom, OneLfsrForAllSets)
{
    TlbPtr t = make_tlb(6, 3, REPL_RANDOM, 1);
    // set = vpn mod 2; set 0 = idx 0..2, set 1 = idx 3..5
    for (uint64_t v = 0; v < 6; v++)
        fill(t.get(), v, 0, 100 + v, 0); // 0,2,4 -> idx 0,1,2; 1,3,5 -> idx 3,4,5
    EXPECT_EQ(find_ppn(t.get(), 6, 104), 2);
    EXPECT_EQ(find_ppn(t.get(), 6, 105), 5);
    expect_lands(t.get(), 6, 6, 106, 2); // set 0, step 1: victim 2 -> idx 2 (vpn 4)
    expect_lands(t.get(), 6, 7, 107, 4); // set 1, step 2: victim 1 -> idx 4 (vpn 3)
    expect_lands(t.get(), 6, 8, 108, 2); // set 0, step 3: victim 2 -> idx 2 (vpn 6)
    expect_lands(t.get(), 6, 9, 109, 4); // set 1, step 4: victim 1 -> idx 4 (vpn 7)
    EXPECT_EQ(tlb_count_valid(t.get()), 6u);
}

// Seed 0xACE1, 5 ways (fully associative).  By hand:
//   s = 0xACE1 = 1010 1100 1110 0001: bit0 1, bit2 0, bit3 0, bit5 1 -> 0
//       s = 0x5670 = 22128; 22128 mod 5 = 3
//   s = 0x5670 = 0101 0110 0111 0000: bit0 0, bit2 0, bit3 0, bit5 1 -> 1
//       s = 0x2B38 | 0x8000 = 0xAB38 = 43832; mod 5 = 2
//   s = 0xAB38 = 1010 1011 0011 1000: bit0 0, bit2 0, bit3 1, bit5 1 -> 0
//       s = 0x559C = 21916; mod 5 = 1
//   s = 0x559C = 0101 0101 1001 1100: bit0 0, bit2 1, bit3 1, bit5 0 -> 0
//       s = 0x2ACE = 10958; mod 5 = 3
TEST(TlbRandom, SeedACE1FiveWaysByHand)
{
    TlbPtr t = make_tlb(5, 0, REPL_RANDOM, 0xACE1);
    for (uint64_t v = 0; v < 5; v++)
        fill(t.get(), v, 0, 100 + v, 0); // ways 0..4
    expect_lands(t.get(), 5, 5, 105, 3);
    expect_lands(t.get(), 5, 6, 106, 2);
    expect_lands(t.get(), 5, 7, 107, 1);
    expect_lands(t.get(), 5, 8, 108, 3);
    EXPECT_EQ(find_ppn(t.get(), 5, 105), -1);
    EXPECT_EQ(ppn_at(t.get(), 0), 100u);
    EXPECT_EQ(ppn_at(t.get(), 4), 104u);
}

// ---------------------------------------------------------------- indexing and matching

// 4 ways x 4 sets.  A 2 MiB entry for VPN 0x12345: tag = 0x12345 >> 9 = 0x91
// (0x12345 = 74565, 74565 / 512 = 145.6 -> 145 = 0x91); set = 0x91 mod 4 = 1,
// first invalid way 0 -> index 1 * 4 + 0 = 4.  It covers VPNs 0x12200..0x123ff.
TEST(TlbIndexing, SuperpageLandsInItsOwnSetAndCoversItsRange)
{
    TlbPtr t = make_tlb(16, 4, REPL_LRU);
    fill(t.get(), 0x12345, 1, 0x777, 9);
    const tlb_entry_t *e = tlb_entry(t.get(), 4);
    EXPECT_TRUE(e->flags & kV);
    EXPECT_EQ(e->tag, 0x91u);
    EXPECT_EQ(e->level, 1);
    EXPECT_EQ(e->ppn, 0x777u);
    EXPECT_EQ(e->asid, 9);
    EXPECT_EQ(tlb_count_valid(t.get()), 1u);
    for (uint64_t v = 0x12200; v <= 0x123ff; v++)
        ASSERT_EQ(tlb_lookup(t.get(), v, 9), 4) << std::hex << v;
    EXPECT_EQ(tlb_lookup(t.get(), 0x121ff, 9), -1);
    EXPECT_EQ(tlb_lookup(t.get(), 0x12400, 9), -1);
    // 1 GiB entry: VPN 0x4c12345 -> tag 0x4c12345 >> 18 = 0x130 (0x4c12345 = 79766341,
    // / 262144 = 304.28 -> 304 = 0x130); set 0x130 mod 4 = 0 -> index 0.
    fill(t.get(), 0x4c12345, 2, 0x888, 9);
    EXPECT_EQ(tlb_entry(t.get(), 0)->tag, 0x130u);
    EXPECT_EQ(tlb_lookup(t.get(), 0x4c00000, 9), 0);
    EXPECT_EQ(tlb_lookup(t.get(), 0x4c3ffff, 9), 0);
    EXPECT_EQ(tlb_lookup(t.get(), 0x4bfffff, 9), -1);
    EXPECT_EQ(tlb_lookup(t.get(), 0x4c40000, 9), -1);
    // 1 GiB tag 0x133 -> set 3 -> index 12.
    fill(t.get(), 0x133ull << 18, 2, 0x999, 9);
    EXPECT_EQ(tlb_lookup(t.get(), (0x133ull << 18) + 0x2abcd, 9), 12);
    // 512 GiB (level 3): tag = vpn >> 27; tag 6 -> set 2 -> index 8.
    fill(t.get(), 6ull << 27, 3, 0xaaa, 9);
    EXPECT_EQ(tlb_lookup(t.get(), (6ull << 27) | 0x5555555, 9), 8);
    EXPECT_EQ(tlb_lookup(t.get(), 7ull << 27, 9), -1);
    // A 4 KiB VPN's set is its low bits: 0x12347 -> set 3, way 1 (12 taken) -> 13.
    fill(t.get(), 0x12347, 0, 0xbbb, 9);
    EXPECT_EQ(tlb_lookup(t.get(), 0x12347, 9), 13);
}

// 4 KiB and 2 MiB entries for the same address coexist; the 4 KiB one wins
// even though the 2 MiB entry sits in an earlier way of the same set.
TEST(TlbIndexing, SmallestPageWins)
{
    TlbPtr t = make_tlb(16, 4, REPL_LRU);
    fill(t.get(), 0x12345, 1, 0x200, 1); // 2M tag 0x91, set 1 way 0 -> idx 4
    fill(t.get(), 0x12345, 0, 0x400, 1); // 4K 0x12345, set 0x45 mod 4 = 1, way 1 -> idx 5
    EXPECT_EQ(tlb_count_valid(t.get()), 2u);
    EXPECT_EQ(tlb_lookup(t.get(), 0x12345, 1), 5);
    EXPECT_EQ(tlb_lookup(t.get(), 0x12346, 1), 4);
    // 4K 0x12344 in set 0 -> idx 0; 1G covering all of it: tag 0, set 0, way 1 -> idx 1.
    fill(t.get(), 0x12344, 0, 0x401, 1);
    fill(t.get(), 0x12344, 2, 0x402, 1);
    EXPECT_EQ(tlb_lookup(t.get(), 0x12344, 1), 0);
    EXPECT_EQ(tlb_lookup(t.get(), 0x12345, 1), 5);
    EXPECT_EQ(tlb_lookup(t.get(), 0x12346, 1), 4);
    EXPECT_EQ(tlb_lookup(t.get(), 0x3ffff, 1), 1);
    // All of these are ASID 1 and non-global: ASID 2 misses.
    EXPECT_EQ(tlb_lookup(t.get(), 0x12345, 2), -1);
    // Order of fills does not matter: 4K first, then 2M.
    TlbPtr u = make_tlb(16, 4, REPL_LRU);
    fill(u.get(), 0x12345, 0, 0x400, 1); // idx 4
    fill(u.get(), 0x12345, 1, 0x200, 1); // idx 5
    EXPECT_EQ(tlb_lookup(u.get(), 0x12345, 1), 4);
    EXPECT_EQ(tlb_lookup(u.get(), 0x12200, 1), 5);
    // A larger page of another ASID that is global, and a smaller one of a
    // different ASID: for ASID 2 the global 2M answers, for ASID 1 the 4K.
    TlbPtr w = make_tlb(8, 0, REPL_LRU);
    fill(w.get(), 0x12345, 1, 0x200, 3, true); // idx 0
    fill(w.get(), 0x12345, 0, 0x400, 1);       // idx 1
    EXPECT_EQ(tlb_lookup(w.get(), 0x12345, 1), 1);
    EXPECT_EQ(tlb_lookup(w.get(), 0x12345, 2), 0);
}

TEST(TlbMatch, AsidAndGlobal)
{
    TlbPtr t = make_tlb(8, 0, REPL_LRU);
    fill(t.get(), 0x100, 0, 1, 1);        // idx 0, ASID 1
    fill(t.get(), 0x100, 0, 2, 2);        // idx 1, ASID 2: no overlap, a second entry
    fill(t.get(), 0x200, 0, 3, 3, true);  // idx 2, global
    EXPECT_EQ(tlb_count_valid(t.get()), 3u);
    const struct {
        uint64_t vpn;
        uint16_t asid;
        int want; // the index that answers, -1 for a miss
    } probes[] = {
        {0x100, 1, 0}, {0x100, 2, 1}, {0x100, 3, -1}, {0x100, 0, -1},
        // The global entry answers every ASID, but only its own page.
        {0x200, 0, 2}, {0x200, 1, 2}, {0x200, 3, 2}, {0x200, 0x1234, 2}, {0x200, 0xffff, 2}, {0x201, 3, -1},
    };
    for (const auto &p : probes)
        EXPECT_EQ(tlb_lookup(t.get(), p.vpn, p.asid), p.want) << std::hex << "vpn " << p.vpn << " asid " << p.asid;
}

// ---------------------------------------------------------------- sfence

// One sfence.vma on the seven entries a..g of expect_fences, worked out by
// hand: how many entries it removes and which remain.
struct FenceCase {
    const char *why;
    int use_va;
    uint64_t vpn;
    int use_asid;
    uint16_t asid;
    unsigned removed;
    const char *left; // a..g, '.' where the entry is gone
};

const FenceCase kFences[] = {
    {"everything: vpn and asid ignored", 0, 0x100, 0, 1, 7, "......."},
    {"VPN 0x100: a, b (4K 0x100), d (2M tag 0, global), f (1G tag 0)", 1, 0x100, 0, 0, 4, "..c.e.g"},
    {"inside a superpage: VPN 0x3ff is in e (2M tag 1) and f (1G tag 0) only", 1, 0x3ff, 0, 0, 2, "abcd..g"},
    {"VPN 0x300: inside e and f, and exactly g; the ASID is ignored", 1, 0x300, 0, 7, 3, "abcd..."},
    {"VPN 0x40000: in none of them (f covers 0..0x3ffff)", 1, 0x40000, 0, 0, 0, "abcdefg"},
    {"VPN 0x1ff: d (2M tag 0) and f", 1, 0x1ff, 0, 0, 2, "abc.e.g"},
    {"ASID 1, non-global: a, g (c and d are global)", 0, 0, 1, 1, 2, ".bcdef."},
    {"ASID 2, non-global: b, f (e is global)", 0, 0, 1, 2, 2, "a.cde.g"},
    {"ASID 3: none", 0, 0, 1, 3, 0, "abcdefg"},
    {"0x100 ASID 1: a only (b is ASID 2, d global, f ASID 2)", 1, 0x100, 1, 1, 1, ".bcdefg"},
    {"0x150 ASID 2: f only (1G covers it; d global; b is 0x100)", 1, 0x150, 1, 2, 1, "abcde.g"},
    {"0x300 ASID 1: g (e global, f ASID 2)", 1, 0x300, 1, 1, 1, "abcdef."},
    {"0x300 ASID 2: f (inside the 1G page); e global stays, g is ASID 1", 1, 0x300, 1, 2, 1, "abcde.g"},
    {"0x101 ASID 1: c and d are global, nothing else covers it", 1, 0x101, 1, 1, 0, "abcdefg"},
};

// For each case of kFences of the form (use_va, use_asid), on a fresh
// 16-entry fully associative TLB holding a..g (ppn 1..7): the fence removes
// what the case says; then every lookup of a probe set agrees with the
// reference structure given the same fills and fence, so that no removed
// entry still answers.
void expect_fences(int use_va, int use_asid)
{
    const struct {
        uint64_t vpn;
        int level;
        uint16_t asid;
        bool global;
    } entries[] = {
        {0x100, 0, 1, false}, // a: 4K 0x100 ASID 1
        {0x100, 0, 2, false}, // b: 4K 0x100 ASID 2
        {0x101, 0, 1, true},  // c: 4K 0x101 global
        {0x000, 1, 1, true},  // d: 2M tag 0 (VPN 0..0x1ff) global
        {0x200, 1, 2, true},  // e: 2M tag 1 (VPN 0x200..0x3ff) global
        {0x000, 2, 2, false}, // f: 1G tag 0 (VPN 0..0x3ffff) ASID 2
        {0x300, 0, 1, false}, // g: 4K 0x300 ASID 1
    };
    int ran = 0;
    for (const FenceCase &k : kFences) {
        if (k.use_va != use_va || k.use_asid != use_asid)
            continue;
        SCOPED_TRACE(k.why);
        ran++;
        TlbPtr t = make_tlb(16, 0, REPL_LRU);
        RefAssoc ref(make_cfg(16, 0, REPL_LRU), 0, 3);
        uint64_t ppn = 1;
        for (const auto &x : entries) {
            tlb_entry_t e = mk(x.vpn, x.level, ppn++, x.asid, x.global);
            tlb_fill(t.get(), &e);
            ref.fill(to_ref(e));
        }
        EXPECT_EQ(tlb_flush(t.get(), k.use_va, k.vpn, k.use_asid, k.asid), k.removed);
        ref.flush(k.use_va, k.vpn, k.use_asid, k.asid);
        std::string left;
        for (int p = 1; p <= 7; p++)
            left += find_ppn(t.get(), 16, (uint64_t)p) >= 0 ? (char)('a' + p - 1) : '.';
        EXPECT_EQ(left, k.left);
        EXPECT_EQ(tlb_count_valid(t.get()), 7u - k.removed);
        for (uint64_t vpn : {0x0u, 0x100u, 0x101u, 0x150u, 0x1ffu, 0x200u, 0x300u, 0x3ffu, 0x40000u})
            for (uint16_t asid : {1, 2, 3})
                EXPECT_EQ(tlb_lookup(t.get(), vpn, asid), ref.lookup(vpn, asid)) << std::hex << "vpn " << vpn
                                                                                    << " asid " << asid;
    }
    EXPECT_GT(ran, 0);
}

TEST(TlbSfence, All) { expect_fences(0, 0); }
TEST(TlbSfence, ByVa) { expect_fences(1, 0); }
TEST(TlbSfence, ByAsid) { expect_fences(0, 1); }
TEST(TlbSfence, ByVaAndAsid) { expect_fences(1, 1); }

// ---------------------------------------------------------------- replace in place

TEST(TlbFill, ReplaceInPlace)
{
    TlbPtr t = make_tlb(8, 0, REPL_LRU);
    fill(t.get(), 0x100, 0, 1, 1); // idx 0
    EXPECT_EQ(tlb_count_valid(t.get()), 1u);
    // Same tag/level/ASID (e.g. a store that found D = 0): overwritten.
    tlb_entry_t e = mk(0x100, 0, 2, 1, false, (uint8_t)(PTE_R | PTE_W | PTE_A | PTE_D));
    tlb_fill(t.get(), &e);
    EXPECT_EQ(tlb_count_valid(t.get()), 1u);
    EXPECT_EQ(tlb_lookup(t.get(), 0x100, 1), 0);
    EXPECT_EQ(tlb_entry(t.get(), 0)->ppn, 2u);
    EXPECT_EQ(tlb_entry(t.get(), 0)->flags, (uint8_t)(kV | PTE_R | PTE_W | PTE_A | PTE_D));
    // Different ASID, both non-global: a second entry.
    fill(t.get(), 0x100, 0, 3, 2); // idx 1
    EXPECT_EQ(tlb_count_valid(t.get()), 2u);
    // Same VPN at another level: a separate entry.
    fill(t.get(), 0x100, 1, 4, 1); // idx 2
    EXPECT_EQ(tlb_count_valid(t.get()), 3u);
    // A global entry is overwritten by a non-global fill of the same tag, and
    // vice versa.
    fill(t.get(), 0x200, 0, 5, 5, true); // idx 3
    EXPECT_EQ(tlb_count_valid(t.get()), 4u);
    fill(t.get(), 0x200, 0, 6, 7); // overlaps the global entry -> idx 3
    EXPECT_EQ(tlb_count_valid(t.get()), 4u);
    EXPECT_EQ(tlb_lookup(t.get(), 0x200, 7), 3);
    EXPECT_EQ(tlb_lookup(t.get(), 0x200, 5), -1); // no longer global
    EXPECT_EQ(tlb_entry(t.get(), 3)->asid, 7);
    fill(t.get(), 0x200, 0, 7, 9, true); // global overlaps ASID 7 -> idx 3
    EXPECT_EQ(tlb_count_valid(t.get()), 4u);
    EXPECT_EQ(tlb_lookup(t.get(), 0x200, 5), 3);
    EXPECT_EQ(tlb_entry(t.get(), 3)->ppn, 7u);
    EXPECT_EQ(tlb_entry(t.get(), 3)->asid, 9);
    // Same tag with a different level is no overlap: 2M tag 0x100 != VPN 0x100.
    fill(t.get(), 0x100ull << 9, 1, 8, 1); // 2M tag 0x100, a new entry idx 4
    EXPECT_EQ(tlb_count_valid(t.get()), 5u);
    EXPECT_EQ(find_ppn(t.get(), 8, 8), 4);
    EXPECT_EQ(find_ppn(t.get(), 8, 4), 2);
}

// A fully associative 4-entry TLB under pol (seed 1) holding VPNs 0..3 (ppn
// 10..13) in ways 0..3.
TlbPtr four_full(repl_policy_t pol)
{
    TlbPtr t = make_tlb(4, 0, pol, 1);
    for (uint64_t v = 0; v < 4; v++)
        fill(t.get(), v, 0, 10 + v, 0);
    return t;
}

// In a full set, replace in place neither evicts another entry nor consumes
// the policy's victim.
TEST(TlbFill, ReplaceInPlaceInFullSet)
{
    for (repl_policy_t pol : {REPL_LRU, REPL_PLRU, REPL_FIFO, REPL_RANDOM}) {
        TlbPtr t = four_full(pol);
        for (uint64_t v = 0; v < 4; v++) {
            fill(t.get(), v, 0, 20 + v, 0);
            EXPECT_EQ(tlb_count_valid(t.get()), 4u) << policy_name(pol);
            EXPECT_EQ(find_ppn(t.get(), 4, 20 + v), (int)v) << policy_name(pol);
        }
    }
    // FIFO: pointer still 0 after the in-place refills.
    TlbPtr f = four_full(REPL_FIFO);
    fill(f.get(), 2, 0, 30, 0);
    expect_lands(f.get(), 4, 9, 31, 0); // LRU: an in-place fill touches: fill 0..3 (w0 oldest), refill 0 -> w1 oldest.
    TlbPtr l = four_full(REPL_LRU);
    fill(l.get(), 0, 0, 40, 0);
    expect_lands(l.get(), 4, 9, 41, 1);
    EXPECT_EQ(find_ppn(l.get(), 4, 40), 0);
}

// Invalid-first: after a flush of a middle way, the lowest invalid way is filled.
TEST(TlbFill, LowestInvalidWayFirst)
{
    TlbPtr t = make_tlb(8, 0, REPL_LRU);
    for (uint64_t v = 0; v < 8; v++)
        fill(t.get(), v, 0, v, 0);
    EXPECT_EQ(tlb_flush(t.get(), 1, 5, 0, 0), 1u);
    EXPECT_EQ(tlb_flush(t.get(), 1, 2, 0, 0), 1u);
    expect_lands(t.get(), 8, 0x20, 0x20, 2);
    expect_lands(t.get(), 8, 0x21, 0x21, 5);
    EXPECT_EQ(tlb_count_valid(t.get()), 8u);
}

// ---------------------------------------------------------------- walk cache (levels 1..3)

TEST(TlbWalkCache, LevelsOneToThree)
{
    // 4 ways x 4 sets, lookups over levels 1..3 (Sv48 pointer PTEs).
    TlbPtr t = make_tlb(16, 4, REPL_LRU, 1, 1, 3);
    const uint64_t vpn = 0x123456789ull & ((1ull << 36) - 1); // 0x123456789
    // level 3: tag = vpn >> 27 = 0x24 -> set 0 -> idx 0
    // level 2: tag = vpn >> 18 = 0x48d1   -> set 1 -> idx 4
    // level 1: tag = vpn >> 9  = 0x91a2b3 -> set 3 -> idx 12
    fill(t.get(), vpn, 3, 0x30, 4);
    EXPECT_EQ(tlb_lookup(t.get(), vpn, 4), 0);
    EXPECT_EQ(tlb_entry(t.get(), 0)->tag, 0x24u);
    EXPECT_EQ(tlb_lookup(t.get(), 0x24ull << 27, 4), 0);          // first VPN under it
    EXPECT_EQ(tlb_lookup(t.get(), (0x25ull << 27) - 1, 4), 0);    // last
    EXPECT_EQ(tlb_lookup(t.get(), 0x25ull << 27, 4), -1);
    fill(t.get(), vpn, 2, 0x20, 4);
    EXPECT_EQ(tlb_entry(t.get(), 4)->tag, 0x48d1u);
    EXPECT_EQ(tlb_lookup(t.get(), vpn, 4), 4); // deeper table wins
    fill(t.get(), vpn, 1, 0x10, 4);
    EXPECT_EQ(tlb_entry(t.get(), 12)->tag, 0x91a2b3u);
    EXPECT_EQ(tlb_lookup(t.get(), vpn, 4), 12);
    EXPECT_EQ(tlb_lookup(t.get(), vpn ^ 0x1ff, 4), 12);  // same 2M region
    EXPECT_EQ(tlb_lookup(t.get(), vpn ^ 0x200, 4), 4);   // other level-1 table, same level-2
    EXPECT_EQ(tlb_lookup(t.get(), vpn ^ 0x40000, 4), 0); // other level-2 table
    EXPECT_EQ(tlb_lookup(t.get(), vpn, 5), -1);
    // Fence by VA drops the pointers above that VA.
    EXPECT_EQ(tlb_flush(t.get(), 1, vpn ^ 0x200, 0, 0), 2u); // level 2 and 3
    EXPECT_EQ(tlb_lookup(t.get(), vpn, 4), 12);
    EXPECT_EQ(tlb_lookup(t.get(), vpn ^ 0x200, 4), -1);
    EXPECT_EQ(tlb_count_valid(t.get()), 1u);
}

// A TLB created for levels 0..2 (Sv39) with 1 GiB leaves.
TEST(TlbWalkCache, Sv39TlbLevelsZeroToTwo)
{
    TlbPtr t = make_tlb(8, 2, REPL_PLRU, 1, 0, 2);
    fill(t.get(), 0x7ffffff, 2, 1, 0, true); // tag 0x1ff, set 0x1ff mod 4 = 3 -> idx 6
    EXPECT_EQ(tlb_lookup(t.get(), 0x7fc0000, 3), 6);
    EXPECT_EQ(tlb_lookup(t.get(), 0x7ffffff, 3), 6);
    EXPECT_EQ(tlb_lookup(t.get(), 0x7fbffff, 3), -1);
}


} // namespace
} // namespace tlbtest
