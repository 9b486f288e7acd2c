/* The report's text buffer: appends markup, escaped text and numbers, with a
 * size cap (a report of a very long run must not take unbounded memory).
 * Errors are sticky so that section writers need no checks of their own;
 * the stage checks b->err once before writing the file. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

void rb_init(rbuf *b, size_t limit)
{
    memset(b, 0, sizeof(*b));
    b->limit = limit;
}

void rb_free(rbuf *b)
{
    free(b->data);
    memset(b, 0, sizeof(*b));
}

static int grow(rbuf *b, size_t add)
{
    if (b->err)
        return b->err;
    if (b->len + add + 1 > b->limit) {
        b->err = AVE_ERR_LIMIT;
        return b->err;
    }
    if (b->len + add + 1 <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64 * 1024;
    while (cap < b->len + add + 1)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->err = AVE_ERR_NOMEM;
        return b->err;
    }
    b->data = p;
    b->cap = cap;
    return 0;
}

static void put_n(rbuf *b, const char *s, size_t n)
{
    if (grow(b, n) < 0)
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void rb_put(rbuf *b, const char *s)
{
    if (s)
        put_n(b, s, strlen(s));
}

void rb_printf(rbuf *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0) {
        if (!b->err)
            b->err = AVE_ERR_INTERNAL;
        return;
    }
    if ((size_t)n < sizeof(small)) {
        put_n(b, small, (size_t)n);
        return;
    }
    if (grow(b, (size_t)n) < 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* The five characters that matter in element content and quoted attribute
 * values; control characters other than tab and newline (which a broken
 * transcript could carry) become spaces, keeping the page valid. */
void rb_text(rbuf *b, const char *s)
{
    if (!s)
        return;
    const char *run = s;
    for (; *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        default:
            if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t')
                rep = " ";
        }
        if (rep) {
            put_n(b, run, (size_t)(s - run));
            rb_put(b, rep);
            run = s + 1;
        }
    }
    put_n(b, run, (size_t)(s - run));
}

void rb_num(rbuf *b, double v)
{
    if (isfinite(v))
        rb_printf(b, "%.9g", v);
}

void rb_clock(rbuf *b, double seconds, int decimals)
{
    if (!isfinite(seconds)) {
        rb_put(b, "&ndash;");
        return;
    }
    if (seconds < 0)
        seconds = 0;
    double scale = decimals > 0 ? pow(10, decimals) : 1;
    /* Round once, so 59.96 s shows as 1:00.0 and never as 0:60.0. */
    long long units = llround(seconds * scale);
    long long whole = units / (long long)scale, frac = units % (long long)scale;
    long long h = whole / 3600, m = whole / 60 % 60, s = whole % 60;
    if (h)
        rb_printf(b, "%lld:%02lld:%02lld", h, m, s);
    else
        rb_printf(b, "%lld:%02lld", m, s);
    if (decimals > 0)
        rb_printf(b, ".%0*lld", decimals, frac);
}
