#!/bin/sh
# synth.sh OUTDIR PARAMS RTL... : Yosys synthesis of mmu_top with the -G
# parameters in PARAMS (rtl/cfg2params.sh output); prints cells and
# flip-flops per module.  The log and `stat -json` go to OUTDIR.
set -eu
out=$1 params=$2
shift 2
mkdir -p "$out"
chp=$(sed -n 's/^-G\([A-Za-z0-9]*\)=\(.*\)$/chparam -set \1 \2 mmu_top;/p' "$params" | tr '\n' ' ')
start=$(date +%s)
yosys -q -l "$out/yosys.log" -p "read_verilog -sv $*; $chp synth -top mmu_top -noshare; tee -o $out/stat.txt stat; tee -q -o $out/stat.json stat -json" \
    > /dev/null
echo "synth $(basename "$out") ($(($(date +%s) - start)) s):"
# per module: total cells and the flip-flops among them ($_DFF*, $_SDFF*, $_DFFE*, ...)
awk '/^=== /{ m = $2; sub(/^\$paramod\$[0-9a-f]*\\/, "", m); sub(/^\$paramod\\/, "", m); sub(/\\.*/, "", m);
              if ($2 ~ /^\$paramod/) m = m " (" ++inst[m] ")" }
     /^=== design hierarchy/{ m = "" } m != "" && /Number of cells:/{ cells[m] = $NF }
     m != "" && /\$_(S|A)?DFF/{ ff[m] += $NF } m != "" && /\$_DLATCH/{ ff[m] += $NF }
     END { for (m in cells) printf "  %-40s %9d cells %8d flip-flops\n", m, cells[m], ff[m] }' "$out/stat.txt" | sort
awk '/design hierarchy/{ h = 1 } h && /Number of cells:/{ printf "  %-40s %9d cells (whole design)\n", "total", $NF; exit }' "$out/stat.txt"
