/*
 * elf.h - the ELF reader behind os_execve: checks an ELF64 little-endian
 * executable held in memory and reports what the loader needs (entry
 * point, type, interpreter, PT_LOAD segments).
 *
 * The image is untrusted input: every field is read by offset with
 * bounds-checked little-endian loads, so the reader works on any host and
 * never reads outside [image, image + size).  The system <elf.h> is not
 * used; the few constants needed are defined in elf.c.
 *
 * The architecture (e_machine) is reported, not checked: the caller
 * decides which machines it runs.  Nothing is mapped or allocated here.
 */
#ifndef MMUSIM_ELF_H
#define MMUSIM_ELF_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
    ELF_MAX_LOAD = 16,    /* PT_LOAD segments accepted; more is an error */
    ELF_INTERP_MAX = 256, /* PT_INTERP path bytes, terminating NUL included */
    ELF_PAGE_SIZE = 4096  /* p_vaddr and p_offset must agree modulo this */
};

/* Segment permissions: the PF_ bits of p_flags, unchanged. */
enum { ELF_PF_X = 1, ELF_PF_W = 2, ELF_PF_R = 4 };

typedef enum { ELF_TYPE_EXEC, ELF_TYPE_DYN } elf_type_t;

/* One PT_LOAD: file bytes [offset, offset + filesz) at vaddr, zero-filled up to memsz. */
typedef struct {
    uint64_t vaddr;
    uint64_t offset;
    uint64_t filesz;
    uint64_t memsz;
    uint64_t align;  /* p_align as found: 0 or a power of two */
    uint32_t flags;  /* ELF_PF_R | ELF_PF_W | ELF_PF_X; other p_flags bits dropped */
} elf_load_t;

typedef struct {
    uint64_t entry;         /* e_entry (for ET_DYN: relative to the load bias) */
    elf_type_t type;
    uint16_t machine;       /* e_machine: 62 x86-64, 243 RISC-V, ... */
    uint64_t phoff;         /* program header table: file offset and entry count */
    uint16_t phnum;         /*   (for AT_PHDR / AT_PHNUM in the auxiliary vector) */
    int has_interp;         /* 1 when a PT_INTERP is present */
    char interp[ELF_INTERP_MAX]; /* its path, NUL-terminated; "" when none */
    unsigned nload;         /* entries of load[] in use */
    elf_load_t load[ELF_MAX_LOAD]; /* in file order, which is ascending vaddr */
} elf_info_t;

/*
 * Parses the ELF64 little-endian executable image[0 .. size).  Checks the
 * identification (magic, ELFCLASS64, ELFDATA2LSB, EV_CURRENT, e_version),
 * e_type (ET_EXEC or ET_DYN), e_phentsize, the bounds of the program
 * header table, at most one PT_INTERP (inside the image, NUL-terminated,
 * shorter than ELF_INTERP_MAX), and for every PT_LOAD: p_filesz <= p_memsz,
 * file bytes inside the image, p_align 0, 1 or a power of two, p_vaddr
 * congruent to p_offset modulo ELF_PAGE_SIZE, [p_vaddr, p_vaddr + p_memsz)
 * not wrapping, and segments in ascending p_vaddr order without
 * overlapping bytes (they may share a page).  At least one and at most
 * ELF_MAX_LOAD PT_LOAD segments.
 *
 * Returns 0 and fills *info; or -1 with the reason in err (truncated to
 * errlen, always NUL-terminated when errlen > 0; err may be NULL when
 * errlen is 0), *info left untouched.  Program headers are numbered from 0
 * in messages, as readelf's segment list does.
 */
int elf_parse(const uint8_t *image, uint64_t size, elf_info_t *info, char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
