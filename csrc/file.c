/*
 * file.c - the simulated file store and its page cache.
 *
 * A file's data (the disk) is kept per page, a missing page reading as
 * zeros.  The page cache holds at most one frame per file page; every
 * process that maps the page shared, or private and not yet written, maps
 * that frame.  Disk and page cache are one sparse map (pagemap.h) of the
 * pages that have either, so a file or shared object costs the host what
 * is used of it, never its size.  A file's page cache lives while some area maps the file:
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
    f->name = name ? strdup(name) : NULL;
    if (name && !f->name) {
        free(f);
        return NULL;
    }
    f->next = os->files;
    os->files = f;
    return f;
}

/* The frame caching page pgoff of file, or NO_FRAME. */
uint32_t file_cached(const file_t *file, uint64_t pgoff)
{
    const fpage_t *fp = pagemap_get(&file->pages, pgoff);
    return fp ? fp->frame : NO_FRAME;
}

/*
 * The entry of page pgoff of file, made (no data, not cached) when absent.
 * Host memory is not the simulated machine's to run out of: running out panics.
 */
static fpage_t *file_page(file_t *file, uint64_t pgoff)
{
    fpage_t *fp = pagemap_get(&file->pages, pgoff);

    if (fp)
        return fp;
    if (!(fp = malloc(sizeof *fp)))
        panic("file_page: no host memory");
    fp->data = NULL;
    fp->frame = NO_FRAME;
    if (pagemap_set(&file->pages, pgoff, fp))
        panic("file_page: no host memory");
    return fp;
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
    fpage_t *fp;
    for (uint64_t i = 0; (fp = pagemap_next(&f->pages, &i)); i++) {
        free(fp->data);
        free(fp);
    }
    pagemap_free(&f->pages);
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
    fpage_t *fp;
    /* In page order, as the frames go back to the free list in this order. */
    for (uint64_t i = 0; (fp = pagemap_next(&file->pages, &i)); i++) {
        uint32_t f = fp->frame;
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
    uint32_t f = file_cached(file, pgoff);
    fpage_t *fp;
    int rc;

    if (pgoff >= file->npages)
        panic("page %llu past the end of a %llu-page file", (unsigned long long)pgoff,
              (unsigned long long)file->npages);
    if (f != NO_FRAME) {
        OS_COUNT(os, p, cache_hits, 1);
        *out = f;
        return 0;
    }
    rc = frame_alloc(os, p, FR_FILE, &f);
    if (rc)
        return rc;
    /* Looked up after the allocation: reclaim may have dropped other pages of this file. */
    fp = file_page(file, pgoff);
    if (!file->name && !fp->data) {
        frame_zero(os, f);
        OS_COUNT(os, p, zero_fills, 1);
        os_charge(os, p, os->cfg.os.cost_zero);
    } else {
        const void *src = fp->data ? fp->data : os->page;
        if (!fp->data)
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
    fp->frame = f;
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
    fpage_t *fp = file_page(file, fr->pgoff);

    if (!fp->data && !(fp->data = calloc(1, PAGE_SIZE)))
        panic("file_writeback: no host memory for file data");
    if (dram_read(os->dram, frame_pa(os, f), fp->data, len))
        panic("frame %u outside DRAM", f);
    fr->dirty = 0;
    if (file->name)
        OS_COUNT(os, p, writebacks, 1);
    os_charge(os, p, os->cfg.os.disk_latency);
}

/*
 * Takes frame f (no longer mapped) out of its file's page cache; a page
 * left with no data on the disk loses its entry.
 */
void file_uncache(os_t *os, uint32_t f)
{
    frame_t *fr = &os->frames[f];
    fpage_t *fp = fr->kind == FR_FILE ? pagemap_get(&fr->file->pages, fr->pgoff) : NULL;

    if (!fp || fr->mapcount || fp->frame != f)
        panic("file_uncache: frame %u is not an unmapped page-cache frame", f);
    fp->frame = NO_FRAME;
    if (!fp->data) {
        pagemap_set(&fr->file->pages, fr->pgoff, NULL);
        free(fp);
    }
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
    fpage_t *fp = NULL;

    if (file_find(os, name))
        return -EEXIST;
    if (!(f = file_new(os, name, size)))
        return -ENOMEM;
    for (uint64_t i = 0; i < f->npages; i++) {
        uint64_t len = size - (i << PAGE_SHIFT) < PAGE_SIZE ? size - (i << PAGE_SHIFT) : PAGE_SIZE;
        const uint8_t *src = (const uint8_t *)data + (i << PAGE_SHIFT);
        /* A zero page is what a missing one reads as: the disk stays sparse. */
        if (!src[0] && !memcmp(src, src + 1, len - 1))
            continue;
        if (!(fp = calloc(1, sizeof *fp)) || !(fp->data = calloc(1, PAGE_SIZE)) ||
            pagemap_set(&f->pages, i, fp))
            goto nomem;
        fp->frame = NO_FRAME;
        memcpy(fp->data, src, len);
        fp = NULL;
    }
    return 0;
nomem:
    /* fp, when set, is the page that failed: not in the map yet */
    if (fp)
        free(fp->data);
    free(fp);
    file_free(os, f);
    return -ENOMEM;
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
        const fpage_t *fp = pagemap_get(&f->pages, pg);
        if (fp && fp->frame != NO_FRAME) {
            if (dram_read(os->dram, frame_pa(os, fp->frame) + in, dst, n))
                panic("frame %u outside DRAM", fp->frame);
        } else if (fp && fp->data) {
            memcpy(dst, fp->data + in, n);
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
