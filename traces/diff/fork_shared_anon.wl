# fork with shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS): parent and child share
# the pages, including pages first touched after the fork; a private area next to it
# diverges.  The shared memory survives the parent's exit.
spawn 1
mmap 1 0x20000000 8K rw shared,anon as s
mmap 1 0x30000000 4K rw private,anon as p
store 1 s 4 0xdeadbeef
fork 1 2
store 2 s+4 4 0xcafef00d
store 2 p 4 0x12345678
load 1 s 8                  # both stores
load 1 p 4                  # zero: private
store 1 s+4096 2 0xabcd     # a page not touched before the fork is shared too
load 2 s+4096 2
exit 1
store 2 s 1 0x01
load 2 s 4

# Expected output:
#= 1: load s 8: ef be ad de 0d f0 fe ca
#= 1: load p 4: 00 00 00 00
#= 2: load s+4096 2: cd ab
#= 2: load s 4: 01 be ad de
