# The OOM killer choosing the process whose own fault needs the frame (issue 11): the fault
# fails, the process is killed once it has unwound, and nothing the fault still held is
# freed under it.  Every case fills the two user frames with dirty anonymous pages (or one
# of them and the page the fault works on) and the one swap slot with a third page: fifo
# evicts the oldest frame, and after that no frame can be freed.  The victim is the running
# process mapping the most frames, lowest pid on a tie.  Each victim takes all its frames,
# its slot and its page tables with it, so every case starts on empty memory.  Page tables
# come from the rest of DRAM, so the outcome is the same under Sv39 and Sv48 (the RTL runs
# it under every configuration); a page-table allocation as the victim's fault depends on
# the number of levels and is tested directly (testbench/unit/test_os_oom.cc).
set os.user_frames 2
set swap.slots 1
set os.policy fifo
file obj text private object\n
file data text shared data\n

# 1. The copy of a private file page by the file's last mapper.  a goes to the slot,
# a+0x2000 is unmapped: one dirty frame.  The store reads obj's page into the page cache
# (frame 2), and the copy finds no third: 1 is the only process with frames.
spawn 1
mmap 1 0x20000000 12K rw private,anon as a
store 1 a 1 0x11
store 1 a+0x1000 1 0x12
store 1 a+0x2000 1 0x13
munmap 1 a+0x2000 4K
mmap 1 0x20100000 4K rw private obj 0 as p
store 1 p 1 0x50
load 1 p 1
print obj

# 2. The copy of an anonymous page after fork: 2 and 3 both map b+0x1000 and b+0x2000
# (b is in the slot), rss 2 each; the tie goes to pid 2, the writer, and only 2 dies.
# 3. A swap-in: 3 maps its two frames and its slot is the only one; b needs a frame.
spawn 2
mmap 2 0x20000000 12K rw private,anon as b
store 2 b 1 0x21
store 2 b+0x1000 1 0x22
store 2 b+0x2000 1 0x23
fork 2 3
store 2 b+0x1000 1 0x2f
load 3 b+0x1000 1
load 3 b+0x2000 1
load 3 b 1
load 3 b+0x1000 1

# 4. A file page-in: 4 maps two frames, 5 maps data too but none; 5 reads the page itself.
spawn 4
spawn 5
mmap 4 0x20000000 12K rw private,anon as c
mmap 4 0x20100000 4K rw shared data 0 as d4
mmap 5 0x20100000 4K rw shared data 0 as d5
store 4 c 1 0x41
store 4 c+0x1000 1 0x42
store 4 c+0x2000 1 0x43
load 4 d4 6
load 5 d5 6
exit 5

# 5. Demand-zero.
spawn 6
mmap 6 0x20000000 16K rw private,anon as e
store 6 e 1 0x61
store 6 e+0x1000 1 0x62
store 6 e+0x2000 1 0x63
store 6 e+0x3000 1 0x64

# 6. The kernel's read of a demand-zero page for write(): out of memory kills as a user
# access does (a bad address would only fail the call).
spawn 7
mmap 7 0x20000000 16K rw private,anon as g
store 7 g 1 0x71
store 7 g+0x1000 1 0x72
store 7 g+0x2000 1 0x73
write 7 g+0x3000 4

#= 1: killed by OOM
#= 1: ESRCH
#= private object
#= 2: killed by OOM
#= 3: load b+0x1000 1: 22
#= 3: load b+0x2000 1: 23
#= 3: killed by OOM
#= 3: ESRCH
#= 4: killed by OOM
#= 5: load d5 6: 73 68 61 72 65 64
#= 6: killed by OOM
#= 7: killed by OOM
#= 7: write: EFAULT
