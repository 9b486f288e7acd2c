/* The one list of stages, in pipeline order. A new capability (speech,
 * enhancement, thumbnails, ...) is added by writing its folder under src/ and
 * listing its stage object here. Nothing below the pipeline reads this list:
 * settings are made for the stages handed to them (ave_settings_new passes
 * this one), and config, cache and the stages ask the settings. Stages never
 * call each other (scripts/check-includes.sh, scripts/check-layers.py). */
#include <string.h>

#include "ave/config.h"
#include "ave/stage.h"

extern const ave_stage ave_stage_probe;
extern const ave_stage ave_stage_adaptive;
extern const ave_stage ave_stage_gpu;
extern const ave_stage ave_stage_decode;
extern const ave_stage ave_stage_silence;
extern const ave_stage ave_stage_beats;
extern const ave_stage ave_stage_speech;
extern const ave_stage ave_stage_frames;
extern const ave_stage ave_stage_plan;
extern const ave_stage ave_stage_edit;
extern const ave_stage ave_stage_transcript;
extern const ave_stage ave_stage_content;
extern const ave_stage ave_stage_export;
extern const ave_stage ave_stage_broll;
extern const ave_stage ave_stage_render;
extern const ave_stage ave_stage_enhance;
extern const ave_stage ave_stage_thumbnails;
extern const ave_stage ave_stage_report;

static const ave_stage *const registry[] = {
    &ave_stage_probe,   /* media info, timeline covering the input */
    &ave_stage_adaptive, /* settings fitted to machine, input and --max-memory */
    &ave_stage_gpu,     /* usable hardware decoder/encoder (--enable-gpu-acceleration) */
    &ave_stage_decode,  /* mono 16 kHz analysis audio */
    &ave_stage_silence, /* adaptive pause detection -> silence cuts */
    &ave_stage_beats,   /* beat grid, tempo, energy sections */
    &ave_stage_frames,  /* sampled frame features, scenes, faces (alongside speech) */
    &ave_stage_speech,  /* words with times; recognised hesitations cut */
    &ave_stage_plan,    /* finalise cuts, timeline.json */
    &ave_stage_edit,    /* `render` only: the user's edits instead of analysis + plan */
    &ave_stage_transcript, /* transcript.json, source/edited subtitles */
    &ave_stage_content, /* keyphrases, concepts, chapters, metadata/ */
    &ave_stage_export,  /* NLE timelines of the edit (exports/) */
    &ave_stage_broll,   /* B-roll cards -> overlays for render */
    &ave_stage_render,  /* cut + encode video/edited.mp4 */
    &ave_stage_enhance, /* denoise, EQ, dynamics, loudness of the edited audio */
    &ave_stage_thumbnails, /* scored frames composed into thumbnails/ */
    &ave_stage_report,  /* analytics/report.html, after the metrics are final */
};

const ave_stage *const *ave_stage_registry(size_t *count)
{
    *count = sizeof(registry) / sizeof(registry[0]);
    return registry;
}

int ave_settings_new(ave_settings **out)
{
    return ave_settings_new_for_stages(out, registry, sizeof(registry) / sizeof(registry[0]));
}

const ave_stage *ave_stage_find(const char *name)
{
    for (size_t i = 0; i < sizeof(registry) / sizeof(registry[0]); i++)
        if (!strcmp(registry[i]->name, name))
            return registry[i];
    return NULL;
}
