/* The report's text buffer (src/report/report_buf.c): HTML escaping of text
 * from the run, exact numbers for data attributes, the m:ss clock, long
 * printf output, and the size cap with its sticky error. */
#include <math.h>
#include <string.h>

#include "check.h"
#include "report/report.h"

static int text_is(void (*fill)(rbuf *), const char *want)
{
    rbuf b;
    rb_init(&b, 1 << 20);
    fill(&b);
    int ok = !b.err && b.data && !strcmp(b.data, want);
    if (!ok)
        fprintf(stderr, "got '%s', want '%s'\n", b.data ? b.data : "(null)", want);
    rb_free(&b);
    return ok;
}

static void escape(rbuf *b)
{
    rb_text(b, "<a href=\"x\">Tom & Jerry's</a>\x01\tend\n");
}
static void clocks(rbuf *b)
{
    rb_clock(b, 0, 1);
    rb_put(b, " ");
    rb_clock(b, 59.96, 1);
    rb_put(b, " ");
    rb_clock(b, 3661.25, 1);
    rb_put(b, " ");
    rb_clock(b, 125.004, 2);
    rb_put(b, " ");
    rb_clock(b, 7, 0);
    rb_put(b, " ");
    rb_clock(b, NAN, 1);
}
static void numbers(rbuf *b)
{
    rb_num(b, 16.5);
    rb_put(b, "|");
    rb_num(b, -14.01);
    rb_put(b, "|");
    rb_num(b, 0.1 + 0.2);
    rb_put(b, "|");
    rb_num(b, NAN);
    rb_put(b, "|");
    rb_num(b, 246607872);
}

int main(void)
{
    CHECK(text_is(escape, "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt; \tend\n"));
    CHECK(text_is(clocks, "0:00.0 1:00.0 1:01:01.3 2:05.00 0:07 &ndash;"));
    CHECK(text_is(numbers, "16.5|-14.01|0.3|"
                           "|246607872"));

    /* printf longer than the small stack buffer. */
    rbuf b;
    char big[3000];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    rb_init(&b, 1 << 20);
    rb_printf(&b, "<%s>", big);
    CHECK_EQ_INT(b.err, 0);
    CHECK_EQ_INT(b.len, sizeof(big) + 1);
    CHECK(b.data && b.data[0] == '<' && b.data[b.len - 1] == '>' && b.data[b.len] == '\0');
    rb_free(&b);

    /* The cap: the append that would pass it fails, and so does every later one. */
    rb_init(&b, 16);
    rb_put(&b, "0123456789");
    CHECK_EQ_INT(b.err, 0);
    rb_put(&b, "0123456789");
    CHECK_EQ_INT(b.err, AVE_ERR_LIMIT);
    rb_put(&b, "x");
    CHECK_EQ_INT(b.err, AVE_ERR_LIMIT);
    CHECK_EQ_INT(b.len, 10);
    CHECK(!strcmp(b.data, "0123456789"));
    rb_free(&b);
    rb_free(&b); /* freeing twice is harmless */
    return CHECK_DONE();
}
