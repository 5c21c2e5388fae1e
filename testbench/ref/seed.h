// seed.h - the seed of the randomized tests: a fixed default so that runs
// repeat, MMUSIM_SEED=<n> to explore or to reproduce a reported failure.
#ifndef MMUSIM_TEST_SEED_H
#define MMUSIM_TEST_SEED_H

#include <cstdint>
#include <cstdio>
#include <cstdlib>

// MMUSIM_SEED when set, else fallback; printed so that a failing run names it.
inline uint64_t test_seed(uint64_t fallback)
{
    uint64_t seed = fallback;
    if (const char *s = std::getenv("MMUSIM_SEED"))
        seed = std::strtoull(s, nullptr, 0);
    std::printf("MMUSIM_SEED=%llu\n", (unsigned long long)seed);
    return seed;
}

#endif
