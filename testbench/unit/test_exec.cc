// test_exec.cc - os_execve on ELF images built field by field in the test
// (ELF-64 object file format), so every expected byte and address is known
// without running the loader: text from the file, the bss part of the last
// file page zeroed although the file holds other bytes there, bss pages,
// break, stack, private copy-on-write, and the load bias of a PIE.

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <unistd.h>
#include <vector>

#include "os_harness.h"

namespace {

using os_harness::Machine;

const uint64_t kText = 0x400000, kData = 0x401000;
const uint64_t kEntry = 0x100;  // offset of the entry point in the text segment
const uint64_t kDataFile = 0x80, kDataMem = 0x3000;
const uint8_t kFill = 0xaa;     // every data-page byte of the file, also past p_filesz

void put(std::vector<uint8_t> &b, size_t off, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        b[off + i] = static_cast<uint8_t>(v >> (8 * i));
}

// Two PT_LOAD segments: text R+X at file 0 (vaddr base+kText), data R+W at
// file 0x1000 (vaddr base+kData), kDataFile bytes from the file, kDataMem in memory.
std::vector<uint8_t> image(uint16_t type, uint64_t base)
{
    std::vector<uint8_t> b(0x2000, 0);
    const uint8_t ident[] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };
    memcpy(b.data(), ident, sizeof ident);
    put(b, 16, type, 2);            // e_type
    put(b, 18, 243, 2);             // e_machine: RISC-V
    put(b, 20, 1, 4);               // e_version
    put(b, 24, base + kText + kEntry, 8);
    put(b, 32, 64, 8);              // e_phoff
    put(b, 52, 64, 2);              // e_ehsize
    put(b, 54, 56, 2);              // e_phentsize
    put(b, 56, 2, 2);               // e_phnum
    const uint64_t seg[2][6] = {
        { 5, 0, base + kText, 0x200, 0x200, 0x1000 },             // PF_R | PF_X
        { 6, 0x1000, base + kData, kDataFile, kDataMem, 0x1000 }, // PF_R | PF_W
    };
    for (int i = 0; i < 2; i++) {
        size_t ph = 64 + 56 * i;
        put(b, ph, 1, 4);            // PT_LOAD
        put(b, ph + 4, seg[i][0], 4);
        put(b, ph + 8, seg[i][1], 8);
        put(b, ph + 16, seg[i][2], 8);
        put(b, ph + 24, seg[i][2], 8);
        put(b, ph + 32, seg[i][3], 8);
        put(b, ph + 40, seg[i][4], 8);
        put(b, ph + 48, seg[i][5], 8);
    }
    for (size_t i = kEntry; i < 0x200; i++)
        b[i] = static_cast<uint8_t>(i * 7);
    memset(b.data() + 0x1000, kFill, 0x1000);
    return b;
}

class Exec : public ::testing::Test {
protected:
    Machine m;
    std::string path;

    void SetUp() override { ASSERT_TRUE(m.boot({})); }
    void TearDown() override
    {
        if (!path.empty())
            unlink(path.c_str());
    }

    void write_image(const std::vector<uint8_t> &b)
    {
        char tmpl[] = "/tmp/test_exec.XXXXXX";
        int fd = mkstemp(tmpl);
        ASSERT_GE(fd, 0);
        ASSERT_EQ(static_cast<ssize_t>(b.size()), write(fd, b.data(), b.size()));
        close(fd);
        path = tmpl;
    }

    std::vector<uint8_t> read(int pid, uint64_t va, uint64_t len, acc_t acc = ACC_LOAD)
    {
        std::vector<uint8_t> v(len);
        EXPECT_EQ(0, os_access(m.os, pid, va, acc, v.data(), len)) << std::hex << va;
        return v;
    }
};

TEST_F(Exec, StaticImageTextDataBssBreakStack)
{
    std::vector<uint8_t> img = image(2 /* ET_EXEC */, 0);
    write_image(img);
    char err[256] = "";
    uint64_t entry = 0, brk = 0;
    ASSERT_EQ(0, os_execve(m.os, 1, path.c_str(), &entry, err, sizeof err)) << err;
    EXPECT_EQ(kText + kEntry, entry);
    EXPECT_EQ(std::vector<uint8_t>(img.begin() + kEntry, img.begin() + kEntry + 16), read(1, entry, 16, ACC_FETCH));
    EXPECT_EQ(std::vector<uint8_t>(kDataFile, kFill), read(1, kData, kDataFile));
    // The file has kFill past p_filesz in the same page: that part is bss, so zero.
    EXPECT_EQ(std::vector<uint8_t>(0x1000 - kDataFile, 0), read(1, kData + kDataFile, 0x1000 - kDataFile));
    EXPECT_EQ(std::vector<uint8_t>(0x2000, 0), read(1, kData + 0x1000, 0x2000));
    EXPECT_EQ(0, os_brk(m.os, 1, 0, &brk));
    EXPECT_EQ(kData + kDataMem, brk);
    // The stack: 8 MiB below the top of the Sv39 user half (2^38).
    EXPECT_EQ(std::vector<uint8_t>(8, 0), read(1, (1ULL << 38) - 8, 8));
    EXPECT_EQ(std::vector<uint8_t>(8, 0), read(1, (1ULL << 38) - (8ULL << 20), 8));
    // A store to data is private: the file keeps its bytes.
    uint8_t z = 0x55;
    ASSERT_EQ(0, m.store(1, kData, &z, 1));
    uint8_t back = 0;
    EXPECT_EQ(1, os_file_read(m.os, path.c_str(), 0x1000, &back, 1));
    EXPECT_EQ(kFill, back);
    EXPECT_EQ("", m.check());
    // Past the bss: no area.  Into the text: not writable.
    EXPECT_EQ(-EFAULT, m.load(1, kData + kDataMem, &z, 1));
    ASSERT_EQ(1u, m.kills.size());
    EXPECT_EQ(OS_KILL_SEGV_MAPERR, m.kills[0].why);
    char err2[256] = "";
    ASSERT_EQ(0, os_execve(m.os, 2, path.c_str(), &entry, err2, sizeof err2)) << err2;
    EXPECT_EQ(-EFAULT, m.store(2, entry, &z, 1));
    ASSERT_EQ(2u, m.kills.size());
    EXPECT_EQ(OS_KILL_SEGV_ACCERR, m.kills[1].why);
    EXPECT_EQ(0u, os_user_frames_used(m.os));
}

TEST_F(Exec, PieIsPlacedAtTwoThirdsOfUserSpace)
{
    std::vector<uint8_t> img = image(3 /* ET_DYN */, 0);
    write_image(img);
    char err[256] = "";
    uint64_t entry = 0;
    ASSERT_EQ(0, os_execve(m.os, 1, path.c_str(), &entry, err, sizeof err)) << err;
    // Sv39: 2^38 / 3 * 2 = 0x2aaaaaaaaa, rounded down to 2 MiB: 0x2aaaa00000.
    const uint64_t bias = 0x2aaaa00000ULL;
    EXPECT_EQ(bias + kText + kEntry, entry);
    EXPECT_EQ(std::vector<uint8_t>(img.begin() + kEntry, img.begin() + kEntry + 8), read(1, entry, 8, ACC_FETCH));
    EXPECT_EQ(std::vector<uint8_t>(4, kFill), read(1, bias + kData, 4));
}

TEST_F(Exec, NotAnElfFileIsENOEXECAndLeavesTheProcessAlone)
{
    write_image(std::vector<uint8_t>(100, 'x'));
    char err[256] = "";
    uint64_t entry = 0;
    ASSERT_EQ(0, os_spawn(m.os, 1));
    EXPECT_EQ(-ENOEXEC, os_execve(m.os, 1, path.c_str(), &entry, err, sizeof err));
    EXPECT_NE(std::string(err), "");
    EXPECT_TRUE(os_alive(m.os, 1));
    EXPECT_EQ(-ENOENT, os_execve(m.os, 1, "/nonexistent/binary", &entry, err, sizeof err));
}

} // namespace
