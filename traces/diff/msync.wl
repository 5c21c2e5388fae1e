# msync of a shared file mapping writes its dirty pages to the file; msync of a private
# mapping writes nothing (its copy is not the file).  Errors: an address not page
# aligned is EINVAL; a range with unmapped pages is ENOMEM (Linux still syncs the
# mapped part); length 0 succeeds.
file log text 0123456789\n
spawn 1
mmap 1 0x20000000 4096 rw shared log 0 as m
mmap 1 0x30000000 4096 rw private log 0 as p
put 1 m abc
msync 1 m 4096
print log
put 1 p XYZ                 # copies the page as it is now: abc3456789
msync 1 p 4096              # nothing to write back
print log
load 1 p 4
msync 1 m+1 4096            # EINVAL
msync 1 m 8192              # ENOMEM: the second page is not mapped
msync 1 m 0                 # nothing
exit 1
print log

# Expected output:
#= abc3456789
#= abc3456789
#= 1: load p 4: 58 59 5a 33
#= 1: msync: EINVAL
#= 1: msync: ENOMEM
#= abc3456789
