// test_mmu_agree.cc - agreement of the MMU's two paths with each other and
// with the reference MMU of testbench/ref (written from docs/timing.md,
// docs/tlb.md, docs/dram.md and the specification, not from model/): random
// page tables and streams under fixed and random configurations, memory
// back-pressure, and fences or CSR changes while requests are in flight.
//
// The random tests print their seed; MMUSIM_SEED=<n> reruns with another.

#include <gtest/gtest.h>

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "mmu_fixture.h"
#include "mmu_world.h"
#include "ref_mmu.h"
#include "seed.h"

namespace mmutest {
namespace {

constexpr uint64_t kSeed = 20240611; // MMUSIM_SEED's default for this suite

// Field-by-field difference of two statistics blocks (empty when equal).
std::string stats_diff(const mmu_stats_t &a, const mmu_stats_t &b, bool timing)
{
    std::ostringstream o;
    auto f = [&](const char *n, uint64_t x, uint64_t y) {
        if (x != y)
            o << n << ": " << x << " vs " << y << "\n";
    };
    f("requests", a.requests, b.requests);
    f("replays", a.replays, b.replays);
    for (int t = 0; t < TLB_COUNT; t++)
        for (int k = 0; k < ACC_COUNT; k++) {
            std::string s = "[" + std::to_string(t) + "][" + std::to_string(k) + "]";
            f(("tlb.lookups" + s).c_str(), a.tlb[t].lookups[k], b.tlb[t].lookups[k]);
            f(("tlb.hits" + s).c_str(), a.tlb[t].hits[k], b.tlb[t].hits[k]);
            f(("tlb.misses" + s).c_str(), a.tlb[t].misses[k], b.tlb[t].misses[k]);
            f(("tlb_replay.lookups" + s).c_str(), a.tlb_replay[t].lookups[k], b.tlb_replay[t].lookups[k]);
            f(("tlb_replay.hits" + s).c_str(), a.tlb_replay[t].hits[k], b.tlb_replay[t].hits[k]);
            f(("tlb_replay.misses" + s).c_str(), a.tlb_replay[t].misses[k], b.tlb_replay[t].misses[k]);
        }
    f("walks", a.walks, b.walks);
    f("pwc_lookups", a.pwc_lookups, b.pwc_lookups);
    f("pwc_misses", a.pwc_misses, b.pwc_misses);
    for (int l = 0; l < MAX_LEVELS; l++)
        f(("pwc_hits[" + std::to_string(l) + "]").c_str(), a.pwc_hits[l], b.pwc_hits[l]);
    f("mem_reads", a.mem_reads, b.mem_reads);
    f("mem_writes", a.mem_writes, b.mem_writes);
    f("ad_updates", a.ad_updates, b.ad_updates);
    for (int l = 0; l < MAX_LEVELS; l++)
        f(("walks_leaf[" + std::to_string(l) + "]").c_str(), a.walks_leaf[l], b.walks_leaf[l]);
    for (int k = 0; k < FAULT_COUNT; k++)
        f(("faults[" + std::to_string(k) + "]").c_str(), a.faults[k], b.faults[k]);
    f("sfences", a.sfences, b.sfences);
    if (timing) {
        f("cycles", a.cycles, b.cycles);
        f("walk_cycles", a.walk_cycles, b.walk_cycles);
        f("walk_lookup_cycles", a.walk_lookup_cycles, b.walk_lookup_cycles);
        f("cycles_l1", a.cycles_l1, b.cycles_l1);
        f("cycles_l2", a.cycles_l2, b.cycles_l2);
        f("cycles_pwc", a.cycles_pwc, b.cycles_pwc);
        f("cycles_walk", a.cycles_walk, b.cycles_walk);
        f("cycles_wait", a.cycles_wait, b.cycles_wait);
        for (int k = 0; k < WALK_HIST_BUCKETS; k++)
            f(("walk_latency[" + std::to_string(k) + "]").c_str(), a.walk_latency[k], b.walk_latency[k]);
    }
    return o.str();
}

// ========================================================= agreement runs

struct NamedConfig {
    const char *name;
    sim_config_t cfg;
};

// A row of the fixed configurations; what it does not name is contract_config()'s.
struct ConfigRow {
    const char *name;
    vm_mode_t mode;
    assoc_cfg_t l1; // {entries, ways (0: fully associative), policy, latency, seed}
    int l1_split;
    assoc_cfg_t l2, pwc;
    ad_policy_t ad;
    dram_cfg_t dram; // {base, size, timing, latency, banks, row_bytes, tCL, tRCD, tRP, tRAS}
};

// Every structure, policy, A/D policy and DRAM timing, each in some row.
std::vector<NamedConfig> agreement_configs()
{
    const assoc_cfg_t no_l2 = {0, 4, REPL_LRU, 4, 1}, no_pwc = {0, 0, REPL_LRU, 1, 1};
    auto fixed = [](unsigned latency) {
        return dram_cfg_t{kBase, kSize, DRAM_FIXED, latency, 8, 8192, 14, 14, 14, 33};
    };
    const dram_cfg_t ddr = {kBase, kSize, DRAM_DDR, 20, 8, 8192, 14, 14, 14, 33};
    const ConfigRow rows[] = {
        {"default", VM_SV39, {32, 0, REPL_LRU, 1, 1}, 0, no_l2, no_pwc, AD_SVADE, fixed(20)},
        {"split-l2-pwc-svadu", VM_SV39, {16, 4, REPL_PLRU, 1, 1}, 1, {64, 4, REPL_LRU, 3, 1},
         {8, 0, REPL_FIFO, 2, 1}, AD_SVADU, fixed(7)},
        {"sv48-random-ddr", VM_SV48, {8, 2, REPL_RANDOM, 2, 0xACE1}, 0, {128, 8, REPL_PLRU, 5, 1},
         {16, 4, REPL_RANDOM, 1, 7}, AD_SVADE, ddr},
        {"tiny-fifo-ddr-svadu", VM_SV39, {4, 0, REPL_FIFO, 1, 1}, 1, no_l2, {4, 0, REPL_LRU, 1, 1}, AD_SVADU,
         {kBase, kSize, DRAM_DDR, 20, 4, 1024, 5, 7, 6, 20}},
        {"sv48-direct-mapped-l2", VM_SV48, {16, 0, REPL_RANDOM, 1, 3}, 0, {32, 1, REPL_FIFO, 2, 1}, no_pwc,
         AD_SVADU, fixed(1)},
        {"server", VM_SV48, {64, 4, REPL_PLRU, 1, 1}, 1, {1536, 12, REPL_LRU, 9, 1}, {32, 4, REPL_PLRU, 2, 1},
         AD_SVADU, {kBase, 16 * GiB, DRAM_DDR, 20, 16, 8192, 22, 22, 22, 52}},
        {"thrash", VM_SV39, {2, 2, REPL_LRU, 3, 1}, 0, {8, 2, REPL_RANDOM, 1, 0xBEEF}, {2, 2, REPL_PLRU, 4, 1},
         AD_SVADE, fixed(3)},
        {"split-plru-pwc-fifo", VM_SV39, {32, 8, REPL_PLRU, 1, 1}, 1, no_l2, {16, 2, REPL_FIFO, 1, 1}, AD_SVADU,
         fixed(20)},
    };
    std::vector<NamedConfig> v;
    for (const ConfigRow &r : rows) {
        sim_config_t c = contract_config();
        c.mode = r.mode;
        c.l1 = r.l1;
        c.l1_split = r.l1_split;
        c.l2 = r.l2;
        c.pwc = r.pwc;
        c.ad = r.ad;
        c.dram = r.dram;
        v.push_back({r.name, c});
    }
    return v;
}

// The valid entries of every TLB and of the walk cache, model against reference.
void expect_same_occupancy(Sim &s, const RefMmu &ref)
{
    for (int t : {TLB_L1, TLB_L1D, TLB_L2})
        EXPECT_EQ(s.valid(t), ref.count_valid(t)) << "TLB " << t;
    EXPECT_EQ(s.pwc_valid(), ref.pwc_count_valid());
}

// Same fault, address, cycle and latency.
bool same_resp(const mmu_resp_t &a, const mmu_resp_t &b)
{
    return a.fault == b.fault && a.pa == b.pa && a.cycle == b.cycle && a.latency == b.latency;
}

// One response, for failure messages.
std::string resp_str(const mmu_resp_t &r)
{
    char b[128];
    std::snprintf(b, sizeof b, "{%s pa=%#" PRIx64 " cycle=%" PRIu64 " lat=%" PRIu64 "}", fault_name(r.fault), r.pa,
                  r.cycle, r.latency);
    return b;
}

// Runs n operations on the functional path, the cycle-level path (ready_pct),
// the reference and a TLB-less walk; compares as the test requires.
void agreement_run(const NamedConfig &nc, uint64_t seed, int n, unsigned ready_pct)
{
    SCOPED_TRACE(testing::Message() << "config " << nc.name << " seed " << seed << " ready_pct " << ready_pct);
    const sim_config_t &c = nc.cfg;
    std::mt19937_64 rng(seed);
    World w = build_world(rng, vm_levels(c.mode), c.dram.base, c.dram.size);

    Sim fs(c), cs(c), rs(c); // rs: a trace's path, mmu_translate_refs where it applies
    load_world(fs.dram, w);
    load_world(cs.dram, w);
    load_world(rs.dram, w);
    Port port(cs.dram, c.dram, ready_pct, (uint32_t)(seed | 1));
    RefMmu ref(c, w.mem);
    RefMem pure = w.mem; // for the walk without any caching
    Stream stream(rng, w, c);
    const bool exact = ready_pct >= 100;

    int failures = 0;
    uint64_t walks = 0, faults = 0, fences = 0, ref_path_hits = 0;
    for (int i = 0; i < n && failures < 5; i++) {
        Op op = stream.next();
        mmu_set_csr(fs.m, &op.csr);
        mmu_set_csr(cs.m, &op.csr);
        mmu_set_csr(rs.m, &op.csr);
        ref.set_csr(op.csr);
        if (op.fence) {
            mmu_sfence(fs.m, &op.f);
            mmu_sfence(rs.m, &op.f);
            memport_sfence(&port.p, cs.m, &op.f);
            ref.sfence(op.f);
            fences++;
            continue;
        }
        mmu_resp_t fr, cr;
        std::memset(&fr, 0, sizeof fr);
        std::memset(&cr, 0, sizeof cr);
        uint64_t fw = fs.st().walks;
        mmu_translate(fs.m, &op.q, &fr);
        memport_translate(&port.p, cs.m, &op.q, &cr);
        {
            // a one-byte access of pid 7 that does not cross its page
            mmu_ref_t tr = { op.q.va, 1, 7, (uint8_t)op.q.acc, 0 };
            mmu_resp_t xr;
            bool eligible = op.q.priv == PRIV_U && !op.q.replay;
            if (eligible && mmu_translate_refs(rs.m, &tr, 1, 7, op.q.asid) == 1)
                ref_path_hits++;
            else
                mmu_translate(rs.m, &op.q, &xr);
        }
        mmu_resp_t rr = ref.translate(op.q);
        walks += fs.st().walks - fw;
        faults += fr.fault != FAULT_NONE;
        stream.result(fr.fault);

        // The result without any TLB: a fresh walk on its own memory image.
        fault_t pf;
        uint64_t ppa = 0;
        int levels = vm_levels(op.csr.mode);
        if (levels == 0) {
            ppa = op.q.va;
            pf = op.q.va >= c.dram.base && op.q.va - c.dram.base < c.dram.size ? FAULT_NONE
                                                                               : ref_access_fault(op.q.acc);
        } else if (!ref_canonical(op.q.va, levels)) {
            pf = ref_page_fault(op.q.acc);
        } else {
            RefWalk pw = ref_walk(pure, op.q.va, op.q.acc, op.q.priv, op.csr.sum, op.csr.mxr, c.ad,
                                  c.dram.base, c.dram.size, levels - 1, op.csr.root_ppn << 12, false,
                                  [](uint64_t, bool) {});
            pf = pw.fault;
            ppa = pw.pa;
        }

        bool bad = false;
        std::ostringstream msg;
        if (exact ? !same_resp(fr, cr) : (fr.fault != cr.fault || fr.pa != cr.pa || cr.cycle < fr.cycle)) {
            bad = true;
            msg << " functional " << resp_str(fr) << " cycle-level " << resp_str(cr);
        }
        if (!same_resp(fr, rr) || (fr.fault == FAULT_NONE) != (rr.fault == FAULT_NONE)) {
            bad = true;
            msg << " functional " << resp_str(fr) << " reference " << resp_str(rr);
        }
        if (fr.fault != pf || (pf == FAULT_NONE && fr.pa != ppa)) {
            bad = true;
            msg << " functional " << resp_str(fr) << " uncached walk " << fault_name(pf) << " pa " << std::hex
                << ppa;
        }
        if (bad) {
            failures++;
            ADD_FAILURE() << "op " << i << ": " << describe(op) << msg.str();
        }
    }
    uint64_t l1h = 0, l2h = 0, pwch = 0;
    for (int a = 0; a < ACC_COUNT; a++) {
        l1h += fs.st().tlb[TLB_L1].hits[a] + fs.st().tlb[TLB_L1D].hits[a] + fs.st().tlb_replay[TLB_L1].hits[a] +
               fs.st().tlb_replay[TLB_L1D].hits[a];
        l2h += fs.st().tlb[TLB_L2].hits[a] + fs.st().tlb_replay[TLB_L2].hits[a];
    }
    for (int l = 0; l < MAX_LEVELS; l++)
        pwch += fs.st().pwc_hits[l];
    std::printf("  %-22s ready %3u%%: %d ops, %" PRIu64 " walks, %" PRIu64 " faults, %" PRIu64
                " fences, L1 hits %" PRIu64 ", L2 hits %" PRIu64 ", PWC hits %" PRIu64 ", A/D writes %" PRIu64
                ", %" PRIu64 " cycles\n",
                nc.name, ready_pct, n, walks, faults, fences, l1h, l2h, pwch, fs.st().ad_updates,
                fs.st().cycles);

    // Statistics: the two paths exactly equal; the reference too (with
    // back-pressure only the counters that do not depend on time).
    if (exact) {
        EXPECT_EQ(std::memcmp(&fs.st(), &cs.st(), sizeof(mmu_stats_t)), 0)
            << stats_diff(fs.st(), cs.st(), true);
    } else {
        EXPECT_EQ(stats_diff(fs.st(), cs.st(), false), "");
    }
    EXPECT_EQ(stats_diff(fs.st(), ref.stats(), true), "");
    EXPECT_EQ(mmu_now(fs.m), ref.now());
    // The trace path changes nothing but how a hit is found.
    EXPECT_EQ(std::memcmp(&fs.st(), &rs.st(), sizeof(mmu_stats_t)), 0) << stats_diff(fs.st(), rs.st(), true);
    EXPECT_EQ(mmu_now(fs.m), mmu_now(rs.m));
    EXPECT_GT(ref_path_hits, 0u) << "no reference took mmu_translate_refs";
    if (exact) {
        EXPECT_EQ(mmu_now(fs.m), mmu_now(cs.m));
    }
    expect_same_occupancy(fs, ref);

    // Every word of every table page: A/D writes identical everywhere.
    int diffs = 0;
    for (uint64_t t : w.tables) {
        for (uint64_t a = t; a < t + PAGE_SIZE && diffs < 5; a += 8) {
            uint64_t fv = 0, cv = 0;
            ASSERT_EQ(dram_read64(fs.dram, a, &fv), 0);
            ASSERT_EQ(dram_read64(cs.dram, a, &cv), 0);
            uint64_t rv = ref.mem().count(a) ? ref.mem()[a] : 0;
            uint64_t pv = pure.count(a) ? pure[a] : 0;
            if (fv != cv || fv != rv || fv != pv) {
                diffs++;
                ADD_FAILURE() << std::hex << "PTE at " << a << ": functional " << fv << " cycle-level " << cv
                              << " reference " << rv << " uncached " << pv;
            }
        }
    }
}

TEST(MmuAgreement, RandomStreamsAllConfigs)
{
    const uint64_t seed = test_seed(kSeed);
    std::vector<NamedConfig> cfgs = agreement_configs();
    // 8 configurations x 3 page-table worlds x 25000 operations = 600k.
    for (size_t i = 0; i < cfgs.size(); i++)
        for (uint64_t world = 0; world < 3; world++)
            agreement_run(cfgs[i], seed * 1000003 + i * 16 + world, 25000, 100);
}

TEST(MmuAgreement, RandomStreamsRandomConfigs)
{
    const uint64_t seed = test_seed(kSeed);
    std::mt19937_64 rng(seed ^ 0xc0f1c0f1ull);
    // 12 random configurations x 10000 operations.
    for (int i = 0; i < 12; i++) {
        NamedConfig nc = {"random-config", random_config(rng)};
        char name[32];
        std::snprintf(name, sizeof name, "random-config-%d", i);
        nc.name = name;
        agreement_run(nc, seed * 31337 + (uint64_t)i, 10000, 100);
    }
}

TEST(MmuAgreement, BackPressure)
{
    const uint64_t seed = test_seed(kSeed);
    std::vector<NamedConfig> cfgs = agreement_configs();
    // DDR with a walk cache and svadu, and the fixed-latency split one.
    for (uint64_t world = 0; world < 2; world++) {
        agreement_run(cfgs[3], seed * 7919 + 1 + world * 16, 8000, 60);
        agreement_run(cfgs[1], seed * 7919 + 2 + world * 16, 8000, 60);
    }
}

// Fences and CSR changes while a request is in flight, on the cycle-level
// path, against the reference: normal result and timing, nothing installed.
TEST(MmuAgreement, InFlightEventsAgainstReference)
{
    const uint64_t seed = test_seed(kSeed);
    std::vector<NamedConfig> cfgs = agreement_configs();
    for (size_t ci = 0; ci < cfgs.size(); ci++) {
        const NamedConfig &nc = cfgs[ci];
        const sim_config_t &c = nc.cfg;
        SCOPED_TRACE(nc.name);
        std::mt19937_64 rng(seed * 131 + ci);
        World w = build_world(rng, vm_levels(c.mode), c.dram.base, c.dram.size);
        Sim cs(c);
        load_world(cs.dram, w);
        Port port(cs.dram, c.dram);
        RefMmu ref(c, w.mem);
        Stream stream(rng, w, c);
        int failures = 0, events[3] = {0, 0, 0};
        for (int i = 0; i < 15000 && failures < 5; i++) {
            Op op = stream.next();
            mmu_set_csr(cs.m, &op.csr);
            ref.set_csr(op.csr);
            if (op.fence) {
                memport_sfence(&port.p, cs.m, &op.f);
                ref.sfence(op.f);
                continue;
            }
            // Maybe an event k cycles after the accept: 0 fence, 1 SUM/MXR/root
            // change, 2 the same CSR values written again (not a change).
            int ev = rng() % 100 < 25 ? (int)(rng() % 3) : -1;
            uint64_t k = 1 + rng() % (rng() % 2 ? 8 : 70);
            mmu_sfence_t f = make_fence((int)(rng() % 2), w.canonical[rng() % w.canonical.size()],
                                        (int)(rng() % 2), (uint16_t)(rng() % 2 ? 5 : 0));
            mmu_csr_t changed = op.csr;
            switch (rng() % 3) {
            case 0: changed.sum = !changed.sum; break;
            case 1: changed.mxr = !changed.mxr; break;
            default: changed.root_ppn ^= 1; break;
            }
            bool happened = false, accepted = false;
            uint64_t a = 0;
            mmu_resp_t cr;
            std::memset(&cr, 0, sizeof cr);
            for (int guard = 0; guard < 100000; guard++) {
                uint64_t now = mmu_now(cs.m);
                mmu_in_t in{};
                in.req_valid = !accepted;
                in.req = op.q;
                if (accepted && ev >= 0 && now == a + k && !mmu_idle(cs.m)) {
                    happened = true;
                    if (ev == 0) {
                        in.sfence = f;
                    } else if (ev == 1) {
                        mmu_set_csr(cs.m, &changed);
                    } else {
                        mmu_csr_t same = op.csr;
                        mmu_set_csr(cs.m, &same);
                    }
                }
                mmu_out_t out = run_cycle(cs.m, &port.p, in);
                if (!accepted && out.req_ready) {
                    accepted = true;
                    a = now;
                }
                if (out.resp_valid) {
                    cr = out.resp;
                    break;
                }
            }
            mmu_resp_t rr = ref.translate(op.q, happened && ev != 2);
            if (happened && ev == 0)
                ref.sfence_in_flight(f);
            if (happened)
                events[ev]++;
            if (!same_resp(cr, rr)) {
                failures++;
                ADD_FAILURE() << "op " << i << ": " << describe(op) << " event " << (happened ? ev : -1)
                              << " at accept+" << k << ": cycle-level " << resp_str(cr) << " reference "
                              << resp_str(rr);
            }
        }
        EXPECT_EQ(stats_diff(cs.st(), ref.stats(), true), "");
        expect_same_occupancy(cs, ref);
        EXPECT_GT(events[0], 100);
        EXPECT_GT(events[1], 100);
        EXPECT_GT(events[2], 100);
        std::printf("  %-22s in-flight fences %d, CSR changes %d, CSR rewrites %d\n", nc.name, events[0],
                    events[1], events[2]);
    }
}

} // namespace
} // namespace mmutest
