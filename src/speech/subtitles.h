/* Subtitle cues from timed words, on the source timeline or remapped onto
 * the edited one, and their SRT / WebVTT text. Pure functions, unit-tested in
 * tests/unit/test_subtitles.c. */
#ifndef AVE_SPEECH_SUBTITLES_H
#define AVE_SPEECH_SUBTITLES_H

#include <stddef.h>
#include <stdint.h>

#include "ave/job.h"
#include "ave/timeline.h"

typedef struct ave_sub_params {
    int max_line_chars;  /* 42: the common broadcast limit */
    int max_lines;       /* 2 */
    int64_t max_cue_us;  /* 7 s */
    int64_t max_gap_us;  /* a pause longer than this (0.6 s) starts a new cue */
    int64_t pad_us;      /* a cue stays up this long (0.25 s) after its last word,
                            never into the next cue */
} ave_sub_params;

typedef struct ave_cue {
    int64_t start_us, end_us; /* on the timeline the cues were built for */
    size_t first_word;        /* index into the word array given to the builder */
    size_t word_count;        /* words of the source array covered (cut ones included) */
    char *text;               /* lines joined by '\n', malloc'd */
} ave_cue;

void ave_sub_params_default(ave_sub_params *p);

/* 1 when word w survives the edit tl: more than half of its span lies in
 * kept segments. tl NULL: always 1. */
int ave_sub_word_kept(const ave_timeline *tl, const ave_word *w);

/* Build cues from words[0..n) (sorted by start). With tl NULL the cues are on
 * the source timeline. With tl, words that do not survive the edit or that
 * are muted (AVE_WORD_MUTED) are left out, the others' times are mapped with
 * ave_timeline_map, and a cue never spans a cut: a removed segment between two consecutive kept words starts a
 * new cue, so every cue lines up with the words actually in the output.
 * A cue starts at its first word's start and ends at its last word's end plus
 * pad (clamped to the next cue's start). Returns 0 with *cues (caller frees
 * with ave_cues_free; NULL when *count is 0), or AVE_ERR_NOMEM. */
int ave_subs_build(const ave_word *words, size_t n, const ave_timeline *tl,
                   const ave_sub_params *p, ave_cue **cues, size_t *count);

void ave_cues_free(ave_cue *cues, size_t count);

/* "HH:MM:SS,mmm" (SRT, sep ',') or "HH:MM:SS.mmm" (WebVTT, sep '.'); times
 * are rounded to the millisecond, hours grow past 99 if needed. buf needs 16
 * bytes or more. */
void ave_sub_format_time(int64_t us, char sep, char *buf, size_t len);

/* Whole SRT / WebVTT documents; *out malloc'd (caller frees), NUL-terminated,
 * *len without the NUL. An empty cue list gives an empty SRT and a bare
 * "WEBVTT" header. Returns 0 or AVE_ERR_NOMEM. */
int ave_subs_to_srt(const ave_cue *cues, size_t count, char **out, size_t *len);
int ave_subs_to_vtt(const ave_cue *cues, size_t count, char **out, size_t *len);

#endif
