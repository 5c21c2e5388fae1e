# CS:APP practice problem 9.5, mmapcopy: map a file and write it to standard output with
# one write() of the mapped area: the kernel reads the user pages, faulting them in.
file msg text mmapcopy: a file copied to stdout through a private read-only mapping\n
spawn 1
mmap 1 0 4K r private msg 0 as m
write 1 m 70

#= mmapcopy: a file copied to stdout through a private read-only mapping
