#!/bin/sh
# covreport.sh COVDIR CONFIG... : merges the Verilator coverage of every
# lockstep run (line, toggle) and reports the functional points per
# configuration.  Exit 1 when a functional point was never hit.
set -u
dir=$1
shift
verilator_coverage --write "$dir/merged.dat" "$dir"/*/points.*.dat > /dev/null
echo "== Verilator coverage (every configuration, random + fill + vectors)"
verilator_coverage --annotate "$dir/annotated" --annotate-min 1 "$dir/merged.dat" | sed 's/^/  /'
# a point's name is key\002value fields joined by \001; the page field is
# v_KIND/MODULE (MODULE with its parameter suffix: one point per specialization)
awk -F"'" '/^C /{ nf = split($2, f, "\001"); kind = "";
                 for (i = 1; i <= nf; i++) { split(f[i], kv, "\002");
                     if (kv[1] == "page") { kind = kv[2]; sub(/\/.*/, "", kind); sub(/^v_/, "", kind) } }
                 n = $3 + 0; t[kind]++; if (n > 0) h[kind]++ }
           END { for (k in t) printf "  %-8s %6d of %6d points hit (%.1f%%)\n", k, h[k], t[k], 100.0 * h[k] / t[k] }' \
    "$dir/merged.dat" | sort
echo "== functional points"
missing=0 total=0
for c in "$@"; do
    f=$dir/$c/points
    [ -f "$f" ] || { echo "  $c: no points file"; missing=$((missing + 1)); continue; }
    out=$(awk '{ n = $NF; $NF = ""; sub(/ $/, ""); c[$0] += n; if (!($0 in o)) { o[$0] = ++k; name[k] = $0 } }
               END { for (i = 1; i <= k; i++) print c[name[i]] "\t" name[i] }' "$f")
    t=$(printf '%s\n' "$out" | wc -l)
    h=$(printf '%s\n' "$out" | awk -F'\t' '$1 > 0' | wc -l)
    total=$((total + t))
    echo "  $c: $h of $t points hit"
    printf '%s\n' "$out" | awk -F'\t' '$1 == 0 { print "    NOT HIT: " $2 }'
    missing=$((missing + t - h))
done
if [ "$missing" -eq 0 ]; then
    echo "coverage: every functional point hit ($total points over $# configurations)"
else
    echo "coverage: $missing functional points not hit"
    exit 1
fi
