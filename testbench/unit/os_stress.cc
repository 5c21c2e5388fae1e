// os_stress.cc - the operations of the OS stress driver (see os_stress.h):
// each draws its arguments, calls the OS, checks the result and applies the
// same call to the reference of user memory (ref_os.h).
#include "os_stress.h"

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <sstream>
#include <utility>

namespace os_stress {

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

void PrintTo(const RunParam &p, std::ostream *os)
{
    *os << "os.policy=" << p.policy << " ptw.ad=" << p.ad << (p.oom ? " small swap" : "") << " seed " << p.seed
        << ", " << p.ops << " ops";
}

// ---- helpers ---------------------------------------------------------------

void Stress::note(const std::string &s)
{
    log_.push_back("op " + std::to_string(op_) + ": " + s);
    if (log_.size() > 24)
        log_.pop_front();
}

void Stress::fail(const std::string &what)
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

std::string Stress::hex(uint64_t v)
{
    char b[24];
    std::snprintf(b, sizeof b, "0x%" PRIx64, v);
    return b;
}

Stress::Proc *Stress::random_proc()
{
    if (live_.empty())
        return nullptr;
    auto it = live_.begin();
    std::advance(it, (long)rnd(live_.size()));
    return &it->second;
}

const RefArea *Stress::random_area(int pid, bool with_marker)
{
    std::vector<const RefArea *> v;
    for (auto &kv : ref_.areas(pid))
        if (with_marker || kv.first != kMarker)
            v.push_back(&kv.second);
    return v.empty() ? nullptr : v[rnd(v.size())];
}

uint64_t Stress::area_pages(int pid, bool with_marker) const
{
    uint64_t n = 0;
    for (auto &kv : ref_.areas(pid))
        if (with_marker || kv.first != kMarker)
            n += (kv.second.end - kv.second.start) / PG;
    return n;
}

void Stress::pick_subrange(const RefArea &a, uint64_t *lo, uint64_t *hi)
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

int Stress::new_pid()
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

bool Stress::created(const char *what, int pid, int rc)
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

Stress::Proc &Stress::born(int pid, uint64_t hot)
{
    incarnations_++;
    return live_[pid] = Proc{pid, next_tag_++, hot};
}

void Stress::drop(int pid)
{
    if (live_.erase(pid))
        ref_.exit(pid);
    dead_.push_back(pid);
    if (dead_.size() > 32)
        dead_.erase(dead_.begin());
}

void Stress::check_file(const RefObj &f, uint64_t off, uint64_t len)
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

// ---- operations ------------------------------------------------------------

void Stress::one_op()
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

void Stress::make_files()
{
    const uint64_t sizes[] = {3 * PG + 100, 8 * PG, 1000, 12 * PG + 7, 5 * PG};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        std::string name = "file" + std::to_string(i);
        std::vector<uint8_t> data(sizes[i]);
        for (auto &d : data)
            d = (uint8_t)rng_();
        int r = os_file_create(m_.os, name.c_str(), data.data(), sizes[i]);
        if (r) {
            fail("os_file_create " + name + " returned " + std::to_string(r));
            return;
        }
        ref_.add_file(name, data.data(), sizes[i]);
        if (os_file_size(m_.os, name.c_str()) != (int64_t)sizes[i])
            fail("os_file_size of a new file");
    }
}

void Stress::access(int pid, uint64_t va, uint64_t len, acc_t acc, const uint8_t *data)
{
    uint64_t kill_va = 0;
    os_kill_t want = ref_.predict(pid, va, len, acc, &kill_va);
    note(std::string(acc == ACC_LOAD ? "load" : acc == ACC_STORE ? "store" : "fetch") + " pid " +
         std::to_string(pid) + " va " + hex(va) + " len " + std::to_string(len) + " expect " +
         os_harness::kill_name(want));
    std::vector<uint8_t> buf(len, 0xcd);
    if (acc == ACC_STORE)
        std::memcpy(buf.data(), data, len);
    bool oom_ok = ref_.private_pages() > slots_; // before the access changes anything
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
                    ") although the anonymous pages (at most " + std::to_string(ref_.private_pages()) +
                    ") fit in swap (" + std::to_string(slots_) + " slots); os_access returned " +
                    std::to_string(rc));
    if (any_oom)
        note("  OOM kill accepted: anonymous bound " + std::to_string(ref_.private_pages()) + " > slots");
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
        if (acc == ACC_STORE) {
            if (!ref_.store(pid, va, len, data))
                fail("shadow: generated a write to a file tail");
        } else {
            std::vector<uint8_t> e(len);
            ref_.load(pid, va, len, e.data());
            for (uint64_t i = 0; i < len; i++) {
                if (buf[i] == e[i])
                    continue;
                const RefArea *a = ref_.find(pid, va + i);
                return fail("pid " + std::to_string(pid) + " va " + hex(va + i) + " (" + ref_kind_name(a->kind) +
                            " area " + hex(a->start) + ".." + hex(a->end) + ") read " + hex(buf[i]) +
                            ", expected " + hex(e[i]) + " (access at " + hex(va) + " len " + std::to_string(len) +
                            ")");
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

void Stress::write_marker(int pid)
{
    uint32_t tag = live_.at(pid).tag;
    std::vector<uint8_t> b(PG);
    for (uint64_t i = 0; i < PG; i++)
        b[i] = marker_byte(tag, i);
    access(pid, kMarker, PG, ACC_STORE, b.data());
}

void Stress::op_check_marker()
{
    Proc *p = random_proc();
    if (!p)
        return;
    int pid = p->pid;
    uint32_t tag = p->tag;
    uint64_t off = rnd(PG / 2), len = range(1, PG - off);
    note("marker check pid " + std::to_string(pid));
    access(pid, kMarker + off, len, ACC_LOAD, nullptr);
    if (failed_ || !live_.count(pid))
        return;
    // The reference agreed; now against the marker itself.
    std::vector<uint8_t> e(len);
    ref_.load(pid, kMarker + off, len, e.data());
    for (uint64_t i = 0; i < len; i++)
        if (e[i] != marker_byte(tag, off + i))
            return fail("shadow lost the marker of pid " + std::to_string(pid));
}

void Stress::op_spawn()
{
    if (live_.size() >= kMaxLive)
        return;
    int pid = new_pid();
    stats_.calls++;
    int rc = os_spawn(m_.os, pid);
    note("spawn " + std::to_string(pid) + " -> " + std::to_string(rc));
    if (!created("spawn", pid, rc))
        return;
    ref_.spawn(pid);
    born(pid, 0);
    uint64_t out = 0;
    rc = os_mmap(m_.os, pid, kMarker, PG, kRW, OS_MAP_PRIVATE | OS_MAP_ANON | OS_MAP_FIXED, nullptr, 0, &out);
    if (rc || out != kMarker)
        return fail("marker mmap returned " + std::to_string(rc));
    ref_.mmap(pid, kMarker, PG, kRW, RefKind::PrivAnon, nullptr, 0);
    write_marker(pid);
}

void Stress::op_fork()
{
    Proc *parent = random_proc();
    if (!parent || live_.size() >= kMaxLive)
        return;
    if (ref_.private_pages() + ref_.private_pages(parent->pid) > budget_)
        return;
    int child = new_pid();
    stats_.calls++;
    int rc = os_fork(m_.os, parent->pid, child);
    note("fork " + std::to_string(parent->pid) + " -> " + std::to_string(child) + ": " + std::to_string(rc));
    if (!created("fork", child, rc))
        return;
    ref_.fork(parent->pid, child); // areas, shared objects and private pages
    born(child, parent->hot);
    write_marker(child);
}

void Stress::op_exit()
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

void Stress::op_switch()
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

void Stress::op_dead_access()
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

void Stress::op_mmap()
{
    Proc *p = random_proc();
    if (!p)
        return;
    RefKind kind = static_cast<RefKind>(std::discrete_distribution<int>({35, 20, 20, 25})(rng_));
    uint64_t pages = kind == RefKind::SharedAnon ? range(1, 8) : range(1, 12);
    uint64_t len = pages * PG;
    static const int prots[] = {OS_PROT_READ, kRW, OS_PROT_READ | OS_PROT_EXEC,
                                kRW | OS_PROT_EXEC, OS_PROT_NONE};
    int prot = prots[std::discrete_distribution<int>({15, 65, 8, 9, 3})(rng_)];
    bool fixed = chance(0.9);
    bool priv = kind == RefKind::PrivAnon || kind == RefKind::PrivFile;
    if (area_pages(p->pid, false) + pages > kMaxProcPages)
        return;
    if (ref_.private_pages() + pages > budget_ && priv)
        return;
    RefObjPtr obj;
    uint64_t off = 0;
    int flags = priv ? OS_MAP_PRIVATE : OS_MAP_SHARED;
    if (kind == RefKind::PrivAnon || kind == RefKind::SharedAnon)
        flags |= OS_MAP_ANON;
    if (kind == RefKind::PrivFile || kind == RefKind::SharedFile) {
        obj = ref_.files()[rnd(ref_.files().size())];
        uint64_t fpages = (obj->size + PG - 1) / PG;
        off = (chance(0.05) ? fpages : rnd(fpages)) * PG;
    }
    uint64_t addr = fixed ? kRegion + rnd(kRegionPages - pages + 1) * PG : 0;
    if (fixed)
        flags |= OS_MAP_FIXED;
    uint64_t out = 0;
    stats_.calls++;
    int rc = os_mmap(m_.os, p->pid, addr, len, prot, flags, obj ? obj->name.c_str() : nullptr, off, &out);
    note("mmap pid " + std::to_string(p->pid) + " " + ref_kind_name(kind) + " " + (obj ? obj->name : "") + "+" +
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
        const auto &areas = ref_.areas(p->pid);
        auto it = areas.lower_bound(out);
        if (it != areas.end() && it->first < out + len)
            return fail("kernel-chosen " + hex(out) + " overlaps the area at " + hex(it->first));
        if (ref_.find(p->pid, out))
            return fail("kernel-chosen " + hex(out) + " lies inside an area");
    }
    ref_.mmap(p->pid, out, len, prot, kind, obj, off);
    p->hot = out;
}

void Stress::op_munmap()
{
    Proc *p = random_proc();
    if (!p)
        return;
    uint64_t lo, hi;
    const RefArea *a = random_area(p->pid, false);
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
    ref_.munmap(p->pid, lo, hi);
}

void Stress::op_mprotect()
{
    Proc *p = random_proc();
    if (!p)
        return;
    const RefArea *a = random_area(p->pid, false);
    if (!a)
        return;
    uint64_t lo, hi;
    pick_subrange(*a, &lo, &hi);
    if (lo < a->start || hi > a->end) { // mprotect needs the range mapped: stay inside
        lo = a->start;
        hi = a->end;
        // across into a contiguous neighbour now and then
        const auto &areas = ref_.areas(p->pid);
        auto next = areas.find(a->end);
        if (next != areas.end() && next->first != kMarker && chance(0.5))
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
    ref_.mprotect(p->pid, lo, hi, prot);
}

void Stress::op_msync()
{
    Proc *p = random_proc();
    if (!p)
        return;
    std::vector<const RefArea *> v;
    for (auto &kv : ref_.areas(p->pid))
        if (kv.second.kind == RefKind::SharedFile || chance(0.1))
            v.push_back(&kv.second);
    if (v.empty())
        return;
    const RefArea *a = v[rnd(v.size())];
    uint64_t lo, hi;
    pick_subrange(*a, &lo, &hi);
    lo = std::max(lo, a->start);
    hi = std::min(hi, a->end);
    stats_.calls++;
    int rc = os_msync(m_.os, p->pid, lo, hi - lo);
    note("msync pid " + std::to_string(p->pid) + " " + hex(lo) + ".." + hex(hi) + " -> " + std::to_string(rc));
    if (rc)
        return fail("msync returned " + std::to_string(rc));
    if (a->kind == RefKind::SharedFile)
        check_file(*a->obj, a->off, hi - lo);
}

void Stress::op_file_read()
{
    const RefObj &f = *ref_.files()[rnd(ref_.files().size())];
    uint64_t off = rnd(f.size + PG), len = range(1, 3 * PG);
    note("file read " + f.name + " " + hex(off) + " len " + hex(len));
    check_file(f, off, len);
}

void Stress::op_access()
{
    Proc *p = random_proc();
    if (!p)
        return;
    const auto &areas = ref_.areas(p->pid);
    acc_t acc = (acc_t)std::discrete_distribution<int>({55, 40, 5})(rng_);
    int need = acc == ACC_LOAD ? OS_PROT_READ : acc == ACC_STORE ? OS_PROT_WRITE : OS_PROT_EXEC;
    auto usable = [&](const RefArea &a, uint64_t *vend) {
        if (!(a.prot & need) || (acc == ACC_STORE && a.start == kMarker))
            return false;
        *vend = a.end;
        if (a.is_file()) {
            if (a.off >= a.obj->size)
                return false;
            uint64_t valid = a.obj->size - a.off; // bytes of file from start
            if (acc == ACC_STORE && a.kind == RefKind::SharedFile)
                *vend = std::min(a.end, a.start + valid); // never into the tail
            else
                *vend = std::min(a.end, a.start + (valid + PG - 1) / PG * PG);
        }
        return *vend > a.start;
    };
    const RefArea *a = nullptr;
    uint64_t vend = 0;
    auto hot = areas.find(p->hot);
    if (hot != areas.end() && chance(0.6) && usable(hot->second, &vend)) {
        a = &hot->second;
    } else {
        std::vector<std::pair<const RefArea *, uint64_t>> v;
        for (auto &kv : areas) {
            uint64_t e;
            if (usable(kv.second, &e))
                v.emplace_back(&kv.second, e);
        }
        if (v.empty()) {
            acc = ACC_LOAD;
            a = &areas.at(kMarker);
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
        if (acc == ACC_STORE && (va + len > vend || ref_.predict(p->pid, va, len, acc, &kv) != OS_KILL_NONE))
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
    access(p->pid, va, len, acc, data.data());
}

void Stress::op_wild_access()
{
    Proc *p = random_proc();
    if (!p)
        return;
    acc_t acc = (acc_t)rnd(3);
    uint64_t va;
    const RefArea *a = random_area(p->pid, false);
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
    if (acc == ACC_STORE && ref_.predict(p->pid, va, len, acc, &kv) == OS_KILL_NONE)
        return; // legal stores come from op_access, which keeps out of file tails
    access(p->pid, va, len, acc, data.data());
}

void Stress::op_hog()
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
    const auto &areas = ref_.areas(pid);
    auto it = areas.lower_bound(out);
    if ((it != areas.end() && it->first < out + pages * PG) || ref_.find(pid, out))
        return fail("kernel-chosen " + hex(out) + " overlaps an area");
    ref_.mmap(pid, out, pages * PG, kRW, RefKind::PrivAnon, nullptr, 0);
    for (uint64_t i = 0; i < pages && live_.count(pid) && !failed_; i++) {
        uint64_t v = mix64(op_ ^ i);
        access(pid, out + i * PG + (v & 0xff8), 8, ACC_STORE, (const uint8_t *)&v);
    }
}

} // namespace os_stress
