# Swap under pressure (CS:APP 9.8 with Linux reclaim): 8 frames for user pages, 16 pages
# written.  Dirty anonymous pages go to swap and come back intact; after fork a swapped
# page is shared through the swap cache, and each side's later write copies it.
set os.user_frames 8
set swap.slots 64
set os.policy clock
spawn 1
mmap 1 0x20000000 64K rw private,anon as a
store 1 a 1 0x10
store 1 a+0x1000 1 0x11
store 1 a+0x2000 1 0x12
store 1 a+0x3000 1 0x13
store 1 a+0x4000 1 0x14
store 1 a+0x5000 1 0x15
store 1 a+0x6000 1 0x16
store 1 a+0x7000 1 0x17
store 1 a+0x8000 1 0x18
store 1 a+0x9000 1 0x19
store 1 a+0xa000 1 0x1a
store 1 a+0xb000 1 0x1b
store 1 a+0xc000 1 0x1c
store 1 a+0xd000 1 0x1d
store 1 a+0xe000 1 0x1e
store 1 a+0xf000 1 0x1f
load 1 a 1                    # swapped out by now: comes back from swap
fork 1 2
store 2 a+0x1000 1 0x21       # the child's copy
load 1 a+0x1000 1             # the parent still sees its own value
load 2 a+0x1000 1
load 2 a+0xf000 1
store 1 a+0xf000 1 0x2f
load 2 a+0xf000 1             # the child keeps the value from before the fork
load 1 a+0xf000 1
exit 1
load 2 a 1
exit 2

#= 1: load a 1: 10
#= 1: load a+0x1000 1: 11
#= 2: load a+0x1000 1: 21
#= 2: load a+0xf000 1: 1f
#= 2: load a+0xf000 1: 1f
#= 1: load a+0xf000 1: 2f
#= 2: load a 1: 10
