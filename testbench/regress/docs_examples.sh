#!/bin/sh
# docs_examples.sh MMUSIM [FILE.md...] : runs every example of the README and
# docs/ and compares its output with what the page shows.
#
# The convention, inside a fenced code block of a page:
#   $ COMMAND            a checked command, run by sh in a scratch folder that
#                        has the repository's configs/ traces/ testbench/ docs/
#                        and build/ (MMUSIM's folder, so build/mmusim and the
#                        lockstep binaries build/rtl/CFG/lockstep), with
#                        mmusim on PATH; `make ...` runs in the repository,
#                        outside any make, with BUILD set to MMUSIM's folder.
#   lines after it       its expected output: stdout, then stderr, up to the
#                        next `$ ` line or the end of the block; `...` stands
#                        for any number of lines; `[exit N]` for a status N
#                        (else 0 is expected).  Trailing blanks are ignored,
#                        and MMUSIM's folder is printed as build/.
# A block right after a line `<!-- example: NAME -->` is a file the commands
# of the page may use: it is written to NAME in the scratch folder first.
# Lines of a block that do not start with `$ ` before the first command are
# illustrations, not run (installing packages, valgrind, a waveform viewer).
#
# Prints one line per failing example with its FILE:LINE and the difference;
# exit 1 if any fails, 2 on bad usage.
set -u
if [ $# -lt 1 ]; then
    echo "usage: $0 MMUSIM [FILE.md...]" >&2
    exit 2
fi
root=$(cd "$(dirname "$0")/../.." && pwd)
mmusim=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
bdir=$(dirname "$mmusim")
shift
[ $# -gt 0 ] || set -- "$root"/README.md "$root"/docs/*.md "$root"/testbench/vectors/README.md "$root"/traces/README.md
tmp=$(mktemp -d "${TMPDIR:-/tmp}/docs_examples.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

# match EXPECTED ACTUAL : 0 when ACTUAL's lines equal EXPECTED's, `...` matching any run.
match() {
    awk -v wantf="$1" 'BEGIN {
        while ((getline l < wantf) > 0) e[++m] = l
    }
    { a[++n] = $0 }
    END {
        # ok[i, j]: e[i..m] matches a[j..n]
        for (i = m + 1; i >= 1; i--)
            for (j = n + 1; j >= 1; j--) {
                if (i > m) r = (j > n)
                else if (e[i] == "...") r = ok[i + 1, j] || (j <= n && ok[i, j + 1])
                else r = (j <= n && e[i] == a[j] && ok[i + 1, j + 1])
                ok[i, j] = r
            }
        exit !ok[1, 1]
    }' "$2"
}

n=0 fail=0
for md in "$@"; do
    rel=${md#"$root"/}
    ex=$tmp/$(echo "$rel" | tr / _)
    mkdir -p "$ex/work/bin"
    for d in configs traces testbench docs; do ln -s "$root/$d" "$ex/work/$d"; done
    ln -s "$bdir" "$ex/work/build"
    ln -s "$mmusim" "$ex/work/bin/mmusim"
    # Split the page into files/NAME and cases/K.{cmd,exp,at}.
    awk -v dir="$ex" -v rel="$rel" '
        /^<!-- example: [^ ]+ -->$/ { name = $3; next }
        /^```/ {
            if (!inb) { inb = 1; file = name; name = ""; cur = ""; next }
            inb = 0; file = ""; cur = ""; next
        }
        !inb { if (NF) name = ""; next }
        file != "" { print > (dir "/work/" file); next }
        /^\$ / {
            k++; cur = dir "/case." k
            print substr($0, 3) > (cur ".cmd"); printf "" > (cur ".exp")
            print rel ":" FNR > (cur ".at"); next
        }
        cur != "" { sub(/[ \t]+$/, ""); print > (cur ".exp") }
    ' "$md"
    # in page order: a glob would run case.10 before case.2
    i=1
    while [ -f "$ex/case.$i.cmd" ]; do
        c=$ex/case.$i.cmd
        i=$((i + 1))
        k=${c%.cmd}
        n=$((n + 1))
        cmd=$(cat "$c")
        want=0
        st=$(sed -n 's/^\[exit \([0-9]*\)\]$/\1/p' "$k.exp")
        [ -n "$st" ] && want=$st
        grep -v '^\[exit [0-9]*\]$' "$k.exp" > "$k.want"
        case $cmd in
        make\ *) (cd "$root" && unset MAKEFLAGS MFLAGS MAKELEVEL && sh -c "${cmd%%#*} BUILD=$bdir") > "$k.out" 2> "$k.err" ;;
        *) (cd "$ex/work" && PATH="$ex/work/bin:$PATH" sh -c "$cmd") > "$k.out" 2> "$k.err" ;;
        esac
        rc=$?
        cat "$k.out" "$k.err" | sed "s#$bdir/#build/#g; s#$ex/work/##g; s/[ 	]*\$//" > "$k.got"
        if [ "$rc" -ne "$want" ]; then
            echo "FAIL $(cat "$k.at"): \$ $cmd: exit $rc, the page says $want"
            head -n 5 "$k.got" | sed 's/^/    /'
            fail=$((fail + 1))
        elif ! match "$k.want" "$k.got"; then
            echo "FAIL $(cat "$k.at"): \$ $cmd: output differs (< page, > program)"
            diff "$k.want" "$k.got" | head -n 12 | sed 's/^/    /'
            fail=$((fail + 1))
        fi
    done
done
echo "docs examples: $n run, $((n - fail)) as the pages show, $fail differ"
[ "$fail" -eq 0 ]
