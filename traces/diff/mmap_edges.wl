# The edges of mmap and msync, as Linux answers them (mm/mmap.c do_mmap,
# round_hint_to_min, __get_unmapped_area, file_mmap_ok; mm/msync.c).
#
# The top of user space differs: 2^38 under Sv39, 2^47 under Sv48, 2^47 - 4096 on an
# x86-64 host, 2^56 - 4096 on one with 5-level paging.  So a range "beyond user space"
# here starts at 2^56 or wraps around 2^64: beyond every one of those tops.
#
# 1. msync rounds the length up to pages modulo 2^64: a range that then wraps is
#    ENOMEM, but a length that rounds to 0 (above 2^64 - 4096) is no range at all and
#    succeeds.
# 2. mmap fixed of a range beyond user space, or wrapping, is ENOMEM; the range is
#    checked before the alignment, so an unaligned address there is ENOMEM too.
# 3. A file mapping whose offset + length passes the largest file (2^63 - 1 bytes) is
#    EOVERFLOW, checked after the address; one that ends just below is mapped, and its
#    pages lie past the end of the file: SIGBUS.
# 4. A hint is rounded DOWN to its page (round_hint_to_min), used when that range is
#    free; a hint below 4096 thus becomes 0, no hint at all.  A hint below the lowest
#    user address (mmap_min_addr: 0x10000 here and on most distributions, 4096 on some
#    hosts) is raised to it: the scenario only looks at pages inside the area wherever
#    the host's minimum lies between 4096 and 0x10000.
file f size 4096 fill 0x66
spawn 1
mmap 1 0x20000000 4096 rw shared f 0 as m
msync 1 m 0xfffffffff0000000                      # ENOMEM: m + len wraps past 0
msync 1 m 0xffffffffffffffff                      # success: the length rounds to 0
msync 1 m 0xfffffffffffff001                      # success likewise
msync 1 m 0x100000000000000                       # ENOMEM: runs past user space
mmap 1 0xfffffffffffff000 8K rw private,anon,fixed     # ENOMEM: wraps
mmap 1 0x100000000000000 4096 rw private,anon,fixed    # ENOMEM: beyond user space
mmap 1 0x100000000000800 4096 rw private,anon,fixed    # ENOMEM, not EINVAL
mmap 1 0x20000800 4096 rw private,anon,fixed           # EINVAL: inside, unaligned
mmap 1 0 4096 r private f 0x7ffffffffffff000           # EOVERFLOW: ends at 2^63
mmap 1 0 8K r shared f 0x7fffffffffffe000              # EOVERFLOW likewise
mmap 1 0 4096 r private f 0xfffffffffffff000           # EOVERFLOW: page offset 2^52 - 1
mmap 1 0xfffffffffffff000 8K r private,fixed f 0x7ffffffffffff000  # ENOMEM: address first
mmap 1 0x30000000 4096 r private f 0x7fffffffffffe000 as last      # fine: ends at 2^63 - 4096
load 1 m 1
load 1 last 1                                     # SIGBUS: past the end of the file
spawn 2
mmap 2 0x20000800 4096 rw private,anon            # placed at 0x20000000
load 2 0x20000000 1
mmap 2 0x8000 64K rw private,anon                 # raised to 0x10000 (0x8000 on a 4096 host)
load 2 0x10000 1
load 2 0x17fff 1
spawn 3
mmap 3 0x800 4096 rw private,anon                 # no hint: placed top-down, not at 0x10000
load 3 0x10000 1                                  # SIGSEGV

# Expected output:
#= 1: msync: ENOMEM
#= 1: msync: ENOMEM
#= 1: mmap: ENOMEM
#= 1: mmap: ENOMEM
#= 1: mmap: ENOMEM
#= 1: mmap: EINVAL
#= 1: mmap: EOVERFLOW
#= 1: mmap: EOVERFLOW
#= 1: mmap: EOVERFLOW
#= 1: mmap: ENOMEM
#= 1: load m 1: 66
#= 1: killed by SIGBUS (adrerr) at last
#= 2: load 0x20000000 1: 00
#= 2: load 0x10000 1: 00
#= 2: load 0x17fff 1: 00
#= 3: killed by SIGSEGV (maperr) at 0x10000
