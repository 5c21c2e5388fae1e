#!/bin/sh
# bad_input.sh MMUSIM : malformed inputs, tried as a new user would.  Each
# must exit 2 with a message naming the file and line (or the option).
set -u
mmusim=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
pass=0 fail=0

# expect NAME PATTERN CMD... : CMD exits 2 (or $want) and its stderr matches PATTERN.
want=2
expect() {
    name=$1 pattern=$2
    shift 2
    "$@" >"$dir/out" 2>"$dir/err"
    rc=$?
    if [ $rc -eq "$want" ] && grep -q -- "$pattern" "$dir/err"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $name: exit $rc, stderr:" >&2
        cat "$dir/err" >&2
    fi
}

printf 'satp sv39 1 0x80001\nt 0x1000\n' >"$dir/trunc.vec"
expect "truncated t line" "trunc.vec:2:" "$mmusim" vectors "$dir/trunc.vec"
printf 'satp sv39 1\n' >"$dir/trunc2.vec"
expect "truncated satp line" "trunc2.vec:1:" "$mmusim" vectors "$dir/trunc2.vec"
printf '# ok\nfrobnicate 1 2\n' >"$dir/unknown.vec"
expect "unknown directive" "unknown.vec:2: unknown directive" "$mmusim" vectors "$dir/unknown.vec"
printf 'mem 0x8000100g 1\n' >"$dir/badnum.vec"
expect "bad number" "badnum.vec:1: bad number" "$mmusim" vectors "$dir/badnum.vec"
printf 'mem 0x10 1\n' >"$dir/outside.vec"
expect "mem outside DRAM" "outside.vec:1:" "$mmusim" vectors "$dir/outside.vec"
printf 't 0x1000 r => maybe 0x1\n' >"$dir/badexp.vec"
expect "bad expectation" "badexp.vec:1:" "$mmusim" vectors "$dir/badexp.vec"
printf 't 0x1000 r => fault load-pag\n' >"$dir/badkind.vec"
expect "bad fault kind" "badkind.vec:1: unknown fault kind" "$mmusim" vectors "$dir/badkind.vec"
printf 'satp sv39 0x10000 0x80001\n' >"$dir/asid.vec"
expect "ASID too wide" "asid.vec:1:" "$mmusim" vectors "$dir/asid.vec"
printf 'dram 0x80000001 0x1000\n' >"$dir/dram.vec"
expect "misaligned dram" "dram.vec:1:" "$mmusim" vectors "$dir/dram.vec"
expect "missing vector file" "nosuch.vec: cannot open" "$mmusim" vectors "$dir/nosuch.vec"
printf 'satp sv39 1 0x80001\nt 0x1000 r\n' >"$dir/nocheck.vec"
want=1
expect "vector file that checks nothing" "nocheck.vec: nothing was checked" "$mmusim" vectors "$dir/nocheck.vec"
want=2

printf 'tlb.l1.entries = 32\ntlb.l1.wayz = 4\n' >"$dir/key.cfg"
expect "bad config key" "key.cfg:2:" "$mmusim" config --config "$dir/key.cfg"
printf 'tlb.l1.entries = 3x2\n' >"$dir/num.cfg"
expect "bad config number" "num.cfg:1:" "$mmusim" config --config "$dir/num.cfg"
printf 'tlb.l1.policy\n' >"$dir/trunc.cfg"
expect "truncated config line" "trunc.cfg:1:" "$mmusim" config --config "$dir/trunc.cfg"
expect "bad --set key" "nosuch" "$mmusim" config --set nosuch=1
expect "bad --set value" "tlb.l1.policy" "$mmusim" config --set tlb.l1.policy=mru
expect "inconsistent config" "invalid configuration" "$mmusim" config --set tlb.l1.entries=12 --set tlb.l1.ways=8

printf 'I  0401000,4\n L 1ffefffd88\n' >"$dir/trunc.lackey"
expect "truncated trace line" "trunc.lackey:2:" "$mmusim" trace "$dir/trunc.lackey"
printf 'X  0401000,4\n' >"$dir/kind.lackey"
expect "unknown trace record" "kind.lackey:1:" "$mmusim" trace "$dir/kind.lackey"

expect "unknown command" "unknown command" "$mmusim" frobnicate
expect "unknown option" "unknown option" "$mmusim" vectors --frob x.vec
expect "missing option argument" "needs" "$mmusim" trace --config
expect "bad stats format" "not one of" "$mmusim" trace --stats xml x
expect "no arguments" "usage" "$mmusim"

# Workloads (docs/workload.md): every error found before anything runs, nothing printed.
wl() { printf "$2" >"$dir/$1.wl"; }
wl wl_trunc 'spawn 1\nmmap 1 0 4096 rw\n'
expect "workload: truncated mmap" "wl_trunc.wl:2:" "$mmusim" run "$dir/wl_trunc.wl"
wl wl_unknown 'spawn 1\nfrobnicate 1\n'
expect "workload: unknown command" "wl_unknown.wl:2: unknown command" "$mmusim" run "$dir/wl_unknown.wl"
wl wl_badnum 'spawn 1\nload 1 0x1000q 4\n'
expect "workload: bad number" "wl_badnum.wl:2: bad address" "$mmusim" run "$dir/wl_badnum.wl"
wl wl_name 'spawn 1\nload 1 buf 4\n'
expect "workload: unbound name" "wl_name.wl:2: name buf is not bound" "$mmusim" run "$dir/wl_name.wl"
wl wl_prot 'spawn 1\nmmap 1 0 4096 rq private,anon\n'
expect "workload: bad prot" "wl_prot.wl:2: bad PROT" "$mmusim" run "$dir/wl_prot.wl"
wl wl_file 'spawn 1\nmmap 1 0 4096 r shared nosuch 0\n'
expect "workload: unknown file" "wl_file.wl:2: unknown file nosuch" "$mmusim" run "$dir/wl_file.wl"
wl wl_pid 'spawn 70000\n'
expect "workload: bad pid" "wl_pid.wl:1: bad PID" "$mmusim" run "$dir/wl_pid.wl"
wl wl_store 'spawn 1\nstore 1 0x1000 3 7\n'
expect "workload: bad store size" "wl_store.wl:2: store SIZE" "$mmusim" run "$dir/wl_store.wl"
wl wl_set 'set os.policy belady\n'
expect "workload: bad set" "wl_set.wl:1: os.policy" "$mmusim" run "$dir/wl_set.wl"
wl wl_exec 'execve 1 /etc/hostname\n'
expect "workload: execve of a non-ELF" "wl_exec.wl:1: execve" "$mmusim" run "$dir/wl_exec.wl"
# Host files that are not regular files: a FIFO must be refused, not waited on (timeout turns a
# hang into a failure), and /proc's size-0 files must not read as empty.
mkfifo "$dir/fifo"
mkdir "$dir/sub"
wl wl_host_fifo "file f host $dir/fifo\n"
expect "workload: file host FIFO" "wl_host_fifo.wl:1: $dir/fifo: is a FIFO$" timeout 10 "$mmusim" run "$dir/wl_host_fifo.wl"
wl wl_host_dir "file f host $dir/sub\n"
expect "workload: file host directory" "wl_host_dir.wl:1: $dir/sub: is a directory$" "$mmusim" run "$dir/wl_host_dir.wl"
wl wl_host_proc 'file f host /proc/self/status\n'
expect "workload: file host /proc" "wl_host_proc.wl:1: /proc/self/status: is not a regular file (it reads other than its size, 0 bytes)$" "$mmusim" run "$dir/wl_host_proc.wl"
wl wl_exec_fifo "execve 1 $dir/fifo\n"
expect "workload: execve FIFO" "wl_exec_fifo.wl:1: execve: $dir/fifo: is a FIFO$" timeout 10 "$mmusim" run "$dir/wl_exec_fifo.wl"
wl wl_exec_dir "execve 1 $dir/sub\n"
expect "workload: execve directory" "wl_exec_dir.wl:1: execve: $dir/sub: is a directory$" "$mmusim" run "$dir/wl_exec_dir.wl"
wl wl_exec_proc 'execve 1 /proc/self/status\n'
expect "workload: execve /proc" "wl_exec_proc.wl:1: execve: /proc/self/status: is not a regular file (it reads other than its size, 0 bytes)$" "$mmusim" run "$dir/wl_exec_proc.wl"
wl wl_nul 'spawn 1\nspawn 2\000 # the rest is hidden\n'
expect "workload: NUL byte" "wl_nul.wl:2: NUL byte in line$" "$mmusim" run "$dir/wl_nul.wl"
printf '1 2\n3\0004\n' >"$dir/nul.refs"
expect "refs: NUL byte" "nul.refs:2: NUL byte in line$" "$mmusim" run --refs "$dir/nul.refs"
printf '1 2 zz 3\n' >"$dir/bad.refs"
expect "refs: bad page number" "bad.refs:1: bad page number zz" "$mmusim" run --refs "$dir/bad.refs"
printf '1 2 3\n' >"$dir/opt.refs"
expect "trace: opt needs the future" "os.policy = opt needs the future" "$mmusim" trace --set os.policy=opt "$dir/opt.refs"
expect "bad os key value" "os.asids" "$mmusim" run --set os.asids=1 "$dir/opt.refs"

echo "bad input: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
