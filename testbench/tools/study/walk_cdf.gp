# walk_cdf.gp: cumulative distribution of the walk latency (cycles from accept
# to response of the requests that walked), fixed vs DDR DRAM timing, with and
# without a walk cache, for the sweep-(b) runs with tlb.l2.entries = cdf_l2.
# testbench/tools/study.sh sets datadir, traces, fmt, out and cdf_l2.
# Data: datadir/cdf_TRACE_pwcP_TIMING.dat (cdf.awk): latency, fraction <= it.
n = words(traces)
if (fmt eq 'svg') {
    set terminal svg size 1500,520 dynamic enhanced font 'Sans,12' background '#ffffff'
} else {
    set terminal pngcairo size 1500,520 enhanced font 'Sans,10'
}
set output out
set multiplot layout 1, n title sprintf("Walk latency CDF (L1 TLB 32 entries fully associative LRU, %s)", cdf_l2 eq '0' ? 'no L2 TLB' : 'L2 TLB '.cdf_l2.' entries')
set xlabel 'walk latency (cycles, accept to response)'
set yrange [0:1.02]
set xrange [0:*]
set grid xtics ytics lc rgb '#dddddd'
set key bottom right font ',9'
pwcs = '0 8 32'
dram = 'fixed ddr'
do for [k = 1:n] {
    t = word(traces, k)
    set title t
    if (k == 1) { set ylabel 'fraction of walks <= latency' } else { unset ylabel }
    plot for [d = 1:2] for [p = 1:3] \
        sprintf('%s/cdf_%s_pwc%s_%s.dat', datadir, t, word(pwcs, p), word(dram, d)) using 1:2 \
        with steps lw 1.8 lc p dt d \
        title sprintf('%s DRAM, %s', word(dram, d), word(pwcs, p) eq '0' ? 'no walk cache' : 'walk cache '.word(pwcs, p))
}
unset multiplot
