#!/bin/sh
# deps.sh GROUP : installs the Debian packages a group of make targets needs,
# or says how to.  Groups:
#   build   `make`, `make demo`: a C compiler, make and gzip (the bundled trace)
#   test    `make test`, `make bench`: also g++, googletest, pkg-config, verilator, SystemC
#   systemc `make systemc` and the SystemC example: g++, pkg-config, SystemC
#   rtl     the RTL targets alone (lint, test-rtl, mutants, coverage, ...): g++, verilator
#   synth   `make synth`: yosys
#   study   `make study`: valgrind (real traces), gnuplot, python3 (a traced program)
# Exit 0 when everything is present, 2 when packages are missing and we cannot
# install them (not root), 1 when apt-get itself failed.
set -u
case "${1:-}" in
build) PKGS="gcc make gzip" ;;
test)  PKGS="gcc g++ make gzip xz-utils zstd parallel pkg-config googletest libgtest-dev verilator libsystemc-dev" ;;
systemc) PKGS="gcc g++ make pkg-config libsystemc-dev" ;;
rtl)   PKGS="gcc g++ make verilator" ;;
synth) PKGS="yosys" ;;
study) PKGS="gcc make gzip valgrind gnuplot-nox python3-minimal" ;;
*) echo "usage: $0 build|test|systemc|rtl|synth|study" >&2; exit 2 ;;
esac
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# Off Debian (no dpkg-query), trust the commands that are on PATH.
if ! command -v dpkg-query >/dev/null 2>&1; then
    missing=""
    for p in $PKGS; do
        case $p in googletest|libgtest-dev|libsystemc-dev) continue ;; esac
        command -v "$p" >/dev/null 2>&1 || missing="$missing $p"
    done
fi
[ -z "$missing" ] && exit 0
cmd="apt-get update && apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" != 0 ]; then
    echo "mmusim: missing Debian packages:$missing" >&2
    echo "mmusim: run as root:  $cmd" >&2
    exit 2
fi
echo "mmusim: installing missing Debian packages:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -q && apt-get install -y -q --no-install-recommends $missing; } >&2; then
    echo "mmusim: apt-get failed; try:  $cmd" >&2
    exit 1
fi
