/*
 * pagemap.h - a sparse map from a page index to a pointer: the per-page
 * state of an object (a file's disk and page cache) whose size says
 * nothing about how many of its pages are ever used.  Memory follows the
 * indices that were set, never the largest index, so a 1 TiB object
 * touched in ten places costs a few nodes.
 *
 * A pagemap_t that is all zero is an empty map.  Values are the caller's:
 * the map never frees them.
 */
#ifndef MMUSIM_PAGEMAP_H
#define MMUSIM_PAGEMAP_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    void *root;     /* node of height levels, NULL when nothing was ever set */
    int height;     /* levels of nodes from the root to the values */
} pagemap_t;

void *pagemap_get(const pagemap_t *pm, uint64_t idx);
int pagemap_set(pagemap_t *pm, uint64_t idx, void *val);
void *pagemap_next(const pagemap_t *pm, uint64_t *idx);
void pagemap_free(pagemap_t *pm);

#ifdef __cplusplus
}
#endif

#endif
