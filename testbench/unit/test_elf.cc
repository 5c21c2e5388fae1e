// test_elf.cc - the ELF64 executable reader (csrc/elf.h).
//
// Four kinds of tests:
//  * hand-built images: an ELF header and program headers written field by
//    field at the offsets of the ELF-64 specification (not through any
//    <elf.h> struct), one valid layout and one variation per rejection, each
//    checking that the message names the offending field;
//  * every proper prefix of a valid image, copied into a heap block of
//    exactly that size so that ASan reports any read past the end;
//  * random byte corruptions of the headers (seed printed; MMUSIM_SEED
//    overrides it), which must never crash and, when accepted, must satisfy
//    the documented guarantees;
//  * /bin/ls and /bin/true of the host against `readelf -lW` (binutils), an
//    independent parser: type, entry, program-header table, interpreter and
//    every LOAD line.

#include <gtest/gtest.h>

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

// By path, not "elf.h": a bare "elf.h" falls back to the system <elf.h> of
// the same name whenever csrc/ is missing from the -I list.
#include "elf.h"

namespace {

// ELF-64 constants, from the specification.
constexpr uint16_t kEtRel = 1, kEtExec = 2, kEtDyn = 3, kEtCore = 4;
constexpr uint16_t kEmRiscv = 243;
constexpr uint32_t kPtNull = 0, kPtLoad = 1, kPtInterp = 3, kPtNote = 4, kPtGnuStack = 0x6474e551;
constexpr uint32_t kPfX = 1, kPfW = 2, kPfR = 4;

struct Ehdr {
    uint8_t ident[16] = {0x7f, 'E', 'L', 'F', 2 /* ELFCLASS64 */, 1 /* ELFDATA2LSB */, 1 /* EV_CURRENT */};
    uint16_t type = kEtExec;
    uint16_t machine = kEmRiscv;
    uint32_t version = 1;
    uint64_t entry = 0x100b0;
    uint64_t phoff = 64;
    uint64_t shoff = 0;
    uint32_t flags = 0;
    uint16_t ehsize = 64;
    uint16_t phentsize = 56;
    uint16_t phnum = 0;  // 0: the number of Phdrs given to build()
    uint16_t shentsize = 64;
    uint16_t shnum = 0;
    uint16_t shstrndx = 0;
};

struct Phdr {
    uint32_t type;
    uint32_t flags;
    uint64_t offset;
    uint64_t vaddr;
    uint64_t paddr;
    uint64_t filesz;
    uint64_t memsz;
    uint64_t align;
};

// Stores the n low bytes of v little-endian at off, growing img if needed.
void put(std::vector<uint8_t> &img, uint64_t off, uint64_t v, unsigned n)
{
    if (img.size() < off + n)
        img.resize(off + n);
    for (unsigned i = 0; i < n; i++)
        img[off + i] = (uint8_t)(v >> (8 * i));
}

// One ELF image under construction: the header, the program headers (at
// e_phoff) and raw bytes placed at given offsets, in an image of size bytes.
struct Image {
    Ehdr eh;
    std::vector<Phdr> ph;
    std::vector<std::pair<uint64_t, std::string>> blobs;
    uint64_t size = 0x200;

    std::vector<uint8_t> build() const
    {
        std::vector<uint8_t> img(size, 0);
        for (unsigned i = 0; i < 16; i++)
            put(img, i, eh.ident[i], 1);
        put(img, 16, eh.type, 2);
        put(img, 18, eh.machine, 2);
        put(img, 20, eh.version, 4);
        put(img, 24, eh.entry, 8);
        put(img, 32, eh.phoff, 8);
        put(img, 40, eh.shoff, 8);
        put(img, 48, eh.flags, 4);
        put(img, 52, eh.ehsize, 2);
        put(img, 54, eh.phentsize, 2);
        put(img, 56, eh.phnum ? eh.phnum : (uint16_t)ph.size(), 2);
        put(img, 58, eh.shentsize, 2);
        put(img, 60, eh.shnum, 2);
        put(img, 62, eh.shstrndx, 2);
        for (size_t i = 0; i < ph.size(); i++) {
            uint64_t p = eh.phoff + i * 56;
            put(img, p + 0, ph[i].type, 4);
            put(img, p + 4, ph[i].flags, 4);
            put(img, p + 8, ph[i].offset, 8);
            put(img, p + 16, ph[i].vaddr, 8);
            put(img, p + 24, ph[i].paddr, 8);
            put(img, p + 32, ph[i].filesz, 8);
            put(img, p + 40, ph[i].memsz, 8);
            put(img, p + 48, ph[i].align, 8);
        }
        for (const auto &b : blobs)
            for (size_t i = 0; i < b.second.size(); i++)
                put(img, b.first + i, (uint8_t)b.second[i], 1);
        // The tests choose layouts that fit; growing here would hide a test bug.
        EXPECT_EQ(img.size(), size) << "test image layout overflows its size";
        return img;
    }
};

const std::string kInterp = std::string("/lib/ld-musl-riscv64.so.1") + '\0';  // 26 bytes

// A static executable: text R-X covering the whole 0x200-byte file (headers
// included, as real linkers lay it out), data RW- at file 0x140..0x180 with
// bss to 0x1000, and a PT_GNU_STACK that the reader must ignore.
Image static_exec()
{
    Image im;
    im.ph = {
        {kPtLoad, kPfR | kPfX, 0x0, 0x10000, 0x10000, 0x200, 0x200, 0x1000},
        {kPtLoad, kPfR | kPfW, 0x140, 0x11140, 0x11140, 0x40, 0x1000, 0x1000},
        {kPtGnuStack, kPfR | kPfW, 0, 0, 0, 0, 0, 16},
    };
    im.blobs = {{0x140, "data segment bytes"}};
    return im;
}

// A position-independent executable with an interpreter: PT_INTERP first,
// its path at file 0x180.  Program headers end at 64 + 4 * 56 = 0x120.
Image dyn_exec()
{
    Image im;
    im.eh.type = kEtDyn;
    im.eh.entry = 0x1c0;
    im.ph = {
        {kPtInterp, kPfR, 0x180, 0x180, 0x180, kInterp.size(), kInterp.size(), 1},
        {kPtLoad, kPfR | kPfX, 0x0, 0x0, 0x0, 0x200, 0x200, 0x1000},
        {kPtLoad, kPfR | kPfW, 0x140, 0x1140, 0x1140, 0x40, 0x80, 0x1000},
        {kPtGnuStack, kPfR | kPfW, 0, 0, 0, 0, 0, 16},
    };
    im.blobs = {{0x180, kInterp}};
    return im;
}

// Parses img from a heap block of exactly its size (so ASan sees overreads).
int parse(const std::vector<uint8_t> &img, elf_info_t *info, std::string *err, uint64_t len)
{
    std::unique_ptr<uint8_t[]> copy(new uint8_t[len ? len : 1]);
    if (len)
        memcpy(copy.get(), img.data(), len);
    char buf[256];
    buf[0] = '\0';
    int rc = elf_parse(copy.get(), len, info, buf, sizeof buf);
    if (err)
        *err = buf;
    return rc;
}

int parse(const std::vector<uint8_t> &img, elf_info_t *info, std::string *err = nullptr)
{
    return parse(img, info, err, img.size());
}

// Expects im to parse and returns the result.
elf_info_t accept(const Image &im)
{
    elf_info_t info;
    std::string err;
    EXPECT_EQ(parse(im.build(), &info, &err), 0) << err;
    return info;
}

// Expects im to be rejected with every one of needles in the message, and
// *info left untouched.
void reject(const Image &im, std::initializer_list<const char *> needles)
{
    elf_info_t info;
    memset(&info, 0xa5, sizeof info);
    elf_info_t before = info;
    std::string err;
    ASSERT_EQ(parse(im.build(), &info, &err), -1) << "accepted; expected an error mentioning " << *needles.begin();
    for (const char *n : needles)
        EXPECT_NE(err.find(n), std::string::npos) << "error \"" << err << "\" does not mention \"" << n << "\"";
    EXPECT_EQ(memcmp(&info, &before, sizeof info), 0) << "elf_parse wrote *info on failure";
}

// What an image holds, as the test wrote it or as `readelf -lW` reads it.
struct ElfView {
    std::string type;  // "EXEC", "DYN", ...
    uint64_t entry = 0;
    uint64_t phnum = 0, phoff = 0;
    std::string interp;
    std::vector<elf_load_t> loads;
};

// Expects elf_parse's info to say what want says, field by field.
void expect_view(const ElfView &want, const elf_info_t &info)
{
    EXPECT_EQ(want.type, info.type == ELF_TYPE_DYN ? "DYN" : "EXEC");
    EXPECT_EQ(want.entry, info.entry);
    EXPECT_EQ(want.phnum, info.phnum);
    EXPECT_EQ(want.phoff, info.phoff);
    EXPECT_EQ(want.interp.empty() ? 0 : 1, info.has_interp);
    EXPECT_EQ(want.interp, std::string(info.interp));
    ASSERT_EQ(want.loads.size(), info.nload);
    for (unsigned i = 0; i < info.nload; i++) {
        SCOPED_TRACE("LOAD #" + std::to_string(i));
        EXPECT_EQ(want.loads[i].offset, info.load[i].offset);
        EXPECT_EQ(want.loads[i].vaddr, info.load[i].vaddr);
        EXPECT_EQ(want.loads[i].filesz, info.load[i].filesz);
        EXPECT_EQ(want.loads[i].memsz, info.load[i].memsz);
        EXPECT_EQ(want.loads[i].flags, info.load[i].flags);
        EXPECT_EQ(want.loads[i].align, info.load[i].align);
    }
}

// --- accepted images --------------------------------------------------------

// The images of static_exec() and dyn_exec(), read off their definitions;
// the PT_GNU_STACK and PT_INTERP headers count in phnum but are no LOAD.
TEST(ElfParse, StaticExecutable)
{
    elf_info_t info = accept(static_exec());
    EXPECT_EQ(info.machine, kEmRiscv);
    // LOADs as elf_load_t: vaddr, offset, filesz, memsz, align, flags.
    expect_view({"EXEC", 0x100b0, 3, 64, "",
                 {{0x10000, 0x0, 0x200, 0x200, 0x1000, ELF_PF_R | ELF_PF_X},
                  {0x11140, 0x140, 0x40, 0x1000, 0x1000, ELF_PF_R | ELF_PF_W}}},
                info);
}

TEST(ElfParse, DynamicExecutableWithInterpreter)
{
    expect_view({"DYN", 0x1c0, 4, 64, "/lib/ld-musl-riscv64.so.1",
                 {{0x0, 0x0, 0x200, 0x200, 0x1000, ELF_PF_R | ELF_PF_X},
                  {0x1140, 0x140, 0x40, 0x80, 0x1000, ELF_PF_R | ELF_PF_W}}},
                accept(dyn_exec()));
}

// The PF_ bits are the interface; any other bits of p_flags (OS/processor specific) are dropped.
TEST(ElfParse, FlagsKeepOnlyRwx)
{
    Image im = static_exec();
    im.ph[0].flags = 0xfff00008u | kPfR | kPfX;
    im.ph[1].flags = kPfW;
    elf_info_t info = accept(im);
    EXPECT_EQ(info.load[0].flags, (uint32_t)(ELF_PF_R | ELF_PF_X));
    EXPECT_EQ(info.load[1].flags, (uint32_t)ELF_PF_W);
}

// 0 and 1 both mean "no alignment constraint"; large powers of two are fine.
TEST(ElfParse, AlignZeroOneAndLargePowersOfTwo)
{
    for (uint64_t a : {0ull, 1ull, 2ull, 0x1000ull, 0x200000ull, 1ull << 63}) {
        Image im = static_exec();
        im.ph[0].align = a;
        im.ph[1].align = a;
        elf_info_t info = accept(im);
        EXPECT_EQ(info.load[0].align, a);
    }
}

// Non-overlapping is about bytes: a segment may start exactly where the previous ends,
// in the same page, and zero-sized segments are accepted.
TEST(ElfParse, AdjacentSegmentsAndEmptySegment)
{
    Image im = static_exec();
    im.ph[1].vaddr = 0x10140;  // congruent to p_offset 0x140, but inside text [0x10000, 0x10200)
    reject(im, {"program header 1", "overlaps"});
    im.ph[0].memsz = 0x140;
    im.ph[0].filesz = 0x140;
    elf_info_t info = accept(im);  // text ends at 0x10140, data starts there
    EXPECT_EQ(info.load[1].vaddr, 0x10140u);

    Image e = static_exec();
    e.ph[1].filesz = 0;
    e.ph[1].memsz = 0;
    EXPECT_EQ(accept(e).load[1].memsz, 0u);
}

// Headers of other types are not the loader's business: their fields are not checked.
TEST(ElfParse, OtherHeaderTypesIgnored)
{
    Image im = static_exec();
    im.ph[2] = {kPtNote, 0, ~0ull, 3, 3, ~0ull, 1, 3};  // would fail every PT_LOAD rule
    EXPECT_EQ(accept(im).nload, 2u);
    im.ph[2].type = kPtNull;
    EXPECT_EQ(accept(im).nload, 2u);
}

// A segment may end at the very last byte of the address space, not past it.
TEST(ElfParse, SegmentEndingAtTopOfAddressSpace)
{
    Image im = static_exec();
    im.ph[1].vaddr = 0xfffffffffffff140ull;
    im.ph[1].memsz = 0xec0 - 1;  // last byte 0xfffffffffffffffe, end 0xffffffffffffffff
    EXPECT_EQ(accept(im).load[1].vaddr, 0xfffffffffffff140ull);
    im.ph[1].memsz = 0xec0;      // end would be 2^64
    reject(im, {"program header 1", "p_memsz 0xec0", "wraps"});
}

std::vector<Phdr> many_loads(unsigned n)
{
    std::vector<Phdr> ph;
    for (unsigned i = 0; i < n; i++)
        ph.push_back({kPtLoad, kPfR, 0, 0x10000ull * (i + 1), 0, 0x10, 0x1000, 0x1000});
    return ph;
}

TEST(ElfParse, SixteenLoadsAcceptedSeventeenRejected)
{
    Image im;
    im.size = 64 + 17 * 56;
    im.ph = many_loads(ELF_MAX_LOAD);
    elf_info_t info = accept(im);
    ASSERT_EQ(info.nload, (unsigned)ELF_MAX_LOAD);
    EXPECT_EQ(info.load[15].vaddr, 0x100000u);
    im.ph = many_loads(ELF_MAX_LOAD + 1);
    reject(im, {"program header 16", "more than 16 PT_LOAD"});
}

// --- rejected images: identification and ELF header --------------------------

TEST(ElfReject, ShorterThanHeader)
{
    Image im = static_exec();
    std::vector<uint8_t> img = im.build();
    elf_info_t info;
    std::string err;
    EXPECT_EQ(parse(img, &info, &err, 63), -1);
    EXPECT_NE(err.find("63 bytes shorter than the ELF header"), std::string::npos) << err;
    EXPECT_EQ(parse(img, &info, &err, 0), -1);
    EXPECT_NE(err.find("0 bytes"), std::string::npos) << err;
    // A NULL image of size 0 is an empty image, not a bug.
    char buf[64];
    EXPECT_EQ(elf_parse(nullptr, 0, &info, buf, sizeof buf), -1);
}

TEST(ElfReject, Magic)
{
    for (int i = 0; i < 4; i++) {
        Image im = static_exec();
        im.eh.ident[i] ^= 0x20;
        reject(im, {"bad magic", "not an ELF file"});
    }
}

TEST(ElfReject, Class)
{
    for (uint8_t c : {0, 1, 3}) {
        Image im = static_exec();
        im.eh.ident[4] = c;
        reject(im, {"EI_CLASS", "ELFCLASS64"});
    }
}

TEST(ElfReject, DataEncoding)
{
    for (uint8_t d : {0, 2}) {
        Image im = static_exec();
        im.eh.ident[5] = d;
        reject(im, {"EI_DATA", "ELFDATA2LSB"});
    }
}

TEST(ElfReject, IdentVersion)
{
    Image im = static_exec();
    im.eh.ident[6] = 0;
    reject(im, {"EI_VERSION 0", "EV_CURRENT"});
}

TEST(ElfReject, HeaderVersion)
{
    Image im = static_exec();
    im.eh.version = 2;
    reject(im, {"e_version 2", "EV_CURRENT"});
}

TEST(ElfReject, Type)
{
    for (uint16_t t : {(uint16_t)0, kEtRel, kEtCore, (uint16_t)0xfe00}) {
        Image im = static_exec();
        im.eh.type = t;
        std::string want = "e_type " + std::to_string(t) + ":";
        reject(im, {want.c_str(), "ET_EXEC", "ET_DYN"});
    }
}

TEST(ElfReject, PhentSize)
{
    for (uint16_t s : {0, 32, 55, 57, 64}) {
        Image im = static_exec();
        im.eh.phentsize = s;
        std::string want = "e_phentsize " + std::to_string(s) + ":";
        reject(im, {want.c_str(), "56"});
    }
}

TEST(ElfReject, PhnumExtendedNumbering)
{
    Image im = static_exec();
    im.eh.phnum = 0xffff;
    reject(im, {"PN_XNUM"});
}

TEST(ElfReject, ProgramHeaderTableBounds)
{
    Image im = static_exec();
    im.eh.phnum = 9;  // 64 + 9 * 56 = 0x238 > 0x200
    reject(im, {"program header table", "e_phoff 0x40", "9 entries", "past the end"});

    // The builder writes the table where e_phoff says, so move e_phoff afterwards.
    std::vector<uint8_t> img = static_exec().build();
    put(img, 32, 0x200 - 55, 8);  // one byte short of the first entry
    elf_info_t info;
    std::string err;
    EXPECT_EQ(parse(img, &info, &err), -1);
    EXPECT_NE(err.find("program header table"), std::string::npos) << err;

    // e_phoff + e_phnum * 56 wraps around 2^64: must not pass as "small".
    put(img, 32, 0xffffffffffffffc8ull, 8);
    EXPECT_EQ(parse(img, &info, &err), -1);
    EXPECT_NE(err.find("e_phoff 0xffffffffffffffc8"), std::string::npos) << err;
    put(img, 32, ~0ull, 8);
    EXPECT_EQ(parse(img, &info, &err), -1);
    EXPECT_NE(err.find("past the end"), std::string::npos) << err;
}

TEST(ElfReject, NoLoadSegment)
{
    Image im = static_exec();
    im.ph = {};
    reject(im, {"no PT_LOAD", "0 program headers"});
    im.ph = {{kPtGnuStack, kPfR | kPfW, 0, 0, 0, 0, 0, 16}};
    reject(im, {"no PT_LOAD", "1 program headers"});
}

// --- rejected images: PT_LOAD ------------------------------------------------

TEST(ElfReject, FileszAboveMemsz)
{
    Image im = static_exec();
    im.ph[1].filesz = 0x41;
    im.ph[1].memsz = 0x40;
    elf_info_t info;
    std::string err;
    ASSERT_EQ(parse(im.build(), &info, &err), -1);
    EXPECT_EQ(err, "program header 1: p_filesz 0x41 > p_memsz 0x40");
}

TEST(ElfReject, FileBytesPastEnd)
{
    Image im = static_exec();
    im.ph[1].filesz = 0xc1;  // 0x140 + 0xc1 = 0x201 > 0x200
    reject(im, {"program header 1", "p_offset 0x140", "p_filesz 0xc1", "past the end", "0x200 bytes"});

    Image off = static_exec();
    off.ph[1].offset = 0x1140;  // starts past the end even with no bytes
    off.ph[1].filesz = 0;
    reject(off, {"program header 1", "p_offset 0x1140", "past the end"});

    // p_offset + p_filesz wraps: 0xfffffffffffff140 + 0x1000 = 0x140 mod 2^64.
    Image wrap = static_exec();
    wrap.ph[1].offset = 0xfffffffffffff140ull;
    wrap.ph[1].filesz = 0x1000;
    reject(wrap, {"program header 1", "p_offset 0xfffffffffffff140", "past the end"});
}

TEST(ElfReject, AlignNotPowerOfTwo)
{
    for (uint64_t a : {3ull, 0x1800ull, 0x1001ull, (1ull << 63) | 1}) {
        Image im = static_exec();
        im.ph[0].align = a;
        char want[64];
        snprintf(want, sizeof want, "p_align 0x%" PRIx64 " not a power of two", a);
        reject(im, {"program header 0", want});
    }
}

// Checked modulo 4096 whatever p_align says, 0 and 1 included: the loader maps pages.
TEST(ElfReject, VaddrNotCongruentToOffset)
{
    for (uint64_t a : {0ull, 1ull, 0x1000ull}) {
        Image im = static_exec();
        im.ph[1].vaddr = 0x11148;
        im.ph[1].align = a;
        reject(im, {"program header 1", "p_vaddr 0x11148", "p_offset 0x140", "modulo the page size 4096"});
    }
}

TEST(ElfReject, AddressWraps)
{
    Image im = static_exec();
    im.ph[1].vaddr = 0xfffffffffffff140ull;
    im.ph[1].memsz = ~0ull;
    reject(im, {"program header 1", "p_vaddr 0xfffffffffffff140", "wraps"});
}

TEST(ElfReject, LoadsNotAscending)
{
    Image im = static_exec();
    im.ph[1].vaddr = 0x140;  // below text at 0x10000
    reject(im, {"program header 1", "p_vaddr 0x140", "previous PT_LOAD's 0x10000", "ascending"});
}

TEST(ElfReject, LoadsOverlap)
{
    // Text is [0x10000, 0x10200); data at 0x101ff + ... must be congruent to 0x140,
    // so make text longer in memory instead: [0x10000, 0x11141) against data at 0x11140.
    Image im = static_exec();
    im.ph[0].memsz = 0x1141;
    reject(im, {"program header 1", "[0x11140, 0x12140)", "overlaps", "[0x10000, 0x11141)"});

    // The same start with non-zero sizes is an overlap, not an ordering error.
    Image same = static_exec();
    same.ph[1].offset = 0;
    same.ph[1].vaddr = 0x10000;
    reject(same, {"program header 1", "[0x10000, 0x11000) overlaps"});
}

// --- rejected images: PT_INTERP ----------------------------------------------

TEST(ElfReject, InterpPastEnd)
{
    Image im = dyn_exec();
    im.ph[0].filesz = 0x81;  // 0x180 + 0x81 > 0x200
    reject(im, {"program header 0", "PT_INTERP", "past the end"});
    im.ph[0].offset = ~0ull;
    im.ph[0].filesz = 2;
    reject(im, {"program header 0", "PT_INTERP", "p_offset 0xffffffffffffffff", "past the end"});
}

TEST(ElfReject, InterpTooLong)
{
    // ELF_INTERP_MAX bytes including the NUL fit; one more does not.
    Image im = dyn_exec();
    im.size = 0x400;
    im.ph[1].filesz = im.ph[1].memsz = 0x400;
    std::string path = "/" + std::string(ELF_INTERP_MAX - 2, 'x') + '\0';
    im.blobs = {{0x200, path}};
    im.ph[0].offset = 0x200;
    im.ph[0].filesz = path.size();
    elf_info_t info = accept(im);
    EXPECT_EQ(strlen(info.interp), (size_t)ELF_INTERP_MAX - 1);

    path = "/" + std::string(ELF_INTERP_MAX - 1, 'x') + '\0';
    im.blobs = {{0x200, path}};
    im.ph[0].filesz = path.size();
    reject(im, {"program header 0", "PT_INTERP", "longer than 256"});
}

TEST(ElfReject, InterpNotTerminated)
{
    Image im = dyn_exec();
    im.ph[0].filesz = kInterp.size() - 1;  // drop the NUL
    reject(im, {"program header 0", "PT_INTERP", "not NUL-terminated"});
    im.ph[0].filesz = 0;
    reject(im, {"program header 0", "PT_INTERP", "not NUL-terminated"});
}

TEST(ElfReject, InterpEmpty)
{
    Image im = dyn_exec();
    im.blobs = {{0x180, std::string(1, '\0')}};
    im.ph[0].filesz = 1;
    reject(im, {"program header 0", "PT_INTERP path empty"});
}

TEST(ElfReject, InterpEmbeddedNul)
{
    Image im = dyn_exec();
    std::string path = kInterp;
    path[4] = '\0';
    im.blobs = {{0x180, path}};
    reject(im, {"program header 0", "PT_INTERP", "NUL at byte 4 of 26"});
}

TEST(ElfReject, SecondInterp)
{
    Image im = dyn_exec();
    im.ph[3] = im.ph[0];
    reject(im, {"program header 3", "second PT_INTERP"});
}

// --- the error buffer --------------------------------------------------------

TEST(ElfParse, ErrorBufferTruncatedAndOptional)
{
    Image im = static_exec();
    im.eh.type = kEtRel;
    std::vector<uint8_t> img = im.build();
    elf_info_t info;
    char small[8];
    memset(small, 'z', sizeof small);
    EXPECT_EQ(elf_parse(img.data(), img.size(), &info, small, sizeof small), -1);
    EXPECT_STREQ(small, "e_type ");
    EXPECT_EQ(elf_parse(img.data(), img.size(), &info, nullptr, 0), -1);
    EXPECT_EQ(elf_parse(static_exec().build().data(), 0x200, &info, nullptr, 0), 0);
}

// --- truncation and corruption -----------------------------------------------

// Every proper prefix of a valid image is rejected (text covers the whole file)
// and none reads a byte past its end.
TEST(ElfRobust, EveryTruncation)
{
    for (const Image &im : {static_exec(), dyn_exec()}) {
        std::vector<uint8_t> img = im.build();
        for (uint64_t len = 0; len < img.size(); len++) {
            elf_info_t info;
            std::string err;
            ASSERT_EQ(parse(img, &info, &err, len), -1) << "prefix of " << len << " bytes accepted";
            ASSERT_FALSE(err.empty()) << "prefix of " << len << " bytes: no reason given";
        }
        elf_info_t info;
        EXPECT_EQ(parse(img, &info, nullptr, img.size()), 0);
    }
}

uint32_t test_seed()
{
    const char *s = getenv("MMUSIM_SEED");
    return s ? (uint32_t)strtoul(s, nullptr, 0) : 20240611u;
}

// Random corruptions of the headers: never a crash, and whatever is accepted
// keeps the promises of elf.h.
TEST(ElfRobust, RandomCorruption)
{
    uint32_t seed = test_seed();
    std::printf("ElfRobust.RandomCorruption seed %" PRIu32 " (MMUSIM_SEED to override)\n", seed);
    std::mt19937 rng(seed);
    const std::vector<uint8_t> bases[] = {static_exec().build(), dyn_exec().build()};
    unsigned accepted = 0;
    for (int iter = 0; iter < 20000; iter++) {
        std::vector<uint8_t> img = bases[iter & 1];
        unsigned flips = 1 + rng() % 4;
        for (unsigned f = 0; f < flips; f++) {
            size_t at = rng() % 0x120;  // ELF header and program headers
            img[at] = (rng() & 1) ? (uint8_t)rng() : (uint8_t)(img[at] ^ (1u << (rng() % 8)));
        }
        uint64_t len = (rng() % 8 == 0) ? rng() % img.size() : img.size();
        elf_info_t info;
        std::string err;
        int rc = parse(img, &info, &err, len);
        ASSERT_TRUE(rc == 0 || rc == -1);
        if (rc == -1) {
            ASSERT_FALSE(err.empty());
            continue;
        }
        accepted++;
        ASSERT_GE(info.nload, 1u);
        ASSERT_LE(info.nload, (unsigned)ELF_MAX_LOAD);
        for (unsigned i = 0; i < info.nload; i++) {
            const elf_load_t &s = info.load[i];
            ASSERT_LE(s.filesz, s.memsz);
            ASSERT_LE(s.offset, len);
            ASSERT_LE(s.filesz, len - s.offset);
            ASSERT_EQ(s.vaddr % 4096, s.offset % 4096);
            ASSERT_LE(s.memsz, UINT64_MAX - s.vaddr);
            ASSERT_EQ(s.align & (s.align ? s.align - 1 : 0), 0u);
            ASSERT_EQ(s.flags & ~7u, 0u);
            if (i > 0) {
                ASSERT_GE(s.vaddr, info.load[i - 1].vaddr + info.load[i - 1].memsz);
            }
        }
        if (info.has_interp) {
            ASSERT_LT(strlen(info.interp), (size_t)ELF_INTERP_MAX);
        } else {
            ASSERT_STREQ(info.interp, "");
        }
    }
    std::printf("  %u of 20000 corrupted images accepted\n", accepted);
}

// --- host executables against readelf ----------------------------------------

bool readelf_present()
{
    return std::system("command -v readelf >/dev/null 2>&1") == 0;
}

uint64_t hex(const std::string &s)
{
    return std::strtoull(s.c_str(), nullptr, 16);
}

// Runs readelf on path and parses the lines we compare; adds a failure on surprises.
ElfView run_readelf(const std::string &path)
{
    ElfView v;
    std::string cmd = "LC_ALL=C readelf -lW '" + path + "' 2>&1";
    FILE *p = popen(cmd.c_str(), "r");
    EXPECT_NE(p, nullptr) << cmd;
    if (!p)
        return v;
    char line[1024];
    while (fgets(line, sizeof line, p)) {
        std::string l(line);
        std::istringstream in(l);
        std::string w;
        in >> w;
        if (l.rfind("Elf file type is ", 0) == 0) {
            std::istringstream t(l.substr(17));
            t >> v.type;
        } else if (l.rfind("Entry point ", 0) == 0) {
            v.entry = hex(l.substr(12));
        } else if (l.rfind("There are ", 0) == 0) {
            // "There are 13 program headers, starting at offset 64"
            unsigned long long n = 0, off = 0;
            EXPECT_EQ(sscanf(line, "There are %llu program headers, starting at offset %llu", &n, &off), 2) << l;
            v.phnum = n;
            v.phoff = off;
        } else if (w == "[Requesting") {
            size_t a = l.find(": "), b = l.rfind(']');
            if (a != std::string::npos && b != std::string::npos && b > a)
                v.interp = l.substr(a + 2, b - a - 2);
        } else if (w == "LOAD") {
            // LOAD Offset VirtAddr PhysAddr FileSiz MemSiz Flg Align, where Flg is
            // three fixed columns "R", "W", "E" each possibly a space.
            std::string off, va, pa, fs, ms;
            in >> off >> va >> pa >> fs >> ms;
            std::string rest = l.substr((size_t)in.tellg());
            EXPECT_GE(rest.size(), 6u) << l;
            if (rest.size() < 6)
                continue;
            elf_load_t s{};
            s.offset = hex(off);
            s.vaddr = hex(va);
            s.filesz = hex(fs);
            s.memsz = hex(ms);
            std::string flg = rest.substr(1, 3);
            EXPECT_TRUE((flg[0] == 'R' || flg[0] == ' ') && (flg[1] == 'W' || flg[1] == ' ') &&
                        (flg[2] == 'E' || flg[2] == ' '))
                << "unexpected flags column in: " << l;
            s.flags = (flg[0] == 'R' ? ELF_PF_R : 0) | (flg[1] == 'W' ? ELF_PF_W : 0) | (flg[2] == 'E' ? ELF_PF_X : 0);
            s.align = hex(rest.substr(5));
            v.loads.push_back(s);
        }
    }
    EXPECT_EQ(pclose(p), 0) << cmd;
    return v;
}

std::vector<uint8_t> read_file(const std::string &path)
{
    std::ifstream f(path, std::ios::binary);
    EXPECT_TRUE(f.good()) << "cannot open " << path;
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
}

void compare_with_readelf(const std::string &path)
{
    SCOPED_TRACE(path);
    ElfView want = run_readelf(path);
    ASSERT_FALSE(want.type.empty()) << "readelf output not understood";
    ASSERT_FALSE(want.loads.empty()) << "readelf listed no LOAD";

    std::vector<uint8_t> img = read_file(path);
    ASSERT_FALSE(img.empty());
    elf_info_t info;
    std::string err;
    ASSERT_EQ(parse(img, &info, &err), 0) << err;

    expect_view(want, info);
    std::printf("  %s: %s entry 0x%" PRIx64 ", %u LOAD, interp \"%s\"\n", path.c_str(), want.type.c_str(),
                info.entry, info.nload, info.interp);
}

TEST(ElfHost, MatchesReadelf)
{
    if (!readelf_present())
        GTEST_SKIP() << "readelf (binutils) not installed";
    compare_with_readelf("/bin/ls");
    compare_with_readelf("/bin/true");
}

}  // namespace
