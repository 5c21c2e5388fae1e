// test_os_stress.cc - randomized stress of the operating-system side
// (csrc/os.h) against a shadow model of every process's memory.
//
// A run boots one machine (DRAM, golden MMU, OS) under heavy memory pressure
// (16..64 user frames for a few hundred pages in use) and applies a random
// mix of spawn, fork, exit, switch, mmap (anonymous or file, private or
// shared, various protections, fixed or kernel-chosen), munmap and mprotect
// (whole, partial, middle, across areas), msync, loads / stores / fetches of
// 1, 2, 4, 8 bytes and longer, some crossing pages, file reads, and a few
// accesses that must kill the process.
//
// The shadow, written here from the semantics alone, knows every byte: per
// process a list of areas, each either private (pages the process wrote,
// copied at fork; unwritten pages read zero, or the file for a private file
// mapping) or a reference to a shared object (a shared anonymous object or a
// file, whose bytes are the page cache as read() sees it).  It predicts the
// outcome of every access (fine, SIGSEGV maperr / accerr, SIGBUS adrerr) and
// of every call, and checks:
//  - every load returns exactly the shadow's bytes, every kill is the one
//    predicted (process, reason, address), and a killed process is gone;
//  - each process keeps a page with a marker unique to it (pid and
//    incarnation) that is re-read now and then: no process sees another's
//    private data;
//  - os_check() after every operation;
//  - at the end, after every process exited, no frame, table page or swap
//    slot is in use and every file reads back as the shadow's copy;
//  - coverage: a run of kMechanismOps operations or more (the sanitized
//    build's runs too) reached swap, COW, OOM and the other mechanisms.
// Runs with a tiny swap accept OOM kills (of any process: the OOM killer
// picks the largest, docs/os.md), but only when the shadow's upper bound of
// pages that may need swap (private pages) exceeds the swap slots; other
// runs keep that bound within the slots, and any OOM kill is a failure.
//
// Each run prints its configuration and seed.  MMUSIM_SEED=<n> makes every
// run use seed n (combine with --gtest_filter to rerun one configuration);
// MMUSIM_OS_OPS=<n> sets the operations per run.

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <ostream>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "os_harness.h"

namespace {

using os_harness::Machine;

constexpr uint64_t PG = PAGE_SIZE;
// Each process's marker page, and where the fixed mappings go: together in
// one 2 MiB range, so in one leaf page table (os_check walks every table).
constexpr uint64_t kMarker = 0x40000000ull;
constexpr uint64_t kRegion = kMarker + PAGE_SIZE;
constexpr uint64_t kRegionPages = 384;
constexpr size_t kMaxLive = 6;
constexpr uint64_t kMaxProcPages = 80;       // pages of random areas per process
constexpr int kRW = OS_PROT_READ | OS_PROT_WRITE;

#if defined(__SANITIZE_ADDRESS__)
constexpr uint64_t kOpsScale = 10; // the sanitized binary runs a tenth, but kMechanismOps at least
#else
constexpr uint64_t kOpsScale = 1;
#endif
// Coverage: a run of kMechanismOps operations reaches every mechanism (swap
// out and in, COW copy and reuse, write-back, dropped and cache-hit pages,
// A/D faults under svade, maperr kills, and OOM kills in the small-swap
// runs): measured with 34 seeds on all 13 configurations, each was reached
// within 5,000 operations (within 2,500, a few runs missed COW reuse or OOM).
// accerr and adrerr kills are rarer (many runs of 5,000 had none): they are
// checked from kSignalOps.
constexpr uint64_t kMechanismOps = 5000;
constexpr uint64_t kSignalOps = 20000;

enum Kind { PRIV_ANON, SHARED_ANON, PRIV_FILE, SHARED_FILE };
const char *kind_name(Kind k)
{
    static const char *const n[] = {"private-anon", "shared-anon", "private-file", "shared-file"};
    return n[k];
}

// A shared anonymous object or a file: its bytes, whole pages.
struct Obj {
    std::string name; // file name; empty for anonymous memory
    std::vector<uint8_t> data;
    uint64_t size;    // bytes of the file (anonymous: data.size())
    bool is_file() const { return !name.empty(); }
};
using ObjPtr = std::shared_ptr<Obj>;

using Page = std::array<uint8_t, PG>;
using PagePtr = std::shared_ptr<Page>;

struct Area {
    uint64_t start, end; // page aligned, [start, end)
    int prot;
    Kind kind;
    ObjPtr obj;          // SHARED_ANON, PRIV_FILE, SHARED_FILE
    uint64_t off;        // object offset of start
    bool is_private() const { return kind == PRIV_ANON || kind == PRIV_FILE; }
};

struct Proc {
    int pid;
    uint32_t tag;                                // marker of this incarnation
    std::map<uint64_t, Area> areas;              // by start
    std::unordered_map<uint64_t, PagePtr> priv;  // written private pages by VPN
    uint64_t hot = 0;                            // start of the area used last
};

uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}
uint8_t marker_byte(uint32_t tag, uint64_t i) { return (uint8_t)mix64(((uint64_t)tag << 16) ^ i ^ 0x5bd1e995); }

struct RunParam {
    const char *policy;
    const char *ad;
    bool oom;           // tiny swap: OOM kills possible
    uint64_t seed;
    uint64_t ops;
};

// How gtest prints a run in its failure summary.
void PrintTo(const RunParam &p, std::ostream *os)
{
    *os << "os.policy=" << p.policy << " ptw.ad=" << p.ad << (p.oom ? " small swap" : "") << " seed " << p.seed
        << ", " << p.ops << " ops";
}

std::string param_name(const ::testing::TestParamInfo<RunParam> &i)
{
    return std::string(i.param.policy) + "_" + i.param.ad + (i.param.oom ? "_oom" : "");
}

class Stress {
public:
    explicit Stress(const RunParam &p) : p_(p), rng_(p.seed) {}

    // The whole run; failures are reported through gtest.
    void run()
    {
        std::mt19937_64 crng(p_.seed * 7919 + 1);
        frames_ = p_.oom ? 16 + crng() % 9 : 16 + crng() % 49;
        slots_ = p_.oom ? 16 + crng() % 17 : 256 + crng() % 257;
        asids_ = crng() % 4 == 0 ? 5 : 64;
        const char *mode = crng() % 4 == 0 ? "sv48" : "sv39";
        budget_ = p_.oom ? slots_ + frames_ + 200 : slots_;
        uint64_t ops = p_.ops;
        if (const char *s = std::getenv("MMUSIM_OS_OPS"))
            ops = std::strtoull(s, nullptr, 0);
        std::printf("[ stress ] MMUSIM_SEED=%" PRIu64 " os.policy=%s ptw.ad=%s mode=%s os.user_frames=%" PRIu64
                    " swap.slots=%" PRIu64 " os.asids=%u ops=%" PRIu64 "\n",
                    p_.seed, p_.policy, p_.ad, mode, frames_, slots_, asids_, ops);
        std::fflush(stdout);
        SCOPED_TRACE("MMUSIM_SEED=" + std::to_string(p_.seed));
        ASSERT_TRUE(m_.boot({{"os.user_frames", std::to_string(frames_)},
                             {"os.policy", p_.policy},
                             {"os.seed", std::to_string(1 + p_.seed % 1000)},
                             {"os.asids", std::to_string(asids_)},
                             {"ptw.ad", p_.ad},
                             {"mode", mode},
                             {"swap.slots", std::to_string(slots_)},
                             {"dram.size", "16M"}}));
        levels_ = vm_levels(m_.cfg.mode);
        m_.next_use = [this](int pid, uint64_t va) {
            return mix64((uint64_t)pid * 0x9e3779b97f4a7c15ULL ^ (va >> 12) ^ (op_ << 20)) >> 8;
        };
        make_files();
        if (failed_)
            return;
        auto t0 = std::chrono::steady_clock::now();
        for (op_ = 0; op_ < ops && !failed_; op_++) {
            one_op();
            if (failed_)
                break;
            std::string e = m_.check();
            if (!e.empty())
                fail("os_check: " + e);
            if (op_ % 256 == 0)
                check_limits();
        }
        if (!failed_)
            finish();
        double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        const os_stats_t *s = os_stats(m_.os);
        std::printf("[ stress ] %" PRIu64 " ops (%" PRIu64 " OS calls) in %.2f s: %" PRIu64 " accesses checked (%" PRIu64
                    " crossing), kills maperr %" PRIu64 " accerr %" PRIu64 " adrerr %" PRIu64 " oom %" PRIu64
                    ", %" PRIu64 " processes\n"
                    "[ stress ] os: faults %" PRIu64 " zero %" PRIu64 " file-in %" PRIu64 " cache-hit %" PRIu64
                    " cow %" PRIu64 "/%" PRIu64 " ad %" PRIu64 " swap-out %" PRIu64 " swap-in %" PRIu64
                    " swap-cache %" PRIu64 " writeback %" PRIu64 " dropped %" PRIu64 " shootdowns %" PRIu64 "\n",
                    op_, stats_.calls, secs, stats_.accesses_ok, stats_.crossing, stats_.kills[OS_KILL_SEGV_MAPERR],
                    stats_.kills[OS_KILL_SEGV_ACCERR], stats_.kills[OS_KILL_BUS_ADRERR], s->oom_kills,
                    incarnations_, s->page_faults, s->zero_fills, s->file_pageins, s->cache_hits, s->cow_copies,
                    s->cow_reuses, s->ad_faults, s->swap_outs, s->swap_ins, s->swap_cache_hits, s->writebacks,
                    s->dropped, s->shootdowns);
        if (failed_ || op_ < kMechanismOps)
            return;
        if (op_ >= kSignalOps) {
            EXPECT_GT(stats_.kills[OS_KILL_SEGV_ACCERR], 0u);
            EXPECT_GT(stats_.kills[OS_KILL_BUS_ADRERR], 0u);
        }
        EXPECT_GT(stats_.kills[OS_KILL_SEGV_MAPERR], 0u);
        EXPECT_GT(stats_.crossing, 0u);
        EXPECT_GT(s->cow_copies, 0u);
        EXPECT_GT(s->cow_reuses, 0u);
        EXPECT_GT(s->swap_outs, 0u);
        EXPECT_GT(s->swap_ins, 0u);
        EXPECT_GT(s->writebacks, 0u);
        EXPECT_GT(s->dropped, 0u);
        EXPECT_GT(s->cache_hits, 0u);
        if (std::string(p_.ad) == "svade") {
            EXPECT_GT(s->ad_faults, 0u);
        }
        if (p_.oom) {
            EXPECT_GT(s->oom_kills, 0u);
        } else {
            EXPECT_EQ(0u, s->oom_kills);
        }
    }

private:
    RunParam p_;
    std::mt19937_64 rng_;
    Machine m_;
    uint64_t frames_ = 0, slots_ = 0, budget_ = 0;
    unsigned asids_ = 64;
    int levels_ = 3;
    uint64_t op_ = 0;
    bool failed_ = false;
    std::map<int, Proc> live_;
    std::vector<int> dead_;
    int next_pid_ = 1;
    uint32_t next_tag_ = 1;
    uint64_t incarnations_ = 0;
    std::vector<ObjPtr> files_;
    std::deque<std::string> log_; // the last operations, printed on failure
    struct {
        uint64_t calls = 0, accesses_ok = 0, crossing = 0, kills[OS_KILL_OOM + 1] = {};
    } stats_;                     // what the run exercised

    // ---- helpers -------------------------------------------------------
    uint64_t rnd(uint64_t n) { return n ? rng_() % n : 0; }            // [0, n)
    uint64_t range(uint64_t lo, uint64_t hi) { return lo + rnd(hi - lo + 1); } // [lo, hi]
    bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

    void note(const std::string &s)
    {
        log_.push_back("op " + std::to_string(op_) + ": " + s);
        if (log_.size() > 24)
            log_.pop_front();
    }
    void fail(const std::string &what)
    {
        if (failed_)
            return;
        failed_ = true;
        std::ostringstream o;
        o << "seed " << p_.seed << " op " << op_ << ": " << what << "\nlast operations:\n";
        for (auto &l : log_)
            o << "  " << l << "\n";
        ADD_FAILURE() << o.str();
    }
    static std::string hex(uint64_t v)
    {
        char b[24];
        std::snprintf(b, sizeof b, "0x%" PRIx64, v);
        return b;
    }

    Proc *random_proc()
    {
        if (live_.empty())
            return nullptr;
        auto it = live_.begin();
        std::advance(it, (long)rnd(live_.size()));
        return &it->second;
    }
    static const Area *find(const Proc &p, uint64_t va)
    {
        auto it = p.areas.upper_bound(va);
        if (it == p.areas.begin())
            return nullptr;
        --it;
        return va < it->second.end ? &it->second : nullptr;
    }

    // ---- the shadow's memory -------------------------------------------
    // The byte of file obj at offset o as a mapping sees it (zero past EOF).
    static uint8_t obj_byte(const Obj &o, uint64_t off) { return off < o.size && off < o.data.size() ? o.data[off] : 0; }

    uint8_t expect_byte(const Proc &p, const Area &a, uint64_t va) const
    {
        uint64_t o = a.off + (va - a.start);
        switch (a.kind) {
        case PRIV_ANON:
        case PRIV_FILE: {
            auto it = p.priv.find(va / PG);
            if (it != p.priv.end())
                return (*it->second)[va % PG];
            return a.kind == PRIV_ANON ? 0 : obj_byte(*a.obj, o);
        }
        case SHARED_ANON:
        case SHARED_FILE:
            return obj_byte(*a.obj, o);
        }
        return 0;
    }

    void write_byte(Proc &p, const Area &a, uint64_t va, uint8_t v)
    {
        if (!a.is_private()) {
            uint64_t o = a.off + (va - a.start);
            if (a.obj->is_file() && o >= a.obj->size) {
                fail("shadow: generated a write to a file tail");
                return;
            }
            a.obj->data[o] = v;
            return;
        }
        PagePtr &pg = p.priv[va / PG];
        if (!pg) {
            pg = std::make_shared<Page>();
            uint64_t base = va & ~(PG - 1);
            for (uint64_t i = 0; i < PG; i++)
                (*pg)[i] = a.kind == PRIV_ANON ? 0 : obj_byte(*a.obj, a.off + (base + i - a.start));
        } else if (pg.use_count() > 1) {
            pg = std::make_shared<Page>(*pg); // the shadow's own copy-on-write
        }
        (*pg)[va % PG] = v;
    }

    // Splits the area containing va (strictly inside) at va.
    static void split_at(Proc &p, uint64_t va)
    {
        auto it = p.areas.upper_bound(va);
        if (it == p.areas.begin())
            return;
        --it;
        Area &a = it->second;
        if (va <= a.start || va >= a.end)
            return;
        Area hi = a;
        hi.start = va;
        hi.off = a.off + (va - a.start);
        a.end = va;
        p.areas.emplace(va, hi);
    }

    static void remove_range(Proc &p, uint64_t lo, uint64_t hi)
    {
        split_at(p, lo);
        split_at(p, hi);
        for (auto it = p.areas.lower_bound(lo); it != p.areas.end() && it->first < hi;)
            it = p.areas.erase(it);
        if ((hi - lo) / PG < p.priv.size()) {
            for (uint64_t v = lo / PG; v < hi / PG; v++)
                p.priv.erase(v);
        } else {
            for (auto it = p.priv.begin(); it != p.priv.end();)
                it = it->first >= lo / PG && it->first < hi / PG ? p.priv.erase(it) : std::next(it);
        }
    }

    static uint64_t area_pages(const Proc &p, bool with_marker)
    {
        uint64_t n = 0;
        for (auto &kv : p.areas)
            if (with_marker || kv.first != kMarker)
                n += (kv.second.end - kv.second.start) / PG;
        return n;
    }

    // An upper bound of the pages that may need a swap slot: every private
    // page once per process.  (Shared anonymous pages are evicted to their
    // object's own store, docs/os.md, and file pages to their file.)
    uint64_t anon_bound() const
    {
        uint64_t n = 0;
        for (auto &pp : live_)
            for (auto &kv : pp.second.areas)
                if (kv.second.is_private())
                    n += (kv.second.end - kv.second.start) / PG;
        return n;
    }

    // The outcome of an access as the semantics define it; *kill_va gets
    // the first byte of the first page that fails.
    os_kill_t predict(const Proc &p, uint64_t va, uint64_t len, acc_t acc, uint64_t *kill_va) const
    {
        int need = acc == ACC_LOAD ? OS_PROT_READ : acc == ACC_STORE ? OS_PROT_WRITE : OS_PROT_EXEC;
        for (uint64_t pg = va & ~(PG - 1); pg < va + len; pg += PG) {
            uint64_t first = std::max(va, pg);
            *kill_va = first;
            const Area *a = find(p, first);
            if (!a)
                return OS_KILL_SEGV_MAPERR;
            if (!(a->prot & need))
                return OS_KILL_SEGV_ACCERR;
            if (a->kind == PRIV_FILE || a->kind == SHARED_FILE) {
                uint64_t o = a->off + (pg - a->start);
                if (o >= a->obj->size)
                    return OS_KILL_BUS_ADRERR;
            }
        }
        return OS_KILL_NONE;
    }

    void drop(int pid)
    {
        live_.erase(pid);
        dead_.push_back(pid);
        if (dead_.size() > 32)
            dead_.erase(dead_.begin());
    }

    // ---- operations ----------------------------------------------------
    void make_files()
    {
        const uint64_t sizes[] = {3 * PG + 100, 8 * PG, 1000, 12 * PG + 7, 5 * PG};
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
            auto f = std::make_shared<Obj>();
            f->name = "file" + std::to_string(i);
            f->size = sizes[i];
            f->data.assign((sizes[i] + PG - 1) / PG * PG, 0);
            for (uint64_t j = 0; j < f->size; j++)
                f->data[j] = (uint8_t)rng_();
            int r = os_file_create(m_.os, f->name.c_str(), f->data.data(), f->size);
            if (r) {
                fail("os_file_create " + f->name + " returned " + std::to_string(r));
                return;
            }
            if (os_file_size(m_.os, f->name.c_str()) != (int64_t)f->size)
                fail("os_file_size of a new file");
            files_.push_back(f);
        }
    }

    int new_pid()
    {
        if (!dead_.empty() && chance(0.1)) {
            size_t i = rnd(dead_.size());
            int pid = dead_[i];
            dead_.erase(dead_.begin() + (long)i);
            return pid;
        }
        if (next_pid_ > 65535)
            next_pid_ = 1;
        while (live_.count(next_pid_) || std::find(dead_.begin(), dead_.end(), next_pid_) != dead_.end())
            next_pid_++;
        return next_pid_++;
    }

    bool asid_free() const { return live_.size() < asids_ - 1; }

    // Performs one access and checks it against the shadow.  data: the
    // bytes for a store (len of them).
    void access(Proc &p, uint64_t va, uint64_t len, acc_t acc, const uint8_t *data)
    {
        int pid = p.pid;
        uint64_t kill_va = 0;
        os_kill_t want = predict(p, va, len, acc, &kill_va);
        note(std::string(acc == ACC_LOAD ? "load" : acc == ACC_STORE ? "store" : "fetch") + " pid " +
             std::to_string(pid) + " va " + hex(va) + " len " + std::to_string(len) + " expect " +
             os_harness::kill_name(want));
        std::vector<uint8_t> buf(len, 0xcd);
        if (acc == ACC_STORE)
            std::memcpy(buf.data(), data, len);
        bool oom_ok = anon_bound() > slots_; // before the access changes anything
        m_.kills.clear();
        stats_.calls++;
        int rc = os_access(m_.os, pid, va, acc, buf.data(), len);
        // Sort the kills: the accessor's own, and OOM kills of others (the
        // OOM killer may choose any process).
        int self_kills = 0;
        os_harness::Kill self{};
        std::vector<int> others;
        for (const os_harness::Kill &k : m_.kills) {
            std::string what = std::string(os_harness::kill_name(k.why)) + " of pid " + std::to_string(k.pid) +
                               " at " + hex(k.va);
            if (k.pid == pid) {
                self_kills++;
                self = k;
                continue;
            }
            if (k.why != OS_KILL_OOM)
                return fail("access by pid " + std::to_string(pid) + " raised " + what);
            if (!live_.count(k.pid) || os_alive(m_.os, k.pid))
                return fail(what + ": not a running process, or still alive");
            others.push_back(k.pid);
        }
        if (self_kills > 1)
            return fail("the accessing process was killed " + std::to_string(self_kills) + " times");
        bool any_oom = !others.empty() || (self_kills && self.why == OS_KILL_OOM);
        if (any_oom && !oom_ok)
            return fail("OOM kill (" + std::to_string(others.size()) + " other processes" +
                        (self_kills && self.why == OS_KILL_OOM ? ", and the accessor" : "") +
                        ") although the anonymous pages (at most " + std::to_string(anon_bound()) +
                        ") fit in swap (" + std::to_string(slots_) + " slots); os_access returned " +
                        std::to_string(rc));
        if (any_oom)
            note("  OOM kill accepted: anonymous bound " + std::to_string(anon_bound()) + " > slots");
        auto drop_others = [&]() {
            for (int o : others)
                drop(o);
        };
        if (self_kills && self.why == OS_KILL_OOM) {
            if (rc != -EFAULT)
                return fail("accessor OOM-killed but os_access returned " + std::to_string(rc));
            drop(pid);
            return drop_others();
        }
        if (want == OS_KILL_NONE) {
            if (self_kills)
                return fail(std::string("legal access killed the process: ") + os_harness::kill_name(self.why) +
                            " at " + hex(self.va));
            if (rc != 0)
                return fail("legal access returned " + std::to_string(rc));
            for (uint64_t i = 0; i < len; i++) {
                const Area *a = find(p, va + i);
                if (acc == ACC_STORE) {
                    write_byte(p, *a, va + i, data[i]);
                } else {
                    uint8_t e = expect_byte(p, *a, va + i);
                    if (buf[i] != e)
                        return fail("pid " + std::to_string(pid) + " va " + hex(va + i) + " (" +
                                    kind_name(a->kind) + " area " + hex(a->start) + ".." + hex(a->end) +
                                    ") read " + hex(buf[i]) + ", expected " + hex(e) + " (access at " + hex(va) +
                                    " len " + std::to_string(len) + ")");
                }
            }
            stats_.accesses_ok++;
            return drop_others();
        }
        // A kill was predicted.
        if (rc != -EFAULT)
            return fail(std::string("expected a kill (") + os_harness::kill_name(want) + "), os_access returned " +
                        std::to_string(rc));
        if (self_kills != 1)
            return fail("expected the accessing process to be killed; it was not");
        if (self.why != want || (self.va != kill_va && self.va != va))
            return fail(std::string("killed pid ") + std::to_string(pid) + " " + os_harness::kill_name(self.why) +
                        " at " + hex(self.va) + ", expected " + os_harness::kill_name(want) + " at " + hex(kill_va));
        if (os_alive(m_.os, pid))
            return fail("killed process still alive");
        uint8_t b;
        if (os_access(m_.os, pid, va, ACC_LOAD, &b, 1) != -ESRCH)
            return fail("access by a killed process is not ESRCH");
        stats_.kills[want]++;
        drop(pid);
        drop_others();
    }

    void write_marker(Proc &p)
    {
        std::vector<uint8_t> b(PG);
        for (uint64_t i = 0; i < PG; i++)
            b[i] = marker_byte(p.tag, i);
        access(p, kMarker, PG, ACC_STORE, b.data());
    }

    void op_check_marker()
    {
        Proc *p = random_proc();
        if (!p)
            return;
        int pid = p->pid;
        uint32_t tag = p->tag;
        uint64_t off = rnd(PG / 2), len = range(1, PG - off);
        note("marker check pid " + std::to_string(pid));
        access(*p, kMarker + off, len, ACC_LOAD, nullptr);
        if (failed_ || !live_.count(pid))
            return;
        // The shadow agreed; now against the marker itself.
        const Proc &q = live_.at(pid);
        for (uint64_t i = 0; i < len; i++)
            if (expect_byte(q, *find(q, kMarker), kMarker + off + i) != marker_byte(tag, off + i))
                return fail("shadow lost the marker of pid " + std::to_string(pid));
    }

    // Whether spawn or fork (what) made pid: -EAGAIN exactly when every ASID
    // is in use (pid is then never seen again), else 0; anything else fails the run.
    bool created(const char *what, int pid, int rc)
    {
        if (!asid_free()) {
            if (rc != -EAGAIN)
                fail(std::string(what) + " with every ASID in use returned " + std::to_string(rc));
            else
                dead_.push_back(pid);
            return false;
        }
        if (rc)
            fail(std::string(what) + " returned " + std::to_string(rc));
        return rc == 0;
    }

    // Records pid as running with p's areas and pages, under a marker tag of its own.
    Proc &born(int pid, Proc p)
    {
        p.pid = pid;
        p.tag = next_tag_++;
        incarnations_++;
        return live_[pid] = std::move(p);
    }

    void op_spawn()
    {
        if (live_.size() >= kMaxLive)
            return;
        int pid = new_pid();
        stats_.calls++;
        int rc = os_spawn(m_.os, pid);
        note("spawn " + std::to_string(pid) + " -> " + std::to_string(rc));
        if (!created("spawn", pid, rc))
            return;
        Proc &p = born(pid, Proc{});
        uint64_t out = 0;
        rc = os_mmap(m_.os, pid, kMarker, PG, kRW, OS_MAP_PRIVATE | OS_MAP_ANON | OS_MAP_FIXED, nullptr, 0, &out);
        if (rc || out != kMarker)
            return fail("marker mmap returned " + std::to_string(rc));
        p.areas[kMarker] = Area{kMarker, kMarker + PG, kRW, PRIV_ANON, nullptr, 0};
        write_marker(p);
    }

    void op_fork()
    {
        Proc *parent = random_proc();
        if (!parent || live_.size() >= kMaxLive)
            return;
        uint64_t priv = 0;
        for (auto &kv : parent->areas)
            if (kv.second.is_private())
                priv += (kv.second.end - kv.second.start) / PG;
        if (anon_bound() + priv > budget_)
            return;
        int child = new_pid();
        stats_.calls++;
        int rc = os_fork(m_.os, parent->pid, child);
        note("fork " + std::to_string(parent->pid) + " -> " + std::to_string(child) + ": " + std::to_string(rc));
        if (created("fork", child, rc))
            write_marker(born(child, *parent)); // areas, shared objects and private pages
    }

    void op_exit()
    {
        Proc *p = random_proc();
        if (!p)
            return;
        int pid = p->pid;
        stats_.calls++;
        int rc = os_exit(m_.os, pid);
        note("exit " + std::to_string(pid) + ": " + std::to_string(rc));
        if (rc)
            return fail("exit returned " + std::to_string(rc));
        if (os_alive(m_.os, pid))
            return fail("exited process alive");
        drop(pid);
    }

    void op_switch()
    {
        Proc *p = random_proc();
        if (!p)
            return;
        stats_.calls++;
        int rc = os_switch(m_.os, p->pid);
        note("switch " + std::to_string(p->pid));
        if (rc)
            fail("switch returned " + std::to_string(rc));
    }

    void op_dead_access()
    {
        if (dead_.empty())
            return;
        int pid = dead_[rnd(dead_.size())];
        uint8_t b = 0;
        note("access by dead pid " + std::to_string(pid));
        stats_.calls++;
        if (os_access(m_.os, pid, kMarker, ACC_LOAD, &b, 1) != -ESRCH)
            fail("access by a dead process is not ESRCH");
        if (os_alive(m_.os, pid))
            fail("dead process alive");
    }

    void op_mmap()
    {
        Proc *p = random_proc();
        if (!p)
            return;
        Kind kind = (Kind)std::discrete_distribution<int>({35, 20, 20, 25})(rng_);
        uint64_t pages = kind == SHARED_ANON ? range(1, 8) : range(1, 12);
        uint64_t len = pages * PG;
        static const int prots[] = {OS_PROT_READ, kRW, OS_PROT_READ | OS_PROT_EXEC,
                                    kRW | OS_PROT_EXEC, OS_PROT_NONE};
        int prot = prots[std::discrete_distribution<int>({15, 65, 8, 9, 3})(rng_)];
        bool fixed = chance(0.9);
        if (area_pages(*p, false) + pages > kMaxProcPages)
            return;
        if (anon_bound() + pages > budget_ && (kind == PRIV_ANON || kind == PRIV_FILE))
            return;
        ObjPtr obj;
        uint64_t off = 0;
        int flags = kind == PRIV_ANON || kind == PRIV_FILE ? OS_MAP_PRIVATE : OS_MAP_SHARED;
        if (kind == PRIV_ANON || kind == SHARED_ANON)
            flags |= OS_MAP_ANON;
        if (kind == PRIV_FILE || kind == SHARED_FILE) {
            obj = files_[rnd(files_.size())];
            uint64_t fpages = (obj->size + PG - 1) / PG;
            off = (chance(0.05) ? fpages : rnd(fpages)) * PG;
        }
        uint64_t addr = fixed ? kRegion + rnd(kRegionPages - pages + 1) * PG : 0;
        if (fixed)
            flags |= OS_MAP_FIXED;
        uint64_t out = 0;
        stats_.calls++;
        int rc = os_mmap(m_.os, p->pid, addr, len, prot, flags, obj ? obj->name.c_str() : nullptr, off, &out);
        note("mmap pid " + std::to_string(p->pid) + " " + kind_name(kind) + " " + (obj ? obj->name : "") + "+" +
             hex(off) + " addr " + hex(addr) + " len " + hex(len) + " prot " + std::to_string(prot) + " -> " +
             std::to_string(rc) + " at " + hex(out));
        if (rc)
            return fail("mmap returned " + std::to_string(rc));
        if (fixed && out != addr)
            return fail("MAP_FIXED mapping placed at " + hex(out));
        if (!fixed) {
            if (out % PG || out == 0 || !vm_canonical(out, levels_) || !vm_canonical(out + len - 1, levels_) ||
                (out >> (PAGE_SHIFT + VPN_BITS * levels_ - 1)) != 0)
                return fail("kernel-chosen address " + hex(out) + " is not a user page address");
            auto it = p->areas.lower_bound(out);
            if (it != p->areas.end() && it->first < out + len)
                return fail("kernel-chosen " + hex(out) + " overlaps the area at " + hex(it->first));
            if (find(*p, out))
                return fail("kernel-chosen " + hex(out) + " lies inside an area");
        }
        remove_range(*p, out, out + len);
        if (kind == SHARED_ANON) {
            obj = std::make_shared<Obj>();
            obj->data.assign(len, 0);
            obj->size = len;
        }
        p->areas[out] = Area{out, out + len, prot, kind, obj, off};
        p->hot = out;
    }

    // A range [lo, hi) relative to area a: whole, front, back, middle, or
    // a page beyond both ends.
    void pick_subrange(const Area &a, uint64_t *lo, uint64_t *hi)
    {
        uint64_t pages = (a.end - a.start) / PG;
        switch (rnd(5)) {
        case 0:
            *lo = a.start, *hi = a.end;
            break;
        case 1:
            *lo = a.start, *hi = a.start + range(1, pages) * PG;
            break;
        case 2:
            *lo = a.start + rnd(pages) * PG, *hi = a.end;
            break;
        case 3: {
            uint64_t i = rnd(pages), j = range(i + 1, pages);
            *lo = a.start + i * PG, *hi = a.start + j * PG;
            break;
        }
        default:
            *lo = a.start - PG, *hi = a.end + PG;
            break;
        }
    }

    const Area *random_area(const Proc &p, bool with_marker)
    {
        std::vector<const Area *> v;
        for (auto &kv : p.areas)
            if (with_marker || kv.first != kMarker)
                v.push_back(&kv.second);
        return v.empty() ? nullptr : v[rnd(v.size())];
    }

    static bool hits_marker(uint64_t lo, uint64_t hi) { return lo < kMarker + PG && kMarker < hi; }

    void op_munmap()
    {
        Proc *p = random_proc();
        if (!p)
            return;
        uint64_t lo, hi;
        const Area *a = random_area(*p, false);
        if (a && chance(0.6)) {
            pick_subrange(*a, &lo, &hi);
        } else {
            lo = kRegion + rnd(kRegionPages) * PG;
            hi = lo + range(1, 24) * PG;
        }
        if (hits_marker(lo, hi))
            return;
        stats_.calls++;
        int rc = os_munmap(m_.os, p->pid, lo, hi - lo);
        note("munmap pid " + std::to_string(p->pid) + " " + hex(lo) + ".." + hex(hi) + " -> " + std::to_string(rc));
        if (rc)
            return fail("munmap returned " + std::to_string(rc));
        remove_range(*p, lo, hi);
    }

    void op_mprotect()
    {
        Proc *p = random_proc();
        if (!p)
            return;
        const Area *a = random_area(*p, false);
        if (!a)
            return;
        uint64_t lo, hi;
        pick_subrange(*a, &lo, &hi);
        if (lo < a->start || hi > a->end) { // mprotect needs the range mapped: stay inside
            lo = a->start;
            hi = a->end;
            // across into a contiguous neighbour now and then
            auto next = p->areas.find(a->end);
            if (next != p->areas.end() && next->first != kMarker && chance(0.5))
                hi = next->second.start + range(1, (next->second.end - next->second.start) / PG) * PG;
        }
        static const int prots[] = {OS_PROT_READ, kRW, OS_PROT_READ | OS_PROT_EXEC, kRW | OS_PROT_EXEC, OS_PROT_NONE};
        int prot = prots[std::discrete_distribution<int>({25, 50, 10, 10, 5})(rng_)];
        stats_.calls++;
        int rc = os_mprotect(m_.os, p->pid, lo, hi - lo, prot);
        note("mprotect pid " + std::to_string(p->pid) + " " + hex(lo) + ".." + hex(hi) + " prot " +
             std::to_string(prot) + " -> " + std::to_string(rc));
        if (rc)
            return fail("mprotect returned " + std::to_string(rc));
        split_at(*p, lo);
        split_at(*p, hi);
        for (auto it = p->areas.lower_bound(lo); it != p->areas.end() && it->first < hi; ++it)
            it->second.prot = prot;
    }

    void op_msync()
    {
        Proc *p = random_proc();
        if (!p)
            return;
        std::vector<const Area *> v;
        for (auto &kv : p->areas)
            if (kv.second.kind == SHARED_FILE || chance(0.1))
                v.push_back(&kv.second);
        if (v.empty())
            return;
        const Area *a = v[rnd(v.size())];
        uint64_t lo, hi;
        pick_subrange(*a, &lo, &hi);
        lo = std::max(lo, a->start);
        hi = std::min(hi, a->end);
        stats_.calls++;
        int rc = os_msync(m_.os, p->pid, lo, hi - lo);
        note("msync pid " + std::to_string(p->pid) + " " + hex(lo) + ".." + hex(hi) + " -> " + std::to_string(rc));
        if (rc)
            return fail("msync returned " + std::to_string(rc));
        if (a->kind == SHARED_FILE)
            check_file(*a->obj, a->off, hi - lo);
    }

    void check_file(const Obj &f, uint64_t off, uint64_t len)
    {
        std::vector<uint8_t> b(len + 1, 0xcd);
        int64_t want = off >= f.size ? 0 : (int64_t)std::min(len, f.size - off);
        stats_.calls++;
        int64_t n = os_file_read(m_.os, f.name.c_str(), off, b.data(), len);
        if (n != want)
            return fail("os_file_read " + f.name + " at " + hex(off) + " len " + hex(len) + " returned " +
                        std::to_string(n) + ", expected " + std::to_string(want));
        for (int64_t i = 0; i < n; i++)
            if (b[(size_t)i] != f.data[off + (uint64_t)i])
                return fail("file " + f.name + " byte " + hex(off + (uint64_t)i) + " is " + hex(b[(size_t)i]) +
                            ", expected " + hex(f.data[off + (uint64_t)i]));
        if (b[(size_t)n] != 0xcd)
            fail("os_file_read wrote past the bytes it returned");
    }

    void op_file_read()
    {
        const Obj &f = *files_[rnd(files_.size())];
        uint64_t off = rnd(f.size + PG), len = range(1, 3 * PG);
        note("file read " + f.name + " " + hex(off) + " len " + hex(len));
        check_file(f, off, len);
    }

    // A legal access (most of the time): an area allowing acc, a valid page.
    void op_access()
    {
        Proc *p = random_proc();
        if (!p)
            return;
        acc_t acc = (acc_t)std::discrete_distribution<int>({55, 40, 5})(rng_);
        int need = acc == ACC_LOAD ? OS_PROT_READ : acc == ACC_STORE ? OS_PROT_WRITE : OS_PROT_EXEC;
        auto usable = [&](const Area &a, uint64_t *vend) {
            if (!(a.prot & need) || (acc == ACC_STORE && a.start == kMarker))
                return false;
            *vend = a.end;
            if (a.kind == PRIV_FILE || a.kind == SHARED_FILE) {
                if (a.off >= a.obj->size)
                    return false;
                uint64_t valid = a.obj->size - a.off; // bytes of file from start
                if (acc == ACC_STORE && a.kind == SHARED_FILE)
                    *vend = std::min(a.end, a.start + valid); // never into the tail
                else
                    *vend = std::min(a.end, a.start + (valid + PG - 1) / PG * PG);
            }
            return *vend > a.start;
        };
        const Area *a = nullptr;
        uint64_t vend = 0;
        auto hot = p->areas.find(p->hot);
        if (hot != p->areas.end() && chance(0.6) && usable(hot->second, &vend)) {
            a = &hot->second;
        } else {
            std::vector<std::pair<const Area *, uint64_t>> v;
            for (auto &kv : p->areas) {
                uint64_t e;
                if (usable(kv.second, &e))
                    v.emplace_back(&kv.second, e);
            }
            if (v.empty()) {
                acc = ACC_LOAD;
                a = &p->areas.at(kMarker);
                vend = a->end;
            } else {
                auto &c = v[rnd(v.size())];
                a = c.first;
                vend = c.second;
            }
        }
        p->hot = a->start;
        uint64_t span = vend - a->start;
        uint64_t len = std::vector<uint64_t>{1, 2, 4, 8}[rnd(4)];
        uint64_t va;
        bool cross = chance(0.08) && span > PG && !(p_.oom && acc == ACC_STORE);
        if (cross) {
            stats_.crossing++;
            len = range(2, 16);
            uint64_t b = a->start + range(1, (span - 1) / PG) * PG;
            va = b - range(1, len - 1);
            uint64_t kv;
            if (acc == ACC_STORE && (va + len > vend || predict(*p, va, len, acc, &kv) != OS_KILL_NONE))
                return;
        } else {
            if (acc == ACC_LOAD && chance(0.05))
                len = range(9, 256); // may cross pages
            len = std::min(len, span);
            va = a->start + rnd(span - len + 1);
            uint64_t last_page = (va + len - 1) & ~(PG - 1);
            if (len <= 8 && last_page > va) // small ones stay in one page
                va = last_page - len;
        }
        std::vector<uint8_t> data(len);
        for (auto &d : data)
            d = (uint8_t)rng_();
        access(*p, va, len, acc, data.data());
    }

    // An access chosen without regard to the areas: most of them kill.
    void op_wild_access()
    {
        Proc *p = random_proc();
        if (!p)
            return;
        acc_t acc = (acc_t)rnd(3);
        uint64_t va;
        const Area *a = random_area(*p, false);
        switch (rnd(4)) {
        case 0: // anywhere in the fixed region
            va = kRegion + rnd(kRegionPages * PG);
            break;
        case 1: // just past an area
            va = a ? a->end + rnd(PG) : kRegion;
            break;
        case 2: // inside an area, perhaps past end of file
            va = a ? a->start + rnd(a->end - a->start) : kRegion;
            break;
        default: // a low address nothing maps
            va = 0x1000 + rnd(0x100000);
            break;
        }
        uint64_t len = std::min<uint64_t>(std::vector<uint64_t>{1, 2, 4, 8}[rnd(4)], PG - va % PG);
        std::vector<uint8_t> data(len, 0xaa);
        uint64_t kv;
        if (acc == ACC_STORE && predict(*p, va, len, acc, &kv) == OS_KILL_NONE)
            return; // legal stores come from op_access, which keeps out of file tails
        access(*p, va, len, acc, data.data());
    }

    // Small-swap runs only: a process maps more private memory than frames
    // and slots together and writes every page, so someone is OOM-killed.
    void op_hog()
    {
        Proc *p = random_proc();
        if (!p || !p_.oom)
            return;
        int pid = p->pid;
        uint64_t pages = frames_ + slots_ + 8, out = 0;
        stats_.calls++;
        int rc = os_mmap(m_.os, pid, 0, pages * PG, kRW, OS_MAP_PRIVATE | OS_MAP_ANON, nullptr, 0, &out);
        note("hog: mmap pid " + std::to_string(pid) + " " + std::to_string(pages) + " pages -> " +
             std::to_string(rc) + " at " + hex(out));
        if (rc)
            return fail("hog mmap returned " + std::to_string(rc));
        auto it = p->areas.lower_bound(out);
        if ((it != p->areas.end() && it->first < out + pages * PG) || find(*p, out))
            return fail("kernel-chosen " + hex(out) + " overlaps an area");
        p->areas[out] = Area{out, out + pages * PG, kRW, PRIV_ANON, nullptr, 0};
        for (uint64_t i = 0; i < pages && live_.count(pid) && !failed_; i++) {
            uint64_t v = mix64(op_ ^ i);
            access(live_.at(pid), out + i * PG + (v & 0xff8), 8, ACC_STORE, (const uint8_t *)&v);
        }
    }

    void one_op()
    {
        if (live_.size() < 2) {
            op_spawn();
            return;
        }
        // Each operation with its weight (op_hog does something with a small swap only).
        static const std::vector<std::pair<double, void (Stress::*)()>> ops = {
            {640, &Stress::op_access}, {4, &Stress::op_wild_access}, {25, &Stress::op_check_marker},
            {20, &Stress::op_file_read}, {90, &Stress::op_mmap}, {60, &Stress::op_munmap},
            {50, &Stress::op_mprotect}, {20, &Stress::op_msync}, {20, &Stress::op_fork},
            {10, &Stress::op_spawn}, {14, &Stress::op_exit}, {10, &Stress::op_switch},
            {4, &Stress::op_dead_access}, {1, &Stress::op_hog},
        };
        static const std::vector<double> w = [] {
            std::vector<double> v;
            for (const auto &o : ops)
                v.push_back(o.first);
            return v;
        }();
        (this->*ops[(size_t)std::discrete_distribution<int>(w.begin(), w.end())(rng_)].second)();
    }

    void check_limits()
    {
        if (os_user_frames_used(m_.os) > frames_)
            fail("user frames in use " + std::to_string(os_user_frames_used(m_.os)) + " > os.user_frames");
        if (os_swap_slots_used(m_.os) > slots_)
            fail("swap slots in use above swap.slots");
        for (auto &kv : live_)
            if (!os_alive(m_.os, kv.first))
                fail("pid " + std::to_string(kv.first) + " died unnoticed");
    }

    void finish()
    {
        while (!live_.empty() && !failed_) {
            int pid = live_.begin()->first;
            // A last look at each marker before the exit (may OOM-kill someone).
            access(live_.begin()->second, kMarker, PG, ACC_LOAD, nullptr);
            if (failed_)
                return;
            if (!live_.count(pid))
                continue;
            int rc = os_exit(m_.os, pid);
            if (rc)
                return fail("final exit returned " + std::to_string(rc));
            drop(pid);
            std::string e = m_.check();
            if (!e.empty())
                return fail("os_check after final exit: " + e);
        }
        if (failed_)
            return;
        if (os_user_frames_used(m_.os) || os_table_frames_used(m_.os) || os_swap_slots_used(m_.os))
            return fail("after every exit: user frames " + std::to_string(os_user_frames_used(m_.os)) +
                        ", table frames " + std::to_string(os_table_frames_used(m_.os)) + ", swap slots " +
                        std::to_string(os_swap_slots_used(m_.os)));
        for (auto &f : files_) {
            if (os_file_size(m_.os, f->name.c_str()) != (int64_t)f->size)
                fail("file " + f->name + " changed size");
            check_file(*f, 0, f->size + PG);
        }
    }
};

class OsStress : public ::testing::TestWithParam<RunParam> {};

TEST_P(OsStress, ShadowModel)
{
    RunParam p = GetParam();
    if (const char *s = std::getenv("MMUSIM_SEED"))
        p.seed = std::strtoull(s, nullptr, 0);
    p.ops = std::max(std::min(p.ops, kMechanismOps), p.ops / kOpsScale);
    Stress(p).run();
}

// Every policy under both A/D schemes, 100,000 operations each (1,000,000 in
// all), plus runs with a swap too small for the load, which OOM-kill.
std::vector<RunParam> all_runs()
{
    std::vector<RunParam> v;
    const char *policies[] = {"clock", "fifo", "lru", "opt", "random"};
    const char *ads[] = {"svade", "svadu"};
    uint64_t seed = 1000;
    for (const char *pol : policies)
        for (const char *ad : ads)
            v.push_back(RunParam{pol, ad, false, seed++, 100000});
    v.push_back(RunParam{"clock", "svadu", true, seed++, 25000});
    v.push_back(RunParam{"lru", "svade", true, seed++, 25000});
    v.push_back(RunParam{"random", "svade", true, seed++, 25000});
    return v;
}

INSTANTIATE_TEST_SUITE_P(Runs, OsStress, ::testing::ValuesIn(all_runs()), param_name);

} // namespace
