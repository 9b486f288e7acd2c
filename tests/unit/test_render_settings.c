/* Unit test of the render stage's declared pieces: the quality -> encoder
 * mapping and the options table defaults/ranges (the zoom's included). */
#include <string.h>

#include "check.h"
#include "ave/config.h"
#include "ave/error.h"
#include "render/render.h"

int main(void)
{
    ave_encoder_settings es;
    const ave_option *o;
    int found_quality = 0, found_zoom = 0;

    CHECK_EQ_INT(ave_quality_encoder_settings(AVE_QUALITY_LOW, &es), 0);
    CHECK(!strcmp(es.x264_preset, "veryfast") && es.crf == 28 && es.audio_bitrate == 96000);
    CHECK_EQ_INT(ave_quality_encoder_settings(AVE_QUALITY_MEDIUM, &es), 0);
    CHECK(!strcmp(es.x264_preset, "faster") && es.crf == 23 && es.audio_bitrate == 128000);
    CHECK_EQ_INT(ave_quality_encoder_settings(AVE_QUALITY_HIGH, &es), 0);
    CHECK(!strcmp(es.x264_preset, "medium") && es.crf == 20 && es.audio_bitrate == 160000);
    CHECK_EQ_INT(ave_quality_encoder_settings(AVE_QUALITY_ULTRA, &es), 0);
    CHECK(!strcmp(es.x264_preset, "slow") && es.crf == 17 && es.audio_bitrate == 192000);
    CHECK_EQ_INT(ave_quality_encoder_settings(4, &es), AVE_ERR_USAGE);
    CHECK_EQ_INT(ave_quality_encoder_settings(-1, &es), AVE_ERR_USAGE);

    CHECK(!strcmp(ave_stage_render.name, "render"));
    CHECK(ave_stage_render.opts_size == sizeof(ave_render_opts));
    for (o = ave_stage_render.options; o && o->name; o++) {
        if (!strcmp(o->name, "crossfade-ms")) {
            CHECK(o->type == AVE_OPT_DOUBLE && o->def.d == 20 && o->min == 0 && o->max == 200);
            CHECK(o->offset == offsetof(ave_render_opts, crossfade_ms));
        } else if (!strcmp(o->name, "crf")) {
            CHECK(o->type == AVE_OPT_INT && o->def.i == -1 && o->min == -1 && o->max == 51);
        } else if (!strcmp(o->name, "measure-quality")) {
            CHECK(o->type == AVE_OPT_BOOL && o->def.i == 1);
            CHECK(o->offset == offsetof(ave_render_opts, measure_quality));
            found_quality = 1;
        } else if (!strcmp(o->name, "zoom-cuts")) {
            /* off unless asked: it changes the picture */
            CHECK(o->type == AVE_OPT_BOOL && o->def.i == 0);
            found_zoom++;
        } else if (!strcmp(o->name, "zoom-amount")) {
            CHECK(o->type == AVE_OPT_DOUBLE && o->def.d == 115 && o->min == 100 && o->max == 200);
            CHECK(o->offset == offsetof(ave_render_opts, zoom_amount));
            found_zoom++;
        } else if (!strcmp(o->name, "zoom-motion")) {
            CHECK(o->type == AVE_OPT_BOOL && o->def.i == 0);
            found_zoom++;
        }
    }
    CHECK(found_quality);
    CHECK_EQ_INT(found_zoom, 3);
    CHECK(ave_stage_render.options && ave_stage_render.options[0].name);
    return CHECK_DONE();
}
