# get.awk (after csv.awk): -v where="KEY=VALUE ..." -v stats="STAT ...":
# prints the statistics of the first row whose columns match every KEY=VALUE
# (an empty cell is 0), separated by spaces; exits 1 when no row matches.
BEGIN { nw = split(where, w, " "); ns = split(stats, s, " ") }
!done {
    for (i = 1; i <= nw; i++) {
        eq = index(w[i], "="); k = substr(w[i], 1, eq - 1); v = substr(w[i], eq + 1)
        need(k)
        if (col(k) != v) next
    }
    for (i = 1; i <= ns; i++) { need(s[i]); printf "%s%s", num(s[i]), (i < ns ? " " : "\n") }
    done = 1
}
END { if (CSV_ERR) exit 2; if (!done) { printf "get.awk: no row with %s\n", where > "/dev/stderr"; exit 1 } }
