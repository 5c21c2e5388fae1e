/*
 * tracefmt_bin.c - the binary trace decoders: ChampSim's input_instr,
 * CloudSuite's cloudsuite_instr and mmusim's own mmt (docs/traces.md draws
 * all three records).  Every field is little-endian; records are read from
 * the buffer in place.
 */
#include "tracefmt_int.h"

#include <stdio.h>
#include <string.h>

#include "xlate.h"

/*
 * Where the fields of a ChampSim-style instruction record lie: ChampSim
 * freads the C struct, so these are the x86-64 offsets of its declaration,
 * padding included (CloudSuite's 18 bytes of ip, branch and registers pad to
 * 24; the struct pads from 90 to 96).
 */
typedef struct {
    unsigned size, ndst, dst, nsrc, src;
    int asid; /* offset of asid[2] (instruction, data), -1: the record has none */
} tf_instr_layout_t;

static const tf_instr_layout_t tf_champsim = {64, 2, 16, 4, 32, -1};
static const tf_instr_layout_t tf_cloudsuite = {96, 4, 24, 4, 56, 88};

/*
 * Each record: the instruction fetch at ip, then a load per non-zero
 * source_memory, then a store per non-zero destination_memory, all of size
 * 1 (the trace records no sizes; ChampSim translates each address once).
 */
static long tf_read_instr(trace_in_t *t, trace_ref_t *r, long n, const tf_instr_layout_t *L)
{
    const uint8_t *buf = t->buf;
    size_t pos = t->pos, end = t->end;
    uint64_t rec = t->rec, last = t->last;
    long k = 0;

    while (k < n) {
        const uint8_t *p = buf + pos;
        trace_ref_t *o = n - k >= TF_PEND ? r + k : t->pend;
        uint32_t ipid = 1, dpid = 1;
        int m = 0;

        if (end - pos < L->size) {
            if (t->eof && pos < end)
                tf_fail(t, rec + 1, "truncated record (%zu of %u bytes)", end - pos, L->size);
            break;
        }
        /* ChampSim's own ASIDs start at 0; mmusim's processes at 1 */
        if (L->asid >= 0) {
            ipid = p[L->asid] + 1u;
            dpid = p[L->asid + 1] + 1u;
        }
        o[m++] = (trace_ref_t){tf_le64(p), 1, ipid, ACC_FETCH, TREF_ACCESS};
        for (unsigned i = 0; i < L->nsrc; i++) {
            uint64_t va = tf_le64(p + L->src + 8 * i);
            if (va)
                o[m++] = (trace_ref_t){va, 1, dpid, ACC_LOAD, TREF_ACCESS};
        }
        for (unsigned i = 0; i < L->ndst; i++) {
            uint64_t va = tf_le64(p + L->dst + 8 * i);
            if (va)
                o[m++] = (trace_ref_t){va, 1, dpid, ACC_STORE, TREF_ACCESS};
        }
        pos += L->size;
        rec++;
        if (o == t->pend) {
            /* the caller's array is nearly full: trace_read hands these out */
            t->npend = m;
            t->ipend = 0;
            t->pend_rec = rec;
            break;
        }
        k += m;
        last = rec;
    }
    t->pos = pos;
    t->rec = rec;
    t->last = last;
    return k;
}

/* input_instr records: 64 bytes, process 1. */
long tf_read_champsim(trace_in_t *t, trace_ref_t *r, long n)
{
    return tf_read_instr(t, r, n, &tf_champsim);
}

/* cloudsuite_instr records: 96 bytes, processes from the ASIDs. */
long tf_read_cloudsuite(trace_in_t *t, trace_ref_t *r, long n)
{
    return tf_read_instr(t, r, n, &tf_cloudsuite);
}

/*
 * mmt, after its 32-byte header, is a sequence of 64-bit records:
 *
 *   63  62        50 49  48 47                                    0
 *  | 0 |  size - 1  | acc  |            va[47:0]                  |  access
 *  | 1 | type (62:56) | 0 ...                                     |  control
 *      type 0: switch process, bits 31:0 = pid (>= 1), 55:32 zero
 *      type 1: sfence.vma of va[47:0], bits 55:48 zero
 *
 * va is sign-extended from bit 47, so every canonical Sv39/Sv48 address fits.
 */
#define MMT_CTRL (1ULL << 63)

/* x[47:0] sign-extended to 64 bits. */
static inline uint64_t tf_sext48(uint64_t x)
{
    return (uint64_t)((int64_t)(x << 16) >> 16);
}

int tf_mmt_header(trace_in_t *t)
{
    const uint8_t *p = t->buf + t->pos;
    uint32_t version, flags;

    if (t->end - t->pos < TF_MMT_HEADER || memcmp(p, TF_MMT_MAGIC, 8)) {
        fprintf(stderr, "%s: not an mmt trace (no %d-byte MMUTRACE header)\n", t->path, TF_MMT_HEADER);
        return -1;
    }
    version = (uint32_t)tf_le64(p + 8);
    flags = (uint32_t)(tf_le64(p + 8) >> 32);
    if (version != TF_MMT_VERSION) {
        fprintf(stderr, "%s: mmt version %u is not supported (this reader knows %d)\n", t->path, version,
                TF_MMT_VERSION);
        return -1;
    }
    if (flags) {
        fprintf(stderr, "%s: mmt flags 0x%x are unknown (version %d has none)\n", t->path, flags, TF_MMT_VERSION);
        return -1;
    }
    t->total = tf_le64(p + 16);
    t->pos += TF_MMT_HEADER;
    return 0;
}

/* Checks the record count at the end against the header's. */
static void tf_mmt_end(trace_in_t *t)
{
    if (t->pos < t->end)
        tf_fail(t, t->rec + 1, "truncated record (%zu of 8 bytes)", t->end - t->pos);
    else if (t->total != TF_MMT_UNKNOWN && t->rec != t->total)
        tf_fail(t, t->rec, "the header announces %llu records, the trace holds %llu",
                (unsigned long long)t->total, (unsigned long long)t->rec);
}

long tf_read_mmt(trace_in_t *t, trace_ref_t *r, long n)
{
    const uint8_t *buf = t->buf;
    size_t pos = t->pos, end = t->end;
    uint64_t rec = t->rec, last = t->last;
    uint32_t pid = t->pid;
    long k = 0;

    while (k < n && end - pos >= 8) {
        uint64_t x;
        /*
         * The common record, an access of a valid type and size, in a loop of
         * its own: everything else (control records, errors) goes below.
         */
        size_t run = (end - pos) / 8 < (size_t)(n - k) ? (end - pos) / 8 : (size_t)(n - k), i;
        for (i = 0; i < run; i++) {
            x = tf_le64(buf + pos + 8 * i);
            /* bit 63 a control record, bit 62 a size above 4096, bits 49:48 both set type 3 */
            if ((x >> 62) | ((x >> 48) & (x >> 49) & 1))
                break;
            r[k + (long)i] = (trace_ref_t){tf_sext48(x), (uint32_t)(x >> 50) + 1, pid, (uint8_t)((x >> 48) & 3),
                                           TREF_ACCESS};
        }
        if (i) {
            k += (long)i;
            pos += 8 * i;
            rec += i;
            last = rec;
            continue;
        }
        /* not a valid access: an access of a reserved type or size, or a control record */
        x = tf_le64(buf + pos);
        if (!(x & MMT_CTRL)) {
            if (((x >> 48) & 3) == 3)
                tf_fail(t, rec + 1, "mmt access type 3 is reserved");
            else
                tf_fail(t, rec + 1, "mmt access of %u bytes (at most 4096)", (unsigned)(x >> 50) + 1);
            break;
        } else if ((x >> 56) == 0x80 && !((x >> 32) & 0xffffff) && (uint32_t)x) {
            pid = (uint32_t)x;
        } else if ((x >> 56) == 0x81 && !((x >> 48) & 0xff)) {
            r[k++] = (trace_ref_t){tf_sext48(x), 1, pid, ACC_LOAD, TREF_SFENCE};
            last = rec + 1;
        } else {
            unsigned type = (unsigned)(x >> 56) & 0x7f;
            if (type > 1)
                tf_fail(t, rec + 1, "mmt control record type %u is unknown", type);
            else
                tf_fail(t, rec + 1, "mmt %s record has bad reserved bits or pid 0: 0x%016llx",
                        type ? "sfence" : "process switch", (unsigned long long)x);
            break;
        }
        pos += 8;
        rec++;
    }
    t->pos = pos;
    t->rec = rec;
    t->last = last;
    t->pid = pid;
    if (t->eof && !t->failed && end - pos < 8)
        tf_mmt_end(t);
    return k;
}
