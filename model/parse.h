/*
 * parse.h - the number and token syntax shared by every text input
 * (configs, vectors, traces): numbers are 0x-prefixed hex or decimal.
 */
#ifndef MMUSIM_PARSE_H
#define MMUSIM_PARSE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Parses all of s as 0x hex or decimal; 0, or -1 on junk, sign or overflow. */
int parse_u64(const char *s, uint64_t *out);

/*
 * Parses [s, s+len) as a size: decimal or 0x hex digits, then, when
 * suffix is set, an optional K, M, G or T (either case) multiplying by
 * 2^10, 2^20, 2^30 or 2^40.  0; -1 when it is not such a number (a sign,
 * blanks, junk, no digit); -2 when the value does not fit in 64 bits.
 */
int parse_size(const char *s, size_t len, int suffix, uint64_t *out);

/*
 * Splits line in place at white space, dropping a `#` comment; stores at
 * most max tokens and returns how many there were (may exceed max).
 */
int parse_tokens(char *line, char **tok, int max);

/*
 * Prints "path:line: " and the message fmt/ap, then a newline, to stderr:
 * the one form of every bad-input message about a line of a file.
 */
void parse_report(const char *path, unsigned long line, const char *fmt, va_list ap);

#ifdef __cplusplus
}
#endif
#endif
