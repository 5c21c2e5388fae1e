# Private copy-on-write file mapping (CS:APP 9.8.2, private objects).  The writer gets
# its own copy of the page; another process mapping the file privately still sees the
# file; the file never changes.  A fork inherits the parent's private copy (not the
# file), and from then on parent and child diverge.
file data text private copy\n
spawn 1
spawn 2
mmap 1 0x20000000 4096 rw private data 0 as a
mmap 2 0x20000000 4096 r private data 0 as b
load 1 a 7                  # private
put 1 a P
load 1 a 7                  # Private: its copy
load 2 b 7                  # private: the file
print data                  # unchanged
fork 1 3
load 3 a 7                  # Private: the parent's copy, inherited
put 3 a+1 R
load 3 a 7                  # PRivate
load 1 a 7                  # Private: the parent does not see the child's store
print data                  # unchanged

# Expected output:
#= 1: load a 7: 70 72 69 76 61 74 65
#= 1: load a 7: 50 72 69 76 61 74 65
#= 2: load b 7: 70 72 69 76 61 74 65
#= private copy
#= 3: load a 7: 50 72 69 76 61 74 65
#= 3: load a 7: 50 52 69 76 61 74 65
#= 1: load a 7: 50 72 69 76 61 74 65
#= private copy
