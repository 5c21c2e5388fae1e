// ref_os.cc - the reference of user memory under the OS (see ref_os.h).
#include "ref_os.h"

#include <algorithm>
#include <iterator>
#include <stdexcept>

namespace {

constexpr uint64_t PG = RefOs::kPage;

// The byte of object o at offset off as a mapping sees it (zero past the end of a file).
uint8_t obj_byte(const RefObj &o, uint64_t off)
{
    return off < o.size && off < o.data.size() ? o.data[off] : 0;
}

[[noreturn]] void broken(const char *who, const std::string &what)
{
    throw std::logic_error(std::string("RefOs::") + who + ": " + what);
}

} // namespace

const char *ref_kind_name(RefKind k)
{
    switch (k) {
    case RefKind::PrivAnon: return "private-anon";
    case RefKind::SharedAnon: return "shared-anon";
    case RefKind::PrivFile: return "private-file";
    case RefKind::SharedFile: return "shared-file";
    }
    return "?";
}

RefObjPtr RefOs::add_file(const std::string &name, const uint8_t *data, uint64_t size)
{
    if (name.empty())
        broken("add_file", "a file needs a name");
    auto f = std::make_shared<RefObj>();
    f->name = name;
    f->size = size;
    f->data.assign((size + PG - 1) / PG * PG, 0);
    std::copy(data, data + size, f->data.begin());
    files_.push_back(f);
    return f;
}

RefOs::Proc &RefOs::proc(int pid, const char *who)
{
    return const_cast<Proc &>(static_cast<const RefOs *>(this)->proc(pid, who));
}

const RefOs::Proc &RefOs::proc(int pid, const char *who) const
{
    auto it = procs_.find(pid);
    if (it == procs_.end())
        broken(who, "no process " + std::to_string(pid));
    return it->second;
}

void RefOs::spawn(int pid)
{
    procs_[pid] = Proc{};
}

void RefOs::fork(int parent, int child)
{
    // The private pages are shared with the parent until one of them stores
    // (write() copies a page held twice): the model's own copy-on-write.
    Proc copy = proc(parent, "fork");
    procs_[child] = std::move(copy);
}

void RefOs::exit(int pid)
{
    proc(pid, "exit");
    procs_.erase(pid);
}

void RefOs::mmap(int pid, uint64_t start, uint64_t len, int prot, RefKind kind, const RefObjPtr &file, uint64_t off)
{
    Proc &p = proc(pid, "mmap");
    bool is_file = kind == RefKind::PrivFile || kind == RefKind::SharedFile;
    if (is_file != (file != nullptr))
        broken("mmap", "a file mapping needs a file, an anonymous one none");
    remove_range(p, start, start + len);
    RefObjPtr obj = file;
    if (kind == RefKind::SharedAnon) {
        obj = std::make_shared<RefObj>();
        obj->data.assign(len, 0);
        obj->size = len;
    }
    p.areas[start] = RefArea{start, start + len, prot, kind, obj, off};
}

void RefOs::munmap(int pid, uint64_t lo, uint64_t hi)
{
    remove_range(proc(pid, "munmap"), lo, hi);
}

void RefOs::mprotect(int pid, uint64_t lo, uint64_t hi, int prot)
{
    Proc &p = proc(pid, "mprotect");
    split_at(p, lo);
    split_at(p, hi);
    for (auto it = p.areas.lower_bound(lo); it != p.areas.end() && it->first < hi; ++it)
        it->second.prot = prot;
}

const std::map<uint64_t, RefArea> &RefOs::areas(int pid) const
{
    return proc(pid, "areas").areas;
}

const RefArea *RefOs::find(int pid, uint64_t va) const
{
    return find_in(proc(pid, "find"), va);
}

uint64_t RefOs::private_pages(int pid) const
{
    uint64_t n = 0;
    for (auto &kv : proc(pid, "private_pages").areas)
        if (kv.second.is_private())
            n += (kv.second.end - kv.second.start) / PG;
    return n;
}

uint64_t RefOs::private_pages() const
{
    uint64_t n = 0;
    for (auto &pp : procs_)
        n += private_pages(pp.first);
    return n;
}

os_kill_t RefOs::predict(int pid, uint64_t va, uint64_t len, acc_t acc, uint64_t *kill_va) const
{
    const Proc &p = proc(pid, "predict");
    // A load needs R or W (W alone maps read-write, as Linux on RISC-V does), a store W, a fetch X.
    int need = acc == ACC_LOAD ? OS_PROT_READ | OS_PROT_WRITE : acc == ACC_STORE ? OS_PROT_WRITE : OS_PROT_EXEC;
    for (uint64_t pg = va & ~(PG - 1); pg < va + len; pg += PG) {
        uint64_t first = std::max(va, pg);
        *kill_va = first;
        const RefArea *a = find_in(p, first);
        if (!a)
            return OS_KILL_SEGV_MAPERR;
        if (!(a->prot & need))
            return OS_KILL_SEGV_ACCERR;
        if (a->is_file() && a->off + (pg - a->start) >= a->obj->size)
            return OS_KILL_BUS_ADRERR; // the page lies wholly past the end of the file
    }
    return OS_KILL_NONE;
}

void RefOs::load(int pid, uint64_t va, uint64_t len, uint8_t *out) const
{
    const Proc &p = proc(pid, "load");
    for (uint64_t i = 0; i < len; i++) {
        const RefArea *a = find_in(p, va + i);
        if (!a)
            broken("load", "byte outside every area");
        out[i] = byte(p, *a, va + i);
    }
}

bool RefOs::store(int pid, uint64_t va, uint64_t len, const uint8_t *data)
{
    Proc &p = proc(pid, "store");
    for (uint64_t i = 0; i < len; i++) {
        const RefArea *a = find_in(p, va + i);
        if (!a)
            broken("store", "byte outside every area");
        if (!write(p, *a, va + i, data[i]))
            return false;
    }
    return true;
}

const RefArea *RefOs::find_in(const Proc &p, uint64_t va)
{
    auto it = p.areas.upper_bound(va);
    if (it == p.areas.begin())
        return nullptr;
    --it;
    return va < it->second.end ? &it->second : nullptr;
}

uint8_t RefOs::byte(const Proc &p, const RefArea &a, uint64_t va)
{
    uint64_t o = a.off + (va - a.start);
    switch (a.kind) {
    case RefKind::PrivAnon:
    case RefKind::PrivFile: {
        auto it = p.priv.find(va / PG);
        if (it != p.priv.end())
            return (*it->second)[va % PG];
        return a.kind == RefKind::PrivAnon ? 0 : obj_byte(*a.obj, o);
    }
    case RefKind::SharedAnon:
    case RefKind::SharedFile:
        return obj_byte(*a.obj, o);
    }
    return 0;
}

bool RefOs::write(Proc &p, const RefArea &a, uint64_t va, uint8_t v)
{
    if (!a.is_private()) {
        uint64_t o = a.off + (va - a.start);
        if (a.obj->is_file() && o >= a.obj->size)
            return false;
        a.obj->data[o] = v;
        return true;
    }
    // A private page's first store makes it the process's own: a copy of
    // what it read until then (zeros, or the file).
    std::shared_ptr<Page> &pg = p.priv[va / PG];
    if (!pg) {
        pg = std::make_shared<Page>();
        uint64_t base = va & ~(PG - 1);
        for (uint64_t i = 0; i < PG; i++)
            (*pg)[i] = a.kind == RefKind::PrivAnon ? 0 : obj_byte(*a.obj, a.off + (base + i - a.start));
    } else if (pg.use_count() > 1) {
        pg = std::make_shared<Page>(*pg); // still shared with a fork relative: copy it
    }
    (*pg)[va % PG] = v;
    return true;
}

// Splits the area containing va (strictly inside) at va.
void RefOs::split_at(Proc &p, uint64_t va)
{
    auto it = p.areas.upper_bound(va);
    if (it == p.areas.begin())
        return;
    --it;
    RefArea &a = it->second;
    if (va <= a.start || va >= a.end)
        return;
    RefArea hi = a;
    hi.start = va;
    hi.off = a.off + (va - a.start);
    a.end = va;
    p.areas.emplace(va, hi);
}

// Removes [lo, hi) from p's areas and private pages.
void RefOs::remove_range(Proc &p, uint64_t lo, uint64_t hi)
{
    split_at(p, lo);
    split_at(p, hi);
    for (auto it = p.areas.lower_bound(lo); it != p.areas.end() && it->first < hi;)
        it = p.areas.erase(it);
    // Whichever is shorter: the range's pages, or the process's written pages.
    if ((hi - lo) / PG < p.priv.size()) {
        for (uint64_t v = lo / PG; v < hi / PG; v++)
            p.priv.erase(v);
    } else {
        for (auto it = p.priv.begin(); it != p.priv.end();)
            it = it->first >= lo / PG && it->first < hi / PG ? p.priv.erase(it) : std::next(it);
    }
}
