// mmu_top - the MMU: L1 TLB (unified or split I/D), optional L2 TLB,
// optional page-walk cache and the walker, under the timing contract of
// docs/timing.md.  The ports are the golden model's cycle interface
// (model/mmu.h: mmu_in_t / mmu_out_t).
//
// A request is accepted in cycle a (req_valid_i && req_ready_o).  Every
// lookup (L1, L2, walk cache) is made combinationally in cycle a with the CSR
// inputs of cycle a, and the hit's replacement state is touched at the end of
// a; nothing but a fence can change the structures while the request is in
// flight, and a fence only stops the fills.  Then:
//   Bare, non-canonical, L1 answer   response at a + T1
//   L2 answer                        response at a + T1 + T2, L1 filled at its end
//   walk                             first action cycle s = a + T1 + T2 + Tp
// A successful walk fills L2, the serving L1 and the walk cache at the end of
// its response cycle, unless a fence or a CSR change happened in flight.
//
// Encodings: rtl/mmu_defs.vh, the model's (acc AccLoad/AccStore/AccFetch,
// priv PrivU/PrivS, fault FaultNone..FaultFetchAccess, satp mode
// SatpModeBare/Sv39/Sv48, policies ReplLru..ReplRandom; `make lint` checks
// them against model/xlate.h, model/config.h and model/riscv_vm.h).
`include "mmu_defs.vh"
module mmu_top #(
  parameter integer Levels      = 3,     // 3: Sv39, 4: Sv48 (and Sv39)
  parameter integer L1Entries   = 32,
  parameter integer L1Ways      = 0,
  parameter integer L1Policy    = 0,     // ReplLru, ReplPlru, ReplFifo, ReplRandom
  parameter integer L1Latency   = 1,
  parameter integer L1Seed      = 1,
  parameter integer L1Split     = 0,
  // the data L1 of a split L1 (loads, stores): its own geometry, as the
  // model's tlb.l1d.*; L1DEntries = 0 takes L1Entries and L1Ways.  Policy,
  // latency and seed are always L1's.
  parameter integer L1DEntries  = 0,
  parameter integer L1DWays     = 0,     // with L1DEntries: 0 = fully associative
  parameter integer L2Entries   = 0,     // 0: no L2 TLB
  parameter integer L2Ways      = 4,
  parameter integer L2Policy    = 0,
  parameter integer L2Latency   = 4,
  parameter integer L2Seed      = 1,
  parameter integer PwcEntries  = 0,     // 0: no walk cache
  parameter integer PwcWays     = 0,
  parameter integer PwcPolicy   = 0,
  parameter integer PwcLatency  = 1,
  parameter integer PwcSeed     = 1
) (
  input  wire                 clk_i,
  input  wire                 rst_ni,
  // request
  input  wire                 req_valid_i,
  output reg                  req_ready_o,
  input  wire [63:0]          req_va_i,
  input  wire [AccW-1:0]      req_acc_i,
  input  wire                 req_priv_i,
  input  wire [15:0]          req_asid_i,
  input  wire                 req_replay_i,
  // response
  output reg                  resp_valid_o,
  output reg  [FaultW-1:0]    resp_fault_o,
  output reg  [63:0]          resp_pa_o,
  // walker memory port
  output wire                 mem_req_valid_o,
  input  wire                 mem_req_ready_i,
  output wire [63:0]          mem_req_addr_o,
  output wire                 mem_req_we_o,
  output wire [63:0]          mem_req_wdata_o,
  input  wire                 mem_resp_valid_i,
  input  wire [63:0]          mem_resp_rdata_i,
  // sfence.vma
  input  wire                 sfence_valid_i,
  input  wire                 sfence_use_va_i,
  input  wire [63:0]          sfence_va_i,
  input  wire                 sfence_use_asid_i,
  input  wire [15:0]          sfence_asid_i,
  // CSRs: satp, sstatus.SUM/MXR, menvcfg.ADUE (1: svadu, 0: svade)
  input  wire [SatpModeW-1:0] satp_mode_i,
  input  wire [43:0]          satp_ppn_i,
  input  wire                 sum_i,
  input  wire                 mxr_i,
  input  wire                 adue_i,
  // physical memory attributes: DRAM is [dram_base_i, dram_base_i + dram_size_i)
  input  wire [63:0]          dram_base_i,
  input  wire [63:0]          dram_size_i
);
  localparam integer VpnW      = 9 * Levels;
  localparam integer MaxLevel  = Levels - 1;
  localparam integer HasL2     = (L2Entries > 0) ? 1 : 0;
  localparam integer HasPwc    = (PwcEntries > 0) ? 1 : 0;
  localparam integer T2        = (HasL2 != 0) ? L2Latency : 0;
  localparam integer Tp        = (HasPwc != 0) ? PwcLatency : 0;
  localparam integer CntW      = 12;
  localparam [CntW-1:0] RespL1 = L1Latency[CntW-1:0];
  localparam [CntW-1:0] RespL2 = RespL1 + T2[CntW-1:0];
  localparam [CntW-1:0] WalkAt = RespL2 + Tp[CntW-1:0];
  localparam integer NumPtr    = Levels - 1;
  localparam [1:0] StIdle = 2'd0, StFront = 2'd1, StWalk = 2'd2;
  // geometry of the structures (bits of set and way numbers)
  localparam integer L1W  = (L1Ways == 0) ? L1Entries : L1Ways;
  localparam integer L1SB = (L1Entries / L1W > 1) ? $clog2(L1Entries / L1W) : 1;
  localparam integer L1WB = (L1W > 1) ? $clog2(L1W) : 1;
  // the data L1 (with L1Split): L1DE entries, L1DWs ways as given to mmu_tlb
  // (0: fully associative), L1DW of them per set
  localparam integer L1DE  = (L1DEntries != 0) ? L1DEntries : L1Entries;
  localparam integer L1DWs = (L1DEntries != 0) ? L1DWays : L1Ways;
  localparam integer L1DW  = (L1DWs == 0) ? L1DE : L1DWs;
  localparam integer L1DSB = (L1DE / L1DW > 1) ? $clog2(L1DE / L1DW) : 1;
  localparam integer L1DWB = (L1DW > 1) ? $clog2(L1DW) : 1;
  localparam integer L2E  = (HasL2 != 0) ? L2Entries : 1;
  localparam integer L2W  = (HasL2 != 0) ? ((L2Ways == 0) ? L2Entries : L2Ways) : 1;
  localparam integer L2SB = (L2E / L2W > 1) ? $clog2(L2E / L2W) : 1;
  localparam integer L2WB = (L2W > 1) ? $clog2(L2W) : 1;
  localparam integer PwE  = (HasPwc != 0) ? PwcEntries : 1;
  localparam integer PwW  = (HasPwc != 0) ? ((PwcWays == 0) ? PwcEntries : PwcWays) : 1;
  localparam integer PwSB = (PwE / PwW > 1) ? $clog2(PwE / PwW) : 1;
  localparam integer PwWB = (PwW > 1) ? $clog2(PwW) : 1;

  // ------------------------------------------------------------- helpers
  // page-table levels of a satp mode (0: Bare)
  function automatic [2:0] mode_levels(input [SatpModeW-1:0] mode);
    mode_levels = (mode == SatpModeSv39) ? 3'd3 :
                  (mode == SatpModeSv48 && Levels == 4) ? 3'd4 : 3'd0;
  endfunction
  // 1 when bits 63:width-1 of va are all equal, width = 12 + 9 * levels
  function automatic canonical(input [63:0] va, input [2:0] levels);
    reg [63:0] hi;
    begin
      hi = va >> (11 + 9 * levels);
      canonical = (hi == 64'd0) || (hi == ({64{1'b1}} >> (11 + 9 * levels)));
    end
  endfunction
  function automatic [VpnW-1:0] vpn_of(input [63:0] va, input [2:0] levels);
    reg [63:0] mask;
    begin
      mask = ~({64{1'b1}} << (9 * levels));
      vpn_of = VpnW'((va >> 12) & mask);
    end
  endfunction

  // --------------------------------------------------------------- state
  reg [1:0]       state_q, state_d;
  reg [CntW-1:0]  cnt_q, cnt_d;        // cycles since accept (saturates at WalkAt)
  reg [CntW-1:0]  target_q, target_d;  // StFront: response cycle
  reg [FaultW-1:0] fault_q, fault_d;  // StFront: result
  reg [63:0]      pa_q, pa_d;
  reg             no_install_q, no_install_d;
  reg             fill_l1_q, fill_l1_d;
  reg             l1d_q, l1d_d;        // the request is served by the data L1
  // request and CSRs sampled at accept
  reg [63:0]      va_q, va_d;
  reg [AccW-1:0]  acc_q, acc_d;
  reg             priv_q, priv_d;
  reg [15:0]      asid_q, asid_d;
  reg [SatpModeW-1:0] mode_q, mode_d;
  reg [43:0]      root_q, root_d;
  reg             sum_q, sum_d, mxr_q, mxr_d, adue_q, adue_d;
  // the L2 entry to copy into L1
  reg [1:0]       e_level_q, e_level_d;
  reg [VpnW-1:0]  e_tag_q, e_tag_d;
  reg [43:0]      e_ppn_q, e_ppn_d;
  reg [15:0]      e_asid_q, e_asid_d;
  reg [PteD:PteR] e_flags_q, e_flags_d;

  // ------------------------------------------------------------ lookups
  wire        accept   = state_q == StIdle && req_valid_i && !sfence_valid_i;
  wire [2:0]  a_levels = mode_levels(satp_mode_i);
  wire        a_paged  = a_levels != 3'd0;
  wire        a_canon  = canonical(req_va_i, a_levels);
  wire [VpnW-1:0] a_vpn = vpn_of(req_va_i, a_levels);
  wire        a_l1d    = (L1Split != 0) && req_acc_i != AccFetch;
  wire        lk_en    = accept && a_paged && a_canon;

  // L1 (L1I = the unified one when not split), L1D (its own geometry: its
  // set and way numbers have widths of their own)
  wire                 l1i_hit, l1d_hit;
  wire [L1SB-1:0]      l1i_set;
  wire [L1WB-1:0]      l1i_way;
  wire [L1DSB-1:0]     l1d_set;
  wire [L1DWB-1:0]     l1d_way;
  wire [1:0]           l1i_level, l1d_level;
  wire [VpnW-1:0]      l1i_tag, l1d_tag;
  wire [43:0]          l1i_ppn, l1d_ppn;
  wire [15:0]          l1i_asid, l1d_asid;
  wire [PteD:PteR]     l1i_flags, l1d_flags;
  wire                 l2_hit;
  wire [L2SB-1:0]      l2_set;
  wire [L2WB-1:0]      l2_way;
  wire [1:0]           l2_level;
  wire [VpnW-1:0]      l2_tag;
  wire [43:0]          l2_ppn;
  wire [15:0]          l2_asid;
  wire [PteD:PteR]     l2_flags;
  wire                 pw_hit;
  wire [PwSB-1:0]      pw_set;
  wire [PwWB-1:0]      pw_way;
  wire [1:0]           pw_level;
  wire [VpnW-1:0]      pw_tag;
  wire [43:0]          pw_ppn;
  wire [15:0]          pw_asid;
  wire [PteD:PteR]     pw_flags;

  // the serving L1's view
  wire        l1_hit   = a_l1d ? l1d_hit : l1i_hit;
  wire [1:0]  l1_level = a_l1d ? l1d_level : l1i_level;
  wire [43:0] l1_ppn   = a_l1d ? l1d_ppn : l1i_ppn;
  wire [PteD:PteR] l1_flags = a_l1d ? l1d_flags : l1i_flags;

  // a hit answers unless it is a permitted store to an entry with D = 0
  wire l1_perm   = perm_ok(l1_flags, req_acc_i, req_priv_i, sum_i, mxr_i);
  wire l1_answer = l1_hit && !(l1_perm && req_acc_i == AccStore && !l1_flags[PteD]);
  wire l2_perm   = perm_ok(l2_flags, req_acc_i, req_priv_i, sum_i, mxr_i);
  wire l2_answer = (HasL2 != 0) && l2_hit && !(l2_perm && req_acc_i == AccStore && !l2_flags[PteD]);
  wire [63:0] l1_pa = leaf_pa(req_va_i[55:0], l1_ppn, l1_level);
  wire [63:0] l2_pa = leaf_pa(req_va_i[55:0], l2_ppn, l2_level);

  // walker
  wire        ptw_start;
  reg  [1:0]  ptw_start_level;
  reg  [43:0] ptw_start_ppn;
  reg         ptw_start_global;
  wire        ptw_en = state_q == StWalk && cnt_q == WalkAt;
  wire        ptw_done;
  wire [PtwResW-1:0] ptw_result;
  wire [63:0] ptw_pa;
  wire [1:0]  ptw_leaf_level;
  wire [43:0] ptw_leaf_ppn;
  wire [PteD:PteR] ptw_leaf_flags;
  wire [NumPtr:1]      ptw_ptr_valid, ptw_ptr_global;
  wire [NumPtr*44-1:0] ptw_ptr_ppn;

  // ------------------------------------------------------------ control
  reg         csr_changed;
  reg         finish, success;
  reg         touch_l1i, touch_l1d, touch_l2, touch_pw;
  reg         walk_go;
  always @(*) begin
    state_d      = state_q;
    cnt_d        = cnt_q;
    target_d     = target_q;
    fault_d      = fault_q;
    pa_d         = pa_q;
    no_install_d = no_install_q;
    fill_l1_d    = fill_l1_q;
    l1d_d        = l1d_q;
    va_d = va_q; acc_d = acc_q; priv_d = priv_q; asid_d = asid_q;
    mode_d = mode_q; root_d = root_q; sum_d = sum_q; mxr_d = mxr_q; adue_d = adue_q;
    e_level_d = e_level_q; e_tag_d = e_tag_q; e_ppn_d = e_ppn_q; e_asid_d = e_asid_q;
    e_flags_d = e_flags_q;
    req_ready_o  = 1'b0;
    resp_valid_o = 1'b0;
    resp_fault_o = FaultNone;
    resp_pa_o    = 64'd0;
    finish       = 1'b0;
    success      = 1'b0;
    touch_l1i = 1'b0; touch_l1d = 1'b0; touch_l2 = 1'b0; touch_pw = 1'b0;
    walk_go          = 1'b0;
    ptw_start_level  = 2'd0;
    ptw_start_ppn    = 44'd0;
    ptw_start_global = 1'b0;
    csr_changed = satp_mode_i != mode_q || satp_ppn_i != root_q || sum_i != sum_q || mxr_i != mxr_q;

    case (state_q)
      StIdle: begin
        req_ready_o = !sfence_valid_i;
        if (accept) begin
          va_d = req_va_i; acc_d = req_acc_i; priv_d = req_priv_i; asid_d = req_asid_i;
          mode_d = satp_mode_i; root_d = satp_ppn_i; sum_d = sum_i; mxr_d = mxr_i;
          adue_d = adue_i;
          l1d_d = a_l1d;
          cnt_d = {{(CntW-1){1'b0}}, 1'b1};
          no_install_d = 1'b0;
          fill_l1_d = 1'b0;
          state_d  = StFront;
          target_d = RespL1;
          if (!a_paged) begin
            pa_d    = req_va_i;
            fault_d = pa_ok(req_va_i, dram_base_i, dram_size_i) ? FaultNone : access_fault(req_acc_i);
          end else if (!a_canon) begin
            pa_d    = 64'd0;
            fault_d = page_fault(req_acc_i);
          end else if (l1_answer) begin
            pa_d    = l1_pa;
            fault_d = !l1_perm ? page_fault(req_acc_i) :
                      pa_ok(l1_pa, dram_base_i, dram_size_i) ? FaultNone : access_fault(req_acc_i);
            touch_l1i = !a_l1d;
            touch_l1d = a_l1d;
          end else if (l2_answer) begin
            target_d = RespL2;
            pa_d     = l2_pa;
            fault_d  = !l2_perm ? page_fault(req_acc_i) :
                       pa_ok(l2_pa, dram_base_i, dram_size_i) ? FaultNone : access_fault(req_acc_i);
            fill_l1_d = l2_perm && pa_ok(l2_pa, dram_base_i, dram_size_i);
            touch_l2  = 1'b1;
            e_level_d = l2_level; e_tag_d = l2_tag; e_ppn_d = l2_ppn; e_asid_d = l2_asid;
            e_flags_d = l2_flags;
          end else begin
            state_d = StWalk;
            walk_go = 1'b1;
            if ((HasPwc != 0) && pw_hit) begin
              touch_pw         = 1'b1;
              ptw_start_level  = pw_level - 2'd1;
              ptw_start_ppn    = pw_ppn;
              ptw_start_global = pw_flags[PteG];
            end else begin
              ptw_start_level  = 2'(a_levels - 3'd1);
              ptw_start_ppn    = satp_ppn_i;
            end
          end
        end
      end
      StFront: begin
        if (sfence_valid_i || csr_changed)
          no_install_d = 1'b1;
        if (cnt_q == target_q) begin
          resp_valid_o = 1'b1;
          resp_fault_o = fault_q;
          resp_pa_o    = (fault_q == FaultNone) ? pa_q : 64'd0;
          finish       = 1'b1;
          state_d      = StIdle;
        end else begin
          cnt_d = cnt_q + 1'b1;
        end
      end
      StWalk: begin
        if (sfence_valid_i || csr_changed)
          no_install_d = 1'b1;
        if (cnt_q != WalkAt)
          cnt_d = cnt_q + 1'b1;
        if (ptw_done) begin
          resp_valid_o = 1'b1;
          resp_fault_o = (ptw_result == PtwOk) ? FaultNone :
                         (ptw_result == PtwPage) ? page_fault(acc_q) : access_fault(acc_q);
          resp_pa_o    = (ptw_result == PtwOk) ? ptw_pa : 64'd0;
          success      = ptw_result == PtwOk;
          finish       = 1'b1;
          state_d      = StIdle;
        end
      end
      default: state_d = StIdle;
    endcase
  end
  assign ptw_start = walk_go;

  // fills at the end of the response cycle
  wire install   = finish && !no_install_d;
  wire walk_fill = install && state_q == StWalk && success;
  wire l2c_fill  = install && state_q == StFront && fill_l1_q;
  wire [VpnW-1:0] walk_vpn = vpn_of(va_q, mode_levels(mode_q));
  wire [VpnW-1:0] leaf_tag = walk_vpn >> (9 * ptw_leaf_level);
  wire            l1_fill   = walk_fill || l2c_fill;
  wire [1:0]      l1f_level = walk_fill ? ptw_leaf_level : e_level_q;
  wire [VpnW-1:0] l1f_tag   = walk_fill ? leaf_tag : e_tag_q;
  wire [43:0]     l1f_ppn   = walk_fill ? ptw_leaf_ppn : e_ppn_q;
  wire [15:0]     l1f_asid  = walk_fill ? asid_q : e_asid_q;
  wire [PteD:PteR] l1f_flags = walk_fill ? ptw_leaf_flags : e_flags_q;

  // walk-cache fills: port k holds the pointer of level MaxLevel - k
  reg [NumPtr-1:0]        pwf_valid;
  reg [NumPtr*2-1:0]      pwf_level;
  reg [NumPtr*VpnW-1:0]   pwf_tag;
  reg [NumPtr*44-1:0]     pwf_ppn;
  reg [NumPtr*16-1:0]     pwf_asid;
  reg [NumPtr*FlagsW-1:0] pwf_flags;     // a pointer's entry holds G only
  integer k;
  always @(*) begin
    for (k = 0; k < NumPtr; k = k + 1) begin
      pwf_valid[k]                  = walk_fill && ptw_ptr_valid[MaxLevel - k];
      pwf_level[k*2 +: 2]           = 2'(MaxLevel - k);
      pwf_tag[k*VpnW +: VpnW]       = walk_vpn >> (9 * (MaxLevel - k));
      pwf_ppn[k*44 +: 44]           = ptw_ptr_ppn[(MaxLevel - k - 1)*44 +: 44];
      pwf_asid[k*16 +: 16]          = asid_q;
      pwf_flags[k*FlagsW +: FlagsW] = FlagsW'(ptw_ptr_global[MaxLevel - k]) << (PteG - PteR);
    end
  end

  // sfence: the VA read with the current mode's width (Levels under Bare)
  wire [2:0]      f_levels = a_paged ? a_levels : 3'(Levels);
  wire            flush    = sfence_valid_i && !(sfence_use_va_i && !canonical(sfence_va_i, f_levels));
  wire [VpnW-1:0] f_vpn    = vpn_of(sfence_va_i, f_levels);

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= StIdle;
      cnt_q   <= {CntW{1'b0}};
    end else begin
      state_q <= state_d;
      cnt_q   <= cnt_d;
    end
  end

  always @(posedge clk_i) begin
    target_q     <= target_d;
    fault_q      <= fault_d;
    pa_q         <= pa_d;
    no_install_q <= no_install_d;
    fill_l1_q    <= fill_l1_d;
    l1d_q        <= l1d_d;
    va_q <= va_d; acc_q <= acc_d; priv_q <= priv_d; asid_q <= asid_d;
    mode_q <= mode_d; root_q <= root_d; sum_q <= sum_d; mxr_q <= mxr_d; adue_q <= adue_d;
    e_level_q <= e_level_d; e_tag_q <= e_tag_d; e_ppn_q <= e_ppn_d; e_asid_q <= e_asid_d;
    e_flags_q <= e_flags_d;
  end

  // ------------------------------------------------------------ structures
  mmu_tlb #(
    .Entries(L1Entries), .Ways(L1Ways), .Policy(L1Policy), .Seed(L1Seed),
    .MinLevel(0), .MaxLevel(MaxLevel), .VpnW(VpnW), .NumFills(1)
  ) u_l1i (
    .clk_i(clk_i), .rst_ni(rst_ni),
    .lk_en_i(lk_en && !a_l1d), .lk_vpn_i(a_vpn), .lk_asid_i(req_asid_i),
    .lk_hit_o(l1i_hit), .lk_set_o(l1i_set), .lk_way_o(l1i_way), .lk_level_o(l1i_level),
    .lk_tag_o(l1i_tag), .lk_ppn_o(l1i_ppn), .lk_asid_o(l1i_asid), .lk_flags_o(l1i_flags),
    .touch_i(touch_l1i), .touch_set_i(l1i_set), .touch_way_i(l1i_way),
    .fill_i(l1_fill && !l1d_q), .fill_level_i(l1f_level), .fill_tag_i(l1f_tag),
    .fill_ppn_i(l1f_ppn), .fill_asid_i(l1f_asid), .fill_flags_i(l1f_flags),
    .flush_i(flush), .flush_use_va_i(sfence_use_va_i), .flush_vpn_i(f_vpn),
    .flush_use_asid_i(sfence_use_asid_i), .flush_asid_i(sfence_asid_i)
  );

  generate
    if (L1Split != 0) begin : g_l1d
      mmu_tlb #(
        .Entries(L1DE), .Ways(L1DWs), .Policy(L1Policy), .Seed(L1Seed),
        .MinLevel(0), .MaxLevel(MaxLevel), .VpnW(VpnW), .NumFills(1)
      ) u_l1d (
        .clk_i(clk_i), .rst_ni(rst_ni),
        .lk_en_i(lk_en && a_l1d), .lk_vpn_i(a_vpn), .lk_asid_i(req_asid_i),
        .lk_hit_o(l1d_hit), .lk_set_o(l1d_set), .lk_way_o(l1d_way), .lk_level_o(l1d_level),
        .lk_tag_o(l1d_tag), .lk_ppn_o(l1d_ppn), .lk_asid_o(l1d_asid), .lk_flags_o(l1d_flags),
        .touch_i(touch_l1d), .touch_set_i(l1d_set), .touch_way_i(l1d_way),
        .fill_i(l1_fill && l1d_q), .fill_level_i(l1f_level), .fill_tag_i(l1f_tag),
        .fill_ppn_i(l1f_ppn), .fill_asid_i(l1f_asid), .fill_flags_i(l1f_flags),
        .flush_i(flush), .flush_use_va_i(sfence_use_va_i), .flush_vpn_i(f_vpn),
        .flush_use_asid_i(sfence_use_asid_i), .flush_asid_i(sfence_asid_i)
      );
    end else begin : g_no_l1d
      assign l1d_hit = 1'b0;   assign l1d_set = {L1DSB{1'b0}}; assign l1d_way = {L1DWB{1'b0}};
      assign l1d_level = 2'd0; assign l1d_tag = {VpnW{1'b0}}; assign l1d_ppn = 44'd0;
      assign l1d_asid = 16'd0; assign l1d_flags = {FlagsW{1'b0}};
      wire unused_l1d = ^{touch_l1d, l1d_set, l1d_way};  // no data L1 to touch
    end

    if (HasL2 != 0) begin : g_l2
      mmu_tlb #(
        .Entries(L2Entries), .Ways(L2Ways), .Policy(L2Policy), .Seed(L2Seed),
        .MinLevel(0), .MaxLevel(MaxLevel), .VpnW(VpnW), .NumFills(1)
      ) u_l2 (
        .clk_i(clk_i), .rst_ni(rst_ni),
        .lk_en_i(lk_en && !l1_answer), .lk_vpn_i(a_vpn), .lk_asid_i(req_asid_i),
        .lk_hit_o(l2_hit), .lk_set_o(l2_set), .lk_way_o(l2_way), .lk_level_o(l2_level),
        .lk_tag_o(l2_tag), .lk_ppn_o(l2_ppn), .lk_asid_o(l2_asid), .lk_flags_o(l2_flags),
        .touch_i(touch_l2), .touch_set_i(l2_set), .touch_way_i(l2_way),
        .fill_i(walk_fill), .fill_level_i(ptw_leaf_level), .fill_tag_i(leaf_tag),
        .fill_ppn_i(ptw_leaf_ppn), .fill_asid_i(asid_q), .fill_flags_i(ptw_leaf_flags),
        .flush_i(flush), .flush_use_va_i(sfence_use_va_i), .flush_vpn_i(f_vpn),
        .flush_use_asid_i(sfence_use_asid_i), .flush_asid_i(sfence_asid_i)
      );
    end else begin : g_no_l2
      assign l2_hit = 1'b0;   assign l2_set = {L2SB{1'b0}}; assign l2_way = {L2WB{1'b0}};
      assign l2_level = 2'd0; assign l2_tag = {VpnW{1'b0}}; assign l2_ppn = 44'd0;
      assign l2_asid = 16'd0; assign l2_flags = {FlagsW{1'b0}};
      wire unused_l2 = ^{touch_l2, l2_set, l2_way};  // no L2 to touch
    end

    if (HasPwc != 0) begin : g_pwc
      mmu_tlb #(
        .Entries(PwcEntries), .Ways(PwcWays), .Policy(PwcPolicy), .Seed(PwcSeed),
        .MinLevel(1), .MaxLevel(MaxLevel), .VpnW(VpnW), .NumFills(NumPtr)
      ) u_pwc (
        .clk_i(clk_i), .rst_ni(rst_ni),
        .lk_en_i(lk_en && !l1_answer && !l2_answer), .lk_vpn_i(a_vpn), .lk_asid_i(req_asid_i),
        .lk_hit_o(pw_hit), .lk_set_o(pw_set), .lk_way_o(pw_way), .lk_level_o(pw_level),
        .lk_tag_o(pw_tag), .lk_ppn_o(pw_ppn), .lk_asid_o(pw_asid), .lk_flags_o(pw_flags),
        .touch_i(touch_pw), .touch_set_i(pw_set), .touch_way_i(pw_way),
        .fill_i(pwf_valid), .fill_level_i(pwf_level), .fill_tag_i(pwf_tag),
        .fill_ppn_i(pwf_ppn), .fill_asid_i(pwf_asid), .fill_flags_i(pwf_flags),
        .flush_i(flush), .flush_use_va_i(sfence_use_va_i), .flush_vpn_i(f_vpn),
        .flush_use_asid_i(sfence_use_asid_i), .flush_asid_i(sfence_asid_i)
      );
    end else begin : g_no_pwc
      assign pw_hit = 1'b0;   assign pw_set = {PwSB{1'b0}}; assign pw_way = {PwWB{1'b0}};
      assign pw_level = 2'd0; assign pw_tag = {VpnW{1'b0}}; assign pw_ppn = 44'd0;
      assign pw_asid = 16'd0; assign pw_flags = {FlagsW{1'b0}};
      wire unused_pwc = ^{touch_pw, pw_set, pw_way, pwf_valid, pwf_level, pwf_tag, pwf_ppn,
                          pwf_asid, pwf_flags};  // no walk cache to fill
    end
  endgenerate

  mmu_ptw #(.Levels(Levels)) u_ptw (
    .clk_i(clk_i), .rst_ni(rst_ni),
    .start_i(ptw_start), .start_level_i(ptw_start_level), .start_ppn_i(ptw_start_ppn),
    .start_global_i(ptw_start_global), .en_i(ptw_en),
    .va_i(va_q), .acc_i(acc_q), .priv_i(priv_q), .sum_i(sum_q), .mxr_i(mxr_q), .adue_i(adue_q),
    .dram_base_i(dram_base_i), .dram_size_i(dram_size_i),
    .mem_req_valid_o(mem_req_valid_o), .mem_req_we_o(mem_req_we_o),
    .mem_req_addr_o(mem_req_addr_o), .mem_req_wdata_o(mem_req_wdata_o),
    .mem_req_ready_i(mem_req_ready_i), .mem_resp_valid_i(mem_resp_valid_i),
    .mem_resp_rdata_i(mem_resp_rdata_i),
    .done_o(ptw_done), .result_o(ptw_result), .pa_o(ptw_pa),
    .leaf_level_o(ptw_leaf_level), .leaf_ppn_o(ptw_leaf_ppn), .leaf_flags_o(ptw_leaf_flags),
    .ptr_valid_o(ptw_ptr_valid), .ptr_ppn_o(ptw_ptr_ppn), .ptr_global_o(ptw_ptr_global)
  );

  // not needed by this MMU: the replay mark (statistics only), the L1 entries'
  // tags and ASIDs (an L1 hit is never copied), the walk cache's copy fields
  wire unused_ok = ^{req_replay_i, l1i_tag, l1d_tag, l1i_asid, l1d_asid, pw_tag, pw_asid,
                     pw_flags[PteD:PteA], pw_flags[PteU:PteR],
                     l1_flags[PteA:PteG]};

`ifndef SYNTHESIS
  initial begin
    if (Levels != 3 && Levels != 4)
      $fatal(1, "mmu_top: Levels must be 3 or 4");
    // the model refuses tlb.l1d.* without a split L1 or ways without entries
    if ((L1DEntries != 0 && L1Split == 0) || (L1DWays != 0 && L1DEntries == 0))
      $fatal(1, "mmu_top: L1DEntries needs L1Split, L1DWays needs L1DEntries");
    if (L1Latency < 1 || (HasL2 != 0 && L2Latency < 1) || (HasPwc != 0 && PwcLatency < 1) ||
        L1Latency + T2 + Tp >= (1 << CntW))
      $fatal(1, "mmu_top: latencies out of range");
  end
  always @(posedge clk_i) begin
    if (rst_ni && state_q == StIdle && req_valid_i && !sfence_valid_i && satp_mode_i != SatpModeBare &&
        mode_levels(satp_mode_i) == 3'd0)
      $error("mmu_top: satp mode %0d not supported with Levels = %0d", satp_mode_i, Levels);
    if (rst_ni && state_q == StWalk && ptw_done && no_install_q && !finish)
      $error("mmu_top: inconsistent finish");
  end
`endif
endmodule
