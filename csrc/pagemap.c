/*
 * pagemap.c - a radix tree of pointers, as Linux's page cache keeps its
 * pages: each node covers 64 times its children's range, nodes are made
 * only on the path to an index that is set, and the tree grows a level at
 * the top when an index does not fit under the root (so a small object
 * costs one node).  Walking it visits indices in ascending order, which
 * keeps every user's output independent of the layout.
 */
#include <errno.h>
#include <stdlib.h>

#include "pagemap.h"

#define PM_BITS 6
#define PM_FANOUT (1u << PM_BITS)
#define PM_MASK (PM_FANOUT - 1)

typedef struct {
    void *slot[PM_FANOUT];  /* children, or the values in a node of height 1 */
} pm_node_t;

/* 1 when idx is under a root of height levels (which covers PM_BITS * height bits). */
static int pm_fits(uint64_t idx, int height)
{
    return height > 0 && (PM_BITS * height >= 64 || !(idx >> (PM_BITS * height)));
}

/* The value at idx, or NULL when none was set. */
void *pagemap_get(const pagemap_t *pm, uint64_t idx)
{
    const pm_node_t *n = pm->root;

    if (!pm_fits(idx, pm->height))
        return NULL;
    for (int h = pm->height; n && h > 1; h--)
        n = n->slot[(idx >> (PM_BITS * (h - 1))) & PM_MASK];
    return n ? n->slot[idx & PM_MASK] : NULL;
}

/*
 * Sets the value at idx (NULL clears it; clearing never allocates).  0, or
 * -ENOMEM with the map as it was for every other index.  Nodes emptied by a
 * clear stay until pagemap_free: they are bounded by the indices ever set.
 */
int pagemap_set(pagemap_t *pm, uint64_t idx, void *val)
{
    void **slot = &pm->root;

    if (!val && !pm_fits(idx, pm->height))
        return 0;
    while (!pm_fits(idx, pm->height)) {
        if (pm->root) {
            pm_node_t *n = calloc(1, sizeof *n);
            if (!n)
                return -ENOMEM;
            n->slot[0] = pm->root;
            pm->root = n;
        }
        pm->height++;
    }
    for (int h = pm->height; h > 0; h--) {
        if (!*slot) {
            if (!val)
                return 0;
            if (!(*slot = calloc(1, sizeof(pm_node_t))))
                return -ENOMEM;
        }
        slot = &((pm_node_t *)*slot)->slot[(idx >> (PM_BITS * (h - 1))) & PM_MASK];
    }
    *slot = val;
    return 0;
}

/*
 * The first value at an index of at least lo under node n of height h,
 * whose first index is base (lo >= base); its index in *found.  NULL if none.
 */
static void *pm_next(const pm_node_t *n, int h, uint64_t base, uint64_t lo, uint64_t *found)
{
    unsigned shift = PM_BITS * (unsigned)(h - 1);

    for (uint64_t i = (lo - base) >> shift; i < PM_FANOUT; i++) {
        uint64_t first = base + (i << shift);
        void *v = n->slot[i];
        if (v && h > 1)
            v = pm_next(v, h - 1, first, first > lo ? first : lo, found);
        else if (v)
            *found = first;
        if (v)
            return v;
    }
    return NULL;
}

/*
 * The value at the lowest index of at least *idx, its index stored in
 * *idx; NULL when there is none.  The caller may set or clear entries
 * between calls: iterate with `for (i = 0; (v = pagemap_next(pm, &i)); i++)`.
 */
void *pagemap_next(const pagemap_t *pm, uint64_t *idx)
{
    if (!pm->root || !pm_fits(*idx, pm->height))
        return NULL;
    return pm_next(pm->root, pm->height, 0, *idx, idx);
}

/* Frees node n of height h and the nodes below it (not the values). */
static void pm_free(pm_node_t *n, int h)
{
    if (h > 1)
        for (unsigned i = 0; i < PM_FANOUT; i++)
            if (n->slot[i])
                pm_free(n->slot[i], h - 1);
    free(n);
}

/* Frees the map's nodes (the caller frees the values first) and leaves it empty. */
void pagemap_free(pagemap_t *pm)
{
    if (pm->root)
        pm_free(pm->root, pm->height);
    pm->root = NULL;
    pm->height = 0;
}
