# csv.awk: column access by NAME for the CSVs of `mmusim sweep` (docs/studies.md).
# Include with -f before a program; in the program, col("name") is the field of
# that column in the current row ("" when the cell is empty) and num("name") the
# same as a number (an empty cell or a column the CSV lacks is 0: a statistic
# that a configuration does not have, such as latency.l2 without an L2 TLB).
# has("name") says whether the header has the column. The header is read from
# the first line; the program sees data rows only, with NR > 1.
# Fields are split at commas: the sweep quotes a field only when it holds a
# comma, a quote or a line break, and none of the columns used here do; a row
# holding a quote stops the script rather than be misread.
BEGIN { FS = "," }
NR == 1 {
    for (i = 1; i <= NF; i++) CSV_COL[$i] = i
    CSV_NCOL = NF
    next
}
index($0, "\"") {
    printf "%s:%d: quoted CSV field; csv.awk reads plain fields only\n", FILENAME, FNR > "/dev/stderr"
    exit 2
}
function has(name) { return (name in CSV_COL) }
function col(name) { return (name in CSV_COL) ? $(CSV_COL[name]) : "" }
function num(name,   v) { v = col(name); return v == "" ? 0 : v + 0 }
function need(name) {
    if (!(name in CSV_COL)) {
        printf "%s: no column '%s'\n", FILENAME, name > "/dev/stderr"
        CSV_ERR = 1
        exit 2
    }
}
