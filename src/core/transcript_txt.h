/* transcript.txt: the transcript as plain text that a person edits to
 * re-cut the video (`ai-video-editor render OUTPUT_DIR`, docs/EDITING.md).
 *
 *   [00:00:01.000] the quick brown fox [um] jumps over the lazy dog
 *
 * One line per sentence (words split at pauses, as in transcript.json's
 * segments), opening with its first word's source time; words the edit cut
 * are shown in [brackets]. Lines starting with '#' are comments. Pure
 * functions, unit-tested in tests/unit/test_transcript_txt.c. In core
 * because two stages share the format: speech writes it, edit reads it. */
#ifndef AVE_SPEECH_TRANSCRIPT_TXT_H
#define AVE_SPEECH_TRANSCRIPT_TXT_H

#include <stddef.h>
#include <stdint.h>

#include "ave/job.h"

/* A pause longer than this starts a new line, and so does a full line of
 * TTXT_LINE_MAX_WORDS words. */
#define TTXT_LINE_GAP_US 600000
#define TTXT_LINE_MAX_WORDS 20

/* Word index where each line starts: starts[0..*nlines) (starts must hold n
 * entries; words sorted by start). Deterministic, so the writer and the
 * aligner agree on the lines of the same words. */
void ttxt_lines(const ave_word *w, size_t n, size_t *starts, size_t *nlines);

/* The whole document for words[0..n) (cut = AVE_WORD_CUT flag). *out is
 * malloc'd and NUL-terminated (caller frees), *len without the NUL. Returns 0
 * or AVE_ERR_NOMEM. */
int ttxt_write(const ave_word *w, size_t n, char **out, size_t *len);

/* "[HH:MM:SS.mmm]" of a time (rounded to the millisecond) into buf (>= 20). */
void ttxt_format_time(int64_t us, char *buf, size_t len);

/* The comparison key of a word: lower case, letters, digits, apostrophes and
 * non-ASCII bytes only ("Fox," -> "fox", "(hesitation)" -> "hesitation").
 * Empty when nothing is left (such a token is not a word). */
void ttxt_key(const char *text, size_t text_len, char *key, size_t key_len);

/* Write OUTPUT/transcript.txt for the job's words (their AVE_WORD_CUT flags
 * as the transcript stage settled them). Returns 0 or an AVE_ERR_* code
 * (message recorded on the job). */
int ttxt_write_output(ave_job *job);

typedef struct ttxt_token {
    char key[48];  /* ttxt_key of the word as typed */
    char text[48]; /* as typed, brackets removed (for messages) */
    int cut;       /* inside [brackets] */
    size_t line;   /* index into ttxt_doc.lines */
} ttxt_token;

typedef struct ttxt_line {
    int64_t time_us;    /* the leading [time], or -1 when the line has none */
    int lineno;         /* 1-based line number in the file */
    size_t first_token; /* tokens[first_token .. first_token + token_count) */
    size_t token_count;
} ttxt_line;

typedef struct ttxt_doc {
    ttxt_token *tokens; /* malloc'd */
    size_t token_count;
    ttxt_line *lines; /* malloc'd; comment and blank lines left out */
    size_t line_count;
} ttxt_doc;

/* Words a document may hold: 4 M (about 450 MB of tokens). What we write
 * for a 48 h recording holds about 0.5 M; a line of any length is fine
 * within this. */
#define TTXT_MAX_TOKENS (4u << 20)

/* Parse an edited document. A leading "[H:MM:SS.mmm]" (or "[MM:SS.mmm]",
 * milliseconds optional) is the line's time; any other '[' opens a cut span
 * that ']' closes (an unclosed one ends with its line). Fails on content
 * only past TTXT_MAX_TOKENS words; returns 0, AVE_ERR_LIMIT or
 * AVE_ERR_NOMEM (doc then empty). Free with ttxt_doc_free. */
int ttxt_parse(const char *text, size_t len, ttxt_doc *doc);
void ttxt_doc_free(ttxt_doc *doc);

#endif
