/* Private to src/content: the metadata files (meta_write.c). */
#ifndef AVE_CONTENT_META_WRITE_H
#define AVE_CONTENT_META_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "ave/job.h"
#include "content/content.h"

/* "M:SS" or "H:MM:SS", as YouTube reads chapter times. */
void meta_timestamp(int64_t us, char *out, size_t len);

/* 1 when YouTube would accept the chapters (>= 3, each >= 10 s on the edited
 * video); else 0 with the reason in why. */
int meta_chapters_valid(const ave_chapter *ch, size_t n, int64_t edited_duration_us, char *why,
                        size_t whylen);

/* description.txt: summary, chapters (when with_chapters), hashtags.
 * malloc'd text (caller frees) or NULL. */
char *meta_description(const meta_package *m, const ave_chapter *ch, size_t n, int with_chapters);

typedef struct meta_json_in {
    const ave_analysis *analysis;  /* keyphrases, concepts, chapters */
    const ave_timeline *timeline;  /* for edited concept times */
    const meta_package *pkg;
    const char *description;
    int chapters_ok;
    const char *chapters_why;
    int ai_configured, ai_used, ai_cache_hit;
    const char *ai_model, *ai_why;
    double min_reliability; /* --min-text-reliability: what "publishable" meant */
} meta_json_in;

/* metadata.json text (malloc'd, caller frees with cJSON_free/free) or NULL. */
char *meta_json(const meta_json_in *in);

#endif
