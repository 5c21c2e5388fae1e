# Linux applies mprotect area by area and stops at the first hole with ENOMEM, WITHOUT
# undoing what it already changed: here the first page becomes read-only although the
# call failed, and the page after the hole keeps its protection.  (A model that checks
# the whole range first and changes nothing on ENOMEM prints `1: store` fine instead of
# the accerr kill.)
spawn 1
mmap 1 0x20000000 4K rw private,anon as a
mmap 1 0x20002000 4K rw private,anon as c
mprotect 1 a 12K r          # ENOMEM: 0x20001000 is not mapped
store 1 c 1 1               # the page after the hole: unchanged, still writable
load 1 c 1
store 1 a 1 1               # killed: the page before the hole did become read-only

# Expected output:
#= 1: mprotect: ENOMEM
#= 1: load c 1: 01
#= 1: killed by SIGSEGV (accerr) at a
