// mmu_fixture.h - what the MMU suites (test_mmu_*.cc) share: the contract
// configuration of docs/timing.md, one MMU on its own DRAM, a page-table
// builder, and the cycle-level ports with a request flown through them.
#ifndef MMUSIM_MMU_FIXTURE_H
#define MMUSIM_MMU_FIXTURE_H

#include <cstdint>
#include <functional>
#include <map>

#include "config.h"
#include "dram.h"
#include "memport.h"
#include "mmu.h"

namespace mmutest {

constexpr uint64_t GiB = 1ull << 30;
// DRAM of the contract configuration, and the root table the tests use.
constexpr uint64_t kBase = 0x80000000ull;
constexpr uint64_t kSize = 0x80000000ull;
constexpr uint64_t kRoot = 0x80001000ull;

// Leaf flag sets used throughout.
constexpr uint64_t kAD = PTE_A | PTE_D;
constexpr uint64_t kRW = PTE_V | PTE_R | PTE_W | kAD;
constexpr uint64_t kRWX = PTE_V | PTE_R | PTE_W | PTE_X | kAD;

// The page of the timing examples: VPN[2] = 1, VPN[1] = 1, VPN[0] = 3, offset 0x567.
constexpr uint64_t kVa = 0x40203567ull;
constexpr uint64_t kPa = 0x80100000ull;

// The configuration docs/timing.md's examples assume, every field set
// explicitly so that no test depends on config_defaults().
sim_config_t contract_config();

// A request / an sfence.vma with the given fields, the rest zero.
mmu_req_t make_req(uint64_t va, acc_t acc, priv_t priv = PRIV_S, uint16_t asid = 0, int replay = 0);
mmu_sfence_t make_fence(int use_va, uint64_t va, int use_asid, uint16_t asid);

// One MMU on its own DRAM, at cycle 0 with satp Bare; checks cfg is valid.
struct Sim {
    sim_config_t cfg;
    dram_t *dram = nullptr;
    mmu_t *m = nullptr;

    explicit Sim(const sim_config_t &c);
    ~Sim();
    Sim(const Sim &) = delete;
    Sim &operator=(const Sim &) = delete;

    // Sets satp (root given as a byte address), SUM and MXR.
    void csr(vm_mode_t mode, uint64_t root, int sum = 0, int mxr = 0);
    // Paging in the configured mode.
    void paging(uint64_t root = kRoot, int sum = 0, int mxr = 0) { csr(cfg.mode, root, sum, mxr); }
    // Functional translation; the returned fault and resp.fault must agree.
    mmu_resp_t tr(uint64_t va, acc_t acc, priv_t priv = PRIV_S, uint16_t asid = 0, int replay = 0);
    // Functional sfence.vma of everything (one cycle).
    void fence_all();
    // The statistics so far.
    const mmu_stats_t &st() const { return *mmu_stats(m); }
    // The word at pa of this MMU's DRAM.
    uint64_t peek(uint64_t pa);
    // Valid entries of a TLB / the walk cache; 0 when absent.
    unsigned valid(int which);
    unsigned pwc_valid();
};

// Page-table builder: writes PTEs with dram_write64.  The tables its pointers
// need come from a bump allocator starting at pool.
class PageTable {
public:
    PageTable(dram_t *d, int levels, uint64_t root = kRoot, uint64_t pool = 0x80100000ull);
    // Address of va's PTE of `level` in table.
    static uint64_t pte_addr(uint64_t table, uint64_t va, int level);
    // A fresh zeroed table page.
    uint64_t alloc();
    // Address of the PTE of level on va's walk; missing pointers (V only) are created.
    uint64_t slot(uint64_t va, int level);
    // A leaf of level for va mapping pa with flags; returns the PTE's address.
    uint64_t map(uint64_t va, uint64_t pa, uint64_t flags, int level = 0);
    // Writes the raw pte at the slot of level for va; returns its address.
    uint64_t set(uint64_t va, int level, uint64_t pte);

    // One word of the image, checked to be inside DRAM.
    void write(uint64_t a, uint64_t v);

private:
    uint64_t read(uint64_t a);

    dram_t *d_;
    int levels_;
    uint64_t root_, next_;
};

// A memport_t on a DRAM image: ready_pct percent of cycles accept a request.
struct Port {
    memport_t p;
    Port(dram_t *d, const dram_cfg_t &c, unsigned ready_pct = 100, uint32_t seed = 1);
    ~Port();
    Port(const Port &) = delete;
    Port &operator=(const Port &) = delete;
};

// The timing examples' set-up: kVa mapped to kPa by a 4 KiB leaf with flags,
// paging on, and an always-ready port for the cycle-level path.
struct OnePage : Sim {
    PageTable pt;
    Port port;
    explicit OnePage(const sim_config_t &c, uint64_t flags = kRW);
};

// One cycle of the cycle-level path: memory inputs, outputs, then the clock edge.
mmu_out_t run_cycle(mmu_t *m, memport_t *p, mmu_in_t in);

// One request flown through the cycle-level ports.
struct Flight {
    uint64_t accept = UINT64_MAX;
    bool done = false;
    mmu_resp_t resp{};
    std::map<uint64_t, int> ready; // cycle -> req_ready
};

// Called at the start of each cycle with its number and its inputs, to add
// events (a fence, a CSR write) to that cycle.
using CycleHook = std::function<void(uint64_t now, mmu_in_t &in)>;

// Offers q from the current cycle until it is accepted and runs it to its
// response, calling hook (when given) before each cycle's evaluation.
Flight fly(Sim &s, memport_t *p, const mmu_req_t &q, const CycleHook &hook = nullptr);

} // namespace mmutest

#endif
