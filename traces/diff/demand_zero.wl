# Demand-zero pages (CS:APP 9.8.1, anonymous files): every page of an anonymous area
# reads as zeros until written, private or shared, read-only or not; a store touches
# only its page.  After munmap and a new mmap at the same place the pages are fresh
# zeros again (the old data is gone).
spawn 1
mmap 1 0x20000000 1M rw private,anon as z
load 1 z 16
load 1 z+0x7fff0 16
load 1 z+1048560 16
store 1 z+0x80000 8 0xffffffffffffffff
load 1 z+0x7fffc 8
load 1 z+0x81000 4          # the next page: still zero
mmap 1 0x30000000 64K r shared,anon as s
load 1 s+65535 1
mmap 1 0x38000000 8K r private,anon as r
load 1 r+4096 8
munmap 1 z 1M
mmap 1 z 1M rw private,anon as z2
load 1 z2+0x80000 8

# Expected output:
#= 1: load z 16: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
#= 1: load z+0x7fff0 16: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
#= 1: load z+1048560 16: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
#= 1: load z+0x7fffc 8: 00 00 00 00 ff ff ff ff
#= 1: load z+0x81000 4: 00 00 00 00
#= 1: load s+65535 1: 00
#= 1: load r+4096 8: 00 00 00 00 00 00 00 00
#= 1: load z2+0x80000 8: 00 00 00 00 00 00 00 00
