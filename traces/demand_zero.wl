# Demand-zero pages (CS:APP 9.8.1): anonymous memory and the heap (brk) read as zeros and
# get a frame only when touched.  Reading the tail of a file's last page past its end
# gives zeros too; a page wholly past the end of the file is SIGBUS.
file short text 0123456789
spawn 1
mmap 1 0x20000000 1M rw private,anon as z
load 1 z+0x80000 8
brk 1 0 as heap
brk 1 heap+0x3000
store 1 heap+0x2ff8 8 0x1122334455667788
load 1 heap+0x2ff0 16
mmap 1 0x30000000 8K r private short 0 as f
load 1 f+8 4
load 1 f+0x1000 1

#= 1: load z+0x80000 8: 00 00 00 00 00 00 00 00
#= 1: load heap+0x2ff0 16: 00 00 00 00 00 00 00 00 88 77 66 55 44 33 22 11
#= 1: load f+8 4: 38 39 00 00
#= 1: killed by SIGBUS (adrerr) at f+0x1000
