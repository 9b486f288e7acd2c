/* Private to src/broll: writing broll/broll_plan.json. */
#ifndef AVE_BROLL_JSON_H
#define AVE_BROLL_JSON_H

#include "broll/broll.h"

typedef struct broll_json_info {
    const char *enabled_by;        /* "flag", "profile", "environment" or "auto" */
    int width, height;             /* card picture size */
    const broll_params *params;
    const broll_item *items;
    const char *const *files;      /* per item, relative to the output folder */
    size_t count;
    const broll_plan_stats *stats;
    const ave_analysis *analysis;
} broll_json_info;

/* The name of card file's picture for the aspect tagged tag ("9x16"):
 * "broll/1_stat.png" -> "broll/1_stat_9x16.png", into out (len bytes). */
void broll_aspect_file(const char *file, const char *tag, char *out, size_t len);

/* Write broll/broll_plan.json through the job's staged outputs. Everything
 * is borrowed. Returns 0 or an AVE_ERR_* code (message recorded). */
int broll_json_write(ave_job *job, const broll_json_info *info);

#endif
