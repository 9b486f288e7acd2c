/* The growable buffer (dynbuf.h). Grows by doubling from a small first
 * block, never past the cap, so one huge append costs one realloc and a
 * runaway writer stops at the cap instead of at the machine's memory.
 * On the first failure the text is freed at once: nobody reads a half
 * document, and the memory is better back with the job. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "core/dynbuf.h"

/* Big enough for a line or a small document, small enough that the many
 * short buffers (a subtitle cue, a cache key's options) cost little. */
#define DYNBUF_FIRST 256

void dynbuf_init(dynbuf *b, size_t max)
{
    memset(b, 0, sizeof(*b));
    b->max = max;
}

void dynbuf_free(dynbuf *b)
{
    if (!b)
        return;
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->err = 0;
}

static int fail(dynbuf *b, int err)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->err = err;
    return err;
}

/* Room for n more bytes and the NUL. */
int dynbuf_fail(dynbuf *b, int err)
{
    return b->err ? b->err : fail(b, err);
}

static int reserve(dynbuf *b, size_t n)
{
    size_t want, cap;
    char *p;

    if (b->err)
        return b->err;
    /* len + 1 <= cap <= max always holds once allocated; written so that no
     * sum can wrap. */
    if (b->max == 0 || n > b->max - 1 - b->len)
        return fail(b, AVE_ERR_LIMIT);
    want = b->len + n + 1;
    if (want <= b->cap)
        return 0;
    cap = b->cap ? b->cap : DYNBUF_FIRST;
    while (cap < want)
        cap = cap > b->max / 2 ? b->max : cap * 2;
    if (cap > b->max)
        cap = b->max;
    if (!(p = realloc(b->data, cap)))
        return fail(b, AVE_ERR_NOMEM);
    b->data = p;
    b->cap = cap;
    return 0;
}

int dynbuf_add(dynbuf *b, const void *p, size_t n)
{
    int ret = reserve(b, n);

    if (ret < 0)
        return ret;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int dynbuf_adds(dynbuf *b, const char *s)
{
    return s ? dynbuf_add(b, s, strlen(s)) : b->err;
}

int dynbuf_vprintf(dynbuf *b, const char *fmt, va_list ap)
{
    size_t room = b->cap - b->len;
    va_list again;
    int n, ret;

    if (b->err)
        return b->err;
    /* Format into the free space; only text that does not fit is formatted
     * again after growing. The first try may overwrite the NUL, but then
     * either the second try writes it or the failure frees the text. */
    va_copy(again, ap);
    n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, again);
    va_end(again);
    if (n < 0)
        return fail(b, AVE_ERR_INTERNAL);
    if ((size_t)n >= room) {
        if ((ret = reserve(b, (size_t)n)) < 0)
            return ret;
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    }
    b->len += (size_t)n;
    return 0;
}

int dynbuf_printf(dynbuf *b, const char *fmt, ...)
{
    va_list ap;
    int ret;

    va_start(ap, fmt);
    ret = dynbuf_vprintf(b, fmt, ap);
    va_end(ap);
    return ret;
}

const char *dynbuf_str(const dynbuf *b)
{
    return b->data ? b->data : "";
}

int dynbuf_take(dynbuf *b, char **out, size_t *len)
{
    *out = NULL;
    if (len)
        *len = 0;
    /* Nothing added: still hand over a string, as callers expect one. */
    if (!b->data && reserve(b, 0) == 0)
        b->data[0] = '\0';
    if (b->err) {
        int err = b->err;
        dynbuf_free(b);
        return err;
    }
    *out = b->data;
    if (len)
        *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return 0;
}

size_t dynbuf_write(char *ptr, size_t size, size_t nmemb, void *opaque)
{
    dynbuf *b = opaque;

    /* curl passes size 1; a product that wraps cannot fit the cap anyway. */
    if (size && nmemb > (size_t)-1 / size) {
        fail(b, AVE_ERR_LIMIT);
        return 0;
    }
    return dynbuf_add(b, ptr, size * nmemb) < 0 ? 0 : size * nmemb;
}
