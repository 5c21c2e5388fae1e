// mmu_defs.vh - the encodings the RTL shares with the golden model, and the
// functions of a PTE that more than one module needs: written once here for
// every module of rtl/.
//
// The C side of each code is model/riscv_vm.h (PTE bits, satp modes),
// model/xlate.h (acc, priv, fault) and model/config.h (replacement and A/D
// policies).  `make lint-encodings` (testbench/tools/encodings.c) compares
// every localparam below with its C counterpart by name (PTE_D is PteD,
// FAULT_LOAD_PAGE is FaultLoadPage) and checks perm_ok against the model's
// ptw_perm_ok on every input; constants with no C counterpart are marked
// "RTL only".  Change a code here and in the C header together.
//
// Included at the top of each rtl/*.v file, before its module, so that port
// lists can use the names.  Verilator and Yosys read rtl/*.v as one
// compilation unit: the first include declares everything, the guard makes
// the others empty.  (An SV package would be the usual home, but Yosys 0.23
// accepts neither `import pkg::*` in a module header nor in its body.)
`ifndef MMU_DEFS_VH
`define MMU_DEFS_VH

// ----------------------------------------------------------------- PTE
// Bit positions (model/riscv_vm.h draws the format):
//
//   63 62 61 60    54 53           10 9  8 7 6 5 4 3 2 1 0
//  +--+-----+--------+---------------+----+-+-+-+-+-+-+-+-+
//  |N | PBMT|reserved|      PPN      |RSW |D|A|G|U|X|W|R|V|
//  +--+-----+--------+---------------+----+-+-+-+-+-+-+-+-+
localparam integer PteV = 0, PteR = 1, PteW = 2, PteX = 3, PteU = 4, PteG = 5, PteA = 6, PteD = 7;
localparam integer PteRswLo = 8, PteRswHi = 9;
localparam integer PtePpnShift = 10, PtePpnBits = 44;
// N, PBMT and bits 60:54: neither Svnapot nor Svpbmt, any of them set faults
localparam integer PteReservedLo = 54, PteReservedHi = 63;
// RTL only: a TLB entry keeps PTE bits PteD:PteR (V is its valid bit), the
// flags vectors are declared [PteD:PteR] so that flags[PteG] is the G bit
localparam integer FlagsW = PteD - PteR + 1;

// ------------------------------------------------- request and response
// req_acc_i (model/xlate.h acc_t)
localparam integer AccW = 2;
localparam [AccW-1:0] AccLoad = 2'd0, AccStore = 2'd1, AccFetch = 2'd2;
// req_priv_i (priv_t)
localparam PrivU = 1'b0, PrivS = 1'b1;
// resp_fault_o (fault_t)
localparam integer FaultW = 3;
localparam [FaultW-1:0] FaultNone = 3'd0, FaultLoadPage = 3'd1, FaultStorePage = 3'd2,
                        FaultFetchPage = 3'd3, FaultLoadAccess = 3'd4, FaultStoreAccess = 3'd5,
                        FaultFetchAccess = 3'd6;
// satp_mode_i: satp.MODE (riscv_vm.h SATP_MODE_*)
localparam integer SatpModeW = 4;
localparam [SatpModeW-1:0] SatpModeBare = 4'd0, SatpModeSv39 = 4'd8, SatpModeSv48 = 4'd9;
// adue_i: menvcfg.ADUE (config.h ad_policy_t)
localparam AdSvade = 1'b0, AdSvadu = 1'b1;
// mmu_tlb's Policy parameter (config.h repl_policy_t; docs/tlb.md)
localparam integer ReplLru = 0, ReplPlru = 1, ReplFifo = 2, ReplRandom = 3;

// RTL only: mmu_ptw's result_o (the model's walker ends in a fault_t)
localparam integer PtwResW = 2;
localparam [PtwResW-1:0] PtwOk = 2'd0, PtwPage = 2'd1, PtwAccess = 2'd2;

// ----------------------------------------------------------- functions
// 1 when a leaf with flags may be used for acc at priv under SUM/MXR: the
// U/S and R/W/X rules (A and D are not looked at).  model/ptw.c ptw_perm_ok.
function automatic perm_ok(input [PteD:PteR] f, input [AccW-1:0] acc, input priv, input sum,
                           input mxr);
  begin
    if (priv == PrivU && !f[PteU])
      perm_ok = 1'b0;
    else if (priv == PrivS && f[PteU] && (acc == AccFetch || !sum))
      perm_ok = 1'b0;
    else if (acc == AccLoad)
      perm_ok = f[PteR] || (mxr && f[PteX]);
    else if (acc == AccStore)
      perm_ok = f[PteW];
    else if (acc == AccFetch)
      perm_ok = f[PteX];
    else
      perm_ok = 1'b0;
  end
endfunction

// The page fault and the access fault of an access type (fault_page, fault_access).
function automatic [FaultW-1:0] page_fault(input [AccW-1:0] acc);
  page_fault = (acc == AccStore) ? FaultStorePage : (acc == AccFetch) ? FaultFetchPage :
               FaultLoadPage;
endfunction
function automatic [FaultW-1:0] access_fault(input [AccW-1:0] acc);
  access_fault = (acc == AccStore) ? FaultStoreAccess : (acc == AccFetch) ? FaultFetchAccess :
                 FaultLoadAccess;
endfunction

// The PPN bits a leaf of level takes from the VA (a superpage's low VPNs).
function automatic [PtePpnBits-1:0] low_mask(input [1:0] level);
  low_mask = ~({PtePpnBits{1'b1}} << (9 * level));
endfunction

// Physical address of va through a leaf of ppn at level (ptw_leaf_pa).
function automatic [63:0] leaf_pa(input [55:0] va, input [PtePpnBits-1:0] ppn, input [1:0] level);
  leaf_pa = {8'd0, (ppn & ~low_mask(level)) | (va[55:12] & low_mask(level)), va[11:0]};
endfunction

// 1 when pa is a byte of DRAM [base, base + size): the PMA check.
function automatic pa_ok(input [63:0] pa, input [63:0] base, input [63:0] size);
  pa_ok = pa >= base && (pa - base) < size;
endfunction

`endif  // MMU_DEFS_VH
