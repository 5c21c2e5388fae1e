// test_tlb_diff.cc - the TLB / page-walk cache of model/tlb.c against the
// reference structure of testbench/ref/ref_assoc.h (written from docs/tlb.md
// alone), entry by entry after every operation of long random streams, for
// every replacement policy over many geometries.
//
// The test prints its seed; MMUSIM_SEED overrides the default so a failure
// reproduces.  MMUSIM_TLB_OPS overrides the operations per run.

#include <gtest/gtest.h>

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <ostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "ref_assoc.h"
#include "seed.h"
#include "tlb_fixture.h"

namespace tlbtest {
namespace {

constexpr uint64_t kSeed = 20240601; // MMUSIM_SEED's default for this suite

// MMUSIM_TLB_OPS, else 200000.
unsigned ops_per_run()
{
    unsigned n = 200000;
    if (const char *s = std::getenv("MMUSIM_TLB_OPS"))
        n = (unsigned)std::strtoul(s, nullptr, 0);
    return n;
}

struct Geometry {
    const char *name;
    unsigned entries, ways; // ways = 0: fully associative
    int min_level, max_level;
};

struct DiffParam {
    repl_policy_t policy;
    Geometry g;
    unsigned index; // mixed into the seed
};

const Geometry kGeometries[] = {
    {"fa8", 8, 0, 0, 3},         {"fa16", 16, 0, 0, 3},      {"fa32", 32, 0, 0, 3},
    {"w4x64", 64, 4, 0, 3},      {"w2x16", 16, 2, 0, 3},     {"dm8", 8, 1, 0, 3},
    {"w8x16", 16, 8, 0, 3},      {"w4x16sv39", 16, 4, 0, 2}, {"fa12", 12, 0, 0, 3},
    {"w3x12", 12, 3, 0, 3},      {"w2x256", 256, 2, 0, 3},   {"pwc_w4x16", 16, 4, 1, 3},
    {"pwc_fa8", 8, 0, 1, 3},     {"pwc_dm4", 4, 1, 1, 2},
};

// Every policy on every geometry it allows.
std::vector<DiffParam> diff_params()
{
    std::vector<DiffParam> v;
    const repl_policy_t pols[] = {REPL_LRU, REPL_PLRU, REPL_FIFO, REPL_RANDOM};
    unsigned idx = 0;
    for (repl_policy_t p : pols)
        for (const Geometry &g : kGeometries) {
            unsigned ways = g.ways ? g.ways : g.entries;
            if (p == REPL_PLRU && (ways & (ways - 1)) != 0)
                continue; // plru needs a power-of-two way count
            v.push_back(DiffParam{p, g, idx++});
        }
    return v;
}

// gtest prints the parameter of a failing test with this.
void PrintTo(const DiffParam &p, std::ostream *os)
{
    *os << policy_name(p.policy) << " " << p.g.name << " (entries " << p.g.entries << ", ways " << p.g.ways
        << ", levels " << p.g.min_level << ".." << p.g.max_level << ")";
}

class TlbDiff : public ::testing::TestWithParam<DiffParam> {};

// One entry for a failure report; "-" when invalid.
std::string fmt_entry(bool valid, uint64_t tag, uint64_t ppn, unsigned asid, unsigned level, unsigned flags)
{
    char buf[160];
    if (!valid)
        return "-";
    std::snprintf(buf, sizeof buf, "L%u tag=%#" PRIx64 " ppn=%#" PRIx64 " asid=%u flags=%#x", level, tag, ppn,
                  asid, flags);
    return buf;
}

TEST_P(TlbDiff, MatchesReferenceModel)
{
    const DiffParam &p = GetParam();
    const Geometry &g = p.g;
    const uint64_t seed = test_seed(kSeed);
    std::printf("  run %u: %s %s\n", p.index, policy_name(p.policy), g.name);
    std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull + p.index * 0xD1B54A32D192ED03ull + 1);
    const uint32_t lfsr_seed = (uint32_t)(rng() % 0xffff) + 1;

    TlbPtr dut = make_tlb(g.entries, g.ways, p.policy, lfsr_seed, g.min_level, g.max_level);
    ASSERT_NE(dut, nullptr);
    RefAssoc ref(make_cfg(g.entries, g.ways, p.policy, lfsr_seed), g.min_level, g.max_level);
    const unsigned N = ref.entries();

    // VPN pool: small ranges of VPN[0], VPN[1], VPN[2] so that 4K, 2M and 1G
    // entries overlap, hit and conflict; a few far VPNs for misses.
    const unsigned k0 = (3 * N) / 8 + 2;
    auto rand_vpn = [&]() -> uint64_t {
        unsigned r = (unsigned)(rng() % 100);
        if (r < 4)
            return rng() & ((1ull << 27) - 1);
        if (r < 6)
            return rng() & ((1ull << 36) - 1);
        uint64_t t2 = rng() % 2;
        uint64_t t1 = (rng() % 4 == 0) ? rng() % 8 : rng() % 2;
        uint64_t t0 = rng() % k0;
        return (t2 << 18) | (t1 << 9) | t0;
    };
    auto rand_asid = [&]() -> uint16_t {
        unsigned r = (unsigned)(rng() % 16);
        return r < 15 ? (uint16_t)(r % 4) : (uint16_t)0xffff;
    };
    auto rand_level = [&]() -> int {
        for (;;) {
            unsigned r = (unsigned)(rng() % 100);
            int L = r < 50 ? 0 : r < 75 ? 1 : r < 93 ? 2 : 3;
            if (L >= g.min_level && L <= g.max_level)
                return L;
        }
    };
    auto rand_entry = [&](uint64_t vpn, uint16_t asid) {
        int L = rand_level();
        tlb_entry_t e;
        e.level = (uint8_t)L;
        e.tag = vpn >> (9 * L);
        e.ppn = rng() & PTE_PPN_MASK;
        e.asid = asid;
        uint8_t fl = (uint8_t)((rng() & 0xdeu) | kV); // random R W X U A D, V set, G below
        if (rng() % 100 < 15)
            fl |= kG;
        e.flags = fl;
        return e;
    };

    std::deque<std::string> hist;
    auto log = [&](unsigned op, const std::string &s) {
        hist.push_back(std::to_string(op) + ": " + s);
        if (hist.size() > 40)
            hist.pop_front();
    };
    auto fail = [&](unsigned op, const std::string &what) {
        std::ostringstream os;
        os << "policy " << policy_name(p.policy) << ", geometry " << g.name << " (entries " << g.entries
           << ", ways " << g.ways << ", levels " << g.min_level << ".." << g.max_level << ", lfsr seed "
           << lfsr_seed << "), MMUSIM_SEED=" << seed << ", op " << op << ": " << what << "\nlast operations:\n";
        for (const std::string &h : hist)
            os << "  " << h << "\n";
        os << "state (ref | dut):\n";
        for (unsigned i = 0; i < N; i++) {
            const RefEntry &r = ref.at(i);
            const tlb_entry_t *d = tlb_entry(dut.get(), (int)i);
            os << "  [" << i << "] " << fmt_entry(r.valid, r.tag, r.ppn, r.asid, r.level, r.flags) << " | "
               << fmt_entry(d->flags & kV, d->tag, d->ppn, d->asid, d->level, d->flags) << "\n";
        }
        ADD_FAILURE() << os.str();
    };
    auto compare_state = [&](unsigned op) -> bool {
        for (unsigned i = 0; i < N; i++) {
            const RefEntry &r = ref.at(i);
            const tlb_entry_t *d = tlb_entry(dut.get(), (int)i);
            bool dv = (d->flags & kV) != 0;
            if (dv != r.valid || (r.valid && (d->tag != r.tag || d->ppn != r.ppn || d->asid != r.asid ||
                                              d->level != r.level || d->flags != r.flags))) {
                fail(op, "entry " + std::to_string(i) + " differs");
                return false;
            }
        }
        unsigned dc = tlb_count_valid(dut.get()), rc = ref.count_valid();
        if (dc != rc) {
            fail(op, "tlb_count_valid " + std::to_string(dc) + ", expected " + std::to_string(rc));
            return false;
        }
        return true;
    };

    const unsigned ops = ops_per_run();
    unsigned hits = 0, lookups = 0, flushes = 0;
    char buf[200];
    for (unsigned op = 0; op < ops; op++) {
        unsigned kind = (unsigned)(rng() % 1000);
        if (kind < 600) {
            // Lookup; a used hit touches; in 60% of cases a miss is refilled
            // (like the MMU would) with an entry covering that VPN.
            uint64_t vpn = rand_vpn();
            uint16_t asid = rand_asid();
            bool touch = rng() % 100 < 85;
            bool refill = rng() % 100 < 60;
            int ri = ref.lookup(vpn, asid);
            int di = tlb_lookup(dut.get(), vpn, asid);
            std::snprintf(buf, sizeof buf, "lookup vpn=%#" PRIx64 " asid=%u -> ref %d dut %d%s", vpn, asid, ri, di,
                          touch ? " (touch)" : "");
            log(op, buf);
            lookups++;
            if (ri != di) {
                fail(op, "tlb_lookup returned " + std::to_string(di) + ", expected " + std::to_string(ri));
                return;
            }
            if (ri >= 0) {
                hits++;
                if (touch) {
                    ref.touch(ri);
                    tlb_touch(dut.get(), di);
                }
            } else if (refill) {
                tlb_entry_t e = rand_entry(vpn, asid);
                int wi = ref.fill(to_ref(e));
                tlb_fill(dut.get(), &e);
                std::snprintf(buf, sizeof buf, "  refill L%u tag=%#" PRIx64 " asid=%u flags=%#x -> ref idx %d",
                              e.level, e.tag, e.asid, e.flags, wi);
                log(op, buf);
            }
        } else if (kind < 970) {
            tlb_entry_t e = rand_entry(rand_vpn(), rand_asid());
            int wi = ref.fill(to_ref(e));
            tlb_fill(dut.get(), &e);
            std::snprintf(buf, sizeof buf, "fill L%u tag=%#" PRIx64 " ppn=%#" PRIx64 " asid=%u flags=%#x -> ref idx %d",
                          e.level, e.tag, e.ppn, e.asid, e.flags, wi);
            log(op, buf);
        } else {
            unsigned r = (unsigned)(rng() % 100);
            bool use_va = r >= 5 && r < 40 ? true : r >= 65;
            bool use_asid = r >= 40;
            uint64_t vpn = rand_vpn();
            uint16_t asid = rand_asid();
            unsigned rn = ref.flush(use_va, vpn, use_asid, asid);
            unsigned dn = tlb_flush(dut.get(), use_va, vpn, use_asid, asid);
            std::snprintf(buf, sizeof buf, "flush use_va=%d vpn=%#" PRIx64 " use_asid=%d asid=%u -> ref %u dut %u",
                          use_va, vpn, use_asid, asid, rn, dn);
            log(op, buf);
            flushes++;
            if (rn != dn) {
                fail(op, "tlb_flush returned " + std::to_string(dn) + ", expected " + std::to_string(rn));
                return;
            }
        }
        if (!compare_state(op))
            return;
    }
    std::printf("  %u ops, %u lookups (%u hits), %u flushes\n", ops, lookups, hits, flushes);
    // The mix must really exercise hits and replacement.
    EXPECT_GT(hits, lookups / 20);
    EXPECT_LT(hits, lookups);
}

// The instance's name: policy_geometry.
std::string diff_name(const ::testing::TestParamInfo<DiffParam> &info)
{
    return std::string(policy_name(info.param.policy)) + "_" + info.param.g.name;
}

INSTANTIATE_TEST_SUITE_P(AllPolicies, TlbDiff, ::testing::ValuesIn(diff_params()), diff_name);

// The reference LFSR against the hand computation below (so that the
// randomized test's reference is itself checked).
TEST(TlbRefModel, LfsrStepsByHand)
{
    // s = 1:      bit = 1 ^ 0 ^ 0 ^ 0 = 1, s = (1 >> 1) | (1 << 15) = 0x8000
    EXPECT_EQ(RefAssoc::lfsr_step(1), 0x8000);
    // s = 0x8000: bits 0, 2, 3, 5 all 0, bit = 0, s = 0x4000
    EXPECT_EQ(RefAssoc::lfsr_step(0x8000), 0x4000);
    // s = 0x0020: bit 5 set, bit = 1, s = 0x0010 | 0x8000 = 0x8010
    EXPECT_EQ(RefAssoc::lfsr_step(0x0020), 0x8010);
    // s = 0xACE1 = 1010 1100 1110 0001: bit0 1, bit2 0, bit3 0, bit5 1 -> 0;
    // s = 0xACE1 >> 1 = 0x5670
    EXPECT_EQ(RefAssoc::lfsr_step(0xACE1), 0x5670);
    // s = 0x5670 = 0101 0110 0111 0000: bit0 0, bit2 0, bit3 0, bit5 1 -> 1;
    // s = 0x2B38 | 0x8000 = 0xAB38
    EXPECT_EQ(RefAssoc::lfsr_step(0x5670), 0xAB38);
    // A maximal-length 16-bit LFSR: period 65535 from any non-zero seed.
    uint16_t s = 1;
    unsigned period = 0;
    do {
        s = RefAssoc::lfsr_step(s);
        period++;
    } while (s != 1 && period < 70000);
    EXPECT_EQ(period, 65535u);
}

} // namespace
} // namespace tlbtest
