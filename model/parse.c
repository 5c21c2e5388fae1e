#include "parse.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int parse_u64(const char *s, uint64_t *out)
{
    int base = 10;
    char *end;
    unsigned long long v;

    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (!isxdigit((unsigned char)s[0]) || (base == 10 && !isdigit((unsigned char)s[0])))
        return -1;
    errno = 0;
    v = strtoull(s, &end, base);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

/* Value of one digit in base (10 or 16), or -1 when c is not such a digit. */
static int parse_digit(char c, unsigned base)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (base == 16 && c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (base == 16 && c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Hand-written because strtoull accepts "-1", leading blanks and "+". */
int parse_size(const char *s, size_t len, int suffix, uint64_t *out)
{
    static const char SUFFIXES[] = "KMGT";
    unsigned base = 10;
    size_t i = 0, ndigits = 0;
    uint64_t v = 0;
    int range = 0;

    if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        base = 16, i = 2;
    for (; i < len && parse_digit(s[i], base) >= 0; i++, ndigits++) {
        unsigned d = (unsigned)parse_digit(s[i], base);
        if (v > (UINT64_MAX - d) / base)
            range = 1;
        v = v * base + d;
    }
    if (i < len && suffix && ndigits) {
        const char *p = memchr(SUFFIXES, s[i] & ~0x20, 4); /* either case */
        if (p) {
            unsigned shift = 10u * (unsigned)(p - SUFFIXES + 1);
            if (v > (UINT64_MAX >> shift))
                range = 1;
            v <<= shift;
            i++;
        }
    }
    if (ndigits == 0 || i != len)
        return -1;
    if (range)
        return -2;
    *out = v;
    return 0;
}

int parse_tokens(char *line, char **tok, int max)
{
    int n = 0;
    char *hash = strchr(line, '#');

    if (hash)
        *hash = '\0';
    for (char *p = strtok(line, " \t\r\n"); p; p = strtok(NULL, " \t\r\n")) {
        if (n < max)
            tok[n] = p;
        n++;
    }
    return n;
}

void parse_report(const char *path, unsigned long line, const char *fmt, va_list ap)
{
    fprintf(stderr, "%s:%lu: ", path, line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}
