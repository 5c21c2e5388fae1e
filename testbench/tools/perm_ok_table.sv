// perm_ok_table - the truth table of rtl/mmu_defs.vh's perm_ok, for
// `make lint-encodings`: one line "perm_ok FLAGS ACC PRIV SUM MXR OK" per
// input (FLAGS: PTE bits D..R in place, V clear; ACC 0..3, 3 being no access
// type), 4096 lines.  testbench/tools/encodings.c compares each with the
// model's ptw_perm_ok.
`include "mmu_defs.vh"
module perm_ok_table;
  integer f, a, p, s, m;
  initial begin
    for (f = 0; f < (1 << FlagsW); f = f + 1)
      for (a = 0; a < (1 << AccW); a = a + 1)
        for (p = 0; p < 2; p = p + 1)
          for (s = 0; s < 2; s = s + 1)
            for (m = 0; m < 2; m = m + 1)
              $display("perm_ok %0d %0d %0d %0d %0d %0d", f << PteR, a, p, s, m,
                       perm_ok(f[FlagsW-1:0], a[AccW-1:0], p[0], s[0], m[0]));
    $finish;
  end
endmodule
