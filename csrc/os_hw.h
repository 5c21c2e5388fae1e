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

#ifdef __cplusplus
}
#endif
#endif
