// test_sc_dram.cc - DramTlm as a TLM-2.0 memory target: data through
// b_transport and transport_dbg, the error responses of dram_tlm.h, and the
// annotated latency of the fixed and DDR timing models, the DDR one being
// docs/dram.md's worked example (row closed, hit, conflict with and without
// the tRAS wait) reproduced by hand.

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "sc_fixture.h"

namespace sctest {
namespace {

using mmutest::kBase;
using mmutest::kSize;
using sc_core::sc_time;

// fixed: every access 20 cycles; ddr: docs/dram.md's defaults.
const dram_cfg_t kFixed = {kBase, kSize, DRAM_FIXED, 20, 8, 8192, 14, 14, 14, 33};
const dram_cfg_t kDdr = {kBase, kSize, DRAM_DDR, 20, 8, 8192, 14, 14, 14, 33};

// What one transaction came back with.
struct Done {
    tlm::tlm_response_status status;
    sc_time delay;
};

// A DRAM image and DramTlm on it, in the test's own context.
class DramTlmTest : public ScTest {
protected:
    DramTlmTest() : store_(dram_create(kBase, kSize)) {}
    ~DramTlmTest() override { dram_destroy(store_); }

    // The target on the store, made once per test with timing t and cycle period.
    DramTlm &target(const dram_cfg_t &t = kFixed, const sc_time &period = ns(1))
    {
        tgt_ = std::make_unique<DramTlm>("dram", store_, t, period);
        return *tgt_;
    }
    // A b_transport of len bytes at data with annotated delay at; width 0 means len.
    Done access(tlm::tlm_command cmd, uint64_t pa, void *data, unsigned len, const sc_time &at,
                unsigned char *be = nullptr, unsigned width = 0)
    {
        tlm::tlm_generic_payload gp;
        setup(gp, cmd, pa, data, len, be, width);
        Done d{tlm::TLM_INCOMPLETE_RESPONSE, at};
        tgt_->socket.get_base_interface().b_transport(gp, d.delay);
        d.status = gp.get_response_status();
        return d;
    }
    // A transport_dbg of the same; returns the bytes it moved.
    unsigned dbg(tlm::tlm_command cmd, uint64_t pa, void *data, unsigned len)
    {
        tlm::tlm_generic_payload gp;
        setup(gp, cmd, pa, data, len, nullptr, 0);
        return tgt_->socket.get_base_interface().transport_dbg(gp);
    }
    uint64_t word(uint64_t pa)
    {
        uint64_t v = 0;
        EXPECT_EQ(dram_read64(store_, pa, &v), 0);
        return v;
    }

    dram_t *store_;
    std::unique_ptr<DramTlm> tgt_;

private:
    static void setup(tlm::tlm_generic_payload &gp, tlm::tlm_command cmd, uint64_t pa, void *data, unsigned len,
                      unsigned char *be, unsigned width)
    {
        gp.set_command(cmd);
        gp.set_address(pa);
        gp.set_data_ptr(static_cast<unsigned char *>(data));
        gp.set_data_length(len);
        gp.set_streaming_width(width ? width : len);
        gp.set_byte_enable_ptr(be);
        gp.set_byte_enable_length(be ? len : 0);
        gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    }
};

TEST_F(DramTlmTest, ReadsAndWritesTheStoreLittleEndian)
{
    target();
    uint8_t in[8] = {1, 2, 3, 4, 5, 6, 7, 8}, out[8] = {};
    Done d = access(tlm::TLM_WRITE_COMMAND, kBase + 0x100, in, 8, ns(0));
    EXPECT_EQ(d.status, tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(word(kBase + 0x100), 0x0807060504030201ull);
    d = access(tlm::TLM_READ_COMMAND, kBase + 0x102, out, 4, ns(0));
    EXPECT_EQ(d.status, tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(std::memcmp(out, in + 2, 4), 0);
    // Any length, across a 4 KiB page boundary.
    std::vector<uint8_t> big(64, 0xa5), back(64);
    EXPECT_EQ(access(tlm::TLM_WRITE_COMMAND, kBase + 0xfe0, big.data(), 64, ns(0)).status, tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(access(tlm::TLM_READ_COMMAND, kBase + 0xfe0, back.data(), 64, ns(0)).status, tlm::TLM_OK_RESPONSE);
    EXPECT_EQ(back, big);
    EXPECT_EQ(tgt_->accesses(), 4u);
}

TEST_F(DramTlmTest, OutsideDramIsAnAddressErrorThatWritesNothing)
{
    target();
    uint8_t buf[8] = {9, 9, 9, 9, 9, 9, 9, 9};
    for (uint64_t pa : {kBase - 8, kBase + kSize, kBase + kSize - 4, ~uint64_t{0} - 3}) {
        Done d = access(tlm::TLM_WRITE_COMMAND, pa, buf, 8, ns(5));
        EXPECT_EQ(d.status, tlm::TLM_ADDRESS_ERROR_RESPONSE) << std::hex << pa;
        EXPECT_EQ(d.delay, ns(5)) << "an error takes no time";
        d = access(tlm::TLM_READ_COMMAND, pa, buf, 8, ns(5));
        EXPECT_EQ(d.status, tlm::TLM_ADDRESS_ERROR_RESPONSE) << std::hex << pa;
    }
    EXPECT_EQ(word(kBase + kSize - 8), 0u) << "the straddling write wrote its inside half";
    // A zero-length access names no byte, but its address is still decoded.
    Done d = access(tlm::TLM_READ_COMMAND, 0x1000, buf, 0, ns(5));
    EXPECT_EQ(d.status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    EXPECT_EQ(d.delay, ns(5));
    EXPECT_EQ(dram_pages_touched(store_), 0u);
    EXPECT_EQ(tgt_->accesses(), 0u);
}

TEST_F(DramTlmTest, ByteEnablesBurstsAndOtherCommandsAreRefused)
{
    target();
    uint8_t buf[8] = {1, 1, 1, 1, 1, 1, 1, 1};
    unsigned char be[8] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    Done d = access(tlm::TLM_WRITE_COMMAND, kBase, buf, 8, ns(0), be);
    EXPECT_EQ(d.status, tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
    // A streaming width below the length asks for streaming, which DRAM is not.
    d = access(tlm::TLM_WRITE_COMMAND, kBase, buf, 8, ns(0), nullptr, 4);
    EXPECT_EQ(d.status, tlm::TLM_BURST_ERROR_RESPONSE);
    d = access(tlm::TLM_IGNORE_COMMAND, kBase, buf, 8, ns(0));
    EXPECT_EQ(d.status, tlm::TLM_COMMAND_ERROR_RESPONSE);
    EXPECT_EQ(d.delay, ns(0));
    EXPECT_EQ(word(kBase), 0u);
    EXPECT_EQ(tgt_->accesses(), 0u);
}

// Debug access moves the bytes, takes no time and leaves the timing state:
// a DDR row it touched is still closed for the next timed access.
TEST_F(DramTlmTest, TransportDbgTakesNoTime)
{
    target(kDdr);
    uint8_t in[8] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88}, out[8] = {};
    EXPECT_EQ(dbg(tlm::TLM_WRITE_COMMAND, kBase + 0x40, in, 8), 8u);
    EXPECT_EQ(word(kBase + 0x40), 0x8877665544332211ull);
    EXPECT_EQ(dbg(tlm::TLM_READ_COMMAND, kBase + 0x40, out, 8), 8u);
    EXPECT_EQ(std::memcmp(in, out, 8), 0);
    EXPECT_EQ(dbg(tlm::TLM_READ_COMMAND, kBase - 8, out, 8), 0u);
    EXPECT_EQ(tgt_->accesses(), 0u);
    Done d = access(tlm::TLM_READ_COMMAND, kBase + 0x48, out, 8, ns(0));
    EXPECT_EQ(d.delay, ns(14 + 14)) << "bank closed: tRCD + tCL";
}

// The latency is added to the annotated delay as it stands (in cycles of
// the target's period), whatever the access.
TEST_F(DramTlmTest, FixedLatencyAddsToTheDelay)
{
    target(kFixed, ns(10));
    uint64_t v = 0;
    EXPECT_EQ(access(tlm::TLM_READ_COMMAND, kBase, &v, 8, ns(0)).delay, ns(200));
    EXPECT_EQ(access(tlm::TLM_WRITE_COMMAND, kBase + 0x12340, &v, 8, ns(5)).delay, ns(205));
    EXPECT_EQ(access(tlm::TLM_READ_COMMAND, kBase + 0x12340, &v, 1, ns(777)).delay, ns(977));
}

// docs/dram.md's worked example: issue cycles t, addresses, latencies.
struct DdrStep {
    uint64_t t, pa, latency;
};
const DdrStep kDdrSteps[] = {
    {100, 0x80123458ull, 28}, // bank 1 row 0x12, closed: tRCD + tCL; act 100
    {129, 0x80123460ull, 14}, // same row: hit, tCL
    {144, 0x80133458ull, 42}, // bank 1 row 0x13: conflict, wait max(0, 100 + 33 - 144) = 0; act 158
    {187, 0x80123458ull, 46}, // conflict, wait 158 + 33 - 187 = 4
    {234, 0x80120458ull, 28}, // bank 0: closed
};

TEST_F(DramTlmTest, DdrWorkedExample)
{
    target(kDdr);
    uint64_t v = 0;
    for (const DdrStep &s : kDdrSteps) {
        Done d = access(tlm::TLM_READ_COMMAND, s.pa, &v, 8, ns(s.t));
        EXPECT_EQ(d.status, tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(d.delay, ns(s.t + s.latency)) << "cycle " << s.t;
    }
}

// The same at a 10 ns period, every other access 3 ns before its cycle:
// the cycle is the time rounded up (rounded down, the fourth access would
// wait 5 cycles for tRAS), and the latency adds to the time as given.
TEST_F(DramTlmTest, DdrCycleIsTheTimeRoundedUp)
{
    target(kDdr, ns(10));
    uint64_t v = 0;
    double early = 0;
    for (const DdrStep &s : kDdrSteps) {
        Done d = access(tlm::TLM_WRITE_COMMAND, s.pa, &v, 8, ns(10.0 * s.t - early));
        EXPECT_EQ(d.delay, ns(10.0 * (s.t + s.latency) - early)) << "cycle " << s.t;
        early = early ? 0 : 3;
    }
}

} // namespace
} // namespace sctest
