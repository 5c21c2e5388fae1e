/*
 * bench_map.h - the page tables the benches translate through: pages user
 * pages at VA 0, read-write with A and D set, Sv39 root at base, data from
 * base + 1 MiB; pages a multiple of 512, at most 512 * 256.
 */
#ifndef MMUSIM_BENCH_MAP_H
#define MMUSIM_BENCH_MAP_H

#include <stdint.h>

#include "dram.h"
#include "riscv_vm.h"

/* Writes the tables into dram; the root's PPN is base >> 12. */
static inline void bench_map(dram_t *dram, uint64_t base, uint64_t pages)
{
    uint64_t root = base, l1 = base + 0x1000, l0 = base + 0x2000, data = base + 0x100000;

    dram_write64(dram, root, PTE_MAKE(l1 >> 12, PTE_V));
    for (uint64_t t = 0; t < pages / 512; t++) {
        dram_write64(dram, l1 + t * 8, PTE_MAKE((l0 + t * 0x1000) >> 12, PTE_V));
        for (uint64_t i = 0; i < 512; i++)
            dram_write64(dram, l0 + t * 0x1000 + i * 8,
                         PTE_MAKE((data >> 12) + t * 512 + i, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D));
    }
}

#endif
