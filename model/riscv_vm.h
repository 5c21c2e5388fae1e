/*
 * riscv_vm.h - the RISC-V Sv39/Sv48 virtual-memory formats, described once.
 *
 * Shared by the golden model (model/) and the fault handler (csrc/): both
 * must agree bit for bit on what a PTE means, because the handler writes the
 * page tables that the walker reads.  Source: RISC-V Privileged
 * Architecture, section "Sv39" / "Sv48" (version 20211203).
 *
 * Virtual address (Sv39; Sv48 adds VPN[3] at bits 47:39):
 *
 *   63        39 38      30 29      21 20      12 11          0
 *  +------------+----------+----------+----------+-------------+
 *  | = bit 38   |  VPN[2]  |  VPN[1]  |  VPN[0]  |   offset    |
 *  +------------+----------+----------+----------+-------------+
 *
 * Bits above the VA width must all equal its top bit (canonical form),
 * otherwise the access raises a page fault.
 *
 * Page-table entry (8 bytes, both modes):
 *
 *   63 62 61 60    54 53           10 9  8 7 6 5 4 3 2 1 0
 *  +--+-----+--------+---------------+----+-+-+-+-+-+-+-+-+
 *  |N | PBMT|reserved|      PPN      |RSW |D|A|G|U|X|W|R|V|
 *  +--+-----+--------+---------------+----+-+-+-+-+-+-+-+-+
 *
 * This model implements neither Svnapot nor Svpbmt, so any of bits 63:54
 * set is a reserved encoding and faults.  RSW (9:8) is ignored.  R=W=X=0
 * marks a pointer to the next level; W=1 with R=0 is reserved.  On a
 * pointer, D, A and U are reserved and must be zero.
 *
 * satp (RV64):  MODE[63:60] (0 Bare, 8 Sv39, 9 Sv48) | ASID[59:44] | PPN[43:0]
 */
#ifndef MMUSIM_RISCV_VM_H
#define MMUSIM_RISCV_VM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PAGE_SHIFT 12
#define PAGE_SIZE (1ULL << PAGE_SHIFT)
#define PTE_SIZE 8
#define VPN_BITS 9 /* each level indexes 512 PTEs */
#define VPN_MASK ((1ULL << VPN_BITS) - 1)
#define MAX_LEVELS 4 /* Sv48 */

#define PTE_V (1ULL << 0)
#define PTE_R (1ULL << 1)
#define PTE_W (1ULL << 2)
#define PTE_X (1ULL << 3)
#define PTE_U (1ULL << 4)
#define PTE_G (1ULL << 5)
#define PTE_A (1ULL << 6)
#define PTE_D (1ULL << 7)
#define PTE_RSW_MASK (3ULL << 8)
#define PTE_PPN_SHIFT 10
#define PTE_PPN_BITS 44
#define PTE_PPN_MASK ((1ULL << PTE_PPN_BITS) - 1)
#define PTE_RESERVED_MASK (0x3ffULL << 54) /* N, PBMT and bits 60:54 */

#define PTE_PPN(pte) (((pte) >> PTE_PPN_SHIFT) & PTE_PPN_MASK)
#define PTE_MAKE(ppn, flags) ((((uint64_t)(ppn) & PTE_PPN_MASK) << PTE_PPN_SHIFT) | (flags))
#define PTE_IS_LEAF(pte) (((pte) & (PTE_R | PTE_X)) != 0)

#define SATP_MODE_SHIFT 60
#define SATP_ASID_SHIFT 44
#define SATP_ASID_MASK 0xffffULL
#define SATP_PPN_MASK ((1ULL << 44) - 1)
#define SATP_MODE_BARE 0
#define SATP_MODE_SV39 8
#define SATP_MODE_SV48 9

/* Address-translation modes, numbered as in satp.MODE. */
typedef enum { VM_BARE = SATP_MODE_BARE, VM_SV39 = SATP_MODE_SV39, VM_SV48 = SATP_MODE_SV48 } vm_mode_t;

/* Number of page-table levels of a paged mode (3 or 4); 0 for Bare. */
static inline int vm_levels(vm_mode_t mode)
{
    return mode == VM_SV39 ? 3 : mode == VM_SV48 ? 4 : 0;
}

/* VPN[level] of va. */
static inline uint64_t vm_vpn_index(uint64_t va, int level)
{
    return (va >> (PAGE_SHIFT + VPN_BITS * level)) & VPN_MASK;
}

/* Whole virtual page number of va (bits above the VA width dropped). */
static inline uint64_t vm_vpn(uint64_t va, int levels)
{
    return (va >> PAGE_SHIFT) & ((1ULL << (VPN_BITS * levels)) - 1);
}

/* Bytes mapped by one leaf at level (0: 4 KiB, 1: 2 MiB, 2: 1 GiB, 3: 512 GiB). */
static inline uint64_t vm_page_bytes(int level)
{
    return 1ULL << (PAGE_SHIFT + VPN_BITS * level);
}

/* 1 when bits 63:VA-width of va all equal bit VA-width-1. */
static inline int vm_canonical(uint64_t va, int levels)
{
    int width = PAGE_SHIFT + VPN_BITS * levels;
    int64_t sx = (int64_t)(va << (64 - width)) >> (64 - width);
    return (uint64_t)sx == va;
}

#ifdef __cplusplus
}
#endif
#endif
