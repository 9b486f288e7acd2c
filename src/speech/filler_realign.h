/* The filler-aware second pass (docs/SPEECH.md, "Second pass"): around a
 * voiced gap (sound the recogniser wrote nothing for), its own words are
 * aligned again without its language model, once with hesitations (um, uh,
 * er, ah, hmm, mm) in the gap and once with a free phone string there. The
 * language model is what makes PocketSphinx write nothing for a hesitation;
 * without it the acoustics decide, and the phone string stands for a real
 * word the first pass left out, so a hesitation wins only where it explains
 * the sound better than any word-like phone string. */
#ifndef AVE_SPEECH_FILLER_REALIGN_H
#define AVE_SPEECH_FILLER_REALIGN_H

#include <stddef.h>
#include <stdint.h>

#include "ave/job.h"
#include "speech/filler_detect.h"

/* No second-pass score (not decoded). */
#define AVE_REALIGN_NONE (-1000.0f)

/* The window decoded for one candidate: [start_us, end_us) holds words
 * [first, first + count) of the first pass whole; slot (0..count) is where
 * the candidate sits among them: before word first + slot. */
typedef struct ave_realign_span {
    int64_t start_us, end_us;
    size_t first, count, slot;
} ave_realign_span;

/* The window for candidate c: its span +- context_us, widened to whole
 * words; skip[0..count) (room for nw) marks the words the candidate holds
 * half of or more, the recogniser's rendering of its sound ("amen" for a
 * held "um"), which both grammars leave to the slot. */
void ave_realign_window(const ave_filler_cand *c, const ave_word *words, size_t nw,
                        int64_t context_us, ave_realign_span *sp, unsigned char *skip);

/* The JSGF grammar of words[0..n) in order: a recogniser hesitation, a
 * suggested or acoustic word or one with skip[i] (skip may be NULL) is
 * left out; every other word stands as itself, or as a free phone string
 * when its text is not a plain token (letters, digits, ' and -) or known()
 * rejects it (not in the decoder's dictionary; known NULL: all are).
 * Between two kept words (and at both ends) an optional phone string
 * "[<p>+]", except the slot before word slot_at (n: the last), which is
 * slot ("<f>+": hesitations, "<p>+": phones). <f> and <p> are defined in
 * it. *out malloc'd, caller frees. Returns 0 or AVE_ERR_NOMEM. */
int ave_realign_grammar(const ave_word *words, size_t n, const unsigned char *skip,
                        size_t slot_at, const char *slot, int (*known)(void *, const char *),
                        void *ctx, char **out);

/* The cut for a candidate [cand_s, cand_e) the hesitation decode confirms:
 * the hesitations it put in the slot span frames [f0, f1] (inclusive),
 * frame_us each, counted from window_us. When they cover at least half of
 * the candidate (else they are another sound of the window), the cut is
 * both spans together, guard_us clear of the real words either side of the
 * slot, prev_end_us and next_start_us (-1: none). *s, *e set and 1
 * returned when at least min_us is left; 0 (nothing set) otherwise. */
int ave_realign_cut_span(int f0, int f1, int64_t window_us, int64_t frame_us, int64_t cand_s,
                         int64_t cand_e, int64_t prev_end_us, int64_t next_start_us,
                         int64_t guard_us, int64_t min_us, int64_t *s, int64_t *e);

/* 1 for a candidate the second pass decides: a voiced gap (G >= 0.8) at
 * speech level (within 15 dB). Over recognised words it does not separate
 * fillers from speech on the real set, so it is not asked there. */
int ave_filler_realign_wanted(const ave_filler_cand *c);

/* The second-pass decoder. */
typedef struct ave_filler_realign ave_filler_realign;

/* model_dir as for the recogniser (NULL: Debian's). Returns 0, or
 * AVE_ERR_UNSUPPORTED when the model is missing (*out NULL). */
int ave_filler_realign_open(ave_filler_realign **out, const char *model_dir);
void ave_filler_realign_close(ave_filler_realign *r);

/* For every candidate ave_filler_realign_wanted, decode its window (ave_realign_window, 0.5 s of
 * context) twice: with hesitations in its slot and with free phones there.
 * c->realign = the difference of the two best path scores (natural log)
 * per 10 ms frame of the candidate: > 0 when a hesitation explains the
 * sound better than any phone string after the grammar's costs. Others get
 * AVE_REALIGN_NONE, as do all when r is NULL (no decoder). When the
 * hesitation decode put hesitations in the slot, c->hes_start_us and
 * c->hes_end_us hold their span (ave_realign_cut_span); else both 0. */
int ave_filler_realign_score(ave_filler_realign *r, const int16_t *pcm, size_t n, int rate,
                             const ave_word *words, size_t nw, ave_filler_cand *cands,
                             size_t count);

/* One phone of a word aligned over its span (ave_filler_realign_phones). */
typedef struct ave_realign_phone {
    char name[8]; /* "AH" */
    int64_t start_us, end_us;
} ave_realign_phone;

/* 1 when the first pronunciation of word in the decoder's dictionary has
 * one of the phones listed in any_of (a NULL-terminated list), else 0 (also
 * when r is NULL or the word is not in the dictionary). */
int ave_filler_realign_pron_has(ave_filler_realign *r, const char *word,
                                const char *const *any_of);

/* Align the phones of word (its first pronunciation in the dictionary)
 * over pcm [s_us, e_us), one phone per grammar word, optional pauses at
 * both ends: out[0..*n) in order (at most max). *n = 0 when the word is not
 * in the dictionary, has more than max phones or the decoder finds no
 * path. Returns 0 or a negative error. */
int ave_filler_realign_phones(ave_filler_realign *r, const int16_t *pcm, size_t count, int rate,
                              const char *word, int64_t s_us, int64_t e_us,
                              ave_realign_phone *out, size_t max, size_t *n);

#endif
