# mprotect splits an area and changes the protection of part of it: a read-only page
# keeps its data and can be read; a store to it is SIGSEGV with SEGV_ACCERR (an area
# exists but does not allow the store).  A forked child can make its own copy writable
# again without affecting the parent.  PROT_NONE refuses loads too; mprotect can later
# open a PROT_NONE area (demand zero).
spawn 1
mmap 1 0x20000000 8K rw private,anon as a
store 1 a 4 0x64636261
mprotect 1 a 4096 r
load 1 a 4                  # abcd: kept
store 1 a+4096 1 0x65       # page 1 is still writable
fork 1 2
mprotect 2 a 4096 rw
store 2 a 1 0x41
load 2 a 4                  # Abcd: the child's copy
load 1 a 4                  # abcd
store 1 a 1 0x41            # killed: accerr
spawn 3
mmap 3 0x20000000 4096 none private,anon as n
load 3 n 1                  # killed: accerr (PROT_NONE)
spawn 4
mmap 4 0x20000000 4096 none private,anon as n2
mprotect 4 n2 4096 r
load 4 n2 2
store 4 n2 1 1              # killed: accerr

# Expected output:
#= 1: load a 4: 61 62 63 64
#= 2: load a 4: 41 62 63 64
#= 1: load a 4: 61 62 63 64
#= 1: killed by SIGSEGV (accerr) at a
#= 3: killed by SIGSEGV (accerr) at n
#= 4: load n2 2: 00 00
#= 4: killed by SIGSEGV (accerr) at n2
