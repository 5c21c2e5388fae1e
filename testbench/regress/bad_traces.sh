#!/bin/sh
# bad_traces.sh MMUSIM : a malformed trace of every format (docs/traces.md), read by
# `mmusim trace` with --format and guessed, plain and compressed, and by `mmusim convert`.
# Each must exit 2 with "FILE:RECORD:" on stderr.
set -u
mmusim=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
pass=0 fail=0

# expect NAME PATTERN CMD... : CMD exits 2 and its stderr matches PATTERN.
expect() {
    name=$1 pattern=$2
    shift 2
    "$@" >"$dir/out" 2>"$dir/err"
    rc=$?
    if [ $rc -eq 2 ] && grep -q -- "$pattern" "$dir/err"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $name: exit $rc, stderr:" >&2
        cat "$dir/err" >&2
    fi
}

# bad FORMAT FILE RECORD : FILE (in $dir) is malformed at RECORD; try it every way.
bad() {
    fmt=$1 file=$2 rec=$3
    expect "$fmt --format" "$file:$rec:" "$mmusim" trace --format "$fmt" "$dir/$file"
    expect "$fmt guessed" "$file:$rec:" "$mmusim" trace "$dir/$file"
    gzip -c "$dir/$file" >"$dir/$file.gz"
    expect "$fmt gzip" "$file.gz:$rec:" "$mmusim" trace --format "$fmt" "$dir/$file.gz"
    expect "$fmt convert" "$file:$rec:" "$mmusim" convert --format "$fmt" "$dir/$file" "$dir/out.mmt"
    [ ! -e "$dir/out.mmt" ] || { fail=$((fail + 1)); echo "FAIL: $fmt convert left out.mmt" >&2; rm -f "$dir/out.mmt"; }
}

printf '==1== lackey\nI  0401000,4\n L 1ffefffd88\n' >"$dir/short.lackey"
bad lackey short.lackey 3
printf 'I  0401000,4\n L 1000,0\n' >"$dir/size0.lackey"
bad lackey size0.lackey 2

printf '2 401000\n0 402000\n7 2000\n' >"$dir/label.din"
bad din label.din 3
printf '2 401000\n0 12g4\n' >"$dir/hex.din"
bad din hex.din 2
printf '2 401000\n0\n' >"$dir/short.din"
bad din short.din 2

# ChampSim: two 64-byte records (ip 0x401000, no memory operands), then 10 stray bytes.
rec='\000\020\100\000\000\000\000\000'
zero8='\000\000\000\000\000\000\000\000'
champ() { printf "$rec$zero8$zero8$zero8$zero8$zero8$zero8$zero8"; }
{ champ; champ; printf '\001\002\003\004\005\006\007\010\011\012'; } >"$dir/trunc.champsim"
bad champsim trunc.champsim 3
cp "$dir/trunc.champsim" "$dir/trunc.cloudsuite" # 138 bytes: one 96-byte record and 42 more
bad cloudsuite trunc.cloudsuite 2

# mmt: header (version 1, 3 records), a load at 0x401000, then an access of reserved type 3.
# (Valid references stay above 0x10000, where a traced process has its memory.)
hdr='MMUTRACE\001\000\000\000\000\000\000\000\003\000\000\000\000\000\000\000'"$zero8"
printf "$hdr"'\000\020\100\000\000\000\014\000\000\020\100\000\000\000\017\000' >"$dir/acc.mmt"
bad mmt acc.mmt 2
printf "$hdr"'\000\020\100\000\000\000\014\000\000\020\100\000\000\000\014\000\000\000\000\000\000\000\000\205' >"$dir/type.mmt"
bad mmt type.mmt 3
printf "$hdr"'\000\020\100\000\000\000\014\000\000\020\000' >"$dir/trunc.mmt"
bad mmt trunc.mmt 2

# Records the target cannot express.
printf '0 1000\n5 2000\n' >"$dir/sfence.din"
expect "convert: sfence to lackey" "sfence.din:2: lackey cannot express" "$mmusim" convert "$dir/sfence.din" "$dir/o.lackey"
printf 'I  1000,4\n L 1ffe,4\n' >"$dir/cross.lackey"
expect "convert: page crossing to din" "cross.lackey:2: din cannot express" "$mmusim" convert "$dir/cross.lackey" "$dir/o.din"
expect "convert: to champsim" "input format only" "$mmusim" convert --to champsim "$dir/sfence.din" "$dir/o.champsim"
expect "convert: unknown output name" "--to" "$mmusim" convert "$dir/sfence.din" "$dir/o.trace"
expect "trace: unknown format" "dinero" "$mmusim" trace --format dinero "$dir/sfence.din"
expect "trace: missing file" "nosuch.din: cannot open" "$mmusim" trace "$dir/nosuch.din"

# Standard input, compressed.
gzip -c "$dir/label.din" >"$dir/stdin.gz"
expect "stdin gzip" "-:3:" sh -c '"$1" trace - <"$2"' sh "$mmusim" "$dir/stdin.gz"

echo "bad traces: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
