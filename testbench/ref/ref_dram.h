// ref_dram.h - the reference DRAM timing model, written from docs/dram.md:
// a fixed latency, or open-page DDR banks paying tCL on a row hit, tRCD + tCL
// on a closed bank and the tRAS wait + tRP + tRCD + tCL on a row conflict.
#ifndef MMUSIM_REF_DRAM_H
#define MMUSIM_REF_DRAM_H

#include <cstdint>
#include <vector>

#include "config.h"

class RefDram {
public:
    explicit RefDram(const dram_cfg_t &cfg);
    // Latency of an access to pa issued at cycle t; the bank state moves on.
    uint64_t access(uint64_t pa, uint64_t t);

private:
    struct Bank {
        bool open = false;
        uint64_t row = 0, act = 0; // open row and the cycle it was activated
    };
    dram_cfg_t c_;
    std::vector<Bank> banks_;
    unsigned col_bits_ = 0, bank_bits_ = 0;
};

#endif
