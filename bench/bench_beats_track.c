/* Runs the beats stage's analysis (src/beats/beats_analyse.c) on raw audio
 * for bench/bench_beats_real.sh, without the rest of the pipeline.
 *
 *   bench_beats_track FILE.s16 [RATE]
 *
 * FILE.s16: mono signed 16-bit little-endian PCM (RATE, default 16000, the
 * pipeline's analysis rate). Prints one JSON object: tempo (of the longest
 * segment), tempo_segments [[start, end, bpm]...], beats [...],
 * confidence, seconds (analysis time). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "beats/beats_internal.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    FILE *f;
    int16_t *pcm = NULL;
    size_t n = 0, cap = 0, got;
    int rate = argc > 2 ? atoi(argv[2]) : 16000, ret = 1;
    beats_result r;
    double t0, longest = 0, tempo = 0;

    if (argc < 2 || rate <= 0) {
        fprintf(stderr, "usage: %s FILE.s16 [RATE]\n", argv[0]);
        return 2;
    }
    if (!(f = fopen(argv[1], "rb"))) {
        perror(argv[1]);
        return 1;
    }
    do {
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 1 << 16;
            int16_t *p = realloc(pcm, nc * sizeof(*p));
            if (!p)
                goto out;
            pcm = p;
            cap = nc;
        }
        got = fread(pcm + n, sizeof(*pcm), cap - n, f);
        n += got;
    } while (got > 0);
    t0 = now_s();
    if (beats_analyse(pcm, n, rate, NULL, NULL, &r) != 0) {
        fprintf(stderr, "%s: analysis failed\n", argv[1]);
        beats_result_free(&r);
        goto out;
    }
    t0 = now_s() - t0;
    printf("{\"tempo_segments\": [");
    for (size_t i = 0; i < r.seg_count; i++) {
        const beats_tempo_seg *s = &r.segs[i];
        double len = s->period_s * (s->k_last - s->k_first);
        if (len > longest) {
            longest = len;
            tempo = 60.0 / s->period_s;
        }
        printf("%s[%.3f, %.3f, %.3f]", i ? ", " : "", s->offset_s + s->period_s * s->k_first,
               s->offset_s + s->period_s * s->k_last, 60.0 / s->period_s);
    }
    printf("], \"tempo\": %.3f, \"confidence\": %.3f, \"salience\": %.3f, \"seconds\": %.4f, "
           "\"beats\": [",
           tempo, r.confidence, r.salience, t0);
    for (size_t i = 0; i < r.count; i++)
        printf("%s%.4f", i ? ", " : "", r.beats[i]);
    printf("]}\n");
    beats_result_free(&r);
    ret = 0;
out:
    fclose(f);
    free(pcm);
    return ret;
}
