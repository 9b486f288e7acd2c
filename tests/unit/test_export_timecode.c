/* Export timecode math against hand-computed SMPTE labels: NTSC drop-frame
 * at 29.97 and 59.94 across the minute and ten-minute boundaries (where
 * labels are skipped and where they are not), 23.976/25/30/60 non-drop,
 * the one-hour record start of each rate, microsecond<->frame round trips,
 * FCPXML rational seconds, and the --export list option (choices checked
 * item by item, a repeated flag appends). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ave/ave.h"
#include "check.h"
#include "export/timecode.h"

static void check_label(const tc_rate *r, int64_t frame, const char *want)
{
    char buf[32];
    int64_t back = -1;

    tc_format(r, frame, buf, sizeof buf);
    if (strcmp(buf, want)) {
        fprintf(stderr, "frame %lld at %d/%d: '%s', expected '%s'\n", (long long)frame, r->num,
                r->den, buf, want);
        check_failures++;
    }
    CHECK_EQ_INT(tc_parse(r, want, &back), 0);
    CHECK_EQ_INT(back, frame);
}

/* Every frame of the first 21 minutes: the label parses back to the frame
 * and advances by exactly one frame number, or jumps over the dropped ones. */
static void check_sequence(const tc_rate *r, int drop)
{
    char prev[32] = "", cur[32];
    int64_t back, n = (int64_t)r->timebase * 60 * 21;
    int bad = 0;

    for (int64_t f = 0; f < n && bad < 5; f++) {
        int ph, pm, ps, pf, h, m, s, fr;
        tc_format(r, f, cur, sizeof cur);
        if (tc_parse(r, cur, &back) < 0 || back != f) {
            fprintf(stderr, "%s does not parse back to %lld\n", cur, (long long)f);
            bad++;
        }
        if (f > 0 && sscanf(prev, "%d:%d:%d%*c%d", &ph, &pm, &ps, &pf) == 4 &&
            sscanf(cur, "%d:%d:%d%*c%d", &h, &m, &s, &fr) == 4) {
            int64_t a = ((ph * 60 + pm) * 60 + ps) * (int64_t)r->timebase + pf;
            int64_t b = ((h * 60 + m) * 60 + s) * (int64_t)r->timebase + fr;
            int64_t want = 1;
            if (drop && s == 0 && fr == drop && m % 10 != 0)
                want = 1 + drop; /* skipped labels at a minute change */
            if (b - a != want) {
                fprintf(stderr, "%s -> %s: step %lld, expected %lld\n", prev, cur,
                        (long long)(b - a), (long long)want);
                bad++;
            }
        }
        memcpy(prev, cur, sizeof cur);
    }
    CHECK_EQ_INT(bad, 0);
}

static void test_drop_2997(void)
{
    tc_rate r;
    int64_t f;

    CHECK_EQ_INT(tc_rate_init(&r, 30000, 1001), 0);
    CHECK_EQ_INT(r.timebase, 30);
    CHECK_EQ_INT(r.drop, 1);
    CHECK_EQ_INT(r.ntsc, 1);
    check_label(&r, 0, "00:00:00;00");
    check_label(&r, 1799, "00:00:59;29");
    check_label(&r, 1800, "00:01:00;02"); /* ;00 and ;01 skipped */
    check_label(&r, 3597, "00:01:59;29");
    check_label(&r, 3598, "00:02:00;02");
    check_label(&r, 17981, "00:09:59;29");
    check_label(&r, 17982, "00:10:00;00"); /* every tenth minute keeps them */
    check_label(&r, 17983, "00:10:00;01");
    check_label(&r, 19781, "00:10:59;29");
    check_label(&r, 19782, "00:11:00;02");
    check_label(&r, 107892, "01:00:00;00"); /* 60*1800 - 6*18 */
    check_label(&r, 24 * 6 * 17982 - 1, "23:59:59;29"); /* the last label of a day */
    CHECK_EQ_INT(tc_parse(&r, "00:01:00;00", &f), AVE_ERR_USAGE);
    CHECK_EQ_INT(tc_parse(&r, "00:01:00;01", &f), AVE_ERR_USAGE);
    CHECK_EQ_INT(tc_parse(&r, "00:00:00;30", &f), AVE_ERR_USAGE);
    CHECK_EQ_INT(tc_parse(&r, "00:00:00", &f), AVE_ERR_USAGE);
    CHECK_EQ_INT(tc_parse(&r, "01:00:00:00", &f), 0); /* ':' is accepted too */
    CHECK_EQ_INT(f, 107892);
    /* Drop frame keeps the label on wall-clock time: one hour of real time
     * (107892 frames = 3599.9964 s) reads 01:00:00;00. */
    CHECK_NEAR(tc_us_from_frames(&r, 107892) / 1e6, 3599.9964, 1e-4);
    check_sequence(&r, 2);
}

static void test_drop_5994(void)
{
    tc_rate r;
    int64_t f;

    CHECK_EQ_INT(tc_rate_init(&r, 60000, 1001), 0);
    CHECK_EQ_INT(r.timebase, 60);
    CHECK_EQ_INT(r.drop, 1);
    check_label(&r, 3599, "00:00:59;59");
    check_label(&r, 3600, "00:01:00;04"); /* ;00-;03 skipped */
    check_label(&r, 35963, "00:09:59;59");
    check_label(&r, 35964, "00:10:00;00");
    check_label(&r, 35964 + 3600, "00:11:00;04");
    check_label(&r, 215784, "01:00:00;00"); /* 60*3600 - 54*4 */
    CHECK_EQ_INT(tc_parse(&r, "00:02:00;03", &f), AVE_ERR_USAGE);
    check_sequence(&r, 4);
}

static void test_non_drop(void)
{
    tc_rate r;

    CHECK_EQ_INT(tc_rate_init(&r, 24000, 1001), 0);
    CHECK_EQ_INT(r.timebase, 24);
    CHECK_EQ_INT(r.ntsc, 1);
    CHECK_EQ_INT(r.drop, 0);
    check_label(&r, 86400, "01:00:00:00");
    check_label(&r, 1439, "00:00:59:23");
    check_label(&r, 1440, "00:01:00:00"); /* nothing skipped */
    check_sequence(&r, 0);
    CHECK_EQ_INT(tc_rate_init(&r, 25, 1), 0);
    CHECK_EQ_INT(r.ntsc, 0);
    check_label(&r, 90000, "01:00:00:00");
    check_label(&r, 24, "00:00:00:24");
    check_label(&r, 15000, "00:10:00:00");
    CHECK_EQ_INT(tc_rate_init(&r, 30, 1), 0);
    CHECK_EQ_INT(r.drop, 0);
    check_label(&r, 1800, "00:01:00:00");
    check_label(&r, 108000, "01:00:00:00");
    CHECK_EQ_INT(tc_rate_init(&r, 60, 1), 0);
    check_label(&r, 3600, "00:01:00:00");
    check_label(&r, 216000, "01:00:00:00");
    CHECK_EQ_INT(tc_rate_init(&r, 0, 1), AVE_ERR_USAGE);
}

static void check_rational(int num, int den, int64_t frames, const char *want)
{
    tc_rate r;
    char buf[64];

    tc_rate_init(&r, num, den);
    tc_rational(&r, frames, buf, sizeof buf);
    if (strcmp(buf, want)) {
        fprintf(stderr, "%lld frames at %d/%d: '%s', expected '%s'\n", (long long)frames, num,
                den, buf, want);
        check_failures++;
    }
}

static void test_rational_and_us(void)
{
    tc_rate r;
    int bad = 0;

    check_rational(30000, 1001, 0, "0s");
    check_rational(30000, 1001, 1, "1001/30000s");
    check_rational(30000, 1001, 30, "1001/1000s");
    check_rational(30000, 1001, 30000, "1001s");
    check_rational(30000, 1001, 107892, "8999991/2500s"); /* 107892*1001/30000 */
    check_rational(60000, 1001, 1, "1001/60000s");
    check_rational(24000, 1001, 1, "1001/24000s");
    check_rational(25, 1, 1, "1/25s");
    check_rational(25, 1, 50, "2s");
    check_rational(30, 1, 45, "3/2s");

    tc_rate_init(&r, 30000, 1001);
    CHECK_EQ_INT(tc_frames_from_us(&r, 0), 0);
    CHECK_EQ_INT(tc_frames_from_us(&r, 33367), 1);  /* 33366.67 us per frame */
    CHECK_EQ_INT(tc_frames_from_us(&r, 16683), 0);  /* just under half a frame */
    CHECK_EQ_INT(tc_frames_from_us(&r, 16684), 1);
    CHECK_EQ_INT(tc_frames_from_us(&r, 10000000), 300); /* 299.7 */
    CHECK_EQ_INT(tc_us_from_frames(&r, 30000), 1001000000);
    CHECK_EQ_INT(tc_us_from_frames(&r, 1), 33367);
    for (int64_t f = 0; f < 200000; f += 7)
        bad += tc_frames_from_us(&r, tc_us_from_frames(&r, f)) != f;
    /* 24 hours at 59.94 stays exact */
    tc_rate_init(&r, 60000, 1001);
    CHECK_EQ_INT(tc_frames_from_us(&r, tc_us_from_frames(&r, 5178816)), 5178816);
    CHECK_EQ_INT(bad, 0);
}

static void test_export_option(void)
{
    ave_settings *s = NULL;
    const void *o;
    char err[256];

    CHECK_EQ_INT(ave_settings_new(&s), 0);
    if (!s)
        return;
    /* the stage's options struct starts with the list (char *) */
    CHECK_EQ_INT(ave_settings_set(s, "export", "premiere", AVE_SRC_ENV, err, sizeof err), 0);
    CHECK_EQ_INT(ave_settings_set(s, "export", "edl", AVE_SRC_FLAG, err, sizeof err), 0);
    o = ave_settings_stage_opts(s, "export");
    CHECK(o && !strcmp(*(char *const *)o, "edl")); /* a flag replaces the environment */
    CHECK_EQ_INT(ave_settings_set(s, "export", " otio, JSON ", AVE_SRC_FLAG, err, sizeof err), 0);
    CHECK(o && !strcmp(*(char *const *)o, "edl, otio, JSON ")); /* and a second flag adds */
    CHECK_EQ_INT(ave_settings_set(s, "export", "edl,avid", AVE_SRC_FLAG, err, sizeof err),
                 AVE_ERR_USAGE);
    CHECK(strstr(err, "'avid' is not one of premiere|resolve|fcpxml|edl|otio|json") != NULL);
    CHECK(o && !strcmp(*(char *const *)o, "edl, otio, JSON ")); /* unchanged */
    CHECK_EQ_INT(ave_settings_set(s, "export-only", "true", AVE_SRC_FLAG, err, sizeof err), 0);
    CHECK_EQ_INT(ave_settings_config(s)->export_only, 1);
    ave_settings_free(s);
}

int main(void)
{
    test_drop_2997();
    test_drop_5994();
    test_non_drop();
    test_rational_and_us();
    test_export_option();
    return CHECK_DONE();
}
