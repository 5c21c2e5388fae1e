# Stores to areas mapped without write permission: SIGSEGV (accerr), and the file is
# not changed.  Read-only shared file mapping, read-only private anonymous mapping
# (demand-zero pages read fine), and a read+execute private file mapping.
file ro text read only\n
spawn 1
mmap 1 0x20000000 4096 r shared ro 0 as m
load 1 m 4
store 1 m 1 0x52            # killed: accerr
print ro
spawn 2
mmap 2 0x20000000 4096 r private,anon as z
load 2 z 1
put 2 z x                   # killed: accerr
spawn 3
mmap 3 0x20000000 4096 rx private ro 0 as t
load 3 t+5 4
store 3 t 2 0               # killed: accerr
print ro

# Expected output:
#= 1: load m 4: 72 65 61 64
#= 1: killed by SIGSEGV (accerr) at m
#= read only
#= 2: load z 1: 00
#= 2: killed by SIGSEGV (accerr) at z
#= 3: load t+5 4: 6f 6e 6c 79
#= 3: killed by SIGSEGV (accerr) at t
#= read only
