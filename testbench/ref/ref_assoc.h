// ref_assoc.h - the reference set-associative structure: one TLB level or the
// page-walk cache, written from docs/tlb.md alone (indexing of superpages,
// probe order, replace in place, invalid-first fills, and the lru / plru /
// fifo / random policies bit for bit).  It shares no code with model/tlb.c:
// the TLB suite compares tlb.c with it entry by entry, and the MMU agreement
// suite builds the reference MMU's TLBs and walk cache from it.
#ifndef MMUSIM_REF_ASSOC_H
#define MMUSIM_REF_ASSOC_H

#include <cstdint>
#include <vector>

#include "config.h"

// One way of a set; the fields are those of docs/tlb.md "What an entry holds".
struct RefEntry {
    bool valid = false;
    uint64_t tag = 0, ppn = 0;
    uint16_t asid = 0;
    int level = 0;
    uint8_t flags = 0; // PTE bits 7:0; G makes the entry match every ASID
};

class RefAssoc {
public:
    // c.entries as sets of c.ways ways (0: one set); lookups probe levels min_level..max_level.
    RefAssoc(const assoc_cfg_t &c, int min_level, int max_level);

    unsigned entries() const { return (unsigned)e_.size(); }
    // The entry at index set * ways + way.
    const RefEntry &at(unsigned idx) const { return e_[idx]; }
    // Index of the entry that answers vpn under asid, or -1; changes nothing.
    int lookup(uint64_t vpn, uint16_t asid) const;
    // A hit that is used: the replacement state of idx's set learns it.
    void touch(int idx);
    // Installs e (as valid) and touches it; returns the index written.
    int fill(const RefEntry &e);
    // Removes what an sfence.vma of that form removes (docs/tlb.md); returns how many.
    unsigned flush(bool use_va, uint64_t vpn, bool use_asid, uint16_t asid);
    unsigned count_valid() const;

    // One step of the 16-bit Fibonacci LFSR with taps 16, 14, 13, 11.
    static uint16_t lfsr_step(uint16_t s);

private:
    unsigned victim(unsigned set);
    bool matches(const RefEntry &x, int level, uint64_t tag, uint16_t asid) const;

    unsigned ways_, sets_;
    repl_policy_t policy_;
    int min_level_, max_level_;
    uint16_t lfsr_;
    std::vector<RefEntry> e_;
    std::vector<unsigned> age_;   // lru: age per way
    std::vector<uint8_t> tree_;   // plru: ways - 1 bits per set, heap order
    std::vector<unsigned> fifo_;  // fifo: next victim per set
};

#endif
