# A MAP_PRIVATE file page that its process has not written yet is not a copy: Linux
# maps the page-cache page itself read-only.  So a store to the file by another process
# (through MAP_SHARED) is visible in the private mapping, even after the private
# mapping has read the page.  Once the process writes a page it has its own copy and
# no longer sees later stores to the file.  POSIX leaves this unspecified ("it is
# unspecified whether modifications to the underlying object done after the
# MAP_PRIVATE mapping is established are visible"); Linux makes them visible.
file data size 8K fill 0x2e
spawn 1
mmap 1 0x20000000 8K rw private data 0 as p
spawn 2
mmap 2 0x30000000 8K rw shared data 0 as s
load 1 p 4                  # ....: page 0 is now mapped from the page cache
put 2 s ABCD
load 1 p 4                  # ABCD: the shared store shows through
put 1 p+4096 x              # page 1 is copied now (the file still has dots there)
put 2 s+4096 WXYZ
load 1 p+4096 4             # x...: its own copy, not the later store
load 2 s+4096 4             # WXYZ
load 1 p+2 2                # page 0 still not copied: CD

# Expected output:
#= 1: load p 4: 2e 2e 2e 2e
#= 1: load p 4: 41 42 43 44
#= 1: load p+4096 4: 78 2e 2e 2e
#= 2: load s+4096 4: 57 58 59 5a
#= 1: load p+2 2: 43 44
