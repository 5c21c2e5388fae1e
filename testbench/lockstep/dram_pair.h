// dram_pair.h - the two DRAM images of an RTL/model pair: the model's,
// which the operating system and the harness write, and the RTL's, which
// the RTL's walker writes its A/D bits into.  Both must hold the same
// words at every checkpoint (the lockstep's, the SystemC testbench's).
#ifndef MMUSIM_DRAM_PAIR_H
#define MMUSIM_DRAM_PAIR_H

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "dram.h"

// Where two images differ: the word's address and its two values.
struct DramDiff {
    uint64_t pa = 0, model = 0, rtl = 0;
};

// The word at pa of image d; 0 when unwritten or outside.
inline uint64_t dram_word_at(dram_t *d, uint64_t pa)
{
    uint64_t v = 0;
    dram_read64(d, pa, &v);
    return v;
}

// Writes the word v at pa to both images (the harness's writes); an
// address outside DRAM is the harness's bug: exit 2.
inline void dram_pair_write64(dram_t *model, dram_t *rtl, uint64_t pa, uint64_t v)
{
    if (dram_write64(model, pa, v) || dram_write64(rtl, pa, v)) {
        fprintf(stderr, "write64 at %#" PRIx64 " outside DRAM\n", pa);
        exit(2);
    }
}

// True when the 4 KiB page holding pa has the same words in both images;
// else false with the first difference in *d.
inline bool dram_page_equal(dram_t *model, dram_t *rtl, uint64_t pa, DramDiff *d)
{
    for (uint64_t a = pa & ~4095ULL; a < (pa & ~4095ULL) + 4096; a += 8) {
        uint64_t vm = dram_word_at(model, a), vr = dram_word_at(rtl, a);
        if (vm != vr) {
            *d = DramDiff{ a, vm, vr };
            return false;
        }
    }
    return true;
}

// True when every page either image holds is equal in both; else false
// with the first difference found in *d.
inline bool dram_images_equal(dram_t *model, dram_t *rtl, DramDiff *d)
{
    struct Scan {
        dram_t *model, *rtl;
        DramDiff *d;
        static int page(void *ctx, uint64_t pa)
        {
            Scan *s = static_cast<Scan *>(ctx);
            return !dram_page_equal(s->model, s->rtl, pa, s->d);
        }
    } s{ model, rtl, d };
    return !dram_each_page(model, Scan::page, &s) && !dram_each_page(rtl, Scan::page, &s);
}

// Copies every write made to the model's image to the RTL's while *hold
// is false: the writes of the OS and the harness, not those of the model's
// own walker (the RTL's walker makes its own, which the comparison checks).
class DramMirror {
public:
    // From now on (images and flag must outlive the mirror or a later attach).
    void attach(dram_t *model, dram_t *rtl, const bool *hold)
    {
        rtl_ = rtl;
        hold_ = hold;
        dram_set_tap(model, tap, this);
    }

private:
    static void tap(void *ctx, uint64_t pa, const void *buf, size_t len)
    {
        DramMirror *m = static_cast<DramMirror *>(ctx);
        if (!*m->hold_ && dram_write(m->rtl_, pa, buf, len)) {
            fprintf(stderr, "the RTL's DRAM image refused a write at %#" PRIx64 "\n", pa);
            exit(2);
        }
    }

    dram_t *rtl_ = nullptr;
    const bool *hold_ = nullptr;
};

#endif
