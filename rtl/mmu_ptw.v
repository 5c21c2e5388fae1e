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
  input  wire [1:0]              acc_i,
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
  output reg  [1:0]              result_o,     // 0 translation, 1 page fault, 2 access fault
  output wire [63:0]             pa_o,
  // what a successful walk installs
  output wire [1:0]              leaf_level_o,
  output wire [43:0]             leaf_ppn_o,
  output wire [7:1]              leaf_flags_o, // PTE bits 7:1, G = OR of G along the walk
  output wire [Levels-1:1]       ptr_valid_o,  // pointer PTE of level L read from memory
  output wire [(Levels-1)*44-1:0] ptr_ppn_o,
  output wire [Levels-1:1]       ptr_global_o
);
  localparam [2:0] StIdle = 3'd0, StRead = 3'd1, StWaitR = 3'd2, StWrite = 3'd3,
                   StWaitW = 3'd4, StDone = 3'd5;
  localparam [1:0] ResOk = 2'd0, ResPage = 2'd1, ResAccess = 2'd2;
  localparam [1:0] AccLoad = 2'd0, AccStore = 2'd1, AccFetch = 2'd2;

  reg [2:0]        state_q, state_d;
  reg [1:0]        level_q, level_d;
  reg [43:0]       table_q, table_d;
  reg              global_q, global_d;
  reg [63:0]       leaf_q, leaf_d;
  reg [1:0]        leaf_level_q, leaf_level_d;
  reg [1:0]        result_q, result_d;
  reg [Levels-1:1] ptr_valid_q, ptr_valid_d, ptr_global_q, ptr_global_d;
  reg [43:0]       ptr_ppn_q [1:Levels-1];
  reg [43:0]       ptr_ppn_d [1:Levels-1];

  // 1 when a leaf with PTE flags may be used for acc at priv under SUM/MXR.
  function automatic perm_ok(input [4:1] f, input [1:0] acc, input priv, input sum, input mxr);
    begin
      // f[1] R, f[2] W, f[3] X, f[4] U
      if (!priv && !f[4])
        perm_ok = 1'b0;
      else if (priv && f[4] && (acc == AccFetch || !sum))
        perm_ok = 1'b0;
      else if (acc == AccLoad)
        perm_ok = f[1] || (mxr && f[3]);
      else if (acc == AccStore)
        perm_ok = f[2];
      else if (acc == AccFetch)
        perm_ok = f[3];
      else
        perm_ok = 1'b0;
    end
  endfunction

  // Mask of the PPN bits a leaf of level supplies from the VA.
  function automatic [43:0] low_mask(input [1:0] level);
    begin
      low_mask = (44'd1 << (9 * level)) - 44'd1;
    end
  endfunction

  // 1 when pa is a byte of DRAM.
  function automatic pa_ok(input [63:0] pa, input [63:0] base, input [63:0] size);
    begin
      pa_ok = pa >= base && (pa - base) < size;
    end
  endfunction

  // the physical address through leaf_q
  wire [43:0] leaf_ppn = leaf_q[53:10];
  wire [43:0] pa_ppn   = (leaf_ppn & ~low_mask(leaf_level_q)) | (va_i[55:12] & low_mask(leaf_level_q));
  assign pa_o = {8'd0, pa_ppn, va_i[11:0]};

  // PTE address of the current level and its PMA check
  wire [63:0] pte_addr = {8'd0, table_q, 12'd0} + {52'd0, va_i[12 + 9 * level_q +: 9], 3'd0};
  wire        pte_addr_ok = pte_addr >= dram_base_i && (pte_addr - dram_base_i) <= (dram_size_i - 64'd8);

  // decode of a PTE read
  wire [63:0] pte      = mem_resp_rdata_i;
  wire        pte_bad  = !pte[0] || (!pte[1] && pte[2]) || (pte[63:54] != 10'd0);
  wire        pte_leaf = pte[1] || pte[3];
  wire [7:0]  pte_need = {acc_i == AccStore, 7'b1000000};  // A, and D on a store
  wire [43:0] pte_ppn  = pte[53:10];
  wire [43:0] new_pa_ppn = (pte_ppn & ~low_mask(level_q)) | (va_i[55:12] & low_mask(level_q));
  wire [63:0] new_pa   = {8'd0, new_pa_ppn, va_i[11:0]};
  wire [63:0] ad_pte   = leaf_q | {56'd0, acc_i == AccStore, 7'b1000000};

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
      result_d     = ResOk;
      ptr_valid_d  = {(Levels-1){1'b0}};
      ptr_global_d = {(Levels-1){1'b0}};
    end else begin
      case (state_q)
        StRead: if (en_i) begin
          if (!pte_addr_ok) begin
            done_o   = 1'b1;
            result_o = ResAccess;
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
            result_d = ResPage;
            state_d  = StDone;
          end else if (!pte_leaf) begin
            if (pte[7] || pte[6] || pte[4] || level_q == 2'd0) begin
              result_d = ResPage;
              state_d  = StDone;
            end else begin
              global_d = global_q | pte[5];
              ptr_valid_d[level_q]  = 1'b1;
              ptr_global_d[level_q] = global_q | pte[5];
              ptr_ppn_d[level_q]    = pte_ppn;
              table_d  = pte_ppn;
              level_d  = level_q - 2'd1;
              state_d  = StRead;
            end
          end else begin
            leaf_d       = pte;
            leaf_level_d = level_q;
            global_d     = global_q | pte[5];
            if (!perm_ok(pte[4:1], acc_i, priv_i, sum_i, mxr_i) ||
                (pte_ppn & low_mask(level_q)) != 44'd0) begin
              result_d = ResPage;
              state_d  = StDone;
            end else if ((pte[7:0] & pte_need) == pte_need) begin
              result_d = pa_ok(new_pa, dram_base_i, dram_size_i) ? ResOk : ResAccess;
              state_d  = StDone;
            end else if (!adue_i) begin
              result_d = ResPage;
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
          result_d = pa_ok(pa_o, dram_base_i, dram_size_i) ? ResOk : ResAccess;
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
  assign leaf_flags_o = {leaf_q[7:6], global_q, leaf_q[4:1]};
  assign ptr_valid_o  = ptr_valid_q;
  assign ptr_global_o = ptr_global_q;
  genvar g;
  generate
    for (g = 1; g < Levels; g = g + 1) begin : g_ptr
      assign ptr_ppn_o[(g-1)*44 +: 44] = ptr_ppn_q[g];
    end
  endgenerate

  // leaf_q bits 9:8 (RSW) and 0 (V) take no part in a translation
  wire unused_leaf = ^{leaf_q[63:54], leaf_q[9:8], leaf_q[0], pte[9:8]};

`ifndef SYNTHESIS
  initial
    if (Levels != 3 && Levels != 4)
      $fatal(1, "mmu_ptw: Levels must be 3 (Sv39) or 4 (Sv48), not %0d", Levels);
  always @(posedge clk_i)
    if (rst_ni && state_q > StDone)
      $error("mmu_ptw: illegal state %0d", state_q);
`endif
endmodule
