// rtl_bench.cpp - simulated cycles per second of the verilated MMU alone (no
// golden model): random loads, stores and fetches over 256 mapped 4 KiB
// pages and a few 2 MiB pages (TLB hits and walks mixed), memory always
// ready with the configuration's DRAM timing (model/memport.c).
//
//   rtl_bench [CYCLES]     prints "rtl alone: N cycles in S s = R M cycles/s"
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "Vmmu_top.h"
#include "config.h"
#include "dram.h"
#include "lockstep.h"
#include "memport.h"
#include "riscv_vm.h"
#include "verilated.h"
#include "xlate.h"

int main(int argc, char **argv)
{
    uint64_t cycles = argc > 1 ? strtoull(argv[1], nullptr, 0) : 20000000ULL;
    sim_config_t cfg;
    if (!lockstep_load_config(&cfg))
        return 2;
    dram_t *d = dram_create(cfg.dram.base, cfg.dram.size);
    memport_t port;
    if (!d || memport_init(&port, d, &cfg.dram, 100, 1))
        return 2;
    // Sv39 tables: root, one L1 table, one L0 table with 256 pages, 8 superpages
    uint64_t root = cfg.dram.base, l1 = root + 4096, l0 = root + 8192;
    dram_write64(d, root, PTE_MAKE(l1 >> 12, PTE_V));
    dram_write64(d, l1, PTE_MAKE(l0 >> 12, PTE_V));
    for (int i = 0; i < 256; i++)
        dram_write64(d, l0 + 8 * i, PTE_MAKE((cfg.dram.base >> 12) + 0x100 + i,
                                             PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D));
    for (int i = 1; i < 9; i++)
        dram_write64(d, l1 + 8 * i, PTE_MAKE((cfg.dram.base >> 12) + 512 * i, PTE_V | PTE_R | PTE_A));

    auto ctx = std::make_unique<VerilatedContext>();
    auto top = std::make_unique<Vmmu_top>(ctx.get());
    top->satp_mode_i = SATP_MODE_SV39; // Sv39 tables in every build
    top->satp_ppn_i = root >> 12;
    top->dram_base_i = cfg.dram.base;
    top->dram_size_i = cfg.dram.size;
    top->adue_i = AD_SVADE;
    top->rst_ni = 0;
    top->clk_i = 0;
    top->eval();
    top->clk_i = 1;
    top->eval();
    top->rst_ni = 1;

    uint32_t x = 12345;
    uint64_t responses = 0;
    mmu_in_t in;
    mmu_out_t out;
    memset(&in, 0, sizeof in);
    memset(&out, 0, sizeof out);
    auto t0 = std::chrono::steady_clock::now();
    for (uint64_t now = 0; now < cycles; now++) {
        memport_drive(&port, now, &in);
        if (!top->req_valid_i || top->req_ready_o) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            unsigned r = x % 100;
            uint64_t va = r < 90 ? ((uint64_t)(x >> 8) % 48) << 12 : r < 97 ? ((uint64_t)(x >> 8) % 256) << 12
                                                                            : (1 + (x >> 8) % 8ULL) << 21;
            top->req_va_i = va | (x & 0xff8);
            unsigned acc = (x >> 20) % 3;
            top->req_acc_i = acc == ACC_STORE ? (unsigned)ACC_LOAD : acc;  // loads and fetches
            top->req_priv_i = PRIV_S;
            top->req_asid_i = 1;
            top->req_valid_i = 1;
        }
        top->mem_req_ready_i = in.mem_req_ready;
        top->mem_resp_valid_i = in.mem_resp_valid;
        top->mem_resp_rdata_i = in.mem_resp_rdata;
        top->clk_i = 0;
        top->eval();
        out.mem_req_valid = top->mem_req_valid_o;
        out.mem_req_we = top->mem_req_we_o;
        out.mem_req_addr = top->mem_req_addr_o;
        out.mem_req_wdata = top->mem_req_wdata_o;
        responses += top->resp_valid_o;
        memport_clock(&port, now, &out, &in);
        bool accepted = top->req_valid_i && top->req_ready_o;
        top->clk_i = 1;
        top->eval();
        if (accepted)
            top->req_valid_i = 0;
    }
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    printf("rtl alone (%s): %" PRIu64 " cycles, %" PRIu64 " responses in %.2f s = %.2f M cycles/s\n",
           LOCKSTEP_CONFIG, cycles, responses, s, cycles / s / 1e6);
    top->final();
    memport_fini(&port);
    dram_destroy(d);
    return responses ? 0 : 1;
}
