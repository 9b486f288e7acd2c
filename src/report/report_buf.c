/* The report's text helpers: escaped text from the run, exact numbers and
 * clock times, appended to the page's dynbuf (which holds the size cap and
 * the sticky error). */
#include <math.h>
#include <string.h>

#include "report/report.h"

/* The five characters that matter in element content and quoted attribute
 * values; control characters other than tab and newline (which a broken
 * transcript could carry) become spaces, keeping the page valid. */
void rb_text(dynbuf *b, const char *s)
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
            dynbuf_add(b, run, (size_t)(s - run));
            dynbuf_adds(b, rep);
            run = s + 1;
        }
    }
    dynbuf_add(b, run, (size_t)(s - run));
}

void rb_num(dynbuf *b, double v)
{
    if (isfinite(v))
        dynbuf_printf(b, "%.9g", v);
}

void rb_clock(dynbuf *b, double seconds, int decimals)
{
    if (!isfinite(seconds)) {
        dynbuf_adds(b, "&ndash;");
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
        dynbuf_printf(b, "%lld:%02lld:%02lld", h, m, s);
    else
        dynbuf_printf(b, "%lld:%02lld", m, s);
    if (decimals > 0)
        dynbuf_printf(b, ".%0*lld", decimals, frac);
}
