/* The whole beat analysis of one mono PCM buffer, independent of the job:
 * rough beats, tempo segments, the onset-locked grid and the music
 * confidence. The stage (beats_stage.c) and the benchmark tool
 * (bench/bench_beats_track.c) both call this, so what is benchmarked is
 * what runs. */
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "beats/beats_internal.h"

int beats_analyse(const int16_t *pcm, size_t n, int rate, beats_progress_fn progress,
                  void *opaque, beats_result *r)
{
    double dur = rate > 0 ? (double)n / rate : 0, conf;
    int ret;

    memset(r, 0, sizeof(*r));
    if ((ret = beats_track_aubio(pcm, n, rate, &r->raw, &r->raw_count, &r->aubio_confidence,
                                 progress, opaque)) != 0)
        return ret;
    if ((ret = beats_fit_segments(r->raw, r->raw_count, &r->segs, &r->seg_count)) < 0)
        return ret;
    /* Music confidence: aubio's beats on steady lines (measured before the
     * grid refits them), onsets tight under the refitted grid, and the share
     * of the audio it covers. */
    conf = beats_music_confidence(r->segs, r->seg_count, r->raw_count);
    if ((ret = beats_env_compute(pcm, n, rate, &r->env)) < 0 ||
        (ret = beats_build_grid(r->segs, r->seg_count, &r->env, dur, &r->beats, &r->count)) < 0)
        return ret;
    r->confidence = conf * beats_grid_quality(r->segs, r->seg_count, dur);
    return 0;
}

void beats_result_free(beats_result *r)
{
    if (!r)
        return;
    free(r->raw);
    free(r->beats);
    free(r->segs);
    beats_env_free(&r->env);
    memset(r, 0, sizeof(*r));
}
