/*
 * mutate.c - `mutate SEED IN OUT`: writes IN to OUT with a few random
 * mutations, for the trace-reader fuzzing of testbench/regress/fuzz_traces.sh.
 *
 * A host tool, not part of the model.  The mutations are what breaks a
 * reader written for well-formed input: flipped bits and random bytes
 * (anywhere, or in the 8-byte word at a record boundary), characters of
 * the text formats (a digit, a blank, a newline, a kind letter where it
 * does not belong, above all at the start of a line: a label, a kind), bytes cut out or put in (records shift), the file cut
 * short, long runs of one byte (overlong lines and numbers).  The same SEED gives the same file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* xorshift64: small, and the same sequence everywhere. */
static uint64_t rng_state;
static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Reads all of path into a malloc'd buffer with room for growth; NULL on error. */
static unsigned char *slurp(const char *path, size_t *len, size_t *cap)
{
    FILE *f = fopen(path, "rb");
    unsigned char *b;

    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    *cap = 2 * *len + 65536;
    b = malloc(*cap);
    if (b && fread(b, 1, *len, f) != *len) {
        free(b);
        b = NULL;
    }
    fclose(f);
    return b;
}

int main(int argc, char **argv)
{
    size_t len, cap;
    unsigned char *b;
    FILE *out;
    int n;

    if (argc != 4) {
        fprintf(stderr, "usage: mutate SEED IN OUT\n");
        return 2;
    }
    rng_state = strtoull(argv[1], NULL, 0) * 2654435761u + 88172645463325252ULL;
    if (!(b = slurp(argv[2], &len, &cap))) {
        fprintf(stderr, "mutate: cannot read %s\n", argv[2]);
        return 2;
    }
    n = 1 + (int)(rng() % 4);
    for (int i = 0; i < n && len > 0; i++) {
        size_t at = (size_t)(rng() % len), k;
        switch (rng() % 10) {
        case 0: /* flip a bit */
            b[at] ^= (unsigned char)(1u << (rng() % 8));
            break;
        case 1: /* a random byte */
            b[at] = (unsigned char)rng();
            break;
        case 7:
        case 8: { /* a character of the text formats' alphabets, where it may be wrong */
            static const char alphabet[] = "0123456789abcdefABCDEFxX ,\n\t\r#=ILSM";
            b[at] = (unsigned char)alphabet[rng() % (sizeof alphabet - 1)];
            break;
        }
        case 2: /* a random 8-byte word at a record boundary */
            at &= ~(size_t)7;
            for (k = 0; k < 8 && at + k < len; k++)
                b[at + k] = (unsigned char)rng();
            break;
        case 3: /* cut bytes out */
            k = 1 + (size_t)(rng() % 16);
            if (at + k > len)
                k = len - at;
            memmove(b + at, b + at + k, len - at - k);
            len -= k;
            break;
        case 4: /* put random bytes in */
            k = 1 + (size_t)(rng() % 16);
            if (len + k > cap)
                break;
            memmove(b + at + k, b + at, len - at);
            for (size_t j = 0; j < k; j++)
                b[at + j] = (unsigned char)rng();
            len += k;
            break;
        case 5: /* cut the file short */
            len = at;
            break;
        case 9: /* the first byte of a line (a din label, a lackey kind) a digit or letter */
            while (at > 0 && b[at - 1] != '\n')
                at--;
            b[at] = (unsigned char)"0123456789abcdefILSM"[rng() % 20];
            break;
        default: /* a run of one byte: overlong lines, numbers, sizes */
            k = 1 + (size_t)(rng() % 8192);
            if (len + k > cap)
                break;
            memmove(b + at + k, b + at, len - at);
            memset(b + at, "0f,\n \x01\xff"[rng() % 7], k);
            len += k;
            break;
        }
    }
    if (!(out = fopen(argv[3], "wb")) || fwrite(b, 1, len, out) != len || fclose(out)) {
        fprintf(stderr, "mutate: cannot write %s\n", argv[3]);
        return 2;
    }
    free(b);
    return 0;
}
