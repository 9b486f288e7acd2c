/* Frame rates, SMPTE timecode and rational times for the NLE exports.
 *
 * Every export counts in whole frames of the source's frame rate; this header
 * turns frame counts into the notations the formats want: SMPTE timecode
 * (drop-frame at 29.97 and 59.94, as NTSC editors display it), rational
 * seconds ("1001/30000s", FCPXML) and the integer timebase + NTSC flag of
 * FCP7 XML. Pure functions, no allocation. */
#ifndef AVE_EXPORT_TIMECODE_H
#define AVE_EXPORT_TIMECODE_H

#include <stddef.h>
#include <stdint.h>

typedef struct tc_rate {
    int num, den;  /* exact frame rate num/den frames per second (30000/1001) */
    int timebase;  /* frames per timecode second: round(num/den), e.g. 30 */
    int ntsc;      /* 1 when den is 1001 (29.97, 23.976, 59.94) */
    int drop;      /* 1 for drop-frame timecode (29.97 and 59.94 only) */
} tc_rate;

/* Fill r for num/den frames per second (both > 0). Drop-frame is chosen for
 * 30000/1001 and 60000/1001, as NTSC editors default to it. Returns 0, or
 * AVE_ERR_USAGE for a rate that is not positive. */
int tc_rate_init(tc_rate *r, int num, int den);

/* Frame index nearest to us microseconds (rounded half up); us >= 0. */
int64_t tc_frames_from_us(const tc_rate *r, int64_t us);

/* Microseconds at which frame `frames` starts (rounded to nearest). */
int64_t tc_us_from_frames(const tc_rate *r, int64_t frames);

/* SMPTE label of frame count `frames` (>= 0): "HH:MM:SS:FF", or with drop
 * frame "HH:MM:SS;FF" (the NLE convention: a ';' marks drop-frame), in buf
 * (at least 16 bytes). Hours wrap at 24 like a real timecode. */
void tc_format(const tc_rate *r, int64_t frames, char *buf, size_t len);

/* Inverse of tc_format: frame count of a label ("01:00:00;00" or with ':'
 * everywhere; the separator is not trusted, r->drop decides). Returns 0 or
 * AVE_ERR_USAGE for a malformed label or a dropped (non-existent) label
 * such as 00:01:00;00 at 29.97 DF. */
int tc_parse(const tc_rate *r, const char *label, int64_t *frames);

/* Duration of `frames` frames as reduced rational seconds: "0s", "2s",
 * "1001/30000s", "1001/1000s" (FCPXML notation), in buf. */
void tc_rational(const tc_rate *r, int64_t frames, char *buf, size_t len);

/* Frame rate as a double (OpenTimelineIO rates: 29.97002997002997). */
double tc_fps(const tc_rate *r);

#endif
