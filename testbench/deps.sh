#!/bin/sh
# Installs the Debian packages mmusim needs, or says how to.
# Exit 0 when everything is present, 2 when packages are missing and we
# cannot install them (not root), 1 when apt-get itself failed.
set -u
PKGS="gcc g++ make pkg-config googletest libgtest-dev verilator libsystemc-dev gzip yosys"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
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
