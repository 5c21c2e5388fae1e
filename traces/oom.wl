# Out of memory: 4 user frames (one of them holding process 2's page) and 2 swap slots
# hold 6 dirty pages at most, so process 1's sixth written page finds neither a frame nor
# a slot.  The OOM killer ends the process with the most pages (process 1, with 3
# frames), and process 2 goes on.
set os.user_frames 4
set swap.slots 2
spawn 1
spawn 2
mmap 2 0x20000000 4K rw private,anon as small
store 2 small 1 0x42
mmap 1 0x20000000 32K rw private,anon as a
store 1 a 1 1
store 1 a+0x1000 1 2
store 1 a+0x2000 1 3
store 1 a+0x3000 1 4
store 1 a+0x4000 1 5
store 1 a+0x5000 1 6
store 1 a+0x6000 1 7
load 1 a 1
load 2 small 1

#= 1: killed by OOM
#= 1: ESRCH
#= 1: ESRCH
#= 2: load small 1: 42
