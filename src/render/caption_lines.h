/* Burned-in captions, part one: which words go on screen together, on how
 * many lines, and when (caption_lines.c). Pure functions on output-time
 * words, no libav or cairo, so tests/unit/test_caption_lines.c drives them
 * with made-up words. Drawing and compositing: captions.c. */
#ifndef AVE_RENDER_CAPTION_LINES_H
#define AVE_RENDER_CAPTION_LINES_H

#include <stddef.h>
#include <stdint.h>

/* A word kept by the edit, on the edited video's clock. */
typedef struct ave_caption_word {
    int64_t start_us, end_us; /* output time, start <= end, sorted by start */
    const char *text;         /* UTF-8, borrowed; may end in punctuation */
    /* Output time of a cut's join between the previous kept word and this
     * one (the picture jumps there); -1 when the content runs on. */
    int64_t cut_us;
} ave_caption_word;

typedef struct ave_caption_params {
    int max_line_chars;   /* characters (code points) per line, from ave_caption_fit */
    int max_lines;        /* 1 or 2 */
    int64_t min_show_us;  /* 0.8 s: shorter is hard to read */
    int64_t max_span_us;  /* 7 s: a caption's words never span more */
    int64_t hard_pause_us; /* 1.2 s: a pause this long always ends a caption */
    int64_t soft_pause_us; /* 0.25 s: a pause this long is a good place to break */
    int64_t sentence_pause_us; /* 0.5 s: unpunctuated text: a sentence ends here */
    int64_t tail_us;      /* 0.6 s: a caption stays up this long after its last word */
} ave_caption_params;

/* One caption: words [first, first + count), the first `line1` of them on
 * the first line (line1 == count: a single line). On screen from start_us
 * to end_us (output time). */
typedef struct ave_caption {
    int64_t start_us, end_us;
    size_t first, count, line1;
} ave_caption;

/* Defaults above, with max_line_chars 42. */
void ave_caption_params_default(ave_caption_params *p);

/* Font size and characters per line for a width x height display picture:
 * the font is 5.5% of the height (so the same share of any 16:9 frame),
 * at most 6% of the width (portrait frames: 7.5% filled a 9:16 line with
 * one long word), times scale (a style's size, 1 for the plain one), and a
 * line may fill 72% of the width at a mean glyph width of 0.55 em, clamped
 * to 12..42 characters (42: the broadcast limit; at scale 1 16:9 gives 42,
 * 4:3 31, 9:16 21; at 1.3 16:9 gives 32, 9:16 16). */
void ave_caption_fit(int width, int height, double scale, double *font_px, int *line_chars);

/* Characters of a UTF-8 string as a reader counts them (code points). */
size_t ave_caption_text_chars(const char *s);

/* Group words[0..n) into captions: a cut (cut_us >= 0) or a pause of
 * hard_pause_us always starts a new caption; within those runs a dynamic
 * programme picks the breaks with the least cost, preferring breaks after
 * punctuation and at pauses, captions that can stay up min_show_us before
 * the next one, no caption of a single word and no line of a single word
 * when that can be avoided, and balanced lines. No line exceeds
 * max_line_chars unless one word alone does (it then gets its own line).
 * Timing: a caption starts with its first word and ends tail_us after its
 * last (at least min_show_us after its start), never after the next
 * caption's start, the next cut's join or end_limit_us (the video's end).
 * *out is malloc'd (caller frees; NULL when *count is 0). Returns 0,
 * AVE_ERR_NOMEM or AVE_ERR_USAGE (bad params). */
int ave_caption_build(const ave_caption_word *words, size_t n, const ave_caption_params *p,
                      int64_t end_limit_us, ave_caption **out, size_t *count);

#endif
