// test_tracefmt.cc - the trace readers and the converter (app/tracefmt*.c,
// app/convert.c) against records built by hand from each format's published
// layout: ChampSim's structs re-declared here, Dinero's din rules, lackey's
// lines, the mmt bit layout of docs/traces.md.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "convert.h"
#include "seed.h"
#include "tracefmt.h"
#include "xlate.h"

namespace {

// ChampSim's inc/trace_instruction.h, as ChampSim freads it on x86-64.
struct cs_input_instr {
    unsigned long long ip;
    unsigned char is_branch, branch_taken;
    unsigned char destination_registers[2], source_registers[4];
    unsigned long long destination_memory[2], source_memory[4];
};
static_assert(sizeof(cs_input_instr) == 64, "input_instr is 64 bytes");
static_assert(offsetof(cs_input_instr, destination_memory) == 16, "destination_memory at 16");
static_assert(offsetof(cs_input_instr, source_memory) == 32, "source_memory at 32");

struct cs_cloudsuite_instr {
    unsigned long long ip;
    unsigned char is_branch, branch_taken;
    unsigned char destination_registers[4], source_registers[4];
    unsigned long long destination_memory[4], source_memory[4];
    unsigned char asid[2];
};
static_assert(sizeof(cs_cloudsuite_instr) == 96, "cloudsuite_instr pads to 96 bytes");
static_assert(offsetof(cs_cloudsuite_instr, destination_memory) == 24, "destination_memory at 24");
static_assert(offsetof(cs_cloudsuite_instr, source_memory) == 56, "source_memory at 56");
static_assert(offsetof(cs_cloudsuite_instr, asid) == 88, "asid at 88");

trace_ref_t ref(uint64_t va, uint32_t size, acc_t acc, uint32_t pid = 1)
{
    return trace_ref_t{va, size, pid, (uint8_t)acc, TREF_ACCESS};
}

trace_ref_t sfence(uint64_t va, uint32_t size, uint32_t pid = 1)
{
    return trace_ref_t{va, size, pid, ACC_LOAD, TREF_SFENCE};
}

std::string show(const trace_ref_t &r)
{
    char s[96];
    std::snprintf(s, sizeof s, "{0x%llx %u pid %u acc %u kind %u}", (unsigned long long)r.va, r.size, r.pid,
                  r.acc, r.kind);
    return s;
}

std::string show(const std::vector<trace_ref_t> &v)
{
    std::string s;
    for (const trace_ref_t &r : v)
        s += show(r) + "\n";
    return s;
}

bool same(const std::vector<trace_ref_t> &a, const std::vector<trace_ref_t> &b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); i++)
        if (a[i].va != b[i].va || a[i].size != b[i].size || a[i].pid != b[i].pid || a[i].acc != b[i].acc ||
            a[i].kind != b[i].kind)
            return false;
    return true;
}

#define EXPECT_REFS(want, got) EXPECT_TRUE(same(want, got)) << "want\n" << show(want) << "got\n" << show(got)

struct Read {
    std::vector<trace_ref_t> refs;
    std::vector<uint64_t> records; // trace_record after each single-reference read
    long rc = 0;                   // last trace_read: 0 end, -1 error; 1 when open failed
    int close_rc = 0;
    trace_format_t fmt = TF_AUTO;
    uint64_t total = 0;
    std::string err;
};

// Reads path in batches of `batch` references (1: also notes each reference's record).
Read read_trace(const std::string &path, trace_format_t f, long batch = 4096)
{
    Read out;
    std::vector<trace_ref_t> buf((size_t)batch);
    testing::internal::CaptureStderr();
    trace_in_t *t = trace_open(path.c_str(), f);
    if (!t) {
        out.rc = 1;
        out.err = testing::internal::GetCapturedStderr();
        return out;
    }
    out.fmt = trace_in_format(t);
    out.total = trace_total(t);
    while ((out.rc = trace_read(t, buf.data(), batch)) > 0) {
        out.refs.insert(out.refs.end(), buf.begin(), buf.begin() + out.rc);
        if (batch == 1)
            out.records.push_back(trace_record(t));
    }
    out.close_rc = trace_close(t, out.rc < 0);
    out.err = testing::internal::GetCapturedStderr();
    return out;
}

class TraceFmt : public testing::Test {
  protected:
    std::string dir;
    void SetUp() override
    {
        char tmpl[] = "/tmp/test_tracefmt.XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        dir = tmpl;
    }
    void TearDown() override { EXPECT_EQ(0, std::system(("rm -rf " + dir).c_str())); }
    std::string put(const std::string &name, const void *data, size_t len)
    {
        std::string path = dir + "/" + name;
        FILE *f = std::fopen(path.c_str(), "wb");
        EXPECT_NE(f, nullptr);
        EXPECT_EQ(len, std::fwrite(data, 1, len, f));
        std::fclose(f);
        return path;
    }
    std::string put(const std::string &name, const std::string &text) { return put(name, text.data(), text.size()); }
    std::string slurp(const std::string &path)
    {
        std::string s;
        FILE *f = std::fopen(path.c_str(), "rb");
        EXPECT_NE(f, nullptr);
        for (int c; f && (c = std::fgetc(f)) != EOF;)
            s += (char)c;
        if (f)
            std::fclose(f);
        return s;
    }
    // Runs `TOOL -k FILE` (gzip, xz, zstd -q); returns FILE.EXT.
    std::string compress(const std::string &path, const char *tool, const char *ext)
    {
        EXPECT_EQ(0, std::system((std::string(tool) + " -k -f " + path).c_str()));
        return path + ext;
    }
};

// mmt records, encoded from the layout in docs/traces.md.
uint64_t mmt_access(uint64_t va, uint32_t size, acc_t acc)
{
    return (uint64_t)(size - 1) << 50 | (uint64_t)acc << 48 | (va & 0xffffffffffffULL);
}
uint64_t mmt_switch(uint32_t pid) { return 1ULL << 63 | pid; }
uint64_t mmt_sfence(uint64_t va) { return 0x81ULL << 56 | (va & 0xffffffffffffULL); }

std::string mmt_bytes(const std::vector<uint64_t> &recs, uint64_t count, uint32_t version = 1)
{
    std::string s = "MMUTRACE";
    auto le = [&s](uint64_t v, int n) {
        for (int i = 0; i < n; i++)
            s += (char)(v >> (8 * i));
    };
    le(version, 4);
    le(0, 4);
    le(count, 8);
    le(0, 8);
    for (uint64_t r : recs)
        le(r, 8);
    return s;
}

} // namespace

// Record 1: fetch, loads of the non-zero sources in index order, stores of the non-zero
// destinations; all of size 1.  Record 2 has no memory operands: its fetch alone.
TEST_F(TraceFmt, ChampSimRecordsByHand)
{
    cs_input_instr rec[2];
    std::memset(rec, 0, sizeof rec);
    rec[0].ip = 0x401000;
    rec[0].source_memory[0] = 0x7ffc1000;
    rec[0].source_memory[2] = 0x602008;
    rec[0].destination_memory[1] = 0x603000;
    rec[1].ip = 0x401004;
    std::string path = put("t.champsim", rec, sizeof rec);
    std::vector<trace_ref_t> want = {ref(0x401000, 1, ACC_FETCH), ref(0x7ffc1000, 1, ACC_LOAD),
                                     ref(0x602008, 1, ACC_LOAD), ref(0x603000, 1, ACC_STORE),
                                     ref(0x401004, 1, ACC_FETCH)};
    for (long batch : {1L, 3L, 4096L}) {
        Read r = read_trace(path, TF_CHAMPSIM, batch);
        EXPECT_EQ(0, r.rc) << r.err;
        EXPECT_REFS(want, r.refs);
    }
    Read one = read_trace(path, TF_CHAMPSIM, 1);
    EXPECT_EQ((std::vector<uint64_t>{1, 1, 1, 1, 2}), one.records);
    for (auto [tool, ext] : {std::pair{"gzip", ".gz"}, {"xz", ".xz"}}) {
        Read r = read_trace(compress(path, tool, ext), TF_AUTO);
        EXPECT_EQ(0, r.rc) << r.err;
        EXPECT_EQ(TF_CHAMPSIM, r.fmt);
        EXPECT_REFS(want, r.refs);
    }
}

// CloudSuite: asid[0] names the instruction's process, asid[1] its data's (pid = ASID + 1).
TEST_F(TraceFmt, CloudSuiteRecordsByHand)
{
    cs_cloudsuite_instr rec;
    std::memset(&rec, 0, sizeof rec);
    rec.ip = 0x10000;
    rec.source_memory[3] = 0x2000;
    rec.destination_memory[0] = 0x3000;
    rec.destination_memory[3] = 0x4000;
    rec.asid[0] = 3;
    rec.asid[1] = 5;
    std::string path = put("web.cloudsuite", &rec, sizeof rec);
    std::vector<trace_ref_t> want = {ref(0x10000, 1, ACC_FETCH, 4), ref(0x2000, 1, ACC_LOAD, 6),
                                     ref(0x3000, 1, ACC_STORE, 6), ref(0x4000, 1, ACC_STORE, 6)};
    Read r = read_trace(path, TF_CLOUDSUITE);
    EXPECT_EQ(0, r.rc) << r.err;
    EXPECT_REFS(want, r.refs);
    r = read_trace(compress(path, "xz", ".xz"), TF_AUTO); // guessed from the name
    EXPECT_EQ(TF_CLOUDSUITE, r.fmt);
    EXPECT_REFS(want, r.refs);
    r = read_trace(compress(path, "gzip", ".gz"), TF_CLOUDSUITE, 2);
    EXPECT_REFS(want, r.refs);
}

TEST_F(TraceFmt, ChampSimTruncatedRecord)
{
    cs_input_instr rec[3];
    std::memset(rec, 0, sizeof rec);
    rec[0].ip = 0x1000;
    rec[1].ip = 0x2000;
    std::string path = put("t.champsim", rec, 2 * sizeof rec[0] + 10);
    Read r = read_trace(path, TF_CHAMPSIM);
    EXPECT_EQ(-1, r.rc);
    EXPECT_REFS((std::vector<trace_ref_t>{ref(0x1000, 1, ACC_FETCH), ref(0x2000, 1, ACC_FETCH)}), r.refs);
    EXPECT_EQ(path + ":3: truncated record (10 of 64 bytes)\n", r.err);
    r = read_trace(compress(path, "gzip", ".gz"), TF_CHAMPSIM);
    EXPECT_NE(std::string::npos, r.err.find(".gz:3: truncated record (10 of 64 bytes)")) << r.err;
}

// Dinero IV's reading: hex label, blanks, hex address (0x allowed), the rest of the line a
// comment; every record is the 4 bytes at address & ~3.
TEST_F(TraceFmt, DinQuirks)
{
    std::string path = put("q.din", "0 1000\n"
                                    "1 0x2003 store, with a comment\n"
                                    "2\t\t0X300A\n"
                                    "  3 ABE\n" // misc: a data reference, 0xabe & ~3
                                    "4 5000\n"  // copy back dirty lines: no record
                                    "5 6004\n"  // invalidate: an sfence of that page
                                    "0x1 7001\n"
                                    "00 8000");
    std::vector<trace_ref_t> want = {ref(0x1000, 4, ACC_LOAD),  ref(0x2000, 4, ACC_STORE), ref(0x3008, 4, ACC_FETCH),
                                     ref(0xabc, 4, ACC_LOAD),   sfence(0x6004, 4),         ref(0x7000, 4, ACC_STORE),
                                     ref(0x8000, 4, ACC_LOAD)};
    Read r = read_trace(path, TF_DIN, 1);
    EXPECT_EQ(0, r.rc) << r.err;
    EXPECT_REFS(want, r.refs);
    EXPECT_EQ((std::vector<uint64_t>{1, 2, 3, 4, 6, 7, 8}), r.records); // line 5 gave nothing
    r = read_trace(path, TF_AUTO);
    EXPECT_EQ(TF_DIN, r.fmt);
    EXPECT_REFS(want, r.refs);
}

TEST_F(TraceFmt, DinErrorsNameTheLine)
{
    struct {
        const char *line, *msg;
    } bad[] = {
        {"6 1000\n", "din label 6 is not 0..5"},
        {"0\n", "din: short line"},
        {"0 \n", "din: short line"},
        {"\n", "din: short line"},
        {"0 12g4\n", "din address has a character that is not a hex digit (0x67)"},
        {"z 100\n", "din label has a character that is not a hex digit (0x7a)"},
        {"0 11112222333344445\n", "din: address longer than 64 bits"},
    };
    for (const auto &b : bad) {
        std::string path = put("bad.din", std::string("2 1000\n1 2000\n") + b.line + "0 3000\n");
        Read r = read_trace(path, TF_DIN);
        EXPECT_EQ(-1, r.rc) << b.line;
        EXPECT_EQ(2u, r.refs.size()) << b.line;
        EXPECT_EQ(path + ":3: " + b.msg + "\n", r.err);
    }
    // leading zeros are not width
    Read r = read_trace(put("z.din", "0 000000000000000000001000\n"), TF_DIN);
    EXPECT_REFS((std::vector<trace_ref_t>{ref(0x1000, 4, ACC_LOAD)}), r.refs);
}

TEST_F(TraceFmt, LackeyLines)
{
    std::string path = put("t.lackey", "==42== Lackey\n"
                                        "I  0401000,4\n"
                                        " L 1ffefffd88,8\n"
                                        " M 0405ab0,4\n"
                                        "# comment\n"
                                        "\n"
                                        " S 10,4096\r\n"
                                        "I  ffffffffffffffff,1");
    std::vector<trace_ref_t> want = {ref(0x401000, 4, ACC_FETCH),    ref(0x1ffefffd88, 8, ACC_LOAD),
                                     ref(0x405ab0, 4, ACC_LOAD),     ref(0x405ab0, 4, ACC_STORE),
                                     ref(0x10, 4096, ACC_STORE),     ref(~0ULL, 1, ACC_FETCH)};
    Read r = read_trace(path, TF_LACKEY, 1);
    EXPECT_EQ(0, r.rc) << r.err;
    EXPECT_REFS(want, r.refs);
    EXPECT_EQ((std::vector<uint64_t>{2, 3, 4, 4, 7, 8}), r.records);
    r = read_trace(path, TF_AUTO, 3); // an M split across two reads
    EXPECT_EQ(TF_LACKEY, r.fmt);
    EXPECT_REFS(want, r.refs);
}

TEST_F(TraceFmt, LackeyErrorsNameTheLine)
{
    for (const char *line : {"X  0401000,4", " L 1ffefffd88", " L 1000,0", " L 1000,4097", " L 11112222333344445,4",
                             " L ,4", " L 1000,4 extra", "L1000,4", " L 10g0,4"}) {
        std::string path = put("bad.lackey", std::string("==1== x\nI  0401000,4\n") + line + "\n");
        Read r = read_trace(path, TF_LACKEY);
        EXPECT_EQ(-1, r.rc) << line;
        EXPECT_EQ(1u, r.refs.size()) << line;
        EXPECT_EQ(path + ":3: not a lackey line (expected 'I|L|S|M ADDR,SIZE')\n", r.err) << line;
    }
}

// Random references through the hand encoder, the reader, and the converter (mmt -> mmt
// gives the same bytes: the writer emits a process switch only when the process changes).
TEST_F(TraceFmt, MmtRandomRoundTrip)
{
    std::mt19937_64 rng(test_seed(20240611));
    std::vector<trace_ref_t> want;
    std::vector<uint64_t> recs;
    uint32_t pid = 1;
    for (int i = 0; i < 20000; i++) {
        uint32_t p = rng() % 8 == 0 ? 1 + (uint32_t)(rng() % 3) : pid;
        if (p != pid)
            recs.push_back(mmt_switch(pid = p));
        uint64_t va = (uint64_t)((int64_t)(rng() << 16) >> 16);
        if (rng() % 16 == 0) {
            recs.push_back(mmt_sfence(va));
            want.push_back(sfence(va, 1, pid));
        } else {
            uint32_t size = 1 + (uint32_t)(rng() % 4096);
            acc_t acc = (acc_t)(rng() % 3);
            recs.push_back(mmt_access(va, size, acc));
            want.push_back(ref(va, size, acc, pid));
        }
    }
    std::string bytes = mmt_bytes(recs, recs.size());
    std::string path = put("r.mmt", bytes);
    Read r = read_trace(path, TF_AUTO, 1000);
    EXPECT_EQ(TF_MMT, r.fmt);
    EXPECT_EQ(recs.size(), r.total);
    EXPECT_EQ(0, r.rc) << r.err;
    EXPECT_REFS(want, r.refs);
    std::string out = dir + "/out.mmt";
    EXPECT_EQ(0, trace_convert(path.c_str(), TF_AUTO, out.c_str(), TF_AUTO));
    EXPECT_EQ(bytes, slurp(out)); // header count filled in
}

TEST_F(TraceFmt, MmtSignExtensionAndUnknownCount)
{
    uint64_t sv39_high = 0xffffffc000001000ULL, sv48_high = 0xffff800000000000ULL;
    std::string path = put("s.mmt", mmt_bytes({mmt_access(sv39_high, 8, ACC_LOAD), mmt_access(sv48_high, 1, ACC_FETCH),
                                               mmt_access(0x7fffffffffffULL, 1, ACC_STORE)},
                                              ~0ULL));
    Read r = read_trace(path, TF_MMT);
    EXPECT_EQ(0u, r.total); // unknown
    EXPECT_REFS((std::vector<trace_ref_t>{ref(sv39_high, 8, ACC_LOAD), ref(sv48_high, 1, ACC_FETCH),
                                          ref(0x7fffffffffffULL, 1, ACC_STORE)}),
                r.refs);
    // written to a pipe (the compressor), the count stays unknown
    std::string out = dir + "/o.mmt.zst";
    EXPECT_EQ(0, trace_convert(path.c_str(), TF_AUTO, out.c_str(), TF_AUTO));
    EXPECT_EQ(0, std::system(("zstd -q -dc " + out + " > " + dir + "/o.mmt").c_str()));
    EXPECT_EQ(slurp(path), slurp(dir + "/o.mmt"));
    // a non-canonical address cannot be written
    std::string lk = put("x.lackey", "I  0401000,4\n L 800000000000,8\n");
    testing::internal::CaptureStderr();
    EXPECT_EQ(2, trace_convert(lk.c_str(), TF_AUTO, (dir + "/x.mmt").c_str(), TF_AUTO));
    EXPECT_EQ(lk + ":2: mmt cannot express address 0x800000000000 (not sign-extended from bit 47)\n",
              testing::internal::GetCapturedStderr());
    EXPECT_NE(0, access((dir + "/x.mmt").c_str(), F_OK)); // removed
}

TEST_F(TraceFmt, MmtErrors)
{
    uint64_t ok = mmt_access(0x1000, 4, ACC_LOAD);
    struct {
        std::vector<uint64_t> recs;
        uint64_t count;
        std::string msg;
    } bad[] = {
        {{ok, 3ULL << 48 | 0x1000}, 2, ":2: mmt access type 3 is reserved"},
        {{ok, ok, 4096ULL << 50 | 0x1000}, 3, ":3: mmt access of 4097 bytes (at most 4096)"},
        {{ok, ok, 0x85ULL << 56}, 3, ":3: mmt control record type 5 is unknown"},
        {{ok, mmt_switch(0)}, 2, ":2: mmt process switch record has bad reserved bits or pid 0: 0x8000000000000000"},
        {{ok, ok}, 3, ":2: the header announces 3 records, the trace holds 2"},
    };
    for (const auto &b : bad) {
        std::string path = put("bad.mmt", mmt_bytes(b.recs, b.count));
        Read r = read_trace(path, TF_AUTO);
        EXPECT_EQ(-1, r.rc) << b.msg;
        EXPECT_EQ(path + b.msg + "\n", r.err);
    }
    std::string trunc = mmt_bytes({ok, ok}, ~0ULL);
    Read r = read_trace(put("t.mmt", trunc.substr(0, trunc.size() - 3)), TF_MMT);
    EXPECT_EQ(dir + "/t.mmt:2: truncated record (5 of 8 bytes)\n", r.err);
    r = read_trace(put("v.mmt", mmt_bytes({ok}, 1, 2)), TF_AUTO);
    EXPECT_EQ(1, r.rc);
    EXPECT_EQ(dir + "/v.mmt: mmt version 2 is not supported (this reader knows 1)\n", r.err);
    r = read_trace(put("m.mmt", "MMUTRACX" + trunc.substr(8)), TF_MMT);
    EXPECT_EQ(1, r.rc);
    EXPECT_NE(std::string::npos, r.err.find("m.mmt: not an mmt trace")) << r.err;
}

// din -> mmt -> din gives the same bytes for a din in the writer's own form.
TEST_F(TraceFmt, ConvertDinMmtDin)
{
    std::string din = "2 401000\n0 1ffefffd88\n1 1ffefffd80\n5 2000\n0 ffffffffffffff00\n2 0\n";
    std::string in = put("c.din", din), mmt = dir + "/c.mmt", back = dir + "/back.din";
    EXPECT_EQ(0, trace_convert(in.c_str(), TF_AUTO, mmt.c_str(), TF_AUTO));
    EXPECT_EQ(0, trace_convert(mmt.c_str(), TF_AUTO, back.c_str(), TF_AUTO));
    EXPECT_EQ(din, slurp(back));
    std::string gz = dir + "/c.din.gz";
    EXPECT_EQ(0, trace_convert(mmt.c_str(), TF_MMT, gz.c_str(), TF_AUTO));
    Read r = read_trace(gz, TF_AUTO);
    EXPECT_EQ(TF_DIN, r.fmt);
    EXPECT_EQ(6u, r.refs.size());
}

TEST_F(TraceFmt, ConvertLackeyMmtLackey)
{
    std::string in = put("c.lackey", "==1== hdr\nI  0401000,3\n M 1ffefffd88,8\n S 0ff0,16\n L 10,4096\n");
    std::string mmt = dir + "/c.mmt.gz", back = dir + "/back.lackey";
    EXPECT_EQ(0, trace_convert(in.c_str(), TF_AUTO, mmt.c_str(), TF_AUTO));
    EXPECT_EQ(0, trace_convert(mmt.c_str(), TF_AUTO, back.c_str(), TF_AUTO));
    Read a = read_trace(in, TF_LACKEY), b = read_trace(back, TF_AUTO);
    EXPECT_EQ(5u, a.refs.size());
    EXPECT_REFS(a.refs, b.refs);
    EXPECT_EQ(TF_LACKEY, b.fmt);
}

TEST_F(TraceFmt, ConvertRefusesWhatTheTargetCannotExpress)
{
    std::string sf = put("sf.din", "0 1000\n5 2000\n");
    testing::internal::CaptureStderr();
    EXPECT_EQ(2, trace_convert(sf.c_str(), TF_AUTO, (dir + "/o.lackey").c_str(), TF_AUTO));
    EXPECT_EQ(sf + ":2: lackey cannot express an sfence\n", testing::internal::GetCapturedStderr());

    std::string cross = put("x.lackey", "I  1000,4\n L 1ffe,4\n");
    testing::internal::CaptureStderr();
    EXPECT_EQ(2, trace_convert(cross.c_str(), TF_AUTO, (dir + "/o.din").c_str(), TF_AUTO));
    EXPECT_EQ(cross + ":2: din cannot express an access that crosses a page (0x1ffe, 4 bytes)\n",
              testing::internal::GetCapturedStderr());

    std::string two = put("p.mmt", mmt_bytes({mmt_access(0x1000, 4, ACC_LOAD), mmt_switch(2),
                                              mmt_access(0x1000, 4, ACC_LOAD)},
                                             3));
    testing::internal::CaptureStderr();
    EXPECT_EQ(2, trace_convert(two.c_str(), TF_AUTO, (dir + "/o.din").c_str(), TF_AUTO));
    EXPECT_EQ(two + ":3: din cannot express process 2 (only process 1)\n", testing::internal::GetCapturedStderr());

    testing::internal::CaptureStderr();
    EXPECT_EQ(2, trace_convert(sf.c_str(), TF_AUTO, (dir + "/o.trace").c_str(), TF_CHAMPSIM));
    EXPECT_NE(std::string::npos, testing::internal::GetCapturedStderr().find("champsim is an input format only"));
    testing::internal::CaptureStderr();
    EXPECT_EQ(2, trace_convert(sf.c_str(), TF_AUTO, "-", TF_AUTO));
    EXPECT_NE(std::string::npos, testing::internal::GetCapturedStderr().find("--to FORMAT"));
}

TEST_F(TraceFmt, GuessesEachFormat)
{
    cs_input_instr rec;
    std::memset(&rec, 0, sizeof rec);
    rec.ip = 0x401000;
    struct {
        std::string name, bytes;
        trace_format_t fmt;
    } cases[] = {
        {"a", "==1== valgrind\n#\nI  0401000,4\n", TF_LACKEY},
        {"b", " L 10,4\n", TF_LACKEY},
        {"c", "2 401000\n0 10\n", TF_DIN},
        {"d", "\t0x2\t0x401000 comment\n", TF_DIN},
        {"e", std::string((const char *)&rec, sizeof rec), TF_CHAMPSIM},
        {"f", mmt_bytes({mmt_access(0x1000, 4, ACC_LOAD)}, 1), TF_MMT},
        {"g", "hello world\n", TF_LACKEY}, // text of no known shape: lackey's reader names the line
    };
    for (const auto &c : cases) {
        std::string path = put(c.name, c.bytes);
        for (std::string p : {path, compress(path, "gzip", ".gz"), compress(path, "xz", ".xz"),
                              compress(path, "zstd -q", ".zst")}) {
            testing::internal::CaptureStderr();
            trace_in_t *t = trace_open(p.c_str(), TF_AUTO);
            std::string err = testing::internal::GetCapturedStderr();
            ASSERT_NE(t, nullptr) << err;
            EXPECT_EQ(c.fmt, trace_in_format(t)) << p;
            EXPECT_EQ(0, trace_close(t, 1));
        }
    }
}

// "-": standard input, plain or compressed, from a regular file or a pipe.
TEST_F(TraceFmt, StandardInput)
{
    std::string path = put("s.lackey", "I  0401000,4\n M 1000,8\n");
    std::string gz = compress(path, "gzip", ".gz");
    std::vector<trace_ref_t> want = {ref(0x401000, 4, ACC_FETCH), ref(0x1000, 8, ACC_LOAD),
                                     ref(0x1000, 8, ACC_STORE)};
    int saved = dup(0);
    for (std::string cmd : {"cat " + path, "cat " + gz, std::string(), std::string("<")}) {
        FILE *pipe = nullptr;
        int fd;
        if (cmd == "")
            fd = open(path.c_str(), O_RDONLY);
        else if (cmd == "<")
            fd = open(gz.c_str(), O_RDONLY);
        else
            fd = fileno(pipe = popen(cmd.c_str(), "r"));
        ASSERT_GE(fd, 0);
        dup2(fd, 0);
        Read r = read_trace("-", TF_AUTO);
        EXPECT_EQ(0, r.rc) << cmd << r.err;
        EXPECT_EQ(0, r.close_rc) << cmd << r.err;
        EXPECT_REFS(want, r.refs);
        dup2(saved, 0);
        if (pipe)
            pclose(pipe);
        else
            close(fd);
    }
    close(saved);
}

// Stopping early leaves the decompressor writing into a closed pipe: not an error.
TEST_F(TraceFmt, EarlyCloseAndProgress)
{
    std::string text;
    for (int i = 0; i < 200000; i++)
        text += "2 " + std::to_string(4096 * i) + "\n";
    std::string path = put("big.din", text), gz = compress(path, "gzip", ".gz");
    trace_ref_t r[16];
    for (const std::string &p : {path, gz}) {
        trace_in_t *t = trace_open(p.c_str(), TF_AUTO);
        ASSERT_NE(t, nullptr);
        double before = trace_fraction(t);
        EXPECT_GE(before, 0.0);
        EXPECT_EQ(16, trace_read(t, r, 16));
        EXPECT_LE(trace_fraction(t), 1.0);
        EXPECT_EQ(0, trace_close(t, 1)) << p;
    }
    EXPECT_EQ(0, std::system(("cp " + gz + " " + dir + "/broken.gz && truncate -s 2000 " + dir + "/broken.gz")
                                 .c_str()));
    Read b = read_trace(dir + "/broken.gz", TF_DIN);
    EXPECT_EQ(2, b.close_rc) << b.err;
    EXPECT_NE(std::string::npos, b.err.find("broken.gz: gzip -dc failed")) << b.err;
    Read missing = read_trace(dir + "/nosuch", TF_AUTO);
    EXPECT_EQ(1, missing.rc);
    EXPECT_EQ(dir + "/nosuch: cannot open: No such file or directory\n", missing.err);
}

TEST_F(TraceFmt, FormatNames)
{
    trace_format_t f;
    for (int i = TF_AUTO; i <= TF_MMT; i++) {
        ASSERT_EQ(0, trace_format_parse(trace_format_name((trace_format_t)i), &f));
        EXPECT_EQ(i, (int)f);
    }
    EXPECT_EQ(-1, trace_format_parse("dinero", &f));
}
