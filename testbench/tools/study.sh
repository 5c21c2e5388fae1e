#!/bin/sh
# study.sh MMUSIM OUTDIR RESULTS -- the driver of `make study`.
#
# How do L1 size, L2 size, a walk cache or the replacement policy change TLB
# misses and translation latency on real programs?
#   1. captures three real traces under valgrind's lackey (sort, gzip, python)
#      into OUTDIR as mmusim's binary format (.mmt); a trace that exists is
#      kept, so a second run only re-sweeps and re-plots;
#   2. runs two sweeps (`mmusim sweep`, docs/studies.md) into OUTDIR/*.csv;
#   3. plots them with gnuplot (PNG and SVG) into RESULTS;
#   4. writes RESULTS/README.md from testbench/tools/study/README.md.in, with
#      the commands, versions, reference counts and numbers of this run.
# Needs valgrind, gnuplot (pngcairo and svg terminals: Debian gnuplot-nox) and
# /usr/bin/python3; `make study` installs them (testbench/tools/deps.sh study).
set -eu

die() { echo "study: error: $*" >&2; exit 1; }
msg() { echo "study: $*" >&2; }

[ $# -eq 3 ] || { echo "usage: $0 MMUSIM OUTDIR RESULTS" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")/study" && pwd)
[ -x "$1" ] || die "$1: no mmusim binary (make builds it)"
MMUSIM=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
mkdir -p "$2" "$3"
OUT=$(cd "$2" && pwd)
RES=$(cd "$3" && pwd)

# The workloads. Sizes give 25-40 M references each (about 30 s of capture).
SORT_N=6000          # numbers sorted by `sort -n`
GZIP_KB=64           # KiB of generated text compressed by `gzip -9`
DICT_N=6000          # string keys of the Python dict
PY=/usr/bin/python3  # Debian's python, not whatever python3 is first on PATH
# Captures run with this environment only, so that they do not depend on the
# caller's locale or variables (the environment is copied onto the stack);
# PYTHONHASHSEED=0 turns off Python's per-process string-hash randomisation,
# which otherwise changes the dict's layout and the trace from run to run.
ENV="env -i PATH=/usr/bin:/bin LC_ALL=C PYTHONHASHSEED=0"

need() {
    command -v "$1" >/dev/null 2>&1 ||
        die "$1 not found: install the Debian package $2 (as root: sh testbench/tools/deps.sh study)"
}
need valgrind valgrind
need gnuplot gnuplot-nox
[ -x "$PY" ] || die "$PY not found: install the Debian package python3-minimal (as root: sh testbench/tools/deps.sh study)"
terms=$(gnuplot -e 'set terminal' 2>&1)
for t in pngcairo svg; do
    echo "$terms" | grep -q "^ *$t " ||
        die "gnuplot has no '$t' terminal (install gnuplot-nox, not gnuplot-data alone)"
done

START=$(date +%s)
IN=$OUT/inputs
mkdir -p "$IN"

# ---------------------------------------------------------------- inputs
# Deterministic inputs: the Park-Miller generator x = 16807 x mod (2^31 - 1),
# whose products stay below 2^53, so every awk computes the same numbers.
[ -s "$IN/numbers.txt" ] ||
    awk -v n="$SORT_N" 'BEGIN { x = 1; for (i = 0; i < n; i++) { x = (x * 16807) % 2147483647; printf "%d\n", x % 1000000 } }' \
        > "$IN/numbers.txt"
[ -s "$IN/words.txt" ] ||
    awk -v bytes=$((GZIP_KB * 1024)) 'BEGIN {
        nw = split("the of and to in is was for on that with as by at from it an be this which or are " \
                   "page table walk entry cache miss hit level memory address virtual physical frame " \
                   "translation lookaside buffer replacement policy random least recently used first", w, " ")
        x = 1; out = 0; line = 1
        while (out < bytes) {
            s = line ":"
            for (j = 0; j < 12; j++) { x = (x * 16807) % 2147483647; s = s " " w[1 + x % nw] }
            x = (x * 16807) % 2147483647; s = s " " x % 100000
            print s; out += length(s) + 1; line++
        }
    }' | head -c $((GZIP_KB * 1024)) > "$IN/words.txt"
cp "$HERE/dict.py" "$IN/dict.py"

# ---------------------------------------------------------------- capture
# capture NAME PROGRAM ARGS...: OUT/NAME.mmt and OUT/NAME.info (provenance).
# valgrind writes the lackey trace to fd 3, which is the pipe into
# `mmusim convert`; the program's own output goes to /dev/null.
capture() {
    name=$1; shift
    if [ -s "$OUT/$name.mmt" ] && [ -s "$OUT/$name.info" ]; then
        msg "$name: trace exists, kept ($OUT/$name.mmt)"
        return 0
    fi
    msg "capturing $name: valgrind --tool=lackey --trace-mem=yes $* (about a minute)"
    rm -f "$OUT/$name.mmt" "$OUT/$name.info" "$OUT/$name.rc"
    t0=$(date +%s)
    { cd "$IN" && $ENV valgrind --tool=lackey --trace-mem=yes --log-fd=3 "$@" 3>&1 >/dev/null
      echo $? > "$OUT/$name.rc"; } |
        "$MMUSIM" convert --format lackey --to mmt - "$OUT/$name.mmt.tmp" ||
        die "$name: mmusim convert failed"
    rc=$(cat "$OUT/$name.rc" 2>/dev/null || echo "?")
    rm -f "$OUT/$name.rc"
    [ "$rc" = 0 ] || { rm -f "$OUT/$name.mmt.tmp"; die "$name: valgrind $* exited with status $rc"; }
    refs=$("$MMUSIM" trace --stats json "$OUT/$name.mmt.tmp" |
           sed -n 's/^ *"references": *\([0-9]*\),*$/\1/p')
    [ -n "$refs" ] || die "$name: no reference count from mmusim trace --stats json"
    mv "$OUT/$name.mmt.tmp" "$OUT/$name.mmt"
    {
        echo "name	$name"
        echo "command	cd inputs && valgrind --tool=lackey --trace-mem=yes --log-fd=3 $* 3>&1 >/dev/null"
        echo "version	$("$1" --version 2>&1 | head -1)"
        echo "valgrind	$(valgrind --version)"
        echo "references	$refs"
        echo "bytes	$(wc -c < "$OUT/$name.mmt" | tr -d ' ')"
        echo "seconds	$(( $(date +%s) - t0 ))"
    } > "$OUT/$name.info"
    msg "$name: $refs references in $(( $(date +%s) - t0 )) s"
}

capture sort sort -n numbers.txt
capture gzip gzip -9 -c words.txt
capture python "$PY" -S dict.py "$DICT_N"
TRACES="sort gzip python"

# ---------------------------------------------------------------- sweeps
# Runs from OUT with relative trace names, so the CSV's trace column is
# sort.mmt, gzip.mmt, python.mmt.
targs=""
for t in $TRACES; do targs="$targs --trace $t.mmt"; done

SWEEP_A="--set mode=sv39 --set tlb.l2.entries=0 --set pwc.entries=0 \
--vary tlb.l1.entries=16,32,64,128,256 --vary tlb.l1.ways=4,0 --vary tlb.l1.policy=lru,fifo,plru,random"
SWEEP_B="--set mode=sv39 --set tlb.l1.entries=32 --set tlb.l1.ways=0 --set tlb.l1.policy=lru --set tlb.l2.ways=4 \
--vary tlb.l2.entries=0,256,512,1024,2048 --vary pwc.entries=0,8,32 --vary dram.timing=fixed,ddr"

msg "sweep (a): L1 entries x ways x policy, no L2, no walk cache"
# shellcheck disable=SC2086
(cd "$OUT" && "$MMUSIM" sweep $targs $SWEEP_A -o sweep_l1.csv.tmp) || die "sweep (a) failed"
mv "$OUT/sweep_l1.csv.tmp" "$OUT/sweep_l1.csv"
msg "sweep (b): L2 entries x walk cache x DRAM timing, L1 32 entries fully associative LRU"
# shellcheck disable=SC2086
(cd "$OUT" && "$MMUSIM" sweep $targs $SWEEP_B -o sweep_l2.csv.tmp) || die "sweep (b) failed"
mv "$OUT/sweep_l2.csv.tmp" "$OUT/sweep_l2.csv"

# ---------------------------------------------------------------- plots
msg "plotting into $RES"
DAT=$OUT/plot
rm -rf "$DAT"; mkdir -p "$DAT"
awk -f "$HERE/csv.awk" -f "$HERE/l1_mpki.awk" -v dir="$DAT" "$OUT/sweep_l1.csv" > "$DAT/traces"
awk -f "$HERE/csv.awk" -f "$HERE/latency.awk" -v dir="$DAT" "$OUT/sweep_l2.csv"
CDF_L2=0
awk -f "$HERE/csv.awk" -f "$HERE/cdf.awk" -v dir="$DAT" -v l2=$CDF_L2 "$OUT/sweep_l2.csv"
for gp in l1_mpki latency walk_cdf; do
    for fmt in png svg; do
        gnuplot -e "datadir='$DAT'; traces='$TRACES'; fmt='$fmt'; out='$RES/$gp.$fmt'; cdf_l2='$CDF_L2'" \
            "$HERE/$gp.gp" || die "gnuplot $HERE/$gp.gp failed"
    done
done

# ---------------------------------------------------------------- report
msg "writing $RES/README.md"
for f in sweep_l1 sweep_l2; do
    rm -f "$RES/$f.csv" "$RES/$f.summary.csv"
    if [ "$(wc -c < "$OUT/$f.csv")" -lt 204800 ]; then
        cp "$OUT/$f.csv" "$RES/$f.csv"
    else
        # too big to keep in the repository: the configuration and the main statistics
        awk -f "$HERE/csv.awk" -f "$HERE/summary.awk" "$OUT/$f.csv" > "$RES/$f.summary.csv"
    fi
done
SECONDS_TOTAL=$(( $(date +%s) - START ))
sh "$HERE/report.sh" "$OUT" "$RES" "$HERE" "$TRACES" "$SWEEP_A" "$SWEEP_B" "$SECONDS_TOTAL" "$CDF_L2" \
    > "$RES/README.md.tmp" || die "report failed"
mv "$RES/README.md.tmp" "$RES/README.md"
msg "done in $SECONDS_TOTAL s: $RES/README.md"
