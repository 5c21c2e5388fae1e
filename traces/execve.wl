# execve of a real program (CS:APP 9.8.3): /bin/true's PT_LOAD segments are mapped
# private copy-on-write from the file, bss, heap and stack are demand-zero.  The bytes at
# the entry point come from the file's text page; a store to the text is SIGSEGV; two
# processes running the same program share its page-cache frames (cache_hits).
spawn 1
execve 1 /bin/true as entry
fetch 1 entry 16
execve 2 /bin/true as entry2
fetch 2 entry2 16
brk 2 0 as heap
brk 2 heap+4096
store 2 heap 8 7
fork 2 3
store 3 heap 8 9
load 2 heap 8
load 3 heap 8
store 1 entry 1 0
