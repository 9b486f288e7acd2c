/* The growable buffer (src/core/dynbuf.c): text and bytes appended across
 * many growths stay exact and NUL-terminated, the cap holds to the byte,
 * errors are sticky and free the text, huge and wrapping sizes are refused
 * without allocating, and a failed allocation leaks nothing. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc_fail.h"
#include "check.h"
#include "ave/error.h"
#include "core/dynbuf.h"

static void test_text(void)
{
    dynbuf b;
    char *out, want[64];
    size_t len;

    dynbuf_init(&b, 1 << 20);
    CHECK(!strcmp(dynbuf_str(&b), ""));
    CHECK_EQ_INT(dynbuf_adds(&b, "abc"), 0);
    CHECK_EQ_INT(dynbuf_add(&b, "defXYZ", 3), 0);
    CHECK_EQ_INT(dynbuf_adds(&b, NULL), 0);
    CHECK_EQ_INT(dynbuf_add(&b, NULL, 0), 0);
    CHECK_EQ_INT(dynbuf_printf(&b, "-%d-%s", 42, "x"), 0);
    CHECK(!strcmp(dynbuf_str(&b), "abcdef-42-x"));
    CHECK_EQ_INT(b.len, 11);
    /* Many appends across several doublings, each checked in place. */
    for (int i = 0; i < 10000; i++) {
        size_t before = b.len;
        int n = snprintf(want, sizeof(want), "%d,", i);
        CHECK_EQ_INT(dynbuf_printf(&b, "%d,", i), 0);
        CHECK_EQ_INT(b.len, before + (size_t)n);
        CHECK(!memcmp(b.data + before, want, (size_t)n + 1)); /* NUL included */
    }
    CHECK(b.cap <= 1 << 20 && b.cap > b.len);
    CHECK_EQ_INT(dynbuf_take(&b, &out, &len), 0);
    CHECK(out && len == strlen(out) && !strncmp(out, "abcdef-42-x0,1,2,", 17));
    CHECK(!strcmp(out + len - 5, "9999,"));
    free(out);
    /* Taken: empty again and reusable. */
    CHECK(b.data == NULL && b.len == 0 && b.err == 0);
    CHECK_EQ_INT(dynbuf_adds(&b, "again"), 0);
    CHECK(!strcmp(dynbuf_str(&b), "again"));
    dynbuf_free(&b);
    dynbuf_free(NULL);
}

static void test_bytes_and_empty(void)
{
    dynbuf b;
    char *out;
    size_t len = 99;
    static const char bin[5] = {'a', '\0', 'b', '\0', 'c'};

    /* Nothing added: an empty string, not NULL. */
    dynbuf_init(&b, 16);
    CHECK_EQ_INT(dynbuf_take(&b, &out, &len), 0);
    CHECK(out && out[0] == '\0' && len == 0);
    free(out);
    /* Embedded NULs are bytes like any other. */
    CHECK_EQ_INT(dynbuf_add(&b, bin, sizeof(bin)), 0);
    CHECK_EQ_INT(b.len, 5);
    CHECK(!memcmp(b.data, bin, 5) && b.data[5] == '\0');
    CHECK_EQ_INT(dynbuf_take(&b, &out, NULL), 0);
    free(out);
}

static void test_cap(void)
{
    dynbuf b;
    char *out = (char *)1, big[100];
    size_t len = 99;

    /* max 10: nine bytes of text fit, the tenth does not. */
    dynbuf_init(&b, 10);
    CHECK_EQ_INT(dynbuf_adds(&b, "123456789"), 0);
    CHECK_EQ_INT(b.cap, 10);
    CHECK_EQ_INT(dynbuf_adds(&b, ""), 0);
    CHECK_EQ_INT(dynbuf_adds(&b, "x"), AVE_ERR_LIMIT);
    /* Sticky: the text is gone, later appends fail the same way. */
    CHECK(b.data == NULL && b.len == 0 && b.err == AVE_ERR_LIMIT);
    CHECK(!strcmp(dynbuf_str(&b), ""));
    CHECK_EQ_INT(dynbuf_adds(&b, ""), AVE_ERR_LIMIT);
    CHECK_EQ_INT(dynbuf_printf(&b, "%s", ""), AVE_ERR_LIMIT);
    CHECK_EQ_INT(dynbuf_take(&b, &out, &len), AVE_ERR_LIMIT);
    CHECK(out == NULL && len == 0);
    /* Reusable after take. */
    CHECK_EQ_INT(b.err, 0);
    CHECK_EQ_INT(dynbuf_printf(&b, "%s", "abc"), 0);
    /* A printf that would pass the cap fails whole; nothing half-written. */
    memset(big, 'z', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    CHECK_EQ_INT(dynbuf_printf(&b, "%s", big), AVE_ERR_LIMIT);
    CHECK(b.data == NULL);
    dynbuf_free(&b);
    CHECK_EQ_INT(b.err, 0);

    /* max 1 holds only the empty string; max 0 holds nothing at all. */
    dynbuf_init(&b, 1);
    CHECK_EQ_INT(dynbuf_take(&b, &out, NULL), 0);
    CHECK(out && !out[0]);
    free(out);
    CHECK_EQ_INT(dynbuf_adds(&b, "a"), AVE_ERR_LIMIT);
    dynbuf_free(&b);
    dynbuf_init(&b, 0);
    CHECK_EQ_INT(dynbuf_take(&b, &out, NULL), AVE_ERR_LIMIT);
    CHECK(out == NULL);
}

static void test_huge(void)
{
    dynbuf b;
    char c = 'x', *big;
    size_t n = 3u << 20;

    /* Sizes that would wrap a sum are refused before any allocation. */
    dynbuf_init(&b, SIZE_MAX);
    CHECK_EQ_INT(dynbuf_add(&b, "a", 1), 0);
    CHECK_EQ_INT(dynbuf_add(&b, &c, SIZE_MAX), AVE_ERR_LIMIT);
    dynbuf_free(&b);
#if ALLOC_FAIL_AVAILABLE
    /* Within an unlimited cap, the allocation itself fails, cleanly (not
     * under the sanitizers, whose allocator aborts on such a size). */
    CHECK_EQ_INT(dynbuf_add(&b, &c, SIZE_MAX - 1), AVE_ERR_NOMEM);
    CHECK(b.data == NULL && b.err == AVE_ERR_NOMEM);
    dynbuf_free(&b);
#endif
    CHECK_EQ_INT(dynbuf_write(&c, SIZE_MAX / 2, 4, &b), 0);
    CHECK_EQ_INT(b.err, AVE_ERR_LIMIT);
    dynbuf_free(&b);

    /* One append of megabytes into an empty buffer, then one past the cap. */
    if (!(big = malloc(n))) {
        CHECK(!"malloc");
        return;
    }
    memset(big, 'q', n);
    dynbuf_init(&b, 4u << 20);
    CHECK_EQ_INT(dynbuf_add(&b, big, n), 0);
    CHECK(b.len == n && b.data[n] == '\0' && b.data[n - 1] == 'q' && b.cap <= 4u << 20);
    CHECK_EQ_INT(dynbuf_printf(&b, "%.*s", (int)(1u << 20), big), AVE_ERR_LIMIT);
    dynbuf_free(&b);
    /* The same through the curl-shaped writer: counts back, then 0. */
    dynbuf_init(&b, n + 1);
    CHECK_EQ_INT(dynbuf_write(big, 1, n, &b), n);
    CHECK_EQ_INT(dynbuf_write(big, 1, 1, &b), 0);
    CHECK_EQ_INT(b.err, AVE_ERR_LIMIT);
    dynbuf_free(&b);
    free(big);
}

/* Every allocation of a growing buffer failed in turn: the error is NOMEM,
 * sticky, and nothing leaks. */
static void test_alloc_failure(void)
{
#if ALLOC_FAIL_AVAILABLE
    for (long at = 1;; at++) {
        dynbuf b;
        char *out = NULL;
        int failed, ret;

        dynbuf_init(&b, 1 << 20);
        alloc_fail_arm(at);
        for (int i = 0; i < 2000; i++)
            dynbuf_printf(&b, "line %d of the text\n", i);
        ret = dynbuf_take(&b, &out, NULL);
        free(out);
        long leaked = alloc_fail_disarm(&failed, NULL);
        CHECK_EQ_INT(leaked, 0);
        if (!failed) {
            CHECK_EQ_INT(ret, 0);
            break;
        }
        CHECK_EQ_INT(ret, AVE_ERR_NOMEM);
    }
#endif
}

int main(void)
{
    test_text();
    test_bytes_and_empty();
    test_cap();
    test_huge();
    test_alloc_failure();
    return CHECK_DONE();
}
