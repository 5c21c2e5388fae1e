/*
 * mmu_hit.c - the functional path's shortcuts for the common case, an L1
 * TLB hit that answers as it is: mmu_translate_hit (one request) and
 * mmu_translate_refs (a trace's run of references).  Each has the effects
 * of mmu_start() + mmu_finish() on such a hit and nothing else; the
 * agreement test runs them beside the cycle-level path, which never takes
 * them.
 */
#include "mmu_int.h"
#include "panic.h"

/* The TLB flag bits a usable hit depends on, R W X U and D, as a 5-bit number. */
static inline unsigned hit_flag_index(uint64_t flags)
{
    return (unsigned)(((flags >> 1) & 0xf) | ((flags >> 3) & 0x10));
}

/* From ptw_perm_ok itself, so that the table and the walker cannot disagree. */
void mmu_build_hit_table(mmu_t *m)
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

void mmu_forget_hits(mmu_t *m)
{
    for (int acc = 0; acc < ACC_COUNT; acc++)
        for (int w = 0; w < MMU_LAST_WAYS; w++)
            m->last[acc][w].page = UINT64_MAX;
}

/*
 * The effects of mmu_start() + mmu_finish() on an L1 hit, without building
 * a flight record.  Returns 0, having changed nothing, when the request
 * needs the general path.
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

