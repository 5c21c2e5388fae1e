# Shared file mapping (CS:APP 9.8.1, shared objects).  Two processes that map the same
# file MAP_SHARED, at different addresses, see each other's stores, and read() of the
# file (print) sees them at once: the mapping and the file are the same page-cache
# pages, so no msync is needed for read().  The stores outlive every process.
# Hints in the low empty region 0x20000000-0x40000000: host_run's own libraries and
# stack are far above, so the host places the areas where the simulator does.
file data text hello, world\n
spawn 1
spawn 2
mmap 1 0x20000000 4096 rw shared data 0 as a
mmap 2 0x30000000 4096 rw shared data 0 as b
load 2 b 5                  # hello
put 1 a J
load 2 b 5                  # Jello: process 1's store
store 2 b+7 1 0x57          # 'W'
load 1 a+7 5                # World
print data                  # the file has both stores
fork 2 3                    # the child's mapping is shared too
put 3 b+1 E
load 1 a 5
exit 1
exit 2
exit 3
print data                  # still there after every process has exited

# Expected output (each `#=` line is one output line):
#= 2: load b 5: 68 65 6c 6c 6f
#= 2: load b 5: 4a 65 6c 6c 6f
#= 1: load a+7 5: 57 6f 72 6c 64
#= Jello, World
#= 1: load a 5: 4a 45 6c 6c 6f
#= JEllo, World
