/*
 * os_hw.h - binds the operating-system side to the golden model: its
 * functional path, or its cycle-level ports driven through a memport.
 */
#ifndef MMUSIM_OS_HW_H
#define MMUSIM_OS_HW_H

#include "memport.h"
#include "mmu.h"
#include "os.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the binding talks to; port NULL means the functional path. */
typedef struct {
    mmu_t *mmu;
    memport_t *port;
} os_hw_model_t;

/*
 * Fills hw so that translate, sfence, set_csr and wait go to model (which
 * must outlive hw).  user, next_use and killed are left NULL for the caller.
 */
void os_hw_bind_model(os_hw_t *hw, os_hw_model_t *model);

/*
 * What a driver (a workload, a trace) runs the OS on: the DRAM the OS
 * manages, the MMU whose statistics it prints, and the hardware calls.
 * The golden model is one machine; the RTL lockstep pair is another.  The
 * driver sets hw.user, hw.next_use and hw.killed itself.
 */
typedef struct {
    dram_t *dram;
    mmu_t *mmu;
    os_hw_t hw;
} os_machine_t;

/* The golden model as a machine, owning its DRAM, MMU and memport. */
typedef struct {
    os_machine_t m;
    os_hw_model_t model;
    memport_t port;
    int cycle_level;
} os_model_machine_t;

/*
 * Builds mm on cfg, at cycle level (through a memport always ready) or
 * on the functional path.  0, or -1 with nothing left allocated when the
 * host is out of memory.  mm must not move while it is in use.
 */
int os_model_machine_create(os_model_machine_t *mm, const sim_config_t *cfg, int cycle_level);
/* Frees what os_model_machine_create allocated; a zeroed mm is accepted. */
void os_model_machine_destroy(os_model_machine_t *mm);

#ifdef __cplusplus
}
#endif
#endif
