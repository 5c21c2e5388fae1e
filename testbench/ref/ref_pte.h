// ref_pte.h - the page-table-entry fields as the privileged specification
// (20211203, 4.4.1, the Sv39 page table entry; Sv48 has the same layout)
// numbers them.  Written here rather than taken from model/riscv_vm.h so that
// a wrong bit position in the model shows up as a disagreement with the
// reference instead of being shared by both.
#ifndef MMUSIM_REF_PTE_H
#define MMUSIM_REF_PTE_H

#include <cstdint>

namespace ref_pte {
constexpr uint64_t V = 1u << 0, R = 1u << 1, W = 1u << 2, X = 1u << 3;
constexpr uint64_t U = 1u << 4, G = 1u << 5, A = 1u << 6, D = 1u << 7;
constexpr int kPpnShift = 10;  // PPN in bits 53:10
constexpr int kPpnBits = 44;
constexpr int kReservedShift = 54; // bits 63:54 must be zero (no Svnapot, Svpbmt)

// The PPN field of pte.
inline uint64_t ppn(uint64_t pte) { return (pte >> kPpnShift) & ((1ull << kPpnBits) - 1); }
} // namespace ref_pte

#endif
