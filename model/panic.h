/*
 * panic.h - the broken-invariant exit.  A panic means a bug in mmusim, not
 * bad input: bad input is reported as "file:line: message" with exit 2.
 */
#ifndef MMUSIM_PANIC_H
#define MMUSIM_PANIC_H

#ifdef __cplusplus
extern "C" {
#endif

/* Prints "mmusim: panic: FUNC: message" on stderr and aborts. */
#if defined(__GNUC__)
__attribute__((noreturn, format(printf, 2, 3)))
#endif
void panic_at(const char *func, const char *fmt, ...);

#define panic(...) panic_at(__func__, __VA_ARGS__)

#ifdef __cplusplus
}
#endif
#endif
