/* The writers' text buffer (see export.h): append-only, doubling, capped at
 * SB_MAX so a runaway timeline cannot eat the memory budget, with sticky
 * errors so writers check once at the end instead of after every line. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "export/export.h"

static int reserve(sbuf *b, size_t extra)
{
    size_t want = b->len + extra + 1, cap = b->cap ? b->cap : 4096;
    char *p;

    if (b->err)
        return -1;
    if (want > SB_MAX) {
        b->err = AVE_ERR_LIMIT;
        return -1;
    }
    if (want <= b->cap)
        return 0;
    while (cap < want)
        cap *= 2;
    if (!(p = realloc(b->data, cap))) {
        b->err = AVE_ERR_NOMEM;
        return -1;
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

void sb_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->err = AVE_ERR_INTERNAL;
        return;
    }
    if (reserve(b, (size_t)n) < 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when it is not one
 * (stray continuation byte, overlong form, surrogate, beyond U+10FFFF). */
static size_t utf8_len(const unsigned char *s)
{
    size_t n = s[0] < 0x80 ? 1 : s[0] >= 0xC2 && s[0] <= 0xDF ? 2
             : s[0] >= 0xE0 && s[0] <= 0xEF ? 3 : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;

    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((n == 3 && ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0))) ||
        (n == 4 && ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))))
        return 0;
    return n;
}

void sb_xml(sbuf *b, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    while (p && *p) {
        unsigned char c = *p;
        const char *rep = c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;"
                        : c == '"' ? "&quot;" : c == '\'' ? "&apos;" : NULL;
        size_t n = utf8_len(p);

        if (rep) {
            sb_printf(b, "%s", rep);
        } else if (n == 0) {
            sb_printf(b, "\xEF\xBF\xBD"); /* U+FFFD: a file name need not be UTF-8 */
            n = 1;
        } else if (c >= 0x20 || c == '\t' || c == '\n') {
            if (reserve(b, n) < 0)
                return;
            memcpy(b->data + b->len, p, n);
            b->len += n;
            b->data[b->len] = '\0';
        }
        p += n;
    }
}

int sb_finish(sbuf *b, char **out)
{
    int err = b->err;

    *out = NULL;
    if (!err && reserve(b, 0) < 0)
        err = b->err;
    if (err) {
        free(b->data);
        b->data = NULL;
        return err;
    }
    b->data[b->len] = '\0';
    *out = b->data;
    b->data = NULL;
    return 0;
}
