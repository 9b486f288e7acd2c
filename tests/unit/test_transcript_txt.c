/* transcript.txt writer and parser: exact text for known words, the lines
 * split at pauses, cut runs in one pair of brackets, syntax characters
 * inside words neutralised, and a parse of hand-edited text (times, cut
 * spans, comments, unclosed brackets, punctuation, CRLF). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "core/transcript_txt.h"

static ave_word W(const char *text, double a, double b, unsigned flags)
{
    ave_word w;
    memset(&w, 0, sizeof(w));
    snprintf(w.text, sizeof(w.text), "%s", text);
    w.start_us = (int64_t)(a * 1e6 + 0.5);
    w.end_us = (int64_t)(b * 1e6 + 0.5);
    w.flags = flags;
    return w;
}

static const char *body(const char *doc)
{
    /* past the '#' header */
    while (*doc == '#') {
        doc = strchr(doc, '\n');
        if (!doc)
            return "";
        doc++;
    }
    return doc;
}

static void test_write(void)
{
    const unsigned CF = AVE_WORD_CUT | AVE_WORD_FILLER;
    ave_word w[] = {
        W("the", 1.0, 1.12, 0),
        W("quick", 1.12, 1.4, 0),
        W("um", 1.5, 1.7, CF),
        W("uh", 1.75, 1.9, CF),
        W("fox", 2.0, 2.3, 0),
        W("[hesitation]", 2.5, 2.8, CF),
        /* 0.9 s pause: new line */
        W("you know", 3.7, 4.1, 0),
        W("video", 4.2, 4.5, CF),
        W("end", 3725.25, 3725.5, 0),
    };
    char *doc = NULL;
    size_t len = 0;

    CHECK_EQ_INT(ttxt_write(w, sizeof(w) / sizeof(w[0]), &doc, &len), 0);
    CHECK(doc && strlen(doc) == len);
    if (!doc)
        return;
    CHECK(!strcmp(body(doc), "[00:00:01.000] the quick [um uh] fox [(hesitation)]\n"
                             "[00:00:03.700] you_know [video]\n"
                             "[01:02:05.250] end\n"));
    CHECK(strstr(doc, "ai-video-editor render OUTPUT_DIR") != NULL);
    free(doc);

    /* No words: only the header. */
    CHECK_EQ_INT(ttxt_write(NULL, 0, &doc, &len), 0);
    CHECK(doc && !strcmp(body(doc), ""));
    free(doc);
}

static void test_lines(void)
{
    ave_word w[45];
    size_t starts[45], n = 0;

    /* 45 words without pauses: lines of TTXT_LINE_MAX_WORDS */
    for (int i = 0; i < 45; i++)
        w[i] = W("word", i * 0.3, i * 0.3 + 0.25, 0);
    ttxt_lines(w, 45, starts, &n);
    CHECK_EQ_INT(n, 3);
    CHECK_EQ_INT(starts[1], TTXT_LINE_MAX_WORDS);
    CHECK_EQ_INT(starts[2], 2 * TTXT_LINE_MAX_WORDS);
    /* a 0.61 s pause splits, a 0.6 s one does not */
    w[5].start_us = w[4].end_us + 610000;
    w[10].start_us = w[9].end_us + 600000;
    ttxt_lines(w, 12, starts, &n);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(starts[1], 5);
}

static void test_key(void)
{
    char k[48];
    ttxt_key("Fox,", 4, k, sizeof(k));
    CHECK(!strcmp(k, "fox"));
    ttxt_key("(hesitation)", 12, k, sizeof(k));
    CHECK(!strcmp(k, "hesitation"));
    ttxt_key("Don't!", 6, k, sizeof(k));
    CHECK(!strcmp(k, "don't"));
    ttxt_key("you_know", 8, k, sizeof(k));
    CHECK(!strcmp(k, "youknow"));
    ttxt_key("--", 2, k, sizeof(k));
    CHECK(!strcmp(k, ""));
    ttxt_key("caf\xc3\xa9", 5, k, sizeof(k));
    CHECK(!strcmp(k, "caf\xc3\xa9"));
}

static void test_parse(void)
{
    const char *text = "# a comment [00:00:09.000] ignored\n"
                       "[00:00:01.000] The quick, [brown fox] jumps!\r\n"
                       "\n"
                       "  [00:00:05.1] video [editing takes\n"
                       "no time here -- at all\n"
                       "[1:02.5]word]s [00:00:07.000]\n"
                       "[12:34] x";
    ttxt_doc d;

    CHECK_EQ_INT(ttxt_parse(text, strlen(text), &d), 0);
    CHECK_EQ_INT(d.line_count, 5);
    if (d.line_count != 5) {
        ttxt_doc_free(&d);
        return;
    }
    CHECK_EQ_INT(d.lines[0].time_us, 1000000);
    CHECK_EQ_INT(d.lines[0].lineno, 2);
    CHECK_EQ_INT(d.lines[0].token_count, 5);
    CHECK_EQ_INT(d.lines[1].time_us, 5100000);
    CHECK_EQ_INT(d.lines[1].token_count, 3);
    CHECK_EQ_INT(d.lines[2].time_us, -1);
    CHECK_EQ_INT(d.lines[2].token_count, 5); /* "--" is no word */
    CHECK_EQ_INT(d.lines[3].time_us, 62500000);
    CHECK_EQ_INT(d.lines[4].time_us, 754000000);
    const char *keys[] = {"the",     "quick", "brown", "fox",       "jumps", "video",
                          "editing", "takes", "no",    "time",      "here",  "at",
                          "all",     "word",  "s",     "000007000", "x"};
    const int cut[] = {0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0};
    CHECK_EQ_INT(d.token_count, 17);
    for (size_t i = 0; i < d.token_count && i < 17; i++) {
        CHECK(!strcmp(d.tokens[i].key, keys[i]));
        CHECK_EQ_INT(d.tokens[i].cut, cut[i]);
    }
    /* an unclosed '[' ends with its line: "no" on the next line is bare */
    CHECK_EQ_INT(d.tokens[8].line, 2);
    CHECK(!strcmp(d.tokens[1].text, "quick,"));
    ttxt_doc_free(&d);
}

int main(void)
{
    test_write();
    test_lines();
    test_key();
    test_parse();
    return CHECK_DONE();
}
