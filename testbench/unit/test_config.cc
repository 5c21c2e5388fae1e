// test_config.cc - the configuration keys, file format, validation and presets
// (model/config.c, docs/config.md).

#include <gtest/gtest.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unistd.h>

#include "config.h"
#include "parse.h"
#include "temp_file.h"

namespace {

using mmutest::TempFile;

// Path of a preset: $MMUSIM_SRC/configs/NAME, else configs/NAME from the repository root.
std::string preset(const char *name)
{
    const char *src = std::getenv("MMUSIM_SRC");
    return std::string(src && *src ? std::string(src) + "/" : "") + "configs/" + name;
}

// Field-by-field equality of one structure, so that padding never decides a comparison.
void expect_assoc_eq(const assoc_cfg_t &a, const assoc_cfg_t &b, const char *what)
{
    SCOPED_TRACE(what);
    EXPECT_EQ(a.entries, b.entries);
    EXPECT_EQ(a.ways, b.ways);
    EXPECT_EQ(a.policy, b.policy);
    EXPECT_EQ(a.latency, b.latency);
    EXPECT_EQ(a.seed, b.seed);
}

// Field-by-field equality of whole configurations.
void expect_config_eq(const sim_config_t &a, const sim_config_t &b)
{
    EXPECT_EQ(a.mode, b.mode);
    expect_assoc_eq(a.l1, b.l1, "l1");
    EXPECT_EQ(a.l1_split, b.l1_split);
    EXPECT_EQ(a.l1d_entries, b.l1d_entries);
    EXPECT_EQ(a.l1d_ways, b.l1d_ways);
    expect_assoc_eq(a.l2, b.l2, "l2");
    expect_assoc_eq(a.pwc, b.pwc, "pwc");
    EXPECT_EQ(a.ad, b.ad);
    EXPECT_EQ(a.dram.base, b.dram.base);
    EXPECT_EQ(a.dram.size, b.dram.size);
    EXPECT_EQ(a.dram.timing, b.dram.timing);
    EXPECT_EQ(a.dram.latency, b.dram.latency);
    EXPECT_EQ(a.dram.banks, b.dram.banks);
    EXPECT_EQ(a.dram.row_bytes, b.dram.row_bytes);
    EXPECT_EQ(a.dram.tcl, b.dram.tcl);
    EXPECT_EQ(a.dram.trcd, b.dram.trcd);
    EXPECT_EQ(a.dram.trp, b.dram.trp);
    EXPECT_EQ(a.dram.tras, b.dram.tras);
}

// Writes c with config_write and returns the text.
std::string write_to_string(const sim_config_t &c)
{
    char *buf = nullptr;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    config_write(&c, f);
    fclose(f);
    std::string s(buf, len);
    free(buf);
    return s;
}

// Starts every test from the defaults and turns return codes into messages.
class Config : public ::testing::Test {
  protected:
    void SetUp() override { config_defaults(&c); }

    // config_set, returning the error message ("" on success).
    std::string set(const char *key, const char *value)
    {
        err[0] = '\0';
        int rc = config_set(&c, key, value, err, sizeof err);
        EXPECT_EQ(rc == 0, err[0] == '\0') << err;
        return err;
    }

    // config_load of text, returning the error message ("" on success).
    std::string load(const std::string &text, std::string *path = nullptr)
    {
        TempFile f(text);
        if (path)
            *path = f.path();
        err[0] = '\0';
        int rc = config_load(&c, f.path(), err, sizeof err);
        EXPECT_EQ(rc == 0, err[0] == '\0') << err;
        return err;
    }

    // Back to the defaults, then each non-null assignment of list; each must be accepted.
    template <size_t N>
    void defaults_then(const char *const (&list)[N])
    {
        config_defaults(&c);
        for (const char *a : list) {
            if (a) {
                EXPECT_EQ(config_set_assignment(&c, a, err, sizeof err), 0) << a << ": " << err;
            }
        }
    }

    // config_validate, returning the error message ("" when valid).
    std::string validate()
    {
        err[0] = '\0';
        int rc = config_validate(&c, err, sizeof err);
        EXPECT_EQ(rc == 0, err[0] == '\0') << err;
        return err;
    }

    sim_config_t c;
    char err[1024];
};

// True when part occurs in s.
bool contains(const std::string &s, const std::string &part)
{
    return s.find(part) != std::string::npos;
}

// The defaults as docs/config.md lists them, written out literally.
TEST_F(Config, DefaultsMatchTheDocumentedValues)
{
    sim_config_t want;
    memset(&want, 0, sizeof want);
    want.mode = VM_SV39;
    // {entries, ways (0: fully associative), policy, latency, seed}
    want.l1 = {32, 0, REPL_LRU, 1, 1};
    want.l1_split = 0;
    want.l2 = {0, 4, REPL_LRU, 4, 1};
    want.pwc = {0, 0, REPL_LRU, 1, 1};
    want.ad = AD_SVADE;
    // {base, size, timing, latency, banks, row_bytes, tCL, tRCD, tRP, tRAS}
    want.dram = {0x80000000ull, 0x80000000ull, DRAM_FIXED, 20, 8, 8192, 14, 14, 14, 33};
    expect_config_eq(c, want);
    EXPECT_EQ(validate(), "");
}

TEST_F(Config, DefaultsOverwriteEverything)
{
    sim_config_t d;
    memset(&d, 0xa5, sizeof d);
    config_defaults(&d);
    expect_config_eq(c, d);
    EXPECT_EQ(memcmp(&c, &d, sizeof c), 0);
}

// The defaults, as a value.
sim_config_t defaults()
{
    sim_config_t c;
    config_defaults(&c);
    return c;
}

// Preset `name` loaded on top of base; a load error fails the test.
sim_config_t load_preset(const char *name, const sim_config_t &base = defaults())
{
    sim_config_t c = base;
    char err[1024] = "";
    EXPECT_EQ(config_load(&c, preset(name).c_str(), err, sizeof err), 0) << name << ": " << err;
    return c;
}

TEST(ConfigPresets, EveryPresetLoadsAndValidates)
{
    for (const char *name : {"default.cfg", "cva6.cfg", "rocket.cfg", "server.cfg"}) {
        SCOPED_TRACE(name);
        sim_config_t c = load_preset(name);
        char err[1024] = "";
        EXPECT_EQ(config_validate(&c, err, sizeof err), 0) << err;
    }
}

TEST(ConfigPresets, DefaultPresetIsTheDefaults)
{
    sim_config_t zero;
    memset(&zero, 0, sizeof zero); // so that every key must come from the file
    expect_config_eq(load_preset("default.cfg", zero), defaults());
}

TEST(ConfigPresets, PresetsSayWhatTheirHeadersSay)
{
    sim_config_t c = load_preset("cva6.cfg");
    EXPECT_EQ(c.l1.entries, 16u);
    EXPECT_EQ(c.l1_split, 1);
    EXPECT_EQ(c.l1.policy, REPL_PLRU);
    EXPECT_EQ(c.l2.entries, 0u);

    c = load_preset("rocket.cfg");
    EXPECT_EQ(c.l1.entries, 32u);
    EXPECT_EQ(assoc_cfg_ways(&c.l1), 32u);
    EXPECT_EQ(c.pwc.entries, 8u);
    EXPECT_EQ(c.pwc.policy, REPL_PLRU);

    c = load_preset("server.cfg");
    EXPECT_EQ(c.mode, VM_SV48);
    EXPECT_EQ(c.l2.entries, 1536u);
    EXPECT_EQ(c.l2.ways, 12u);
    EXPECT_EQ(c.dram.size, 16ull << 30);
    EXPECT_EQ(c.dram.row_bytes, 8192u);
    EXPECT_EQ(c.dram.timing, DRAM_DDR);
}

// Every key changed from its default, so a key that fails to round-trip shows.
TEST_F(Config, WriteThenLoadGivesTheSameConfig)
{
    const char *assignments[] = {
        "mode=sv48",          "tlb.l1.entries=64",  "tlb.l1.ways=4",       "tlb.l1.policy=random",
        "tlb.l1.latency=2",   "tlb.l1.seed=0xace1", "tlb.l1.split=1",      "tlb.l2.entries=1536",
        "tlb.l2.ways=12",     "tlb.l2.policy=fifo", "tlb.l2.latency=9",    "tlb.l2.seed=7",
        "pwc.entries=16",     "pwc.ways=2",         "pwc.policy=plru",     "pwc.latency=3",
        "pwc.seed=65535",     "ptw.ad=svadu",       "dram.base=0x1000",    "dram.size=3G",
        "dram.timing=ddr",    "dram.latency=77",    "dram.banks=32",       "dram.row_bytes=2K",
        "dram.tcl=11",        "dram.trcd=12",       "dram.trp=13",         "dram.tras=28",
    };
    for (const char *a : assignments)
        ASSERT_EQ(config_set_assignment(&c, a, err, sizeof err), 0) << a << ": " << err;
    ASSERT_EQ(validate(), "");

    std::string text = write_to_string(c);
    EXPECT_TRUE(contains(text, "dram.size = 0xc0000000\n")) << text;
    EXPECT_TRUE(contains(text, "tlb.l1.policy = random\n")) << text;

    // Onto the defaults and onto an all-zero struct: every key must come from the file.
    for (bool from_defaults : {true, false}) {
        SCOPED_TRACE(from_defaults ? "onto defaults" : "onto zeroes");
        sim_config_t back;
        if (from_defaults)
            config_defaults(&back);
        else
            memset(&back, 0, sizeof back);
        TempFile f(text);
        ASSERT_EQ(config_load(&back, f.path(), err, sizeof err), 0) << err;
        expect_config_eq(back, c);
        EXPECT_EQ(memcmp(&back, &c, sizeof c), 0); // both started zeroed, padding included
    }
}

TEST_F(Config, WriteListsEveryKeyOnce)
{
    std::string text = write_to_string(c);
    size_t lines = 0;
    for (char ch : text)
        lines += ch == '\n';
    EXPECT_EQ(lines, 30u + 10u); /* the MMU's 30 keys, then os.* (8) and swap.* (2) */
    EXPECT_TRUE(contains(text, "mode = sv39\n"));
    EXPECT_TRUE(contains(text, "os.policy = clock\n"));
    EXPECT_TRUE(contains(text, "swap.slots = 65536\n"));
    EXPECT_TRUE(contains(text, "dram.base = 0x80000000\n"));
    EXPECT_TRUE(contains(text, "tlb.l1.split = 0\n"));
}

TEST_F(Config, OsKeysValidated)
{
    char err[256];
    ASSERT_EQ(0, config_set(&c, "os.user_frames", "2K", err, sizeof err)) << err;
    EXPECT_EQ(2048u, c.os.user_frames);
    ASSERT_EQ(0, config_set(&c, "os.policy", "opt", err, sizeof err)) << err;
    EXPECT_EQ(OSP_OPT, c.os.policy);
    EXPECT_NE(0, config_set(&c, "os.policy", "belady", err, sizeof err));
    EXPECT_NE(0, config_set(&c, "os.asids", "65537", err, sizeof err));
    ASSERT_EQ(0, config_set(&c, "os.asids", "1", err, sizeof err));
    EXPECT_NE(0, config_validate(&c, err, sizeof err));
    EXPECT_TRUE(contains(err, "os.asids")) << err;
    config_defaults(&c);
    ASSERT_EQ(0, config_set(&c, "os.seed", "0", err, sizeof err));
    EXPECT_NE(0, config_validate(&c, err, sizeof err));
    EXPECT_TRUE(contains(err, "os.seed")) << err;
}

// What `mmusim config --keys` prints.
static std::string keys_text()
{
    char *buf = nullptr;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    config_write_keys(f);
    fclose(f);
    std::string text(buf, len);
    free(buf);
    return text;
}

TEST(ConfigKeys, TableHasEveryKeyWithDefaultAndChoices)
{
    std::string text = keys_text();
    sim_config_t c;
    config_defaults(&c);
    std::string keys = write_to_string(c);
    for (size_t pos = 0; pos < keys.size();) {
        size_t eq = keys.find(" = ", pos);
        std::string key = keys.substr(pos, eq - pos);
        EXPECT_TRUE(contains(text, "\n" + key + " ")) << key;
        pos = keys.find('\n', eq) + 1;
    }
    EXPECT_TRUE(contains(text, "lru|plru|fifo|random"));
    EXPECT_TRUE(contains(text, "sv39|sv48"));
    EXPECT_TRUE(contains(text, "0x80000000"));
}

// Every row's cells start where the header's do (the os.policy row once pushed
// its default one column right), with a blank before each.
TEST(ConfigKeys, ColumnsLineUpWithTheHeader)
{
    std::string text = keys_text();
    std::string header = text.substr(0, text.find('\n'));
    size_t cols[3] = { header.find("values"), header.find("default"), header.find("meaning") };
    for (size_t pos = text.find('\n') + 1; pos < text.size(); pos = text.find('\n', pos) + 1) {
        std::string row = text.substr(pos, text.find('\n', pos) - pos);
        for (size_t col : cols) {
            ASSERT_LT(col, row.size()) << row;
            EXPECT_EQ(row[col - 1], ' ') << "no blank before column " << col << ": " << row;
            EXPECT_NE(row[col], ' ') << "empty cell at column " << col << ": " << row;
        }
    }
}

TEST_F(Config, NumbersDecimalHexAndSuffixes)
{
    EXPECT_EQ(set("tlb.l1.entries", "0x40"), "");
    EXPECT_EQ(c.l1.entries, 64u);
    EXPECT_EQ(set("tlb.l1.entries", "010"), ""); // decimal, not octal
    EXPECT_EQ(c.l1.entries, 10u);
    EXPECT_EQ(set("dram.size", "4K"), "");
    EXPECT_EQ(c.dram.size, 4096u);
    EXPECT_EQ(set("dram.size", "2m"), "");
    EXPECT_EQ(c.dram.size, 2ull << 20);
    EXPECT_EQ(set("dram.base", "0x10G"), "");
    EXPECT_EQ(c.dram.base, 16ull << 30);
    EXPECT_EQ(set("dram.size", "1T"), "");
    EXPECT_EQ(c.dram.size, 1ull << 40);
    EXPECT_EQ(set("dram.row_bytes", "8K"), "");
    EXPECT_EQ(c.dram.row_bytes, 8192u);
    EXPECT_EQ(set("dram.base", "0xffffffffffffffff"), "");
    EXPECT_EQ(c.dram.base, UINT64_MAX);
    EXPECT_EQ(set("tlb.l1.entries", "4294967295"), "");
    EXPECT_EQ(c.l1.entries, UINT_MAX);
}

TEST_F(Config, BadNumbersAreRejectedWithTheKeyNamed)
{
    sim_config_t before = c;
    struct {
        const char *key, *value, *expect;
    } cases[] = {
        {"tlb.l1.entries", "", "tlb.l1.entries: empty value"},
        {"tlb.l1.entries", "12x", "tlb.l1.entries: '12x' is not a number"},
        {"tlb.l1.entries", "0x", "is not a number"},
        {"tlb.l1.entries", "x12", "is not a number"},
        {"tlb.l1.entries", " 12", "is not a number"},
        {"tlb.l1.entries", "+12", "is not a number"},
        {"tlb.l1.entries", "-1", "tlb.l1.entries: '-1' is negative"},
        {"tlb.l1.entries", "4K", "is not a number"}, // suffixes only on sizes
        {"tlb.l1.entries", "4294967296", "out of range"},
        {"dram.base", "18446744073709551616", "out of range"},
        {"dram.size", "0x10000000000000000", "out of range"},
        {"dram.size", "16777216T", "out of range"},
        {"dram.size", "4KB", "is not a number"},
        {"dram.row_bytes", "4G", "out of range"},
        {"tlb.l1.seed", "65536", "tlb.l1.seed: '65536' is out of range (largest is 65535)"},
        {"pwc.seed", "0x10000", "out of range"},
        {"tlb.l1.split", "2", "tlb.l1.split: '2' is not one of 0, 1"},
    };
    for (const auto &k : cases) {
        SCOPED_TRACE(std::string(k.key) + " = '" + k.value + "'");
        std::string e = set(k.key, k.value);
        EXPECT_TRUE(contains(e, k.expect)) << e;
    }
    expect_config_eq(c, before);
}

TEST_F(Config, EnumsAndUnknownKeys)
{
    EXPECT_EQ(set("tlb.l1.policy", "lrux"), "tlb.l1.policy: 'lrux' is not one of lru, plru, fifo, random");
    EXPECT_EQ(set("mode", "sv57"), "mode: 'sv57' is not one of sv39, sv48");
    EXPECT_EQ(set("mode", "SV48"), "mode: 'SV48' is not one of sv39, sv48");
    EXPECT_EQ(set("ptw.ad", "both"), "ptw.ad: 'both' is not one of svade, svadu");
    EXPECT_EQ(set("dram.timing", "lpddr"), "dram.timing: 'lpddr' is not one of fixed, ddr");
    EXPECT_TRUE(contains(set("tlb.l3.entries", "4"), "unknown key 'tlb.l3.entries'"));
    EXPECT_TRUE(contains(set("tlb.l1", "4"), "unknown key 'tlb.l1'"));
    EXPECT_EQ(set("tlb.l2.policy", "plru"), "");
    EXPECT_EQ(c.l2.policy, REPL_PLRU);
    EXPECT_EQ(set("dram.timing", "ddr"), "");
    EXPECT_EQ(c.dram.timing, DRAM_DDR);
    EXPECT_EQ(set("mode", "sv48"), "");
    EXPECT_EQ(c.mode, VM_SV48);
}

TEST_F(Config, Assignments)
{
    EXPECT_EQ(config_set_assignment(&c, "  tlb.l1.entries \t=  64  ", err, sizeof err), 0) << err;
    EXPECT_EQ(c.l1.entries, 64u);
    EXPECT_EQ(config_set_assignment(&c, "tlb.l1.entries", err, sizeof err), -1);
    EXPECT_TRUE(contains(err, "expected key=value")) << err;
    EXPECT_EQ(config_set_assignment(&c, "mode=sv39=x", err, sizeof err), -1);
    EXPECT_TRUE(contains(err, "'sv39=x' is not one of")) << err;
    EXPECT_EQ(config_set_assignment(&c, "tlb.l1.entries=", err, sizeof err), -1);
    EXPECT_TRUE(contains(err, "empty value")) << err;
    EXPECT_EQ(config_set_assignment(&c, "=5", err, sizeof err), -1);
    EXPECT_TRUE(contains(err, "unknown key ''")) << err;
}

TEST_F(Config, ErrorBufferMayBeNullOrSmall)
{
    EXPECT_EQ(config_set(&c, "nope", "1", nullptr, 0), -1);
    char small[8];
    EXPECT_EQ(config_set(&c, "nope", "1", small, sizeof small), -1);
    EXPECT_EQ(strlen(small), sizeof small - 1);
}

TEST_F(Config, FileSyntax)
{
    std::string text = "# a preset\n"
                       "\n"
                       "   tlb.l1.entries   =   64   # trailing comment\n"
                       "tlb.l1.ways=4\r\n"
                       "\t# indented comment = with an equals sign\n"
                       "dram.size = 1G#no space before the comment\n"
                       "tlb.l2.policy = fifo";  // no final newline
    EXPECT_EQ(load(text), "");
    EXPECT_EQ(c.l1.entries, 64u);
    EXPECT_EQ(c.l1.ways, 4u);
    EXPECT_EQ(c.dram.size, 1ull << 30);
    EXPECT_EQ(c.l2.policy, REPL_FIFO);
    EXPECT_EQ(c.dram.latency, 20u); // keys not in the file keep their value
}

TEST_F(Config, FileErrorsCarryFileAndLine)
{
    struct {
        const char *text, *line, *expect;
    } cases[] = {
        {"mode = sv39\nfoo.bar = 1\n", ":2: ", "unknown key 'foo.bar'"},
        {"\n\ntlb.l1.entries = 12x\n", ":3: ", "tlb.l1.entries: '12x' is not a number"},
        {"mode sv39\n", ":1: ", "expected 'key = value'"},
        {"# ok\ntlb.l1.policy = lruu\n", ":2: ", "'lruu' is not one of lru, plru, fifo, random"},
        {"tlb.l1.entries = 16\nmode = sv48\n\ntlb.l1.entries = 32\n", ":4: ",
         "key 'tlb.l1.entries' already set on line 1"},
        {"dram.size =\n", ":1: ", "dram.size: empty value"},
        {"tlb.l1.seed = 70000\n", ":1: ", "out of range"},
    };
    for (const auto &k : cases) {
        SCOPED_TRACE(k.text);
        std::string path;
        std::string e = load(k.text, &path);
        EXPECT_EQ(e.rfind(path + k.line, 0), 0u) << e;
        EXPECT_TRUE(contains(e, k.expect)) << e;
    }
}

TEST_F(Config, OverlongLinesAreErrorsNotTruncated)
{
    // 4095 characters is the limit: a comment of exactly that length loads.
    std::string ok = "mode = sv48\n" + std::string("#") + std::string(4094, 'x') + "\n";
    EXPECT_EQ(load(ok), "");
    EXPECT_EQ(load("mode = sv39\n#" + std::string(4094, 'x')), ""); // same, at end of file

    // One more character, on a line whose tail would parse if it were cut off.
    std::string path;
    std::string longline = "mode = sv39" + std::string(4096 - 11 - 13, ' ') + "# " +
                           std::string(11, 'y') + "\n";
    ASSERT_EQ(longline.size(), 4097u);
    std::string e = load("tlb.l1.entries = 16\n" + longline, &path);
    EXPECT_EQ(e.rfind(path + ":2: ", 0), 0u) << e;
    EXPECT_TRUE(contains(e, "longer than 4095")) << e;

    std::string tail = std::string(4096, ' ') + "mode = sv48\n";
    e = load(tail, &path);
    EXPECT_EQ(e.rfind(path + ":1: ", 0), 0u) << e;
}

TEST_F(Config, MissingFile)
{
    EXPECT_EQ(config_load(&c, "/nonexistent/mmusim.cfg", err, sizeof err), -1);
    EXPECT_TRUE(contains(err, "/nonexistent/mmusim.cfg: cannot open: ")) << err;
    EXPECT_TRUE(contains(err, strerror(ENOENT))) << err;
}

TEST_F(Config, ValidateRejectsBadStructures)
{
    struct {
        const char *assignments[3];
        const char *expect;
    } cases[] = {
        {{"tlb.l1.entries=24", "tlb.l1.ways=5"}, "tlb.l1.entries: 24 is not a multiple of tlb.l1.ways = 5"},
        {{"tlb.l1.entries=24", "tlb.l1.ways=4"}, "tlb.l1.entries: 24 entries / 4 ways = 6 sets, not a power of two"},
        {{"tlb.l1.entries=12", "tlb.l1.ways=3", "tlb.l1.policy=plru"},
         "tlb.l1.policy: plru needs a power-of-two number of ways, not 3"},
        {{"tlb.l1.entries=12", "tlb.l1.policy=plru"}, "plru needs a power-of-two number of ways, not 12"},
        {{"tlb.l1.seed=0"}, "tlb.l1.seed: 0 is outside 1..65535"},
        {{"tlb.l1.latency=0"}, "tlb.l1.latency: 0 is outside 1..1000"},
        {{"tlb.l1.latency=1001"}, "tlb.l1.latency: 1001 is outside 1..1000"},
        {{"tlb.l1.entries=0"}, "tlb.l1.entries: must be at least 1"},
        {{"tlb.l1.entries=4", "tlb.l1.ways=8"}, "tlb.l1.ways: 8 is more than tlb.l1.entries = 4"},
        {{"tlb.l1.entries=512"}, "tlb.l1.ways: 512 ways (fully associative) is more than 256"},
        {{"tlb.l2.entries=1024", "tlb.l2.ways=512"}, "tlb.l2.ways: 512 ways is more than 256"},
        {{"tlb.l2.entries=48", "tlb.l2.ways=4"}, "tlb.l2.entries: 48 entries / 4 ways = 12 sets"},
        {{"tlb.l2.entries=64", "tlb.l2.latency=0"}, "tlb.l2.latency: 0 is outside"},
        {{"pwc.entries=8", "pwc.seed=0"}, "pwc.seed: 0 is outside 1..65535"},
        {{"pwc.entries=6", "pwc.policy=plru"}, "pwc.policy: plru needs"},
        {{"dram.base=0x80000800"}, "dram.base: 0x80000800 is not a multiple of 4096"},
        {{"dram.size=0x1800"}, "dram.size: 0x1800 is not a non-zero multiple of 4096"},
        {{"dram.size=0"}, "dram.size: 0x0 is not a non-zero multiple of 4096"},
        {{"dram.base=0xfffffffffffff000"}, "beyond the 56-bit physical address space"},
        {{"dram.base=0xff000000000000", "dram.size=0x1000000001000"}, "beyond the 56-bit"},
        {{"dram.latency=0"}, "dram.latency: 0 is outside 1..10000"},
        {{"dram.tcl=0"}, "dram.tcl: 0 is outside 1..10000"},
        {{"dram.tras=10001"}, "dram.tras: 10001 is outside 0..10000"},
        {{"dram.banks=6"}, "dram.banks: 6 is not a power of two"},
        {{"dram.banks=0"}, "dram.banks: 0 is not a power of two"},
        {{"dram.row_bytes=4"}, "dram.row_bytes: 4 is not a power of two >= 8"},
        {{"dram.row_bytes=1000"}, "dram.row_bytes: 1000 is not a power of two >= 8"},
        {{"tlb.l1d.entries=16"}, "tlb.l1d.entries: needs tlb.l1.split = 1"},
        {{"tlb.l1.split=1", "tlb.l1d.ways=4"}, "tlb.l1d.ways: needs tlb.l1d.entries"},
        {{"tlb.l1.split=1", "tlb.l1d.entries=24", "tlb.l1d.ways=4"},
         "tlb.l1d.entries: 24 entries / 4 ways = 6 sets, not a power of two"},
        {{"tlb.l1.split=1", "tlb.l1d.entries=512"}, "tlb.l1d.ways: 512 ways (fully associative) is more than 256"},
    };
    for (const auto &k : cases) {
        SCOPED_TRACE(k.expect);
        defaults_then(k.assignments);
        std::string e = validate();
        EXPECT_TRUE(contains(e, k.expect)) << e;
    }
}

TEST_F(Config, ValidateAcceptsEdgeCases)
{
    const char *valid[][4] = {
        {"tlb.l2.ways=3", "pwc.ways=7", "pwc.policy=plru", "tlb.l2.seed=0"}, // absent: not checked
        {"tlb.l1.entries=1", "tlb.l1.policy=plru"},                          // one way
        {"tlb.l1.entries=256", "tlb.l1.policy=plru"},
        {"tlb.l1.entries=1536", "tlb.l1.ways=12", "tlb.l1.policy=random"},
        {"tlb.l2.entries=1024", "tlb.l2.ways=1"},                            // direct-mapped
        {"dram.base=0", "dram.size=0x100000000000000"},                      // all 56 bits
        {"dram.base=0xff000000000000", "dram.size=0x1000000000000"},         // ends at 2^56
        {"tlb.l1.latency=1000", "dram.latency=10000", "dram.trcd=0"},
        {"dram.row_bytes=8", "dram.banks=1"},
    };
    for (const auto &assignments : valid) {
        defaults_then(assignments);
        EXPECT_EQ(validate(), "") << assignments[0];
    }
}

// A struct filled by code rather than by config_set is held to the same types.
TEST_F(Config, ValidateChecksFieldsSetDirectly)
{
    c.mode = VM_BARE;
    EXPECT_EQ(validate(), "mode: value 0 is not one of sv39, sv48");
    config_defaults(&c);
    c.l1_split = 2;
    EXPECT_TRUE(contains(validate(), "tlb.l1.split"));
    config_defaults(&c);
    int bad_policy = 9; // not a repl_policy_t value, so stored as raw bytes
    static_assert(sizeof c.l1.policy == sizeof bad_policy, "enum stored as an int");
    memcpy(&c.l1.policy, &bad_policy, sizeof bad_policy);
    EXPECT_TRUE(contains(validate(), "tlb.l1.policy: value 9 is not one of"));
    config_defaults(&c);
    c.pwc.seed = 0x10000;
    EXPECT_TRUE(contains(validate(), "pwc.seed"));
}

TEST(ConfigAssoc, WaysZeroMeansFullyAssociative)
{
    assoc_cfg_t a = {32, 0, REPL_LRU, 1, 1};
    EXPECT_EQ(assoc_cfg_ways(&a), 32u);
    a.ways = 4;
    EXPECT_EQ(assoc_cfg_ways(&a), 4u);
    a = {0, 0, REPL_LRU, 1, 1};
    EXPECT_EQ(assoc_cfg_ways(&a), 0u);
}

// parse_size: the number syntax of configuration files and workloads.
int size_of(const char *s, int suffix, uint64_t *v)
{
    return parse_size(s, strlen(s), suffix, v);
}

TEST(ParseSize, DigitsAndSuffixes)
{
    uint64_t v = 0;
    EXPECT_EQ(size_of("0", 1, &v), 0);
    EXPECT_EQ(v, 0u);
    EXPECT_EQ(size_of("0x1F", 0, &v), 0);
    EXPECT_EQ(v, 31u);
    EXPECT_EQ(size_of("4k", 1, &v), 0);
    EXPECT_EQ(v, 4096u);
    EXPECT_EQ(size_of("3M", 1, &v), 0);
    EXPECT_EQ(v, 3u << 20);
    EXPECT_EQ(size_of("0x2G", 1, &v), 0); // 2 * 2^30
    EXPECT_EQ(v, 2ull << 30);
    EXPECT_EQ(size_of("1t", 1, &v), 0);
    EXPECT_EQ(v, 1ull << 40);
    EXPECT_EQ(size_of("18446744073709551615", 0, &v), 0); // 2^64 - 1
    EXPECT_EQ(v, UINT64_MAX);
    EXPECT_EQ(size_of("16777215T", 1, &v), 0); // (2^24 - 1) * 2^40 fits
    EXPECT_EQ(v, ((1ull << 24) - 1) << 40);
}

TEST(ParseSize, RejectsJunkAndOverflow)
{
    uint64_t v = 77;
    for (const char *bad : { "", "0x", "K", "-1", "+1", " 1", "1 ", "1K", "12z", "0x1g0", "1KK", "1.5" })
        EXPECT_EQ(size_of(bad, !strcmp(bad, "1K") ? 0 : 1, &v), -1) << bad;
    EXPECT_EQ(size_of("18446744073709551616", 0, &v), -2);   // 2^64
    EXPECT_EQ(size_of("0x10000000000000000", 0, &v), -2);    // 2^64
    EXPECT_EQ(size_of("16777216T", 1, &v), -2);              // 2^24 * 2^40 = 2^64
    EXPECT_EQ(v, 77u) << "a failure writes nothing";
}

} // namespace
