#include "panic.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* Reports a broken invariant with the function that found it, then aborts. */
void panic_at(const char *func, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "mmusim: panic: %s: ", func);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}
