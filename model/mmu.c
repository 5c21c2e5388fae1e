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
 * steps through it with the ports of the RTL.
 */
#include "mmu.h"

#include <stdlib.h>
#include <string.h>

#include "panic.h"
#include "ptw.h"
#include "tlb.h"

typedef enum { ST_IDLE, ST_FRONT, ST_WALK_ACT, ST_WALK_WAIT } mmu_state_t;

/* A request in flight. */
typedef struct {
    mmu_req_t req;
    mmu_csr_t csr;
    uint64_t accept;
    uint64_t walk_start;   /* cycle the walk's first step issues, after every lookup */
    uint64_t ready;        /* ST_FRONT: response cycle; ST_WALK_ACT: action cycle */
    int which;             /* L1 that serves the request */
    int walked;
    int no_install;        /* a fence or CSR change happened in flight */
    int fill_l1;           /* an L2 hit to copy into L1 */
    tlb_entry_t l1_entry;
    fault_t fault;         /* ST_FRONT result */
    uint64_t pa;
    ptw_walk_t w;
} flight_t;

/*
 * The last hits of each access type in U mode, under one ASID: while its
 * TLB's contents (generation) and the CSRs stay the same, a reference to
 * the same 4 KiB page is the same hit, so mmu_translate_refs skips the
 * lookup and the checks.  The full page number also covers the
 * canonical check; a 4 KiB page of DRAM is wholly inside it.
 */
#define MMU_LAST_WAYS 4 /* code and data each move between a few pages */

typedef struct {
    uint64_t page;         /* va >> 12; UINT64_MAX: none */
    uint64_t gen;
    int32_t idx;
} mmu_last_t;

struct mmu {
    sim_config_t cfg;
    dram_t *dram;
    dram_timer_t *timer;   /* functional path's view of DRAM timing */
    tlb_t *tlb[TLB_COUNT];
    tlb_t *pwc;
    mmu_csr_t csr;
    /* The hit shortcut's view of csr and cfg, kept by mmu_set_csr and mmu_create. */
    int levels;            /* vm_levels(csr.mode): 0 under Bare */
    unsigned va_shift;     /* 64 - VA width: canonical means sign-extending from there is a no-op */
    uint64_t vpn_mask;     /* vm_vpn() of the mode is (va >> 12) & vpn_mask */
    int l1_which[ACC_COUNT]; /* the L1 serving each access type */
    uint64_t page_mask[MAX_LEVELS]; /* vm_page_bytes(level) - 1 */
    /*
     * [sum][mxr][acc][priv]: bit hit_flag_index(flags) is set when a hit on
     * an entry with those flags answers as it is: ptw_perm_ok holds, and a
     * store finds D set.  hit_ok points at the row of the current SUM/MXR.
     */
    uint32_t hit_ok_all[2][2][ACC_COUNT][2];
    const uint32_t (*hit_ok)[2];
    mmu_last_t last[ACC_COUNT][MMU_LAST_WAYS]; /* [acc][page mod MMU_LAST_WAYS], all of last_asid */
    uint16_t last_asid;
    mmu_stats_t st;
    uint64_t now;
    mmu_state_t state;
    flight_t x;
};

/* The TLB flag bits a usable hit depends on, R W X U and D, as a 5-bit number. */
static inline unsigned hit_flag_index(uint64_t flags)
{
    return (unsigned)(((flags >> 1) & 0xf) | ((flags >> 3) & 0x10));
}

/* Fills m->hit_ok_all from ptw_perm_ok, so that the two cannot disagree. */
static void mmu_build_hit_table(mmu_t *m)
{
    for (int sum = 0; sum < 2; sum++)
        for (int mxr = 0; mxr < 2; mxr++)
            for (int acc = 0; acc < ACC_COUNT; acc++)
                for (int priv = PRIV_U; priv <= PRIV_S; priv++) {
                    uint32_t ok = 0;
                    for (unsigned f = 0; f < 32; f++) {
                        uint64_t flags = ((uint64_t)(f & 0xf) << 1) | (f & 0x10 ? PTE_D : 0);
                        if (hit_flag_index(flags) != f)
                            panic("flag index of %#llx", (unsigned long long)flags);
                        if (ptw_perm_ok(flags, (acc_t)acc, (priv_t)priv, sum, mxr) &&
                            (acc != ACC_STORE || (flags & PTE_D)))
                            ok |= 1u << f;
                    }
                    m->hit_ok_all[sum][mxr][acc][priv] = ok;
                }
}

/* Forgets the last hits (the CSRs or the ASID changed). */
static void mmu_forget_hits(mmu_t *m)
{
    for (int acc = 0; acc < ACC_COUNT; acc++)
        for (int w = 0; w < MMU_LAST_WAYS; w++)
            m->last[acc][w].page = UINT64_MAX;
}

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

/* 1 when pa is a byte of DRAM. */
static int mmu_pa_ok(const mmu_t *m, uint64_t pa)
{
    return pa >= m->cfg.dram.base && pa - m->cfg.dram.base < m->cfg.dram.size;
}

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

/*
 * The functional path's shortcut for the common case, an L1 hit that is
 * usable as it is: the same effects as mmu_start() + mmu_finish() on that
 * path, without building a flight record.  Returns 0, having changed
 * nothing, when the request needs the general path.  The agreement test
 * checks it against the cycle-level path, which never takes it.
 */
int mmu_translate_hit(mmu_t *m, const mmu_req_t *req, mmu_resp_t *resp)
{
    uint64_t va = req->va, pa, cycle;
    const tlb_entry_t *e;
    tlb_counts_t *c;
    tlb_t *t;
    int which, idx;

    /* Replays and privilege values other than U and S are rare: the general path counts them. */
    if (m->state != ST_IDLE || !m->levels || req->replay || (unsigned)req->priv > PRIV_S ||
        (uint64_t)((int64_t)(va << m->va_shift) >> m->va_shift) != va)
        return 0;
    which = m->l1_which[req->acc];
    t = m->tlb[which];
    idx = tlb_lookup(t, (va >> PAGE_SHIFT) & m->vpn_mask, req->asid);
    if (idx < 0)
        return 0;
    e = tlb_entry(t, idx);
    if (!((m->hit_ok[req->acc][req->priv] >> hit_flag_index(e->flags)) & 1))
        return 0;
    /* ptw_leaf_pa with the shifts done by a table (tlb_fill keeps level < MAX_LEVELS). */
    pa = ((e->ppn << PAGE_SHIFT) & ~m->page_mask[e->level]) | (va & m->page_mask[e->level]);
    if (!mmu_pa_ok(m, pa))
        return 0;
    tlb_touch(t, idx);
    if (req->priv == PRIV_U) {
        if (req->asid != m->last_asid) {
            mmu_forget_hits(m);
            m->last_asid = req->asid;
        }
        m->last[req->acc][(va >> PAGE_SHIFT) % MMU_LAST_WAYS] =
            (mmu_last_t){ va >> PAGE_SHIFT, tlb_generation(t), idx };
    }
    c = &m->st.tlb[which];
    c->lookups[req->acc]++;
    c->hits[req->acc]++;
    m->st.requests++;
    m->st.cycles_l1 += m->cfg.l1.latency;
    cycle = m->now + m->cfg.l1.latency;
    resp->fault = FAULT_NONE;
    resp->pa = pa;
    resp->cycle = cycle;
    resp->latency = m->cfg.l1.latency;
    m->st.cycles = m->now = cycle + 1;
    return 1;
}

/*
 * Books the hits mmu_translate_refs' shortcut counted in n[] (per access
 * type): TLB counters, requests, time.  Zeroes n.
 */
static void mmu_book_hits(mmu_t *m, uint64_t n[ACC_COUNT])
{
    uint64_t all = 0;

    for (int acc = 0; acc < ACC_COUNT; acc++) {
        tlb_counts_t *c = &m->st.tlb[m->l1_which[acc]];
        c->lookups[acc] += n[acc];
        c->hits[acc] += n[acc];
        all += n[acc];
        n[acc] = 0;
    }
    m->st.requests += all;
    m->st.cycles_l1 += all * m->cfg.l1.latency;
    m->now += all * (m->cfg.l1.latency + 1ULL);
    if (all)
        m->st.cycles = m->now;
}

size_t mmu_translate_refs(mmu_t *m, const mmu_ref_t *refs, size_t n, uint32_t pid, uint16_t asid)
{
    uint64_t hits[ACC_COUNT] = { 0 };
    tlb_t *l1[ACC_COUNT];
    size_t k;

    if (m->state != ST_IDLE)
        return 0;
    for (int acc = 0; acc < ACC_COUNT; acc++)
        l1[acc] = m->tlb[m->l1_which[acc]];
    if (asid != m->last_asid) {
        mmu_forget_hits(m);
        m->last_asid = asid;
    }
    for (k = 0; k < n; k++) {
        const mmu_ref_t *r = &refs[k];
        uint64_t va = r->va, page = va >> PAGE_SHIFT;
        unsigned acc = r->acc;
        const mmu_last_t *l;
        /* one branch for the four ways out: the hot loop runs billions of times */
        if ((((unsigned)r->kind << 8 | acc) >= ACC_COUNT) | (r->pid != pid) |
            ((va & (PAGE_SIZE - 1)) + r->size > PAGE_SIZE))
            break;
        l = &m->last[acc][page % MMU_LAST_WAYS];
        if (((l->page ^ page) | (l->gen ^ tlb_generation(l1[acc]))) == 0) {
            tlb_touch(l1[acc], l->idx);
            hits[acc]++;
        } else {
            mmu_req_t req = { va, (acc_t)acc, PRIV_U, asid, 0 };
            mmu_resp_t resp;
            mmu_book_hits(m, hits);
            if (!mmu_translate_hit(m, &req, &resp))
                break;
        }
    }
    mmu_book_hits(m, hits);
    return k;
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
