# The OOM killer choosing the process whose own fault needs the frame (issue 11): the fault
# fails, the process is killed once it has unwound, and nothing the fault still held is
# freed under it.  Every case fills the two user frames with dirty anonymous pages (or one
# of them and the page the fault works on) and the one swap slot with a third page: fifo
# evicts the oldest frame, and after that no frame can be freed.  The victim is the running
# process mapping the most frames, lowest pid on a tie.  Each victim takes all its frames,
# its slot and its page tables with it, so every case starts on empty memory.
#
# DRAM is 8 frames, page tables included: a process with pages in one 2 MiB region uses a
# root, a level-1 and a level-0 table, so two such processes and two user pages fill DRAM
# exactly (case 2); the last case needs it full.
set os.user_frames 2
set swap.slots 1
set os.policy fifo
set dram.size 32K
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

# 7. A page-table page: 8 uses 3 tables, 2 user frames and the slot; 9, 10 and 11 a root
# each: DRAM is full.  The store in the next gigabyte needs a level-1 table, and no user
# frame can be freed to make room for it.
spawn 9
spawn 10
spawn 11
spawn 8
mmap 8 0x20000000 12K rw private,anon as h
mmap 8 0x60000000 4K rw private,anon as far
store 8 h 1 0x81
store 8 h+0x1000 1 0x82
store 8 h+0x2000 1 0x83
store 8 far 1 0x84
load 8 h+0x1000 1
exit 9
spawn 12
mmap 12 0x60000000 4K rw private,anon as far12
store 12 far12 1 0xc0
load 12 far12 1

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
#= 8: killed by OOM
#= 8: ESRCH
#= 12: load far12 1: c0
