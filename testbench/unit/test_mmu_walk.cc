// test_mmu_walk.cc - the walk rules of the RISC-V privileged specification
// 20211203 (4.3.1, 4.3.2 and 4.4) on the functional path: valid and reserved
// encodings at every level, superpage alignment, the permission matrix,
// canonical addresses, access faults outside DRAM, svade and svadu, Bare mode.
// Expected values come from the specification; each test names the rule.

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>

#include "mmu_fixture.h"

namespace mmutest {
namespace {

// ================================================================ walk rules
//
// mmu_translate only.  A configuration with L1, L2 and a walk cache so that
// "a faulting walk installs nothing" covers every structure.

class MmuWalk : public ::testing::Test {
protected:
    // The contract configuration with an L2 and a walk cache.
    static sim_config_t rules_config(ad_policy_t ad = AD_SVADE, vm_mode_t mode = VM_SV39)
    {
        sim_config_t c = contract_config();
        c.mode = mode;
        c.ad = ad;
        c.l2.entries = 16;
        c.l2.ways = 4;
        c.pwc.entries = 8;
        return c;
    }
    // A fresh MMU for c, empty tables at root (pointers from pool), paging on.
    void reset(const sim_config_t &c, uint64_t root = kRoot, uint64_t pool = 0x80100000ull)
    {
        pt_.reset();
        sim_.reset(new Sim(c));
        pt_.reset(new PageTable(sim_->dram, vm_levels(c.mode), root, pool));
        sim_->paging(root);
    }
    void SetUp() override { reset(rules_config()); }

    Sim &s() { return *sim_; }
    PageTable &pt() { return *pt_; }

    // Translates; a fault must leave every structure as it was.
    mmu_resp_t go(uint64_t va, acc_t acc, priv_t priv = PRIV_S, uint16_t asid = 0)
    {
        unsigned l1 = s().valid(TLB_L1), l1d = s().valid(TLB_L1D), l2 = s().valid(TLB_L2),
                 pwc = s().pwc_valid();
        mmu_resp_t r = s().tr(va, acc, priv, asid);
        if (r.fault != FAULT_NONE) {
            EXPECT_EQ(s().valid(TLB_L1), l1) << fault_name(r.fault) << " va " << std::hex << va;
            EXPECT_EQ(s().valid(TLB_L1D), l1d);
            EXPECT_EQ(s().valid(TLB_L2), l2);
            EXPECT_EQ(s().pwc_valid(), pwc) << fault_name(r.fault) << " va " << std::hex << va;
        }
        return r;
    }
    // Expects fault f for all three access types, with a fresh TLB each time.
    void expect_all(uint64_t va, bool page, const char *what)
    {
        for (int a = 0; a < ACC_COUNT; a++) {
            acc_t acc = (acc_t)a;
            s().fence_all();
            mmu_resp_t r = go(va, acc);
            EXPECT_EQ(r.fault, page ? fault_page(acc) : fault_access(acc)) << what << " acc " << acc_name(acc);
        }
    }

    std::unique_ptr<Sim> sim_;
    std::unique_ptr<PageTable> pt_;
};

TEST_F(MmuWalk, LeavesOfEveryLevelTranslate)
{
    pt().map(0x1000ull, 0x80005000ull, kRWX);                 // 4 KiB
    pt().map(0x40200000ull, 0x80400000ull, kRWX, 1);          // 2 MiB
    pt().map(0x80000000ull, 0xC0000000ull, kRWX, 2);          // 1 GiB
    pt().map(0xFFFFFFC000000000ull, 0x80000000ull, kRWX, 2);  // 1 GiB, top half
    EXPECT_EQ(go(0x1abcull, ACC_LOAD).pa, 0x80005abcull);
    EXPECT_EQ(go(0x403fedcbull, ACC_FETCH).pa, 0x805fedcbull);
    EXPECT_EQ(go(0xABCDEF01ull, ACC_STORE).pa, 0xEBCDEF01ull);
    mmu_resp_t r = go(0xFFFFFFC012345678ull, ACC_LOAD);
    EXPECT_EQ(r.fault, FAULT_NONE);
    EXPECT_EQ(r.pa, 0x92345678ull);
}

TEST_F(MmuWalk, InvalidAtEveryLevel)
{
    // Level 2 invalid (nothing mapped): page fault on the first read.
    expect_all(0x40000000ull, true, "V=0 at level 2");
    // Level 1 invalid.
    pt().slot(0x40000000ull, 1);
    expect_all(0x40000000ull, true, "V=0 at level 1");
    // Leaf with every bit but V set.
    pt().set(0x40000000ull, 0, PTE_MAKE(0x80005, 0x3fe));
    expect_all(0x40000000ull, true, "V=0 leaf");
    // The same leaf with V set works: nothing stale was cached.
    pt().set(0x40000000ull, 0, PTE_MAKE(0x80005, kRWX));
    EXPECT_EQ(go(0x40000000ull, ACC_LOAD).fault, FAULT_NONE);
    EXPECT_EQ(s().pwc_valid(), 2u);
}

TEST_F(MmuWalk, WriteWithoutReadIsReserved)
{
    pt().map(0x1000, 0x80005000ull, PTE_V | PTE_W | kAD);
    pt().map(0x2000, 0x80005000ull, PTE_V | PTE_W | PTE_X | kAD);
    pt().map(0x3000, 0x80005000ull, PTE_V | PTE_W | PTE_X | PTE_U | kAD);
    expect_all(0x1000, true, "W only");
    expect_all(0x2000, true, "W X");
    for (int a = 0; a < ACC_COUNT; a++) {
        s().fence_all();
        EXPECT_EQ(go(0x3000, (acc_t)a, PRIV_U).fault, fault_page((acc_t)a));
    }
    // W = 1 R = 0 as a would-be pointer (X = 0) is reserved too.
    pt().set(0x40000000ull, 1, PTE_MAKE(0x80123, PTE_V | PTE_W));
    expect_all(0x40000000ull, true, "W-only pointer");
}

TEST_F(MmuWalk, ReservedBits63To54)
{
    for (int bit = 54; bit <= 63; bit++) {
        uint64_t va = (uint64_t)(bit - 50) << 12; // a distinct 4 KiB page per bit
        pt().map(va, 0x80005000ull, kRWX);
        pt().write(pt().slot(va, 0), PTE_MAKE(0x80005, kRWX) | (1ull << bit));
        expect_all(va, true, "reserved bit in leaf");
        // In a pointer (level 1) too.
        uint64_t vb = 0x40000000ull + ((uint64_t)bit << 21);
        uint64_t t = pt().alloc();
        pt().set(vb, 1, PTE_MAKE(t >> 12, PTE_V) | (1ull << bit));
        pt().write(PageTable::pte_addr(t, vb, 0), PTE_MAKE(0x80005, kRWX));
        expect_all(vb, true, "reserved bit in pointer");
    }
}

TEST_F(MmuWalk, RswIsIgnored)
{
    uint64_t va = 0x40201000ull;
    uint64_t t = pt().alloc();
    pt().set(va, 1, PTE_MAKE(t >> 12, PTE_V | PTE_RSW_MASK));
    pt().write(PageTable::pte_addr(t, va, 0), PTE_MAKE(0x80005, kRWX | PTE_RSW_MASK));
    for (int a = 0; a < ACC_COUNT; a++) {
        s().fence_all();
        mmu_resp_t r = go(va + 0x10, (acc_t)a);
        EXPECT_EQ(r.fault, FAULT_NONE);
        EXPECT_EQ(r.pa, 0x80005010ull);
    }
}

TEST_F(MmuWalk, PointerAtLevelZero)
{
    uint64_t t = pt().alloc();
    pt().set(0x5000, 0, PTE_MAKE(t >> 12, PTE_V));
    pt().write(t + 5 * 8, PTE_MAKE(0x80005, kRWX));
    expect_all(0x5000, true, "pointer at level 0");
    // The same with G set.
    pt().set(0x5000, 0, PTE_MAKE(t >> 12, PTE_V | PTE_G));
    expect_all(0x5000, true, "global pointer at level 0");
}

TEST_F(MmuWalk, PointerWithAccessedDirtyOrUser)
{
    const uint64_t bits[] = {PTE_A, PTE_D, PTE_U};
    for (int i = 0; i < 3; i++) {
        uint64_t va = 0x40000000ull + ((uint64_t)i << 21);
        uint64_t t = pt().alloc();
        pt().set(va, 1, PTE_MAKE(t >> 12, PTE_V | bits[i]));
        pt().write(PageTable::pte_addr(t, va, 0), PTE_MAKE(0x80005, kRWX | PTE_U));
        expect_all(va, true, "reserved bit on pointer");
        // At level 2 as well.
        uint64_t vb = (uint64_t)(3 + i) << 30;
        uint64_t t1 = pt().alloc(), t0 = pt().alloc();
        pt().write(PageTable::pte_addr(kRoot, vb, 2), PTE_MAKE(t1 >> 12, PTE_V | bits[i]));
        pt().write(PageTable::pte_addr(t1, vb, 1), PTE_MAKE(t0 >> 12, PTE_V));
        pt().write(PageTable::pte_addr(t0, vb, 0), PTE_MAKE(0x80005, kRWX));
        expect_all(vb, true, "reserved bit on level-2 pointer");
    }
    // G on a pointer is allowed and makes the leaf global.
    uint64_t vg = 0x7ull << 30;
    uint64_t t1 = pt().alloc(), t0 = pt().alloc();
    pt().write(PageTable::pte_addr(kRoot, vg, 2), PTE_MAKE(t1 >> 12, PTE_V | PTE_G));
    pt().write(PageTable::pte_addr(t1, vg, 1), PTE_MAKE(t0 >> 12, PTE_V));
    pt().write(PageTable::pte_addr(t0, vg, 0), PTE_MAKE(0x80005, kRWX));
    s().fence_all();
    EXPECT_EQ(go(vg, ACC_LOAD, PRIV_S, 1).fault, FAULT_NONE);
    uint64_t reads = s().st().mem_reads;
    mmu_resp_t r = go(vg, ACC_LOAD, PRIV_S, 2); // other ASID: a hit on the global entry
    EXPECT_EQ(r.fault, FAULT_NONE);
    EXPECT_EQ(r.latency, 1u);
    EXPECT_EQ(s().st().mem_reads, reads);
}

TEST_F(MmuWalk, MisalignedSuperpages)
{
    // Level 1: PPN[0] != 0.
    pt().map(0x40200000ull, 0x80401000ull, kRWX, 1);
    expect_all(0x40200000ull, true, "misaligned 2 MiB");
    // Level 2: PPN[1] != 0, and PPN[0] != 0.
    pt().map(0x80000000ull, 0xC0200000ull, kRWX, 2);
    expect_all(0x80000000ull, true, "misaligned 1 GiB (PPN[1])");
    pt().map(0xC0000000ull, 0xC0001000ull, kRWX, 2);
    expect_all(0xC0000000ull, true, "misaligned 1 GiB (PPN[0])");
    // Aligned ones work.
    pt().map(0x40400000ull, 0x80400000ull, kRWX, 1);
    EXPECT_EQ(go(0x40412345ull, ACC_LOAD).pa, 0x80412345ull);
    pt().map(0x100000000ull, 0xC0000000ull, kRWX, 2);
    EXPECT_EQ(go(0x100012345ull, ACC_LOAD).pa, 0xC0012345ull);
}

TEST_F(MmuWalk, Sv48SuperpagesWithDramAtZero)
{
    // DRAM at 0 so that a 512 GiB page can land in it.
    sim_config_t c = rules_config(AD_SVADE, VM_SV48);
    c.dram.base = 0;
    c.dram.size = 2 * GiB;
    reset(c, 0x1000, 0x100000);
    const uint64_t va = (1ull << 39) + 0x12345678ull; // VPN[3] = 1
    pt().map(va, 0, kRWX, 3);
    mmu_resp_t r = go(va, ACC_LOAD);
    EXPECT_EQ(r.fault, FAULT_NONE);
    EXPECT_EQ(r.pa, 0x12345678ull);
    EXPECT_EQ(r.cycle, 1u + 4u + 1u + 21u); // s = a + T1 + T2 + Tp, one read
    // Misaligned 512 GiB: PPN[2:0] != 0, any of them.
    const uint64_t ppns[] = {1ull, 1ull << 9, 1ull << 18};
    for (int i = 0; i < 3; i++) {
        uint64_t vb = (uint64_t)(2 + i) << 39;
        pt().set(vb, 3, PTE_MAKE(ppns[i], kRWX));
        expect_all(vb, true, "misaligned 512 GiB");
    }
    // 512 GiB leaf mapping above DRAM: final PA outside DRAM.
    pt().map(6ull << 39, 1ull << 39, kRWX, 3);
    expect_all(6ull << 39, false, "512 GiB page outside DRAM");
    // Non-canonical for Sv48: bit 48 differing from bit 47.
    EXPECT_EQ(go(1ull << 48, ACC_LOAD).fault, FAULT_LOAD_PAGE);
    EXPECT_EQ(go(0xFFFF000000000000ull, ACC_STORE).fault, FAULT_STORE_PAGE);
    // Top half, canonical: 0xFFFF800000000000 has VPN[3] = 256.
    pt().map(0xFFFF800000000000ull, 0x40000000ull, kRWX, 2);
    r = go(0xFFFF800000001234ull, ACC_FETCH);
    EXPECT_EQ(r.fault, FAULT_NONE);
    EXPECT_EQ(r.pa, 0x40001234ull);
}

// flags, acc, priv, sum, mxr, allowed: RISC-V privileged spec 4.3.1 / 4.3.2 step 5.
struct PermCase {
    uint64_t perm;
    acc_t acc;
    priv_t priv;
    int sum, mxr;
    bool ok;
};
const PermCase kPermCases[] = {
    // U-mode needs U = 1 whatever SUM says.
    {PTE_R | PTE_W | PTE_X | PTE_U, ACC_LOAD, PRIV_U, 0, 0, true},
    {PTE_R | PTE_W | PTE_X | PTE_U, ACC_STORE, PRIV_U, 0, 0, true},
    {PTE_R | PTE_W | PTE_X | PTE_U, ACC_FETCH, PRIV_U, 0, 0, true},
    {PTE_R | PTE_W | PTE_X, ACC_LOAD, PRIV_U, 0, 0, false},
    {PTE_R | PTE_W | PTE_X, ACC_STORE, PRIV_U, 0, 0, false},
    {PTE_R | PTE_W | PTE_X, ACC_FETCH, PRIV_U, 0, 0, false},
    {PTE_R | PTE_W | PTE_X, ACC_LOAD, PRIV_U, 1, 0, false},
    // S-mode on U pages: loads/stores only with SUM, fetches never.
    {PTE_R | PTE_W | PTE_X | PTE_U, ACC_LOAD, PRIV_S, 0, 0, false},
    {PTE_R | PTE_W | PTE_X | PTE_U, ACC_LOAD, PRIV_S, 1, 0, true},
    {PTE_R | PTE_W | PTE_X | PTE_U, ACC_STORE, PRIV_S, 0, 0, false},
    {PTE_R | PTE_W | PTE_X | PTE_U, ACC_STORE, PRIV_S, 1, 0, true},
    {PTE_R | PTE_W | PTE_X | PTE_U, ACC_FETCH, PRIV_S, 0, 0, false},
    {PTE_R | PTE_W | PTE_X | PTE_U, ACC_FETCH, PRIV_S, 1, 0, false},
    {PTE_R | PTE_W | PTE_X | PTE_U, ACC_FETCH, PRIV_S, 1, 1, false},
    // S-mode on S pages.
    {PTE_R | PTE_W | PTE_X, ACC_FETCH, PRIV_S, 0, 0, true},
    {PTE_R | PTE_W, ACC_STORE, PRIV_S, 0, 0, true},
    {PTE_R, ACC_LOAD, PRIV_S, 0, 0, true},
    {PTE_R, ACC_STORE, PRIV_S, 0, 0, false},
    {PTE_R, ACC_FETCH, PRIV_S, 0, 0, false},
    {PTE_R | PTE_W, ACC_FETCH, PRIV_S, 0, 0, false},
    {PTE_R | PTE_X, ACC_LOAD, PRIV_S, 0, 0, true},
    {PTE_R | PTE_X, ACC_FETCH, PRIV_S, 0, 0, true},
    {PTE_R | PTE_X, ACC_STORE, PRIV_S, 0, 0, false},
    // MXR: execute-only pages become readable (loads only).
    {PTE_X, ACC_LOAD, PRIV_S, 0, 0, false},
    {PTE_X, ACC_LOAD, PRIV_S, 0, 1, true},
    {PTE_X, ACC_STORE, PRIV_S, 0, 1, false},
    {PTE_X, ACC_FETCH, PRIV_S, 0, 0, true},
    {PTE_X | PTE_U, ACC_LOAD, PRIV_U, 0, 0, false},
    {PTE_X | PTE_U, ACC_LOAD, PRIV_U, 0, 1, true},
    {PTE_X | PTE_U, ACC_LOAD, PRIV_S, 1, 1, true},
    {PTE_X | PTE_U, ACC_LOAD, PRIV_S, 0, 1, false},
    {PTE_X | PTE_U, ACC_FETCH, PRIV_S, 1, 1, false},
};

TEST_F(MmuWalk, Permissions)
{
    int i = 0;
    for (const PermCase &k : kPermCases) {
        uint64_t va = 0x10000000ull + ((uint64_t)i << 12);
        uint64_t pa = 0x80800000ull + ((uint64_t)i << 12);
        pt().map(va, pa, PTE_V | kAD | k.perm);
        s().paging(kRoot, k.sum, k.mxr);
        mmu_resp_t r = go(va + 0x44, k.acc, k.priv);
        if (k.ok) {
            EXPECT_EQ(r.fault, FAULT_NONE) << "case " << i;
            EXPECT_EQ(r.pa, pa + 0x44) << "case " << i;
        } else {
            EXPECT_EQ(r.fault, fault_page(k.acc)) << "case " << i;
        }
        // The same check on a TLB hit: put the page in the TLB with an
        // access that is allowed, then repeat the case.
        s().fence_all();
        s().paging(kRoot, 1, 1);
        mmu_resp_t warm = go(va, (k.perm & PTE_R) ? ACC_LOAD : ACC_FETCH, (k.perm & PTE_U) ? PRIV_U : PRIV_S);
        ASSERT_EQ(warm.fault, FAULT_NONE) << "case " << i;
        s().paging(kRoot, k.sum, k.mxr);
        uint64_t walks = s().st().walks;
        r = go(va + 0x44, k.acc, k.priv);
        EXPECT_EQ(s().st().walks, walks) << "case " << i; // a hit, with or without a fault
        EXPECT_EQ(r.latency, 1u) << "case " << i;
        EXPECT_EQ(r.fault, k.ok ? FAULT_NONE : fault_page(k.acc)) << "hit, case " << i;
        s().fence_all();
        i++;
    }
}

TEST_F(MmuWalk, NonCanonicalSv39)
{
    pt().map(0xFFFFFFC000000000ull, 0x80000000ull, kRWX, 2);
    const uint64_t bad[] = {1ull << 39, 0x0000004000000000ull, 0xFFFFFF8000000000ull,
                            0x8000000000000000ull, 0x7FFFFFC000000000ull};
    uint64_t reads = s().st().mem_reads, walks = s().st().walks;
    for (uint64_t va : bad) {
        for (int a = 0; a < ACC_COUNT; a++) {
            uint64_t now = mmu_now(s().m);
            mmu_resp_t r = go(va, (acc_t)a);
            EXPECT_EQ(r.fault, fault_page((acc_t)a)) << std::hex << va;
            EXPECT_EQ(r.cycle, now + 1); // a + T1, even with an L2 and a walk cache
        }
    }
    EXPECT_EQ(s().st().mem_reads, reads);
    EXPECT_EQ(s().st().walks, walks);
    EXPECT_EQ(go(0xFFFFFFC000000008ull, ACC_LOAD).pa, 0x80000008ull);
}

TEST_F(MmuWalk, PteAddressOutsideDram)
{
    // Root outside: access fault of the access type, no read.
    s().paging(0x10000);
    expect_all(0x1000, false, "root outside DRAM");
    s().paging(kBase + kSize);
    expect_all(0x1000, false, "root past the end");
    EXPECT_EQ(s().st().mem_reads, 0u);
    // A pointer at level 2 / level 1 to a table outside DRAM.
    s().paging(kRoot);
    pt().write(PageTable::pte_addr(kRoot, 0x40000000ull, 2), PTE_MAKE(0x7ffff, PTE_V)); // 0x7ffff000
    expect_all(0x40000000ull, false, "level-1 table below DRAM");
    pt().set(0x80000000ull, 1, PTE_MAKE((kBase + kSize) >> 12, PTE_V));
    expect_all(0x80000000ull, false, "level-0 table past DRAM");
    // The table in the last page of DRAM is fine.
    uint64_t last = kBase + kSize - PAGE_SIZE;
    pt().set(0xC0000000ull, 1, PTE_MAKE(last >> 12, PTE_V));
    pt().write(PageTable::pte_addr(last, 0xC01FF000ull, 0), PTE_MAKE(0x80005, kRWX));
    EXPECT_EQ(go(0xC01FF123ull, ACC_LOAD).pa, 0x80005123ull);
}

TEST_F(MmuWalk, FinalAddressOutsideDram)
{
    pt().map(0x1000, 0x10000000ull, kRWX);                 // below DRAM
    pt().map(0x2000, kBase + kSize, kRWX);                 // just past the end
    pt().map(0x3000, kBase + kSize - PAGE_SIZE, kRWX);     // last page: fine
    pt().map(0x40000000ull, 0x100000000ull, kRWX, 2);      // 1 GiB at 4 GiB: outside
    expect_all(0x1000, false, "PA below DRAM");
    expect_all(0x2000, false, "PA past DRAM");
    expect_all(0x40000000ull, false, "1 GiB PA past DRAM");
    mmu_resp_t r = go(0x3ff8, ACC_STORE);
    EXPECT_EQ(r.fault, FAULT_NONE);
    EXPECT_EQ(r.pa, kBase + kSize - 8);
    EXPECT_EQ(s().st().faults[FAULT_LOAD_ACCESS], 3u);
    EXPECT_EQ(s().st().faults[FAULT_STORE_ACCESS], 3u);
    EXPECT_EQ(s().st().faults[FAULT_FETCH_ACCESS], 3u);
}

TEST_F(MmuWalk, Svade)
{
    uint64_t leaf_a0 = PTE_MAKE(0x80005, PTE_V | PTE_R | PTE_W | PTE_X | PTE_D);
    uint64_t leaf_d0 = PTE_MAKE(0x80006, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A);
    uint64_t at_a0 = pt().set(0x1000, 0, leaf_a0);
    uint64_t at_d0 = pt().set(0x2000, 0, leaf_d0);
    expect_all(0x1000, true, "svade A = 0");
    EXPECT_EQ(s().peek(at_a0), leaf_a0);
    // D = 0: loads and fetches translate, stores fault.
    s().fence_all();
    EXPECT_EQ(go(0x2010, ACC_LOAD).pa, 0x80006010ull);
    EXPECT_EQ(go(0x2010, ACC_FETCH).fault, FAULT_NONE);
    // The store finds D = 0 in the TLB: a miss in L1 and L2, a walk, a page fault.
    uint64_t walks = s().st().walks;
    uint64_t l1_miss = s().st().tlb[TLB_L1].misses[ACC_STORE];
    uint64_t l2_miss = s().st().tlb[TLB_L2].misses[ACC_STORE];
    uint64_t l1_hit = s().st().tlb[TLB_L1].hits[ACC_STORE];
    unsigned l1 = s().valid(TLB_L1);
    mmu_resp_t r = go(0x2010, ACC_STORE);
    EXPECT_EQ(r.fault, FAULT_STORE_PAGE);
    EXPECT_EQ(s().st().walks, walks + 1);
    EXPECT_EQ(s().st().tlb[TLB_L1].misses[ACC_STORE], l1_miss + 1);
    EXPECT_EQ(s().st().tlb[TLB_L2].misses[ACC_STORE], l2_miss + 1);
    EXPECT_EQ(s().st().tlb[TLB_L1].hits[ACC_STORE], l1_hit);
    EXPECT_EQ(s().valid(TLB_L1), l1); // the D = 0 entry stays
    EXPECT_EQ(s().peek(at_d0), leaf_d0);
    EXPECT_EQ(s().st().mem_writes, 0u);
}

TEST_F(MmuWalk, Svadu)
{
    reset(rules_config(AD_SVADU));
    const uint64_t base = PTE_V | PTE_R | PTE_W | PTE_X | PTE_RSW_MASK;
    struct Case {
        uint64_t va, flags;
        acc_t acc;
        uint64_t set; // bits the walk must write
    } cases[] = {
        {0x1000, base, ACC_LOAD, PTE_A},
        {0x2000, base, ACC_FETCH, PTE_A},
        {0x3000, base, ACC_STORE, PTE_A | PTE_D},
        {0x4000, base | PTE_A, ACC_STORE, PTE_D},
        {0x5000, base | PTE_D, ACC_LOAD, PTE_A},
        {0x6000, base | PTE_G, ACC_STORE, PTE_A | PTE_D},
    };
    for (const Case &k : cases) {
        uint64_t leaf = PTE_MAKE(0x80005, k.flags);
        uint64_t at = pt().set(k.va, 0, leaf);
        uint64_t w = s().st().mem_writes;
        mmu_resp_t r = go(k.va, k.acc);
        EXPECT_EQ(r.fault, FAULT_NONE);
        EXPECT_EQ(s().peek(at), leaf | k.set) << std::hex << k.va;
        EXPECT_EQ(s().st().mem_writes, w + 1);
    }
    EXPECT_EQ(s().st().ad_updates, 6u);
    // Nothing to write: A (and D for a store) already set.
    uint64_t full = PTE_MAKE(0x80005, base | kAD);
    uint64_t at = pt().set(0x7000, 0, full);
    EXPECT_EQ(go(0x7000, ACC_STORE).fault, FAULT_NONE);
    EXPECT_EQ(s().peek(at), full);
    EXPECT_EQ(s().st().ad_updates, 6u);

    // No write when the walk faults before step 7: permission, misaligned
    // superpage, reserved bit, W without R.
    uint64_t ro = PTE_MAKE(0x80005, PTE_V | PTE_R);
    uint64_t at_ro = pt().set(0x8000, 0, ro);
    EXPECT_EQ(go(0x8000, ACC_STORE).fault, FAULT_STORE_PAGE);
    EXPECT_EQ(s().peek(at_ro), ro);
    uint64_t mis = PTE_MAKE(0x80401, PTE_V | PTE_R | PTE_W);
    uint64_t at_mis = pt().set(0x40200000ull, 1, mis);
    EXPECT_EQ(go(0x40200000ull, ACC_LOAD).fault, FAULT_LOAD_PAGE);
    EXPECT_EQ(s().peek(at_mis), mis);
    uint64_t res = PTE_MAKE(0x80005, PTE_V | PTE_R | PTE_W) | (1ull << 61);
    uint64_t at_res = pt().set(0x9000, 0, res);
    EXPECT_EQ(go(0x9000, ACC_LOAD).fault, FAULT_LOAD_PAGE);
    EXPECT_EQ(s().peek(at_res), res);
    uint64_t urs = PTE_MAKE(0x80005, PTE_V | PTE_R | PTE_U);
    uint64_t at_u = pt().set(0xa000, 0, urs);
    EXPECT_EQ(go(0xa000, ACC_LOAD, PRIV_S).fault, FAULT_LOAD_PAGE); // SUM = 0
    EXPECT_EQ(s().peek(at_u), urs);
    EXPECT_EQ(s().st().ad_updates, 6u);

    // Final PA outside DRAM: the A/D write happens, then the access fault
    // (docs/timing.md), at s + 3 * 21 + 21.
    uint64_t out = PTE_MAKE(0x10000, PTE_V | PTE_R | PTE_W);
    uint64_t at_out = pt().set(0xb000, 0, out);
    uint64_t now = mmu_now(s().m);
    s().fence_all(); // empties the walk cache too: a full walk
    mmu_resp_t r = go(0xb000, ACC_STORE);
    EXPECT_EQ(r.fault, FAULT_STORE_ACCESS);
    // a = now + 1; s = a + T1 + T2 + Tp = a + 6; r = s + 63 + 21.
    EXPECT_EQ(r.cycle, now + 1 + 6 + 63 + 21);
    EXPECT_EQ(s().peek(at_out), out | PTE_A | PTE_D);
    EXPECT_EQ(s().st().ad_updates, 7u);
}

TEST_F(MmuWalk, BareMode)
{
    s().csr(VM_BARE, kRoot);
    struct Case {
        uint64_t va;
        bool in;
    } cases[] = {
        {kBase, true}, {kBase + kSize - 1, true}, {0x80001234ull, true}, {kBase - 1, false},
        {kBase + kSize, false}, {0x1234, false}, {0xFFFFFFFF80001234ull, false},
    };
    for (const Case &k : cases) {
        for (int a = 0; a < ACC_COUNT; a++) {
            uint64_t now = mmu_now(s().m);
            mmu_resp_t r = go(k.va, (acc_t)a);
            EXPECT_EQ(r.cycle, now + 1) << std::hex << k.va; // a + T1
            if (k.in) {
                EXPECT_EQ(r.fault, FAULT_NONE);
                EXPECT_EQ(r.pa, k.va);
            } else {
                EXPECT_EQ(r.fault, fault_access((acc_t)a)) << std::hex << k.va;
            }
        }
    }
    EXPECT_EQ(s().st().mem_reads, 0u);
    EXPECT_EQ(s().st().walks, 0u);
    EXPECT_EQ(s().valid(TLB_L1), 0u);
    EXPECT_EQ(s().valid(TLB_L2), 0u);
    EXPECT_EQ(s().pwc_valid(), 0u);
}

TEST_F(MmuWalk, FaultInstallsNoPointers)
{
    // Two valid pointers, then a leaf with V = 0: the pointers read on the
    // way must not reach the walk cache; the next access walks from the root.
    uint64_t at = pt().set(0x40201000ull, 0, 0);
    EXPECT_EQ(go(0x40201000ull, ACC_LOAD).fault, FAULT_LOAD_PAGE);
    EXPECT_EQ(s().pwc_valid(), 0u);
    EXPECT_EQ(s().st().mem_reads, 3u);
    pt().write(at, PTE_MAKE(0x80005, kRWX));
    EXPECT_EQ(go(0x40201000ull, ACC_LOAD).fault, FAULT_NONE);
    EXPECT_EQ(s().st().mem_reads, 6u);
    EXPECT_EQ(s().st().pwc_misses, 2u);
    EXPECT_EQ(s().pwc_valid(), 2u);
}
} // namespace
} // namespace mmutest
