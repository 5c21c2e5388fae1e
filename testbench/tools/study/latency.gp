# latency.gp: mean translation latency per reference, split into where the
# cycles went (latency.l1 + l2 + pwc + walk + fault = latency.mean), for each
# configuration of sweep (b): L2 entries / walk-cache entries / DRAM timing,
# L1 32 entries fully associative LRU. One panel per trace; testbench/tools/
# study.sh sets datadir, traces, fmt and out. Data: datadir/latency_TRACE.dat
# (latency.awk): label, l1, l2, pwc, walk, fault, mean; blank rows between L2 sizes.
# Every reference pays the L1 lookup (about 1 cycle, the same in every bar),
# which would flatten the rest: the bars stack the cycles beyond it, and each
# panel's title gives the L1 part (datadir/latency_TRACE.l1: its min and max).
n = words(traces)
if (fmt eq 'svg') {
    set terminal svg size 1400,400*n+60 dynamic enhanced font 'Sans,12' background '#ffffff'
} else {
    set terminal pngcairo size 1400,400*n+60 enhanced font 'Sans,10'
}
set output out
set datafile separator "\t"
set key autotitle columnheader
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border rgb '#444444'
set boxwidth 0.8
set xtics rotate by 90 right font ',9' nomirror
set grid ytics lc rgb '#dddddd'
set yrange [0:*]
set ylabel 'cycles per reference'
set key outside right top vertical font ',10'
set multiplot layout n, 1 title "Mean translation latency per reference beyond the L1 lookup, by where the cycles went\n(L1 TLB 32 entries fully associative LRU; bars: L2 TLB entries / walk-cache entries / DRAM timing)"
do for [k = 1:n] {
    t = word(traces, k)
    f = sprintf('%s/latency_%s.dat', datadir, t)
    l1 = system(sprintf("cat '%s/latency_%s.l1'", datadir, t))
    set title sprintf("%s  (not drawn: latency.l1 = %s cycles per reference in every bar)", t, \
        word(l1, 1) eq word(l1, 2) ? word(l1, 1) : word(l1, 1).' to '.word(l1, 2))
    plot f using 3:xtic(1) title 'L2 TLB' lc rgb '#3182bd', \
         '' using 4 title 'walk cache' lc rgb '#31a354', \
         '' using 5 title 'page walk' lc rgb '#e6550d', \
         '' using 6 title 'fault handler' lc rgb '#756bb1'
}
unset multiplot
