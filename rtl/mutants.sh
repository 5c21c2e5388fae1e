#!/bin/sh
# mutants.sh BUILDDIR : applies each mutant of rtl/mutants.txt to a scratch
# copy of rtl/ (BUILDDIR/mut/NAME), builds the lockstep harness of its
# configuration from that copy (reusing the objects of the unmutated build
# BUILDDIR/CONFIG/obj), runs a short random lockstep, the directed fill and
# every vector file, and counts the mutant as killed when the run fails.
# Prints the kill rate; exit 1 unless every mutant is killed.  A mutant that does not apply or
# does not build is an error, not a kill: it proves nothing about the
# lockstep.  rtl/rtl.mk passes the harness sources (LS_SRCS) and the model
# and OS objects (LS_OBJS), absolute paths, so the lists live in one place.
#
# MUTANTS="NAME ..." runs only those (make test runs rtl/rtl.mk's
# MUTANTS_TEST); the subset must hold a mutant of every KIND and of every
# FILE of the list, so that it still says something about each module.
set -u
bd=$1
: "${LS_SRCS:?set by rtl/rtl.mk}" "${LS_OBJS:?set by rtl/rtl.mk}"
seeds=${MUTANT_SEEDS:-6} reqs=${MUTANT_REQS:-8000}
total=0 killed=0 survivors=""
tab=$(printf '\t')
all=$bd/mutants.$$.all
grep -v "^#" "${MUTANTS_FILE:-rtl/mutants.txt}" | grep -v '^ *$' | sed 's/ *@@ */\t/g' > "$all"
if [ -n "${MUTANTS:-}" ]; then
    for m in $MUTANTS; do
        cut -f1 "$all" | grep -qxF "$m" || { echo "mutants: $m is not in rtl/mutants.txt"; rm -f "$all"; exit 1; }
    done
    # shellcheck disable=SC2086
    printf '%s\n' $MUTANTS | awk -F "$tab" 'NR == FNR { want[$1] = 1; next } $1 in want' - "$all" > "$all.sel"
    miss=""
    for col in 2 3; do
        for v in $(cut -f$col "$all" | sort -u); do
            cut -f$col "$all.sel" | grep -qxF "$v" || miss="$miss $v"
        done
    done
    if [ -n "$miss" ]; then
        echo "mutants: the subset MUTANTS has no mutant of:$miss"
        rm -f "$all" "$all.sel"
        exit 1
    fi
    sel="subset of $(wc -l < "$all"): every kind and file; "
    mv "$all.sel" "$bd/mutants.$$.tsv"
else
    sel=""
    cp "$all" "$bd/mutants.$$.tsv"
fi
rm -f "$all"
start=$(date +%s)
while IFS="$tab" read -r name kind file cfg old new; do
    total=$((total + 1))
    t0=$(date +%s)
    d=$bd/mut/$name
    rm -rf "$d"
    mkdir -p "$d"
    cp -r rtl "$d/rtl"
    n=$(OLD="$old" perl -0ne 'print scalar(() = /\Q$ENV{OLD}\E/g)' "$d/$file")
    if [ "$n" -lt 1 ]; then
        echo "mutant $name: does not apply (text not found in $file)"
        survivors="$survivors $name(not-applied)"
        continue
    fi
    OLD="$old" NEW="$new" perl -0pi -e 's/\Q$ENV{OLD}\E/$ENV{NEW}/g' "$d/$file"
    cfgfile=configs/$cfg.cfg
    [ -f "$cfgfile" ] || cfgfile=testbench/lockstep/rtl_configs/$cfg.cfg
    cp -a "$bd/$cfg/obj" "$d/obj"
    printf '#define LOCKSTEP_CONFIG "%s"\n#define LOCKSTEP_BIN "%s/lockstep"\n' "$cfgfile" "$d" > "$d/lockstep_cfg.h"
    # verilator's make runs in the Mdir: paths it is given must be absolute (BUILD may be either)
    case $d in /*) dabs=$d ;; *) dabs=$PWD/$d ;; esac
    # shellcheck disable=SC2046
    if ! verilator --cc --exe --build -j 2 --top-module mmu_top --x-assign unique --x-initial unique \
        -I"$d/rtl" -MAKEFLAGS OPT_FAST=-O1 -CFLAGS -std=c++17 -CFLAGS "-I$PWD/${RTL_MODEL_DIR:-model}" -CFLAGS "-I$PWD/csrc" -CFLAGS "-I$PWD/app" -CFLAGS "-I$PWD/testbench/lockstep" \
        --trace-fst -CFLAGS -include -CFLAGS "$dabs/lockstep_cfg.h" --Mdir "$d/obj" $(cat "$bd/$cfg/params") \
        "$d/rtl/mmu.vlt" "$d/rtl/mmu_top.v" "$d/rtl/mmu_tlb.v" "$d/rtl/mmu_ptw.v" \
        $LS_SRCS $LS_OBJS \
        -o "$dabs/lockstep" > "$d/build.log" 2>&1; then
        echo "mutant $name: DOES NOT BUILD: $(grep -m1 '%' "$d/build.log")"
        survivors="$survivors $name(not-built)"
        continue
    fi
    if "$d/lockstep" random --seed 1 --seeds "$seeds" --requests "$reqs" > "$d/run.log" 2>&1 &&
       "$d/lockstep" fill >> "$d/run.log" 2>&1 &&
       "$d/lockstep" vectors testbench/vectors/*.vec >> "$d/run.log" 2>&1; then
        echo "mutant $name ($kind, $cfg, $(($(date +%s) - t0)) s): SURVIVED"
        survivors="$survivors $name"
    else
        killed=$((killed + 1))
        echo "mutant $name ($kind, $cfg, $(($(date +%s) - t0)) s): killed: $(grep -m1 -E 'MISMATCH|expectation|peek|Assertion' "$d/run.log")"
    fi
    rm -rf "$d/obj"
done < "$bd/mutants.$$.tsv"
rm -f "$bd/mutants.$$.tsv"
echo "mutants: $killed of $total killed ($((100 * killed / total))%; ${sel}$(($(date +%s) - start)) s)${survivors:+; survivors:$survivors}"
[ "$killed" -eq "$total" ]
