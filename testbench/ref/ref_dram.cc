// ref_dram.cc - the reference DRAM timing model (see ref_dram.h).
#include "ref_dram.h"

RefDram::RefDram(const dram_cfg_t &cfg) : c_(cfg)
{
    if (c_.timing != DRAM_DDR)
        return;
    while ((1u << col_bits_) < c_.row_bytes)
        col_bits_++;
    while ((1u << bank_bits_) < c_.banks)
        bank_bits_++;
    banks_.resize(c_.banks);
}

uint64_t RefDram::access(uint64_t pa, uint64_t t)
{
    if (c_.timing == DRAM_FIXED)
        return c_.latency;
    // The split is of the offset from the base: column, then bank, then row.
    uint64_t off = pa - c_.base;
    Bank &b = banks_[(off >> col_bits_) & (c_.banks - 1)];
    uint64_t row = off >> (col_bits_ + bank_bits_);
    if (b.open && b.row == row)
        return c_.tcl;
    if (!b.open) {
        b.open = true;
        b.row = row;
        b.act = t;
        return (uint64_t)c_.trcd + c_.tcl;
    }
    uint64_t wait = b.act + c_.tras > t ? b.act + c_.tras - t : 0;
    b.row = row;
    b.act = t + wait + c_.trp;
    return wait + c_.trp + c_.trcd + c_.tcl;
}
