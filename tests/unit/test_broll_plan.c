/* B-roll planning on a synthetic 60 s timeline with a 1.5 s cut at 12-13.5 s
 * and hand-made concepts and chapters: a stat card starting before the cut
 * still lasts 5 s on the edited timeline (its source end moves out by the
 * cut); a weaker card too close to it is dropped; a concept below the score
 * threshold and one entirely cut get none; the second chapter gets a title
 * card at its edited start and the first none; of two cards 1 s apart the
 * higher-scoring one is placed first and the earlier one shortened to 3 s
 * to keep the 4 s gap; a card near the end is moved back to keep 3 s; a
 * face in the bottom-right puts a PIP card top-right; a dense run of
 * concepts obeys the per-minute cap and never overlaps. */
#include <stdlib.h>
#include <string.h>

#include "ave/ave.h"
#include "broll/broll.h"
#include "check.h"

#define S(x) ((int64_t)((x) * 1000000.0 + 0.5))

static ave_concept concept(int kind, double s, double e, float score, int items)
{
    ave_concept c;
    memset(&c, 0, sizeof(c));
    c.kind = kind;
    c.start_us = S(s);
    c.end_us = S(e);
    c.score = score;
    c.item_count = items;
    snprintf(c.label, sizeof(c.label), "thing %.0f", s);
    snprintf(c.text, sizeof(c.text), "a thing is a short example");
    for (int i = 0; i < items && i < AVE_CONCEPT_MAX_ITEMS; i++)
        snprintf(c.items[i], sizeof(c.items[i]), "item %d", i + 1);
    c.value = 40;
    snprintf(c.unit, sizeof(c.unit), "%%");
    return c;
}

static int64_t edited(const ave_timeline *tl, int64_t src)
{
    int64_t out = -1;
    CHECK_EQ_INT(ave_timeline_map(tl, src, &out), 0);
    return out;
}

static void test_plan(void)
{
    ave_timeline tl = {0};
    ave_analysis a;
    ave_concept cs[7];
    ave_chapter ch[2];
    ave_frame_features fr[2];
    broll_params p;
    broll_item *it = NULL;
    broll_plan_stats st;
    size_t n = 0;

    memset(&a, 0, sizeof(a));
    memset(ch, 0, sizeof(ch));
    memset(fr, 0, sizeof(fr));
    CHECK_EQ_INT(ave_timeline_init(&tl, S(60)), 0);
    CHECK_EQ_INT(ave_timeline_cut(&tl, S(12), S(13.5), AVE_REASON_SILENCE), 0);
    cs[0] = concept(AVE_CONCEPT_NUMBER, 10, 11, 0.9f, 0);       /* stat 10..16.5 src */
    cs[1] = concept(AVE_CONCEPT_DEFINITION, 16, 17, 0.8f, 0);   /* 1 s after: spacing */
    cs[2] = concept(AVE_CONCEPT_NUMBER, 20.5, 21, 0.3f, 0);     /* below threshold */
    cs[3] = concept(AVE_CONCEPT_COMPARISON, 40, 41, 0.7f, 2);   /* shortened for cs[4] */
    cs[4] = concept(AVE_CONCEPT_PROCESS, 47, 48, 0.95f, 3);
    cs[5] = concept(AVE_CONCEPT_NUMBER, 12.2, 13.2, 0.9f, 0);   /* inside the cut */
    cs[6] = concept(AVE_CONCEPT_NUMBER, 58.5, 59, 0.9f, 0);     /* near the end */
    ch[0].start_us = 0;
    ch[1].start_us = S(27);
    ch[1].edited_start_us = S(25.5);
    snprintf(ch[0].title, sizeof(ch[0].title), "Intro");
    snprintf(ch[1].title, sizeof(ch[1].title), "Second topic");
    /* a face bottom-right while the process card is shown */
    fr[0].pts_us = S(48);
    fr[0].face_count = 1;
    fr[0].faces[0] = (ave_face){0.6f, 0.5f, 0.3f, 0.4f, 5, -1};
    fr[1].pts_us = S(50);
    fr[1].face_count = 1;
    fr[1].faces[0] = fr[0].faces[0];
    a.concepts = cs;
    a.concept_count = 7;
    a.chapters = ch;
    a.chapter_count = 2;
    a.frames = fr;
    a.frame_count = 2;
    broll_params_default(&p);
    p.max_per_minute = 6; /* the cap has its own test below */
    CHECK_EQ_INT(broll_plan(&a, &tl, &p, &it, &n, &st), 0);
    CHECK_EQ_INT(n, 5);
    CHECK_EQ_INT(st.candidates, 8);
    CHECK_EQ_INT(st.below_threshold, 1);
    CHECK_EQ_INT(st.cut, 1);
    CHECK_EQ_INT(st.spacing, 1);
    if (n == 5) {
        /* stat at 10 s: 5 s on screen although a 1.5 s cut lies inside */
        CHECK_EQ_INT(it[0].kind, BROLL_STAT);
        CHECK_EQ_INT(it[0].concept, 0);
        CHECK_EQ_INT(it[0].src_start_us, S(10));
        CHECK_EQ_INT(it[0].src_end_us, S(16.5));
        CHECK_EQ_INT(edited(&tl, it[0].src_end_us) - edited(&tl, it[0].src_start_us), S(5));
        CHECK_EQ_INT(it[0].placement, AVE_OVERLAY_FULL);
        /* title card at the second chapter, edited 25.5 s */
        CHECK_EQ_INT(it[1].kind, BROLL_TITLE);
        CHECK_EQ_INT(it[1].chapter, 1);
        CHECK_EQ_INT(it[1].edit_start_us, S(25.5));
        CHECK_EQ_INT(it[1].edit_end_us - it[1].edit_start_us, S(3.5));
        /* the comparison (edited 38.5 s) ends 4 s before the process card */
        CHECK_EQ_INT(it[2].kind, BROLL_COMPARE);
        CHECK_EQ_INT(it[2].edit_start_us, S(38.5));
        CHECK_EQ_INT(it[2].edit_end_us, S(41.5));
        CHECK_EQ_INT(it[2].src_end_us, S(43));
        /* the stronger process card keeps 6 s; PIP away from the face */
        CHECK_EQ_INT(it[3].kind, BROLL_LIST);
        CHECK_EQ_INT(it[3].concept, 4);
        CHECK_EQ_INT(it[3].edit_start_us, S(45.5));
        CHECK_EQ_INT(it[3].edit_end_us - it[3].edit_start_us, S(6));
        CHECK_EQ_INT(it[3].placement, AVE_OVERLAY_PIP);
        CHECK_EQ_INT(it[3].corner, BROLL_TOP_RIGHT);
        /* near the end: moved back so 3 s remain, ending at the timeline's end */
        CHECK_EQ_INT(it[4].concept, 6);
        CHECK_EQ_INT(it[4].edit_end_us, ave_timeline_kept_duration(&tl));
        CHECK_EQ_INT(it[4].edit_end_us - it[4].edit_start_us, S(3));
        CHECK_EQ_INT(it[4].src_end_us, S(60));
    }
    for (size_t i = 0; i < n; i++) {
        int64_t d = edited(&tl, it[i].src_end_us) - edited(&tl, it[i].src_start_us);
        CHECK(d >= S(3) && d <= S(8));
        if (i)
            CHECK(it[i].edit_start_us >= it[i - 1].edit_end_us + p.min_gap_us);
    }
    free(it);
    ave_timeline_free(&tl);
}

static void test_rate_cap(void)
{
    ave_timeline tl = {0};
    ave_analysis a;
    ave_concept cs[40];
    broll_params p;
    broll_item *it = NULL;
    size_t n = 0;

    memset(&a, 0, sizeof(a));
    CHECK_EQ_INT(ave_timeline_init(&tl, S(200)), 0);
    /* cuts every 20 s, so edited and source times differ */
    for (int k = 1; k < 10; k++)
        CHECK_EQ_INT(ave_timeline_cut(&tl, S(20 * k), S(20 * k + 1), AVE_REASON_SILENCE), 0);
    for (int i = 0; i < 40; i++)
        cs[i] = concept(AVE_CONCEPT_NUMBER, 2 + 4.9 * i, 3 + 4.9 * i, 0.6f + 0.01f * (i % 7), 0);
    a.concepts = cs;
    a.concept_count = 40;
    broll_params_default(&p);
    p.min_gap_us = 0;
    p.max_per_minute = 3;
    CHECK_EQ_INT(broll_plan(&a, &tl, &p, &it, &n, NULL), 0);
    CHECK(n >= 6); /* ~190 s edited at 3 a minute: room for 9, gaps allowing */
    for (size_t i = 0; i < n; i++) {
        int in_window = 0;
        for (size_t j = i; j < n; j++)
            if (it[j].edit_start_us < it[i].edit_start_us + S(60))
                in_window++;
        CHECK(in_window <= 3);
        if (i)
            CHECK(it[i].edit_start_us >= it[i - 1].edit_end_us); /* no overlap */
        CHECK(it[i].edit_end_us - it[i].edit_start_us >= S(3));
    }
    free(it);
    ave_timeline_free(&tl);
}

static void test_edited_to_source(void)
{
    ave_timeline tl = {0};
    CHECK_EQ_INT(ave_timeline_init(&tl, S(10)), 0);
    CHECK_EQ_INT(ave_timeline_cut(&tl, S(2), S(4), AVE_REASON_SILENCE), 0);
    CHECK_EQ_INT(broll_edited_to_source(&tl, S(1)), S(1));
    CHECK_EQ_INT(broll_edited_to_source(&tl, S(2)), S(4)); /* the join: next kept start */
    CHECK_EQ_INT(broll_edited_to_source(&tl, S(3)), S(5));
    CHECK_EQ_INT(broll_edited_to_source(&tl, S(9)), S(10)); /* past the end */
    ave_timeline_free(&tl);
}

int main(void)
{
    test_edited_to_source();
    test_plan();
    test_rate_cap();
    return CHECK_DONE();
}
