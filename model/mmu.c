/*
 * mmu.c - the MMU: TLB levels, walk cache and walker put together under
 * the timing contract of docs/timing.md.
 *
 * A request goes through mmu_start() (canonical check, TLB lookups, walk
 * cache, all decided on the accept cycle because nothing but a fence can
 * change the structures while it is in flight, and a fence only stops the
 * fills), then through the walker's actions, then mmu_finish() (fills and
 * statistics).  The functional path and the cycle-level path differ only in
 * how they wait for memory: the first jumps over the latency, the second
 * steps through it with the ports of the RTL.  The functional path's hit
 * shortcuts are in mmu_hit.c.
 */
#include "mmu.h"

#include <stdlib.h>
#include <string.h>

#include "mmu_int.h"
#include "panic.h"
#include "ptw.h"
#include "tlb.h"

/* Recomputes the shortcut's view of m->csr. */
static void mmu_derive_csr(mmu_t *m)
{
    mmu_forget_hits(m);
    m->levels = vm_levels(m->csr.mode);
    m->va_shift = 64 - (PAGE_SHIFT + VPN_BITS * m->levels);
    m->vpn_mask = (1ULL << (VPN_BITS * m->levels)) - 1;
    m->hit_ok = m->hit_ok_all[m->csr.sum != 0][m->csr.mxr != 0];
}

mmu_t *mmu_create(const sim_config_t *cfg, dram_t *dram)
{
    mmu_t *m = calloc(1, sizeof(*m));
    int top = MAX_LEVELS - 1;

    if (!m)
        return NULL;
    m->cfg = *cfg;
    m->dram = dram;
    m->csr.mode = VM_BARE;
    for (int acc = 0; acc < ACC_COUNT; acc++)
        m->l1_which[acc] = cfg->l1_split && acc != ACC_FETCH ? TLB_L1D : TLB_L1;
    for (int level = 0; level < MAX_LEVELS; level++)
        m->page_mask[level] = vm_page_bytes(level) - 1;
    mmu_build_hit_table(m);
    mmu_derive_csr(m);
    m->timer = dram_timer_create(&cfg->dram);
    m->tlb[TLB_L1] = tlb_create(&cfg->l1, 0, top);
    if (!m->timer || !m->tlb[TLB_L1])
        goto fail;
    if (cfg->l1_split) {
        assoc_cfg_t l1d = config_l1d(cfg);
        if (!(m->tlb[TLB_L1D] = tlb_create(&l1d, 0, top)))
            goto fail;
    }
    if (cfg->l2.entries && !(m->tlb[TLB_L2] = tlb_create(&cfg->l2, 0, top)))
        goto fail;
    if (cfg->pwc.entries && !(m->pwc = tlb_create(&cfg->pwc, 1, top)))
        goto fail;
    return m;
fail:
    mmu_destroy(m);
    return NULL;
}

void mmu_destroy(mmu_t *m)
{
    if (!m)
        return;
    for (int i = 0; i < TLB_COUNT; i++)
        tlb_destroy(m->tlb[i]);
    tlb_destroy(m->pwc);
    dram_timer_destroy(m->timer);
    free(m);
}

void mmu_set_csr(mmu_t *m, const mmu_csr_t *csr)
{
    if (csr->mode != VM_BARE && csr->mode != VM_SV39 && csr->mode != VM_SV48)
        panic("mode %d", (int)csr->mode);
    /* an unchanged CSR keeps mmu_translate_refs' memory of the last hits */
    if (m->csr.mode == csr->mode && m->csr.root_ppn == csr->root_ppn && m->csr.sum == csr->sum &&
        m->csr.mxr == csr->mxr)
        return;
    m->csr = *csr;
    mmu_derive_csr(m);
}

void mmu_set_ad(mmu_t *m, ad_policy_t ad) { m->cfg.ad = ad; }
const mmu_csr_t *mmu_csr(const mmu_t *m) { return &m->csr; }
const mmu_stats_t *mmu_stats(const mmu_t *m) { return &m->st; }

void mmu_stats_reset(mmu_t *m)
{
    memset(&m->st, 0, sizeof m->st);
    m->st.cycle0 = m->st.cycles = m->now;
}
const sim_config_t *mmu_config(const mmu_t *m) { return &m->cfg; }
uint64_t mmu_now(const mmu_t *m) { return m->now; }
int mmu_idle(const mmu_t *m) { return m->state == ST_IDLE; }
struct tlb *mmu_tlb(mmu_t *m, int which) { return (unsigned)which < TLB_COUNT ? m->tlb[which] : NULL; }
struct tlb *mmu_pwc(mmu_t *m) { return m->pwc; }


/*
 * Looks the request up in TLB t (counting into c); 1 when t answers it (a
 * hit, with or without a fault), 0 to go on to the next level.
 */
static int mmu_tlb_answer(mmu_t *m, tlb_t *t, tlb_counts_t *c, uint64_t vpn, uint64_t cycle)
{
    flight_t *x = &m->x;
    const tlb_entry_t *e;
    acc_t acc = x->req.acc;
    int idx;

    c->lookups[acc]++;
    idx = tlb_lookup(t, vpn, x->req.asid);
    if (idx < 0) {
        c->misses[acc]++;
        return 0;
    }
    e = tlb_entry(t, idx);
    if (ptw_perm_ok(e->flags, acc, x->req.priv, x->csr.sum, x->csr.mxr)) {
        if (acc == ACC_STORE && !(e->flags & PTE_D)) {
            c->misses[acc]++; /* D must reach memory first: walk again */
            return 0;
        }
        x->pa = ptw_leaf_pa(x->req.va, e->ppn, e->level);
        x->fault = mmu_pa_ok(m, x->pa) ? FAULT_NONE : fault_access(acc);
    } else {
        x->fault = fault_page(acc);
    }
    c->hits[acc]++;
    tlb_touch(t, idx);
    x->l1_entry = *e;
    x->ready = cycle;
    m->state = ST_FRONT;
    return 1;
}

/* Accepts req in the current cycle and decides its path (docs/timing.md). */
static void mmu_start(mmu_t *m, const mmu_req_t *req)
{
    flight_t *x = &m->x;
    const sim_config_t *cfg = &m->cfg;
    int levels = vm_levels(m->csr.mode);
    tlb_counts_t *counts = req->replay ? m->st.tlb_replay : m->st.tlb;
    uint64_t cycle = m->now + cfg->l1.latency;
    uint64_t vpn, table;
    int level, global = 0;

    x->walked = 0;
    x->no_install = 0;
    x->fill_l1 = 0;
    x->req = *req;
    x->csr = m->csr;
    x->accept = m->now;
    x->which = cfg->l1_split && req->acc != ACC_FETCH ? TLB_L1D : TLB_L1;
    m->st.requests++;
    m->st.replays += req->replay != 0;
    m->st.cycles_l1 += cfg->l1.latency;
    if (levels == 0 || !vm_canonical(req->va, levels)) {
        x->pa = req->va;
        x->fault = levels ? fault_page(req->acc) : mmu_pa_ok(m, req->va) ? FAULT_NONE : fault_access(req->acc);
        x->ready = cycle;
        m->state = ST_FRONT;
        return;
    }
    vpn = vm_vpn(req->va, levels);
    if (mmu_tlb_answer(m, m->tlb[x->which], &counts[x->which], vpn, cycle))
        return;
    if (m->tlb[TLB_L2]) {
        cycle += cfg->l2.latency;
        m->st.cycles_l2 += cfg->l2.latency;
        if (mmu_tlb_answer(m, m->tlb[TLB_L2], &counts[TLB_L2], vpn, cycle)) {
            x->fill_l1 = x->fault == FAULT_NONE;
            return;
        }
    }
    x->walked = 1;
    m->st.walks++;
    level = levels - 1;
    table = x->csr.root_ppn;
    if (m->pwc) {
        int idx = tlb_lookup(m->pwc, vpn, req->asid);
        cycle += cfg->pwc.latency;
        m->st.cycles_pwc += cfg->pwc.latency;
        m->st.pwc_lookups++;
        if (idx >= 0) {
            const tlb_entry_t *e = tlb_entry(m->pwc, idx);
            tlb_touch(m->pwc, idx);
            m->st.pwc_hits[e->level]++;
            level = e->level - 1;
            table = e->ppn;
            global = (e->flags & PTE_G) != 0;
        } else {
            m->st.pwc_misses++;
        }
    }
    ptw_begin(&x->w, req, &x->csr, levels, cfg->ad, cfg->dram.base, cfg->dram.size, level, table,
              global);
    x->ready = x->walk_start = cycle;
    m->state = ST_WALK_ACT;
}

/* Installs what a successful walk found: leaf in L2 and L1, pointers in the walk cache. */
static void mmu_install_walk(mmu_t *m, const flight_t *x)
{
    const ptw_walk_t *w = &x->w;
    tlb_entry_t e;

    e.level = (uint8_t)w->leaf_level;
    e.tag = vm_vpn(w->va, w->levels) >> (VPN_BITS * w->leaf_level);
    e.ppn = PTE_PPN(w->leaf);
    e.asid = x->req.asid;
    e.flags = (uint8_t)((w->leaf & 0xff & ~PTE_G) | (w->global ? PTE_G : 0));
    if (m->tlb[TLB_L2])
        tlb_fill(m->tlb[TLB_L2], &e);
    tlb_fill(m->tlb[x->which], &e);
    if (!m->pwc)
        return;
    for (int i = 0; i < w->nptrs; i++) {
        tlb_entry_t p;
        p.level = (uint8_t)w->ptrs[i].level;
        p.tag = vm_vpn(w->va, w->levels) >> (VPN_BITS * p.level);
        p.ppn = w->ptrs[i].ppn;
        p.asid = x->req.asid;
        p.flags = (uint8_t)(PTE_V | (w->ptrs[i].global ? PTE_G : 0));
        tlb_fill(m->pwc, &p);
    }
}

/* The response of the request in flight, valid in cycle. */
static void mmu_response(const mmu_t *m, uint64_t cycle, mmu_resp_t *resp)
{
    const flight_t *x = &m->x;
    resp->fault = x->walked ? x->w.fault : x->fault;
    resp->pa = resp->fault == FAULT_NONE ? (x->walked ? x->w.pa : x->pa) : 0;
    resp->cycle = cycle;
    resp->latency = cycle - x->accept;
}

/* Ends the request in flight at cycle: fills, statistics, back to idle. */
static void mmu_finish(mmu_t *m, uint64_t cycle, mmu_resp_t *resp)
{
    flight_t *x = &m->x;

    mmu_response(m, cycle, resp);
    if (resp->fault != FAULT_NONE)
        m->st.faults[resp->fault]++;
    if (x->walked) {
        m->st.walk_cycles += resp->latency;
        m->st.walk_lookup_cycles += x->walk_start - x->accept;
        m->st.cycles_walk += cycle - x->walk_start;
        if (x->w.fault == FAULT_NONE)
            m->st.walks_leaf[x->w.leaf_level]++;
        m->st.walk_latency[resp->latency < WALK_HIST_BUCKETS ? resp->latency : WALK_HIST_BUCKETS - 1]++;
    }
    if (resp->fault == FAULT_NONE && !x->no_install) {
        if (x->walked)
            mmu_install_walk(m, x);
        else if (x->fill_l1)
            tlb_fill(m->tlb[x->which], &x->l1_entry);
    }
    m->st.cycles = cycle + 1;
    m->state = ST_IDLE;
}

/* Counts a walker memory operation issued now. */
static void mmu_count_mem(mmu_t *m)
{
    if (m->x.w.action == PTW_READ) {
        m->st.mem_reads++;
    } else {
        m->st.mem_writes++;
        m->st.ad_updates++;
    }
}

fault_t mmu_translate(mmu_t *m, const mmu_req_t *req, mmu_resp_t *resp)
{
    ptw_walk_t *w = &m->x.w;
    uint64_t cycle;

    if (m->state != ST_IDLE)
        panic("request in flight on the cycle-level path");
    if (mmu_translate_hit(m, req, resp))
        return FAULT_NONE;
    mmu_start(m, req);
    cycle = m->x.ready;
    while (m->state == ST_WALK_ACT && w->action != PTW_DONE) {
        uint64_t data;
        unsigned lat = dram_timer_access(m->timer, w->addr, cycle, NULL);
        mmu_count_mem(m);
        cycle += lat + 1;
        if (w->action == PTW_READ) {
            if (dram_read64(m->dram, w->addr, &data))
                panic("PTE read at %#llx failed", (unsigned long long)w->addr);
            ptw_read_done(w, data);
        } else {
            if (dram_write64(m->dram, w->addr, w->wdata))
                panic("PTE write at %#llx failed", (unsigned long long)w->addr);
            ptw_write_done(w);
        }
    }
    mmu_finish(m, cycle, resp);
    m->now = cycle + 1;
    return resp->fault;
}

/*
 * Removes the entries a fence selects from every structure.  The VA is read
 * with the width of the current mode (the configured mode under Bare); a
 * fence by a VA that is not canonical there has no effect, as the
 * privileged specification says of an rs1 that is not a valid address.
 */
static void mmu_apply_sfence(mmu_t *m, const mmu_sfence_t *f)
{
    int levels = vm_levels(m->csr.mode) ? vm_levels(m->csr.mode) : vm_levels(m->cfg.mode);
    uint64_t vpn = vm_vpn(f->va, levels);

    m->st.sfences++;
    m->st.cycles = m->now + 1;
    if (f->use_va && !vm_canonical(f->va, levels))
        return;
    for (int i = 0; i < TLB_COUNT; i++)
        if (m->tlb[i])
            tlb_flush(m->tlb[i], f->use_va, vpn, f->use_asid, f->asid);
    if (m->pwc)
        tlb_flush(m->pwc, f->use_va, vpn, f->use_asid, f->asid);
}

void mmu_sfence(mmu_t *m, const mmu_sfence_t *f)
{
    if (m->state != ST_IDLE)
        panic("request in flight on the cycle-level path");
    mmu_apply_sfence(m, f);
    m->now++;
}

void mmu_wait(mmu_t *m, uint64_t cycles)
{
    if (m->state != ST_IDLE)
        panic("request in flight");
    m->now += cycles;
    mmu_book_wait(m, cycles);
}

void mmu_skip(mmu_t *m, uint64_t cycles)
{
    if (m->state != ST_IDLE)
        panic("request in flight");
    m->now += cycles;
}

void mmu_book_wait(mmu_t *m, uint64_t cycles)
{
    if (m->state != ST_IDLE)
        panic("request in flight");
    m->st.cycles = m->now;
    m->st.cycles_wait += cycles;
}

void mmu_eval(mmu_t *m, const mmu_in_t *in, mmu_out_t *out)
{
    const flight_t *x = &m->x;

    memset(out, 0, sizeof(*out));
    switch (m->state) {
    case ST_IDLE:
        out->req_ready = !in->sfence.valid;
        break;
    case ST_FRONT:
        if (m->now == x->ready) {
            out->resp_valid = 1;
            mmu_response(m, m->now, &out->resp);
        }
        break;
    case ST_WALK_ACT:
        if (m->now < x->ready)
            break;
        if (x->w.action == PTW_DONE) {
            out->resp_valid = 1;
            mmu_response(m, m->now, &out->resp);
        } else {
            out->mem_req_valid = 1;
            out->mem_req_we = x->w.action == PTW_WRITE;
            out->mem_req_addr = x->w.addr;
            out->mem_req_wdata = out->mem_req_we ? x->w.wdata : 0;
        }
        break;
    case ST_WALK_WAIT:
        break;
    }
}

/* 1 when the translation CSRs differ from the ones a request was accepted with. */
static int mmu_csr_changed(const mmu_csr_t *a, const mmu_csr_t *b)
{
    return a->mode != b->mode || a->root_ppn != b->root_ppn || a->sum != b->sum || a->mxr != b->mxr;
}

void mmu_clock(mmu_t *m, const mmu_in_t *in)
{
    flight_t *x = &m->x;
    mmu_resp_t resp;

    if (m->state != ST_IDLE && (in->sfence.valid || mmu_csr_changed(&m->csr, &x->csr)))
        x->no_install = 1;
    switch (m->state) {
    case ST_IDLE:
        if (in->req_valid && !in->sfence.valid)
            mmu_start(m, &in->req);
        break;
    case ST_FRONT:
        if (m->now == x->ready)
            mmu_finish(m, m->now, &resp);
        break;
    case ST_WALK_ACT:
        if (m->now < x->ready)
            break;
        if (x->w.action == PTW_DONE) {
            mmu_finish(m, m->now, &resp);
        } else if (in->mem_req_ready) {
            mmu_count_mem(m);
            m->state = ST_WALK_WAIT;
        }
        break;
    case ST_WALK_WAIT:
        if (in->mem_resp_valid) {
            if (x->w.action == PTW_READ)
                ptw_read_done(&x->w, in->mem_resp_rdata);
            else
                ptw_write_done(&x->w);
            x->ready = m->now + 1;
            m->state = ST_WALK_ACT;
        }
        break;
    }
    if (in->sfence.valid)
        mmu_apply_sfence(m, &in->sfence);
    m->now++;
}
