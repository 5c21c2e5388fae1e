# execve of a program (CS:APP 9.8.3).  traces/execve.elf is 256 bytes written by
# testbench/tools/mkelf.sh, whose header gives its layout: text R-X at 0x10000 (entry
# 0x100b0: li a0,0; li a7,93; ecall), data RW- at 0x110c0 ("hello, world\n", 16 bytes
# in the file), bss to 0x13000, the whole file in file page 0; bytes 0xd0-0xff of the
# file are 0xaa and belong to no segment.  The path is relative: run from the top of
# the tree, as make does.
#
# Text and data are private copy-on-write mappings of file page 0; the bss, the heap and
# the stack are demand-zero.  The stack's place depends on the mode (its top is 2^38 under
# Sv39, 2^47 under Sv48) and the RTL runs this file under both, so testbench/unit/test_exec.cc
# checks the stack, not this file.
execve 1 traces/execve.elf as entry
fetch 1 entry 12                # the instructions of file bytes 0xb0-0xbb
write 1 0x110c0 13              # the initialized data, from the file
load 1 0x100cc 8                # file bytes 0xcc-0xd3 through the text page: 0a 00 00 00 aa..
load 1 0x110cc 8                # the same file bytes in the data page: past p_filesz, bss, zero
load 1 0x100fc 8                # the end of the file at 0x100: the rest of the page reads zero
load 1 0x12ff8 8                # the bss page past the file page: demand-zero
brk 1 0 as heap                 # the break starts after the bss: 0x13000
brk 1 heap+8192
load 1 0x14ff8 8                # the heap's last bytes: demand-zero
fork 1 5
load 5 0x15000 1                # heap + 8192 = 0x15000 is past it: SIGSEGV

# Two processes running the program map the same page-cache frame for the text (a private
# page not yet written is the file's frame, docs/os.md).  Process 3 writes the file's page
# through a shared mapping, turning li a0,0 into li a0,1 (`true` into `false`); both
# processes fetch the new bytes at once.  Linux would refuse to open a running program for
# writing (ETXTBSY); the simulated kernel has no open(), so this shows the sharing.
# Process 1's data page is a private copy, made by execve when it zeroed the bss part of
# the page, so it keeps the old bytes of file offset 0xb0 at 0x110b0.
execve 2 traces/execve.elf as entry2
fetch 2 entry2 4
spawn 3
mmap 3 0 4096 rw shared traces/execve.elf 0 as elf
store 3 elf+0xb0 4 0x00100513
fetch 1 entry 4
fetch 2 entry2 4
load 1 0x110b0 4

# fork: the heap and the data are copied on write, the text stays the shared frame.
brk 2 0 as heap2
brk 2 heap2+4096
store 2 heap2 8 7
fork 2 4
store 4 heap2 8 9
load 2 heap2 8
load 4 heap2 8
put 4 0x110c0 J
write 2 0x110c0 13
write 4 0x110c0 13
fetch 4 entry2 4

# The text is not writable, the data not executable.
store 1 entry 4 0
fetch 4 0x110c0 4

# execve of a running process replaces its address space: fresh data, no heap.
execve 2 traces/execve.elf
write 2 0x110c0 13
load 2 heap2 1

#= 1: fetch entry 12: 13 05 00 00 93 08 d0 05 73 00 00 00
#= hello, world
#= 1: load 0x100cc 8: 0a 00 00 00 aa aa aa aa
#= 1: load 0x110cc 8: 0a 00 00 00 00 00 00 00
#= 1: load 0x100fc 8: aa aa aa aa 00 00 00 00
#= 1: load 0x12ff8 8: 00 00 00 00 00 00 00 00
#= 1: load 0x14ff8 8: 00 00 00 00 00 00 00 00
#= 5: killed by SIGSEGV (maperr) at 0x15000
#= 2: fetch entry2 4: 13 05 00 00
#= 1: fetch entry 4: 13 05 10 00
#= 2: fetch entry2 4: 13 05 10 00
#= 1: load 0x110b0 4: 13 05 00 00
#= 2: load heap2 8: 07 00 00 00 00 00 00 00
#= 4: load heap2 8: 09 00 00 00 00 00 00 00
#= hello, world
#= Jello, world
#= 4: fetch entry2 4: 13 05 10 00
#= 1: killed by SIGSEGV (accerr) at entry
#= 4: killed by SIGSEGV (accerr) at 0x110c0
#= hello, world
#= 2: killed by SIGSEGV (maperr) at heap2
