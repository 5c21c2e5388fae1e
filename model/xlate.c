/*
 * xlate.c - names and codes of access types and faults (xlate.h).
 */
#include "xlate.h"

#include <string.h>

static const char *const fault_names[FAULT_COUNT] = {
    "none", "load-page", "store-page", "fetch-page", "load-access", "store-access", "fetch-access",
};

/* RISC-V exception codes, privileged specification table "scause". */
static const unsigned fault_codes[FAULT_COUNT] = { 0, 13, 15, 12, 5, 7, 1 };

const char *fault_name(fault_t f)
{
    return (unsigned)f < FAULT_COUNT ? fault_names[f] : "?";
}

int fault_parse(const char *s, fault_t *f)
{
    for (int i = 0; i < FAULT_COUNT; i++)
        if (!strcmp(s, fault_names[i])) {
            *f = (fault_t)i;
            return 0;
        }
    return -1;
}

unsigned fault_cause_code(fault_t f)
{
    return (unsigned)f < FAULT_COUNT ? fault_codes[f] : 0;
}

fault_t fault_page(acc_t acc)
{
    return acc == ACC_STORE ? FAULT_STORE_PAGE : acc == ACC_FETCH ? FAULT_FETCH_PAGE : FAULT_LOAD_PAGE;
}

fault_t fault_access(acc_t acc)
{
    return acc == ACC_STORE ? FAULT_STORE_ACCESS
                            : acc == ACC_FETCH ? FAULT_FETCH_ACCESS : FAULT_LOAD_ACCESS;
}

const char *acc_name(acc_t acc)
{
    return acc == ACC_STORE ? "w" : acc == ACC_FETCH ? "x" : "r";
}
