// mmu_ptw - the Sv39/Sv48 page-table walker (model/ptw.c is the reference),
// the privileged specification's steps (section 4.3.2) next to the FSM:
//
//  1. a = satp.ppn * PAGESIZE, i = LEVELS - 1 (or the walk cache's level).
//  2. pte = mem[a + va.vpn[i] * PTESIZE]; a PMA violation is an access
//     fault of the original access type.                      READ
//  3. pte.v = 0, or pte.r = 0 and pte.w = 1, or a reserved bit set: page
//     fault.                                                  WAIT_R decode
//  4. R = X = 0: a pointer.  i = i - 1; i < 0 is a page fault; D, A, U set
//     on a pointer are reserved: page fault.  a = pte.ppn * PAGESIZE, go to 2.
//  5. A leaf: the permission check (R/W/X, U with SUM and MXR).
//  6. i > 0 and pte.ppn[i-1:0] != 0: misaligned superpage, page fault.
//  7. A = 0, or a store and D = 0: svade raises a page fault; svadu writes
//     the PTE with A (and D on a store) set.                  WRITE, WAIT_W
//  8. pa = pte.ppn[LEVELS-1:i] : va.vpn[i-1:0] : va.offset; then the PMA
//     check of pa (an access fault).                          DONE
//
// Action cycles (docs/timing.md): the first one is when en_i rises, then the
// cycle after each memory response.  In each the walker issues a read, the
// A/D write, or responds (done_o).
`include "mmu_defs.vh"
module mmu_ptw #(
  parameter integer Levels = 3
) (
  input  wire                    clk_i,
  input  wire                    rst_ni,
  // start (the accept cycle) and action enable
  input  wire                    start_i,
  input  wire [1:0]              start_level_i,
  input  wire [43:0]             start_ppn_i,
  input  wire                    start_global_i,
  input  wire                    en_i,
  // request context, held by mmu_top for the whole walk
  input  wire [63:0]             va_i,
  input  wire [AccW-1:0]         acc_i,
  input  wire                    priv_i,
  input  wire                    sum_i,
  input  wire                    mxr_i,
  input  wire                    adue_i,
  input  wire [63:0]             dram_base_i,
  input  wire [63:0]             dram_size_i,
  // memory port
  output reg                     mem_req_valid_o,
  output reg                     mem_req_we_o,
  output reg  [63:0]             mem_req_addr_o,
  output reg  [63:0]             mem_req_wdata_o,
  input  wire                    mem_req_ready_i,
  input  wire                    mem_resp_valid_i,
  input  wire [63:0]             mem_resp_rdata_i,
  // result, valid with done_o
  output reg                     done_o,
  output reg  [PtwResW-1:0]      result_o,     // PtwOk, PtwPage, PtwAccess
  output wire [63:0]             pa_o,
  // what a successful walk installs
  output wire [1:0]              leaf_level_o,
  output wire [43:0]             leaf_ppn_o,
  output wire [PteD:PteR]        leaf_flags_o, // PTE bits D..R, G = OR of G along the walk
  output wire [Levels-1:1]       ptr_valid_o,  // pointer PTE of level L read from memory
  output wire [(Levels-1)*44-1:0] ptr_ppn_o,
  output wire [Levels-1:1]       ptr_global_o
);
  localparam [2:0] StIdle = 3'd0, StRead = 3'd1, StWaitR = 3'd2, StWrite = 3'd3,
                   StWaitW = 3'd4, StDone = 3'd5;

  reg [2:0]        state_q, state_d;
  reg [1:0]        level_q, level_d;
  reg [43:0]       table_q, table_d;
  reg              global_q, global_d;
  reg [63:0]       leaf_q, leaf_d;
  reg [1:0]        leaf_level_q, leaf_level_d;
  reg [PtwResW-1:0] result_q, result_d;
  reg [Levels-1:1] ptr_valid_q, ptr_valid_d, ptr_global_q, ptr_global_d;
  reg [43:0]       ptr_ppn_q [1:Levels-1];
  reg [43:0]       ptr_ppn_d [1:Levels-1];

  // the physical address through leaf_q
  wire [43:0] leaf_ppn = leaf_q[PtePpnShift +: PtePpnBits];
  assign pa_o = leaf_pa(va_i[55:0], leaf_ppn, leaf_level_q);

  // PTE address of the current level and its PMA check
  wire [63:0] pte_addr = {8'd0, table_q, 12'd0} + {52'd0, va_i[12 + 9 * level_q +: 9], 3'd0};
  wire        pte_addr_ok = pte_addr >= dram_base_i && (pte_addr - dram_base_i) <= (dram_size_i - 64'd8);

  // decode of a PTE read
  wire [63:0] pte      = mem_resp_rdata_i;
  wire        pte_bad  = !pte[PteV] || (!pte[PteR] && pte[PteW]) ||
                         (|pte[PteReservedHi:PteReservedLo]);
  wire        pte_leaf = pte[PteR] || pte[PteX];
  wire [43:0] pte_ppn  = pte[PtePpnShift +: PtePpnBits];
  wire [63:0] new_pa   = leaf_pa(va_i[55:0], pte_ppn, level_q);
  // the bits a leaf must have (svade) or gets (svadu): A, and D on a store
  wire [63:0] ad_need  = (64'd1 << PteA) | ({63'd0, acc_i == AccStore} << PteD);
  wire [63:0] ad_pte   = leaf_q | ad_need;

  integer i;
  always @(*) begin
    state_d       = state_q;
    level_d       = level_q;
    table_d       = table_q;
    global_d      = global_q;
    leaf_d        = leaf_q;
    leaf_level_d  = leaf_level_q;
    result_d      = result_q;
    ptr_valid_d   = ptr_valid_q;
    ptr_global_d  = ptr_global_q;
    for (i = 1; i < Levels; i = i + 1)
      ptr_ppn_d[i] = ptr_ppn_q[i];
    mem_req_valid_o = 1'b0;
    mem_req_we_o    = 1'b0;
    mem_req_addr_o  = 64'd0;
    mem_req_wdata_o = 64'd0;
    done_o          = 1'b0;
    result_o        = result_q;

    if (start_i) begin
      state_d      = StRead;
      level_d      = start_level_i;
      table_d      = start_ppn_i;
      global_d     = start_global_i;
      leaf_d       = 64'd0;
      leaf_level_d = 2'd0;
      result_d     = PtwOk;
      ptr_valid_d  = {(Levels-1){1'b0}};
      ptr_global_d = {(Levels-1){1'b0}};
    end else begin
      case (state_q)
        StRead: if (en_i) begin
          if (!pte_addr_ok) begin
            done_o   = 1'b1;
            result_o = PtwAccess;
            state_d  = StIdle;
          end else begin
            mem_req_valid_o = 1'b1;
            mem_req_addr_o  = pte_addr;
            if (mem_req_ready_i)
              state_d = StWaitR;
          end
        end
        StWaitR: if (mem_resp_valid_i) begin
          if (pte_bad) begin
            result_d = PtwPage;
            state_d  = StDone;
          end else if (!pte_leaf) begin
            if (pte[PteD] || pte[PteA] || pte[PteU] || level_q == 2'd0) begin
              result_d = PtwPage;
              state_d  = StDone;
            end else begin
              global_d = global_q | pte[PteG];
              ptr_valid_d[level_q]  = 1'b1;
              ptr_global_d[level_q] = global_q | pte[PteG];
              ptr_ppn_d[level_q]    = pte_ppn;
              table_d  = pte_ppn;
              level_d  = level_q - 2'd1;
              state_d  = StRead;
            end
          end else begin
            leaf_d       = pte;
            leaf_level_d = level_q;
            global_d     = global_q | pte[PteG];
            if (!perm_ok(pte[PteD:PteR], acc_i, priv_i, sum_i, mxr_i) ||
                (pte_ppn & low_mask(level_q)) != 44'd0) begin
              result_d = PtwPage;
              state_d  = StDone;
            end else if ((pte & ad_need) == ad_need) begin
              result_d = pa_ok(new_pa, dram_base_i, dram_size_i) ? PtwOk : PtwAccess;
              state_d  = StDone;
            end else if (adue_i == AdSvade) begin
              result_d = PtwPage;
              state_d  = StDone;
            end else begin
              state_d  = StWrite;
            end
          end
        end
        StWrite: if (en_i) begin
          mem_req_valid_o = 1'b1;
          mem_req_we_o    = 1'b1;
          mem_req_addr_o  = pte_addr;
          mem_req_wdata_o = ad_pte;
          if (mem_req_ready_i)
            state_d = StWaitW;
        end
        StWaitW: if (mem_resp_valid_i) begin
          leaf_d   = ad_pte;
          result_d = pa_ok(pa_o, dram_base_i, dram_size_i) ? PtwOk : PtwAccess;
          state_d  = StDone;
        end
        StDone: if (en_i) begin
          done_o  = 1'b1;
          state_d = StIdle;
        end
        default: ;
      endcase
    end
  end

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= StIdle;
    end else begin
      state_q <= state_d;
    end
  end

  // datapath registers: meaningful only in the states that set them
  always @(posedge clk_i) begin
    level_q      <= level_d;
    table_q      <= table_d;
    global_q     <= global_d;
    leaf_q       <= leaf_d;
    leaf_level_q <= leaf_level_d;
    result_q     <= result_d;
    ptr_valid_q  <= ptr_valid_d;
    ptr_global_q <= ptr_global_d;
    for (i = 1; i < Levels; i = i + 1)
      ptr_ppn_q[i] <= ptr_ppn_d[i];
  end

  assign leaf_level_o = leaf_level_q;
  assign leaf_ppn_o   = leaf_ppn;
  assign leaf_flags_o = {leaf_q[PteD:PteA], global_q, leaf_q[PteU:PteR]};
  assign ptr_valid_o  = ptr_valid_q;
  assign ptr_global_o = ptr_global_q;
  genvar g;
  generate
    for (g = 1; g < Levels; g = g + 1) begin : g_ptr
      assign ptr_ppn_o[(g-1)*44 +: 44] = ptr_ppn_q[g];
    end
  endgenerate

  // the reserved bits, RSW and V of the leaf take no part in a translation
  // (a leaf with V = 0 or a reserved bit set never gets here)
  wire unused_leaf = ^{leaf_q[PteReservedHi:PteReservedLo], leaf_q[PteRswHi:PteRswLo], leaf_q[PteV],
                       pte[PteRswHi:PteRswLo]};

`ifndef SYNTHESIS
  initial
    if (Levels != 3 && Levels != 4)
      $fatal(1, "mmu_ptw: Levels must be 3 (Sv39) or 4 (Sv48), not %0d", Levels);
  always @(posedge clk_i)
    if (rst_ni && state_q > StDone)
      $error("mmu_ptw: illegal state %0d", state_q);
`endif
endmodule
