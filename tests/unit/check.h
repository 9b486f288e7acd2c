/* A ten-line assertion header for unit tests: each failed check prints the
 * location and expression and the test exits non-zero at the end. */
#ifndef AVE_TEST_CHECK_H
#define AVE_TEST_CHECK_H
#include <stdio.h>
#include <stdlib.h>
#include <math.h>

static int check_failures;

#define CHECK(cond) \
    do { if (!(cond)) { fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); check_failures++; } } while (0)
#define CHECK_EQ_INT(a, b) \
    do { long long a_ = (long long)(a), b_ = (long long)(b); if (a_ != b_) { fprintf(stderr, "%s:%d: %s == %lld, expected %s == %lld\n", __FILE__, __LINE__, #a, a_, #b, b_); check_failures++; } } while (0)
#define CHECK_NEAR(a, b, tol) \
    do { double a_ = (a), b_ = (b); if (!(fabs(a_ - b_) <= (tol))) { fprintf(stderr, "%s:%d: %s == %g, expected %g +- %g\n", __FILE__, __LINE__, #a, a_, b_, (double)(tol)); check_failures++; } } while (0)
/* Set under valgrind (tests/CMakeLists.txt), where every test is ~50x
 * slower: tests then skip their long, repetitive cases (real recordings,
 * extra sample rates) that the normal and ASan runs still cover. */
#define CHECK_QUICK() (getenv("AVE_TEST_QUICK") != NULL)
#define CHECK_DONE() (check_failures ? (fprintf(stderr, "%d check(s) failed\n", check_failures), 1) : 0)
#endif
