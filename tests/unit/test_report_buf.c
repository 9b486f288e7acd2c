/* The report's text helpers (src/report/report_buf.c) on the page's dynbuf:
 * HTML escaping of text from the run, exact numbers for data attributes, the
 * m:ss clock, long printf output, and the size cap with its sticky error. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "report/report.h"

static int text_is(void (*fill)(dynbuf *), const char *want)
{
    dynbuf b;
    dynbuf_init(&b, 1 << 20);
    fill(&b);
    int ok = !b.err && b.data && !strcmp(b.data, want);
    if (!ok)
        fprintf(stderr, "got '%s', want '%s'\n", b.data ? b.data : "(null)", want);
    dynbuf_free(&b);
    return ok;
}

static void escape(dynbuf *b)
{
    rb_text(b, "<a href=\"x\">Tom & Jerry's</a>\x01\tend\n");
}
static void clocks(dynbuf *b)
{
    rb_clock(b, 0, 1);
    dynbuf_adds(b, " ");
    rb_clock(b, 59.96, 1);
    dynbuf_adds(b, " ");
    rb_clock(b, 3661.25, 1);
    dynbuf_adds(b, " ");
    rb_clock(b, 125.004, 2);
    dynbuf_adds(b, " ");
    rb_clock(b, 7, 0);
    dynbuf_adds(b, " ");
    rb_clock(b, NAN, 1);
}
static void numbers(dynbuf *b)
{
    rb_num(b, 16.5);
    dynbuf_adds(b, "|");
    rb_num(b, -14.01);
    dynbuf_adds(b, "|");
    rb_num(b, 0.1 + 0.2);
    dynbuf_adds(b, "|");
    rb_num(b, NAN);
    dynbuf_adds(b, "|");
    rb_num(b, 246607872);
}

int main(void)
{
    CHECK(text_is(escape, "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt; \tend\n"));
    CHECK(text_is(clocks, "0:00.0 1:00.0 1:01:01.3 2:05.00 0:07 &ndash;"));
    CHECK(text_is(numbers, "16.5|-14.01|0.3|"
                           "|246607872"));

    /* printf longer than the small stack buffer. */
    dynbuf b;
    char big[3000];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    dynbuf_init(&b, 1 << 20);
    dynbuf_printf(&b, "<%s>", big);
    CHECK_EQ_INT(b.err, 0);
    CHECK_EQ_INT(b.len, sizeof(big) + 1);
    CHECK(b.data && b.data[0] == '<' && b.data[b.len - 1] == '>' && b.data[b.len] == '\0');
    dynbuf_free(&b);

    /* The cap: the append that would pass it fails, and so does every later
     * one; the half page is dropped (the stage writes nothing then). */
    dynbuf_init(&b, 16);
    dynbuf_adds(&b, "0123456789");
    CHECK_EQ_INT(b.err, 0);
    dynbuf_adds(&b, "0123456789");
    CHECK_EQ_INT(b.err, AVE_ERR_LIMIT);
    rb_text(&b, "x");
    rb_num(&b, 1);
    CHECK_EQ_INT(b.err, AVE_ERR_LIMIT);
    CHECK(b.len == 0 && b.data == NULL);
    dynbuf_free(&b);
    dynbuf_free(&b); /* freeing twice is harmless */
    return CHECK_DONE();
}
