#!/bin/sh
# synth.sh OUTDIR PARAMS RTL... : Yosys synthesis statistics of mmu_top with
# the -G parameters in PARAMS (`mmusim config --rtl-params` output).  Prints, per
# instance, RTL cells, gates, flip-flops and memory bits; the log, the stat
# reports (rtl.txt, gates.txt) and the instance/memory dump (kept.il) go to
# OUTDIR.  docs/rtl.md says what each column counts.
#
#   SYNTH_MEM_MIN=256   a TLB of at least this many entries stays a Yosys $mem
#   SYNTH_GATES=auto    gate mapping when no $mem was kept; yes / no to force
#
# Why not plain `synth`: it turns every TLB array into flip-flops and a 2:1
# mux tree per read port.  Rocket's 1024-entry L2 takes 7.5 min that way;
# server's 1536-entry 12-way L2 is 12 M mux bits straight after memory_map
# (its set * 12 + way addresses leave no constant address bit to fold), far
# beyond this machine.  A TLB that size is an SRAM in a real design, so it
# stays a $mem here and counts as memory bits.  Gate mapping what is left of
# server's L2 (the every-entry sfence compare, the 1536-bit valid and 6144-bit
# lru vectors under dynamic indices) still takes 18 min and 10 GB, so a
# preset that keeps a $mem stops at word-level RTL cells (SYNTH_GATES=yes
# maps it anyway: rocket 4 min).
set -eu
out=$1 params=$2
shift 2
memmin=${SYNTH_MEM_MIN:-256}
mkdir -p "$out"
chp=$(sed -n 's/^-G\([A-Za-z0-9]*\)=\(.*\)$/chparam -set \1 \2 mmu_top;/p' "$params" | tr '\n' ' ')
# the largest TLB decides whether a $mem is kept (an absent L2/PWC has 0 entries)
big=$(sed -n -E 's/^-G(L1|L2|Pwc)Entries=//p' "$params" | awk -v m="$memmin" '$1 >= m { b = 1 } END { print b + 0 }')
case ${SYNTH_GATES:-auto} in
    yes) gates=1 ;;
    no) gates=0 ;;
    *) gates=$((1 - big)) ;;
esac
rm -f "$out/gates.txt"
keep="t:\$mem_v2 r:SIZE>=$memmin %i"
small="t:\$mem_v2 r:SIZE<$memmin %i"
# Yosys's `synth` coarse script (word-level cells) without `share` (this
# flow always ran -noshare), memory_share restricted to the small arrays: on
# server's L2 it merges the 1536 constant-address sfence reads into wide
# ports for 2 min and grows the arrays to 2048 words.
coarse="hierarchy -check -top mmu_top; proc; opt_expr; opt_clean; check; opt -nodffe -nosdff; fsm; opt;
    wreduce; peepopt; opt_clean; alumacc; opt;
    opt_mem; opt_mem_priority; opt_mem_feedback; memory_bmux2rom; memory_dff; opt_clean; memory_collect;
    memory_share $small; opt_mem_widen $small; opt_clean"
# then synth's fine script; its memory_map ran before the RTL count (small
# arrays only).  With no $mem kept, the gates are plain synth's (default the
# same 44,861; cva6 52,802 against 52,798).
fine="opt -fast -full; opt -full; techmap; opt -fast; abc -fast; opt -fast; hierarchy -check;
    tee -q -o $out/gates.txt stat; check"
[ "$gates" -eq 1 ] || fine=""
start=$(date +%s)
yosys -q -l "$out/yosys.log" -p "read_verilog -sv $*; $chp $coarse;
    memory_map $small; opt -fast; tee -q -o $out/rtl.txt stat -width;
    select mmu_top/t:*mmu_* $keep %u; write_rtlil -selected $out/kept.il; select -clear;
    $fine" > /dev/null 2> "$out/yosys.err" || { cat "$out/yosys.err" >&2; exit 1; }
if [ "$gates" -eq 1 ]; then how="RTL cells and gates after ABC"; else how="RTL cells only, no gate mapping"; fi
echo "synth $(basename "$out") ($(($(date +%s) - start)) s; $how; TLBs >= $memmin entries as \$mem):"
touch "$out/gates.txt"
# kept.il: mmu_top's instances (module -> names) and the kept $mem cells;
# rtl.txt (stat -width: a cell type's width is its suffix) and gates.txt:
# per-module cells, submodule instances excluded.
awk -v kept="$out/kept.il" -v rtl="$out/rtl.txt" -v gat="$out/gates.txt" '
function mname(s) { sub(/^\\/, "", s); return s }
function stat(file, key, wide,    m, c, t, w) {
    while ((getline line < file) > 0) {
        split(line, f, " ")
        if (line ~ /^=== design hierarchy/) { m = "TOTAL"; c = 0; continue }
        if (line ~ /^=== /) { m = mname(f[2]); c = 0; continue }
        if (line ~ /Number of cells:/) { c = 1; continue }
        if (!c || f[1] !~ /^\$/ || f[1] ~ /^\$paramod/ || f[2] !~ /^[0-9]+$/) continue
        t = f[1]
        cells[key, m] += f[2]
        if (wide && t ~ /dff|dlatch/) { w = t; sub(/.*_/, "", w); ff[m] += w * f[2] }
    }
}
BEGIN {
    while ((getline line < kept) > 0) {
        split(line, f, " ")
        if (line ~ /^module /) { mod = mname(f[2]); mem = "" }
        else if (line ~ /^  cell / && mod == "mmu_top") { inst[++ni] = mname(f[3]); of[ni] = mname(f[2]) }
        else if (line ~ /^  cell \$mem_v2 /) mem = mname(f[3])
        else if (mem != "" && line ~ /parameter .(SIZE|WIDTH|RD_PORTS|WR_PORTS) /) p[mod, mem, substr(f[2], 2)] = f[3]
        else if (mem != "" && line ~ /^  end/) {
            bits[mod] += p[mod, mem, "SIZE"] * p[mod, mem, "WIDTH"]
            desc[mod] = desc[mod] sprintf("\n      %-8s %5d x %-3d bits, %4d read / %d write ports", mem,
                p[mod, mem, "SIZE"], p[mod, mem, "WIDTH"], p[mod, mem, "RD_PORTS"], p[mod, mem, "WR_PORTS"])
            mem = ""
        }
    }
    stat(rtl, "r", 1); stat(gat, "g", 0)
    printf "  %-22s %10s %10s %11s %12s\n", "instance", "RTL cells", "gates", "flip-flops", "memory bits"
    inst[++ni] = "mmu_top"; of[ni] = "mmu_top"
    for (i = 1; i <= ni; i++) {
        m = of[i]; tm = (m ~ /mmu_ptw/) ? "mmu_ptw" : (m ~ /mmu_tlb/) ? "mmu_tlb" : "own logic"
        g = ((("g", m) in cells)) ? cells["g", m] : "-"
        printf "  %-22s %10d %10s %11d %12d%s\n", inst[i] " (" tm ")", cells["r", m], g, ff[m], bits[m], desc[m]
        membits += bits[m]
    }
    g = ((("g", "TOTAL") in cells)) ? cells["g", "TOTAL"] : "-"
    printf "  %-22s %10d %10s %11d %12d\n", "total", cells["r", "TOTAL"], g, ff["TOTAL"], membits
}'
