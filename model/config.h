/*
 * config.h - the one parameter source: every key of a configuration.
 *
 * A configuration file is lines of `key = value`, `#` starts a comment.
 * The same keys are accepted by `--set key=value`.  The key table in
 * config.c (name, type, default, help) is the only list of keys; `mmusim
 * config --keys` prints it and docs/config.md describes each one.
 */
#ifndef MMUSIM_CONFIG_H
#define MMUSIM_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "riscv_vm.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Replacement policies; victim choice is defined bit for bit in docs/tlb.md.
 * The values are the RTL's policy parameter codes (rtl/mmu_defs.vh).
 */
typedef enum { REPL_LRU = 0, REPL_PLRU = 1, REPL_FIFO = 2, REPL_RANDOM = 3 } repl_policy_t;

/* A/D bit policy of the walker; the value is the RTL's adue_i (menvcfg.ADUE). */
typedef enum { AD_SVADE = 0, AD_SVADU = 1 } ad_policy_t;

typedef enum { DRAM_FIXED, DRAM_DDR } dram_timing_t;

/* One set-associative structure (a TLB level or the walk cache). */
typedef struct {
    unsigned entries;      /* 0 = structure absent (L2, PWC only) */
    unsigned ways;         /* 0 = fully associative (ways = entries) */
    repl_policy_t policy;
    unsigned latency;      /* lookup latency in cycles, >= 1 */
    uint32_t seed;         /* LFSR seed for policy random, non-zero */
} assoc_cfg_t;

typedef struct {
    uint64_t base, size;   /* bytes; base and size 4 KiB aligned */
    dram_timing_t timing;
    unsigned latency;      /* fixed: cycles per access */
    unsigned banks;        /* ddr: number of banks, power of two */
    unsigned row_bytes;    /* ddr: bytes per row, power of two >= 8 */
    unsigned tcl, trcd, trp, tras;
} dram_cfg_t;

/* Page replacement policies of the operating-system side (docs/os.md). */
typedef enum { OSP_CLOCK, OSP_FIFO, OSP_LRU, OSP_OPT, OSP_RANDOM } os_policy_t;

/* The operating-system side: memory limits, replacement, fault costs, swap. */
typedef struct {
    uint64_t user_frames;  /* frames for user pages; 0 = all of DRAM */
    os_policy_t policy;
    uint32_t seed;         /* policy random */
    unsigned asids;        /* ASIDs handed to processes, 2..65536 */
    unsigned cost_fault;   /* cycles of every fault taken (entry, dispatch, return) */
    unsigned cost_zero;    /* cycles to zero a page */
    unsigned cost_copy;    /* cycles to copy a page */
    uint64_t swap_slots;   /* pages of swap */
    unsigned disk_latency; /* cycles per page read or written on the disk (swap and files) */
    int ad_on_fault;       /* 1: a fault installs pages of a writable area with A and D set */
} os_cfg_t;

typedef struct {
    vm_mode_t mode;        /* VM_SV39 or VM_SV48 */
    assoc_cfg_t l1;
    int l1_split;          /* 1: separate instruction and data L1 TLBs */
    unsigned l1d_entries;  /* split: entries of the data L1; 0 = as l1 (entries and ways) */
    unsigned l1d_ways;     /* split, l1d_entries != 0: its ways; 0 = fully associative */
    assoc_cfg_t l2;
    assoc_cfg_t pwc;
    ad_policy_t ad;
    dram_cfg_t dram;
    os_cfg_t os;
} sim_config_t;

/* Fills c with the documented defaults (a valid configuration). */
void config_defaults(sim_config_t *c);

/*
 * Sets one key from its textual value.  Returns 0, or -1 with a message
 * (without location) in err when the key is unknown or the value bad.
 */
int config_set(sim_config_t *c, const char *key, const char *value, char *err, size_t errlen);

/*
 * Applies `key=value` (as given to --set).  Returns 0, or -1 with a message
 * in err.
 */
int config_set_assignment(sim_config_t *c, const char *assignment, char *err, size_t errlen);

/*
 * Reads a configuration file over c (keys not in the file keep their
 * value).  Returns 0, or -1 with "file:line: message" in err.
 */
int config_load(sim_config_t *c, const char *path, char *err, size_t errlen);

/*
 * Checks relations between keys (entries divisible by ways, power-of-two
 * set counts, non-zero seeds, ...).  Returns 0, or -1 with a message.
 */
int config_validate(const sim_config_t *c, char *err, size_t errlen);

/* Writes every key with its current value, in config-file syntax. */
void config_write(const sim_config_t *c, FILE *f);

/* Writes every key with its type, default and help text. */
void config_write_keys(FILE *f);

/* Number of ways of a structure after resolving ways = 0 to fully associative. */
unsigned assoc_cfg_ways(const assoc_cfg_t *a);

/* The data-side L1 TLB of a split configuration: l1 with the tlb.l1d geometry. */
assoc_cfg_t config_l1d(const sim_config_t *c);

/* Number of keys; config_key() reads them in table order. */
unsigned config_key_count(void);

/*
 * Name of key i (< config_key_count()) and its value in c as a file spells
 * it, into val.  Returns 1 when the value is a decimal number, 0 otherwise
 * (an enum name or a hex address), so that JSON can print numbers bare.
 */
int config_key(const sim_config_t *c, unsigned i, const char **name, char *val, size_t len);

#ifdef __cplusplus
}
#endif
#endif
