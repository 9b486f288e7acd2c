/* A growable byte buffer with a size cap and a sticky error, after curl's
 * dynbuf: the one way library code builds text (documents, request bodies,
 * the output of a child process) whose size it does not know in advance.
 *
 * Errors are sticky: after the first failure (AVE_ERR_NOMEM, AVE_ERR_LIMIT
 * when the text would pass the cap, AVE_ERR_INTERNAL when vsnprintf fails)
 * the buffer is freed and emptied, every later append is a no-op returning
 * the same code, and err says why. Writers append freely and check once, at
 * dynbuf_take() or err. The cap counts the terminating NUL: the text is at
 * most max - 1 bytes.
 *
 * Internal to the library (not part of include/ave): hence the short
 * prefix; libave.a keeps such names local (docs/ARCHITECTURE.md). */
#ifndef AVE_CORE_DYNBUF_H
#define AVE_CORE_DYNBUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct dynbuf {
    char *data; /* NUL-terminated text (NULL until the first byte); owned */
    size_t len; /* bytes of text, without the NUL */
    size_t cap; /* bytes allocated */
    size_t max; /* cap on len + 1 */
    int err;    /* sticky: 0 or the first failure's AVE_ERR_* code */
} dynbuf;

/* An empty buffer that will hold at most max - 1 bytes of text (max >= 1).
 * Allocates nothing. DYNBUF_INIT is the same as an initialiser. */
void dynbuf_init(dynbuf *b, size_t max);
#define DYNBUF_INIT(max) {NULL, 0, 0, (max), 0}

/* Free the text; the buffer is empty again (same max, error cleared) and
 * may be reused. NULL is accepted. */
void dynbuf_free(dynbuf *b);

/* Append n bytes of p (which may hold NULs; p may be NULL when n is 0).
 * Returns 0 or the sticky error. */
int dynbuf_add(dynbuf *b, const void *p, size_t n);

/* Append the C string s (NULL appends nothing). */
int dynbuf_adds(dynbuf *b, const char *s);

/* Append printf-formatted text. */
int dynbuf_printf(dynbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A writer's own failure (out of memory building what it meant to append):
 * the buffer fails with err as if an append had. Returns the sticky error
 * (the earlier one if it had already failed). */
int dynbuf_fail(dynbuf *b, int err);
int dynbuf_vprintf(dynbuf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* The text so far: never NULL ("" when empty or failed); borrowed, valid
 * until the next append or free. */
const char *dynbuf_str(const dynbuf *b);

/* Hand the text over: on success *out is the NUL-terminated text (an empty
 * string when nothing was added; the caller frees), *len (when len is not
 * NULL) its length, and 0 is returned. On a sticky error, or when even the
 * empty string cannot be allocated, *out is NULL, *len 0 and the error is
 * returned. Either way the buffer is left empty and reusable, error
 * cleared. */
int dynbuf_take(dynbuf *b, char **out, size_t *len);

/* A write callback with fwrite's shape, for libcurl's CURLOPT_WRITEFUNCTION
 * (opaque: the dynbuf): appends size * nmemb bytes and returns that count,
 * or 0 after a failure, which makes curl abort the transfer. */
size_t dynbuf_write(char *ptr, size_t size, size_t nmemb, void *opaque);

#endif
