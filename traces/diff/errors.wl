# Error returns of mmap, munmap, mprotect and msync as Linux gives them, a command
# naming a process that does not exist, and write() with a bad buffer.
#
# Surprises worth knowing:
# - munmap of a range with nothing mapped succeeds; so does mprotect with length 0.
# - munmap length 0 is EINVAL, but mprotect and msync length 0 succeed.
# - a length that wraps when rounded up to pages (0xffffffffffffffff) is ENOMEM, not
#   EINVAL (mm/mmap.c: `len = PAGE_ALIGN(len); if (!len) return -ENOMEM;`).
# - munmap of a range running past the top of user space is EINVAL, mprotect/msync of
#   one ENOMEM (nothing mapped).
# - write() from an unmapped or PROT_NONE buffer returns EFAULT: a system call that
#   touches a bad user address does not raise SIGSEGV.
# - a taken hint is not an error: the area goes elsewhere (no MAP_FIXED_NOREPLACE).
# - mmap at an offset past the end of the file succeeds; the access is SIGBUS.
file f size 8K fill 0x66
spawn 1
mmap 1 0x20000000 0 rw private,anon                # EINVAL: length 0
mmap 1 0x20000000 4096 r private f 100             # EINVAL: offset not page aligned
mmap 1 0x20000001 4096 rw private,anon,fixed       # EINVAL: fixed address not aligned
mmap 1 0 0x8000000000000000 rw private,anon        # ENOMEM: larger than the address space
mmap 1 0 0xffffffffffffffff rw private,anon        # ENOMEM: wraps when rounded up
munmap 1 0x20000000 0                              # EINVAL
munmap 1 0x20000001 4096                           # EINVAL
munmap 1 0x20000000 0xfffffffffffff000             # EINVAL: past the top of user space
munmap 1 0x28000000 64K                            # nothing mapped: success
mprotect 1 0x20000001 4096 r                       # EINVAL
mprotect 1 0x28000000 4096 r                       # ENOMEM: not mapped
mprotect 1 0x28000000 0 r                          # success
msync 1 0x28000000 4096                            # ENOMEM
load 7 0x20000000 1                                # 7 never existed: ESRCH
mmap 1 0x20000000 8K rw private f 0 as a
mmap 1 0x20000000 4096 rw private,anon as b        # hint taken: placed elsewhere
load 1 b 1                                         # demand zero, not the file
load 1 a 1                                         # the file: not replaced
mmap 1 a+4096 4096 rw private,anon,fixed           # fixed replaces page 1 of a
load 1 a+4096 1
load 1 a+4095 1
write 1 0x28000000 4                               # EFAULT, and no signal
mprotect 1 a 4096 none
write 1 a 4                                        # EFAULT
load 1 a+4096 1                                    # still alive
mmap 1 0 4096 r private f 16384 as beyond          # offset past the end: fine
load 1 beyond 1                                    # killed: SIGBUS
load 1 a+4096 1                                    # ESRCH
exit 1                                             # ESRCH

# Expected output:
#= 1: mmap: EINVAL
#= 1: mmap: EINVAL
#= 1: mmap: EINVAL
#= 1: mmap: ENOMEM
#= 1: mmap: ENOMEM
#= 1: munmap: EINVAL
#= 1: munmap: EINVAL
#= 1: munmap: EINVAL
#= 1: mprotect: EINVAL
#= 1: mprotect: ENOMEM
#= 1: msync: ENOMEM
#= 7: ESRCH
#= 1: load b 1: 00
#= 1: load a 1: 66
#= 1: load a+4096 1: 00
#= 1: load a+4095 1: 66
#= 1: write: EFAULT
#= 1: write: EFAULT
#= 1: load a+4096 1: 00
#= 1: killed by SIGBUS (adrerr) at beyond
#= 1: ESRCH
#= 1: ESRCH
