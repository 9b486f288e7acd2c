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
 * The table below interpolates those bands (knots at their middles, the
 * ends held flat). Other recognisers (HTTP services) report calibrated
 * confidences or none; theirs are used as they are. */
#include <string.h>

#include "content/content.h"

static const float knots[][2] = {
    {0.00f, 0.31f}, {0.45f, 0.31f}, {0.60f, 0.57f}, {0.82f, 0.70f}, {0.975f, 0.93f},
    {1.00f, 0.93f},
};

float content_calibrate(float conf, const char *engine)
{
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
