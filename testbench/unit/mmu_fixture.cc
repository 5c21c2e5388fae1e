// mmu_fixture.cc - the MMU suites' shared set-up (see mmu_fixture.h).
#include "mmu_fixture.h"

#include <gtest/gtest.h>

#include <cstring>

#include "tlb.h"

namespace mmutest {

sim_config_t contract_config()
{
    sim_config_t c;
    config_defaults(&c);
    c.mode = VM_SV39;
    // {entries, ways (0: fully associative), policy, latency, seed}
    c.l1 = {32, 0, REPL_LRU, 1, 1};
    c.l1_split = 0;
    c.l2 = {0, 4, REPL_LRU, 4, 1}; // absent
    c.pwc = {0, 0, REPL_LRU, 1, 1}; // absent
    c.ad = AD_SVADE;
    // {base, size, timing, latency, banks, row_bytes, tCL, tRCD, tRP, tRAS}
    c.dram = {kBase, kSize, DRAM_FIXED, 20, 8, 8192, 14, 14, 14, 33};
    return c;
}

mmu_req_t make_req(uint64_t va, acc_t acc, priv_t priv, uint16_t asid, int replay)
{
    mmu_req_t q;
    std::memset(&q, 0, sizeof q);
    q.va = va;
    q.acc = acc;
    q.priv = priv;
    q.asid = asid;
    q.replay = replay;
    return q;
}

mmu_sfence_t make_fence(int use_va, uint64_t va, int use_asid, uint16_t asid)
{
    mmu_sfence_t f;
    std::memset(&f, 0, sizeof f);
    f.valid = 1;
    f.use_va = use_va;
    f.va = va;
    f.use_asid = use_asid;
    f.asid = asid;
    return f;
}

Sim::Sim(const sim_config_t &c) : cfg(c)
{
    char err[256] = "";
    EXPECT_EQ(config_validate(&cfg, err, sizeof err), 0) << err;
    dram = dram_create(cfg.dram.base, cfg.dram.size);
    EXPECT_NE(dram, nullptr);
    m = mmu_create(&cfg, dram);
    EXPECT_NE(m, nullptr);
}

Sim::~Sim()
{
    mmu_destroy(m);
    dram_destroy(dram);
}

void Sim::csr(vm_mode_t mode, uint64_t root, int sum, int mxr)
{
    mmu_csr_t c;
    std::memset(&c, 0, sizeof c);
    c.mode = mode;
    c.root_ppn = root >> 12;
    c.sum = sum;
    c.mxr = mxr;
    mmu_set_csr(m, &c);
}

mmu_resp_t Sim::tr(uint64_t va, acc_t acc, priv_t priv, uint16_t asid, int replay)
{
    mmu_req_t q = make_req(va, acc, priv, asid, replay);
    mmu_resp_t r;
    std::memset(&r, 0, sizeof r);
    fault_t f = mmu_translate(m, &q, &r);
    EXPECT_EQ(f, r.fault);
    return r;
}

void Sim::fence_all()
{
    mmu_sfence_t f = make_fence(0, 0, 0, 0);
    mmu_sfence(m, &f);
}

uint64_t Sim::peek(uint64_t pa)
{
    uint64_t v = 0;
    EXPECT_EQ(dram_read64(dram, pa, &v), 0);
    return v;
}

unsigned Sim::valid(int which)
{
    struct tlb *t = mmu_tlb(m, which);
    return t ? tlb_count_valid(t) : 0u;
}

unsigned Sim::pwc_valid()
{
    struct tlb *t = mmu_pwc(m);
    return t ? tlb_count_valid(t) : 0u;
}

PageTable::PageTable(dram_t *d, int levels, uint64_t root, uint64_t pool)
    : d_(d), levels_(levels), root_(root), next_(pool)
{
}

uint64_t PageTable::pte_addr(uint64_t table, uint64_t va, int level)
{
    return table + vm_vpn_index(va, level) * PTE_SIZE;
}

uint64_t PageTable::alloc()
{
    uint64_t t = next_;
    next_ += PAGE_SIZE;
    return t;
}

uint64_t PageTable::slot(uint64_t va, int level)
{
    uint64_t table = root_;
    for (int i = levels_ - 1; i > level; i--) {
        uint64_t a = pte_addr(table, va, i);
        uint64_t pte = read(a);
        if (pte == 0) {
            uint64_t t = alloc();
            write(a, PTE_MAKE(t >> 12, PTE_V));
            table = t;
        } else {
            EXPECT_TRUE((pte & PTE_V) && !(pte & (PTE_R | PTE_W | PTE_X)))
                << "builder: level " << i << " of va " << std::hex << va << " is not a pointer";
            table = PTE_PPN(pte) << 12;
        }
    }
    return pte_addr(table, va, level);
}

uint64_t PageTable::map(uint64_t va, uint64_t pa, uint64_t flags, int level)
{
    uint64_t a = slot(va, level);
    write(a, PTE_MAKE(pa >> 12, flags));
    return a;
}

uint64_t PageTable::set(uint64_t va, int level, uint64_t pte)
{
    uint64_t a = slot(va, level);
    write(a, pte);
    return a;
}

void PageTable::write(uint64_t a, uint64_t v) { EXPECT_EQ(dram_write64(d_, a, v), 0) << std::hex << a; }

uint64_t PageTable::read(uint64_t a)
{
    uint64_t v = 0;
    EXPECT_EQ(dram_read64(d_, a, &v), 0) << std::hex << a;
    return v;
}

Port::Port(dram_t *d, const dram_cfg_t &c, unsigned ready_pct, uint32_t seed)
{
    EXPECT_EQ(memport_init(&p, d, &c, ready_pct, seed), 0);
}

Port::~Port() { memport_fini(&p); }

OnePage::OnePage(const sim_config_t &c, uint64_t flags)
    : Sim(c), pt(dram, vm_levels(c.mode)), port(dram, c.dram)
{
    pt.map(kVa, kPa, flags);
    paging();
}

mmu_out_t run_cycle(mmu_t *m, memport_t *p, mmu_in_t in)
{
    uint64_t now = mmu_now(m);
    mmu_out_t out;
    memport_drive(p, now, &in);
    mmu_eval(m, &in, &out);
    memport_clock(p, now, &out, &in);
    mmu_clock(m, &in);
    return out;
}

Flight fly(Sim &s, memport_t *p, const mmu_req_t &q, const CycleHook &hook)
{
    Flight fl;
    for (int guard = 0; guard < 100000 && !fl.done; guard++) {
        uint64_t now = mmu_now(s.m);
        mmu_in_t in{};
        in.req_valid = fl.accept == UINT64_MAX;
        in.req = q;
        if (hook)
            hook(now, in);
        mmu_out_t out = run_cycle(s.m, p, in);
        fl.ready[now] = out.req_ready;
        if (in.req_valid && out.req_ready)
            fl.accept = now;
        if (out.resp_valid) {
            fl.done = true;
            fl.resp = out.resp;
        }
    }
    EXPECT_TRUE(fl.done);
    return fl;
}

} // namespace mmutest
