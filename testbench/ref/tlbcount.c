/*
 * tlbcount ENTRIES WAYS POLICY < TRACE.din
 *
 * An independent count of the misses of one TLB level over a Dinero "din" trace, written
 * without any mmusim code so that a regression (testbench/regress/dinero_equiv.sh) has a
 * third opinion beside mmusim and Dinero IV.
 *
 *   ENTRIES  number of entries (> 0)
 *   WAYS     entries per set; 0 means fully associative (WAYS = ENTRIES)
 *   POLICY   lru or fifo
 *
 * A din record is `LABEL ADDRESS [anything]`, both hexadecimal, either with an optional 0x.
 * Labels 0 (read), 1 (write), 2 (fetch) and 3 (other) are references; 4 (write back) leaves
 * a TLB as it is; 5 invalidates the entry of its page.  The page is the address >> 12:
 * Dinero's word alignment (address & ~3) never changes it.  Sets = ENTRIES / WAYS and a page
 * lives in set (page mod sets); nothing here needs the counts to be powers of two.
 *
 * Output: `refs N misses M`, then one `label L refs N misses M` line per reference label
 * and `invalidates N`.  Exit 2 on bad arguments or a malformed record.
 *
 * LRU is counted as Mattson's stack distance, not by simulating replacement: a set keeps its
 * pages in order of last use, and a reference misses when its page is new or at depth >= WAYS.
 * A page pushed to depth WAYS has left the TLB: it misses at its next use even if an
 * invalidation frees a way meanwhile, so each set keeps only its top WAYS pages.  FIFO has no
 * stack property and is a queue: a miss appends at the tail and drops the head when the set
 * is full; a hit changes nothing.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { PAGE_SHIFT = 12, NLABELS = 4, LINE_MAX_LEN = 512 };

/* One set: `page[0..n)` is the LRU stack (index 0 = most recent) or the FIFO queue
 * (index 0 = oldest), holding at most `ways` pages. */
typedef struct {
    uint64_t *page;
    size_t n;
} set_t;

/* The TLB being counted and its totals per reference label. */
typedef struct {
    set_t *sets;
    uint64_t nsets;
    size_t ways;
    int lru;
    uint64_t refs[NLABELS], misses[NLABELS], invalidates;
} count_t;

/* Prints the usage line and exits 2. */
static void usage(void)
{
    fputs("usage: tlbcount ENTRIES WAYS lru|fifo < TRACE.din  (WAYS 0: fully associative)\n",
          stderr);
    exit(2);
}

/* Parses a whole decimal argument into *v; 0 if it is not one. */
static int parse_uint(const char *s, unsigned long *v)
{
    char *end;
    if (!isdigit((unsigned char)s[0]))
        return 0;
    errno = 0;
    *v = strtoul(s, &end, 10);
    return errno == 0 && *end == '\0';
}

/* Returns the position of `page` in set `s`, or -1 when it is absent. */
static long find(const set_t *s, uint64_t page)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->page[i] == page)
            return (long)i;
    return -1;
}

/* Counts one reference of `label` to `page`: the stack distance for LRU, the queue for
 * FIFO, as described at the top of the file. */
static void reference(count_t *c, unsigned label, uint64_t page)
{
    set_t *s = &c->sets[page % c->nsets];
    long at = find(s, page);
    c->refs[label]++;
    if (c->lru) {
        /* Depth `at` < ways is a hit; absent means new or deeper than ways: a miss.  Either
         * way the page goes on top and everything above its old depth sinks by one; a page
         * pushed below depth ways-1 falls off the kept part of the stack. */
        size_t from = (size_t)at;
        if (at < 0) {
            c->misses[label]++;
            if (s->n < c->ways)
                s->n++;
            from = s->n - 1;
        }
        memmove(&s->page[1], &s->page[0], from * sizeof s->page[0]);
        s->page[0] = page;
    } else if (at < 0) {
        c->misses[label]++;
        if (s->n == c->ways) {
            memmove(&s->page[0], &s->page[1], (s->n - 1) * sizeof s->page[0]);
            s->n--;
        }
        s->page[s->n++] = page;
    }
}

/* Forgets `page`, if its set holds it, keeping the order of the others (stack or queue). */
static void invalidate(count_t *c, uint64_t page)
{
    set_t *s = &c->sets[page % c->nsets];
    long at = find(s, page);
    c->invalidates++;
    if (at >= 0) {
        memmove(&s->page[at], &s->page[at + 1], (s->n - (size_t)at - 1) * sizeof s->page[0]);
        s->n--;
    }
}

/* Reports a malformed record of line `lineno` and exits 2. */
static void bad_record(unsigned long lineno, const char *why)
{
    fprintf(stderr, "tlbcount: stdin:%lu: %s\n", lineno, why);
    exit(2);
}

/* Reads din records from stdin into `c` until end of file; exits 2 on a malformed one. */
static void run(count_t *c)
{
    char line[LINE_MAX_LEN];
    unsigned long lineno = 0;
    int whole = 1; /* the previous fgets ended its line: this one starts a record */
    while (fgets(line, sizeof line, stdin)) {
        size_t len = strlen(line);
        int starts = whole;
        whole = len > 0 && line[len - 1] == '\n';
        if (!starts)
            continue; /* the ignored tail of an over-long record */
        lineno++;
        /* strtoull would also take a sign or an empty field: insist on a hex digit first */
        char *p = line + strspn(line, " \t"), *end;
        if (!isxdigit((unsigned char)*p))
            bad_record(lineno, "label is not hexadecimal");
        unsigned long label = strtoul(p, &end, 16);
        if (*end != ' ' && *end != '\t')
            bad_record(lineno, "no address after the label");
        p = end + strspn(end, " \t");
        if (!isxdigit((unsigned char)*p))
            bad_record(lineno, "address is not hexadecimal");
        errno = 0;
        uint64_t addr = strtoull(p, &end, 16);
        if (errno == ERANGE || (*end != '\0' && !isspace((unsigned char)*end)))
            bad_record(lineno, "address is not a 64-bit hexadecimal number");
        uint64_t page = (addr & ~(uint64_t)3) >> PAGE_SHIFT;
        if (label < NLABELS)
            reference(c, (unsigned)label, page);
        else if (label == 5)
            invalidate(c, page);
        else if (label != 4)
            bad_record(lineno, "label is not 0-5");
    }
    if (ferror(stdin)) {
        perror("tlbcount: stdin");
        exit(2);
    }
}

/* Checks the arguments, counts stdin and prints the totals. */
int main(int argc, char **argv)
{
    unsigned long entries, ways;
    if (argc != 4 || !parse_uint(argv[1], &entries) || !parse_uint(argv[2], &ways))
        usage();
    if (ways == 0)
        ways = entries;
    if (entries == 0 || ways > entries || entries % ways != 0) {
        fprintf(stderr, "tlbcount: %s entries cannot be split into sets of %s ways\n",
                argv[1], argv[2]);
        return 2;
    }
    count_t c = { .nsets = entries / ways, .ways = ways };
    if (strcmp(argv[3], "lru") == 0)
        c.lru = 1;
    else if (strcmp(argv[3], "fifo") != 0)
        usage();
    c.sets = calloc(c.nsets, sizeof *c.sets);
    uint64_t *pages = calloc(entries, sizeof *pages);
    if (!c.sets || !pages) {
        fputs("tlbcount: out of memory\n", stderr);
        return 2;
    }
    for (uint64_t i = 0; i < c.nsets; i++)
        c.sets[i].page = pages + i * ways;

    static char inbuf[1 << 16];
    setvbuf(stdin, inbuf, _IOFBF, sizeof inbuf);
    run(&c);

    uint64_t refs = 0, misses = 0;
    for (unsigned l = 0; l < NLABELS; l++) {
        refs += c.refs[l];
        misses += c.misses[l];
    }
    printf("refs %" PRIu64 " misses %" PRIu64 "\n", refs, misses);
    for (unsigned l = 0; l < NLABELS; l++)
        printf("label %u refs %" PRIu64 " misses %" PRIu64 "\n", l, c.refs[l], c.misses[l]);
    printf("invalidates %" PRIu64 "\n", c.invalidates);
    free(pages);
    free(c.sets);
    return 0;
}
