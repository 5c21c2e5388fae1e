// ref_mmu.cc - the reference MMU (see ref_mmu.h).
#include "ref_mmu.h"

#include <algorithm>
#include <cstring>

#include "ref_pte.h"

using namespace ref_pte;

fault_t ref_page_fault(acc_t a)
{
    return a == ACC_LOAD ? FAULT_LOAD_PAGE : a == ACC_STORE ? FAULT_STORE_PAGE : FAULT_FETCH_PAGE;
}

fault_t ref_access_fault(acc_t a)
{
    return a == ACC_LOAD ? FAULT_LOAD_ACCESS : a == ACC_STORE ? FAULT_STORE_ACCESS : FAULT_FETCH_ACCESS;
}

bool ref_perm(uint64_t pte, acc_t acc, priv_t priv, int sum, int mxr)
{
    // U-mode only on U pages; S-mode on U pages only with SUM, and never to execute.
    bool u = (pte & U) != 0;
    if (priv == PRIV_U && !u)
        return false;
    if (priv == PRIV_S && u && (acc == ACC_FETCH || !sum))
        return false;
    if (acc == ACC_LOAD)
        return (pte & R) || (mxr && (pte & X));
    if (acc == ACC_STORE)
        return (pte & W) != 0;
    return (pte & X) != 0;
}

bool ref_canonical(uint64_t va, int levels)
{
    int width = 12 + 9 * levels;
    uint64_t top = va >> (width - 1);
    return top == 0 || top == (~0ull >> (width - 1));
}

RefWalk ref_walk(RefMem &mem, uint64_t va, acc_t acc, priv_t priv, int sum, int mxr, ad_policy_t ad,
                 uint64_t base, uint64_t size, int level, uint64_t table, bool global,
                 const std::function<void(uint64_t, bool)> &mem_op)
{
    RefWalk w;
    w.global = global;
    auto in_dram = [&](uint64_t a, uint64_t len) { return a >= base && a - base <= size - len; };
    for (;;) {
        // Step 2: the PTE at table + VPN[level] * 8; outside memory it is an access fault.
        uint64_t a = table + ((va >> (12 + 9 * level)) & 511) * 8;
        if (!in_dram(a, 8)) {
            w.fault = ref_access_fault(acc);
            return w;
        }
        mem_op(a, false);
        uint64_t pte = mem.count(a) ? mem[a] : 0;
        // Step 3: invalid, W without R, or a reserved bit set.
        if (!(pte & V) || (!(pte & R) && (pte & W)) || (pte >> kReservedShift) != 0) {
            w.fault = ref_page_fault(acc);
            return w;
        }
        uint64_t p = ref_pte::ppn(pte);
        if (!(pte & (R | X))) {
            // Step 4: a pointer; A, D and U are reserved on it, and level 0 has none.
            if ((pte & (A | D | U)) || level == 0) {
                w.fault = ref_page_fault(acc);
                return w;
            }
            w.global = w.global || (pte & G);
            w.ptrs.push_back({level, p, w.global});
            table = p << 12;
            level--;
            continue;
        }
        w.global = w.global || (pte & G);
        // Step 5: permissions; step 6: a superpage's low PPN fields must be zero.
        uint64_t low = (1ull << (9 * level)) - 1;
        if (!ref_perm(pte, acc, priv, sum, mxr) || (p & low)) {
            w.fault = ref_page_fault(acc);
            return w;
        }
        // Step 7: A, and D on a store: svade faults, svadu writes them.
        uint64_t need = A | (acc == ACC_STORE ? D : 0);
        if ((pte & need) != need) {
            if (ad == AD_SVADE) {
                w.fault = ref_page_fault(acc);
                return w;
            }
            pte |= need;
            mem_op(a, true);
            mem[a] = pte;
        }
        w.leaf = pte;
        w.leaf_level = level;
        w.pa = (((p & ~low) | ((va >> 12) & low)) << 12) | (va & 0xfff);
        w.fault = in_dram(w.pa, 1) ? FAULT_NONE : ref_access_fault(acc);
        return w;
    }
}

RefMmu::RefMmu(const sim_config_t &c, const RefMem &mem) : cfg_(c), mem_(mem), dram_(c.dram)
{
    std::memset(&st_, 0, sizeof st_);
    std::memset(&csr_, 0, sizeof csr_);
    csr_.mode = VM_BARE;
    tlb_[TLB_L1].reset(new RefAssoc(c.l1, 0, 3));
    if (c.l1_split)
        tlb_[TLB_L1D].reset(new RefAssoc(c.l1, 0, 3));
    if (c.l2.entries)
        tlb_[TLB_L2].reset(new RefAssoc(c.l2, 0, 3));
    if (c.pwc.entries)
        pwc_.reset(new RefAssoc(c.pwc, 1, 3));
}

// Looks q up in t (counting into c); true when t answers: a hit, with or
// without a permission fault.  A store that finds D = 0 is a miss.
bool RefMmu::probe(RefAssoc &t, tlb_counts_t &c, const mmu_req_t &q, uint64_t vpn, RefEntry &got,
                   fault_t &fault, uint64_t &pa)
{
    const acc_t acc = q.acc;
    c.lookups[acc]++;
    int idx = t.lookup(vpn, q.asid);
    if (idx < 0) {
        c.misses[acc]++;
        return false;
    }
    const RefEntry &e = t.at((unsigned)idx);
    if (ref_perm(e.flags, acc, q.priv, csr_.sum, csr_.mxr)) {
        if (acc == ACC_STORE && !(e.flags & D)) {
            c.misses[acc]++;
            return false;
        }
        uint64_t low = (1ull << (9 * e.level)) - 1;
        pa = (((e.ppn & ~low) | (vpn & low)) << 12) | (q.va & 0xfff);
        fault = in_dram(pa) ? FAULT_NONE : ref_access_fault(acc);
    } else {
        fault = ref_page_fault(acc);
    }
    c.hits[acc]++;
    t.touch(idx);
    got = e;
    return true;
}

// The walk of a request that missed every TLB, from cycle t (after the TLB
// lookups): walk cache, then the PTE reads; returns the response cycle.
uint64_t RefMmu::walk(const mmu_req_t &q, int levels, uint64_t vpn, int which, uint64_t t, bool no_install,
                      fault_t &fault, uint64_t &pa, uint64_t &start)
{
    st_.walks++;
    int level = levels - 1;
    uint64_t table = csr_.root_ppn << 12;
    bool global = false;
    if (pwc_) {
        t += cfg_.pwc.latency;
        st_.cycles_pwc += cfg_.pwc.latency;
        st_.pwc_lookups++;
        int idx = pwc_->lookup(vpn, q.asid);
        if (idx >= 0) {
            const RefEntry &e = pwc_->at((unsigned)idx);
            pwc_->touch(idx);
            st_.pwc_hits[e.level]++;
            level = e.level - 1;
            table = e.ppn << 12;
            global = (e.flags & G) != 0;
        } else {
            st_.pwc_misses++;
        }
    }
    start = t;
    // Each memory access takes its latency, then one action cycle.
    RefWalk w = ref_walk(mem_, q.va, q.acc, q.priv, csr_.sum, csr_.mxr, cfg_.ad, cfg_.dram.base, cfg_.dram.size,
                         level, table, global, [&](uint64_t addr, bool wr) {
                             t += dram_.access(addr, t) + 1;
                             if (wr) {
                                 st_.mem_writes++;
                                 st_.ad_updates++;
                             } else {
                                 st_.mem_reads++;
                             }
                         });
    fault = w.fault;
    pa = w.pa;
    if (fault == FAULT_NONE)
        st_.walks_leaf[w.leaf_level]++;
    if (fault != FAULT_NONE || no_install)
        return t;
    RefEntry e;
    e.valid = true;
    e.level = w.leaf_level;
    e.tag = vpn >> (9 * w.leaf_level);
    e.ppn = ref_pte::ppn(w.leaf);
    e.asid = q.asid;
    e.flags = (uint8_t)((w.leaf & 0xff & ~G) | (w.global ? G : 0));
    if (tlb_[TLB_L2])
        tlb_[TLB_L2]->fill(e);
    tlb_[which]->fill(e);
    if (pwc_) {
        for (const RefWalk::Ptr &p : w.ptrs) {
            RefEntry pe;
            pe.valid = true;
            pe.level = p.level;
            pe.tag = vpn >> (9 * p.level);
            pe.ppn = p.ppn;
            pe.asid = q.asid;
            pe.flags = (uint8_t)(V | (p.global ? G : 0));
            pwc_->fill(pe);
        }
    }
    return t;
}

mmu_resp_t RefMmu::translate(const mmu_req_t &q, bool no_install)
{
    const uint64_t a = now_;
    const acc_t acc = q.acc;
    st_.requests++;
    st_.replays += q.replay != 0;
    tlb_counts_t *cnt = q.replay ? st_.tlb_replay : st_.tlb;
    int levels = csr_.mode == VM_SV39 ? 3 : csr_.mode == VM_SV48 ? 4 : 0;
    uint64_t t = a + cfg_.l1.latency, walk_start = 0;
    fault_t fault = FAULT_NONE;
    uint64_t pa = 0;
    bool walked = false;
    st_.cycles_l1 += cfg_.l1.latency;

    if (levels == 0) {
        pa = q.va;
        fault = in_dram(q.va) ? FAULT_NONE : ref_access_fault(acc);
    } else if (!ref_canonical(q.va, levels)) {
        fault = ref_page_fault(acc);
    } else {
        const int which = cfg_.l1_split && acc != ACC_FETCH ? TLB_L1D : TLB_L1;
        const uint64_t vpn = (q.va >> 12) & ((1ull << (9 * levels)) - 1);
        RefEntry got;
        bool answered = probe(*tlb_[which], cnt[which], q, vpn, got, fault, pa);
        if (!answered && tlb_[TLB_L2]) {
            t += cfg_.l2.latency;
            st_.cycles_l2 += cfg_.l2.latency;
            answered = probe(*tlb_[TLB_L2], cnt[TLB_L2], q, vpn, got, fault, pa);
            if (answered && fault == FAULT_NONE && !no_install)
                tlb_[which]->fill(got);
        }
        if (!answered) {
            walked = true;
            t = walk(q, levels, vpn, which, t, no_install, fault, pa, walk_start);
        }
    }
    mmu_resp_t r;
    std::memset(&r, 0, sizeof r);
    r.fault = fault;
    r.pa = fault == FAULT_NONE ? pa : 0;
    r.cycle = t;
    r.latency = t - a;
    if (fault != FAULT_NONE)
        st_.faults[fault]++;
    if (walked) {
        st_.walk_cycles += r.latency;
        st_.walk_lookup_cycles += walk_start - a;
        st_.cycles_walk += t - walk_start;
        st_.walk_latency[std::min<uint64_t>(r.latency, WALK_HIST_BUCKETS - 1)]++;
    }
    st_.cycles = t + 1;
    now_ = t + 1;
    return r;
}

void RefMmu::sfence_in_flight(const mmu_sfence_t &f)
{
    flush(f);
    st_.sfences++;
}

void RefMmu::sfence(const mmu_sfence_t &f)
{
    flush(f);
    st_.sfences++;
    st_.cycles = now_ + 1;
    now_++;
}

// The fence's VA is read in the width of the configured mode, which is
// docs/tlb.md's rule because satp is either that mode or Bare.  The streams
// fence only canonical VAs, so "a non-canonical VA removes nothing" is not
// modelled here.
void RefMmu::flush(const mmu_sfence_t &f)
{
    int levels = cfg_.mode == VM_SV48 ? 4 : 3;
    uint64_t vpn = (f.va >> 12) & ((1ull << (9 * levels)) - 1);
    for (auto &t : tlb_)
        if (t)
            t->flush(f.use_va, vpn, f.use_asid, f.asid);
    if (pwc_)
        pwc_->flush(f.use_va, vpn, f.use_asid, f.asid);
}
