/* Aligning an edited transcript.txt with the words it was written from.
 *
 * Lines keep their leading [time], which anchors them to the line of words
 * that starts at that time; between anchors the edited tokens and the words
 * are matched by a weighted longest common subsequence of their keys. What
 * the user did then follows per word: matched and bare = kept, matched in
 * [brackets] = cut, missing = cut (deleted). Where the unmatched tokens
 * between two matches are exactly as many as the unmatched words there, they
 * are corrections of those words, one for one (kept or cut by their
 * brackets); other edited tokens that match no word (a word added) are
 * reported, never guessed at: the unmatched words around them keep the
 * state they were written with. Pure, unit-tested in
 * tests/unit/test_edit_align.c. */
#ifndef AVE_SPEECH_TRANSCRIPT_ALIGN_H
#define AVE_SPEECH_TRANSCRIPT_ALIGN_H

#include <stddef.h>

#include "ave/job.h"
#include "core/transcript_txt.h"

/* Cells of one alignment table (words x tokens between two anchors)
 * allowed: 256 M cells = 64 MiB at 2 bits a cell, about 1 s. A line that
 * kept its [time] is its own stretch, so this is reached only when
 * thousands of lines lost their time, or one line holds millions of words
 * more than it was written with (2 million against 20 words: 40 M cells). */
#define TTXT_ALIGN_MAX_CELLS (256u << 20)

typedef struct ttxt_align_result {
    unsigned char *keep; /* per word: 1 kept, 0 cut; word_count entries, malloc'd */
    size_t *unmatched;   /* doc token indices that matched no word, malloc'd */
    size_t unmatched_count;
    /* Corrections: where the tokens between two matches are as many as the
     * words there and match none of them, each token replaces its word's
     * text ("an honor" typed over "a motor" is two corrections). Word
     * index fixed_word[i] takes the text of token fixed_token[i]; both
     * malloc'd, fixed_count entries. Such tokens are not in unmatched. */
    size_t *fixed_word, *fixed_token;
    size_t fixed_count;
    size_t anchored_lines; /* edited lines whose [time] matched a line of words */
    /* On AVE_ERR_LIMIT: the stretch that was too large (its words and
     * tokens, and the file line where its tokens begin). */
    size_t limit_words, limit_tokens;
    int limit_line;
} ttxt_align_result;

/* Align doc with words[0..n) as written by ttxt_write (their AVE_WORD_CUT flag
 * is the state shown in the file). Returns 0 with res filled (free with
 * ttxt_align_free), AVE_ERR_NOMEM, or AVE_ERR_LIMIT when a stretch without
 * anchors is too large to align. */
int ttxt_align(const ave_word *w, size_t n, const ttxt_doc *doc, ttxt_align_result *res);
void ttxt_align_free(ttxt_align_result *res);

#endif
