/* Edit by transcript: aligning an edited transcript.txt with its words
 * (deleted word, deleted line, bracketed span, un-bracketed cut filler,
 * an edit that matches nothing, repeated words, a lost [time]) and turning
 * the result into timeline edits whose lengths are known exactly; plus the
 * timeline.json reader/writer round trip. */
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "check.h"
#include "edit/edit.h"
#include "core/transcript_align.h"
#include "core/transcript_txt.h"

#define CF (AVE_WORD_CUT | AVE_WORD_FILLER)
#define US(s) ((int64_t)((s)*1e6 + 0.5))

static ave_word W(const char *text, double a, double b, unsigned flags)
{
    ave_word w;
    memset(&w, 0, sizeof(w));
    snprintf(w.text, sizeof(w.text), "%s", text);
    w.start_us = US(a);
    w.end_us = US(b);
    w.flags = flags;
    return w;
}

/* Three lines; "um" was cut as a filler. */
#define WI(t, a, b, f)                                                                             \
    {                                                                                              \
        US(a), US(b), t, 0, 0, f                                                                   \
    }
static ave_word words[] = {
    WI("the", 1.0, 1.12, 0),   WI("quick", 1.12, 1.4, 0),   WI("brown", 1.4, 1.7, 0),
    WI("fox", 1.7, 2.1, 0),    WI("um", 2.4, 2.9, CF),      WI("jumps", 3.0, 3.4, 0),
    WI("video", 5.1, 5.45, 0), WI("editing", 5.45, 5.9, 0), WI("takes", 6.0, 6.3, 0),
    WI("time", 6.35, 6.8, 0),  WI("please", 8.0, 8.3, 0),   WI("save", 8.35, 8.7, 0),
    WI("your", 8.75, 8.9, 0),  WI("work", 8.95, 9.4, 0),
};
#define NW (sizeof(words) / sizeof(words[0]))

static const char *const L1 = "[00:00:01.000] the quick brown fox [um] jumps\n";
static const char *const L2 = "[00:00:05.100] video editing takes time\n";
static const char *const L3 = "[00:00:08.000] please save your work\n";

/* The timeline the run produced: silences and the filler cut, on the 30 fps
 * grid. Kept: [0.9,2.4) [2.9,3.6) [4.9,7.0) [7.8,9.6). */
static void base_timeline(ave_timeline *tl)
{
    memset(tl, 0, sizeof(*tl));
    ave_timeline_init(tl, US(11));
    ave_timeline_cut(tl, 0, US(0.9), AVE_REASON_SILENCE);
    ave_timeline_cut(tl, US(2.4), US(2.9), AVE_REASON_FILLER);
    ave_timeline_cut(tl, US(3.6), US(4.9), AVE_REASON_SILENCE);
    ave_timeline_cut(tl, US(7.0), US(7.8), AVE_REASON_SILENCE);
    ave_timeline_cut(tl, US(9.6), US(11), AVE_REASON_SILENCE);
}

static const edit_grid grid30 = {1, 30};

/* Align text with the words; keep[] into out (NW), returns unmatched count. */
static size_t align(const char *text, unsigned char *out, size_t *anchored)
{
    ttxt_doc d;
    ttxt_align_result r;
    size_t un;

    CHECK_EQ_INT(ttxt_parse(text, strlen(text), &d), 0);
    CHECK_EQ_INT(ttxt_align(words, NW, &d, &r), 0);
    memcpy(out, r.keep, NW);
    un = r.unmatched_count;
    if (anchored)
        *anchored = r.anchored_lines;
    ttxt_align_free(&r);
    ttxt_doc_free(&d);
    return un;
}

/* Apply keep[] to the base timeline; returns the change in kept time (us). */
static int64_t apply(const unsigned char *keep, edit_stats *st, ave_timeline *out)
{
    ave_timeline tl;
    int64_t before;

    base_timeline(&tl);
    before = ave_timeline_kept_duration(&tl);
    CHECK_EQ_INT(edit_apply_words(&tl, words, NW, keep, &grid30, st), 0);
    int64_t d = ave_timeline_kept_duration(&tl) - before;
    if (out)
        *out = tl;
    else
        ave_timeline_free(&tl);
    return d;
}

static void expect_keep(const unsigned char *keep, const char *pattern)
{
    for (size_t i = 0; i < NW; i++)
        if (keep[i] != (pattern[i] == '1'))
            fprintf(stderr, "word %zu (%s): keep %d, expected %c\n", i, words[i].text, keep[i],
                    pattern[i]),
                check_failures++;
}

static void test_unchanged(void)
{
    unsigned char keep[NW];
    char *doc = NULL, text[512];
    size_t len, anchored = 0;
    edit_stats st;

    /* The writer's own text aligns back to exactly the written state. */
    CHECK_EQ_INT(ttxt_write(words, NW, &doc, &len), 0);
    CHECK_EQ_INT(align(doc, keep, &anchored), 0);
    CHECK_EQ_INT(anchored, 3);
    expect_keep(keep, "11110111111111");
    CHECK_EQ_INT(apply(keep, &st, NULL), 0);
    CHECK_EQ_INT(st.words_cut + st.words_restored, 0);
    free(doc);
    snprintf(text, sizeof(text), "%s%s%s", L1, L2, L3);
    CHECK_EQ_INT(align(text, keep, NULL), 0);
    expect_keep(keep, "11110111111111");
}

static void test_deleted_line(void)
{
    unsigned char keep[NW];
    char text[512];
    edit_stats st;

    snprintf(text, sizeof(text), "%s%s", L1, L3);
    CHECK_EQ_INT(align(text, keep, NULL), 0);
    expect_keep(keep, "11110100001111");
    /* The line filled the kept piece [4.9, 7.0) but for 0.2 s stubs: all of it goes. */
    CHECK_EQ_INT(apply(keep, &st, NULL), -US(2.1));
    CHECK_EQ_INT(st.words_cut, 4);
}

static void test_deleted_word(void)
{
    unsigned char keep[NW];
    char text[512];
    edit_stats st;
    ave_timeline tl;

    snprintf(text, sizeof(text), "[00:00:01.000] the quick fox [um] jumps\n%s%s", L2, L3);
    CHECK_EQ_INT(align(text, keep, NULL), 0);
    expect_keep(keep, "11010111111111");
    /* Touching neighbours: exactly the word's span, on the grid. */
    CHECK_EQ_INT(apply(keep, &st, &tl), -US(0.3));
    int found = 0;
    for (size_t i = 0; i < tl.count; i++)
        found += !tl.segs[i].keep && tl.segs[i].reason == AVE_REASON_MANUAL &&
                 tl.segs[i].start_us == US(1.4) && tl.segs[i].end_us == US(1.7);
    CHECK_EQ_INT(found, 1);
    ave_timeline_free(&tl);
}

static void test_bracketed_span(void)
{
    unsigned char keep[NW];
    char text[512];
    edit_stats st;

    snprintf(text, sizeof(text), "%s[00:00:05.100] [video editing] takes time\n%s", L1, L3);
    CHECK_EQ_INT(align(text, keep, NULL), 0);
    expect_keep(keep, "11110100111111");
    /* From the piece's start (a 0.2 s stub) to the middle of the 0.1 s pause
     * before "takes" (5.95 s), rounded down onto the grid: frame 178. */
    CHECK_EQ_INT(apply(keep, &st, NULL), -(US(178.0 / 30) - US(4.9)));
    CHECK_EQ_INT(st.words_cut, 2);
}

static void test_restored_filler(void)
{
    unsigned char keep[NW];
    char text[512];
    edit_stats st;
    ave_timeline tl;

    snprintf(text, sizeof(text), "[00:00:01.000] the quick brown fox um jumps\n%s%s", L2, L3);
    CHECK_EQ_INT(align(text, keep, NULL), 0);
    expect_keep(keep, "11111111111111");
    /* Exactly the filler's span comes back: its cut disappears. */
    CHECK_EQ_INT(apply(keep, &st, &tl), US(0.5));
    CHECK_EQ_INT(st.words_restored, 1);
    CHECK_EQ_INT(ave_timeline_removed_count(&tl), 4);
    ave_timeline_free(&tl);
}

static void test_restore_after_delete(void)
{
    /* "brown" cut earlier by the user (midpoint cut), now restored: the
     * word's span and the pause slivers around it all come back. */
    ave_word saved = words[2];
    ave_timeline tl;
    edit_stats st;
    unsigned char keep[NW];

    memset(keep, 1, sizeof(keep));
    keep[4] = 0;
    base_timeline(&tl);
    ave_timeline_cut(&tl, US(1.38), US(1.72), AVE_REASON_MANUAL);
    words[2].flags |= AVE_WORD_CUT;
    int64_t before = ave_timeline_kept_duration(&tl);
    CHECK_EQ_INT(edit_apply_words(&tl, words, NW, keep, &grid30, &st), 0);
    CHECK_EQ_INT(ave_timeline_kept_duration(&tl) - before, US(0.34));
    CHECK_EQ_INT(st.gaps_restored, 2);
    words[2] = saved;
    ave_timeline_free(&tl);
}

static void test_restore_stutter(void)
{
    /* "I I went": the first "I" was cut as a stutter together with the pause
     * after it (up to a 10 ms margin); restoring it brings both back and
     * nothing of the silence cut before it. */
    ave_word w[] = {W("i", 1.0, 1.2, AVE_WORD_CUT | AVE_WORD_STUTTER), W("i", 1.7, 1.9, 0),
                    W("went", 1.9, 2.3, 0)};
    unsigned char keep[] = {1, 1, 1};
    ave_timeline tl;
    edit_stats st;

    memset(&tl, 0, sizeof(tl));
    ave_timeline_init(&tl, US(3));
    ave_timeline_cut(&tl, 0, US(0.9), AVE_REASON_SILENCE);
    ave_timeline_cut(&tl, US(1.0), US(1.69), AVE_REASON_STUTTER);
    CHECK_EQ_INT(edit_apply_words(&tl, w, 3, keep, &grid30, &st), 0);
    CHECK_EQ_INT(ave_timeline_kept_duration(&tl), US(3) - US(0.9));
    CHECK_EQ_INT(st.gaps_restored, 1);
    CHECK_EQ_INT(ave_timeline_removed_count(&tl), 1);
    ave_timeline_free(&tl);
}

/* Align text; the corrections into fixed ("word=typed ..."). */
static size_t align_fixed(const char *text, unsigned char *out, char *fixed, size_t len)
{
    ttxt_doc d;
    ttxt_align_result r;
    size_t un, o = 0;

    fixed[0] = '\0';
    CHECK_EQ_INT(ttxt_parse(text, strlen(text), &d), 0);
    CHECK_EQ_INT(ttxt_align(words, NW, &d, &r), 0);
    memcpy(out, r.keep, NW);
    un = r.unmatched_count;
    for (size_t i = 0; i < r.fixed_count && o < len; i++)
        o += (size_t)snprintf(fixed + o, len - o, "%s%s=%s", i ? " " : "",
                              words[r.fixed_word[i]].text, d.tokens[r.fixed_token[i]].text);
    ttxt_align_free(&r);
    ttxt_doc_free(&d);
    return un;
}

static void test_unmatched(void)
{
    unsigned char keep[NW];
    char text[512], fixed[128];

    /* "fox" typed as "fix": a correction of that word, which stays kept. */
    snprintf(text, sizeof(text), "[00:00:01.000] the quick brown fix [um] jumps\n%s%s", L2, L3);
    CHECK_EQ_INT(align_fixed(text, keep, fixed, sizeof(fixed)), 0);
    CHECK(!strcmp(fixed, "fox=fix"));
    expect_keep(keep, "11110111111111");
    /* two words retyped, one of them in brackets: corrected, and that one cut */
    snprintf(text, sizeof(text), "%s%s[00:00:08.000] please save [our] job\n", L1, L2);
    CHECK_EQ_INT(align_fixed(text, keep, fixed, sizeof(fixed)), 0);
    CHECK(!strcmp(fixed, "your=our work=job"));
    expect_keep(keep, "11110111111101");
    /* An added word between two kept ones changes nothing (no word to correct). */
    snprintf(text, sizeof(text), "%s%s[00:00:08.000] please please save your work\n", L1, L2);
    CHECK_EQ_INT(align_fixed(text, keep, fixed, sizeof(fixed)), 1); /* the extra copy */
    CHECK(!fixed[0]);
    expect_keep(keep, "11110111111111");
    /* Two words typed for one: not a one-for-one correction; reported. */
    snprintf(text, sizeof(text), "%s%s[00:00:08.000] please save our own work\n", L1, L2);
    CHECK_EQ_INT(align_fixed(text, keep, fixed, sizeof(fixed)), 2);
    CHECK(!fixed[0]);
    expect_keep(keep, "11110111111111");
}

static void test_lost_time(void)
{
    unsigned char keep[NW];
    char text[512];
    size_t anchored = 0;

    /* Two lines joined and a time deleted: still aligned, "takes" deleted. */
    snprintf(text, sizeof(text),
             "[00:00:01.000] the quick brown fox [um] jumps video editing "
             "time\nplease save your work\n");
    CHECK_EQ_INT(align(text, keep, &anchored), 0);
    CHECK_EQ_INT(anchored, 1);
    expect_keep(keep, "11110111011111");
    /* A line moved below a later one cannot anchor (the video cannot be
     * reordered): its words count as deleted from their place, and the moved
     * copy is reported as matching nothing. */
    snprintf(text, sizeof(text), "%s%s%s", L1, L3, L2);
    CHECK_EQ_INT(align(text, keep, &anchored), 4);
    CHECK_EQ_INT(anchored, 2);
    expect_keep(keep, "11110100001111");
}

static void test_repeats(void)
{
    ave_word w[] = {W("um", 1.0, 1.2, CF), W("um", 1.3, 1.5, 0), W("so", 1.6, 1.9, 0)};
    const char *text = "[00:00:01.000] [um] so\n";
    ttxt_doc d;
    ttxt_align_result r;

    /* The bare "um" was deleted; the bracketed one matches the cut copy. */
    CHECK_EQ_INT(ttxt_parse(text, strlen(text), &d), 0);
    CHECK_EQ_INT(ttxt_align(w, 3, &d, &r), 0);
    CHECK_EQ_INT(r.keep[0], 0);
    CHECK_EQ_INT(r.keep[1], 0);
    CHECK_EQ_INT(r.keep[2], 1);
    ttxt_align_free(&r);
    ttxt_doc_free(&d);
    /* "um um so" -> "um so": the cut one stays cut, the kept one stays. */
    text = "[00:00:01.000] um so\n";
    CHECK_EQ_INT(ttxt_parse(text, strlen(text), &d), 0);
    CHECK_EQ_INT(ttxt_align(w, 3, &d, &r), 0);
    CHECK_EQ_INT(r.keep[0], 0);
    CHECK_EQ_INT(r.keep[1], 1);
    ttxt_align_free(&r);
    ttxt_doc_free(&d);
}

static void test_timeline_json(void)
{
    ave_timeline tl, back;
    edit_snap_stats snap;
    edit_source src;
    char err[128] = "", *json;

    base_timeline(&tl);
    json = ave_timeline_json(&tl, "in.mp4", "f00d");
    CHECK(json != NULL);
    CHECK_EQ_INT(edit_timeline_parse(json, US(11), &grid30, &back, &src, &snap, err, sizeof(err)),
                 0);
    CHECK_EQ_INT(src.duration_us, US(11));
    CHECK(!strcmp(src.fingerprint, "f00d"));
    CHECK_EQ_INT(back.count, tl.count);
    for (size_t i = 0; i < tl.count && i < back.count; i++) {
        CHECK_EQ_INT(back.segs[i].start_us, tl.segs[i].start_us);
        CHECK_EQ_INT(back.segs[i].keep, tl.segs[i].keep);
        CHECK_EQ_INT(back.segs[i].reason, tl.segs[i].reason);
    }
    ave_timeline_free(&back);
    free(json);
    /* A hand edit: a cut typed off the grid lands on the nearest frame. */
    const char *hand = "{\"segments\": [{\"start\": 1.01, \"end\": 2.0, \"action\": \"cut\"},"
                       "{\"start\": 2.0, \"end\": 3.0, \"reason\": \"keep\"}]}";
    CHECK_EQ_INT(edit_timeline_parse(hand, US(11), &grid30, &back, &src, &snap, err, sizeof(err)),
                 0);
    CHECK(src.fingerprint[0] == '\0'); /* older files carry none */
    CHECK_EQ_INT(back.count, 3);
    CHECK_EQ_INT(back.segs[1].start_us, 1000000);
    CHECK_EQ_INT(back.segs[1].reason, AVE_REASON_MANUAL);
    ave_timeline_free(&back);
    CHECK_EQ_INT(edit_timeline_parse("{\"kept\": []}", US(11), &grid30, &back, &src, &snap, err,
                                     sizeof(err)),
                 AVE_ERR_INPUT);
    CHECK(strstr(err, "segments") != NULL);
    /* Absurd hand-typed times (found by fuzz_timeline_json) mean "past the
     * end": the cut runs to the end instead of vanishing, and words keep
     * positive times (llround used to turn 1e300 into a negative number). */
    const char *far = "{\"segments\": [{\"start\": 10, \"end\": 1e300, \"action\": \"cut\"}]}";
    CHECK_EQ_INT(edit_timeline_parse(far, US(11), &grid30, &back, &src, &snap, err, sizeof(err)),
                 0);
    CHECK_EQ_INT(ave_timeline_kept_duration(&back), US(10));
    ave_timeline_free(&back);
    ave_word *w = NULL;
    size_t nw = 0;
    char eng[32];
    CHECK_EQ_INT(edit_transcript_parse("{\"words\": [{\"text\": \"a\", \"start\": 1e300, "
                                       "\"end\": 1e301}]}",
                                       &w, &nw, eng, sizeof(eng), err, sizeof(err)),
                 0);
    CHECK(nw == 1 && w[0].start_us > 0 && w[0].end_us >= w[0].start_us);
    free(w);
    ave_timeline_free(&tl);
    /* A boundary plan stored 1 us past a frame does not creep a frame on. */
    CHECK_EQ_INT(edit_grid_round(&grid30, 66667, EDIT_ROUND_UP), 66667);
    CHECK_EQ_INT(edit_grid_round(&grid30, 66668, EDIT_ROUND_UP), 66667);
    CHECK_EQ_INT(edit_grid_round(&grid30, 66670, EDIT_ROUND_UP), 100000);
    CHECK_EQ_INT(edit_grid_round(&grid30, 66670, EDIT_ROUND_DOWN), 66667);
}

/* A line that kept its [time] is aligned on its own however long (issue
 * 17, case 8b: one of two million words was refused as "too many lines
 * without their [time]"; test_render_limits has that case, here the
 * 2-bit step table is checked on a smaller one); the cap on a stretch
 * names the stretch. */
/* A suggested filler is its own "suggest" segment inside the kept
 * stretch, kept when read back; turning it into a "cut" removes it. */
static void test_suggest_segments(void)
{
    ave_timeline tl, back;
    edit_source src;
    edit_snap_stats snap;
    char err[128] = "", *json, *at;
    ave_word w[2];

    base_timeline(&tl);
    memset(w, 0, sizeof(w));
    snprintf(w[0].text, sizeof(w[0].text), "so");
    w[0].start_us = US(1.0);
    w[0].end_us = US(1.3);
    snprintf(w[1].text, sizeof(w[1].text), "[hesitation]");
    w[1].start_us = US(1.5);
    w[1].end_us = US(2.0);
    w[1].filler_score = 0.45f;
    w[1].flags = AVE_WORD_SUGGESTED | AVE_WORD_ACOUSTIC;
    json = ave_timeline_json_words(&tl, "in.mp4", "f00d", w, 2);
    CHECK(json != NULL);
    CHECK((at = strstr(json, "\"suggest\"")) != NULL);
    CHECK(strstr(json, "\"confidence\":\t0.45") != NULL);
    CHECK_EQ_INT(edit_timeline_parse(json, US(11), &grid30, &back, &src, &snap, err, sizeof(err)),
                 0);
    CHECK_EQ_INT(ave_timeline_kept_duration(&back), ave_timeline_kept_duration(&tl));
    ave_timeline_free(&back);
    /* The user accepts it: one word changed in the file. */
    memcpy(at, "\"cut\"    ", 9);
    CHECK_EQ_INT(edit_timeline_parse(json, US(11), &grid30, &back, &src, &snap, err, sizeof(err)),
                 0);
    CHECK_EQ_INT(ave_timeline_kept_duration(&back), ave_timeline_kept_duration(&tl) - US(0.5));
    for (size_t i = 0; i < back.count; i++)
        if (back.segs[i].start_us == US(1.5)) {
            CHECK(!back.segs[i].keep);
            CHECK_EQ_INT(back.segs[i].reason, AVE_REASON_FILLER);
        }
    ave_timeline_free(&back);
    free(json);
    ave_timeline_free(&tl);
}

static void test_long_line(void)
{
    const size_t extra = CHECK_QUICK() ? 20000 : 600000;
    size_t len = strlen(L1) + strlen(L2) + strlen(L3) + extra * 4 + 1, k;
    char *text = malloc(len);
    unsigned char keep[NW];
    size_t un;

    CHECK(text != NULL);
    k = (size_t)snprintf(text, len, "%.*s", (int)strlen(L1) - 1, L1);
    for (size_t i = 0; i < extra; i++)
        k += (size_t)snprintf(text + k, len - k, " fox");
    snprintf(text + k, len - k, "\n%s%s", L2, L3);
    un = align(text, keep, NULL);
    CHECK_EQ_INT(un, extra);
    for (size_t i = 0; i < NW; i++)
        CHECK_EQ_INT(keep[i], !(words[i].flags & AVE_WORD_CUT));
    free(text);

    /* 20000 words without a single time against as many edited words:
     * over the cap, told before any table is allocated. */
    {
        const size_t n = 20000;
        ave_word *w = calloc(n, sizeof(*w));
        char *doc = malloc(n * 4 + 1);
        ttxt_doc d;
        ttxt_align_result r;
        CHECK(w && doc);
        for (size_t i = 0; w && doc && i < n; i++) {
            w[i] = W("fox", i * 0.3, i * 0.3 + 0.2, 0);
            memcpy(doc + 4 * i, "fox ", 4);
        }
        doc[n * 4] = '\0';
        CHECK_EQ_INT(ttxt_parse(doc, n * 4, &d), 0);
        CHECK_EQ_INT(ttxt_align(w, n, &d, &r), AVE_ERR_LIMIT);
        CHECK_EQ_INT(r.limit_words, n);
        CHECK_EQ_INT(r.limit_tokens, n);
        CHECK_EQ_INT(r.limit_line, 1);
        CHECK(r.keep == NULL);
        ttxt_doc_free(&d);
        free(doc);
        free(w);
    }
}

/* seconds of alternating keep/cut pieces of piece_ms, keep first, as JSON */
static char *alternating(int seconds, int piece_ms)
{
    size_t n = (size_t)seconds * 1000 / piece_ms, cap = n * 64 + 64, len;
    char *j = malloc(cap);
    if (!j)
        return NULL;
    len = (size_t)snprintf(j, cap, "{\"segments\": [");
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(j + len, cap - len,
                                "%s{\"start\": %.3f, \"end\": %.3f, \"action\": \"%s\"}",
                                i ? "," : "", i * piece_ms / 1000.0, (i + 1) * piece_ms / 1000.0,
                                i % 2 ? "cut" : "keep");
    snprintf(j + len, cap - len, "]}");
    return j;
}

/* Pieces shorter than a frame (issue 17, case 8a): 10 ms keep/cut at 25 fps
 * put every boundary on a quarter or half frame; cut by cut, each 10 ms cut
 * grew to a whole frame and nothing was left. Per frame with the kept time
 * carried, half is kept (within half a frame), every boundary on the grid. */
static void test_short_pieces(void)
{
    static const edit_grid grid25 = {1, 25};
    const edit_grid *grids[] = {&grid25, &grid30};
    ave_timeline tl;
    edit_snap_stats snap;
    edit_source src;
    char err[128] = "";

    for (int gi = 0; gi < 2; gi++) {
        const edit_grid *g = grids[gi];
        char *json = alternating(4, 10);
        CHECK(json != NULL);
        CHECK_EQ_INT(edit_timeline_parse(json, US(4), g, &tl, &src, &snap, err, sizeof(err)), 0);
        CHECK_EQ_INT(snap.kept_asked_us, US(2));
        CHECK_EQ_INT(snap.pieces_short, 398);
        CHECK_NEAR((double)ave_timeline_kept_duration(&tl), 2e6, 0.5e6 * g->num / g->den);
        CHECK(ave_timeline_kept_count(&tl) > 10);
        for (size_t i = 0; i + 1 < tl.count; i++) /* every boundary on a frame */
            CHECK_EQ_INT(edit_grid_round(g, tl.segs[i].end_us, EDIT_ROUND_NEAR), tl.segs[i].end_us);
        ave_timeline_free(&tl);
        free(json);
    }
    /* A lone boundary still goes to its nearest frame, half a frame kept. */
    const char *one = "{\"segments\": [{\"start\": 1.02, \"end\": 3.013, \"action\": \"cut\"}]}";
    CHECK_EQ_INT(edit_timeline_parse(one, US(4), &grid25, &tl, &src, &snap, err, sizeof(err)), 0);
    CHECK_EQ_INT(tl.count, 3);
    CHECK_EQ_INT(tl.segs[1].start_us, 1040000); /* frame [1.00, 1.04): half kept, kept */
    CHECK_EQ_INT(tl.segs[1].end_us, 3000000);   /* frame [3.00, 3.04): 27 ms kept, kept */
    CHECK_EQ_INT(snap.pieces_short, 0);
    ave_timeline_free(&tl);
    /* Many pieces in one pass: 10 minutes of 10 ms pieces (60000). */
    if (!CHECK_QUICK()) {
        char *json = alternating(600, 10);
        CHECK(json != NULL);
        CHECK_EQ_INT(
            edit_timeline_parse(json, US(600), &grid30, &tl, &src, &snap, err, sizeof(err)), 0);
        CHECK_NEAR((double)ave_timeline_kept_duration(&tl), 300e6, 0.5e6 / 30);
        ave_timeline_free(&tl);
        free(json);
    }
}

int main(void)
{
    test_suggest_segments();
    test_unchanged();
    test_deleted_line();
    test_deleted_word();
    test_bracketed_span();
    test_restored_filler();
    test_restore_after_delete();
    test_restore_stutter();
    test_unmatched();
    test_lost_time();
    test_repeats();
    test_timeline_json();
    test_short_pieces();
    test_long_line();
    return CHECK_DONE();
}
