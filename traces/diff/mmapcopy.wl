# CS:APP practice problem 9.5, mmapcopy: map a file at a kernel-chosen address and copy
# it to standard output with one write(1, bufp, size).  Then part of it, a write of 0
# bytes (no output), and the same through a shared mapping of another file after a
# store to it.
file hello text Hello from mmapcopy!\nsecond line\n
file other text shared copy\n
spawn 1
mmap 1 0 4096 r private hello 0 as bufp
write 1 bufp 33
write 1 bufp+21 12          # the second line only
write 1 bufp 0
mmap 1 0 4096 rw shared other 0 as sh
put 1 sh SH
write 1 sh 12
print other

# Expected output:
#= Hello from mmapcopy!
#= second line
#= second line
#= SHared copy
#= SHared copy
