# A private copy-on-write object (CS:APP 9.8.1, figure 9.30): two processes map the same
# file privately.  Reads share the page-cache frame; the first write of each page copies
# it, so each process sees its own writes and the file sees none.  A private anonymous
# page written before fork is shared read-only afterwards; the first write copies it, and
# the last holder writes in place (COW reuse).
file obj text private object\n
spawn 1
spawn 2
mmap 1 0x20000000 4K rw private obj 0 as p
mmap 2 0x20000000 4K rw private obj 0 as q
load 1 p 7
put 1 p P
put 2 q+1 R
load 1 p 7
load 2 q 7
print obj
mmap 1 0x30000000 4K rw private,anon as h
store 1 h 4 0x64636261
fork 1 3
store 3 h 1 0x41              # copy: the page is shared with process 1
store 1 h+1 1 0x42            # reuse: process 1 holds the last reference
load 1 h 4
load 3 h 4

#= 1: load p 7: 70 72 69 76 61 74 65
#= 1: load p 7: 50 72 69 76 61 74 65
#= 2: load q 7: 70 52 69 76 61 74 65
#= private object
#= 1: load h 4: 61 42 63 64
#= 3: load h 4: 41 62 63 64
