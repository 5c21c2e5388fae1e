# A shared object (CS:APP 9.8.1, figure 9.29): two processes map the same file shared.
# One frame in the page cache holds the page for both; a store by one is seen by the
# other and by read() of the file at once, and msync writes it to the file.
file greeting text hello, world\n
spawn 1
spawn 2
mmap 1 0x20000000 4K rw shared greeting 0 as a
mmap 2 0x40000000 4K r shared greeting 0 as b
load 2 b 5
put 1 a H
load 2 b 5
msync 1 a 4K
print greeting
exit 1
exit 2
print greeting

#= 2: load b 5: 68 65 6c 6c 6f
#= 2: load b 5: 48 65 6c 6c 6f
#= Hello, world
#= Hello, world
