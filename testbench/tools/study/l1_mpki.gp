# l1_mpki.gp: L1 TLB misses per thousand references vs L1 entries, one panel
# per trace, a line per replacement policy x associativity (sweep (a) of
# testbench/tools/study.sh, which sets datadir, traces, fmt and out).
# Data: datadir/l1_mpki_TRACE.dat (l1_mpki.awk): entries, then one column per
# configuration in the sweep's order: lru fifo plru random with 4 ways, then
# the same fully associative.
n = words(traces)
if (fmt eq 'svg') {
    set terminal svg size 1500,520 dynamic enhanced font 'Sans,12' background '#ffffff'
} else {
    set terminal pngcairo size 1500,520 enhanced font 'Sans,10'
}
set output out
set datafile separator "\t"
set key autotitle columnheader
set multiplot layout 1, n title "L1 TLB misses per 1000 references (no L2 TLB, no walk cache, Sv39)"
set logscale x 2
set logscale y 10
set xrange [12:340]
set xtics (16, 32, 64, 128, 256)
set xlabel 'L1 TLB entries'
set grid xtics ytics mytics lc rgb '#dddddd'
set key top right font ',9' spacing 0.9
# colour per policy, solid line = fully associative, dashed = 4-way
do for [k = 1:n] {
    t = word(traces, k)
    set title t
    if (k == 1) { set ylabel 'L1 misses / 1000 references (log)' } else { unset ylabel }
    if (k < n) { set key off } else { set key on }
    plot for [i = 2:9] sprintf('%s/l1_mpki_%s.dat', datadir, t) using 1:i \
        with linespoints lw 1.6 pt (i < 6 ? 6 : 7) ps 0.8 lc ((i - 2) % 4 + 1) dt 1 + (i < 6)
}
unset multiplot
