/*
 * os_hw.c - the golden model as the OS's hardware.  The cycle-level path
 * runs each request and fence through mmu_eval/mmu_clock; handler time is
 * idle time on both paths.
 */
#include "os_hw.h"

#include <string.h>

/* os_hw_t.translate on the model. */
static fault_t hw_translate(void *ctx, const mmu_req_t *req, mmu_resp_t *resp)
{
    os_hw_model_t *m = ctx;
    return m->port ? memport_translate(m->port, m->mmu, req, resp) : mmu_translate(m->mmu, req, resp);
}

/* os_hw_t.sfence on the model. */
static void hw_sfence(void *ctx, const mmu_sfence_t *f)
{
    os_hw_model_t *m = ctx;
    if (m->port)
        memport_sfence(m->port, m->mmu, f);
    else
        mmu_sfence(m->mmu, f);
}

/* os_hw_t.set_csr on the model. */
static void hw_set_csr(void *ctx, const mmu_csr_t *csr)
{
    os_hw_model_t *m = ctx;
    mmu_set_csr(m->mmu, csr);
}

/* os_hw_t.wait on the model. */
static void hw_wait(void *ctx, uint64_t cycles)
{
    os_hw_model_t *m = ctx;
    mmu_wait(m->mmu, cycles);
}

void os_hw_bind_model(os_hw_t *hw, os_hw_model_t *model)
{
    *hw = (os_hw_t){ model, hw_translate, hw_sfence, hw_set_csr, hw_wait, NULL, NULL, NULL };
}

int os_model_machine_create(os_model_machine_t *mm, const sim_config_t *cfg, int cycle_level)
{
    memset(mm, 0, sizeof *mm);
    mm->m.dram = dram_create(cfg->dram.base, cfg->dram.size);
    mm->m.mmu = mm->m.dram ? mmu_create(cfg, mm->m.dram) : NULL;
    if (!mm->m.mmu || (cycle_level && memport_init(&mm->port, mm->m.dram, &cfg->dram, 100, 1))) {
        os_model_machine_destroy(mm);
        return -1;
    }
    mm->cycle_level = cycle_level;
    mm->model = (os_hw_model_t){ mm->m.mmu, cycle_level ? &mm->port : NULL };
    os_hw_bind_model(&mm->m.hw, &mm->model);
    return 0;
}

void os_model_machine_destroy(os_model_machine_t *mm)
{
    if (mm->cycle_level)
        memport_fini(&mm->port);
    mmu_destroy(mm->m.mmu);
    dram_destroy(mm->m.dram);
    memset(mm, 0, sizeof *mm);
}
