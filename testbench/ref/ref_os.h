// ref_os.h - the reference of user memory under the OS: every process's
// areas and every byte a load must return, with the signal each access must
// raise.  Written from the semantics of docs/os.md ("The fault path",
// "Processes", "Files and shared memory") and of the system calls of
// docs/workload.md alone, and sharing no code with csrc/: it has no frames,
// page tables, swap or page cache, only what a process can observe.
//
// Per process a set of areas, each either private (the pages the process
// wrote, its own copy after a fork; an unwritten page reads zeros, or the
// file for a private file mapping) or a window on a shared object (a shared
// anonymous object or a file, whose bytes are the page cache as read() sees
// it, so a shared store is seen at once by every mapping and by read()).
// The OS stress suite (testbench/unit/test_os_stress.cc) drives csrc/ and
// this model with the same calls and compares every load and every kill.
//
// Every method that names a pid needs it to be a process of the model; a
// broken precondition throws std::logic_error naming the method.
#ifndef MMUSIM_REF_OS_H
#define MMUSIM_REF_OS_H

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "os.h"

// The four kinds of mapping (docs/workload.md, mmap FLAGS).
enum class RefKind { PrivAnon, SharedAnon, PrivFile, SharedFile };

// The kind as the suites print it ("private-anon", ...).
const char *ref_kind_name(RefKind k);

// A shared anonymous object or a file: its bytes, in whole pages.
struct RefObj {
    std::string name;          // the file's name; empty for shared anonymous memory
    std::vector<uint8_t> data; // whole pages; a file's bytes past size are zero
    uint64_t size = 0;         // bytes of the file (anonymous: data.size())
    bool is_file() const { return !name.empty(); }
};
using RefObjPtr = std::shared_ptr<RefObj>;

// One area of an address space.
struct RefArea {
    uint64_t start, end; // page aligned, [start, end)
    int prot;            // OS_PROT_* bits
    RefKind kind;
    RefObjPtr obj;       // the object or file; null for private anonymous memory
    uint64_t off;        // object offset of start
    bool is_private() const { return kind == RefKind::PrivAnon || kind == RefKind::PrivFile; }
    bool is_file() const { return kind == RefKind::PrivFile || kind == RefKind::SharedFile; }
};

class RefOs {
public:
    static constexpr uint64_t kPage = 4096;

    // Creates file name holding the size bytes at data; returns it.
    RefObjPtr add_file(const std::string &name, const uint8_t *data, uint64_t size);
    // Every file, in the order created.
    const std::vector<RefObjPtr> &files() const { return files_; }

    // pid becomes a process with no areas (spawn).
    void spawn(int pid);
    // child becomes a copy of parent: its areas, the same shared objects, and
    // private pages that are its own from the next store of either (fork).
    void fork(int parent, int child);
    // pid is gone with its areas and private pages (exit, or a kill).
    void exit(int pid);

    // Maps [start, start + len) (page aligned), replacing whatever was there:
    // file (null for anonymous kinds) from offset off; a shared anonymous area
    // gets a zeroed object of its own.
    void mmap(int pid, uint64_t start, uint64_t len, int prot, RefKind kind, const RefObjPtr &file, uint64_t off);
    // Unmaps [lo, hi), splitting the areas that straddle its ends.
    void munmap(int pid, uint64_t lo, uint64_t hi);
    // Sets prot on [lo, hi), splitting areas at its ends; the range must be mapped.
    void mprotect(int pid, uint64_t lo, uint64_t hi, int prot);

    // pid's areas by start address.
    const std::map<uint64_t, RefArea> &areas(int pid) const;
    // The area of pid holding va, or null.
    const RefArea *find(int pid, uint64_t va) const;
    // Pages in pid's private areas: each may need a swap slot of its own.
    uint64_t private_pages(int pid) const;
    // The same summed over every process: an upper bound of the pages that
    // may need swap (shared anonymous pages go to their object's own store
    // and file pages to their file, docs/os.md).
    uint64_t private_pages() const;

    // What an access of len bytes at va must raise (docs/os.md, the fault
    // path, steps 1 to 3, page by page): OS_KILL_NONE, or the signal with
    // *kill_va the first byte of the access in the first page that fails.
    os_kill_t predict(int pid, uint64_t va, uint64_t len, acc_t acc, uint64_t *kill_va) const;
    // The len bytes a load at va returns into out; predict must allow the load.
    void load(int pid, uint64_t va, uint64_t len, uint8_t *out) const;
    // Applies a store of the len bytes at data; predict must allow it.  false,
    // and nothing stored from that byte on, for a byte of a shared file's last
    // page past the end of the file: it is never written back, and what other
    // mappings see of it depends on eviction, which this model does not know.
    bool store(int pid, uint64_t va, uint64_t len, const uint8_t *data);

private:
    using Page = std::array<uint8_t, kPage>;
    struct Proc {
        std::map<uint64_t, RefArea> areas;                       // by start
        std::unordered_map<uint64_t, std::shared_ptr<Page>> priv; // written private pages by VPN
    };

    Proc &proc(int pid, const char *who);
    const Proc &proc(int pid, const char *who) const;
    static const RefArea *find_in(const Proc &p, uint64_t va);
    static uint8_t byte(const Proc &p, const RefArea &a, uint64_t va);
    static bool write(Proc &p, const RefArea &a, uint64_t va, uint8_t v);
    static void split_at(Proc &p, uint64_t va);
    static void remove_range(Proc &p, uint64_t lo, uint64_t hi);

    std::map<int, Proc> procs_;
    std::vector<RefObjPtr> files_;
};

#endif
