#!/bin/sh
# sparse_mem.sh MMUSIM : untouched memory costs nothing (issue 11).  One Sv48
# process maps 1 TiB shared and 1 TiB private anonymous memory, touches ten
# pages spread over each, reads them and their zero neighbours back, forks,
# msyncs, unmaps and exits, all under --check.  The output must be the
# expected lines and the whole run must stay under 10 MiB of host memory
# (maximum resident set, /usr/bin/time -f %M): before the maps were sparse,
# the shared area alone cost 1 GiB and seconds.  Run it on the plain build:
# the sanitizers' shadow memory alone passes the limit.
set -u
if [ $# -ne 1 ]; then
    echo "usage: $0 MMUSIM" >&2
    exit 2
fi
mmusim=$1
limit_kb=10240
timer=/usr/bin/time
if [ ! -x "$timer" ]; then
    echo "sparse_mem: $timer is needed to measure the run's memory" >&2
    exit 2
fi
dir=$(mktemp -d "${TMPDIR:-/tmp}/sparse_mem.XXXXXX") || exit 2
trap 'rm -rf "$dir"' EXIT INT TERM

# off K: touched page K of 1 TiB, nine a tenth apart (0x1999999000 bytes), the tenth the last
# page; zero K: an untouched neighbour of it.
off() { printf '0x%x' $(($1 < 9 ? $1 * 0x1999999000 : 0xfffffff000)); }
zero() { printf '0x%x' $(($1 < 9 ? $1 * 0x1999999000 + 4096 : 0xffffffe000)); }
{
    echo "spawn 1"
    echo "mmap 1 0 1T rw shared,anon as a"
    echo "mmap 1 0 1T rw private,anon as b"
    for k in 0 1 2 3 4 5 6 7 8 9; do
        echo "store 1 a+$(off $k) 1 $((k + 1))"
        echo "store 1 b+$(off $k) 1 $((k + 0x81))"
    done
    for k in 0 1 2 3 4 5 6 7 8 9; do
        echo "load 1 a+$(off $k) 2"
        echo "load 1 b+$(off $k) 2"
        echo "load 1 a+$(zero $k) 2"
        echo "load 1 b+$(zero $k) 2"
    done
    echo "fork 1 2"
    echo "store 2 a+0x1999999000 1 0x55"
    echo "store 2 b+0x1999999000 1 0x66"
    echo "load 1 a+0x1999999000 1"
    echo "load 1 b+0x1999999000 1"
    echo "load 2 b+0x1999999000 1"
    echo "msync 1 a 1T"
    echo "munmap 1 b 1T"
    echo "exit 1"
    echo "load 2 a+0xfffffff000 1"
    echo "exit 2"
} >"$dir/sparse.wl"
{
    for k in 0 1 2 3 4 5 6 7 8 9; do
        printf '1: load a+%s 2: %02x 00\n' "$(off $k)" $((k + 1))
        printf '1: load b+%s 2: %02x 00\n' "$(off $k)" $((k + 0x81))
        printf '1: load a+%s 2: 00 00\n' "$(zero $k)"
        printf '1: load b+%s 2: 00 00\n' "$(zero $k)"
    done
    echo "1: load a+0x1999999000 1: 55"
    echo "1: load b+0x1999999000 1: 82"
    echo "2: load b+0x1999999000 1: 66"
    echo "2: load a+0xfffffff000 1: 0a"
} >"$dir/expected"

"$timer" -f %M -o "$dir/rss" "$mmusim" run --check --stats none --set mode=sv48 "$dir/sparse.wl" \
    >"$dir/out" 2>"$dir/err"
rc=$?
rss=$(tail -n 1 "$dir/rss")
fail=0
if [ $rc -ne 0 ]; then
    echo "FAIL sparse_mem: exit $rc: $(grep -m 1 . "$dir/err")"
    fail=1
elif ! cmp -s "$dir/expected" "$dir/out"; then
    echo "FAIL sparse_mem: output differs (< expected, > sim)"
    diff -a "$dir/expected" "$dir/out" | head -n 12 | sed 's/^/    /'
    fail=1
fi
if [ "$rss" -ge $limit_kb ] 2>/dev/null; then
    echo "FAIL sparse_mem: ${rss} KiB of host memory for 2 TiB touched in 20 pages (limit $limit_kb KiB)"
    fail=1
elif ! [ "$rss" -ge 0 ] 2>/dev/null; then
    echo "FAIL sparse_mem: no memory figure from $timer: $rss"
    fail=1
fi
[ $fail -eq 0 ] && echo "sparse_mem: ok (${rss} KiB)"
exit $fail
