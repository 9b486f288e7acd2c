/* SMPTE timecode, frame/microsecond conversion and rational seconds for the
 * NLE exports (see timecode.h).
 *
 * Drop-frame timecode skips the labels ;00 and ;01 (;00-;03 at 59.94) at the
 * start of every minute except each tenth, so the label stays within a frame
 * or two of wall-clock time at 30000/1001 fps; no frame is dropped, only
 * labels. Times are converted with integer arithmetic so a frame index never
 * drifts, however long the input. Assumes frame counts below 2^53 and rates
 * below 1e6 (products fit in int64). */
#include <stdio.h>
#include <stdlib.h>

#include "ave/error.h"
#include "export/timecode.h"

int tc_rate_init(tc_rate *r, int num, int den)
{
    if (num <= 0 || den <= 0)
        return AVE_ERR_USAGE;
    r->num = num;
    r->den = den;
    r->timebase = (int)(((int64_t)num + den / 2) / den);
    if (r->timebase < 1)
        r->timebase = 1;
    r->ntsc = den == 1001;
    r->drop = den == 1001 && (num == 30000 || num == 60000);
    return 0;
}

int64_t tc_frames_from_us(const tc_rate *r, int64_t us)
{
    /* frames = us * num / (den * 1e6), rounded half up */
    int64_t d = (int64_t)r->den * 1000000;
    return (us * r->num + d / 2) / d;
}

int64_t tc_us_from_frames(const tc_rate *r, int64_t frames)
{
    return (frames * r->den * 1000000 + r->num / 2) / r->num;
}

/* Labels skipped at each minute change (2 at 29.97, 4 at 59.94). */
static int drop_count(const tc_rate *r)
{
    return r->drop ? r->timebase / 15 : 0;
}

void tc_format(const tc_rate *r, int64_t frames, char *buf, size_t len)
{
    int64_t tb = r->timebase, n = frames < 0 ? 0 : frames;
    int d = drop_count(r);

    if (d) {
        int64_t per10 = tb * 600 - 9 * d; /* 17982 at 29.97 */
        int64_t per1 = tb * 60 - d;       /* 1798 */
        int64_t blocks = n / per10, rem = n % per10;
        /* The first minute of a ten-minute block keeps all its labels. */
        n += 9 * d * blocks + (rem > d ? d * ((rem - d) / per1) : 0);
    }
    n %= tb * 86400;
    snprintf(buf, len, "%02d:%02d:%02d%c%02d", (int)(n / (tb * 3600)), (int)(n / (tb * 60) % 60),
             (int)(n / tb % 60), d ? ';' : ':', (int)(n % tb));
}

int tc_parse(const tc_rate *r, const char *label, int64_t *frames)
{
    int hh, mm, ss, ff, used = 0;
    char s1, s2, s3;
    int d = drop_count(r);

    if (sscanf(label, "%2d%c%2d%c%2d%c%2d%n", &hh, &s1, &mm, &s2, &ss, &s3, &ff, &used) != 7 ||
        label[used] != '\0' || hh < 0 || mm < 0 || mm > 59 || ss < 0 || ss > 59 || ff < 0 ||
        ff >= r->timebase)
        return AVE_ERR_USAGE;
    if (d && ss == 0 && ff < d && mm % 10 != 0)
        return AVE_ERR_USAGE; /* a label drop-frame skips */
    int64_t minutes = (int64_t)hh * 60 + mm;
    *frames = (((int64_t)hh * 3600 + mm * 60 + ss) * r->timebase + ff) -
              d * (minutes - minutes / 10);
    return 0;
}

static int64_t gcd64(int64_t a, int64_t b)
{
    while (b) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return a < 0 ? -a : a;
}

void tc_rational(const tc_rate *r, int64_t frames, char *buf, size_t len)
{
    int64_t n = frames * r->den, d = r->num, g;

    if (n == 0) {
        snprintf(buf, len, "0s");
        return;
    }
    g = gcd64(n, d);
    n /= g;
    d /= g;
    if (d == 1)
        snprintf(buf, len, "%llds", (long long)n);
    else
        snprintf(buf, len, "%lld/%llds", (long long)n, (long long)d);
}

double tc_fps(const tc_rate *r)
{
    return (double)r->num / r->den;
}
