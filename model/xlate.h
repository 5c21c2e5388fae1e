/*
 * xlate.h - the vocabulary of one translation, shared by the walker, the
 * MMU and everything that drives them: the access type, the privilege, the
 * fault a translation ends in, the request and the CSR state it runs under.
 *
 * The numeric values are the RTL's port encodings as well (req_acc_i,
 * req_priv_i, resp_fault_o of rtl/mmu_top.v); rtl/mmu_defs.vh defines the
 * same codes for the Verilog side and `make lint` checks that the two agree.
 */
#ifndef MMUSIM_XLATE_H
#define MMUSIM_XLATE_H

#include <stdint.h>

#include "riscv_vm.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { ACC_LOAD = 0, ACC_STORE = 1, ACC_FETCH = 2, ACC_COUNT } acc_t;
typedef enum { PRIV_U = 0, PRIV_S = 1 } priv_t;

typedef enum {
    FAULT_NONE = 0,
    FAULT_LOAD_PAGE = 1,
    FAULT_STORE_PAGE = 2,
    FAULT_FETCH_PAGE = 3,
    FAULT_LOAD_ACCESS = 4,
    FAULT_STORE_ACCESS = 5,
    FAULT_FETCH_ACCESS = 6,
    FAULT_COUNT
} fault_t;

/* "load-page", "store-access", ... ("none" for FAULT_NONE, "?" out of range). */
const char *fault_name(fault_t f);
/* The fault named s by fault_name (FAULT_NONE for "none"); -1 when s names none. */
int fault_parse(const char *s, fault_t *f);
/* The RISC-V exception code (scause) of a fault: load/store/fetch page 13, 15, 12; access 5, 7, 1. */
unsigned fault_cause_code(fault_t f);
/* Page fault / access fault of access type acc. */
fault_t fault_page(acc_t acc);
fault_t fault_access(acc_t acc);
/* "r", "w", "x". */
const char *acc_name(acc_t acc);

/* Translation state held in CSRs: satp mode and root, sstatus.SUM/MXR. */
typedef struct {
    vm_mode_t mode;
    uint64_t root_ppn;
    int sum, mxr;
} mmu_csr_t;

typedef struct {
    uint64_t va;
    acc_t acc;
    priv_t priv;
    uint16_t asid;
    int replay;        /* 1: the same reference again after a fault was handled */
} mmu_req_t;

/*
 * A program's memory reference as a trace records it (app/tracefmt.h
 * reads every format into these): kind 0 is an access of size bytes by
 * process pid; other kinds are the trace's own events.
 */
typedef struct {
    uint64_t va;
    uint32_t size;
    uint32_t pid;
    uint8_t acc;       /* acc_t */
    uint8_t kind;
} mmu_ref_t;

#ifdef __cplusplus
}
#endif
#endif
