// test_tlb.cc - the set-associative TLB / page-walk cache (docs/tlb.md, model/tlb.h).
//
// Two kinds of tests:
//  * a randomized differential test against RefTlb, a reference model written
//    from docs/tlb.md alone (indexing, probe order, replace in place,
//    invalid-first, and the lru / plru / fifo / random policies bit for bit);
//  * directed tests whose expected values are worked out by hand, with the
//    arithmetic in the comments.
//
// The randomized test prints its seed; MMUSIM_SEED overrides the default so a
// failure reproduces.  MMUSIM_TLB_OPS overrides the operations per run.

#include <gtest/gtest.h>

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <memory>
#include <ostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "tlb.h"

namespace {

constexpr uint8_t kV = (uint8_t)PTE_V;
constexpr uint8_t kG = (uint8_t)PTE_G;
constexpr uint8_t kRA = (uint8_t)(PTE_R | PTE_A);

struct TlbDeleter {
    void operator()(tlb_t *t) const { tlb_destroy(t); }
};
using TlbPtr = std::unique_ptr<tlb_t, TlbDeleter>;

assoc_cfg_t make_cfg(unsigned entries, unsigned ways, repl_policy_t policy, uint32_t seed = 1)
{
    assoc_cfg_t c;
    c.entries = entries;
    c.ways = ways;
    c.policy = policy;
    c.latency = 1;
    c.seed = seed;
    return c;
}

TlbPtr make_tlb(unsigned entries, unsigned ways, repl_policy_t policy, uint32_t seed = 1, int min_level = 0,
                int max_level = 3)
{
    assoc_cfg_t c = make_cfg(entries, ways, policy, seed);
    tlb_t *t = tlb_create(&c, min_level, max_level);
    EXPECT_NE(t, nullptr);
    return TlbPtr(t);
}

// An entry of `level` covering vpn.
tlb_entry_t mk(uint64_t vpn, int level, uint64_t ppn, uint16_t asid, bool global = false, uint8_t extra = kRA)
{
    tlb_entry_t e;
    e.tag = vpn >> (9 * level);
    e.ppn = ppn;
    e.asid = asid;
    e.level = (uint8_t)level;
    e.flags = (uint8_t)(kV | extra | (global ? kG : 0));
    return e;
}

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

// Ppn of the entry at idx (idx must be valid).
uint64_t ppn_at(tlb_t *t, int idx)
{
    if (idx < 0)
        return ~0ull;
    return tlb_entry(t, idx)->ppn;
}

// Looks vpn up and, on a hit, touches the entry (a hit that is used).
int use(tlb_t *t, uint64_t vpn, uint16_t asid)
{
    int i = tlb_lookup(t, vpn, asid);
    if (i >= 0)
        tlb_touch(t, i);
    return i;
}

const char *policy_name(repl_policy_t p)
{
    switch (p) {
    case REPL_LRU: return "lru";
    case REPL_PLRU: return "plru";
    case REPL_FIFO: return "fifo";
    case REPL_RANDOM: return "random";
    }
    return "?";
}

// ====================================================================
// Reference model, from docs/tlb.md only.
// ====================================================================

class RefTlb {
public:
    struct Entry {
        bool valid = false;
        uint64_t tag = 0, ppn = 0;
        uint16_t asid = 0;
        uint8_t level = 0, flags = 0;
    };

    RefTlb(unsigned entries, unsigned ways_cfg, repl_policy_t policy, uint32_t seed, int min_level, int max_level)
        : policy_(policy), min_level_(min_level), max_level_(max_level), lfsr_((uint16_t)seed)
    {
        ways_ = ways_cfg == 0 ? entries : ways_cfg; // ways = 0: fully associative, one set
        sets_ = entries / ways_;
        e_.resize(entries);
        age_.resize(entries);
        for (unsigned s = 0; s < sets_; s++)
            for (unsigned w = 0; w < ways_; w++)
                age_[s * ways_ + w] = w; // initially age[w] = w
        plru_.assign((size_t)sets_ * (ways_ - 1 + 1), 0); // ways - 1 bits per set (+1 slack for ways = 1)
        fifo_.assign(sets_, 0);
    }

    unsigned entries() const { return (unsigned)e_.size(); }
    unsigned ways() const { return ways_; }
    unsigned sets() const { return sets_; }
    const Entry &at(unsigned i) const { return e_[i]; }
    uint16_t lfsr() const { return lfsr_; }

    unsigned set_of(uint64_t tag) const { return (unsigned)(tag % sets_); }

    // For each level from min up, that level's set, ways in index order; first match wins.
    int lookup(uint64_t vpn, uint16_t asid) const
    {
        for (int L = min_level_; L <= max_level_; L++) {
            uint64_t tag = vpn >> (9 * L);
            unsigned s = set_of(tag);
            for (unsigned w = 0; w < ways_; w++) {
                const Entry &x = e_[s * ways_ + w];
                if (x.valid && x.level == L && x.tag == tag && ((x.flags & kG) || x.asid == asid))
                    return (int)(s * ways_ + w);
            }
        }
        return -1;
    }

    void touch(int idx)
    {
        unsigned s = (unsigned)idx / ways_, w = (unsigned)idx % ways_;
        switch (policy_) {
        case REPL_LRU: {
            unsigned *a = &age_[s * ways_];
            unsigned aw = a[w];
            for (unsigned v = 0; v < ways_; v++)
                if (a[v] < aw)
                    a[v]++;
            a[w] = 0;
            break;
        }
        case REPL_PLRU: {
            uint8_t *b = &plru_[s * ways_];
            unsigned node = 0, lo = 0, hi = ways_;
            while (hi - lo > 1) {
                unsigned mid = (lo + hi) / 2;
                if (w < mid) { // w in the left subtree: point right
                    b[node] = 1;
                    node = 2 * node + 1;
                    hi = mid;
                } else {
                    b[node] = 0;
                    node = 2 * node + 2;
                    lo = mid;
                }
            }
            break;
        }
        case REPL_FIFO:
        case REPL_RANDOM:
            break;
        }
    }

    // Installs e; returns the index written.
    int fill(const tlb_entry_t &in)
    {
        unsigned s = set_of(in.tag);
        int way = -1;
        // Replace in place: same level and tag, overlapping ASID scope.
        for (unsigned w = 0; w < ways_ && way < 0; w++) {
            const Entry &x = e_[s * ways_ + w];
            if (x.valid && x.level == in.level && x.tag == in.tag &&
                ((x.flags & kG) || (in.flags & kG) || x.asid == in.asid))
                way = (int)w;
        }
        // Lowest-numbered invalid way.
        for (unsigned w = 0; w < ways_ && way < 0; w++)
            if (!e_[s * ways_ + w].valid)
                way = (int)w;
        if (way < 0)
            way = (int)victim(s);
        int idx = (int)(s * ways_ + (unsigned)way);
        Entry &x = e_[(unsigned)idx];
        x.valid = true;
        x.tag = in.tag;
        x.ppn = in.ppn;
        x.asid = in.asid;
        x.level = in.level;
        x.flags = in.flags;
        touch(idx);
        return idx;
    }

    unsigned flush(bool use_va, uint64_t vpn, bool use_asid, uint16_t asid)
    {
        unsigned n = 0;
        for (Entry &x : e_) {
            if (!x.valid)
                continue;
            if (use_va && (vpn >> (9 * x.level)) != x.tag)
                continue;
            if (use_asid && ((x.flags & kG) || x.asid != asid))
                continue;
            x.valid = false;
            n++;
        }
        return n;
    }

    unsigned count_valid() const
    {
        unsigned n = 0;
        for (const Entry &x : e_)
            n += x.valid;
        return n;
    }

    // One LFSR step (taps 16, 14, 13, 11).
    static uint16_t lfsr_step(uint16_t s)
    {
        unsigned bit = (s ^ (s >> 2) ^ (s >> 3) ^ (s >> 5)) & 1u;
        return (uint16_t)((s >> 1) | (bit << 15));
    }

private:
    unsigned victim(unsigned s)
    {
        switch (policy_) {
        case REPL_LRU: {
            const unsigned *a = &age_[s * ways_];
            unsigned best = 0;
            for (unsigned w = 1; w < ways_; w++)
                if (a[w] > a[best])
                    best = w;
            return best;
        }
        case REPL_PLRU: {
            const uint8_t *b = &plru_[s * ways_];
            unsigned node = 0, lo = 0, hi = ways_;
            while (hi - lo > 1) {
                unsigned mid = (lo + hi) / 2;
                if (b[node] == 0) {
                    node = 2 * node + 1;
                    hi = mid;
                } else {
                    node = 2 * node + 2;
                    lo = mid;
                }
            }
            return lo;
        }
        case REPL_FIFO: {
            unsigned v = fifo_[s];
            fifo_[s] = (v + 1) % ways_;
            return v;
        }
        case REPL_RANDOM:
            lfsr_ = lfsr_step(lfsr_);
            return lfsr_ % ways_;
        }
        return 0;
    }

    repl_policy_t policy_;
    int min_level_, max_level_;
    unsigned ways_ = 1, sets_ = 1;
    std::vector<Entry> e_;
    std::vector<unsigned> age_;
    std::vector<uint8_t> plru_;
    std::vector<unsigned> fifo_;
    uint16_t lfsr_;
};

// ====================================================================
// Randomized differential test
// ====================================================================

uint64_t base_seed()
{
    uint64_t seed = 20240601;
    if (const char *s = std::getenv("MMUSIM_SEED"))
        seed = std::strtoull(s, nullptr, 0);
    return seed;
}

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
    const uint64_t seed = base_seed();
    std::printf("MMUSIM_SEED=%llu (run %u: %s %s)\n", (unsigned long long)seed, p.index, policy_name(p.policy),
                g.name);
    std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull + p.index * 0xD1B54A32D192ED03ull + 1);
    const uint32_t lfsr_seed = (uint32_t)(rng() % 0xffff) + 1;

    TlbPtr dut = make_tlb(g.entries, g.ways, p.policy, lfsr_seed, g.min_level, g.max_level);
    ASSERT_NE(dut, nullptr);
    RefTlb ref(g.entries, g.ways, p.policy, lfsr_seed, g.min_level, g.max_level);
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
            const RefTlb::Entry &r = ref.at(i);
            const tlb_entry_t *d = tlb_entry(dut.get(), (int)i);
            os << "  [" << i << "] " << fmt_entry(r.valid, r.tag, r.ppn, r.asid, r.level, r.flags) << " | "
               << fmt_entry(d->flags & kV, d->tag, d->ppn, d->asid, d->level, d->flags) << "\n";
        }
        ADD_FAILURE() << os.str();
    };
    auto compare_state = [&](unsigned op) -> bool {
        for (unsigned i = 0; i < N; i++) {
            const RefTlb::Entry &r = ref.at(i);
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
                int wi = ref.fill(e);
                tlb_fill(dut.get(), &e);
                std::snprintf(buf, sizeof buf, "  refill L%u tag=%#" PRIx64 " asid=%u flags=%#x -> ref idx %d",
                              e.level, e.tag, e.asid, e.flags, wi);
                log(op, buf);
            }
        } else if (kind < 970) {
            tlb_entry_t e = rand_entry(rand_vpn(), rand_asid());
            int wi = ref.fill(e);
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
    EXPECT_EQ(RefTlb::lfsr_step(1), 0x8000);
    // s = 0x8000: bits 0, 2, 3, 5 all 0, bit = 0, s = 0x4000
    EXPECT_EQ(RefTlb::lfsr_step(0x8000), 0x4000);
    // s = 0x0020: bit 5 set, bit = 1, s = 0x0010 | 0x8000 = 0x8010
    EXPECT_EQ(RefTlb::lfsr_step(0x0020), 0x8010);
    // s = 0xACE1 = 1010 1100 1110 0001: bit0 1, bit2 0, bit3 0, bit5 1 -> 0;
    // s = 0xACE1 >> 1 = 0x5670
    EXPECT_EQ(RefTlb::lfsr_step(0xACE1), 0x5670);
    // s = 0x5670 = 0101 0110 0111 0000: bit0 0, bit2 0, bit3 0, bit5 1 -> 1;
    // s = 0x2B38 | 0x8000 = 0xAB38
    EXPECT_EQ(RefTlb::lfsr_step(0x5670), 0xAB38);
    // A maximal-length 16-bit LFSR: period 65535 from any non-zero seed.
    uint16_t s = 1;
    unsigned period = 0;
    do {
        s = RefTlb::lfsr_step(s);
        period++;
    } while (s != 1 && period < 70000);
    EXPECT_EQ(period, 65535u);
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
    fill(t.get(), 0xE, 0, 5, 0); // evicts A (way 0)
    EXPECT_EQ(find_ppn(t.get(), 4, 5), 0);
    fill(t.get(), 0xF, 0, 6, 0); // then C (way 2)
    EXPECT_EQ(find_ppn(t.get(), 4, 6), 2);
    fill(t.get(), 0x10, 0, 7, 0); // then D (way 3)
    EXPECT_EQ(find_ppn(t.get(), 4, 7), 3);
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
    fill(t.get(), 0x14, 0, 5, 0);         // set 0 victim w1 (ppn 3) -> idx 1
    EXPECT_EQ(find_ppn(t.get(), 4, 5), 1);
    fill(t.get(), 0x15, 0, 6, 0); // set 1: w1 (0x13) newest, victim w0 (ppn 2) -> idx 2
    EXPECT_EQ(find_ppn(t.get(), 4, 6), 2);
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
    // fill E: b0=1 -> right, b2=0 -> w2 (C). (True LRU would evict B.)
    fill(t.get(), 0xE, 0, 5, 0); // touch w2: b0=0, b2=1 -> 011
    EXPECT_EQ(find_ppn(t.get(), 4, 3), -1);
    EXPECT_EQ(find_ppn(t.get(), 4, 5), 2);
    // fill F: b0=0 -> left, b1=1 -> w1 (B)
    fill(t.get(), 0xF, 0, 6, 0); // touch w1: b0=1, b1=0 -> 101
    EXPECT_EQ(find_ppn(t.get(), 4, 2), -1);
    EXPECT_EQ(find_ppn(t.get(), 4, 6), 1);
    // fill G: b0=1 -> right, b2=1 -> w3 (D)
    fill(t.get(), 0x10, 0, 7, 0); // touch w3: b0=0, b2=0 -> 100
    EXPECT_EQ(find_ppn(t.get(), 4, 4), -1);
    EXPECT_EQ(find_ppn(t.get(), 4, 7), 3);
    // fill H: b0=0 -> left, b1=0 -> w0 (A)
    fill(t.get(), 0x11, 0, 8, 0); // touch w0: b0=1, b1=1 -> 111
    EXPECT_EQ(find_ppn(t.get(), 4, 1), -1);
    EXPECT_EQ(find_ppn(t.get(), 4, 8), 0);
    // hit on w3 (G): b0=0, b2=0 -> 010; fill I: b0=0 -> left, b1=1 -> w1 (F)
    EXPECT_EQ(use(t.get(), 0x10, 0), 3);
    fill(t.get(), 0x12, 0, 9, 0);
    EXPECT_EQ(find_ppn(t.get(), 4, 6), -1);
    EXPECT_EQ(find_ppn(t.get(), 4, 9), 1);
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
    fill(t.get(), 3, 0, 3, 0);        // victim w1
    EXPECT_EQ(find_ppn(t.get(), 2, 3), 1);
    fill(t.get(), 4, 0, 4, 0); // b0=0 after touching w1 -> victim w0
    EXPECT_EQ(find_ppn(t.get(), 2, 4), 0);
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
    fill(t.get(), 0xE, 0, 5, 0);         // victim ptr 0 (A), ptr -> 1
    EXPECT_EQ(find_ppn(t.get(), 4, 5), 0);
    EXPECT_EQ(find_ppn(t.get(), 4, 1), -1);
    fill(t.get(), 0xF, 0, 6, 0); // victim 1 (B), ptr -> 2
    EXPECT_EQ(find_ppn(t.get(), 4, 6), 1);
    // Invalidate C (way 2): the next fill takes the invalid way and leaves ptr at 2.
    EXPECT_EQ(tlb_flush(t.get(), 1, 0xC, 0, 0), 1u);
    fill(t.get(), 0x10, 0, 7, 0); // G -> invalid w2, ptr stays 2
    EXPECT_EQ(find_ppn(t.get(), 4, 7), 2);
    fill(t.get(), 0x11, 0, 8, 0); // H: victim ptr 2 = G, ptr -> 3
    EXPECT_EQ(find_ppn(t.get(), 4, 8), 2);
    EXPECT_EQ(find_ppn(t.get(), 4, 7), -1);
    fill(t.get(), 0x12, 0, 9, 0); // I: victim 3 (D), ptr -> 0
    EXPECT_EQ(find_ppn(t.get(), 4, 9), 3);
    fill(t.get(), 0x13, 0, 10, 0); // J: victim 0 (E), ptr -> 1
    EXPECT_EQ(find_ppn(t.get(), 4, 10), 0);
    EXPECT_EQ(find_ppn(t.get(), 4, 5), -1);
    // Replace in place does not move the pointer: refill F (way 1) with a new ppn.
    fill(t.get(), 0xF, 0, 11, 0);
    EXPECT_EQ(find_ppn(t.get(), 4, 11), 1);
    EXPECT_EQ(tlb_count_valid(t.get()), 4u);
    fill(t.get(), 0x14, 0, 12, 0); // K: victim still ptr 1 (F's slot)
    EXPECT_EQ(find_ppn(t.get(), 4, 12), 1);
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
    fill(t.get(), 6, 0, 6, 0); // victim ptr 1
    EXPECT_EQ(find_ppn(t.get(), 2, 6), 1);
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
    fill(t.get(), 0xD, 0, 4, 0);         // step 1 -> victim 2 (C)
    EXPECT_EQ(find_ppn(t.get(), 3, 4), 2);
    EXPECT_EQ(find_ppn(t.get(), 3, 3), -1);
    fill(t.get(), 0xD, 0, 5, 0); // in place, no step
    EXPECT_EQ(find_ppn(t.get(), 3, 5), 2);
    EXPECT_EQ(tlb_flush(t.get(), 1, 0xA, 0, 0), 1u); // way 0 invalid
    fill(t.get(), 0xE, 0, 6, 0);                      // invalid way 0, no step
    EXPECT_EQ(find_ppn(t.get(), 3, 6), 0);
    fill(t.get(), 0xF, 0, 7, 0); // step 2 -> victim 1 (B)
    EXPECT_EQ(find_ppn(t.get(), 3, 7), 1);
    fill(t.get(), 0x10, 0, 8, 0); // step 3 -> victim 2 (D)
    EXPECT_EQ(find_ppn(t.get(), 3, 8), 2);
    fill(t.get(), 0x11, 0, 9, 0); // step 4 -> victim 1 (F)
    EXPECT_EQ(find_ppn(t.get(), 3, 9), 1);
    fill(t.get(), 0x12, 0, 10, 0); // step 5 -> victim 2
    EXPECT_EQ(find_ppn(t.get(), 3, 10), 2);
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
    fill(t.get(), 6, 0, 106, 0); // set 0, step 1: victim 2 -> idx 2 (vpn 4)
    EXPECT_EQ(find_ppn(t.get(), 6, 106), 2);
    fill(t.get(), 7, 0, 107, 0); // set 1, step 2: victim 1 -> idx 4 (vpn 3)
    EXPECT_EQ(find_ppn(t.get(), 6, 107), 4);
    fill(t.get(), 8, 0, 108, 0); // set 0, step 3: victim 2 -> idx 2 (vpn 6)
    EXPECT_EQ(find_ppn(t.get(), 6, 108), 2);
    fill(t.get(), 9, 0, 109, 0); // set 1, step 4: victim 1 -> idx 4 (vpn 7)
    EXPECT_EQ(find_ppn(t.get(), 6, 109), 4);
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
    fill(t.get(), 5, 0, 105, 0);
    EXPECT_EQ(find_ppn(t.get(), 5, 105), 3);
    fill(t.get(), 6, 0, 106, 0);
    EXPECT_EQ(find_ppn(t.get(), 5, 106), 2);
    fill(t.get(), 7, 0, 107, 0);
    EXPECT_EQ(find_ppn(t.get(), 5, 107), 1);
    fill(t.get(), 8, 0, 108, 0);
    EXPECT_EQ(find_ppn(t.get(), 5, 108), 3);
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
    EXPECT_EQ(tlb_lookup(t.get(), 0x100, 1), 0);
    EXPECT_EQ(tlb_lookup(t.get(), 0x100, 2), 1);
    EXPECT_EQ(tlb_lookup(t.get(), 0x100, 3), -1);
    EXPECT_EQ(tlb_lookup(t.get(), 0x100, 0), -1);
    for (uint16_t a : {(uint16_t)0, (uint16_t)1, (uint16_t)3, (uint16_t)0x1234, (uint16_t)0xffff})
        EXPECT_EQ(tlb_lookup(t.get(), 0x200, a), 2) << a;
    EXPECT_EQ(tlb_lookup(t.get(), 0x201, 3), -1);
}

// ---------------------------------------------------------------- sfence

struct FenceSetup {
    TlbPtr t;
    // ppns: a=1 b=2 c=3 d=4 e=5 f=6 g=7
    explicit FenceSetup(repl_policy_t pol = REPL_LRU) : t(make_tlb(16, 0, pol))
    {
        fill(t.get(), 0x100, 0, 1, 1);        // a: 4K 0x100 ASID 1
        fill(t.get(), 0x100, 0, 2, 2);        // b: 4K 0x100 ASID 2
        fill(t.get(), 0x101, 0, 3, 1, true);  // c: 4K 0x101 global
        fill(t.get(), 0x000, 1, 4, 1, true);  // d: 2M tag 0 (VPN 0..0x1ff) global
        fill(t.get(), 0x200, 1, 5, 2, true);  // e: 2M tag 1 (VPN 0x200..0x3ff) global
        fill(t.get(), 0x000, 2, 6, 2);        // f: 1G tag 0 (VPN 0..0x3ffff) ASID 2
        fill(t.get(), 0x300, 0, 7, 1);        // g: 4K 0x300 ASID 1
        EXPECT_EQ(tlb_count_valid(t.get()), 7u);
    }
    // Which of a..g (ppn 1..7) remain, as a string like "a.cdefg".
    std::string left() const
    {
        std::string s;
        for (int p = 1; p <= 7; p++)
            s += find_ppn(t.get(), 16, (uint64_t)p) >= 0 ? (char)('a' + p - 1) : '.';
        return s;
    }
};

TEST(TlbSfence, All)
{
    FenceSetup s;
    EXPECT_EQ(tlb_flush(s.t.get(), 0, 0x100, 0, 1), 7u); // vpn and asid ignored
    EXPECT_EQ(s.left(), ".......");
    EXPECT_EQ(tlb_count_valid(s.t.get()), 0u);
    EXPECT_EQ(tlb_lookup(s.t.get(), 0x101, 1), -1);
}

TEST(TlbSfence, ByVa)
{
    {
        // VPN 0x100: a, b (4K 0x100), d (2M tag 0, global), f (1G tag 0).
        FenceSetup s;
        EXPECT_EQ(tlb_flush(s.t.get(), 1, 0x100, 0, 0), 4u);
        EXPECT_EQ(s.left(), "..c.e.g");
        EXPECT_EQ(tlb_count_valid(s.t.get()), 3u);
    }
    {
        // Inside a superpage: VPN 0x3ff is in e (2M tag 1) and f (1G tag 0) only.
        FenceSetup s;
        EXPECT_EQ(tlb_flush(s.t.get(), 1, 0x3ff, 0, 0), 2u);
        EXPECT_EQ(s.left(), "abcd..g");
    }
    {
        // VPN 0x300 (inside e and f, and exactly g).
        FenceSetup s;
        EXPECT_EQ(tlb_flush(s.t.get(), 1, 0x300, 0, 7), 3u);
        EXPECT_EQ(s.left(), "abcd...");
    }
    {
        // VPN 0x40000: in none of them (f covers 0..0x3ffff).
        FenceSetup s;
        EXPECT_EQ(tlb_flush(s.t.get(), 1, 0x40000, 0, 0), 0u);
        EXPECT_EQ(s.left(), "abcdefg");
    }
    {
        // VPN 0x1ff: d (2M tag 0) and f.
        FenceSetup s;
        EXPECT_EQ(tlb_flush(s.t.get(), 1, 0x1ff, 0, 0), 2u);
        EXPECT_EQ(s.left(), "abc.e.g");
    }
}

TEST(TlbSfence, ByAsid)
{
    {
        // ASID 1, non-global: a, g (c and d are global).
        FenceSetup s;
        EXPECT_EQ(tlb_flush(s.t.get(), 0, 0, 1, 1), 2u);
        EXPECT_EQ(s.left(), ".bcdef.");
    }
    {
        // ASID 2, non-global: b, f (e is global).
        FenceSetup s;
        EXPECT_EQ(tlb_flush(s.t.get(), 0, 0, 1, 2), 2u);
        EXPECT_EQ(s.left(), "a.cde.g");
    }
    {
        FenceSetup s;
        EXPECT_EQ(tlb_flush(s.t.get(), 0, 0, 1, 3), 0u);
        EXPECT_EQ(s.left(), "abcdefg");
    }
}

TEST(TlbSfence, ByVaAndAsid)
{
    {
        // 0x100 ASID 1: a only (b is ASID 2, d global, f ASID 2).
        FenceSetup s;
        EXPECT_EQ(tlb_flush(s.t.get(), 1, 0x100, 1, 1), 1u);
        EXPECT_EQ(s.left(), ".bcdefg");
    }
    {
        // 0x150 ASID 2: f only (1G covers it; d global; b is 0x100).
        FenceSetup s;
        EXPECT_EQ(tlb_flush(s.t.get(), 1, 0x150, 1, 2), 1u);
        EXPECT_EQ(s.left(), "abcde.g");
    }
    {
        // 0x300 ASID 1: g (e global, f ASID 2).
        FenceSetup s;
        EXPECT_EQ(tlb_flush(s.t.get(), 1, 0x300, 1, 1), 1u);
        EXPECT_EQ(s.left(), "abcdef.");
    }
    {
        // 0x300 ASID 2: f (inside the 1G page); e global stays, g is ASID 1.
        FenceSetup s;
        EXPECT_EQ(tlb_flush(s.t.get(), 1, 0x300, 1, 2), 1u);
        EXPECT_EQ(s.left(), "abcde.g");
    }
    {
        // 0x101 ASID 1: c is global -> stays; d global; nothing else covers 0x101 with ASID 1.
        FenceSetup s;
        EXPECT_EQ(tlb_flush(s.t.get(), 1, 0x101, 1, 1), 0u);
        EXPECT_EQ(s.left(), "abcdefg");
    }
}

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

// In a full set, replace in place neither evicts another entry nor consumes
// the policy's victim.
TEST(TlbFill, ReplaceInPlaceInFullSet)
{
    for (repl_policy_t pol : {REPL_LRU, REPL_PLRU, REPL_FIFO, REPL_RANDOM}) {
        TlbPtr t = make_tlb(4, 0, pol, 1);
        for (uint64_t v = 0; v < 4; v++)
            fill(t.get(), v, 0, 10 + v, 0);
        for (uint64_t v = 0; v < 4; v++) {
            fill(t.get(), v, 0, 20 + v, 0);
            EXPECT_EQ(tlb_count_valid(t.get()), 4u) << policy_name(pol);
            EXPECT_EQ(find_ppn(t.get(), 4, 20 + v), (int)v) << policy_name(pol);
        }
    }
    // FIFO: pointer still 0 after the in-place refills.
    TlbPtr f = make_tlb(4, 0, REPL_FIFO);
    for (uint64_t v = 0; v < 4; v++)
        fill(f.get(), v, 0, 10 + v, 0);
    fill(f.get(), 2, 0, 30, 0);
    fill(f.get(), 9, 0, 31, 0);
    EXPECT_EQ(find_ppn(f.get(), 4, 31), 0);
    // LRU: an in-place fill touches: fill 0..3 (w0 oldest), refill 0 -> w1 oldest.
    TlbPtr l = make_tlb(4, 0, REPL_LRU);
    for (uint64_t v = 0; v < 4; v++)
        fill(l.get(), v, 0, 10 + v, 0);
    fill(l.get(), 0, 0, 40, 0);
    fill(l.get(), 9, 0, 41, 0);
    EXPECT_EQ(find_ppn(l.get(), 4, 41), 1);
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
    fill(t.get(), 0x20, 0, 0x20, 0);
    EXPECT_EQ(find_ppn(t.get(), 8, 0x20), 2);
    fill(t.get(), 0x21, 0, 0x21, 0);
    EXPECT_EQ(find_ppn(t.get(), 8, 0x21), 5);
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
