# A file mapping may extend past the end of the file.  The last page of the file reads
# as the file then zeros (the tail of the page); a page of the mapping entirely past
# the end of the file is SIGBUS with BUS_ADRERR, even for a private writable mapping
# (the fault must read the file page before copying it); past the end of the area it
# is SIGSEGV maperr.  An empty file maps fine and any access is SIGBUS.
# seq: byte i is i mod 251, so file bytes 4990..4999 are 0xdd..0xe6.
# (No store into the tail here: Linux keeps such bytes in the page cache only until the
# page is written back, and ext4 writeback, msync included, zeroes the tail again, so
# the result depends on the filesystem and on timing.)
file f size 5000 seq
spawn 1
mmap 1 0x20000000 12K r shared f 0 as m
load 1 m+4990 10
load 1 m+5000 8             # the zero tail of the last page
load 1 m+8191 1
fork 1 2
load 2 m+8192 1             # killed: SIGBUS
load 1 m+12288 1            # killed: maperr (past the area)
spawn 3
mmap 3 0x20000000 8K rw private f 4096 as p
load 3 p+903 2              # file byte 4999, then the tail
store 3 p+4096 1 1          # killed: SIGBUS
file empty size 0
spawn 4
mmap 4 0x20000000 4096 r private empty 0 as e
load 4 e 1                  # killed: SIGBUS

# Expected output:
#= 1: load m+4990 10: dd de df e0 e1 e2 e3 e4 e5 e6
#= 1: load m+5000 8: 00 00 00 00 00 00 00 00
#= 1: load m+8191 1: 00
#= 2: killed by SIGBUS (adrerr) at m+8192
#= 1: killed by SIGSEGV (maperr) at m+12288
#= 3: load p+903 2: e6 00
#= 3: killed by SIGBUS (adrerr) at p+4096
#= 4: killed by SIGBUS (adrerr) at e
