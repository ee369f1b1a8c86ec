#pragma once
// FUZZ_CHECK: an invariant of a fuzz target. A violation prints what failed and aborts, which
// libFuzzer reports as a crash (with the input saved), like a sanitizer finding.

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition)                                                                      \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #condition); \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)
