/*
 * config.c - the key table and everything that reads or writes a
 * configuration through it.
 *
 * The table below is the only list of keys.  Defaults are applied by
 * parsing the table's default strings through the same path as --set, so
 * a default can never be something the parser would reject, and the file
 * writer and the key listing iterate the same rows.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "panic.h"
#include "parse.h"

/* A name a KEY_ENUM key accepts and the value it stores; lists end with a NULL name. */
typedef struct {
    const char *name;
    int value;
} choice_t;

typedef enum { KEY_NUM, KEY_ENUM } key_kind_t;

/* KEY_NUM flags. */
#define NUM_SUFFIX 1u /* accepts K, M, G, T (powers of 1024) */
#define NUM_HEX 2u    /* written back in hex: addresses and sizes read better so */

typedef struct {
    const char *name;
    key_kind_t kind;
    size_t offset, size;    /* the field in sim_config_t */
    unsigned flags;         /* KEY_NUM: NUM_* */
    uint64_t max;           /* KEY_NUM: largest value; 0 = what the field holds */
    const choice_t *choices; /* KEY_ENUM */
    const char *def;        /* default, in the syntax a file uses */
    const char *help;
} key_def_t;

static const choice_t MODES[] = {{"sv39", VM_SV39}, {"sv48", VM_SV48}, {NULL, 0}};
static const choice_t POLICIES[] = {
    {"lru", REPL_LRU}, {"plru", REPL_PLRU}, {"fifo", REPL_FIFO}, {"random", REPL_RANDOM}, {NULL, 0}};
static const choice_t AD_POLICIES[] = {{"svade", AD_SVADE}, {"svadu", AD_SVADU}, {NULL, 0}};
static const choice_t OS_POLICIES[] = {{"clock", OSP_CLOCK}, {"fifo", OSP_FIFO}, {"lru", OSP_LRU},
                                       {"opt", OSP_OPT},     {"random", OSP_RANDOM}, {NULL, 0}};
static const choice_t TIMINGS[] = {{"fixed", DRAM_FIXED}, {"ddr", DRAM_DDR}, {NULL, 0}};
/* A boolean is an enum of two names so that it gets the same error messages. */
static const choice_t BOOLS[] = {{"0", 0}, {"1", 1}, {NULL, 0}};

#define SEED_MAX 0xffffu /* the random policy's LFSR has 16 bits */
#define MAX_WAYS 256u
#define MAX_ASSOC_LATENCY 1000u
#define MAX_DRAM_TIMING 10000u
#define MAX_DRAM_BANKS 1024u /* bounds the timer's per-bank state */
#define PA_BITS 56           /* Sv39/Sv48 PPN (44 bits) + page offset */
#define MAX_ASIDS 65536u    /* satp.ASID has 16 bits */
#define MAX_COST 100000000u /* bounds simulated time per event */
#define MAX_LINE 4095        /* longest config-file line, without its newline */

#define FIELD(f) offsetof(sim_config_t, f), sizeof(((sim_config_t *)0)->f)
#define NUM(name, f, flags, max, def, help) {name, KEY_NUM, FIELD(f), flags, max, NULL, def, help}
#define ENUM(name, f, choices, def, help) {name, KEY_ENUM, FIELD(f), 0, 0, choices, def, help}

/* The five keys of one set-associative structure (see docs/tlb.md). */
#define ASSOC_KEYS(pfx, f, what, d_entries, entries_help, d_ways, d_policy, d_latency)              \
    NUM(pfx ".entries", f.entries, 0, 0, d_entries, "entries of the " what entries_help),         \
    NUM(pfx ".ways", f.ways, 0, 0, d_ways, "ways per set of the " what "; 0 = fully associative"), \
    ENUM(pfx ".policy", f.policy, POLICIES, d_policy, "replacement policy of the " what),         \
    NUM(pfx ".latency", f.latency, 0, 0, d_latency, "lookup latency of the " what ", cycles"),    \
    NUM(pfx ".seed", f.seed, 0, SEED_MAX, "1", "LFSR seed of the " what " for policy random, non-zero")

static const key_def_t KEYS[] = {
    ENUM("mode", mode, MODES, "sv39", "translation mode: page-table levels (3 or 4)"),
    ASSOC_KEYS("tlb.l1", l1, "L1 TLB", "32", " (the instruction L1 when split)", "0", "lru", "1"),
    ENUM("tlb.l1.split", l1_split, BOOLS, "0",
         "1: separate instruction (tlb.l1) and data (tlb.l1d) L1 TLBs"),
    NUM("tlb.l1d.entries", l1d_entries, 0, 0, "0",
        "split: entries of the data L1 TLB; 0 = the same entries and ways as tlb.l1"),
    NUM("tlb.l1d.ways", l1d_ways, 0, 0, "0",
        "split, tlb.l1d.entries > 0: ways of the data L1 TLB; 0 = fully associative"),
    ASSOC_KEYS("tlb.l2", l2, "L2 TLB", "0", "; 0 = no L2 TLB", "4", "lru", "4"),
    ASSOC_KEYS("pwc", pwc, "page-walk cache", "0", "; 0 = no walk cache", "0", "lru", "1"),
    ENUM("ptw.ad", ad, AD_POLICIES, "svade",
         "A/D bits: svade faults when A (or D on a store) is clear, svadu sets them"),
    NUM("dram.base", dram.base, NUM_SUFFIX | NUM_HEX, 0, "0x80000000",
        "first physical address of DRAM, 4 KiB aligned"),
    NUM("dram.size", dram.size, NUM_SUFFIX | NUM_HEX, 0, "0x80000000", "DRAM size in bytes, 4 KiB aligned"),
    ENUM("dram.timing", dram.timing, TIMINGS, "fixed", "DRAM timing model: fixed latency or DDR banks"),
    NUM("dram.latency", dram.latency, 0, 0, "20", "fixed: cycles per access"),
    NUM("dram.banks", dram.banks, 0, 0, "8", "ddr: number of banks, a power of two"),
    NUM("dram.row_bytes", dram.row_bytes, NUM_SUFFIX, 0, "8192", "ddr: bytes per row, a power of two >= 8"),
    NUM("dram.tcl", dram.tcl, 0, 0, "14", "ddr: CAS latency tCL, cycles"),
    NUM("dram.trcd", dram.trcd, 0, 0, "14", "ddr: activate-to-read tRCD, cycles"),
    NUM("dram.trp", dram.trp, 0, 0, "14", "ddr: precharge tRP, cycles"),
    NUM("dram.tras", dram.tras, 0, 0, "33", "ddr: activate-to-precharge tRAS, cycles"),
    NUM("os.user_frames", os.user_frames, NUM_SUFFIX, 0, "0",
        "frames for user pages (page tables not counted); 0 = all of DRAM"),
    ENUM("os.policy", os.policy, OS_POLICIES, "clock", "page replacement: clock, fifo, lru, opt, random"),
    NUM("os.seed", os.seed, 0, 0, "1", "seed of os.policy random, non-zero"),
    NUM("os.asids", os.asids, 0, MAX_ASIDS, "65536", "ASIDs handed to processes, 2..65536"),
    NUM("os.cost.fault", os.cost_fault, 0, MAX_COST, "500", "cycles of every page fault taken"),
    NUM("os.cost.zero", os.cost_zero, 0, MAX_COST, "400", "cycles to zero a page"),
    NUM("os.cost.copy", os.cost_copy, 0, MAX_COST, "800", "cycles to copy a page"),
    NUM("swap.slots", os.swap_slots, NUM_SUFFIX, 1ULL << 32, "65536", "pages of swap space"),
    NUM("swap.latency", os.disk_latency, 0, MAX_COST, "50000",
        "disk cycles per page read or written (swap and file pages)"),
    ENUM("os.ad_on_fault", os.ad_on_fault, BOOLS, "0",
         "1: faults install pages of writable areas with A and D set (no later A/D faults)"),
};

#define NKEYS (sizeof KEYS / sizeof KEYS[0])

/* Formats a message into err; err may be NULL or errlen 0 when the caller wants none. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    if (!err || errlen == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* Largest value a KEY_NUM key accepts: its own limit, else what its field can hold. */
static uint64_t key_max(const key_def_t *k)
{
    if (k->max)
        return k->max;
    return k->size >= sizeof(uint64_t) ? UINT64_MAX : (1ULL << (8 * k->size)) - 1;
}

/*
 * Stores v in the field of k.  Fields are written through memcpy of a
 * fixed-width integer so that one routine serves unsigned, uint32_t, int
 * and enum fields without type punning.
 */
static void store_field(sim_config_t *c, const key_def_t *k, uint64_t v)
{
    unsigned char *p = (unsigned char *)c + k->offset;
    uint32_t v32 = (uint32_t)v;
    switch (k->size) {
    case sizeof(uint32_t): memcpy(p, &v32, sizeof v32); break;
    case sizeof(uint64_t): memcpy(p, &v, sizeof v); break;
    default: panic("key %s: field of %zu bytes", k->name, k->size);
    }
}

/* Reads the field of k as stored by store_field. */
static uint64_t load_field(const sim_config_t *c, const key_def_t *k)
{
    const unsigned char *p = (const unsigned char *)c + k->offset;
    uint32_t v32;
    uint64_t v;
    switch (k->size) {
    case sizeof(uint32_t): memcpy(&v32, p, sizeof v32); return v32;
    case sizeof(uint64_t): memcpy(&v, p, sizeof v); return v;
    default: panic("key %s: field of %zu bytes", k->name, k->size);
    }
}

/* The row of key [name, name+len), or NULL. */
static const key_def_t *find_key(const char *name, size_t len)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (strlen(KEYS[i].name) == len && memcmp(KEYS[i].name, name, len) == 0)
            return &KEYS[i];
    return NULL;
}

/* Writes the choices of an enum key separated by sep, e.g. "lru, plru, fifo, random". */
static void join_choices(const choice_t *ch, const char *sep, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (; ch->name && used < len; ch++) {
        int n = snprintf(buf + used, len - used, "%s%s", used ? sep : "", ch->name);
        if (n < 0)
            return;
        used += (size_t)n;
    }
}

/* 1 for the ASCII white space a file may put around keys and values (\r: CRLF files). */
static int is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\v' || ch == '\f';
}

/* Removes leading and trailing white space from the span *s, *len. */
static void trim(const char **s, size_t *len)
{
    while (*len && is_space((*s)[0]))
        (*s)++, (*len)--;
    while (*len && is_space((*s)[*len - 1]))
        (*len)--;
}

/*
 * Parses [s, s+len) as a number for key k (parse_size, with a K/M/G/T
 * suffix where k allows it), with a message naming the key and its range.
 */
static int parse_number(const key_def_t *k, const char *s, size_t len, uint64_t *out, char *err,
                        size_t errlen)
{
    const char *what = (k->flags & NUM_SUFFIX) ? "a number (decimal or 0x hex, optional K/M/G/T suffix)"
                                               : "a number (decimal or 0x hex)";
    uint64_t v = 0;
    int rc;

    if (len >= 1 && s[0] == '-') {
        set_err(err, errlen, "%s: '%.*s' is negative", k->name, (int)len, s);
        return -1;
    }
    rc = parse_size(s, len, (k->flags & NUM_SUFFIX) != 0, &v);
    if (rc == -1) {
        set_err(err, errlen, "%s: '%.*s' is not %s", k->name, (int)len, s, what);
        return -1;
    }
    if (rc == -2 || v > key_max(k)) {
        set_err(err, errlen, "%s: '%.*s' is out of range (largest is %" PRIu64 ")", k->name, (int)len, s,
                key_max(k));
        return -1;
    }
    *out = v;
    return 0;
}

/* config_set on spans, so that file lines and assignments need no copies or length limits. */
static int set_span(sim_config_t *c, const char *key, size_t klen, const char *value, size_t vlen,
                    char *err, size_t errlen)
{
    const key_def_t *k = find_key(key, klen);
    uint64_t v;
    if (!k) {
        set_err(err, errlen, "unknown key '%.*s' (mmusim config --keys lists them)", (int)klen, key);
        return -1;
    }
    if (vlen == 0) {
        set_err(err, errlen, "%s: empty value", k->name);
        return -1;
    }
    if (k->kind == KEY_NUM) {
        if (parse_number(k, value, vlen, &v, err, errlen))
            return -1;
        store_field(c, k, v);
        return 0;
    }
    for (const choice_t *ch = k->choices; ch->name; ch++) {
        if (strlen(ch->name) == vlen && memcmp(ch->name, value, vlen) == 0) {
            store_field(c, k, (uint64_t)ch->value);
            return 0;
        }
    }
    char names[128];
    join_choices(k->choices, ", ", names, sizeof names);
    set_err(err, errlen, "%s: '%.*s' is not one of %s", k->name, (int)vlen, value, names);
    return -1;
}

/* Fills c from the table's default strings; a default the parser rejects is a bug here. */
void config_defaults(sim_config_t *c)
{
    char err[256];
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < NKEYS; i++)
        if (set_span(c, KEYS[i].name, strlen(KEYS[i].name), KEYS[i].def, strlen(KEYS[i].def), err,
                     sizeof err))
            panic("default of %s: %s", KEYS[i].name, err);
}

/* Sets key to value exactly as given (no trimming); 0, or -1 with a message. */
int config_set(sim_config_t *c, const char *key, const char *value, char *err, size_t errlen)
{
    return set_span(c, key, strlen(key), value, strlen(value), err, errlen);
}

/* Applies "key=value" split at the first '=', both sides trimmed; 0, or -1 with a message. */
int config_set_assignment(sim_config_t *c, const char *assignment, char *err, size_t errlen)
{
    const char *eq = strchr(assignment, '=');
    const char *key = assignment, *value;
    size_t klen, vlen;
    if (!eq) {
        set_err(err, errlen, "'%s': expected key=value", assignment);
        return -1;
    }
    klen = (size_t)(eq - assignment);
    value = eq + 1;
    vlen = strlen(value);
    trim(&key, &klen);
    trim(&value, &vlen);
    return set_span(c, key, klen, value, vlen, err, errlen);
}

/*
 * Applies one line (without its newline) of a file; seen[] holds the line
 * each key was set on so far.  0, or -1 with a message without location.
 */
static int load_line(sim_config_t *c, char *line, unsigned lineno, unsigned *seen, char *err,
                     size_t errlen)
{
    char *hash = strchr(line, '#');
    const char *key = line, *value;
    size_t klen, vlen;
    char *eq;
    if (hash)
        *hash = '\0';
    klen = strlen(line);
    trim(&key, &klen);
    if (klen == 0)
        return 0;
    eq = strchr(line, '=');
    if (!eq) {
        set_err(err, errlen, "expected 'key = value', got '%.*s'", (int)klen, key);
        return -1;
    }
    klen = (size_t)(eq - key);
    value = eq + 1;
    vlen = strlen(value);
    trim(&key, &klen);
    trim(&value, &vlen);
    const key_def_t *k = find_key(key, klen);
    if (k && seen[k - KEYS]) {
        set_err(err, errlen, "key '%s' already set on line %u", k->name, seen[k - KEYS]);
        return -1;
    }
    if (set_span(c, key, klen, value, vlen, err, errlen))
        return -1;
    seen[k - KEYS] = lineno;
    return 0;
}

/* Reads path over c; 0, or -1 with "path:line: message" (or "path: message") in err. */
int config_load(sim_config_t *c, const char *path, char *err, size_t errlen)
{
    char line[MAX_LINE + 2]; /* the line, its newline, the NUL */
    char msg[512];
    unsigned seen[NKEYS] = {0};
    unsigned lineno = 0;
    int rc = 0;
    FILE *f = fopen(path, "r");
    if (!f) {
        set_err(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    while (rc == 0 && fgets(line, sizeof line, f)) {
        size_t len = strlen(line);
        lineno++;
        if (len && line[len - 1] == '\n') {
            line[len - 1] = '\0';
        } else if (len > MAX_LINE) {
            /* The buffer filled up without a newline: the line has more than MAX_LINE characters. */
            set_err(err, errlen, "%s:%u: line longer than %d characters", path, lineno, MAX_LINE);
            rc = -1;
            break;
        }
        if (load_line(c, line, lineno, seen, msg, sizeof msg)) {
            set_err(err, errlen, "%s:%u: %s", path, lineno, msg);
            rc = -1;
        }
    }
    if (rc == 0 && ferror(f)) {
        set_err(err, errlen, "%s: read error: %s", path, strerror(errno));
        rc = -1;
    }
    fclose(f);
    return rc;
}

/* 1 when v is a power of two (1 included). */
static int is_pow2(uint64_t v)
{
    return v != 0 && (v & (v - 1)) == 0;
}

/* Checks one structure whose keys start with pfx; an absent L2 or walk cache is not checked. */
static int validate_assoc(const assoc_cfg_t *a, const char *pfx, int required, char *err, size_t errlen)
{
    unsigned ways = assoc_cfg_ways(a);
    if (a->entries == 0) {
        if (!required)
            return 0;
        set_err(err, errlen, "%s.entries: must be at least 1", pfx);
        return -1;
    }
    if (ways > a->entries) {
        set_err(err, errlen, "%s.ways: %u is more than %s.entries = %u", pfx, ways, pfx, a->entries);
    } else if (a->entries % ways) {
        set_err(err, errlen, "%s.entries: %u is not a multiple of %s.ways = %u", pfx, a->entries, pfx, ways);
    } else if (!is_pow2(a->entries / ways)) {
        set_err(err, errlen, "%s.entries: %u entries / %u ways = %u sets, not a power of two", pfx,
                a->entries, ways, a->entries / ways);
    } else if (ways > MAX_WAYS) {
        set_err(err, errlen, "%s.ways: %u ways%s is more than %u", pfx, ways,
                a->ways ? "" : " (fully associative)", MAX_WAYS);
    } else if (a->policy == REPL_PLRU && !is_pow2(ways)) {
        set_err(err, errlen, "%s.policy: plru needs a power-of-two number of ways, not %u", pfx, ways);
    } else if (a->latency < 1 || a->latency > MAX_ASSOC_LATENCY) {
        set_err(err, errlen, "%s.latency: %u is outside 1..%u", pfx, a->latency, MAX_ASSOC_LATENCY);
    } else if (a->seed < 1 || a->seed > SEED_MAX) {
        set_err(err, errlen, "%s.seed: %" PRIu32 " is outside 1..%u", pfx, a->seed, SEED_MAX);
    } else {
        return 0;
    }
    return -1;
}

/* Checks that a DRAM timing parameter lies in [lo, MAX_DRAM_TIMING]. */
static int check_timing(const char *key, unsigned v, unsigned lo, char *err, size_t errlen)
{
    if (v >= lo && v <= MAX_DRAM_TIMING)
        return 0;
    set_err(err, errlen, "%s: %u is outside %u..%u", key, v, lo, MAX_DRAM_TIMING);
    return -1;
}

/* Checks the DRAM keys among themselves. */
static int validate_dram(const dram_cfg_t *d, char *err, size_t errlen)
{
    const uint64_t pa_limit = 1ULL << PA_BITS;
    if (d->base % PAGE_SIZE) {
        set_err(err, errlen, "dram.base: 0x%" PRIx64 " is not a multiple of 4096", d->base);
    } else if (d->size == 0 || d->size % PAGE_SIZE) {
        set_err(err, errlen, "dram.size: 0x%" PRIx64 " is not a non-zero multiple of 4096", d->size);
    } else if (d->size > pa_limit || d->base > pa_limit - d->size) {
        set_err(err, errlen, "dram.base + dram.size: 0x%" PRIx64 " + 0x%" PRIx64
                " goes beyond the %d-bit physical address space", d->base, d->size, PA_BITS);
    } else if (!is_pow2(d->banks) || d->banks > MAX_DRAM_BANKS) {
        set_err(err, errlen, "dram.banks: %u is not a power of two up to %u", d->banks, MAX_DRAM_BANKS);
    } else if (!is_pow2(d->row_bytes) || d->row_bytes < 8) {
        set_err(err, errlen, "dram.row_bytes: %u is not a power of two >= 8", d->row_bytes);
    } else {
        return check_timing("dram.latency", d->latency, 1, err, errlen) ||
               check_timing("dram.tcl", d->tcl, 1, err, errlen) ||
               check_timing("dram.trcd", d->trcd, 0, err, errlen) ||
               check_timing("dram.trp", d->trp, 0, err, errlen) ||
               check_timing("dram.tras", d->tras, 0, err, errlen) ? -1 : 0;
    }
    return -1;
}

/*
 * Checks every field against its key's type (a struct filled by code, not
 * by config_set, may hold anything), then the relations between keys.
 */
int config_validate(const sim_config_t *c, char *err, size_t errlen)
{
    for (size_t i = 0; i < NKEYS; i++) {
        const key_def_t *k = &KEYS[i];
        uint64_t v = load_field(c, k);
        if (k->kind == KEY_NUM && v > key_max(k)) {
            set_err(err, errlen, "%s: %" PRIu64 " is above the largest value %" PRIu64, k->name, v,
                    key_max(k));
            return -1;
        }
        if (k->kind == KEY_ENUM) {
            const choice_t *ch = k->choices;
            while (ch->name && (uint64_t)ch->value != v)
                ch++;
            if (!ch->name) {
                char names[128];
                join_choices(k->choices, ", ", names, sizeof names);
                set_err(err, errlen, "%s: value %" PRIu64 " is not one of %s", k->name, v, names);
                return -1;
            }
        }
    }
    {
        assoc_cfg_t l1d = config_l1d(c);
        if (validate_assoc(&c->l1, "tlb.l1", 1, err, errlen) || validate_assoc(&c->l2, "tlb.l2", 0, err, errlen) ||
            validate_assoc(&c->pwc, "pwc", 0, err, errlen) || validate_assoc(&l1d, "tlb.l1d", 0, err, errlen))
            return -1;
        if ((c->l1d_entries || c->l1d_ways) && !c->l1_split) {
            set_err(err, errlen, "tlb.l1d.%s: needs tlb.l1.split = 1", c->l1d_entries ? "entries" : "ways");
            return -1;
        }
        if (c->l1d_ways && !c->l1d_entries) {
            set_err(err, errlen, "tlb.l1d.ways: needs tlb.l1d.entries (0 takes tlb.l1's geometry)");
            return -1;
        }
    }
    if (validate_dram(&c->dram, err, errlen))
        return -1;
    if (c->os.asids < 2) {
        set_err(err, errlen, "os.asids: %u is below 2 (ASID 0 is never given to a process)", c->os.asids);
        return -1;
    }
    if (c->os.seed == 0) {
        set_err(err, errlen, "os.seed: 0 is not allowed (the generator would stick at 0)");
        return -1;
    }
    return 0;
}

/* The current value of k as a file would spell it, into buf; 1 when it is a decimal number. */
static int format_value(const sim_config_t *c, const key_def_t *k, char *buf, size_t len)
{
    uint64_t v = load_field(c, k);
    if (k->kind == KEY_ENUM) {
        for (const choice_t *ch = k->choices; ch->name; ch++) {
            if ((uint64_t)ch->value == v) {
                snprintf(buf, len, "%s", ch->name);
                return k->choices == BOOLS;
            }
        }
        /* Not a valid name: show the raw value so the problem is visible (and fails to load). */
    }
    snprintf(buf, len, (k->flags & NUM_HEX) ? "0x%" PRIx64 : "%" PRIu64, v);
    return !(k->flags & NUM_HEX);
}

/* Writes the current value of k as a file would spell it. */
static void write_value(const sim_config_t *c, const key_def_t *k, FILE *f)
{
    char buf[64];
    format_value(c, k, buf, sizeof buf);
    fputs(buf, f);
}

unsigned config_key_count(void) { return (unsigned)NKEYS; }

int config_key(const sim_config_t *c, unsigned i, const char **name, char *val, size_t len)
{
    if (i >= NKEYS)
        panic("key %u of %u", i, (unsigned)NKEYS);
    *name = KEYS[i].name;
    return format_value(c, &KEYS[i], val, len);
}

/* Writes every key as "key = value", one per line, in table order. */
void config_write(const sim_config_t *c, FILE *f)
{
    for (size_t i = 0; i < NKEYS; i++) {
        fprintf(f, "%s = ", KEYS[i].name);
        write_value(c, &KEYS[i], f);
        fputc('\n', f);
    }
}

/* Writes the key table: key, accepted values, default, help. */
/* The "values" column of key k: its enum names, or what kind of number it takes. */
static void key_values_text(const key_def_t *k, char *buf, size_t len)
{
    if (k->kind == KEY_ENUM)
        join_choices(k->choices, "|", buf, len);
    else if (k->max)
        snprintf(buf, len, "number <= %" PRIu64, k->max);
    else
        snprintf(buf, len, "number%s", (k->flags & NUM_SUFFIX) ? " [K|M|G|T]" : "");
}

void config_write_keys(FILE *f)
{
    int wname = 3, wtype = 6, wdef = 7;
    char type[64];

    /* columns as wide as their widest cell, so that every row lines up */
    for (size_t i = 0; i < NKEYS; i++) {
        key_values_text(&KEYS[i], type, sizeof type);
        wname = (int)strlen(KEYS[i].name) > wname ? (int)strlen(KEYS[i].name) : wname;
        wtype = (int)strlen(type) > wtype ? (int)strlen(type) : wtype;
        wdef = (int)strlen(KEYS[i].def) > wdef ? (int)strlen(KEYS[i].def) : wdef;
    }
    fprintf(f, "%-*s  %-*s  %-*s  %s\n", wname, "key", wtype, "values", wdef, "default", "meaning");
    for (size_t i = 0; i < NKEYS; i++) {
        key_values_text(&KEYS[i], type, sizeof type);
        fprintf(f, "%-*s  %-*s  %-*s  %s\n", wname, KEYS[i].name, wtype, type, wdef, KEYS[i].def, KEYS[i].help);
    }
}

assoc_cfg_t config_l1d(const sim_config_t *c)
{
    assoc_cfg_t a = c->l1;

    if (!c->l1_split)
        a.entries = 0;
    else if (c->l1d_entries) {
        a.entries = c->l1d_entries;
        a.ways = c->l1d_ways;
    }
    return a;
}

/* Ways of a structure, ways = 0 meaning one set of all entries. */
unsigned assoc_cfg_ways(const assoc_cfg_t *a)
{
    return a->ways == 0 ? a->entries : a->ways;
}
