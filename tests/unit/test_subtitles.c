/* Subtitle cues: edited cue times equal the word times minus the removed
 * durations before them (exact microseconds), cues split at cuts, cut words
 * dropped, muted words hidden on the edited timeline, SRT/WebVTT formatting,
 * line wrapping and empty input. */
#include <stdlib.h>
#include <string.h>

#include "ave/ave.h"
#include "check.h"
#include "speech/subtitles.h"

static ave_word word(const char *t, int64_t a, int64_t b)
{
    ave_word w;
    memset(&w, 0, sizeof(w));
    snprintf(w.text, sizeof(w.text), "%s", t);
    w.start_us = a;
    w.end_us = b;
    return w;
}

static void test_format(void)
{
    char buf[32];
    ave_sub_format_time(0, ',', buf, sizeof(buf));
    CHECK(!strcmp(buf, "00:00:00,000"));
    ave_sub_format_time(3723456789LL, ',', buf, sizeof(buf)); /* 1 h 2 min 3.456789 s */
    CHECK(!strcmp(buf, "01:02:03,457"));
    ave_sub_format_time(3723456789LL, '.', buf, sizeof(buf));
    CHECK(!strcmp(buf, "01:02:03.457"));
    ave_sub_format_time(-5, '.', buf, sizeof(buf));
    CHECK(!strcmp(buf, "00:00:00.000"));
    ave_sub_format_time(1999500, ',', buf, sizeof(buf)); /* rounds up to 2 s */
    CHECK(!strcmp(buf, "00:00:02,000"));
}

static void test_empty(void)
{
    ave_sub_params p;
    ave_cue *cues = (ave_cue *)1;
    size_t n = 9, len = 9;
    char *doc = NULL;

    ave_sub_params_default(&p);
    CHECK_EQ_INT(ave_subs_build(NULL, 0, NULL, &p, &cues, &n), 0);
    CHECK(cues == NULL);
    CHECK_EQ_INT(n, 0);
    CHECK_EQ_INT(ave_subs_to_srt(NULL, 0, &doc, &len), 0);
    CHECK(doc && len == 0 && doc[0] == '\0');
    free(doc);
    CHECK_EQ_INT(ave_subs_to_vtt(NULL, 0, &doc, &len), 0);
    CHECK(doc && !strcmp(doc, "WEBVTT\n\n"));
    free(doc);
}

static void test_source_and_documents(void)
{
    ave_word w[] = {word("hello", 1000000, 1400000), word("world", 1450000, 1900000),
                    word("again", 3000000, 3500000)}; /* 1.1 s gap: new cue */
    ave_sub_params p;
    ave_cue *cues;
    size_t n, len;
    char *doc;

    ave_sub_params_default(&p);
    CHECK_EQ_INT(ave_subs_build(w, 3, NULL, &p, &cues, &n), 0);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(cues[0].start_us, 1000000);
    CHECK_EQ_INT(cues[0].end_us, 1900000 + p.pad_us);
    CHECK(!strcmp(cues[0].text, "hello world"));
    CHECK_EQ_INT(cues[0].first_word, 0);
    CHECK_EQ_INT(cues[0].word_count, 2);
    CHECK_EQ_INT(cues[1].start_us, 3000000);
    CHECK_EQ_INT(ave_subs_to_srt(cues, n, &doc, &len), 0);
    CHECK(!strcmp(doc, "1\n00:00:01,000 --> 00:00:02,150\nhello world\n\n"
                       "2\n00:00:03,000 --> 00:00:03,750\nagain\n\n"));
    CHECK_EQ_INT(len, strlen(doc));
    free(doc);
    CHECK_EQ_INT(ave_subs_to_vtt(cues, n, &doc, &len), 0);
    CHECK(!strcmp(doc, "WEBVTT\n\n00:00:01.000 --> 00:00:02.150\nhello world\n\n"
                       "00:00:03.000 --> 00:00:03.750\nagain\n\n"));
    free(doc);
    ave_cues_free(cues, n);

    /* The pad never reaches into the next cue. */
    p.max_gap_us = 100000;
    CHECK_EQ_INT(ave_subs_build(w, 3, NULL, &p, &cues, &n), 0);
    CHECK_EQ_INT(n, 2);
    p.max_gap_us = 0;
    ave_cues_free(cues, n);
    CHECK_EQ_INT(ave_subs_build(w, 2, NULL, &p, &cues, &n), 0);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(cues[0].end_us, 1450000);
    ave_cues_free(cues, n);
}

static void test_edited(void)
{
    /* 10 s; cut [0, 0.5 s) silence, [2.0, 2.3) a filler "um", [5, 6.5) silence. */
    ave_timeline tl = {0};
    ave_word w[] = {word("one", 600000, 900000),  word("two", 950000, 1400000),
                    word("three", 1500000, 2000000), word("um", 2000000, 2300000),
                    word("four", 2300000, 2700000), word("five", 2750000, 3100000),
                    word("six", 6500000, 6900000)};
    ave_sub_params p;
    ave_cue *cues;
    size_t n;

    ave_sub_params_default(&p);
    CHECK_EQ_INT(ave_timeline_init(&tl, 10000000), 0);
    CHECK_EQ_INT(ave_timeline_cut(&tl, 0, 500000, AVE_REASON_SILENCE), 0);
    CHECK_EQ_INT(ave_timeline_cut(&tl, 2000000, 2300000, AVE_REASON_FILLER), 0);
    CHECK_EQ_INT(ave_timeline_cut(&tl, 5000000, 6500000, AVE_REASON_SILENCE), 0);
    CHECK(ave_sub_word_kept(&tl, &w[2]));
    CHECK(!ave_sub_word_kept(&tl, &w[3]));
    CHECK(ave_sub_word_kept(&tl, &w[4]));

    CHECK_EQ_INT(ave_subs_build(w, 7, &tl, &p, &cues, &n), 0);
    /* The filler cut splits "one two three | four five"; the silence cut
     * before "six" splits again. */
    CHECK_EQ_INT(n, 3);
    if (n == 3) {
        CHECK(!strcmp(cues[0].text, "one two three"));
        CHECK_EQ_INT(cues[0].start_us, 600000 - 500000);
        /* Ends at its last word (1.5 s edited) + pad, clamped to the next cue
         * which starts right at the join: 2.3 s - 0.8 s removed = 1.5 s. */
        CHECK_EQ_INT(cues[0].end_us, 2000000 - 500000);
        CHECK(!strcmp(cues[1].text, "four five"));
        CHECK_EQ_INT(cues[1].start_us, 2300000 - 800000);
        CHECK_EQ_INT(cues[1].end_us, 3100000 - 800000 + p.pad_us);
        CHECK_EQ_INT(cues[1].first_word, 4);
        CHECK(!strcmp(cues[2].text, "six"));
        CHECK_EQ_INT(cues[2].start_us, 6500000 - 2300000);
        CHECK_EQ_INT(cues[2].end_us, 6900000 - 2300000 + p.pad_us);
    }
    ave_cues_free(cues, n);

    /* Without edits the same words give one cue on the source timeline
     * (gaps are all under 0.6 s except before "six"). */
    CHECK_EQ_INT(ave_subs_build(w, 7, NULL, &p, &cues, &n), 0);
    CHECK_EQ_INT(n, 2);
    if (n == 2)
        CHECK(!strcmp(cues[0].text, "one two three um four five"));
    ave_cues_free(cues, n);
    ave_timeline_free(&tl);
}

static void test_wrapping(void)
{
    /* 20 words of 9 letters, 0.1 s apart: 4 per 42-char line, 8 per cue. */
    ave_word w[20];
    ave_sub_params p;
    ave_cue *cues;
    size_t n;

    for (int i = 0; i < 20; i++)
        w[i] = word("abcdefghi", i * 100000, i * 100000 + 90000);
    ave_sub_params_default(&p);
    CHECK_EQ_INT(ave_subs_build(w, 20, NULL, &p, &cues, &n), 0);
    CHECK_EQ_INT(n, 3);
    if (n == 3) {
        CHECK(!strcmp(cues[0].text, "abcdefghi abcdefghi abcdefghi abcdefghi\n"
                                    "abcdefghi abcdefghi abcdefghi abcdefghi"));
        CHECK_EQ_INT(cues[1].first_word, 8);
        CHECK_EQ_INT(cues[2].word_count, 4);
    }
    ave_cues_free(cues, n);

    /* 7 s per cue at most. */
    for (int i = 0; i < 20; i++)
        w[i] = word("a", i * 500000, i * 500000 + 400000);
    CHECK_EQ_INT(ave_subs_build(w, 20, NULL, &p, &cues, &n), 0);
    for (size_t i = 0; i < n; i++)
        CHECK(cues[i].end_us - cues[i].start_us <= p.max_cue_us + p.pad_us);
    CHECK(n >= 2);
    ave_cues_free(cues, n);
}

/* --mute-fillers: a muted word stays in time but is not shown on the edited
 * timeline; the source subtitles still show it. */
static void test_muted(void)
{
    ave_word w[] = {word("so", 0, 300000), word("um", 400000, 700000),
                    word("yes", 800000, 1100000)};
    ave_timeline tl = {0};
    ave_sub_params p;
    ave_cue *cues = NULL;
    size_t n = 0;

    w[1].flags = AVE_WORD_FILLER | AVE_WORD_MUTED;
    ave_sub_params_default(&p);
    CHECK_EQ_INT(ave_timeline_init(&tl, 2000000), 0);
    CHECK_EQ_INT(ave_subs_build(w, 3, &tl, &p, &cues, &n), 0);
    CHECK_EQ_INT(n, 1);
    if (n == 1) {
        CHECK(!strcmp(cues[0].text, "so yes"));
        CHECK_EQ_INT(cues[0].start_us, 0);
    }
    ave_cues_free(cues, n);
    CHECK_EQ_INT(ave_subs_build(w, 3, NULL, &p, &cues, &n), 0);
    CHECK(n == 1 && !strcmp(cues[0].text, "so um yes"));
    ave_cues_free(cues, n);
    ave_timeline_free(&tl);
}

int main(void)
{
    test_muted();
    test_format();
    test_empty();
    test_source_and_documents();
    test_edited();
    test_wrapping();
    return CHECK_DONE();
}
