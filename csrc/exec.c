/*
 * exec.c - execve of a real ELF executable, as CS:APP 9.8.3 describes: the
 * old areas go, the PT_LOAD segments are mapped private copy-on-write from
 * the file, bss, heap and stack are demand-zero.
 *
 * The file is read from the host once into the simulated file store under
 * its path, so several processes running it share its page cache.  A
 * position-independent executable (ET_DYN) is placed at two thirds of the
 * user address space, as Linux's ELF_ET_DYN_BASE does.  The interpreter
 * of a dynamically linked program is not loaded, and no arguments are put
 * on the stack: the image is for the memory system, not for running code.
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf.h"
#include "kernel.h"

#define STACK_BYTES (8ULL << 20)
#define MAX_IMAGE (256ULL << 20)

int os_host_read(const char *path, uint64_t max, uint8_t **data, uint64_t *size, char *err, size_t errlen)
{
    /* O_NONBLOCK: opening a FIFO must not wait for a writer before fstat can refuse it. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC), rc = -ENOEXEC;
    struct stat st;
    uint64_t got = 0;
    ssize_t n = 0;
    uint8_t probe;

    *data = NULL;
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -ENOENT;
    }
    if (fstat(fd, &st)) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: %s", path, S_ISFIFO(st.st_mode) ? "is a FIFO" :
                 S_ISDIR(st.st_mode) ? "is a directory" : "is not a regular file");
        goto out;
    }
    if ((uint64_t)st.st_size > max) {
        snprintf(err, errlen, "%s: larger than %llu MiB", path, (unsigned long long)(max >> 20));
        goto out;
    }
    if (!(*data = malloc(st.st_size ? (size_t)st.st_size : 1))) {
        rc = -ENOMEM;
        goto out;
    }
    while (got < (uint64_t)st.st_size && (n = read(fd, *data + got, (size_t)st.st_size - got)) > 0)
        got += (uint64_t)n;
    /* A /proc or /sys file says one size and reads another: it is no image. */
    if (n < 0 || got != (uint64_t)st.st_size || (n = read(fd, &probe, 1))) {
        if (n < 0)
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
        else
            snprintf(err, errlen, "%s: is not a regular file (it reads other than its size, %llu bytes)", path,
                     (unsigned long long)st.st_size);
        goto out;
    }
    *size = got;
    rc = 0;
out:
    if (rc) {
        free(*data);
        *data = NULL;
    }
    close(fd);
    return rc;
}

/* The file-store copy of host path, read and checked on first use.  0 or -errno with err. */
static int exec_image(os_t *os, const char *path, elf_info_t *info, char *err, size_t errlen)
{
    uint8_t *data;
    uint64_t size;
    int rc = os_host_read(path, MAX_IMAGE, &data, &size, err, errlen);

    if (rc)
        return rc;
    if (elf_parse(data, size, info, err, errlen)) {
        rc = -ENOEXEC;
    } else if (!file_find(os, path) && (rc = os_file_create(os, path, data, size))) {
        snprintf(err, errlen, "%s: no memory for the file", path);
    }
    free(data);
    return rc;
}

/* Maps one PT_LOAD segment at bias; zeroes the part of its last file page past p_filesz. */
static int exec_segment(os_t *os, proc_t *p, const char *path, const elf_load_t *s, uint64_t bias)
{
    int prot = (s->flags & ELF_PF_R ? OS_PROT_READ : 0) | (s->flags & ELF_PF_W ? OS_PROT_WRITE : 0) |
               (s->flags & ELF_PF_X ? OS_PROT_EXEC : 0);
    uint64_t start = (bias + s->vaddr) & ~(PAGE_SIZE - 1), file_end = bias + s->vaddr + s->filesz;
    uint64_t map_end = (file_end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    uint64_t mem_end = (bias + s->vaddr + s->memsz + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1), got;
    int rc;

    /* elf_parse bounds vaddr + memsz; the bias must not carry it past user space either. */
    if (s->vaddr >= mm_user_top(os) || s->memsz > mm_user_top(os) - s->vaddr ||
        bias > mm_user_top(os) - s->vaddr - s->memsz)
        return -ENOMEM;
    if (s->filesz) {
        rc = os_mmap(os, p->pid, start, map_end - start, prot, OS_MAP_PRIVATE | OS_MAP_FIXED, path,
                     s->offset & ~(PAGE_SIZE - 1), &got);
        if (rc)
            return rc;
        /* bss starting inside the last file page: that page's tail is bss, not file data. */
        if (s->memsz > s->filesz && (file_end & (PAGE_SIZE - 1)) && (prot & OS_PROT_WRITE)) {
            static const uint8_t zeros[PAGE_SIZE];
            if (os_access(os, p->pid, file_end, ACC_STORE, (void *)zeros, map_end - file_end))
                return -ENOMEM;
        }
    } else {
        map_end = start;
    }
    if (mem_end > map_end)
        return os_mmap(os, p->pid, map_end, mem_end - map_end, prot, OS_MAP_PRIVATE | OS_MAP_ANON | OS_MAP_FIXED,
                       NULL, 0, &got);
    return 0;
}

int os_execve(os_t *os, int pid, const char *path, uint64_t *entry, char *err, size_t errlen)
{
    elf_info_t info;
    proc_t *p = proc_get(os, pid);
    os_stats_t keep = { 0 };
    uint64_t bias = 0, top = 0, got;
    int rc = exec_image(os, path, &info, err, errlen), existed = p != NULL;

    if (rc)
        return rc;
    /* The process lives on with a new address space: its counters go on. */
    if (existed) {
        keep = p->stats;
        os_exit(os, pid);
    }
    if ((rc = proc_new(os, pid, &p)))
        return rc;
    if (existed)
        p->stats = keep;
    if (info.type == ELF_TYPE_DYN)
        bias = (mm_user_top(os) / 3 * 2) & ~((1ULL << 21) - 1);
    for (unsigned i = 0; i < info.nload; i++) {
        const elf_load_t *s = &info.load[i];
        if ((rc = exec_segment(os, p, path, s, bias))) {
            snprintf(err, errlen, "%s: segment %u does not fit the address space", path, i);
            os_exit(os, pid);
            return rc;
        }
        if (bias + s->vaddr + s->memsz > top)
            top = bias + s->vaddr + s->memsz;
    }
    p->brk_start = p->brk = (top + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    rc = os_mmap(os, pid, mm_user_top(os) - STACK_BYTES, STACK_BYTES, OS_PROT_READ | OS_PROT_WRITE,
                 OS_MAP_PRIVATE | OS_MAP_ANON | OS_MAP_FIXED, NULL, 0, &got);
    if (rc) {
        os_exit(os, pid);
        return rc;
    }
    *entry = bias + info.entry;
    return 0;
}
