#include "parse.h"

#include <ctype.h>
#include <errno.h>
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
