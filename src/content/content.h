/* Private to src/content: the transcript as tokens and sentences, keyphrases,
 * spoken numbers, concept patterns, chapters (TextTiling) and the metadata
 * package (titles, description, tags). Every function here is pure (no job,
 * no I/O) so the unit tests drive them on fixed text; content_stage.c wires
 * them to the job.
 *
 * Times are source microseconds throughout; the stage maps chapter starts to
 * the edited timeline. */
#ifndef AVE_CONTENT_H
#define AVE_CONTENT_H

#include <stddef.h>
#include <stdint.h>

#include "ave/job.h"

#define CONTENT_LOG "content"

/* --- tokens (content_text.c) -------------------------------------------- */

enum content_tok_flags {
    TOK_STOP = 1 << 0,     /* a stop word (or too short to carry meaning) */
    TOK_FILLER = 1 << 1,   /* um, uh, like...: never part of a phrase */
    TOK_NUMBER = 1 << 2,   /* a number word or digits */
    TOK_LOWCONF = 1 << 3,  /* the recogniser was unsure: not used for keyphrases */
    TOK_SENT_END = 1 << 4, /* the last token of a sentence */
    /* the last token before a phrase boundary inside a sentence: a comma or
     * a short pause (content_text_from_words' phrase_gap); no keyphrase
     * spans it */
    TOK_PHRASE_END = 1 << 5,
    TOK_QUESTION = 1 << 6  /* followed by a question mark */
};

/* Part of speech of a content word (content_pos.c). */
enum content_pos {
    POS_NOUN,   /* also the default for unknown words */
    POS_ADJ,    /* may modify a noun, never ends a noun phrase */
    POS_PART,   /* -ed participle: "worked example"; modifier only */
    POS_GERUND, /* -ing form: "cooking class"; modifier only */
    POS_VERB,   /* breaks a noun phrase */
    POS_ADV,    /* breaks a noun phrase */
    POS_FUNC    /* a preposition the stop list lacks ("including") */
};

typedef struct content_token {
    char text[48];   /* lower-case word */
    char stem[48];   /* light stem (plural s removed) for matching */
    int64_t start_us, end_us;
    unsigned flags;  /* enum content_tok_flags */
    int pos;         /* enum content_pos (POS_FUNC for stop words) */
    float conf;      /* recogniser confidence, 0..1 (1 for plain text) */
} content_token;

typedef struct content_text {
    content_token *tok; /* malloc'd */
    size_t count;
} content_text;

/* Build tokens from the kept (not cut, not acoustic) words, splitting
 * sentences at punctuation and at pauses of at least sentence_gap_us (or of
 * the longest tenth, at least 0.1 s, for a speaker who pauses less), and
 * flagging words with confidence below min_conf as TOK_LOWCONF. */
int content_text_from_words(content_text *t, const ave_word *w, size_t n, int64_t sentence_gap_us,
                            float min_conf);
/* Tokenise plain text (punctuation ends sentences); times are 1 s per
 * word, for tests and for text without timings. */
int content_text_from_string(content_text *t, const char *s);
void content_text_free(content_text *t);

/* 1 when word is in the English stop-word list (content_stopwords.c). */
int content_is_stopword(const char *word);
/* 1 for hesitations and discourse fillers (um, uh, okay, basically...). */
int content_is_filler(const char *word);
/* 1 when the stop-word table is sorted (bsearch needs it; a unit test checks). */
int content_stopwords_sorted(void);
/* Light stemmer: drops a plural/possessive s; writes into out. */
void content_stem(const char *word, char *out, size_t len);

/* Part of speech of a lower-case content word (enum content_pos), from a
 * small lexicon and suffix rules (content_pos.c). */
int content_pos_tag(const char *word);
/* 1 when the lexicon's tables are sorted (a unit test checks). */
int content_pos_tables_sorted(void);

/* --- numbers (content_numbers.c) ----------------------------------------- */

/* Parse a spoken number starting at words[0] ("forty two", "one point five
 * million", "three hundred", "42", "seventy percent"). On success returns the
 * number of words consumed (> 0) and sets *value and unit ("%", "million",
 * "billion", "thousand" only when the number ends with it after a decimal
 * point, or ""). Returns 0 when words[0] does not start a number. */
int content_parse_number(const char *const *words, size_t n, double *value, char *unit,
                         size_t unit_len);
/* 1 when word is a number word or digits. */
int content_is_number_word(const char *word);

/* --- keyphrases (kp_extract.c) -------------------------------------------- */

/* Score noun-phrase-like n-grams (1-3 content words between stop words) of
 * tokens [from, to) by repetition, length and first position; best first,
 * scores relative to the best (= 1). *out malloc'd (caller frees), at most
 * max entries. */
int kp_extract(const content_text *t, size_t from, size_t to, size_t max, ave_keyphrase **out,
               size_t *count);

/* Reorder keyphrases (best first) for titles and the headline: K1 becomes
 * the longest of the top five that contains the best one and scores at
 * least half as much ("example video" rather than "video"); K2 and K3 are
 * the best that neither contain nor sit inside an earlier K; the rest
 * follow in their order. Returns 0 or AVE_ERR_NOMEM (kp unchanged). */
int kp_order_for_titles(ave_keyphrase *kp, size_t n);

/* 1 when phrase (words separated by spaces) occurs in text (case-insensitive,
 * at word boundaries, plural-tolerant). */
int kp_contains(const char *text, const char *phrase);

/* --- concepts (content_concepts.c) --------------------------------------- */

/* Find definitions, numbers, enumerations, comparisons and processes, leaving
 * out any whose card would show a content word or figure heard under
 * min_rel. *out is malloc'd (caller frees), sorted by start time. */
int content_find_concepts(const content_text *t, float min_rel, ave_concept **out,
                          size_t *count);
const char *content_concept_kind_name(int kind);

/* --- chapters (chap_tiling.c) -------------------------------------------- */

typedef struct chap_params {
    size_t gap_tokens;        /* content tokens per pseudo-sentence (10; fewer, down to 5, when
                                 the talk has under 12 pseudo-sentences) */
    int fixed_gap;            /* 1: use gap_tokens as it is */
    size_t block;             /* pseudo-sentences per comparison window (3) */
    int64_t min_len_us;       /* shortest chapter (source time) */
    size_t max_chapters;      /* at most this many chapters */
} chap_params;

void chap_params_default(chap_params *p);

/* The shortest chapter for a video of duration_us when the user set none:
 * half of an even split into max_chapters (a 70 s talk may have chapters
 * of 10 s, a 40-minute lecture of 2.5 minutes), never under YouTube's 10 s. */
int64_t chap_min_length(int64_t duration_us, size_t max_chapters);

/* TextTiling: cosine similarity of adjacent windows of content-word stems,
 * depth scores at every pseudo-sentence gap, boundaries where depth exceeds
 * mean - sd/2, strongest first, at least min_len apart, snapped to the
 * nearest sentence start. *starts (malloc'd) receives the token index where
 * each chapter begins; the first is always 0. */
int chap_segment(const content_text *t, const chap_params *p, size_t **starts, size_t *count);

/* --- highlights (content_highlights.c, content_movement.c) ---------------- */

/* Prosodic movement of the speech, 0..1 per hop of source time. */
typedef struct hl_movement {
    float *value; /* malloc'd */
    size_t count;
    int64_t hop_us;
} hl_movement;

typedef struct hl_params {
    size_t count;            /* highlights wanted */
    int64_t min_us, max_us;  /* length on the edited video */
    double min_reliability;  /* a keyphrase in a title must be this reliable */
    /* source time -> edited time (the timeline's mapping) */
    int64_t (*to_edit)(const void *map, int64_t src_us);
    const void *map;
} hl_params;

/* The best non-overlapping stretches of whole sentences of t (scored as
 * content_highlights.c's opening comment says), best first. mv may be
 * NULL (no audio). *out malloc'd (caller frees), at most p->count. */
int content_highlights(const content_text *t, const ave_keyphrase *kp, size_t nkp,
                       const ave_concept *con, size_t ncon, const hl_movement *mv,
                       const hl_params *p, ave_highlight **out, size_t *count);

/* Loudness and pitch movement of mono 16-bit speech, one value per 100 ms:
 * the spread (over the surrounding 2 s) of the level in dB and of the pitch
 * in semitones of the voiced frames, each scaled to 0..1 and averaged.
 * out->value is malloc'd (free it); 0 or AVE_ERR_NOMEM. */
int content_movement(const int16_t *pcm, size_t n, int rate, hl_movement *out);

/* --- metadata (meta_*.c) -------------------------------------------------- */

enum meta_strategy { META_SEO, META_CURIOSITY, META_EDUCATIONAL, META_LISTICLE,
                     META_EMOTIONAL, META_STRATEGY_COUNT };

typedef struct meta_title {
    char text[128];
    double score;                   /* 0..100 */
    double coverage, length_score, hook; /* the parts, 0..1 each */
    double reliability;             /* least reliable keyphrase it names; 1 when none */
} meta_title;

#define META_MAX_TAGS 15
enum meta_tag_kind { META_TAG_PRIMARY, META_TAG_SECONDARY, META_TAG_LONGTAIL };

typedef struct meta_tag {
    char text[24]; /* <= 20 characters */
    int kind;      /* enum meta_tag_kind */
    double reliability; /* of its keyphrase */
} meta_tag;

typedef struct meta_package {
    meta_title titles[META_STRATEGY_COUNT];
    char summary[256];        /* 125-200 characters where possible */
    meta_tag tags[META_MAX_TAGS];
    int tag_count;
    char hashtags[3][32];
    int hashtag_count;
    char headline[48];        /* <= 40 characters; "" when no keyphrase was reliable */
    double headline_reliability;
    double summary_reliability; /* least reliable sentence or keyphrase used */
    int neutral;              /* 1: no reliable keyphrase; titles are the neutral form */
} meta_package;

const char *meta_strategy_name(int s);
/* Score a title against the top keyphrases (see docs/METADATA.md). */
void meta_score_title(meta_title *t, const ave_keyphrase *kp, size_t kp_count);
/* Least reliable of the top three keyphrases the title names; 1 when it
 * names none. */
double meta_title_reliability(const char *title, const ave_keyphrase *kp, size_t kp_count);
/* Titles, tags, hashtags and headline from the keyphrases (best first),
 * concepts and chapter count. The caller passes only keyphrases reliable
 * enough to publish; with none, every title is `neutral` (the file name as
 * words, or a plain noun such as "Lecture"), and tags, hashtags and the
 * headline stay empty. */
int meta_build(meta_package *m, const ave_keyphrase *kp, size_t kp_count, const ave_concept *c,
               size_t c_count, size_t chapter_count, const char *neutral);
/* Extractive summary: the sentences of t with the best keyphrase coverage,
 * in spoken order, 125-200 characters where the transcript allows. Only
 * sentences whose content words all have conf >= min_rel are used (an
 * unsure word never reaches the description); *reliability receives the
 * least reliable word or keyphrase used (1 when the summary is empty). */
int meta_summarise(const content_text *t, const ave_keyphrase *kp, size_t kp_count, float min_rel,
                   char *out, size_t len, double *reliability);

/* --- reliability (content_reliability.c) ----------------------------------- */

/* A word is quoted (a description sentence, the AI service's transcript
 * excerpt) only when it is not more likely wrong than right: quoting the
 * speaker needs whole sentences, and a bar as high as for a headline (one
 * phrase, repeated or sure) would leave no sentence of real speech
 * standing. */
#define CONTENT_MIN_QUOTED_RELIABILITY 0.5f

/* A recogniser's word confidence as the chance the word is right: measured
 * for PocketSphinx (engine "pocketsphinx"), where a sure word right beside
 * an unsure one (neighbour_conf, the lower raw confidence of the adjacent
 * words; 1 when none) is trusted less; as is for other engines. */
float content_calibrate(float conf, float neighbour_conf, const char *engine);
/* Replace every token's raw confidence by content_calibrate's, each with
 * its adjacent tokens (closer than 0.15 s) as neighbours. */
int content_calibrate_text(content_text *t, const char *engine);
/* Title Case copy of a lower-case phrase. */
void meta_title_case(const char *in, char *out, size_t len);

#endif
