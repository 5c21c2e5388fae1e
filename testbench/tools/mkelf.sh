#!/bin/sh
# mkelf.sh - writes traces/execve.elf, the 256-byte RISC-V executable that
# traces/execve.wl runs, to standard output.  Every field is written at its
# offset in the ELF-64 specification; the output is the same on every host.
#
#     sh testbench/tools/mkelf.sh > traces/execve.elf
#     sh testbench/tools/mkelf.sh | cmp - traces/execve.elf     # unchanged?
#
# File layout (one page, file page 0):
#   0x00  ELF header: ET_EXEC, EM_RISCV, entry 0x100b0, 2 program headers
#   0x40  PT_LOAD R-X  offset 0     vaddr 0x10000  filesz 0xbc  memsz 0xbc
#   0x78  PT_LOAD RW-  offset 0xc0  vaddr 0x110c0  filesz 0x10  memsz 0x1f40
#   0xb0  text: li a0,0; li a7,93; ecall (exit(0), the program `true`)
#   0xc0  data: "hello, world\n", 3 zero bytes
#   0xd0  48 bytes 0xaa that no segment loads: in the text page they show
#         (its mapping covers the whole file page); in the data page they lie
#         past p_filesz, so they are bss and must read zero
# In memory: text [0x10000, 0x11000), data [0x11000, 0x12000) (a private
# copy of file page 0), bss [0x12000, 0x13000) anonymous, break at 0x13000.
set -eu

# byte N: the byte of value N (0..255).
byte() { printf "\\$(printf '%03o' "$1")"; }
# le VALUE N: VALUE as N little-endian bytes.
le() {
    v=$1 n=$2
    while [ "$n" -gt 0 ]; do
        byte $((v & 255))
        v=$((v >> 8))
        n=$((n - 1))
    done
}
# fill VALUE N: N bytes of VALUE.
fill() {
    n=$2
    while [ "$n" -gt 0 ]; do
        byte "$1"
        n=$((n - 1))
    done
}
# phdr TYPE FLAGS OFFSET VADDR FILESZ MEMSZ ALIGN: one 56-byte program header (paddr = vaddr).
phdr() { le "$1" 4; le "$2" 4; le "$3" 8; le "$4" 8; le "$4" 8; le "$5" 8; le "$6" 8; le "$7" 8; }

# e_ident: magic, ELFCLASS64, ELFDATA2LSB, EV_CURRENT, ELFOSABI_SYSV, padding.
byte 127; printf 'ELF'; byte 2; byte 1; byte 1; fill 0 9
le 2 2            # e_type ET_EXEC
le 243 2          # e_machine EM_RISCV
le 1 4            # e_version
le 0x100b0 8      # e_entry
le 64 8           # e_phoff
le 0 8            # e_shoff: no section headers
le 0 4            # e_flags
le 64 2           # e_ehsize
le 56 2           # e_phentsize
le 2 2            # e_phnum
le 64 2           # e_shentsize
le 0 2            # e_shnum
le 0 2            # e_shstrndx
phdr 1 5 0 0x10000 0xbc 0xbc 0x1000             # PT_LOAD, PF_R | PF_X
phdr 1 6 0xc0 0x110c0 0x10 0x1f40 0x1000        # PT_LOAD, PF_R | PF_W
le 0x00000513 4   # addi a0, zero, 0
le 0x05d00893 4   # addi a7, zero, 93 (__NR_exit)
le 0x00000073 4   # ecall
fill 0 4
printf 'hello, world\n'; fill 0 3
fill 170 48
