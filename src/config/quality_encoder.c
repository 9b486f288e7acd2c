/* Quality level -> encoder settings. One table so the CLI, the benchmark
 * (which runs plain ffmpeg with the same preset for comparison) and the
 * metrics all agree. Presets trade speed for size at a similar visual
 * quality; CRF sets the quality. Chosen so "medium" (the default) encodes a
 * 720p talk faster than real time on two cores. */
#include "ave/config.h"
#include "ave/error.h"

static const ave_encoder_settings settings_table[] = {
    [AVE_QUALITY_LOW] = { "veryfast", 28, 96000 },
    [AVE_QUALITY_MEDIUM] = { "faster", 23, 128000 },
    [AVE_QUALITY_HIGH] = { "medium", 20, 160000 },
    [AVE_QUALITY_ULTRA] = { "slow", 17, 192000 },
};

int ave_quality_encoder_settings(int quality, ave_encoder_settings *out)
{
    if (quality < 0 || quality >= (int)(sizeof(settings_table) / sizeof(settings_table[0])))
        return AVE_ERR_USAGE;
    *out = settings_table[quality];
    return 0;
}
