/* How far a recogniser's word confidence can be trusted, as the chance that
 * the word is right.
 *
 * PocketSphinx's word posteriors are not probabilities of being right: on
 * the real recordings of ../shared/media (real/ and real-dev/
 * speech_disfluent, 370 recognised words of 3+ letters, each checked
 * against its file's reference transcript by bench/bench_text_real.sh's
 * work folder) the share of right words was
 *
 *   confidence   0-0.5   0.5-0.7   0.7-0.95   0.95-1
 *   right        31 %    57 %      70 %       93 %
 *
 * so a word at 0.6 is right barely more often than a coin toss, and only
 * the top band is as good as the >= 90 % the publishable text must reach.
 *
 * Recognition errors come in runs: where the recogniser lost the thread,
 * the words around the loss are cut at the wrong places too (jfk's
 * "americans" heard at confidence 1.00 as "america" beside "fellow" at
 * 0.14). Splitting the top band by the neighbours, on the same words:
 *
 *   top band (0.95-1), next to a word under 0.5 (gap < 0.15 s)   19/22  86 %
 *   top band, neighbours at 0.5 or more (or a pause)             44/46  96 %
 *
 * The lower bands show no consistent split (67 vs 75 %, 71 vs 62 %, 31 vs
 * 38 %), so only the top knot depends on the neighbours. 22 words is a
 * small sample; the direction matches what confidence estimators in the
 * literature use neighbour scores for.
 *
 * The table below interpolates those bands (knots at their middles, the
 * ends held flat). Other recognisers (HTTP services) report calibrated
 * confidences or none; theirs are used as they are. */
#include <stdlib.h>
#include <string.h>

#include "ave/error.h"
#include "content/content.h"

/* Words closer than this are heard as one stretch. */
#define NEIGHBOUR_GAP_US 150000
#define UNSURE_NEIGHBOUR_CONF 0.5f
#define TOP_RIGHT_BESIDE_UNSURE 0.86f
#define TOP_RIGHT_OTHERWISE 0.96f

float content_calibrate(float conf, float neighbour_conf, const char *engine)
{
    float top = neighbour_conf < UNSURE_NEIGHBOUR_CONF ? TOP_RIGHT_BESIDE_UNSURE
                                                       : TOP_RIGHT_OTHERWISE;
    const float knots[][2] = {
        {0.00f, 0.31f}, {0.45f, 0.31f}, {0.60f, 0.57f}, {0.82f, 0.70f}, {0.975f, top},
        {1.00f, top},
    };
    size_t n = sizeof(knots) / sizeof(knots[0]);

    if (!engine || strcmp(engine, "pocketsphinx") != 0)
        return conf < 0 ? 0 : conf > 1 ? 1 : conf;
    if (conf <= knots[0][0])
        return knots[0][1];
    for (size_t i = 1; i < n; i++)
        if (conf <= knots[i][0]) {
            float f = (conf - knots[i - 1][0]) / (knots[i][0] - knots[i - 1][0]);
            return knots[i - 1][1] + f * (knots[i][1] - knots[i - 1][1]);
        }
    return knots[n - 1][1];
}

int content_calibrate_text(content_text *t, const char *engine)
{
    float *raw;

    if (t->count == 0)
        return 0;
    if (!(raw = malloc(t->count * sizeof(*raw))))
        return AVE_ERR_NOMEM;
    for (size_t i = 0; i < t->count; i++)
        raw[i] = t->tok[i].conf;
    for (size_t i = 0; i < t->count; i++) {
        float nb = 1.0f;

        if (i > 0 && t->tok[i].start_us - t->tok[i - 1].end_us < NEIGHBOUR_GAP_US)
            nb = raw[i - 1];
        if (i + 1 < t->count && t->tok[i + 1].start_us - t->tok[i].end_us < NEIGHBOUR_GAP_US &&
            raw[i + 1] < nb)
            nb = raw[i + 1];
        t->tok[i].conf = content_calibrate(raw[i], nb, engine);
    }
    free(raw);
    return 0;
}
