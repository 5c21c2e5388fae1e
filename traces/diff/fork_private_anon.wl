# fork with private anonymous memory (CS:APP 9.8.3): the child starts with the
# parent's data; after that every store is private to the process that made it.  A
# page never touched before the fork is demand-zero in both.  A grandchild gets its
# parent's (the child's) data, and the original parent's exit changes nothing for them.
spawn 1
mmap 1 0x20000000 8K rw private,anon as a
store 1 a 8 0x1111111111111111
fork 1 2
load 2 a 8                  # inherited
store 2 a 8 0x2222222222222222
store 1 a+4096 4 0x33333333
load 1 a 8                  # the parent's value
load 2 a 8                  # the child's value
load 2 a+4096 4             # zero: the parent's store after the fork is not seen
load 1 a+4096 4
fork 2 3
store 3 a 1 0x99
load 2 a 2
load 3 a 2
exit 1
load 2 a 1
load 1 a 1                  # gone

# Expected output:
#= 2: load a 8: 11 11 11 11 11 11 11 11
#= 1: load a 8: 11 11 11 11 11 11 11 11
#= 2: load a 8: 22 22 22 22 22 22 22 22
#= 2: load a+4096 4: 00 00 00 00
#= 1: load a+4096 4: 33 33 33 33
#= 2: load a 2: 22 22
#= 3: load a 2: 99 22
#= 2: load a 1: 22
#= 1: ESRCH
