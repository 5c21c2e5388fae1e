/*
 * parse.h - the number and token syntax shared by every text input
 * (configs, vectors, traces): numbers are 0x-prefixed hex or decimal.
 */
#ifndef MMUSIM_PARSE_H
#define MMUSIM_PARSE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Parses all of s as 0x hex or decimal; 0, or -1 on junk, sign or overflow. */
int parse_u64(const char *s, uint64_t *out);

/*
 * Splits line in place at white space, dropping a `#` comment; stores at
 * most max tokens and returns how many there were (may exceed max).
 */
int parse_tokens(char *line, char **tok, int max);

#ifdef __cplusplus
}
#endif
#endif
