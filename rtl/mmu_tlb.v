// mmu_tlb - the set-associative translation cache behind every TLB level and
// the page-walk cache (docs/tlb.md is the specification, model/tlb.c the
// reference; this module implements the same bits).
//
// Entries entries in Sets = Entries / Ways sets of Ways ways (Ways = 0: fully
// associative).  An entry of level L maps the region VPN >> 9L and lives in
// set (VPN >> 9L) mod Sets.
//
//  lookup   combinational: for each level from MinLevel up, that level's set,
//           ways in index order, first match wins (smallest region).
//  touch    replacement update of a used hit, at the clock edge.
//  fill     NumFills ports applied in port order within one cycle (the walk
//           cache installs every pointer of a walk, shallowest first):
//           in place over an entry of the same level, tag and ASID scope,
//           else the first invalid way, else the policy's victim.
//  flush    sfence.vma: clears the selected valid bits.
// touch, fill and flush never coincide (docs/timing.md: a fence in flight
// stops the fills; a request is not accepted with a fence).
//
// Replacement (Policy: ReplLru, ReplPlru, ReplFifo, ReplRandom), bit for bit:
//   lru    an age per way, initially age[w] = w; touch w: ages below age[w]
//          +1, age[w] = 0; victim: the largest age.
//   plru   Ways-1 bits, heap-ordered tree, leaves are ways (way 0 leftmost):
//
//                  b0
//                /    \
//              b1      b2       victim: from the root, 0 = left, 1 = right
//             /  \    /  \      touch w: every node on the path points away
//           w0   w1  w2   w3    from w (1 when w is in the left subtree)
//
//   fifo   a pointer per set, victim = pointer, then pointer + 1 mod Ways.
//   random one 16-bit Fibonacci LFSR (x^16 + x^14 + x^13 + x^11 + 1) per
//          structure, stepped once per victim: victim = new state mod Ways.
`include "mmu_defs.vh"
module mmu_tlb #(
  parameter integer Entries  = 32,
  parameter integer Ways     = 0,
  parameter integer Policy   = 0,
  parameter integer Seed     = 1,
  parameter integer MinLevel = 0,
  parameter integer MaxLevel = 2,
  parameter integer VpnW     = 27,
  parameter integer NumFills = 1
) (
  input  wire                          clk_i,
  input  wire                          rst_ni,
  // lookup (combinational)
  input  wire                          lk_en_i,
  input  wire [VpnW-1:0]               lk_vpn_i,
  input  wire [15:0]                   lk_asid_i,
  output reg                           lk_hit_o,
  output reg  [SetBits-1:0]            lk_set_o,
  output reg  [WayBits-1:0]            lk_way_o,
  output reg  [1:0]                    lk_level_o,
  output reg  [VpnW-1:0]               lk_tag_o,
  output reg  [43:0]                   lk_ppn_o,
  output reg  [15:0]                   lk_asid_o,
  output reg  [PteD:PteR]              lk_flags_o,
  // replacement update of a used hit
  input  wire                          touch_i,
  input  wire [SetBits-1:0]            touch_set_i,
  input  wire [WayBits-1:0]            touch_way_i,
  // fills, port 0 first
  input  wire [NumFills-1:0]           fill_i,
  input  wire [NumFills*2-1:0]         fill_level_i,
  input  wire [NumFills*VpnW-1:0]      fill_tag_i,
  input  wire [NumFills*44-1:0]        fill_ppn_i,
  input  wire [NumFills*16-1:0]        fill_asid_i,
  input  wire [NumFills*FlagsW-1:0]    fill_flags_i,
  // sfence.vma
  input  wire                          flush_i,
  input  wire                          flush_use_va_i,
  input  wire [VpnW-1:0]               flush_vpn_i,
  input  wire                          flush_use_asid_i,
  input  wire [15:0]                   flush_asid_i
);
  localparam integer NumWays = (Ways == 0) ? Entries : Ways;
  localparam integer Sets    = Entries / NumWays;
  localparam integer SetBits = (Sets > 1) ? $clog2(Sets) : 1;
  localparam integer WayBits = (NumWays > 1) ? $clog2(NumWays) : 1;
  localparam integer IdxBits = (Entries > 1) ? $clog2(Entries) : 1;
  localparam integer PlruDepth = (NumWays > 1) ? $clog2(NumWays) : 0;
  // replacement state of one set
  // (lru: an age per way, the widest; plru uses bits Ways-2:0, fifo WayBits-1:0,
  // random none: bits a policy never writes stay at their reset value)
  localparam integer ReplW = NumWays * WayBits;
  localparam [15:0] SeedBits = Seed[15:0];
  // an entry's flags are PTE bits PteD:PteR (D A G U X W R): flags[PteG] is
  // G, and fill port k's G bit is fill_flags_i[k * FlagsW + FillG]
  localparam integer FillG = PteG - PteR;

  // ------------------------------------------------------------------ state
  reg [Entries-1:0] valid_q, valid_d;
  reg [VpnW-1:0]    tag_q   [0:Entries-1];
  reg [43:0]        ppn_q   [0:Entries-1];
  reg [15:0]        asid_q  [0:Entries-1];
  reg [1:0]         level_q [0:Entries-1];
  reg [PteD:PteR]   flags_q [0:Entries-1];
  reg [Sets*ReplW-1:0] repl_q, repl_d;
  reg [15:0]        lfsr_q, lfsr_d;

  // ------------------------------------------------------------- functions
  // Replacement state of a set after reset.
  function automatic [ReplW-1:0] repl_init(input integer unused_dummy);
    integer w;
    begin
      repl_init = {ReplW{1'b0}};
      if (Policy == ReplLru)
        for (w = 0; w < NumWays; w = w + 1)
          repl_init[w*WayBits +: WayBits] = w[WayBits-1:0];
    end
  endfunction

  // Replacement state of a set after a use of way.
  function automatic [ReplW-1:0] repl_touch(input [ReplW-1:0] row, input [WayBits-1:0] way);
    integer i, n, p;
    reg [WayBits-1:0] age;
    begin
      repl_touch = row;
      if (Policy == ReplLru) begin
        age = row[way*WayBits +: WayBits];
        for (i = 0; i < NumWays; i = i + 1)
          if (row[i*WayBits +: WayBits] < age)
            repl_touch[i*WayBits +: WayBits] = row[i*WayBits +: WayBits] + 1'b1;
        repl_touch[way*WayBits +: WayBits] = {WayBits{1'b0}};
      end else if (Policy == ReplPlru && NumWays > 1) begin
        n = {{(32-WayBits){1'b0}}, way} + NumWays - 1;
        for (i = 0; i < PlruDepth; i = i + 1) begin
          p = (n - 1) / 2;
          repl_touch[p] = (n == 2 * p + 1);
          n = p;
        end
      end
    end
  endfunction

  // The policy's victim in a full set (lfsr: the already stepped LFSR).
  function automatic [WayBits-1:0] repl_victim(input [ReplW-1:0] row, input [15:0] lfsr);
    integer i, n;
    reg [WayBits-1:0] best;
    begin
      repl_victim = {WayBits{1'b0}};
      if (Policy == ReplLru) begin
        best = row[0 +: WayBits];
        for (i = 1; i < NumWays; i = i + 1)
          if (row[i*WayBits +: WayBits] > best) begin
            best = row[i*WayBits +: WayBits];
            repl_victim = i[WayBits-1:0];
          end
      end else if (Policy == ReplPlru && NumWays > 1) begin
        n = 0;
        for (i = 0; i < PlruDepth; i = i + 1)
          n = 2 * n + 1 + {31'd0, row[n]};
        n = n - (NumWays - 1);
        repl_victim = n[WayBits-1:0];
      end else if (Policy == ReplFifo) begin
        repl_victim = row[WayBits-1:0];
      end else if (Policy == ReplRandom) begin
        n = {16'd0, lfsr} % NumWays;
        repl_victim = n[WayBits-1:0];
      end
    end
  endfunction

  function automatic [15:0] lfsr_step(input [15:0] s);
    begin
      lfsr_step = {s[0] ^ s[2] ^ s[3] ^ s[5], s[15:1]};
    end
  endfunction

  // Set of a region number: its low bits.
  localparam [SetBits-1:0] SetMask = SetBits'(Sets - 1);

  function automatic [IdxBits-1:0] idx_of(input [SetBits-1:0] set, input integer way);
    begin
      idx_of = IdxBits'({{(32-SetBits){1'b0}}, set} * NumWays + way);
    end
  endfunction

  // ---------------------------------------------------------------- lookup
  integer lv, lw;
  reg [VpnW-1:0]    lk_t;
  reg [SetBits-1:0] lk_s;
  reg [IdxBits-1:0] lk_i;
  always @(*) begin
    lk_hit_o   = 1'b0;
    lk_set_o   = {SetBits{1'b0}};
    lk_way_o   = {WayBits{1'b0}};
    lk_level_o = 2'd0;
    lk_tag_o   = {VpnW{1'b0}};
    lk_ppn_o   = 44'd0;
    lk_asid_o  = 16'd0;
    lk_flags_o = {FlagsW{1'b0}};
    lk_t       = {VpnW{1'b0}};
    lk_s       = {SetBits{1'b0}};
    lk_i       = {IdxBits{1'b0}};
    if (lk_en_i) begin
      for (lv = MinLevel; lv <= MaxLevel; lv = lv + 1) begin
        lk_t = lk_vpn_i >> (9 * lv);
        lk_s = lk_t[SetBits-1:0] & SetMask;
        for (lw = 0; lw < NumWays; lw = lw + 1) begin
          lk_i = idx_of(lk_s, lw);
          if (!lk_hit_o && valid_q[lk_i] && level_q[lk_i] == lv[1:0] && tag_q[lk_i] == lk_t &&
              (flags_q[lk_i][PteG] || asid_q[lk_i] == lk_asid_i)) begin
            lk_hit_o   = 1'b1;
            lk_set_o   = lk_s;
            lk_way_o   = lw[WayBits-1:0];
            lk_level_o = lv[1:0];
            lk_tag_o   = lk_t;
            lk_ppn_o   = ppn_q[lk_i];
            lk_asid_o  = asid_q[lk_i];
            lk_flags_o = flags_q[lk_i];
          end
        end
      end
    end
  end

  // ------------------------------------------------------- fill and flush
  reg [NumFills-1:0]   fill_we;
  reg [IdxBits-1:0]    fill_idx [0:NumFills-1];
  reg [SetBits-1:0]    fill_set [0:NumFills-1];
  wire unused_fill_set = ^{fill_set[0]};
  reg [ReplW-1:0]      fill_repl[0:NumFills-1];
  reg [ReplW-1:0]      touch_row;
  integer k, j, w, e;
  reg [WayBits-1:0] f_next;
  reg [SetBits-1:0] f_set;
  reg [ReplW-1:0]   f_repl;
  reg [IdxBits-1:0] f_idx;
  reg [1:0]         f_level, v_level;
  reg [VpnW-1:0]    f_tag, v_tag;
  reg [15:0]        f_asid, v_asid;
  reg               f_g, v_g, f_found, f_inv_found;
  reg [WayBits-1:0] f_way, f_inv_way;
  always @(*) begin
    valid_d = valid_q;
    lfsr_d  = lfsr_q;
    fill_we = {NumFills{1'b0}};
    for (k = 0; k < NumFills; k = k + 1) begin
      fill_idx[k]  = {IdxBits{1'b0}};
      fill_set[k]  = {SetBits{1'b0}};
      fill_repl[k] = {ReplW{1'b0}};
    end
    touch_row = {ReplW{1'b0}};
    f_set = {SetBits{1'b0}};
    f_repl = {ReplW{1'b0}};
    f_idx = {IdxBits{1'b0}};
    f_level = 2'd0; f_tag = {VpnW{1'b0}}; f_asid = 16'd0; f_g = 1'b0;
    v_level = 2'd0; v_tag = {VpnW{1'b0}}; v_asid = 16'd0; v_g = 1'b0;
    f_found = 1'b0; f_inv_found = 1'b0;
    f_way = {WayBits{1'b0}}; f_inv_way = {WayBits{1'b0}}; f_next = {WayBits{1'b0}};

    repl_d  = repl_q;
    if (touch_i) begin
      touch_row = repl_touch(repl_q[touch_set_i*ReplW +: ReplW], touch_way_i);
      repl_d[touch_set_i*ReplW +: ReplW] = touch_row;
    end

    if (flush_i) begin
      for (e = 0; e < Entries; e = e + 1)
        if (valid_q[e] &&
            (!flush_use_va_i || tag_q[e] == (flush_vpn_i >> (9 * level_q[e]))) &&
            (!flush_use_asid_i || (!flags_q[e][PteG] && asid_q[e] == flush_asid_i)))
          valid_d[e] = 1'b0;
    end

    for (k = 0; k < NumFills; k = k + 1) begin
      if (fill_i[k]) begin
        f_level = fill_level_i[k*2 +: 2];
        f_tag   = fill_tag_i[k*VpnW +: VpnW];
        f_asid  = fill_asid_i[k*16 +: 16];
        f_g     = fill_flags_i[k*FlagsW + FillG];
        f_set   = f_tag[SetBits-1:0] & SetMask;
        // the set as the earlier ports of this cycle left it
        f_repl  = repl_q[f_set*ReplW +: ReplW];
        for (j = 0; j < k; j = j + 1)
          if (fill_we[j] && fill_set[j] == f_set)
            f_repl = fill_repl[j];
        f_found = 1'b0;
        f_inv_found = 1'b0;
        f_way = {WayBits{1'b0}};
        f_inv_way = {WayBits{1'b0}};
        for (w = 0; w < NumWays; w = w + 1) begin
          f_idx   = idx_of(f_set, w);
          v_level = level_q[f_idx];
          v_tag   = tag_q[f_idx];
          v_asid  = asid_q[f_idx];
          v_g     = flags_q[f_idx][PteG];
          for (j = 0; j < k; j = j + 1)
            if (fill_we[j] && fill_idx[j] == f_idx) begin
              v_level = fill_level_i[j*2 +: 2];
              v_tag   = fill_tag_i[j*VpnW +: VpnW];
              v_asid  = fill_asid_i[j*16 +: 16];
              v_g     = fill_flags_i[j*FlagsW + FillG];
            end
          if (!valid_d[f_idx]) begin
            if (!f_inv_found) begin
              f_inv_found = 1'b1;
              f_inv_way = w[WayBits-1:0];
            end
          end else if (!f_found && v_level == f_level && v_tag == f_tag &&
                       (v_g || f_g || v_asid == f_asid)) begin
            f_found = 1'b1;
            f_way = w[WayBits-1:0];
          end
        end
        if (!f_found) begin
          if (f_inv_found) begin
            f_way = f_inv_way;
          end else begin
            if (Policy == ReplRandom)
              lfsr_d = lfsr_step(lfsr_d);
            f_way = repl_victim(f_repl, lfsr_d);
            if (Policy == ReplFifo) begin
              f_next = (f_way == WayBits'(NumWays - 1)) ? {WayBits{1'b0}} : f_way + 1'b1;
              f_repl = {ReplW{1'b0}};
              f_repl[WayBits-1:0] = f_next;
            end
          end
        end
        f_repl = repl_touch(f_repl, f_way);
        f_idx = idx_of(f_set, {{(32-WayBits){1'b0}}, f_way});
        fill_we[k]   = 1'b1;
        fill_idx[k]  = f_idx;
        fill_set[k]  = f_set;
        fill_repl[k] = f_repl;
        repl_d[f_set*ReplW +: ReplW] = f_repl;
        valid_d[f_idx] = 1'b1;
      end
    end
  end

  always @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      valid_q <= {Entries{1'b0}};
      lfsr_q  <= SeedBits;
      repl_q  <= {Sets{repl_init(0)}};
    end else begin
      valid_q <= valid_d;
      lfsr_q  <= lfsr_d;
      repl_q  <= repl_d;
    end
  end

  // entry payload: written by fills only, qualified by valid_q
  integer p;
  always @(posedge clk_i) begin
    for (p = 0; p < NumFills; p = p + 1)
      if (fill_we[p]) begin
        tag_q[fill_idx[p]]   <= fill_tag_i[p*VpnW +: VpnW];
        ppn_q[fill_idx[p]]   <= fill_ppn_i[p*44 +: 44];
        asid_q[fill_idx[p]]  <= fill_asid_i[p*16 +: 16];
        level_q[fill_idx[p]] <= fill_level_i[p*2 +: 2];
        flags_q[fill_idx[p]] <= fill_flags_i[p*FlagsW +: FlagsW];
      end
  end

`ifndef SYNTHESIS
  // parameter sanity (config_validate's rules)
  initial begin
    if (Entries < 1 || NumWays < 1 || Entries % NumWays != 0 || (Sets & (Sets - 1)) != 0)
      $fatal(1, "mmu_tlb: bad geometry %0d entries / %0d ways", Entries, NumWays);
    if (Policy == ReplPlru && (NumWays & (NumWays - 1)) != 0)
      $fatal(1, "mmu_tlb: plru needs a power-of-two way count (%0d)", NumWays);
    if (Policy < ReplLru || Policy > ReplRandom || Seed < 1 || Seed > 65535 ||
        MinLevel > MaxLevel || MaxLevel > 3)
      $fatal(1, "mmu_tlb: bad policy/seed/levels");
  end
  // touch, fill and flush never coincide
  always @(posedge clk_i)
    if (rst_ni && ((touch_i && (|fill_i || flush_i)) || (|fill_i && flush_i)))
      $error("mmu_tlb: touch/fill/flush in the same cycle");
`endif
endmodule
