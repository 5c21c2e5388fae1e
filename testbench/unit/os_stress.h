// os_stress.h - the driver of the OS stress suite (test_os_stress.cc, which
// says what a run does and checks): a random generator of system calls and
// accesses, each applied to the OS (csrc/os.h) and to the reference of user
// memory (testbench/ref/ref_os.h) and compared.  The run itself and its
// coverage checks are in test_os_stress.cc, the operations in os_stress.cc.
#ifndef MMUSIM_TESTBENCH_OS_STRESS_H
#define MMUSIM_TESTBENCH_OS_STRESS_H

#include <cstdint>
#include <deque>
#include <map>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "os_harness.h"
#include "ref_os.h"

namespace os_stress {

constexpr uint64_t PG = PAGE_SIZE;
static_assert(PG == RefOs::kPage, "the reference's page is the OS's");
// Each process's marker page, and where the fixed mappings go: together in
// one 2 MiB range, so in one leaf page table (os_check walks every table).
constexpr uint64_t kMarker = 0x40000000ull;
constexpr uint64_t kRegion = kMarker + PAGE_SIZE;
constexpr uint64_t kRegionPages = 384;
constexpr size_t kMaxLive = 6;
constexpr uint64_t kMaxProcPages = 80;       // pages of random areas per process
constexpr int kRW = OS_PROT_READ | OS_PROT_WRITE;

uint64_t mix64(uint64_t x);
// Byte i of the marker page of the process incarnation tag.
uint8_t marker_byte(uint32_t tag, uint64_t i);

struct RunParam {
    const char *policy;
    const char *ad;
    bool oom;           // tiny swap: OOM kills possible
    uint64_t seed;
    uint64_t ops;
};

// How gtest prints a run in its failure summary.
void PrintTo(const RunParam &p, std::ostream *os);

class Stress {
public:
    explicit Stress(const RunParam &p) : p_(p), rng_(p.seed) {}

    // The whole run; failures are reported through gtest (test_os_stress.cc).
    void run();

private:
    // The driver's side of a running process; its memory is in ref_.
    struct Proc {
        int pid;
        uint32_t tag;     // marker of this incarnation
        uint64_t hot = 0; // start of the area used last
    };

    RunParam p_;
    std::mt19937_64 rng_;
    os_harness::Machine m_;
    RefOs ref_;
    uint64_t frames_ = 0, slots_ = 0, budget_ = 0;
    unsigned asids_ = 64;
    int levels_ = 3;
    uint64_t op_ = 0;
    bool failed_ = false;
    std::map<int, Proc> live_;  // the processes of ref_, by pid
    std::vector<int> dead_;
    int next_pid_ = 1;
    uint32_t next_tag_ = 1;
    uint64_t incarnations_ = 0;
    std::deque<std::string> log_; // the last operations, printed on failure
    struct {
        uint64_t calls = 0, accesses_ok = 0, crossing = 0, kills[OS_KILL_OOM + 1] = {};
    } stats_;                     // what the run exercised

    // ---- test_os_stress.cc: the run -------------------------------------
    // Fails on frames or slots above their limits, or a process that died unseen.
    void check_limits();
    // Every process looks at its marker and exits; then nothing may be left
    // in use and every file must read back as the reference's copy.
    void finish();

    // ---- os_stress.cc: helpers ------------------------------------------
    uint64_t rnd(uint64_t n) { return n ? rng_() % n : 0; }                    // [0, n)
    uint64_t range(uint64_t lo, uint64_t hi) { return lo + rnd(hi - lo + 1); } // [lo, hi]
    bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
    // Remembers s as the current operation for a failure's report.
    void note(const std::string &s);
    // Fails the run (the first failure only) with the operations before it.
    void fail(const std::string &what);
    static std::string hex(uint64_t v);
    // A uniformly chosen running process, or null.
    Proc *random_proc();
    // A uniformly chosen area of pid (the marker only when with_marker), or null.
    const RefArea *random_area(int pid, bool with_marker);
    // Pages of pid's areas, the marker only when with_marker.
    uint64_t area_pages(int pid, bool with_marker) const;
    // A range [lo, hi) relative to area a: whole, front, back, middle, or a
    // page beyond both ends.
    void pick_subrange(const RefArea &a, uint64_t *lo, uint64_t *hi);
    static bool hits_marker(uint64_t lo, uint64_t hi) { return lo < kMarker + PG && kMarker < hi; }
    // A fresh pid, or now and then one of a process that died.
    int new_pid();
    bool asid_free() const { return live_.size() < asids_ - 1; }
    // Whether spawn or fork (what) made pid: -EAGAIN exactly when every ASID
    // is in use (pid is then never seen again), else 0; anything else fails the run.
    bool created(const char *what, int pid, int rc);
    // Records pid as running, starting from area hot, under a marker tag of
    // its own; its memory must be in ref_ already.
    Proc &born(int pid, uint64_t hot);
    // Forgets pid (ref_ too), keeping it among the recent dead.
    void drop(int pid);
    // Compares os_file_read of f at off, len bytes, with the reference's copy.
    void check_file(const RefObj &f, uint64_t off, uint64_t len);

    // ---- os_stress.cc: operations ---------------------------------------
    // One operation chosen by weight (a spawn while fewer than two run).
    void one_op();
    void make_files();
    // Performs one access and checks it against the reference.  data: the
    // bytes for a store (len of them).
    void access(int pid, uint64_t va, uint64_t len, acc_t acc, const uint8_t *data);
    void write_marker(int pid);
    void op_check_marker();
    void op_spawn();
    void op_fork();
    void op_exit();
    void op_switch();
    void op_dead_access();
    void op_mmap();
    void op_munmap();
    void op_mprotect();
    void op_msync();
    void op_file_read();
    // A legal access (most of the time): an area allowing acc, a valid page.
    void op_access();
    // An access chosen without regard to the areas: most of them kill.
    void op_wild_access();
    // Small-swap runs only: a process maps more private memory than frames
    // and slots together and writes every page, so someone is OOM-killed.
    void op_hog();
};

} // namespace os_stress

#endif
