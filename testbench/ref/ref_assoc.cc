// ref_assoc.cc - the reference set-associative structure (see ref_assoc.h).
#include "ref_assoc.h"

#include <algorithm>

#include "ref_pte.h"

RefAssoc::RefAssoc(const assoc_cfg_t &c, int min_level, int max_level)
    : ways_(c.ways ? c.ways : c.entries), sets_(c.entries / ways_), policy_(c.policy), min_level_(min_level),
      max_level_(max_level), lfsr_((uint16_t)c.seed), e_(c.entries), age_(c.entries),
      tree_((size_t)sets_ * std::max(1u, ways_ - 1), 0), fifo_(sets_, 0)
{
    for (unsigned i = 0; i < c.entries; i++)
        age_[i] = i % ways_; // initially age[w] = w in every set
}

// Same level and tag, and global or of the request's ASID.
bool RefAssoc::matches(const RefEntry &x, int level, uint64_t tag, uint16_t asid) const
{
    return x.valid && x.level == level && x.tag == tag && ((x.flags & ref_pte::G) || x.asid == asid);
}

int RefAssoc::lookup(uint64_t vpn, uint16_t asid) const
{
    // Level by level from the smallest page; within a level, its own set, ways in order.
    for (int L = min_level_; L <= max_level_; L++) {
        uint64_t tag = vpn >> (9 * L);
        unsigned set = (unsigned)(tag % sets_);
        for (unsigned w = 0; w < ways_; w++)
            if (matches(e_[set * ways_ + w], L, tag, asid))
                return (int)(set * ways_ + w);
    }
    return -1;
}

void RefAssoc::touch(int idx)
{
    unsigned set = (unsigned)idx / ways_, w = (unsigned)idx % ways_;
    if (policy_ == REPL_LRU) {
        unsigned *age = &age_[set * ways_];
        unsigned a = age[w];
        for (unsigned i = 0; i < ways_; i++)
            if (age[i] < a)
                age[i]++;
        age[w] = 0;
    } else if (policy_ == REPL_PLRU) {
        // Every node on the path from the root to w points away from w.
        uint8_t *t = &tree_[set * std::max(1u, ways_ - 1)];
        unsigned n = 0, lo = 0, hi = ways_;
        while (hi - lo > 1) {
            unsigned mid = (lo + hi) / 2;
            if (w < mid) {
                t[n] = 1;
                n = 2 * n + 1;
                hi = mid;
            } else {
                t[n] = 0;
                n = 2 * n + 2;
                lo = mid;
            }
        }
    }
    // fifo and random: a touch changes nothing.
}

uint16_t RefAssoc::lfsr_step(uint16_t s)
{
    uint16_t bit = (uint16_t)((s ^ (s >> 2) ^ (s >> 3) ^ (s >> 5)) & 1);
    return (uint16_t)((s >> 1) | (bit << 15));
}

unsigned RefAssoc::victim(unsigned set)
{
    switch (policy_) {
    case REPL_LRU: {
        const unsigned *age = &age_[set * ways_];
        unsigned v = 0;
        for (unsigned i = 1; i < ways_; i++)
            if (age[i] > age[v])
                v = i;
        return v;
    }
    case REPL_PLRU: {
        // From the root: left on 0, right on 1.
        const uint8_t *t = &tree_[set * std::max(1u, ways_ - 1)];
        unsigned n = 0, lo = 0, hi = ways_;
        while (hi - lo > 1) {
            unsigned mid = (lo + hi) / 2;
            if (t[n] == 0) {
                n = 2 * n + 1;
                hi = mid;
            } else {
                n = 2 * n + 2;
                lo = mid;
            }
        }
        return lo;
    }
    case REPL_FIFO: {
        unsigned v = fifo_[set];
        fifo_[set] = (v + 1) % ways_;
        return v;
    }
    case REPL_RANDOM:
        // One LFSR for the whole structure, stepped only when a valid way must go.
        lfsr_ = lfsr_step(lfsr_);
        return lfsr_ % ways_;
    }
    return 0;
}

int RefAssoc::fill(const RefEntry &n)
{
    unsigned set = (unsigned)(n.tag % sets_);
    int way = -1;
    // Replace in place: the first way of the same level and tag whose ASID scope overlaps.
    for (unsigned w = 0; w < ways_ && way < 0; w++) {
        const RefEntry &x = e_[set * ways_ + w];
        if (x.valid && x.level == n.level && x.tag == n.tag &&
            ((x.flags & ref_pte::G) || (n.flags & ref_pte::G) || x.asid == n.asid))
            way = (int)w;
    }
    for (unsigned w = 0; w < ways_ && way < 0; w++)
        if (!e_[set * ways_ + w].valid)
            way = (int)w;
    if (way < 0)
        way = (int)victim(set);
    int idx = (int)(set * ways_ + (unsigned)way);
    e_[idx] = n;
    e_[idx].valid = true;
    touch(idx);
    return idx;
}

unsigned RefAssoc::flush(bool use_va, uint64_t vpn, bool use_asid, uint16_t asid)
{
    unsigned removed = 0;
    for (RefEntry &x : e_) {
        if (!x.valid)
            continue;
        if (use_va && x.tag != vpn >> (9 * x.level))
            continue;
        if (use_asid && ((x.flags & ref_pte::G) || x.asid != asid))
            continue;
        x.valid = false;
        removed++;
    }
    return removed;
}

unsigned RefAssoc::count_valid() const
{
    unsigned n = 0;
    for (const RefEntry &x : e_)
        n += x.valid;
    return n;
}
