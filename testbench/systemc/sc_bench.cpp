// sc_bench.cpp - `make bench-systemc`: translations per second through
// MmuTlm's b_transport, from an LT initiator with a quantum keeper (one
// sync per quantum, none per request), on the streams of
// testbench/tools/bench.c: TLB-hit-dominated and walk-dominated, with the
// engine's hit shortcut and without it (every request clocked), and the C
// model's functional path alone for scale.  Median of five runs, each in a
// fresh simulation context.
//
//   sc_bench            the table
//   sc_bench hit N      one run of N hits through b_transport (for callgrind)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include <systemc>
#include <tlm_utils/tlm_quantumkeeper.h>

#include "bench_map.h"
#include "dram_tlm.h"
#include "mmu_tlm.h"

namespace {

const int kRuns = 5;
const uint64_t kPages = 8192;

// One stream: n requests, request i at page (i * stride) mod span, offset
// i & 0xff8, a store when i mod 3 = 2 (as bench.c's).
struct Stream {
    uint64_t n, span, stride;
    bool fast;     // the engine's L1-hit shortcut
    bool direct;   // mmu_translate on the model, no SystemC: the scale
};

// Walks a stream's requests in order, stepping rather than dividing: at
// tens of millions a second a division per request would be a visible part
// of what is timed.
struct Cursor {
    const Stream &s;
    uint64_t page = 0;
    unsigned phase = 0;  // i mod 3

    // Request i (called for i = 0, 1, ...): its VA and access type.
    void next(uint64_t i, uint64_t *va, acc_t *acc)
    {
        *va = page << 12 | (i & 0xff8);
        *acc = phase == 2 ? ACC_STORE : ACC_LOAD;
        page = page + s.stride >= s.span ? page + s.stride - s.span : page + s.stride;
        phase = phase == 2 ? 0 : phase + 1;
    }
};

// Issues the stream on its socket from a thread and measures the host time.
struct Generator : sc_core::sc_module {
    SC_HAS_PROCESS(Generator);
    tlm_utils::simple_initiator_socket<Generator> socket;

    Generator(sc_core::sc_module_name name, const Stream &s) : sc_module(name), socket("socket"), s_(s)
    {
        SC_THREAD(run);
    }

    // The stream; exits on a fault (the tables map every page).
    void run()
    {
        tlm::tlm_generic_payload gp;
        MmuXlateExt *x = new MmuXlateExt;
        tlm_utils::tlm_quantumkeeper qk;
        Cursor cur{ s_ };
        uint64_t va;

        gp.set_extension(x);
        x->priv = PRIV_S;
        x->asid = 1;
        qk.reset();
        auto t0 = std::chrono::steady_clock::now();
        for (uint64_t i = 0; i < s_.n; i++) {
            sc_core::sc_time delay = qk.get_local_time();
            cur.next(i, &va, &x->acc);
            gp.set_address(va);
            socket->b_transport(gp, delay);
            if (x->fault != FAULT_NONE) {
                fprintf(stderr, "sc_bench: unexpected fault at %#llx\n", (unsigned long long)gp.get_address());
                exit(1);
            }
            qk.set(delay);
            if (qk.need_sync())
                qk.sync();
        }
        seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }

    double seconds = 0;

private:
    Stream s_;
};

// Translations per second of one run of s, in a fresh simulation context.
double bench_run(const Stream &s, uint64_t *walks)
{
    sim_config_t cfg;
    mmu_csr_t csr = { VM_SV39, 0, 0, 0 };
    double rate;

    config_defaults(&cfg);
    dram_t *dram = dram_create(cfg.dram.base, cfg.dram.size);
    mmu_t *m = dram ? mmu_create(&cfg, dram) : nullptr;
    if (!m) {
        fprintf(stderr, "sc_bench: out of memory\n");
        exit(1);
    }
    bench_map(dram, cfg.dram.base, kPages);
    csr.root_ppn = cfg.dram.base >> 12;
    mmu_set_csr(m, &csr);
    if (s.direct) {
        mmu_req_t req = { 0, ACC_LOAD, PRIV_S, 1, 0 };
        mmu_resp_t resp;
        Cursor cur{ s };
        auto t0 = std::chrono::steady_clock::now();
        for (uint64_t i = 0; i < s.n; i++) {
            cur.next(i, &req.va, &req.acc);
            mmu_translate(m, &req, &resp);
        }
        rate = (double)s.n / std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    } else {
        sc_core::sc_curr_simcontext = new sc_core::sc_simcontext();
        sc_core::sc_default_global_context = sc_core::sc_curr_simcontext;
        tlm::tlm_global_quantum::instance().set(sc_core::sc_time(1, sc_core::SC_US));
        const sc_core::sc_time period(1, sc_core::SC_NS);
        GoldenEngine engine(m, s.fast);
        MmuTlm mmu("mmu", engine, period);
        DramTlm mem("dram", dram, cfg.dram, period);
        Generator gen("gen", s);
        gen.socket.bind(mmu.cpu_socket);
        mmu.mem_socket.bind(mem.socket);
        sc_core::sc_start();
        rate = (double)s.n / gen.seconds;
    }
    *walks = mmu_stats(m)->walks;
    mmu_destroy(m);
    dram_destroy(dram);
    return rate;
}

// Prints the median and range of kRuns runs of s.
void bench_report(const char *name, const Stream &s)
{
    double r[kRuns];
    uint64_t walks = 0;
    for (double &x : r)
        x = bench_run(s, &walks);
    std::sort(r, r + kRuns);
    printf("%-44s %7.1f M/s  (min %.1f, max %.1f; %.1f%% of requests walk)\n", name, r[kRuns / 2] / 1e6,
           r[0] / 1e6, r[kRuns - 1] / 1e6, 100.0 * (double)walks / (double)s.n);
}

}  // namespace

int sc_main(int argc, char **argv)
{
    uint64_t walks;

    if (argc == 3 && !strcmp(argv[1], "hit")) {
        Stream s = { strtoull(argv[2], nullptr, 10), 16, 1, true, false };
        printf("%.1f M/s\n", bench_run(s, &walks) / 1e6);
        return 0;
    }
    printf("mmusim bench-systemc: default config, b_transport from an LT initiator, 1 us quantum, "
           "median of %d runs\n", kRuns);
    bench_report("C model alone, functional, hit-dominated", { 20000000, 16, 1, false, true });
    bench_report("b_transport, hit-dominated (L1-hit shortcut)", { 20000000, 16, 1, true, false });
    bench_report("b_transport, hit-dominated (every cycle)", { 5000000, 16, 1, false, false });
    bench_report("b_transport, walk-dominated", { 1000000, kPages, 97, true, false });
    return 0;
}

// No SystemC banner on standard output (printed when the kernel starts, before sc_main).
int main(int argc, char **argv)
{
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    return sc_core::sc_elab_and_sim(argc, argv);
}
