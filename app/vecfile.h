/*
 * vecfile.h - the one reader of the translation-vector format
 * (docs/vectors.md).  It turns each directive line into a record and
 * reports malformed lines as "FILE:LINE: message"; what a record does is up
 * to the caller: `mmusim vectors` runs it on the model (vectors.c), the RTL
 * lockstep harness on the model and the RTL side by side.
 */
#ifndef MMUSIM_VECFILE_H
#define MMUSIM_VECFILE_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "mmu.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    VEC_DRAM,    /* dram BASE SIZE: a, b */
    VEC_SATP,    /* satp bare | satp sv39|sv48 ASID ROOTPPN: mode, asid, a = root PPN */
    VEC_AD,      /* ad svade|svadu: ad */
    VEC_PRIV,    /* priv u|s: priv */
    VEC_SUM,     /* sum 0|1: flag */
    VEC_MXR,     /* mxr 0|1: flag */
    VEC_MEM,     /* mem PA VALUE: a, b */
    VEC_T,       /* t VA ACC [=> ok PA | => fault KIND]: a = VA, acc, expect */
    VEC_PEEK,    /* peek PA [=> VALUE]: a, expect */
    VEC_SFENCE,  /* sfence [VA|*] [ASID|*]: fence */
} vec_kind_t;

typedef struct {
    vec_kind_t kind;
    int line;                /* 1-based line number in the file */
    uint64_t a, b;
    vm_mode_t mode;
    uint16_t asid;
    ad_policy_t ad;
    priv_t priv;
    int flag;
    acc_t acc;
    mmu_sfence_t fence;      /* valid = 1 */
    int expect;              /* an expectation follows `=>` */
    fault_t expect_fault;    /* t: FAULT_NONE for `ok PA` */
    uint64_t expect_value;   /* t: the PA of `ok PA`; peek: VALUE */
} vec_rec_t;

typedef struct vecfile vecfile_t;

/* Opens path; NULL after printing "path: cannot open: reason" (or no memory). */
vecfile_t *vecfile_open(const char *path);
void vecfile_close(vecfile_t *f);

/*
 * Reads the next directive into *r.  Returns 1 for a record, 0 at the end
 * of the file, -1 after printing "FILE:LINE: message" for a malformed line
 * (or "FILE: read error"); the caller stops at -1.
 */
int vecfile_next(vecfile_t *f, vec_rec_t *r);

/*
 * Prints "FILE:LINE: message" for the line read last, for errors only the
 * executor can see (an address outside its DRAM, say).  Returns -1.
 */
int vecfile_error(const vecfile_t *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The file name, as given to vecfile_open. */
const char *vecfile_path(const vecfile_t *f);

/* A translation result in the output format: "ok 0x80100abc" or "fault load-page". */
void vec_result_text(fault_t fault, uint64_t pa, char *buf, size_t len);

/* 1 when a translation ending in fault (with pa when FAULT_NONE) meets the expectation of t record r. */
int vec_t_met(const vec_rec_t *r, fault_t fault, uint64_t pa);

#ifdef __cplusplus
}
#endif
#endif
