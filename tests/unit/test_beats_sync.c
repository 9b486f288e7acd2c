/* Beat sync (src/plan/beat_sync.c): snapping to beats and bars within a
 * tolerance, frame rounding within half a frame, and bar selection for a
 * target duration (reaches it, whole bars, loudest sections first). */
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "plan/beat_sync.h"
#include "check.h"

#define MS(x) ((int64_t)(x) * 1000)

static void test_snap(void)
{
    int64_t beats[16], bars[4];

    for (int i = 0; i < 16; i++)
        beats[i] = MS(500) * i + MS(20); /* 120 BPM, phase 20 ms */
    for (int i = 0; i < 4; i++)
        bars[i] = beats[4 * i];
    CHECK_EQ_INT(beat_sync_snap(MS(1230), beats, 16, MS(300)), MS(1020));
    CHECK_EQ_INT(beat_sync_snap(MS(1300), beats, 16, MS(300)), MS(1520));
    CHECK_EQ_INT(beat_sync_snap(MS(1230), beats, 16, MS(100)), MS(1230)); /* too far */
    CHECK_EQ_INT(beat_sync_snap(MS(1120), beats, 16, MS(100)), MS(1020)); /* inclusive */
    CHECK_EQ_INT(beat_sync_snap(MS(9000), beats, 16, INT64_MAX), MS(7520)); /* past the end */
    CHECK_EQ_INT(beat_sync_snap(MS(0), beats, 16, INT64_MAX), MS(20));
    CHECK_EQ_INT(beat_sync_snap(MS(3000), bars, 4, INT64_MAX), MS(2020));
    CHECK_EQ_INT(beat_sync_snap(MS(3100), bars, 4, INT64_MAX), MS(4020));
    CHECK_EQ_INT(beat_sync_snap(MS(3100), bars, 4, MS(500)), MS(3100));
    CHECK_EQ_INT(beat_sync_snap(MS(3100), NULL, 0, INT64_MAX), MS(3100));
}

static void test_frame(void)
{
    /* 30 fps: 1.016 s is frame 30.48 -> 1.0 s; 29.97 fps (30000/1001). */
    CHECK_EQ_INT(beat_sync_frame(MS(1016), 30, 1), MS(1000));
    CHECK_EQ_INT(beat_sync_frame(MS(1020), 30, 1), 1033333);
    for (int64_t t = 0; t < MS(5000); t += 7919) {
        int64_t f = beat_sync_frame(t, 30000, 1001);
        CHECK(llabs(f - t) <= 1001000000 / 30000 / 2 + 1);
    }
    CHECK_EQ_INT(beat_sync_frame(MS(1016), 0, 1), MS(1016)); /* no grid */
}

/* 16 bars of 2 s: quiet intro (bars 0-3), loud middle (4-11), medium outro
 * (12-15) whose last two bars are its loudest. */
static void make_song(beat_sync_bar *bars, ave_music_section *secs)
{
    for (int i = 0; i < 16; i++) {
        bars[i].start_us = MS(2000) * i;
        bars[i].end_us = MS(2000) * (i + 1);
        bars[i].energy_db = i < 4 ? -20 : i < 12 ? -6 : i < 14 ? -14 : -10;
    }
    secs[0] = (ave_music_section){0, MS(8000), -20, "intro"};
    secs[1] = (ave_music_section){MS(8000), MS(24000), -6, "loud"};
    secs[2] = (ave_music_section){MS(24000), MS(32000), -12, "outro"};
}

static void test_select(void)
{
    beat_sync_bar bars[16];
    ave_music_section secs[3];
    unsigned char keep[16];
    int64_t kept = 0;

    make_song(bars, secs);
    /* 20 s: the whole loud section (16 s) plus the outro's loudest 2 bars. */
    CHECK_EQ_INT(beat_sync_select(bars, 16, secs, 3, MS(20000), keep, &kept), 0);
    CHECK_EQ_INT(kept, MS(20000));
    for (int i = 0; i < 16; i++)
        CHECK_EQ_INT(keep[i], (i >= 4 && i < 12) || i >= 14);
    /* 15 s: part of the loud section, nearest whole bars (14 or 16 s). */
    CHECK_EQ_INT(beat_sync_select(bars, 16, secs, 3, MS(15000), keep, &kept), 0);
    CHECK(llabs(kept - MS(15000)) <= MS(1000));
    for (int i = 0; i < 16; i++)
        if (keep[i])
            CHECK(bars[i].energy_db == -6);
    /* 9 s: 4 or 5 bars, contiguous. */
    CHECK_EQ_INT(beat_sync_select(bars, 16, secs, 3, MS(9000), keep, &kept), 0);
    CHECK(llabs(kept - MS(9000)) <= MS(1000));
    int runs = 0;
    for (int i = 0; i < 16; i++)
        runs += keep[i] && (i == 0 || !keep[i - 1]);
    CHECK_EQ_INT(runs, 1);
    /* Longer than the song: everything. */
    CHECK_EQ_INT(beat_sync_select(bars, 16, secs, 3, MS(40000), keep, &kept), 0);
    CHECK_EQ_INT(kept, MS(32000));
    CHECK_EQ_INT(beat_sync_select(bars, 16, secs, 3, 0, keep, &kept), AVE_ERR_USAGE);
}

int main(void)
{
    test_snap();
    test_frame();
    test_select();
    return CHECK_DONE();
}
