# munmap of the middle page of an area splits it in two; the pages on either side keep
# their data; an access to the hole is SIGSEGV with SEGV_MAPERR (no area), which kills
# the process (later commands naming it: ESRCH).  Unmapping the hole again is not an
# error.  A forked child has the same hole.
spawn 1
mmap 1 0x20000000 12K rw private,anon as a
store 1 a 1 0x0a
store 1 a+4096 1 0x0b
store 1 a+8192 1 0x0c
munmap 1 a+4096 4096
load 1 a 1
load 1 a+8192 1
munmap 1 a+4096 4096        # nothing there: success
fork 1 2
load 2 a+8192 1
load 2 a+4096 1             # killed: maperr
load 2 a 1                  # ESRCH
load 1 a+4095 1
store 1 a+4096 8 0          # the parent too
exit 1                      # ESRCH

# Expected output:
#= 1: load a 1: 0a
#= 1: load a+8192 1: 0c
#= 2: load a+8192 1: 0c
#= 2: killed by SIGSEGV (maperr) at a+4096
#= 2: ESRCH
#= 1: load a+4095 1: 00
#= 1: killed by SIGSEGV (maperr) at a+4096
#= 1: ESRCH
