/*
 * file.c - the simulated file store and its page cache.
 *
 * A file's data (the disk) is kept per page, a missing page reading as
 * zeros.  The page cache holds at most one frame per file page; every
 * process that maps the page shared, or private and not yet written, maps
 * that frame.  A file's page cache lives while some area maps the file:
 * when the last one goes, dirty pages are written back and the frames are
 * freed, so that frames in use always belong to running processes.
 *
 * A shared anonymous area is an unnamed file of the same machinery, which
 * dies with its last area; its "disk" holds pages evicted under pressure.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>

#include "kernel.h"

/* The named file called name, or NULL. */
file_t *file_find(os_t *os, const char *name)
{
    for (file_t *f = os->files; f; f = f->next)
        if (f->name && !strcmp(f->name, name))
            return f;
    return NULL;
}

/* Creates an empty (all-zero) file of size bytes; name NULL for an anonymous object.  NULL on no memory. */
file_t *file_new(os_t *os, const char *name, uint64_t size)
{
    file_t *f = calloc(1, sizeof *f);

    if (!f)
        return NULL;
    f->size = size;
    f->npages = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;
    f->data = calloc(f->npages ? f->npages : 1, sizeof *f->data);
    f->cache = malloc((f->npages ? f->npages : 1) * sizeof *f->cache);
    f->name = name ? strdup(name) : NULL;
    if (!f->data || !f->cache || (name && !f->name)) {
        free(f->data);
        free(f->cache);
        free(f->name);
        free(f);
        return NULL;
    }
    for (uint64_t i = 0; i < f->npages; i++)
        f->cache[i] = NO_FRAME;
    f->next = os->files;
    os->files = f;
    return f;
}

/* Frees file f (no page cached) and unlinks it. */
static void file_free(os_t *os, file_t *f)
{
    for (file_t **pp = &os->files; *pp; pp = &(*pp)->next) {
        if (*pp == f) {
            *pp = f->next;
            break;
        }
    }
    for (uint64_t i = 0; i < f->npages; i++)
        free(f->data[i]);
    free(f->data);
    free(f->cache);
    free(f->name);
    free(f);
}

/*
 * Drops a reference of an area on file.  The last one empties the page
 * cache (writing dirty pages back) and frees an anonymous object.
 */
void file_put(os_t *os, file_t *file)
{
    if (file->maps == 0)
        panic("file %s: reference count underflow", file->name ? file->name : "(anon)");
    if (--file->maps)
        return;
    for (uint64_t i = 0; i < file->npages; i++) {
        uint32_t f = file->cache[i];
        if (f == NO_FRAME)
            continue;
        if (os->frames[f].dirty && file->name)
            file_writeback(os, NULL, f);
        file_uncache(os, f);
        frame_free(os, f);
    }
    if (!file->name)
        file_free(os, file);
}

/*
 * The page-cache frame of page pgoff of file for a fault of p, reading it
 * from the disk (or zero-filling a never-written anonymous page) when it
 * is not cached.  0, or -ENOMEM (p is to be OOM-killed).
 */
int file_getpage(os_t *os, proc_t *p, file_t *file, uint64_t pgoff, uint32_t *out)
{
    uint32_t f;
    int rc;

    if (pgoff >= file->npages)
        panic("page %llu past the end of a %llu-page file", (unsigned long long)pgoff,
              (unsigned long long)file->npages);
    if (file->cache[pgoff] != NO_FRAME) {
        OS_COUNT(os, p, cache_hits, 1);
        *out = file->cache[pgoff];
        return 0;
    }
    rc = frame_alloc(os, p, FR_FILE, &f);
    if (rc)
        return rc;
    if (!file->name && !file->data[pgoff]) {
        frame_zero(os, f);
        OS_COUNT(os, p, zero_fills, 1);
        os_charge(os, p, os->cfg.os.cost_zero);
    } else {
        const void *src = file->data[pgoff] ? file->data[pgoff] : os->page;
        if (!file->data[pgoff])
            memset(os->page, 0, PAGE_SIZE);
        if (dram_write(os->dram, frame_pa(os, f), src, PAGE_SIZE))
            panic("frame %u outside DRAM", f);
        OS_COUNT(os, p, file_pageins, 1);
        OS_COUNT(os, p, major_faults, 1);
        os_charge(os, p, os->cfg.os.disk_latency);
    }
    OS_COUNT(os, p, page_faults, 1);
    os->frames[f].file = file;
    os->frames[f].pgoff = pgoff;
    file->cache[pgoff] = f;
    *out = f;
    return 0;
}

/*
 * Writes page-cache frame f back to its file's disk, the part past the end
 * of the file excepted (it stays zero there), and marks it clean.  Charged
 * to p (may be NULL).
 */
void file_writeback(os_t *os, proc_t *p, uint32_t f)
{
    frame_t *fr = &os->frames[f];
    file_t *file = fr->file;
    uint64_t off = fr->pgoff << PAGE_SHIFT;
    uint64_t len = file->size - off < PAGE_SIZE ? file->size - off : PAGE_SIZE;

    if (!file->data[fr->pgoff] && !(file->data[fr->pgoff] = calloc(1, PAGE_SIZE)))
        panic("no host memory for file data");
    if (dram_read(os->dram, frame_pa(os, f), file->data[fr->pgoff], len))
        panic("frame %u outside DRAM", f);
    fr->dirty = 0;
    if (file->name)
        OS_COUNT(os, p, writebacks, 1);
    os_charge(os, p, os->cfg.os.disk_latency);
}

/* Takes frame f (no longer mapped) out of its file's page cache. */
void file_uncache(os_t *os, uint32_t f)
{
    frame_t *fr = &os->frames[f];

    if (fr->kind != FR_FILE || fr->mapcount || fr->file->cache[fr->pgoff] != f)
        panic("frame %u is not an unmapped page-cache frame", f);
    fr->file->cache[fr->pgoff] = NO_FRAME;
    fr->file = NULL;
}

/* Frees every file (no area maps any). */
void files_fini(os_t *os)
{
    while (os->files) {
        if (os->files->maps)
            panic("file %s still mapped", os->files->name ? os->files->name : "(anon)");
        file_free(os, os->files);
    }
}

int os_file_create(os_t *os, const char *name, const void *data, uint64_t size)
{
    file_t *f;

    if (file_find(os, name))
        return -EEXIST;
    if (!(f = file_new(os, name, size)))
        return -ENOMEM;
    for (uint64_t i = 0; i < f->npages; i++) {
        uint64_t len = size - (i << PAGE_SHIFT) < PAGE_SIZE ? size - (i << PAGE_SHIFT) : PAGE_SIZE;
        if (!(f->data[i] = calloc(1, PAGE_SIZE))) {
            file_free(os, f);
            return -ENOMEM;
        }
        memcpy(f->data[i], (const uint8_t *)data + (i << PAGE_SHIFT), len);
    }
    return 0;
}

int64_t os_file_read(os_t *os, const char *name, uint64_t off, void *buf, uint64_t len)
{
    file_t *f = file_find(os, name);
    uint64_t done = 0;

    if (!f)
        return -ENOENT;
    if (off >= f->size)
        return 0;
    if (len > f->size - off)
        len = f->size - off;
    while (done < len) {
        uint64_t pos = off + done, pg = pos >> PAGE_SHIFT, in = pos & (PAGE_SIZE - 1);
        uint64_t n = PAGE_SIZE - in < len - done ? PAGE_SIZE - in : len - done;
        uint8_t *dst = (uint8_t *)buf + done;
        if (f->cache[pg] != NO_FRAME) {
            if (dram_read(os->dram, frame_pa(os, f->cache[pg]) + in, dst, n))
                panic("frame %u outside DRAM", f->cache[pg]);
        } else if (f->data[pg]) {
            memcpy(dst, f->data[pg] + in, n);
        } else {
            memset(dst, 0, n);
        }
        done += n;
    }
    return (int64_t)len;
}

int64_t os_file_size(os_t *os, const char *name)
{
    file_t *f = file_find(os, name);
    return f ? (int64_t)f->size : -ENOENT;
}
