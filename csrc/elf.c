/*
 * elf.c - the ELF64 little-endian executable reader (elf.h).
 *
 * The format, from the System V gABI ("ELF-64 Object File Format"); only
 * the fields read here are listed, at their byte offsets, all little-endian:
 *
 *   ELF header (64 bytes)              program header (56 bytes each)
 *    0  e_ident[16]                      0  p_type    u32
 *         0..3 magic 7f 'E' 'L' 'F'      4  p_flags   u32  PF_X 1, PF_W 2, PF_R 4
 *         4  EI_CLASS   2 = ELFCLASS64   8  p_offset  u64
 *         5  EI_DATA    1 = ELFDATA2LSB 16  p_vaddr   u64
 *         6  EI_VERSION 1 = EV_CURRENT  24  p_paddr   u64  (unused)
 *   16  e_type      u16                 32  p_filesz  u64
 *   18  e_machine   u16                 40  p_memsz   u64
 *   20  e_version   u32                 48  p_align   u64
 *   24  e_entry     u64
 *   32  e_phoff     u64
 *   54  e_phentsize u16
 *   56  e_phnum     u16
 *
 * Every offset and length comes from the untrusted image, so ranges are
 * checked as "off <= size && len <= size - off", which cannot overflow,
 * and every load goes through elf_rd*, which re-checks its bounds.
 */
#include "elf.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "panic.h"

#define EHDR_SIZE 64u
#define PHDR_SIZE 56u

#define EI_CLASS 4
#define EI_DATA 5
#define EI_VERSION 6
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EV_CURRENT 1

#define E_TYPE 16
#define E_MACHINE 18
#define E_VERSION 20
#define E_ENTRY 24
#define E_PHOFF 32
#define E_PHENTSIZE 54
#define E_PHNUM 56

#define ET_EXEC 2
#define ET_DYN 3
#define PN_XNUM 0xffffu /* e_phnum escape: real count in section header 0 */

#define P_TYPE 0
#define P_FLAGS 4
#define P_OFFSET 8
#define P_VADDR 16
#define P_FILESZ 32
#define P_MEMSZ 40
#define P_ALIGN 48

#define PT_LOAD 1
#define PT_INTERP 3

/* The image being parsed and where to report a rejection. */
typedef struct {
    const uint8_t *image;
    uint64_t size;
    char *err;
    size_t errlen;
} elf_ctx_t;

/* 1 when [off, off + len) lies inside an image of size bytes; overflow-safe. */
static int elf_in_image(uint64_t off, uint64_t len, uint64_t size)
{
    return off <= size && len <= size - off;
}

/*
 * Little-endian loads of n bytes at off.  The callers check ranges first
 * and report bad input; reaching here out of range is a bug in this file.
 */
static uint64_t elf_rd(const elf_ctx_t *c, uint64_t off, unsigned n)
{
    uint64_t v = 0;

    if (!elf_in_image(off, n, c->size))
        panic("read of %u bytes at 0x%" PRIx64 " past image of 0x%" PRIx64 " bytes", n, off, c->size);
    for (unsigned i = n; i-- > 0;)
        v = (v << 8) | c->image[off + i];
    return v;
}

static uint16_t elf_rd16(const elf_ctx_t *c, uint64_t off) { return (uint16_t)elf_rd(c, off, 2); }
static uint32_t elf_rd32(const elf_ctx_t *c, uint64_t off) { return (uint32_t)elf_rd(c, off, 4); }
static uint64_t elf_rd64(const elf_ctx_t *c, uint64_t off) { return elf_rd(c, off, 8); }

/* Formats the rejection reason into c->err; always returns -1. */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int elf_fail(const elf_ctx_t *c, const char *fmt, ...)
{
    va_list ap;

    if (c->errlen > 0) {
        va_start(ap, fmt);
        vsnprintf(c->err, c->errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* Checks the ELF header (the image holds at least EHDR_SIZE bytes) and fills the header fields of out. */
static int elf_check_header(const elf_ctx_t *c, elf_info_t *out)
{
    const uint8_t *id = c->image;
    uint16_t type, phentsize;
    uint32_t version;
    uint64_t tabsz;

    if (id[0] != 0x7f || id[1] != 'E' || id[2] != 'L' || id[3] != 'F')
        return elf_fail(c, "bad magic %02x %02x %02x %02x: not an ELF file", id[0], id[1], id[2], id[3]);
    if (id[EI_CLASS] != ELFCLASS64)
        return elf_fail(c, "EI_CLASS %u: not ELFCLASS64 (2)", id[EI_CLASS]);
    if (id[EI_DATA] != ELFDATA2LSB)
        return elf_fail(c, "EI_DATA %u: not ELFDATA2LSB (1, little-endian)", id[EI_DATA]);
    if (id[EI_VERSION] != EV_CURRENT)
        return elf_fail(c, "EI_VERSION %u: not EV_CURRENT (1)", id[EI_VERSION]);
    version = elf_rd32(c, E_VERSION);
    if (version != EV_CURRENT)
        return elf_fail(c, "e_version %" PRIu32 ": not EV_CURRENT (1)", version);

    type = elf_rd16(c, E_TYPE);
    if (type != ET_EXEC && type != ET_DYN)
        return elf_fail(c, "e_type %u: not ET_EXEC (2) or ET_DYN (3)", type);
    out->type = type == ET_EXEC ? ELF_TYPE_EXEC : ELF_TYPE_DYN;
    out->machine = elf_rd16(c, E_MACHINE);
    out->entry = elf_rd64(c, E_ENTRY);

    /* Only the exact ELF64 size: a larger entry would be a format we do not know. */
    phentsize = elf_rd16(c, E_PHENTSIZE);
    if (phentsize != PHDR_SIZE)
        return elf_fail(c, "e_phentsize %u: not %u (ELF64 program header)", phentsize, PHDR_SIZE);
    out->phoff = elf_rd64(c, E_PHOFF);
    out->phnum = elf_rd16(c, E_PHNUM);
    if (out->phnum == PN_XNUM)
        return elf_fail(c, "e_phnum 0x%x (PN_XNUM extended numbering) not supported", PN_XNUM);
    tabsz = (uint64_t)out->phnum * PHDR_SIZE; /* < 2^22: cannot overflow */
    if (!elf_in_image(out->phoff, tabsz, c->size))
        return elf_fail(c,
                        "program header table (e_phoff 0x%" PRIx64 ", %u entries of %u bytes) "
                        "past the end of the image (0x%" PRIx64 " bytes)",
                        out->phoff, out->phnum, PHDR_SIZE, c->size);
    return 0;
}

/* Copies the PT_INTERP path of program header i (at ph) into out after checking it. */
static int elf_read_interp(const elf_ctx_t *c, unsigned i, uint64_t ph, elf_info_t *out)
{
    uint64_t off = elf_rd64(c, ph + P_OFFSET);
    uint64_t filesz = elf_rd64(c, ph + P_FILESZ);
    const uint8_t *path, *nul;

    if (out->has_interp)
        return elf_fail(c, "program header %u: second PT_INTERP", i);
    if (!elf_in_image(off, filesz, c->size))
        return elf_fail(c,
                        "program header %u: PT_INTERP p_offset 0x%" PRIx64 " + p_filesz 0x%" PRIx64
                        " past the end of the image (0x%" PRIx64 " bytes)",
                        i, off, filesz, c->size);
    if (filesz > ELF_INTERP_MAX)
        return elf_fail(c, "program header %u: PT_INTERP path of 0x%" PRIx64 " bytes longer than %d", i,
                        filesz, ELF_INTERP_MAX);
    path = c->image + off;
    if (filesz == 0 || path[filesz - 1] != '\0')
        return elf_fail(c, "program header %u: PT_INTERP path not NUL-terminated", i);
    nul = memchr(path, '\0', (size_t)filesz);
    if (nul == path)
        return elf_fail(c, "program header %u: PT_INTERP path empty", i);
    if (nul != path + filesz - 1)
        return elf_fail(c, "program header %u: PT_INTERP path has a NUL at byte %td of %" PRIu64, i,
                        nul - path, filesz);
    memcpy(out->interp, path, (size_t)filesz);
    out->has_interp = 1;
    return 0;
}

/* Checks the PT_LOAD program header i (at ph) and appends it to out->load. */
static int elf_read_load(const elf_ctx_t *c, unsigned i, uint64_t ph, elf_info_t *out)
{
    elf_load_t s;
    const elf_load_t *prev = out->nload ? &out->load[out->nload - 1] : NULL;

    s.flags = elf_rd32(c, ph + P_FLAGS) & (ELF_PF_R | ELF_PF_W | ELF_PF_X);
    s.offset = elf_rd64(c, ph + P_OFFSET);
    s.vaddr = elf_rd64(c, ph + P_VADDR);
    s.filesz = elf_rd64(c, ph + P_FILESZ);
    s.memsz = elf_rd64(c, ph + P_MEMSZ);
    s.align = elf_rd64(c, ph + P_ALIGN);

    if (s.filesz > s.memsz)
        return elf_fail(c, "program header %u: p_filesz 0x%" PRIx64 " > p_memsz 0x%" PRIx64, i, s.filesz,
                        s.memsz);
    if (!elf_in_image(s.offset, s.filesz, c->size))
        return elf_fail(c,
                        "program header %u: p_offset 0x%" PRIx64 " + p_filesz 0x%" PRIx64
                        " past the end of the image (0x%" PRIx64 " bytes)",
                        i, s.offset, s.filesz, c->size);
    if (s.align > 1 && (s.align & (s.align - 1)) != 0)
        return elf_fail(c, "program header %u: p_align 0x%" PRIx64 " not a power of two", i, s.align);
    /* The loader maps file pages at page-aligned addresses: both must sit at the same page offset. */
    if (s.vaddr % ELF_PAGE_SIZE != s.offset % ELF_PAGE_SIZE)
        return elf_fail(c,
                        "program header %u: p_vaddr 0x%" PRIx64 " not congruent to p_offset 0x%" PRIx64
                        " modulo the page size %d",
                        i, s.vaddr, s.offset, ELF_PAGE_SIZE);
    if (s.memsz > UINT64_MAX - s.vaddr)
        return elf_fail(c, "program header %u: p_vaddr 0x%" PRIx64 " + p_memsz 0x%" PRIx64 " wraps the address space",
                        i, s.vaddr, s.memsz);
    /* Sorted and disjoint, so each segment need only be checked against the one before. */
    if (prev && s.vaddr < prev->vaddr)
        return elf_fail(c,
                        "program header %u: PT_LOAD p_vaddr 0x%" PRIx64 " below the previous PT_LOAD's 0x%" PRIx64
                        " (PT_LOAD segments must be in ascending p_vaddr order)",
                        i, s.vaddr, prev->vaddr);
    if (prev && s.vaddr < prev->vaddr + prev->memsz)
        return elf_fail(c,
                        "program header %u: PT_LOAD [0x%" PRIx64 ", 0x%" PRIx64 ") overlaps the previous PT_LOAD [0x%" PRIx64
                        ", 0x%" PRIx64 ")",
                        i, s.vaddr, s.vaddr + s.memsz, prev->vaddr, prev->vaddr + prev->memsz);
    if (out->nload == ELF_MAX_LOAD)
        return elf_fail(c, "program header %u: more than %d PT_LOAD segments", i, ELF_MAX_LOAD);
    out->load[out->nload++] = s;
    return 0;
}

int elf_parse(const uint8_t *image, uint64_t size, elf_info_t *info, char *err, size_t errlen)
{
    elf_ctx_t c = {image, size, err, errlen};
    elf_info_t out;

    if (!info || (!image && size > 0) || (!err && errlen > 0))
        panic("NULL argument (image %p, size %" PRIu64 ", info %p, err %p, errlen %zu)", (const void *)image, size,
              (void *)info, (void *)err, errlen);
    /* Built aside so that *info is only written on success. */
    memset(&out, 0, sizeof out);
    if (size < EHDR_SIZE)
        return elf_fail(&c, "image of %" PRIu64 " bytes shorter than the ELF header (%u bytes)", size, EHDR_SIZE);
    if (elf_check_header(&c, &out) < 0)
        return -1;

    for (unsigned i = 0; i < out.phnum; i++) {
        uint64_t ph = out.phoff + (uint64_t)i * PHDR_SIZE; /* inside the image: table checked above */
        uint32_t type = elf_rd32(&c, ph + P_TYPE);

        if (type == PT_LOAD && elf_read_load(&c, i, ph, &out) < 0)
            return -1;
        if (type == PT_INTERP && elf_read_interp(&c, i, ph, &out) < 0)
            return -1;
    }
    if (out.nload == 0)
        return elf_fail(&c, "no PT_LOAD segment (%u program headers)", out.phnum);
    *info = out;
    return 0;
}
